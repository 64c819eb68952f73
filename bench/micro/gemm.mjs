// Micro benchmark for the gemm kernels.
//   npx tsx bench/micro/gemm.mjs [sizes...] [--ts] [--wasm] [--auto] [--f64] [--tA] [--tB]
// A size is N (N×N×N) or MxNxK. Backends are timed in interleaved rounds and the best round is
// reported, so a noisy neighbour on the machine hurts all of them alike.
import { gemm, gemmTs, setGemmBackend, wasmGemmAvailable } from '../../src/ndarray/kernels/gemm.ts'

const args = process.argv.slice(2)
const sizes = args.filter((x) => /^\d+(x\d+x\d+)?$/.test(x))
const backends = ['ts', 'wasm', 'auto'].filter((b) => args.includes('--' + b))
if (backends.length === 0) backends.push('ts', ...(wasmGemmAvailable() ? ['wasm'] : []))
const T = args.includes('--f64') ? Float64Array : Float32Array
const tA = args.includes('--tA')
const tB = args.includes('--tB')
if (sizes.length === 0) sizes.push('1', '8', '32', '64', '128', '256', '512')

const call = (be, m, n, k, a, b, c) => {
  setGemmBackend(be)
  ;(be === 'ts' ? gemmTs : gemm)(tA, tB, m, n, k, a, 0, b, 0, c, 0, 0)
}

for (const s of sizes) {
  const [m, n, k] = s.includes('x') ? s.split('x').map(Number) : [+s, +s, +s]
  const a = new T(m * k).map(() => Math.random() - 0.5)
  const b = new T(k * n).map(() => Math.random() - 0.5)
  const c = new T(m * n)
  const flops = 2 * m * n * k
  const timers = backends.map((be) => {
    // Repeat so that one sample takes ≥ ~10 ms.
    let reps = 1
    for (;;) {
      const t0 = performance.now()
      for (let r = 0; r < reps; r++) call(be, m, n, k, a, b, c)
      if (performance.now() - t0 > 10) break
      reps *= 2
    }
    return { be, reps, best: Infinity }
  })
  for (let round = 0; round < 9; round++) {
    for (const t of timers) {
      const t0 = performance.now()
      for (let r = 0; r < t.reps; r++) call(t.be, m, n, k, a, b, c)
      t.best = Math.min(t.best, (performance.now() - t0) / t.reps)
    }
  }
  const row = [`${T === Float32Array ? 'f32' : 'f64'} ${m}x${n}x${k}${tA ? ' tA' : ''}${tB ? ' tB' : ''}`]
  for (const t of timers) {
    const us = t.best * 1000
    const time = us < 1000 ? us.toFixed(2) + ' µs' : (us / 1000).toFixed(2) + ' ms'
    row.push(`${t.be}: ${time} ${(flops / t.best / 1e6).toFixed(2)} GFLOP/s`)
  }
  console.log(row.join('  |  '))
}
