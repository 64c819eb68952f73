// Micro benchmark for the element-wise and reduction kernels.
//   npx tsx bench/micro/elementwise.mjs [--f64] [--sizes=1000,100000,1000000] [--only=mul,tanh]
// Backends ('js', 'wasm', 'auto' where the kernels offer a switch) are timed in interleaved rounds
// and the best round is reported (a noisy neighbour hurts all alike). Includes the allocation of
// the output, as the kernels do.
import * as E from '../../src/ndarray/kernels/elementwise.ts'
import * as R from '../../src/ndarray/kernels/reduce.ts'
import { NdArray } from '../../src/ndarray/NdArray.ts'

const args = process.argv.slice(2)
const opt = (k, d) => (args.find((a) => a.startsWith(`--${k}=`)) ?? `=${d}`).split('=')[1]
const f64 = args.includes('--f64')
const dtype = f64 ? 'float64' : 'float32'
const T = f64 ? Float64Array : Float32Array
const sizes = opt('sizes', '1000,10000,100000,1000000').split(',').map(Number)
const only = opt('only', '')
  .split(',')
  .filter((s) => s !== '')
const setBackend = E.setElementwiseBackend ?? (() => {})
const backends = E.setElementwiseBackend ? ['js', 'wasm'] : ['js']

const arr = (shape, f = () => Math.random() * 4 - 2) => {
  const n = shape.reduce((a, b) => a * b, 1)
  return new NdArray(shape, dtype, new T(n).map(f))
}

const cases = (n) => {
  const side = Math.round(Math.sqrt(n))
  const x = arr([n]),
    y = arr([n]),
    s = arr([])
  const m2 = arr([side, side]),
    row = arr([side]),
    col = arr([side, 1])
  const cond = new NdArray(
    [n],
    'bool',
    new Uint8Array(n).map(() => (Math.random() < 0.5 ? 1 : 0)),
  )
  return {
    neg: () => E.unary('neg', x),
    sqrt: () => E.unary('sqrt', y),
    tanh: () => E.unary('tanh', x),
    exp: () => E.unary('exp', x),
    mul: () => E.binary('mul', x, y, dtype),
    add: () => E.binary('add', x, y, dtype),
    max: () => E.binary('max', x, y, dtype),
    'mul scalar': () => E.binary('mul', x, s, dtype),
    'sub scalar-left': () => E.binary('sub', s, x, dtype),
    'add row-bcast': () => E.binary('add', m2, row, dtype),
    'mul col-bcast': () => E.binary('mul', m2, col, dtype),
    gt: () => E.binary('gt', x, y, 'bool'),
    select: () => E.select(cond, x, y),
    'sum all': () => R.reduce('sum', x, [0]),
    'max all': () => R.reduce('max', x, [0]),
    'sum rows': () => R.reduce('sum', m2, [1]),
    'sum cols': () => R.reduce('sum', m2, [0]),
    'max cols': () => R.reduce('max', m2, [0]),
  }
}

for (const n of sizes) {
  const cs = cases(n)
  for (const [name, f] of Object.entries(cs)) {
    if (only.length > 0 && !only.includes(name)) continue
    const timers = backends.map((be) => {
      setBackend(be)
      // Warm up first (module compile, memory growth, JIT), or the calibration sees one slow call.
      for (let i = 0; i < 20; i++) f()
      let reps = 1
      for (;;) {
        const t0 = performance.now()
        for (let r = 0; r < reps; r++) f()
        if (performance.now() - t0 > 5) break
        reps *= 2
      }
      return { be, reps, best: Infinity }
    })
    for (let round = 0; round < 9; round++) {
      for (const t of timers) {
        setBackend(t.be)
        const t0 = performance.now()
        for (let r = 0; r < t.reps; r++) f()
        t.best = Math.min(t.best, (performance.now() - t0) / t.reps)
      }
    }
    const row = [`${dtype.replace('float', 'f')} ${name.padEnd(16)} n=${String(n).padEnd(8)}`]
    for (const t of timers)
      row.push(
        `${t.be}: ${(t.best * 1000).toFixed(1).padStart(8)} µs ${(n / t.best / 1e6).toFixed(2).padStart(6)} Gelem/s`,
      )
    if (timers.length === 2) row.push(`x${(timers[0].best / timers[1].best).toFixed(2)}`)
    console.log(row.join('  |  '))
  }
}
setBackend('auto')
