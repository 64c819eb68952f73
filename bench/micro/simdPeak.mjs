// Peak float32 multiply-add rate of one thread on WebAssembly SIMD (128-bit lanes): f32x4.mul +
// f32x4.add against relaxed SIMD's f32x4.relaxed_madd (an FMA where the host has one), each in a
// loop of `--acc` independent accumulators held in registers (no memory traffic). It answers
// whether an FMA micro-kernel could raise the gemm's ceiling (~50 GFLOP/s a thread, issue 18).
// Node 20 (V8 11.3) validates relaxed SIMD only behind --experimental-wasm-relaxed-simd; this
// script turns the flag on at run time (v8.setFlagsFromString) and reports whether the module
// validated before that. Run it at real-time priority for a quiet-machine figure:
//   chrt -r 10 npx tsx bench/micro/simdPeak.mjs [--acc=8] [--iters=20000000]
import v8 from 'node:v8'
import { F32, FuncBuilder, I32, ModuleBuilder, Op, SimdOp, V128 } from '../../src/ndarray/kernels/wasm/assembler.ts'
import { opt } from './benchCommon.mjs'

const ACC = Number(opt('acc', '8'))
const ITERS = Number(opt('iters', '2e7'))
const RELAXED_MADD = 0x105 // f32x4.relaxed_madd (relaxed SIMD proposal)

/** A function (n) → f32 running n rounds of ACC multiply-adds acc += x·y, fused or not. */
const kernel = (fused) => {
  const f = new FuncBuilder([I32], [F32])
  const x = f.local(V128)
  const accs = Array.from({ length: ACC }, () => f.local(V128))
  const ys = Array.from({ length: 4 }, () => f.local(V128))
  f.f32(1.0000001).simd(SimdOp.f32x4Splat).set(x)
  ys.forEach((y, i) =>
    f
      .f32(0.999 + i * 1e-4)
      .simd(SimdOp.f32x4Splat)
      .set(y),
  )
  f.begin(Op.loop)
  accs.forEach((a, i) => {
    if (fused)
      f.get(x)
        .get(ys[i % 4])
        .get(a)
        .simd(RELAXED_MADD)
        .set(a)
    else
      f.get(a)
        .get(x)
        .get(ys[i % 4])
        .simd(SimdOp.f32x4Mul)
        .simd(SimdOp.f32x4Add)
        .set(a)
  })
  f.get(0).i32(1).op(Op.i32Sub).tee(0).brIf(0)
  f.end()
  f.get(accs[0])
  for (let i = 1; i < ACC; i++) f.get(accs[i]).simd(SimdOp.f32x4Add)
  f.lane(SimdOp.f32x4ExtractLane, 0)
  return new ModuleBuilder().func('k', f).encode()
}

const fusedBytes = kernel(true)
console.log(`relaxed SIMD validates without flags: ${WebAssembly.validate(fusedBytes)} (Node ${process.version})`)
v8.setFlagsFromString('--experimental-wasm-relaxed-simd')
console.log(`after v8.setFlagsFromString('--experimental-wasm-relaxed-simd'): ${WebAssembly.validate(fusedBytes)}`)

const run = (bytes) => new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.k
const cells = [
  ['mul+add', run(kernel(false))],
  ['relaxed_madd', run(fusedBytes)],
]
const best = Object.fromEntries(cells.map(([k]) => [k, Infinity]))
for (const [, k] of cells) k(1e5)
for (let r = 0; r < 6; r++)
  for (const [name, k] of cells) {
    const t = performance.now()
    k(ITERS)
    best[name] = Math.min(best[name], performance.now() - t)
  }
for (const [name, ms] of Object.entries(best))
  console.log(
    `${name.padEnd(13)} ${ACC} accumulators: ${((ITERS * ACC * 8) / ms / 1e6).toFixed(1)} GFLOP/s (best of 6)`,
  )
