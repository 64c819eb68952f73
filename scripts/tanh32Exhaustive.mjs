// Exhaustive accuracy check of the float32 tanh SIMD kernel (src/ndarray/kernels/wasm/simdMath.ts,
// bitwise the scalar twin tanh32 in src/ndarray/kernels/math32.ts): every non-negative float32 bit
// pattern from +0 to +∞ (the kernel is odd: it copies the sign of x onto tanh|x|, which the unit
// tests check), in ulps of the float32 nearest float64 Math.tanh. NaN inputs are checked to stay NaN.
//   npx tsx scripts/tanh32Exhaustive.mjs
import { unaryWasm } from '../src/ndarray/kernels/wasm/simdElementwise'

const CHUNK = 1 << 22
const xsBits = new Uint32Array(CHUNK)
const xs = new Float32Array(xsBits.buffer)
const out = new Float32Array(CHUNK)
const b = new Float32Array(1)
const bi = new Uint32Array(b.buffer)
let worst = 0
let worstX = 0
let over1 = 0
const t0 = Date.now()
for (let start = 0; start <= 0x7fc00000; start += CHUNK) {
  const len = Math.min(CHUNK, 0x7fc00001 - start)
  for (let i = 0; i < len; i++) xsBits[i] = start + i
  if (!unaryWasm('tanh', xs.subarray(0, len), out.subarray(0, len))) throw new Error('no wasm kernel')
  for (let i = 0; i < len; i++) {
    const x = xs[i]
    const y = out[i]
    if (x !== x) {
      if (y === y) throw new Error(`NaN input gave ${y}`)
      continue
    }
    const ref = Math.tanh(x)
    if (y === ref) continue
    b[0] = ref
    const r = b[0]
    bi[0] += 1
    const e = Math.abs(y - ref) / (b[0] - r)
    if (e > 1) over1++
    if (e > worst) {
      worst = e
      worstX = x
    }
  }
}
console.log(
  `tanh32: all float32 in [+0, +inf] and NaN: worst ${worst.toFixed(4)} ulp at x = ${worstX}, ${over1} above 1 ulp (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
)
