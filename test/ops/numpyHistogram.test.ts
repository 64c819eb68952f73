/**
 * histogram(_bin_edges), histogram2d, histogramdd, piecewise, applyAlongAxis, applyOverAxes and
 * maskIndices (src/ops/numpyExtra/histogram.ts, functional.ts): values against NumPy
 * (fixtures/numpyHistogram.py → numpyHistogram.json), gradients against float64 finite
 * differences, vmap/jit agreement, and argument errors.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as w from 'wengert'
import { array, checkGrads, jit, vmap, type NdArray, type NestedArray } from 'wengert'
import { expectClose, f64 } from './../transforms/helpers'

type Hist = { counts: number[]; edges: number[] }
const ref = JSON.parse(readFileSync(new URL('./fixtures/numpyHistogram.json', import.meta.url), 'utf8')) as Record<
  string,
  unknown
>
const arr = (k: string): NdArray => array(ref[k] as NestedArray, { dtype: 'float64' })
const [a, wts, edges, x2, y2, w2, s3, m] = ['a', 'w', 'edges', 'x2', 'y2', 'w2', 's3', 'm'].map(arr) as NdArray[] as [
  NdArray,
  NdArray,
  NdArray,
  NdArray,
  NdArray,
  NdArray,
  NdArray,
  NdArray,
]
const tol = { rtol: 1e-12, atol: 1e-12 }
const expectHist = (got: [NdArray, NdArray], key: string): void => {
  const r = ref[key] as Hist
  expectClose(got[0], r.counts, tol)
  expectClose(got[1], r.edges, tol)
}

describe('histogram against NumPy', () => {
  it('bin counts, ranges, edges, weights and density', () => {
    expectHist(w.histogram(a), 'hist_default')
    expectHist(w.histogram(a, 7), 'hist_7')
    expectHist(w.histogram(a, 5, { range: [-1, 1] }), 'hist_range')
    expectHist(w.histogram(a, { bins: 5, range: [-1, 1] }), 'hist_range')
    expectHist(w.histogram(a, edges, { weights: wts }), 'hist_edges_weights')
    expectHist(w.histogram(a, 6, { density: true }), 'hist_density')
    expectHist(w.histogram(a, edges, { weights: wts, density: true }), 'hist_edges_density_weights')
    expectClose(w.histogramBinEdges(f64([2, 2]), 4), ref.bin_edges_const as number[], tol)
    expectClose(w.histogramBinEdges(a, 7), (ref.hist_7 as Hist).edges, tol)
  })
  it('histogram2d and histogramdd', () => {
    const check = (got: NdArray[], key: string): void =>
      got.forEach((g, i) => expectClose(g, (ref[key] as NestedArray[])[i] as NestedArray, tol))
    check(w.histogram2d(x2, y2, 4), 'h2d')
    check(w.histogram2d(x2, y2, [3, edges], { weights: w2 }), 'h2d_pair_weights')
    check(
      w.histogram2d(x2, y2, 3, {
        range: [
          [-1, 1],
          [-2, 2],
        ],
        density: true,
      }),
      'h2d_range_density',
    )
    expectClose(w.histogramdd(s3, [2, 3, 4])[0], ref.hdd as NestedArray, tol)
    expectClose(w.histogramdd(s3, 3, { density: true })[0], ref.hdd_density as NestedArray, tol)
  })
  it('is differentiable in the weights (finite differences) and works under jit and vmap', () => {
    checkGrads((v: NdArray) => w.mul(w.histogram(a, edges, { weights: v, density: true })[0], edges.size).sum(), [wts])
    checkGrads((v: NdArray) => w.histogram2d(x2, y2, 3, { weights: v })[0].sum(), [w2])
    const counts = (v: NdArray): NdArray => w.histogram(a, edges, { weights: v })[0]
    expectClose(jit(counts)(wts), (ref.hist_edges_weights as Hist).counts, tol)
    const batched = vmap(counts)(w.stack([wts, w.mul(wts, 2)])).toArray() as number[][]
    expectClose(
      f64(batched[1] as number[]),
      (ref.hist_edges_weights as Hist).counts.map((v) => 2 * v),
      tol,
    )
    expectClose(jit((x: NdArray) => w.histogram(x, 7)[0])(a), (ref.hist_7 as Hist).counts, tol)
  })
  it('errors', () => {
    expect(() => w.histogram(a, 2.5)).toThrow(/bins/)
    expect(() => w.histogram(a, f64([[1, 2]]))).toThrow(/1-D/)
    expect(() => w.histogram(a, 3, { weights: f64([1, 2]) })).toThrow(/same shape/)
    expect(() => w.histogram(a, 3, { range: f64([1, 2, 3]) })).toThrow(/range/)
    expect(() => w.histogram(a, 3, { dens: true } as never)).toThrow(/density/)
    expect(() => w.histogramdd(s3, [2, 3])).toThrow(/bin for each dimension/)
    expect(() => w.histogramdd(s3, 2, { weights: f64([1, 2]) })).toThrow(/one weight for each sample/)
    expect(() => w.histogramdd(s3, 2, { range: [[0, 1]] })).toThrow(/range must be a sequence of 3/)
  })
})

describe('piecewise, applyAlongAxis, applyOverAxes, maskIndices against NumPy', () => {
  const conds = (x: NdArray): NdArray[] => [w.less(x, -0.5), w.greater(x, 0.5), w.greater(x, 1)]
  const funcs = [(v: NdArray) => w.mul(v, v), (v: NdArray) => w.sin(v), 3, (v: NdArray) => w.mul(v, 2)] as const
  it('piecewise: constants, default function, last condition wins', () => {
    expectClose(w.piecewise(a, conds(a), funcs), ref.piecewise as number[], tol)
    const nodef = w.piecewise(a, [w.less(a, 0), w.greater(a, 0.25)], [w.exp, (v: NdArray) => w.mul(v, 3)])
    expectClose(nodef, ref.piecewise_nodefault as number[], tol)
    expect(w.piecewise(f64([1, 2]), [f64([1, 0])], [(v: NdArray, k: number) => w.add(v, k)], 10).toArray()).toEqual([
      11, 0,
    ])
  })
  it('piecewise: gradients through the chosen functions, vmap and jit', () => {
    const x = f64([-1.3, -0.2, 0.7, 1.6])
    checkGrads((v: NdArray) => w.piecewise(v, conds(v), funcs).sum(), [x])
    const g = w
      .grad((v: NdArray) => w.piecewise(v, conds(v), funcs).sum())(x)
      .toArray() as number[]
    expectClose(f64(g), [-2.6, 2, Math.cos(0.7), 0], tol)
    const f = (v: NdArray): NdArray => w.piecewise(v, conds(v), funcs)
    expectClose(jit(f)(a), ref.piecewise as number[], tol)
    expectClose(w.take(vmap(f)(w.stack([a, a])), 1, 0), ref.piecewise as number[], tol)
    expect(() => w.piecewise(a, conds(a), [3])).toThrow(
      /with 3 condition\(s\), either 3 or 4 functions are expected; got 1/,
    )
  })
  it('applyAlongAxis and applyOverAxes', () => {
    expectClose(
      w.applyAlongAxis((v: NdArray) => w.sum(w.mul(v, v)), 0, m),
      ref.along0 as NestedArray,
      tol,
    )
    expectClose(
      w.applyAlongAxis((v: NdArray) => w.cumsum(v), 1, m),
      ref.along1 as NestedArray,
      tol,
    )
    const outer = (v: NdArray): NdArray => w.outer(v, w.slice(v, [[0, 2]]))
    const got = w.applyAlongAxis(outer, -1, m)
    expect(got.shape).toEqual([3, 4, 5, 2])
    expectClose(got, ref.along2_outer as NestedArray, tol)
    const over = w.applyOverAxes((v: NdArray, ax: number) => w.sum(v, ax), m, [0, 2])
    expectClose(over, ref.over_axes as NestedArray, { ...tol, shape: [1, 4, 1] })
    expect(() => w.applyOverAxes((v: NdArray) => w.sum(v), m, [0])).toThrow(/correct shape/)
    expect(() => w.applyAlongAxis((v: NdArray) => v, 3, m)).toThrow(/axis/)
  })
  it('maskIndices', () => {
    const same = (got: NdArray[], key: string): void =>
      expect(got.map((g) => g.toArray())).toEqual(ref[key] as number[][])
    same(w.maskIndices(4, w.triu, 1), 'mask_triu')
    same(w.maskIndices(4, w.tril, -1), 'mask_tril')
    expect(w.maskIndices(3, w.triu, 1, { size: 4 })[0]!.toArray()).toEqual([0, 0, 1, 0])
  })
})
