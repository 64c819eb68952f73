// Micro benchmark for the gemm kernels: `npx tsx bench/micro/gemm.mjs [sizes...] [--ts|--wasm|--auto] [--f64] [--tA] [--tB]`
import { gemm, gemmTs, setGemmBackend, wasmGemmAvailable } from '../../src/ndarray/kernels/gemm.ts'

const args = process.argv.slice(2)
const sizes = args.filter((x) => /^\d+(x\d+x\d+)?$/.test(x))
const backends = ['ts', 'wasm', 'auto'].filter((b) => args.includes('--' + b))
if (backends.length === 0) backends.push('ts', ...(wasmGemmAvailable() ? ['wasm'] : []))
const T = args.includes('--f64') ? Float64Array : Float32Array
const tA = args.includes('--tA')
const tB = args.includes('--tB')
if (sizes.length === 0) sizes.push('1', '8', '32', '64', '128', '256', '512')

for (const s of sizes) {
  const [m, n, k] = s.includes('x') ? s.split('x').map(Number) : [+s, +s, +s]
  const a = new T(m * k).map(() => Math.random() - 0.5)
  const b = new T(k * n).map(() => Math.random() - 0.5)
  const c = new T(m * n)
  const flops = 2 * m * n * k
  const row = [`${T === Float32Array ? 'f32' : 'f64'} ${m}x${n}x${k}${tA ? ' tA' : ''}${tB ? ' tB' : ''}`]
  for (const be of backends) {
    setGemmBackend(be)
    const f = be === 'ts' ? gemmTs : gemm
    // Repeat so that each timing sample takes ≥ ~20 ms; report the best sample.
    let reps = 1
    for (;;) {
      const t0 = performance.now()
      for (let r = 0; r < reps; r++) f(tA, tB, m, n, k, a, 0, b, 0, c, 0, 0)
      if (performance.now() - t0 > 20) break
      reps *= 2
    }
    let best = Infinity
    for (let s = 0; s < 7; s++) {
      const t0 = performance.now()
      for (let r = 0; r < reps; r++) f(tA, tB, m, n, k, a, 0, b, 0, c, 0, 0)
      best = Math.min(best, (performance.now() - t0) / reps)
    }
    const us = best * 1000
    row.push(`${be}: ${us < 1000 ? us.toFixed(2) + ' µs' : (us / 1000).toFixed(2) + ' ms'} ${(flops / best / 1e6).toFixed(2)} GFLOP/s`)
  }
  console.log(row.join('  |  '))
}
