/**
 * The convolution and window kernels (src/ndarray/kernels/conv): values against PyTorch
 * (test/fixtures/ndarray/conv_kernels.json, written by scripts/fixtures/conv_kernels.py),
 * identities for what PyTorch has no direct counterpart of (batch groups, base dilation,
 * chunked panels, ties), and typed errors.
 */
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { array } from '../../src/ndarray/create'
import { DTypeError, ShapeError, ValueError } from '../../src/ndarray/errors'
import type { NdArray, NestedArray } from '../../src/ndarray/NdArray'
import { convGeneralDilated, setConvPanelMax, type ConvParams } from '../../src/ndarray/kernels/conv/convGeneral'
import {
  reduceWindow,
  selectAndScatterAdd,
  windowArgmax,
  type ReduceWindowParams,
} from '../../src/ndarray/kernels/conv/reduceWindow'
import { expectClose } from './expect'

const FX = JSON.parse(
  readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'ndarray', 'conv_kernels.json'), 'utf8'),
) as {
  conv: Array<{
    name: string
    lhs: NestedArray
    rhs: NestedArray
    windowStrides: number[]
    padding: Array<[number, number]>
    rhsDilation: number[]
    featureGroupCount: number
    out: NestedArray
  }>
  convTranspose2d: {
    lhs: NestedArray
    weight: number[][][][]
    stride: number
    padding: number
    outputPadding: number
    out: NestedArray
  }
  pool: Array<{
    name: string
    x: NestedArray
    windowDimensions: number[]
    strides: number[]
    padding: Array<[number, number]>
    windowDilation: number[]
    [key: string]: unknown
  }>
}

const f64 = (x: NestedArray): NdArray => array(x as number[], { dtype: 'float64' })
const f32 = (x: NestedArray): NdArray => array(x as number[], { dtype: 'float32' })
const ones = (n: number): number[] => new Array<number>(n).fill(1)
const convParams = (nsp: number, p: Partial<ConvParams> = {}): ConvParams => ({
  windowStrides: ones(nsp),
  padding: new Array(nsp).fill([0, 0]),
  lhsDilation: ones(nsp),
  rhsDilation: ones(nsp),
  featureGroupCount: 1,
  batchGroupCount: 1,
  ...p,
})

/** Deterministic values in [-1, 1). */
const rand = (seed: number, n: number): number[] => {
  let s = seed >>> 0
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 31 - 1
  })
}
const randArray = (seed: number, shape: number[]): NdArray =>
  array(
    rand(
      seed,
      shape.reduce((a, b) => a * b, 1),
    ),
    { dtype: 'float64', shape },
  )

describe('convGeneralDilated', () => {
  it.each(FX.conv.map((c) => [c.name, c] as const))('matches PyTorch: %s (float64 and float32)', (_name, c) => {
    const p = convParams(c.windowStrides.length, {
      windowStrides: c.windowStrides,
      padding: c.padding,
      rhsDilation: c.rhsDilation,
      featureGroupCount: c.featureGroupCount,
    })
    expectClose(convGeneralDilated(f64(c.lhs), f64(c.rhs), p), c.out, { dtype: 'float64', rtol: 1e-12, atol: 1e-12 })
    expectClose(convGeneralDilated(f32(c.lhs), f32(c.rhs), p), c.out, { dtype: 'float32', rtol: 1e-4, atol: 1e-4 })
  })

  it('matches PyTorch conv_transpose2d through lhs dilation and a flipped, swapped kernel', () => {
    const c = FX.convTranspose2d
    const w = c.weight // [Cin, Cout, kh, kw]
    const k = w[0]![0]!.length
    // rhs[o, i, a, b] = w[i, o, k−1−a, k−1−b]
    const rhs = w[0]!.map((_, o) => w.map((wi) => wi[o]!.map((_, a) => wi[o]![k - 1 - a]!.slice().reverse())))
    const lo = k - 1 - c.padding
    const p = convParams(2, {
      lhsDilation: [c.stride, c.stride],
      padding: [
        [lo, lo + c.outputPadding],
        [lo, lo + c.outputPadding],
      ],
    })
    expectClose(convGeneralDilated(f64(c.lhs), f64(rhs), p), c.out, { rtol: 1e-12, atol: 1e-12 })
  })

  it('gives the same result when the im2col panel is split into column chunks', () => {
    const c = FX.conv[4]!
    const p = convParams(2, { windowStrides: c.windowStrides })
    const prev = setConvPanelMax(45 * 7)
    try {
      expectClose(convGeneralDilated(f64(c.lhs), f64(c.rhs), p), c.out, { rtol: 1e-12, atol: 1e-12 })
    } finally {
      setConvPanelMax(prev)
    }
  })

  it('batch_group_count B: output channel group b convolves input images b·(N/B)… with its filters', () => {
    // Arrange: N = 4 images, B = 2 batch groups, O = 6 filters (3 per group)
    const lhs = randArray(1, [4, 2, 5, 5])
    const rhs = randArray(2, [6, 2, 3, 3])
    const p = convParams(2, {
      padding: [
        [1, 0],
        [0, 1],
      ],
      windowStrides: [2, 1],
    })
    // Act
    const out = convGeneralDilated(lhs, rhs, { ...p, batchGroupCount: 2 })
    // Assert: equals two ordinary convolutions concatenated along the channel axis
    const slice = (x: NdArray, from: number, to: number): NdArray => f64((x.toArray() as NestedArray[]).slice(from, to))
    const g0 = convGeneralDilated(slice(lhs, 0, 2), slice(rhs, 0, 3), p).toArray() as NestedArray[][]
    const g1 = convGeneralDilated(slice(lhs, 2, 4), slice(rhs, 3, 6), p).toArray() as NestedArray[][]
    expect(out.shape).toEqual([2, 6, 2, 4])
    expectClose(
      out,
      g0.map((img, n) => [...img, ...g1[n]!]),
      { rtol: 1e-14, atol: 1e-14 },
    )
  })

  it('handles an output with zero positions and a 1-D identity kernel', () => {
    const x = f64([[[1, 2, 3]]])
    expect(convGeneralDilated(x, f64([[[1, 1, 1, 1]]]), convParams(1)).shape).toEqual([1, 1, 0])
    expectClose(convGeneralDilated(x, f64([[[1]]]), convParams(1, { lhsDilation: [2] })), [[[1, 0, 2, 0, 3]]])
  })

  it('raises typed errors naming the op and shapes', () => {
    const x = f64([[[1, 2, 3]]])
    expect(() => convGeneralDilated(x, f32([[[1]]]), convParams(1))).toThrow(DTypeError)
    expect(() => convGeneralDilated(x, f64([[1]]), convParams(1))).toThrow(/conv_general_dilated: expected lhs/)
    expect(() => convGeneralDilated(x, f64([[[1], [1]]]), convParams(1))).toThrow(ShapeError)
    expect(() => convGeneralDilated(x, f64([[[1]]]), convParams(1, { windowStrides: [0] }))).toThrow(ValueError)
    expect(() => convGeneralDilated(x, f64([[[1]]]), convParams(2))).toThrow(/expected 1 window strides/)
    expect(() =>
      convGeneralDilated(
        f64([[[1]], [[2]]]),
        f64([[[1]], [[1]]]),
        convParams(1, { featureGroupCount: 2, batchGroupCount: 2 }),
      ),
    ).toThrow(ValueError)
  })
})

describe('reduceWindow, windowArgmax, selectAndScatterAdd', () => {
  const poolParams = (c: (typeof FX.pool)[number]): ReduceWindowParams => ({
    windowDimensions: c.windowDimensions,
    strides: c.strides,
    padding: c.padding,
    baseDilation: ones(c.windowDimensions.length),
    windowDilation: c.windowDilation,
  })

  it('max and min match PyTorch max_pool2d; sum matches avg_pool1d × window size', () => {
    const [mp, ap] = FX.pool as [(typeof FX.pool)[number], (typeof FX.pool)[number]]
    expectClose(reduceWindow('max', f64(mp.x), poolParams(mp)), mp['max'] as NestedArray, { atol: 0, rtol: 0 })
    expectClose(reduceWindow('min', f64(mp.x), poolParams(mp)), mp['min'] as NestedArray, { atol: 0, rtol: 0 })
    expectClose(reduceWindow('max', f32(mp.x), poolParams(mp)), mp['max'] as NestedArray, {
      dtype: 'float32',
      rtol: 1e-7,
    })
    expectClose(reduceWindow('sum', f64(ap.x), poolParams(ap)), ap['sum'] as NestedArray, { rtol: 1e-14, atol: 1e-14 })
  })

  it('selects what PyTorch return_indices does and scatters like its max_pool2d backward', () => {
    const mp = FX.pool[0]!
    const x = f64(mp.x)
    const arg = windowArgmax(x, poolParams(mp))
    const plane = 7 * 8
    expect(Array.from(arg.toTypedArray()).map((i) => i % plane)).toEqual((mp['indices'] as number[][][][]).flat(3))
    expectClose(
      selectAndScatterAdd(f64(mp['cotangent'] as NestedArray), x, poolParams(mp)),
      mp['grad'] as NestedArray,
      {
        rtol: 1e-14,
        atol: 1e-14,
      },
    )
  })

  it('ties go to the first maximum (XLA select with ge), and all-padding windows select nothing', () => {
    const p: ReduceWindowParams = {
      windowDimensions: [2],
      strides: [1],
      padding: [[2, 0]],
      baseDilation: [1],
      windowDilation: [1],
    }
    const x = f64([5, 5, 1])
    expect(Array.from(windowArgmax(x, p).toTypedArray())).toEqual([-1, 0, 0, 1])
    expectClose(selectAndScatterAdd(f64([10, 20, 30, 40]), x, p), [50, 40, 0])
    expectClose(reduceWindow('max', x, p), [-Infinity, 5, 5, 5])
  })

  it('base dilation equals reducing the explicitly dilated array (holes hold the identity)', () => {
    const x = f64([
      [1, -2, 3],
      [4, 5, -6],
    ])
    const dilated = [
      [1, NaN, -2, NaN, 3],
      [NaN, NaN, NaN, NaN, NaN],
      [4, NaN, 5, NaN, -6],
    ]
    const p: ReduceWindowParams = {
      windowDimensions: [2, 2],
      strides: [1, 2],
      padding: [
        [0, 1],
        [1, 0],
      ],
      baseDilation: [2, 2],
      windowDilation: [1, 1],
    }
    for (const [op, hole] of [
      ['sum', 0],
      ['max', -Infinity],
      ['min', Infinity],
    ] as const) {
      const filled = dilated.map((row) => row.map((v) => (Number.isNaN(v) ? hole : v)))
      const noDil = { ...p, baseDilation: [1, 1] }
      expectClose(reduceWindow(op, x, p), reduceWindow(op, f64(filled), noDil).toArray())
    }
  })

  it('propagates NaN through max, and raises typed errors', () => {
    const p: ReduceWindowParams = {
      windowDimensions: [2],
      strides: [2],
      padding: [[0, 0]],
      baseDilation: [1],
      windowDilation: [1],
    }
    expectClose(reduceWindow('max', f64([NaN, 1, 2, 3]), p), [NaN, 3])
    expect(() => reduceWindow('max', f64([[1, 2]]), p)).toThrow(/reduce_window_max: expected 2 window strides/)
    expect(() => reduceWindow('sum', array([true, false]), p)).toThrow(DTypeError)
    expect(() => selectAndScatterAdd(f64([1, 2, 3]), f64([1, 2, 3, 4]), p)).toThrow(
      /select_and_scatter_add: expected source of the windowed output shape \[2\], got \[3\]/,
    )
  })
})
