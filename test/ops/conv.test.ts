/**
 * lax.convGeneralDilated / conv / convTranspose, lax.reduceWindow and convolve/correlate against
 * PyTorch 1.13 and NumPy (values and, for convolutions, both cotangents), float64.
 * Fixture: test/ops/fixtures/conv.json from conv.py beside it.
 */
import { describe, expect, it } from 'vitest'
import {
  array,
  convolve,
  correlate,
  lax,
  neg,
  transpose,
  vjp,
  ShapeError,
  ValueError,
  DTypeError,
  type NdArray,
} from '../../src/index'
import { convFixture, type ConvCase } from '../helpers/convFixture'

const fx = convFixture

const f64 = (xs: number[], shape: number[]): NdArray => array(xs, { shape, dtype: 'float64' })
const close = (a: NdArray, expected: number[], shape?: number[]): void => {
  if (shape !== undefined) expect(a.shape).toEqual(shape)
  const got = Array.from(a.toTypedArray() as Float64Array)
  expect(got.length).toBe(expected.length)
  got.forEach((v, i) => expect(Math.abs(v - (expected[i] as number))).toBeLessThan(1e-10))
}
const list = (v: number | number[] | undefined, n: number, dflt: number): number[] =>
  v === undefined ? new Array<number>(n).fill(dflt) : typeof v === 'number' ? new Array<number>(n).fill(v) : v

/** PyTorch's convolution (and transposed convolution) as a JAX-style call. */
const torchConv = (c: ConvCase) => {
  const n = c.xShape.length - 2
  const letters = 'DHW'.slice(3 - n)
  const stride = list(c.kw['stride'], n, 1)
  const pad = list(c.kw['padding'], n, 0)
  const dil = list(c.kw['dilation'], n, 1)
  const dn = [`NC${letters}`, `OI${letters}`, `NC${letters}`] as const
  if (c.name === 'conv_transpose1d') {
    const op = list(c.kw['output_padding'], n, 0)
    const k = c.wShape.slice(2)
    const pads = k.map((kk, i): [number, number] => {
      const e = (dil[i] as number) * (kk - 1) - (pad[i] as number)
      return [e, e + (op[i] as number)]
    })
    return (x: NdArray, w: NdArray) =>
      lax.convTranspose(x, w, stride, pads, { rhsDilation: dil, dimensionNumbers: dn, transposeKernel: true })
  }
  const groups = (c.kw['groups'] as number | undefined) ?? 1
  return (x: NdArray, w: NdArray) =>
    lax.convGeneralDilated(
      x,
      w,
      stride,
      pad.map((p): [number, number] => [p, p]),
      { rhsDilation: dil, dimensionNumbers: dn, featureGroupCount: groups },
    )
}

describe('convolutions vs PyTorch', () => {
  it.each(fx.convs.map((c) => [c.name, c] as const))('%s: value and both cotangents', (_, c) => {
    const f = torchConv(c)
    const [y, pullback] = vjp(f, f64(c.x, c.xShape), f64(c.w, c.wShape))
    close(y, c.y, c.yShape)
    const [gx, gw] = pullback(f64(c.cot, c.yShape))
    close(gx, c.gx, c.xShape)
    close(gw, c.gw, c.wShape)
  })

  it('channels-last dimension numbers are transposes of the canonical layout', () => {
    const c = fx.convs[0] as ConvCase
    const x = f64(c.x, c.xShape)
    const w = f64(c.w, c.wShape)
    const nhwc = lax.convGeneralDilated(
      transpose(x, [0, 2, 3, 1]),
      transpose(w, [2, 3, 1, 0]),
      [2, 1],
      [
        [1, 1],
        [2, 2],
      ],
      { rhsDilation: [1, 2], dimensionNumbers: ['NHWC', 'HWIO', 'NHWC'] },
    )
    close(transpose(nhwc, [0, 3, 1, 2]), c.y, c.yShape)
  })

  it("'SAME' keeps ceil(n / stride) outputs; 'VALID' pads nothing", () => {
    const x = f64(new Array(2 * 7).fill(1), [1, 2, 7])
    const w = f64(new Array(3 * 2 * 4).fill(1), [3, 2, 4])
    expect(lax.conv(x, w, [2], 'SAME').shape).toEqual([1, 3, 4])
    expect(lax.conv(x, w, [2], 'VALID').shape).toEqual([1, 3, 2])
    // total SAME padding (4 − 1) = 3 split 1 low / 2 high: first output sums 3 columns
    const row = [6, 8, 8, 8, 8, 6, 4]
    expect(lax.conv(x, w, [1], 'SAME').toArray()).toEqual([[row, row, row]])
  })

  it('rejects mismatched features, dtypes and bad padding with typed errors', () => {
    const x = f64(new Array(8).fill(0), [1, 2, 4])
    expect(() => lax.conv(x, f64(new Array(6).fill(0), [1, 3, 2]), [1], 'VALID')).toThrow(ShapeError)
    expect(() =>
      lax.conv(
        x,
        array(
          [
            [
              [1, 1],
              [1, 1],
            ],
          ],
          { dtype: 'float32' },
        ),
        [1],
        'VALID',
      ),
    ).toThrow(DTypeError)
    expect(() => lax.conv(x, f64([1, 1, 1, 1], [1, 2, 2]), [1], 'FULL' as 'SAME')).toThrow(ValueError)
    expect(() => lax.conv(x, f64([1, 1, 1, 1], [1, 2, 2]), [0], 'VALID')).toThrow(ValueError)
  })
})

describe('reduceWindow vs PyTorch pooling', () => {
  it.each(fx.pools.map((p, i) => [i, p] as const))('case %i: max (and sum = avg · window)', (_, p) => {
    const x = f64(p.x, p.xShape)
    const pads: Array<[number, number]> = [
      [0, 0],
      [0, 0],
      [p.p[0], p.p[0]],
      [p.p[1], p.p[1]],
    ]
    const opts = { windowDilation: [1, 1, ...p.d] }
    close(lax.reduceWindow(x, -Infinity, 'max', [1, 1, ...p.k], [1, 1, ...p.s], pads, opts), p.max, p.maxShape)
    if (p.avg !== null) close(lax.reduceWindow(x, 0, 'sum', [1, 1, ...p.k], [1, 1, ...p.s], pads), p.avg, p.maxShape)
    // min(x) = −max(−x)
    const mn = lax.reduceWindow(neg(x), Infinity, 'min', [1, 1, ...p.k], [1, 1, ...p.s], pads, opts)
    close(neg(mn), p.max, p.maxShape)
  })

  it('rejects a non-identity init value and an unknown computation', () => {
    expect(() => lax.reduceWindow(array([1, 2]), 1, 'sum', [1], [1], 'VALID')).toThrow(ValueError)
    expect(() => lax.reduceWindow(array([1, 2]), 0, 'prod' as 'sum', [1], [1], 'VALID')).toThrow(ValueError)
  })
})

describe('convolve / correlate vs NumPy', () => {
  const modes = ['full', 'same', 'valid'] as const
  it.each(fx.seqs.map((s) => [`${s.a.length}×${s.v.length}`, s] as const))('%s, every mode', (_, s) => {
    const a = f64(s.a, [s.a.length])
    const v = f64(s.v, [s.v.length])
    for (const m of modes) {
      close(convolve(a, v, m), s.convolve[m])
      close(correlate(a, v, m), s.correlate[m])
    }
  })
  it('rejects non-1-D input', () => {
    expect(() => convolve(f64([1, 2, 3, 4], [2, 2]), f64([1], [1]))).toThrow(ShapeError)
  })
})

describe('lax.convDimensionNumbers and lax.convWithGeneralPadding (JAX names, regression)', () => {
  it("conv_dimension_numbers: ('NHWC', 'HWIO', 'NHWC') gives JAX's ConvDimensionNumbers, usable as dimension_numbers", () => {
    const dn = lax.convDimensionNumbers([1, 5, 4, 2], [3, 3, 2, 2], ['NHWC', 'HWIO', 'NHWC'])
    expect(dn).toEqual({ lhsSpec: [0, 3, 1, 2], rhsSpec: [3, 2, 0, 1], outSpec: [0, 3, 1, 2] })
    expect(lax.convDimensionNumbers([1, 1, 3], [1, 1, 2])).toEqual({
      lhsSpec: [0, 1, 2],
      rhsSpec: [0, 1, 2],
      outSpec: [0, 1, 2],
    })
    const x = f64([1, 2, 3, 4, 5, 6], [1, 3, 2, 1])
    const k = f64([1, -1], [2, 1, 1, 1])
    const viaDn = lax.convGeneralDilated(x, k, [1, 1], 'VALID', {
      dimensionNumbers: lax.convDimensionNumbers(x.shape, k.shape, ['NHWC', 'HWIO', 'NHWC']),
    })
    close(viaDn, [-2, -2, -2, -2], [1, 2, 2, 1])
    expect(() => lax.convDimensionNumbers([1, 1, 3], [1, 3])).toThrow(ShapeError)
    expect(() => lax.convDimensionNumbers([1, 1, 3], [1, 1, 3], ['NCW', 'OIX', 'NCW'])).toThrow(ValueError)
  })

  it('conv_with_general_padding: explicit pads with lhs and rhs dilation, in the canonical layout', () => {
    const x = f64([1, 2, 3], [1, 1, 3])
    const k = f64([1, 10], [1, 1, 2])
    // lhs dilated to [1, 0, 2, 0, 3], padded (1, 1): [0, 1, 0, 2, 0, 3, 0]; kernel dilated by 2: y[i] = p[i] + 10·p[i + 2]
    const y = lax.convWithGeneralPadding(x, k, [1], [[1, 1]], [2], [2])
    close(y, [0, 21, 0, 32, 0], [1, 1, 5])
    close(lax.convWithGeneralPadding(x, k, [1], [[0, 0]]), [21, 32], [1, 1, 2])
  })
})
