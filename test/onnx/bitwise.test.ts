/**
 * The bit primitives (src/core/primitives/bitwise.ts, rules in onnxBitwise.ts) exported to ONNX
 * and run in ONNX Runtime: every op on every integer dtype and bool, shifts outside [0, bits)
 * included, equal to wengert's kernels exactly; opset 17 refuses integer operands by name.
 */
import { describe, expect, it } from 'vitest'
import { array, lax, type DType, type NdArray } from 'wengert'
import { exportOnnx, OnnxExportError } from 'wengert/onnx'
import { flat, runOrt } from '../helpers/ort'

const OPSET = { opsetVersion: 18 }

const roundTrip = async (f: (...xs: NdArray[]) => NdArray, args: ReadonlyArray<NdArray>): Promise<number[]> => {
  const bytes = exportOnnx(f, args.slice(), OPSET)
  const out = await runOrt(bytes, Object.fromEntries(args.map((a, i) => [`arg${i}`, a])))
  return out.output ?? []
}

/** Operands per dtype: signs, the extremes, and shift amounts inside and outside [0, bits). */
const operands: Readonly<Record<string, readonly [number[], number[]]>> = {
  int8: [
    [-128, -77, -1, 0, 1, 5, 99, 127, -3, 64],
    [0, 1, 3, 7, 8, -1, 2, 9, 127, 6],
  ],
  uint8: [
    [0, 1, 5, 77, 128, 200, 255, 3, 64, 254],
    [0, 1, 3, 7, 8, 9, 2, 255, 4, 6],
  ],
  int16: [
    [-32768, -1234, -1, 0, 1, 5, 4321, 32767, -3, 256],
    [0, 1, 3, 15, 16, -1, 2, 17, 8, 14],
  ],
  int32: [
    [-2147483648, -123456, -1, 0, 1, 5, 987654, 2147483647, -3, 65536],
    [0, 1, 3, 31, 32, -1, 2, 40, 16, 30],
  ],
  // int64 values are exact within ±2^53 here: negative ones are shifted left or logically right
  // only so far that the result stays inside
  int64: [
    [-(2 ** 40), 123456, -1, 0, 1, 5, 987654, 2 ** 40, -3, 65536],
    [12, 1, 20, 12, 64, -1, 2, 70, 70, 10],
  ],
}

const binaries: ReadonlyArray<readonly [string, (x: NdArray, y: NdArray) => NdArray]> = [
  ['bitwise_and', lax.bitwiseAnd],
  ['bitwise_or', lax.bitwiseOr],
  ['bitwise_xor', lax.bitwiseXor],
  ['shift_left', lax.shiftLeft],
  ['shift_right_arithmetic', lax.shiftRightArithmetic],
  ['shift_right_logical', lax.shiftRightLogical],
]
const unaries: ReadonlyArray<readonly [string, (x: NdArray) => NdArray]> = [
  ['bitwise_not', lax.bitwiseNot],
  ['population_count', lax.populationCount],
]

describe('bit primitives in ONNX Runtime (opset 18)', () => {
  for (const [dtype, [xs, ys]] of Object.entries(operands)) {
    const x = array(xs, { dtype: dtype as DType })
    const y = array(ys, { dtype: dtype as DType })
    for (const [name, f] of binaries)
      it(`${name} on ${dtype}`, async () => {
        expect(await roundTrip(f, [x, y])).toEqual(flat(f(x, y)))
      })
    for (const [name, f] of unaries)
      it(`${name} on ${dtype}`, async () => {
        expect(await roundTrip(f, [x])).toEqual(flat(f(x)))
      })
  }

  it('bool operands: the logical operators, shifts and counts', async () => {
    const p = array([true, true, false, false])
    const q = array([true, false, true, false])
    for (const [, f] of binaries) expect(await roundTrip(f, [p, q])).toEqual(flat(f(p, q)))
    for (const [, f] of unaries) expect(await roundTrip(f, [p])).toEqual(flat(f(p)))
  })

  it('broadcasting operands and a composite (jnp-level) use', async () => {
    const x = array([[3, -6, 9]], { dtype: 'int32' })
    const s = array([[1], [2]], { dtype: 'int32' })
    expect(await roundTrip(lax.shiftLeft, [x, s])).toEqual(flat(lax.shiftLeft(x, s)))
  })
})

describe('opset 17', () => {
  it('exports bool and/or/xor/not (ONNX logical operators)', async () => {
    const p = array([true, false])
    const bytes = exportOnnx((a: NdArray) => lax.bitwiseNot(lax.bitwiseXor(a, a)), [p])
    expect((await runOrt(bytes, { arg0: p })).output).toEqual([1, 1])
  })

  it('refuses integer operands with a typed error naming the primitive and the opset', () => {
    const x = array([1, 2], { dtype: 'int32' })
    expect(() => exportOnnx((a: NdArray) => lax.bitwiseAnd(a, a), [x])).toThrow(OnnxExportError)
    expect(() => exportOnnx((a: NdArray) => lax.populationCount(a), [x])).toThrow(/population_count.*opsetVersion ≥ 18/)
  })
})
