/**
 * float32 exp, log and tanh (src/ndarray/kernels/math32.ts and their WebAssembly SIMD kernels):
 * accuracy against float64 Math over the whole float32 range, and the kernels bitwise equal to
 * the scalar twins (so the JS loops, jit's fused loops and the SIMD kernels agree).
 */
import { describe, expect, it } from 'vitest'
import { exp32, log32, tanh32 } from '../../src/ndarray/kernels/math32'
import { unaryWasm, wasmElementwiseAvailable } from '../../src/ndarray/kernels/wasm/simdElementwise'

const bits = new Int32Array(1)
const asFloat = new Float32Array(bits.buffer)

/** Every `stride`-th float32 bit pattern (both signs, NaNs included), plus the edge cases. */
const sample = (stride: number): Float32Array => {
  const edges = [
    0,
    -0,
    Infinity,
    -Infinity,
    NaN,
    2 ** -149,
    -(2 ** -149),
    2 ** -126,
    2 ** -126 - 2 ** -149,
    3.4028234663852886e38,
    -3.4028234663852886e38,
    1,
    -1,
    0.75,
    -0.75,
    Math.fround(0.75 - 2 ** -25),
    88.72283935546875,
    88.7228317260742,
    88.72284,
    89,
    -87.33654785,
    -103.972076,
    -103.97209,
    -104,
    -104.5,
    9.010913,
    -9.010913,
    Math.SQRT1_2,
    Math.SQRT2,
  ]
  const out = new Float32Array(edges.length + Math.floor(2 ** 32 / stride) + 1)
  out.set(edges)
  let i = edges.length
  for (let b = 0; b < 2 ** 32; b += stride) {
    bits[0] = b | 0
    out[i++] = asFloat[0] as number
  }
  return out.subarray(0, i)
}

/** Error of a float32 result y in ulps of the float32 nearest ref (ref a float64 value). */
const ulpError = (y: number, ref: number): number => {
  if (Object.is(y, ref) || (y !== y && ref !== ref)) return 0
  const r = Math.fround(ref)
  if (!Number.isFinite(r)) return y === r ? 0 : Infinity
  if (y === 0 && ref === 0) return Object.is(y, ref) ? 0 : Infinity
  asFloat[0] = Math.abs(r)
  bits[0] = (bits[0] as number) + 1
  const ulp = (asFloat[0] as number) - Math.abs(r)
  return Math.abs(y - ref) / (Number.isFinite(ulp) ? ulp : 2 ** 104)
}

const CASES = [
  { name: 'exp', twin: exp32, ref: Math.exp, bound: 1 },
  { name: 'log', twin: log32, ref: Math.log, bound: 1 },
  { name: 'tanh', twin: tanh32, ref: Math.tanh, bound: 1.1 },
] as const

describe('float32 exp, log, tanh', () => {
  const xs = sample(4099)

  for (const { name, twin, ref, bound } of CASES) {
    it(`${name}: within ${bound} ulp of float64 Math over every 4099th float32 and the edges`, () => {
      let worst = 0
      for (let i = 0; i < xs.length; i++) {
        const x = xs[i] as number
        worst = Math.max(worst, ulpError(twin(x), ref(x)))
      }
      expect(worst).toBeLessThanOrEqual(bound)
    })

    it(`${name}: the WebAssembly SIMD kernel is bitwise the scalar twin`, () => {
      expect(wasmElementwiseAvailable()).toBe(true)
      const out = new Float32Array(xs.length)
      expect(unaryWasm(name, xs, out)).toBe(true)
      let mismatches = 0
      for (let i = 0; i < xs.length; i++) if (!Object.is(out[i], Math.fround(twin(xs[i] as number)))) mismatches++
      expect(mismatches).toBe(0)
    })
  }

  it('tanh: the SIMD kernel is bitwise the scalar twin for every float32 of ±[8.75, 10.25] (its exp clamps at 2|x| = 20)', () => {
    bits[0] = 0x410c0000 // 8.75
    const lo = bits[0] as number
    bits[0] = 0x41240000 // 10.25
    const count = (bits[0] as number) - lo
    const xs = new Float32Array(2 * count)
    for (let i = 0; i < count; i++) {
      bits[0] = lo + i
      xs[2 * i] = asFloat[0] as number
      xs[2 * i + 1] = -(asFloat[0] as number)
    }
    const out = new Float32Array(xs.length)
    expect(unaryWasm('tanh', xs, out)).toBe(true)
    let mismatches = 0
    for (let i = 0; i < xs.length; i++) if (!Object.is(out[i], Math.fround(tanh32(xs[i] as number)))) mismatches++
    expect(mismatches).toBe(0)
    expect(out[2 * count - 2]).toBe(1)
  })

  it('special values', () => {
    expect([exp32(-Infinity), exp32(Infinity), exp32(NaN), exp32(-0), exp32(89), exp32(-104)]).toEqual([
      0,
      Infinity,
      NaN,
      1,
      Infinity,
      0,
    ])
    expect(exp32(2 ** -149)).toBe(1)
    expect(exp32(-103)).toBe(Math.fround(Math.exp(-103)))
    expect([log32(0), log32(-0), log32(-1), log32(Infinity), log32(NaN), log32(1)]).toEqual([
      -Infinity,
      -Infinity,
      NaN,
      Infinity,
      NaN,
      0,
    ])
    expect(log32(2 ** -149)).toBe(Math.fround(-149 * Math.LN2))
    expect([tanh32(Infinity), tanh32(-Infinity), tanh32(NaN), tanh32(20), tanh32(2 ** -149)]).toEqual([
      1,
      -1,
      NaN,
      1,
      2 ** -149,
    ])
    expect(Object.is(tanh32(-0), -0)).toBe(true)
    expect(Object.is(tanh32(0), 0)).toBe(true)
  })
})
