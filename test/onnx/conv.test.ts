/**
 * The convolution family exported (Conv, MaxPool, sum pools as Conv with ones, the max pool's
 * gradient pair from MaxPool's indices) and run in ONNX Runtime, against wengert's values:
 * forward passes and gradients over strides, padding (SAME, explicit, negative), dilations,
 * groups, and pools over non-trailing axes.
 */
import { describe, expect, it } from 'vitest'
import { grad, lax, mul, sin, sum, jvp, type NdArray } from 'wengert'
import { exportOnnx } from 'wengert/onnx'
import { expectClose, runOrt, grid } from '../helpers/ort'

/** [N=2, C=4, H=7, W=6] and [O=6, I=4, 3, 3] without ties. */
const X = grid([2, 4, 7, 6], (i) => Math.sin(1.3 * i + 0.2) + 0.01 * i)
const Wt = grid([6, 4, 3, 3], (i) => 0.3 * Math.cos(0.7 * i))
const Wg = grid([6, 2, 3, 3], (i) => 0.3 * Math.cos(0.9 * i + 1))

/** Exports `f` of (x, w), runs it in ONNX Runtime and compares with wengert. */
const check = async (f: (x: NdArray, w: NdArray) => NdArray, w: NdArray, tol = 1e-4): Promise<void> => {
  const out = await runOrt(exportOnnx(f, [X, w], { inputNames: ['x', 'w'], outputNames: ['y'] }), { x: X, w })
  expectClose(out.y, f(X, w), tol)
}

describe('conv_general_dilated → Conv', () => {
  const convs: ReadonlyArray<readonly [string, (x: NdArray, w: NdArray) => NdArray, NdArray]> = [
    ['VALID', (x, w) => lax.conv(x, w, [1, 1], 'VALID'), Wt],
    ['SAME, strides 2', (x, w) => lax.conv(x, w, [2, 2], 'SAME'), Wt],
    [
      'explicit and negative padding, dilations',
      (x, w) =>
        lax.convGeneralDilated(
          x,
          w,
          [1, 2],
          [
            [2, -1],
            [1, 0],
          ],
          { lhsDilation: [2, 1], rhsDilation: [1, 2] },
        ),
      Wt,
    ],
    ['two feature groups', (x, w) => lax.convGeneralDilated(x, w, [1, 1], 'SAME', { featureGroupCount: 2 }), Wg],
  ]
  it.each(convs)('%s: forward and both gradients', async (_, f, w) => {
    await check(f, w)
    await check((x, k) => grad((a: NdArray) => sum(sin(f(a, k))))(x), w)
    await check((x, k) => grad((b: NdArray) => sum(sin(f(x, b))))(k), w, 1e-3)
  })
})

describe('windowed reductions → MaxPool / Conv', () => {
  const pools: ReadonlyArray<readonly [string, (x: NdArray) => NdArray]> = [
    ['max pool 2×2', (x) => lax.reduceWindow(x, -Infinity, 'max', [1, 1, 2, 2], [1, 1, 2, 2], 'VALID')],
    ['max pool 3×3 stride 2 SAME', (x) => lax.reduceWindow(x, -Infinity, 'max', [1, 1, 3, 3], [1, 1, 2, 2], 'SAME')],
    ['min pool over axes 1 and 3', (x) => lax.reduceWindow(x, Infinity, 'min', [1, 2, 1, 3], [1, 2, 1, 1], 'VALID')],
    ['sum pool with padding', (x) => lax.reduceWindow(x, 0, 'sum', [1, 1, 3, 2], [1, 1, 1, 2], 'SAME')],
    [
      'sum pool with base and window dilation',
      (x) =>
        lax.reduceWindow(x, 0, 'sum', [1, 1, 2, 2], [1, 1, 1, 1], 'VALID', {
          baseDilation: [1, 1, 2, 1],
          windowDilation: [1, 1, 1, 2],
        }),
    ],
  ]
  it.each(pools)(
    '%s: forward, gradient and JVP (max/min: select_and_scatter_add, select_and_gather_add)',
    async (_, f) => {
      await check((x) => f(x), Wt)
      await check((x) => grad((a: NdArray) => sum(mul(f(a), f(a))))(x), Wt)
      await check((x) => jvp(f, [x], [sin(x)])[1], Wt)
    },
  )
})

describe('windowed max/min over windows holding NaN (MaxPool never picks NaN; wengert propagates it and selects by its scan)', () => {
  // NaN at a few scattered places, and one whole 2×2 window of NaN
  const nanAt = new Set([3, 17, 40, 41, 46, 47, 100, 251])
  const XN = grid([2, 4, 7, 6], (i) => (nanAt.has(i) ? NaN : Math.sin(1.3 * i + 0.2)))
  const pools: ReadonlyArray<readonly [string, (x: NdArray) => NdArray]> = [
    ['max pool 2×2', (x) => lax.reduceWindow(x, -Infinity, 'max', [1, 1, 2, 2], [1, 1, 2, 2], 'VALID')],
    ['max pool 3×3 stride 2 SAME', (x) => lax.reduceWindow(x, -Infinity, 'max', [1, 1, 3, 3], [1, 1, 2, 2], 'SAME')],
    ['min pool over axes 1 and 3', (x) => lax.reduceWindow(x, Infinity, 'min', [1, 2, 1, 3], [1, 2, 1, 1], 'VALID')],
  ]
  it.each(pools)('%s: the exported pool puts NaN where wengert does', async (_, f) => {
    const want = f(XN)
    const nans = Array.from(want.toTypedArray() as Float32Array).filter(Number.isNaN).length
    expect(nans).toBeGreaterThan(2)
    const out = await runOrt(exportOnnx(f, [XN], { inputNames: ['x'], outputNames: ['y'] }), { x: XN })
    expectClose(out.y, want)
  })

  // ties (values on a coarse lattice), NaN, and windows over padding, base dilation and cropping
  const XT = grid([2, 4, 7, 6], (i) => (nanAt.has(i) ? NaN : Math.round(2 * Math.sin(1.3 * i + 0.2)) / 2))
  const C = grid([2, 4, 7, 6], (i) => 1 + (i % 13))
  const selecting: ReadonlyArray<readonly [string, (x: NdArray) => NdArray]> = [
    ...pools,
    ['max pool 3×2 stride 1 SAME', (x) => lax.reduceWindow(x, -Infinity, 'max', [1, 1, 3, 2], [1, 1, 1, 1], 'SAME')],
    [
      'max pool with base dilation, window dilation and cropping',
      (x) =>
        lax.reduceWindow(
          x,
          -Infinity,
          'max',
          [1, 2, 2, 2],
          [1, 1, 2, 1],
          [
            [0, 0],
            [1, 0],
            [-1, 2],
            [0, -1],
          ],
          { baseDilation: [1, 1, 2, 1], windowDilation: [1, 1, 1, 2] },
        ),
    ],
  ]
  it.each(selecting)('%s: gradient and JVP select the element wengert selects (NaN, ties)', async (_, f) => {
    for (const x of [XN, XT]) {
      for (const dtype of ['float32', 'float64'] as const) {
        const xd = x.astype(dtype)
        const yShape = f(xd).shape
        const w = grid(yShape, (i) => 1 + (i % 7)).astype(dtype)
        const g = (a: NdArray, b: NdArray): NdArray => grad((v: NdArray) => sum(mul(f(v), b)))(a)
        const t = (a: NdArray, c: NdArray): NdArray => jvp(f, [a], [c])[1]
        const cd = C.astype(dtype)
        const og = await runOrt(exportOnnx(g, [xd, w], { inputNames: ['x', 'w'], outputNames: ['y'] }), { x: xd, w })
        expect(og.y).toEqual(Array.from(g(xd, w).toTypedArray()))
        const ot = await runOrt(exportOnnx(t, [xd, cd], { inputNames: ['x', 'c'], outputNames: ['y'] }), {
          x: xd,
          c: cd,
        })
        expect(ot.y).toEqual(Array.from(t(xd, cd).toTypedArray()))
      }
    }
  })
})
