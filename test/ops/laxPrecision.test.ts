/**
 * lax.Precision (accepted by dot, dot_general, batch_matmul and conv_general_dilated, none of
 * them changing a result), lax.ConvDimensionNumbers, lax.broadcastShapes (NumPy's rule and
 * JAX's error), lax.igammaGradA and lax.randomGammaGrad against float64 finite differences of
 * lax.igamma.
 */
import { describe, expect, it } from 'vitest'
import { array, checkGrads, sum, type NdArray } from '../../src'
import * as lax from '../../src/ops/lax'
import { ValueError } from '../../src/ndarray/errors'

const f64 = (x: number | number[] | number[][]): NdArray => array(x, { dtype: 'float64' })

describe('lax.Precision', () => {
  const a = f64([
    [1, 2],
    [3, 4],
  ])
  it('every value JAX accepts gives the same product; anything else raises', () => {
    const want = lax.dot(a, a).toArray()
    for (const p of [
      lax.Precision.DEFAULT,
      lax.Precision.HIGH,
      lax.Precision.HIGHEST,
      'highest',
      'float32',
      'bfloat16',
      [lax.Precision.HIGH, 'default'],
      null,
    ] as const) {
      expect(lax.dot(a, a, { precision: p }).toArray()).toEqual(want)
      expect(lax.batchMatmul(a.reshape([1, 2, 2]), a.reshape([1, 2, 2]), { precision: p }).toArray()).toEqual([want])
    }
    expect(() =>
      lax.dotGeneral(
        a,
        a,
        [
          [[1], [0]],
          [[], []],
        ],
        { precision: 'fastest' as never },
      ),
    ).toThrow(ValueError)
    expect(() => lax.dot(a, a, { precision: ['high', 'high', 'high'] as never })).toThrow(/precision argument must be/)
  })
  it('conv_general_dilated accepts a precision and ConvDimensionNumbers', () => {
    const x = array(
      [
        [
          [
            [1, 2, 3],
            [4, 5, 6],
            [7, 8, 9],
          ],
        ],
      ],
      { dtype: 'float64' },
    ) // NCHW
    const w = array(
      [
        [
          [
            [1, 0],
            [0, 1],
          ],
        ],
      ],
      { dtype: 'float64' },
    ) // OIHW
    const plain = lax.convGeneralDilated(x, w, [1, 1], 'VALID')
    const dn = lax.ConvDimensionNumbers([0, 1, 2, 3], [0, 1, 2, 3], [0, 1, 2, 3])
    const y = lax.convGeneralDilated(x, w, [1, 1], 'VALID', { precision: lax.Precision.HIGHEST, dimensionNumbers: dn })
    expect(y.toArray()).toEqual(plain.toArray())
    expect(y.toArray()).toEqual([
      [
        [
          [6, 8],
          [12, 14],
        ],
      ],
    ])
    expect(() => lax.convGeneralDilated(x, w, [1, 1], 'VALID', { precision: 'low' as never })).toThrow(ValueError)
    expect(() => lax.ConvDimensionNumbers([0, 1, 2], [0, 1], [0, 1, 2])).toThrow(/permutations of one rank/)
    expect(lax.ConvDimensionNumbers([0, 3, 1, 2], [3, 2, 0, 1], [0, 3, 1, 2])).toEqual(
      lax.convDimensionNumbers([1, 5, 5, 3], [3, 3, 3, 8], ['NHWC', 'HWIO', 'NHWC']),
    )
  })
})

describe('lax.broadcastShapes', () => {
  it("NumPy's rule with leading 1s; JAX's error text", () => {
    expect(lax.broadcastShapes([2, 1, 3], [4, 1], [1])).toEqual([2, 4, 3])
    expect(lax.broadcastShapes([0, 1], [1, 5])).toEqual([0, 5])
    expect(lax.broadcastShapes()).toEqual([])
    expect(() => lax.broadcastShapes([3], [4])).toThrow('Incompatible shapes for broadcasting: shapes=[(3,), (4,)]')
    expect(() => lax.broadcastShapes([2, -1])).toThrow(ValueError)
  })
})

describe('lax.igammaGradA and lax.randomGammaGrad', () => {
  const a = f64([0.5, 1, 2.5, 4])
  const x = f64([0.3, 1, 2, 6])
  it('∂P/∂a is the float64 central difference of lax.igamma in a; dx/da = −(∂P/∂a)/(∂P/∂x)', () => {
    const h = 1e-6
    const av = a.toArray() as number[]
    const fd = (da: number): number[] => lax.igamma(f64(av.map((v) => v + da)), x).toArray() as number[]
    const [hi, lo] = [fd(h), fd(-h)]
    const g = lax.igammaGradA(a, x).toArray() as number[]
    g.forEach((v, i) => expect(v).toBeCloseTo(((hi[i] as number) - (lo[i] as number)) / (2 * h), 7))
    const xv = x.toArray() as number[]
    const dx = xv.map((v) => v + h) as number[]
    const px = (lax.igamma(a, f64(dx)).toArray() as number[]).map(
      (v, i) => (v - ((lax.igamma(a, f64(xv.map((w) => w - h))).toArray() as number[])[i] as number)) / (2 * h),
    )
    const r = lax.randomGammaGrad(a, x).toArray() as number[]
    r.forEach((v, i) => expect(v).toBeCloseTo(-(g[i] as number) / (px[i] as number), 6))
  })
  it('differentiable in x (float64 finite differences); float only', () => {
    checkGrads((y: NdArray) => sum(lax.igammaGradA(a, y)), [x], { modes: ['rev', 'fwd'], order: 1 })
    checkGrads((y: NdArray) => sum(lax.randomGammaGrad(a, y)), [x], { modes: ['rev', 'fwd'], order: 1 })
    expect(() => lax.igammaGradA(array([1], { dtype: 'int32' }), array([1], { dtype: 'int32' }))).toThrow(
      /does not accept dtype int32/,
    )
  })
})
