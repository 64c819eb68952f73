/**
 * lax.convGeneralDilatedPatches (against windows cut out by hand, in NCHW and NHWC layouts, with
 * strides, padding and dilation) and lax.convGeneralDilatedLocal (a shared filter repeated at
 * every position is the ordinary convolution); float64 finite-difference gradients and vmap.
 */
import { describe, expect, it } from 'vitest'
import { array, checkGrads, sum, vmap, type NdArray } from '../../src'
import * as lax from '../../src/ops/lax'
import { DTypeError, ShapeError, ValueError } from '../../src/ndarray/errors'

const seq = (shape: number[], scale = 1): NdArray => {
  const n = shape.reduce((a, b) => a * b, 1)
  return array(
    Array.from({ length: n }, (_, i) => Math.sin(i + 1) * scale),
    { dtype: 'float64', shape },
  )
}
const vals = (x: NdArray): number[] => Array.from(x.toTypedArray() as Float64Array)

describe('lax.convGeneralDilatedPatches', () => {
  it('feature c·S + s is channel c at filter position s (NCHW, stride 2, SAME padding)', () => {
    const x = seq([2, 3, 5, 4]) // N C H W
    const p = lax.convGeneralDilatedPatches(
      x,
      [2, 3],
      [2, 1],
      [
        [0, 1],
        [1, 1],
      ],
    )
    // padded H: 5 + 1 = 6 → (6 − 2)/2 + 1 = 3 rows; W: 4 + 2 = 6 → 4 columns
    expect(p.shape).toEqual([2, 3 * 6, 3, 4])
    const xv = x.toArray() as number[][][][]
    const pv = p.toArray() as number[][][][]
    for (let n = 0; n < 2; n++)
      for (let c = 0; c < 3; c++)
        for (let kh = 0; kh < 2; kh++)
          for (let kw = 0; kw < 3; kw++)
            for (let i = 0; i < 3; i++)
              for (let j = 0; j < 4; j++) {
                const [h, w] = [i * 2 + kh, j + kw - 1]
                const want = h < 5 && w >= 0 && w < 4 ? (xv[n]?.[c]?.[h]?.[w] as number) : 0
                expect(pv[n]?.[c * 6 + kh * 3 + kw]?.[i]?.[j]).toBe(want)
              }
  })
  it('NHWC layout and rhs dilation give the same patches, transposed', () => {
    const x = seq([1, 4, 6, 2]) // N H W C
    const nhwc = lax.convGeneralDilatedPatches(x, [2, 2], [1, 1], 'VALID', {
      dimensionNumbers: ['NHWC', 'HWIO', 'NHWC'],
      rhsDilation: [1, 2],
    })
    const nchw = lax.convGeneralDilatedPatches(lax.transpose(x, [0, 3, 1, 2]), [2, 2], [1, 1], 'VALID', {
      rhsDilation: [1, 2],
    })
    expect(vals(nhwc)).toEqual(vals(lax.transpose(nchw, [0, 2, 3, 1])))
  })
  it('gradient by float64 finite differences; vmap; bad input', () => {
    checkGrads(
      (y: NdArray) =>
        sum(
          lax.mul(
            lax.convGeneralDilatedPatches(y, [2], [1], 'SAME'),
            lax.convGeneralDilatedPatches(y, [2], [1], 'SAME'),
          ),
        ),
      [seq([1, 2, 5])],
    )
    const xs = seq([3, 1, 2, 5])
    const vm = vmap((y: NdArray) => lax.convGeneralDilatedPatches(y, [3], [2], 'VALID'))(xs)
    expect(vals(vm)).toEqual(
      vals(lax.reshape(lax.convGeneralDilatedPatches(lax.reshape(xs, [3, 2, 5]), [3], [2], 'VALID'), [3, 1, 6, 2])),
    )
    expect(() => lax.convGeneralDilatedPatches(seq([1, 2, 5]), [2, 2], [1], 'VALID')).toThrow(ShapeError)
    expect(() => lax.convGeneralDilatedPatches(array([[[1, 2]]], { dtype: 'int32' }), [1], [1], 'VALID')).toThrow(
      DTypeError,
    )
    expect(() => lax.convGeneralDilatedPatches(seq([1, 2, 5]), [2], [1], 'VALID', { precision: 'x' as never })).toThrow(
      ValueError,
    )
  })
})

describe('lax.convGeneralDilatedLocal', () => {
  it('a filter repeated at every output position is the ordinary convolution (NHWC)', () => {
    const x = seq([2, 5, 4, 3]) // N H W C
    const k = seq([2, 3, 3, 4], 0.5) // H W I O
    const dn = ['NHWC', 'HWIO', 'NHWC'] as const
    const conv = lax.convGeneralDilated(x, k, [1, 1], 'SAME', { dimensionNumbers: dn })
    expect(conv.shape).toEqual([2, 5, 4, 4])
    // local rhs in HWIO layout: (out H, out W, C·S, O), the same (c, kh, kw) → o filter everywhere
    const kv = k.toArray() as number[][][][]
    const flat: number[] = []
    for (let i = 0; i < 5; i++)
      for (let j = 0; j < 4; j++)
        for (let c = 0; c < 3; c++)
          for (let kh = 0; kh < 2; kh++)
            for (let kw = 0; kw < 3; kw++) for (let o = 0; o < 4; o++) flat.push(kv[kh]?.[kw]?.[c]?.[o] as number)
    const local = array(flat, { dtype: 'float64', shape: [5, 4, 18, 4] })
    const y = lax.convGeneralDilatedLocal(x, local, [1, 1], 'SAME', [2, 3], { dimensionNumbers: dn })
    vals(y).forEach((v, i) => expect(v).toBeCloseTo(vals(conv)[i] as number, 12))
  })
  it('gradients in both operands by float64 finite differences; rhs shape checked', () => {
    const x = seq([1, 2, 5])
    const w = seq([3, 4, 4], 0.3)
    checkGrads((a: NdArray, b: NdArray) => sum(lax.convGeneralDilatedLocal(a, b, [1], 'VALID', [2])), [x, w])
    expect(() => lax.convGeneralDilatedLocal(x, seq([3, 4, 5]), [1], 'VALID', [2])).toThrow(
      /rhs must have, in its layout, shape \(O, 4, 4\)/,
    )
  })
})
