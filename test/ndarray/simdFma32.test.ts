/**
 * The WebAssembly fused kernels (src/ndarray/kernels/wasm/simdFma32) against the TypeScript loops
 * of src/torch/methods/pointwiseFused (fma32 and the ops' element formulas): the same bits on
 * special values (±0, ±inf, NaN, subnormals, overflow), midpoint-adjacent sums, and lengths that
 * end inside a vector.
 */
import { describe, expect, it } from 'vitest'
import { fma32Wasm, type Fma32Op } from '../../src/ndarray/kernels/wasm/simdFma32'
import { fma32 } from '../../src/torch/methods/pointwiseFused'

const fr = Math.fround
const SPECIAL = [
  0,
  -0,
  1,
  -1,
  Infinity,
  -Infinity,
  NaN,
  2 ** -149,
  -(2 ** -140),
  3.4e38,
  -3.4e38,
  2 ** 100,
  1 + 2 ** -23,
]
/** Deterministic float32 values: specials, near-ties (1 ± 2^-k, 1 + 2^-23·odd) and a spread. */
const values = (n: number, seed: number): Float32Array =>
  Float32Array.from({ length: n }, (_, i) => {
    const j = (i * 7 + seed * 13) % 97
    if (j < SPECIAL.length) return SPECIAL[j] as number
    if (j < 40) return (j % 2 ? -1 : 1) * (1 + (j % 3 ? 2 ** -(15 + (j % 8)) : -(2 ** -(15 + (j % 8)))))
    if (j < 60) return (1 + 2 ** -23 * (2 * j + 1)) * 2 ** ((j % 5) - 2)
    return fr(Math.sin(i * 12.9898 + seed) * 2 ** ((i % 25) - 12))
  })

const lerpOne = (x: number, e: number, w: number): number =>
  Math.abs(w) < 0.5 ? fma32(w, fr(e - x), x) : fma32(fr(w - 1), fr(e - x), e)
const REF: Record<Fma32Op, (x: number, a: number, b: number, s: number) => number> = {
  axpy: (x, a, _b, s) => fma32(s, a, x),
  addcmul: (x, a, b, s) => fma32(fr(s * a), b, x),
  addcdiv: (x, a, b, s) => x + fr(fr(s * a) / b),
  lerp: (x, a, b) => lerpOne(x, a, b),
}
const bits = (v: number): number => new Uint32Array(Float32Array.of(v).buffer)[0] as number
const same = (a: number, b: number): boolean => (Number.isNaN(a) && Number.isNaN(b)) || bits(a) === bits(b)

describe('simdFma32 kernels', () => {
  for (const op of ['axpy', 'addcmul', 'addcdiv', 'lerp'] as const) {
    for (const n of [1, 3, 4, 5, 1027, 16384 + 7]) {
      it(`${op} over ${n} elements gives the TypeScript loops' bits`, () => {
        const [x, a, b] = [values(n, 1), values(n, 2), values(n, 3)]
        for (const s of [1, -0.001, fr(1 + 2 ** -15), 0.7]) {
          const out = new Float32Array(n)
          const w = op === 'lerp' && s !== 1 ? Float32Array.of(fr(s)) : b
          expect(fma32Wasm(op, x, a, w, s, out)).toBe(true)
          let bad = 0
          for (let i = 0; i < n; i++) {
            const wi = w.length === 1 ? (w[0] as number) : (w[i] as number)
            if (!same(out[i] as number, fr(REF[op](x[i]!, a[i]!, wi, fr(s))))) bad++
          }
          expect(bad).toBe(0)
        }
      })
    }
  }
  it('rounds sums near float32 overflow once (fma32 and the kernel)', () => {
    const max = 3.4028234663852886e38
    // a·b = 2^103·(1 − 2^-30): max + a·b is below the overflow midpoint max + 2^103, but its
    // float64 sum is that midpoint, which a second rounding takes to infinity
    const [a, b] = [fr((1 + 2 ** -15) * 2 ** 52), fr((1 - 2 ** -15) * 2 ** 51)]
    expect(fr(a * b + max)).toBe(Infinity)
    const cases: Array<[number, number, number, number]> = [
      [a, b, max, max],
      [-a, b, -max, -max],
      [fr(2 ** 52), fr(2 ** 51 + 2 ** 28), max, Infinity],
      [-2001.5, fr(-3.4e38), 5, Infinity],
    ]
    for (const [x, y, z, want] of cases) {
      expect(fma32(x, y, z)).toBe(want)
      const out = new Float32Array(1)
      expect(fma32Wasm('axpy', Float32Array.of(z), Float32Array.of(y), null, x, out)).toBe(true)
      expect(out[0]).toBe(want)
    }
  })
})
