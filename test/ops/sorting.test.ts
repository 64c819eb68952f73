/**
 * Sorting and running scans (src/ops/sorting.ts, src/ops/scans.ts, src/ops/laxScans.ts) against
 * NumPy 1.24 (test/ops/fixtures/sorting.py → sorting.json): NaN order, stability of ties in
 * both directions, −0/+0; gradients against float64 central differences (checkGrads, orders 1
 * and 2) including cumprod at zeros and cumlogsumexp at large values; vmap and jit; bad inputs.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  argpartition,
  argsort,
  array,
  checkGrads,
  cumprod,
  diff,
  grad,
  jit,
  lax,
  lexsort,
  mul,
  type NdArray,
  partition,
  searchsorted,
  sort,
  sum,
  vmap,
} from 'wengert'
import { expectClose, f64 } from '../transforms/helpers'

type Nested = number | string | boolean | ReadonlyArray<Nested>
const ref = JSON.parse(readFileSync(new URL('./fixtures/sorting.json', import.meta.url), 'utf8')) as Record<
  string,
  Nested
>
/** A fixture value with "NaN"/"Infinity" strings turned back into numbers. */
const num = (v: Nested): Nested => (Array.isArray(v) ? v.map(num) : typeof v === 'string' ? Number(v) : v)
const R = (key: string): number[] => num(ref[key] as Nested) as unknown as number[]
const X = f64([
  [3, -1, NaN, 2, -0, 0, 2],
  [1, 1, -5, NaN, 7, 1, -2],
])

describe('sort, argsort, lexsort, partition', () => {
  it('sort along an axis, axis 0 and flattened equal NumPy (NaN last, −0 before +0 kept in order)', () => {
    expectClose(sort(X), R('np_sort_axis1'))
    expectClose(sort(X, { axis: 0 }), R('np_sort_axis0'))
    expectClose(sort(X, null), R('np_sort_flat'))
    const signs = (sort(X).toArray() as number[][])[0]?.slice(1, 3).map((v) => Object.is(v, -0))
    expect(signs).toEqual([true, false])
  })

  it('argsort is stable in both directions and returns int32', () => {
    expect(argsort(X).toArray()).toEqual(R('np_argsort_axis1'))
    const ties = f64([2, 1, 2, 1, 3, 2])
    expect(argsort(ties).toArray()).toEqual(R('np_argsort_ties'))
    expect(argsort(ties, { descending: true }).toArray()).toEqual(R('np_argsort_ties_desc'))
    expect(argsort(ties).dtype).toBe('int32')
    expect(sort(ties, { descending: true }).toArray()).toEqual([3, 2, 2, 2, 1, 1])
  })

  it('lexsort (last key primary), partition and argpartition', () => {
    expect(lexsort([array([3, 1, 2, 1, 0]), array([1, 0, 1, 0, 1])]).toArray()).toEqual(R('np_lexsort'))
    expect(
      lexsort(
        array([
          [3, 1, 2, 1, 0],
          [1, 0, 1, 0, 1],
        ]),
      ).toArray(),
    ).toEqual(R('np_lexsort'))
    const p = partition(f64([5, 1, 4, 2, 3]), 3).toArray() as number[]
    expect(p[3]).toBe(4)
    expect(argpartition(f64([5, 1, 4, 2, 3]), -1).toArray()).toEqual([1, 3, 4, 2, 0])
  })

  it('searchsorted: left, right, NaN last, sorter', () => {
    const a = f64([1, 2, 2, 3, NaN])
    const v = f64([
      [0, 2, 2.5],
      [3, 9, NaN],
    ])
    expect(searchsorted(a, v).toArray()).toEqual(R('np_searchsorted_left'))
    expect(searchsorted(a, v, { side: 'right' }).toArray()).toEqual(R('np_searchsorted_right'))
    const sorter = argsort(f64([3, 1, 2]))
    expect(searchsorted(f64([3, 1, 2]), f64([0.5, 2, 3.5]), { sorter }).toArray()).toEqual(R('np_searchsorted_sorter'))
    expect(jit((q: NdArray) => searchsorted(a, q))(v).toArray()).toEqual(R('np_searchsorted_left'))
  })

  it('gradients through the permutation (orders 1 and 2), under vmap and jit', () => {
    const x = f64([
      [0.3, -1.2, 2.5, 0.7],
      [1.1, 0.2, -0.4, 3.3],
    ])
    const w = f64([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
    ])
    const f = (a: NdArray): NdArray => sum(mul(sort(mul(a, a), { axis: 1, descending: true }), w))
    checkGrads(f, [x])
    checkGrads((a: NdArray) => sum(mul(sort(a, 0), w)), [x])
    const g = grad(f)(x)
    // d/dr Σ sort(r²)·w = 2·r·(w at r²'s rank)
    expectClose(vmap(grad((r: NdArray) => sum(mul(sort(mul(r, r)), f64([1, 2, 3, 4])))))(x), [
      [2 * 0.3 * 1, 2 * -1.2 * 3, 2 * 2.5 * 4, 2 * 0.7 * 2],
      [2 * 1.1 * 3, 2 * 0.2 * 1, 2 * -0.4 * 2, 2 * 3.3 * 4],
    ])
    expectClose(jit(grad(f))(x), g.toArray() as number[][])
  })

  it('bad inputs', () => {
    expect(() => sort(X, 2)).toThrow(/axis 2 is out of bounds/)
    expect(() => sort(X, { axes: 1 } as never)).toThrow(/did you mean 'axis'/)
    expect(() => partition(f64([1, 2]), 2)).toThrow(/kth\(=2\) out of bounds/)
    expect(() => searchsorted(f64([[1]]), f64([1]))).toThrow(/1-dimensional/)
    expect(() => searchsorted(f64([1]), f64([1]), { side: 'middle' as never })).toThrow(/'left' or 'right'/)
    expect(() => lexsort([f64([1, 2]), f64([1])])).toThrow(/same shape/)
  })
})

describe('running scans and diff', () => {
  const c = f64([
    [1, 2, 0, 4],
    [-1, 3, 2, 0.5],
  ])

  it('cumprod, cummax, cummin, cumlogsumexp equal NumPy (NaN propagates, no overflow)', () => {
    expectClose(cumprod(c, 1), R('np_cumprod_axis1'))
    expectClose(cumprod(c, { axis: 1, reverse: true }), R('np_cumprod_reverse'))
    expectClose(lax.cumprod(c, { axis: -1 }), R('np_cumprod_axis1'))
    expectClose(lax.cummax(X, 1), R('np_cummax_axis1'))
    expectClose(lax.cummin(X, 1), R('np_cummin_axis1'))
    expectClose(lax.cumlogsumexp(f64([0, 1000, -3, 1000])), R('np_cumlogsumexp'))
    expect(cumprod(array([true, true])).dtype).toBe('int32')
  })

  it('gradients against float64 finite differences: cumprod with zeros, cummax/cummin paths, cumlogsumexp', () => {
    const z = f64([
      [0.5, 0, 2, -1.5, 0],
      [1.2, -0.7, 0, 0.9, 1.1],
    ])
    for (const reverse of [false, true]) {
      checkGrads((a: NdArray) => lax.cumprod(a, { axis: 1, reverse }), [z])
      checkGrads((a: NdArray) => lax.cumlogsumexp(a, { axis: 1, reverse }), [z])
      checkGrads(
        (a: NdArray) => lax.cummax(a, { axis: 0, reverse }),
        [
          f64([
            [0.5, 3, 2],
            [1.5, -1, 2.5],
          ]),
        ],
      )
      checkGrads(
        (a: NdArray) => lax.cummin(a, { axis: 1, reverse }),
        [
          f64([
            [0.5, 3, 0.2],
            [1.5, -1, 2.5],
          ]),
        ],
      )
    }
    // at large values the rule stays finite
    const big = grad((a: NdArray) => sum(lax.cumlogsumexp(a)))(f64([0, 1000, -3, 1000]))
    // ∂/∂xⱼ Σᵢ yᵢ = Σ_{i≥j} e^(xⱼ−yᵢ), y = [0, 1000, 1000, 1000 + log 2]
    expectClose(big, [1, 2.5, 0, 0.5], { atol: 1e-6 })
  })

  it('scans under vmap and jit equal the eager results', () => {
    const z = f64([
      [0.5, 0, 2, -1.5],
      [1.2, -0.7, 0, 0.9],
    ])
    for (const f of [lax.cumprod, lax.cummax, lax.cummin, lax.cumlogsumexp]) {
      const eager = f(z, { axis: 0 }).toArray() as number[][]
      expectClose(vmap((r: NdArray) => f(r), { inAxes: 1, outAxes: 1 })(z), eager)
      expectClose(jit((a: NdArray) => f(a, 0))(z), eager)
    }
  })

  it('lax.topK values, indices and gradient', () => {
    const [v, i] = lax.topK(
      f64([
        [1, 4, 2, 4],
        [NaN, 0, 5, -1],
      ]),
      2,
    )
    expectClose(v, [
      [4, 4],
      [NaN, 5],
    ])
    expect(i.toArray()).toEqual([
      [1, 3],
      [0, 2],
    ])
    expect(i.dtype).toBe('int32')
    checkGrads(
      (a: NdArray) => lax.topK(a, 2)[0],
      [
        f64([
          [0.3, 2, -1, 1.5],
          [1, 0, 0.5, -2],
        ]),
      ],
    )
    expect(() => lax.topK(f64([1, 2]), 3)).toThrow(/k argument to top_k must be no larger than size along axis/)
    expect(() => lax.topK(f64([1, 2]), -1)).toThrow('k argument to top_k must be nonnegative, got -1')
  })

  it('diff equals NumPy (n, axis, prepend/append, bool)', () => {
    const d = f64([
      [1, 4, 9, 16],
      [2, -1, 0, 5],
    ])
    expectClose(diff(d), R('np_diff'))
    const d2 = f64([
      [1, 4, 9, 16],
      [2, -1, 0, 5],
      [1, 16, 81, 256],
      [4, 1, 0, 25],
    ])
    expectClose(diff(d2, { n: 2, axis: 0 }), R('np_diff_n2_axis0'))
    expectClose(diff(d, { prepend: 0, append: f64([[1], [2]]) }), R('np_diff_prepend_append'))
    expect(diff(array([true, true, false, true])).toArray()).toEqual(R('np_diff_bool'))
    expect(() => diff(d, { n: -1 })).toThrow('order must be non-negative but got -1')
    expect(() => diff(f64(1))).toThrow(/at least one dimensional/)
  })
})
