/**
 * The tiled pooling loops (src/ndarray/kernels/conv/pool2d.ts: window = stride, no padding or
 * dilation) against the general 2-D loops of the same file, bit for bit: maxima and minima, and
 * select-and-scatter-add with ties, NaN and signed zeros, float32, float64 and int32, planes whose
 * size is not a multiple of the window (uncovered rows and columns) and one-axis windows.
 */
import { describe, expect, it } from 'vitest'
import { recycleBuffer } from '../../src/ndarray/bufferPool'
import { array } from '../../src/ndarray/create'
import type { DType } from '../../src/ndarray/dtype'
import type { NdArray } from '../../src/ndarray/NdArray'
import { argmaxPool2d, isTiled, maxPool2d, pool2dOf, type AxisPass } from '../../src/ndarray/kernels/conv/pool2d'
import { reduceWindow, selectAndScatterAdd, type ReduceWindowParams } from '../../src/ndarray/kernels/conv/reduceWindow'
import { axisTaps, windowOutSize } from '../../src/ndarray/kernels/conv/window'

/** Values with many ties, a few NaN (floats) and signed zeros, from a fixed generator. */
const values = (n: number, dtype: DType, seed: number): number[] => {
  let s = seed >>> 0
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    const r = s / 2 ** 32
    if (dtype !== 'int32' && r < 0.05) return NaN
    if (dtype !== 'int32' && r < 0.15) return -0
    return Math.floor(r * 7) - 3
  })
}

const params = (rank: number, win: [number, number]): ReduceWindowParams => {
  const w = [...new Array<number>(rank - 2).fill(1), ...win]
  return {
    windowDimensions: w,
    strides: w,
    padding: w.map(() => [0, 0] as [number, number]),
    baseDilation: w.map(() => 1),
    windowDilation: w.map(() => 1),
  }
}

/** The general loops' plan of the last two axes (`axisTaps` as the kernels build it). */
const planOf = (shape: ReadonlyArray<number>, win: [number, number]) => {
  const r = shape.length
  const passes: AxisPass[] = win.map((k, i) => {
    const n = shape[r - 2 + i] as number
    const outN = windowOutSize(n, k, k, 0, 0, 1, 1)
    return { axis: r - 2 + i, n, k, outN, taps: axisTaps(n, k, outN, k, 0, 1, 1) }
  })
  const plan = pool2dOf(passes, shape)
  if (plan === null) throw new Error('no 2-D plan')
  return plan
}

const bits = (x: NdArray): string[] => Array.from(x.toTypedArray(), (v) => (Object.is(v, -0) ? '-0' : String(v)))

const CASES: Array<{ shape: number[]; win: [number, number] }> = [
  { shape: [2, 3, 8, 8], win: [2, 2] },
  { shape: [3, 7, 9], win: [2, 2] },
  { shape: [2, 8, 7], win: [3, 3] },
  { shape: [4, 6], win: [1, 2] },
  { shape: [5, 6], win: [2, 1] },
  { shape: [1, 1], win: [2, 2] },
]

describe('tiled pooling loops', () => {
  for (const dtype of ['float32', 'float64', 'int32'] as const)
    for (const { shape, win } of CASES) {
      const n = shape.reduce((a, b) => a * b, 1)
      const name = `${dtype} ${shape.join('×')} window ${win.join('×')}`
      const x = array(values(n, dtype, n + win[0]), { shape, dtype })
      const p = params(shape.length, win)
      const plan = planOf(shape, win)

      it(`${name}: max and min equal the general loops`, () => {
        expect(isTiled(plan)).toBe(true)
        for (const [op, sign] of [
          ['max', 1],
          ['min', -1],
        ] as const) {
          const general = Array.from(maxPool2d(x._data, plan, sign), (v) => sign * v)
          const want = bits(array(general, { shape: [general.length], dtype }))
          expect(bits(reduceWindow(op, x, p))).toEqual(want)
        }
      })

      it(`${name}: select-and-scatter-add equals scattering the general selection into zeros`, () => {
        const sel = argmaxPool2d(x._data, plan)
        const src = values(sel.length, dtype, 7).map((v) => (Number.isNaN(v) ? 2.5 : v))
        const want = new Array<number>(n).fill(0)
        sel.forEach((j, k) => {
          if (j >= 0) want[j] = (want[j] as number) + (src[k] as number)
        })
        const outShape = [...shape.slice(0, -2), plan.h.outN, plan.w.outN]
        const got = selectAndScatterAdd(array(src, { shape: outShape, dtype }), x, p)
        expect(bits(got)).toEqual(bits(array(want, { shape, dtype })))
      })
    }

  it('a recycled (dirty) output buffer is fully written: uncovered rows and columns are 0', () => {
    // 129×129 float32 is large enough to be pooled: hand the pool a buffer full of 7s first
    const shape = [129, 129]
    const n = 129 * 129
    const x = array(values(n, 'float32', 3), { shape, dtype: 'float32' })
    const src = array(new Array<number>(64 * 64).fill(1), { shape: [64, 64], dtype: 'float32' })
    recycleBuffer(new Float32Array(n).fill(7).buffer)
    const got = selectAndScatterAdd(src, x, params(2, [2, 2])).toTypedArray()
    let sevens = 0
    for (let i = 0; i < n; i++) if (got[i] === 7) sevens++
    expect(sevens).toBe(0)
    expect(Array.from(got as ArrayLike<number>).reduce((a, b) => a + b, 0)).toBe(64 * 64)
  })

  it('overlapping, padded or dilated windows are not tiled', () => {
    const shape = [6, 6]
    const mk = (k: number, s: number, lo: number, wd: number): AxisPass => {
      const outN = windowOutSize(6, k, s, lo, 0, 1, wd)
      return { axis: 1, n: 6, k, outN, taps: axisTaps(6, k, outN, s, lo, 1, wd) }
    }
    for (const pass of [mk(2, 1, 0, 1), mk(2, 2, 1, 1), mk(2, 2, 0, 2)]) {
      const plan = pool2dOf([pass], shape)
      expect(plan !== null && isTiled(plan)).toBe(false)
    }
  })
})
