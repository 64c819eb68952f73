/**
 * lax.gather and the lax.scatter family against a loop over XLA's Gather/Scatter semantics in
 * NumPy (test/fixtures/lax/gather_scatter.json, made by scripts/fixtures/lax_gather_scatter.py):
 * windows, collapsed and batching dims, reordered start maps, the three out-of-bounds modes.
 * Derivatives by finite differences (checkGrads), the transpose of gather is scatter-add (an
 * inner-product identity), vmap and jit agree with the eager result, bad input is refused.
 */
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import {
  array,
  checkGrads,
  DTypeError,
  grad,
  jit,
  lax,
  mul,
  NotDifferentiableError,
  ShapeError,
  sum,
  ValueError,
  vmap,
  zeros,
  type NdArray,
} from '../../src/index'

interface Arr {
  readonly shape: number[]
  readonly data: Array<number | string>
}
type Dn = [number[], number[], number[], number[], number[]]
interface GatherCase {
  readonly x: Arr
  readonly idx: Arr
  readonly dn: Dn
  readonly sizes: number[]
  readonly mode: 'clip' | 'fill' | 'promise_in_bounds'
  readonly out: Arr
}
interface ScatterCase extends Omit<GatherCase, 'sizes'> {
  readonly kind: 'scatter' | 'scatter_add' | 'scatter_mul' | 'scatter_min' | 'scatter_max'
  readonly u: Arr
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/lax/gather_scatter.json', import.meta.url), 'utf8')) as {
  gather: GatherCase[]
  scatter: ScatterCase[]
}

const dec = (s: number | string): number => (typeof s === 'number' ? s : s === 'nan' ? NaN : Number(s))
const load = (a: Arr, dtype: 'float64' | 'int32' = 'float64'): NdArray =>
  array(a.data.map(dec), { dtype }).reshape(a.shape)
const gdn = (d: Dn): lax.GatherDimensionNumbers => ({
  offsetDims: d[0],
  collapsedSliceDims: d[1],
  startIndexMap: d[2],
  operandBatchingDims: d[3],
  startIndicesBatchingDims: d[4],
})
const sdn = (d: Dn): lax.ScatterDimensionNumbers => ({
  updateWindowDims: d[0],
  insertedWindowDims: d[1],
  scatterDimsToOperandDims: d[2],
  operandBatchingDims: d[3],
  scatterIndicesBatchingDims: d[4],
})
const SCATTER = {
  scatter: lax.scatter,
  scatter_add: lax.scatterAdd,
  scatter_mul: lax.scatterMul,
  scatter_min: lax.scatterMin,
  scatter_max: lax.scatterMax,
}
const expectClose = (got: NdArray, want: Arr): void => {
  expect(got.shape).toEqual(want.shape)
  const g = got.reshape([got.size]).toArray() as number[]
  const w = want.data.map(dec)
  const bad = g.map((v, i) => (Object.is(v, w[i]) || Math.abs(v - (w[i] as number)) < 1e-12 ? -1 : i))
  expect(bad.filter((i) => i >= 0).map((i) => [i, g[i], w[i]])).toEqual([])
}

describe('lax.gather', () => {
  it('matches the XLA-semantics loop in every mode (windows, collapsed, batching, reordered maps)', () => {
    for (const c of fixture.gather)
      expectClose(lax.gather(load(c.x), load(c.idx, 'int32'), gdn(c.dn), c.sizes, { mode: c.mode }), c.out)
  })
  it('GatherDimensionNumbers / ScatterDimensionNumbers fill the batching fields and check the others', () => {
    const g = lax.GatherDimensionNumbers({ offsetDims: [1], collapsedSliceDims: [0], startIndexMap: [0] })
    expect(g).toEqual({
      offsetDims: [1],
      collapsedSliceDims: [0],
      startIndexMap: [0],
      operandBatchingDims: [],
      startIndicesBatchingDims: [],
    })
    expect(() => lax.GatherDimensionNumbers({ offsetDims: [0.5] } as never)).toThrow(ValueError)
    expect(() =>
      lax.ScatterDimensionNumbers({
        updateWindowDims: [],
        insertedWindowDims: [],
        scatterDimsToOperandDims: [],
        x: 1,
      } as never),
    ).toThrow(/unknown field 'x'/)
  })
  it('defaults to promise_in_bounds (clamped) as JAX; fill uses fillValue or the dtype default', () => {
    const x = array([1, 2, 3], { dtype: 'int32' })
    const dn = { offsetDims: [], collapsedSliceDims: [0], startIndexMap: [0] }
    const idx = array([[5], [1]], { dtype: 'int32' })
    expect(lax.gather(x, idx, dn, [1]).toArray()).toEqual([3, 2])
    expect(lax.gather(x, idx, dn, [1], { mode: 'fill' }).toArray()).toEqual([-(2 ** 31), 2])
    expect(lax.gather(x, idx, dn, [1], { mode: lax.GatherScatterMode.FILL_OR_DROP, fillValue: 7 }).toArray()).toEqual([
      7, 2,
    ])
  })
  it('differentiates in the operand (checkGrads) and its transpose is scatter-add: <g(x), y> = <x, gᵀ(y)>', () => {
    for (const c of fixture.gather.filter((_, i) => i % 3 === 1)) {
      const idx = load(c.idx, 'int32')
      const f = (a: NdArray): NdArray => lax.gather(a, idx, gdn(c.dn), c.sizes, { mode: 'clip' })
      checkGrads(f, [load(c.x)])
      const x = load(c.x)
      const y = mul(f(x), 0.5).add(1)
      const gt = grad((a: NdArray) => sum(mul(f(a), y)))(x)
      expect(Number(sum(mul(gt, x)).item())).toBeCloseTo(Number(sum(mul(f(x), y)).item()), 10)
    }
  })
  it('agrees under jit and vmap (batched operand and indices)', () => {
    // the batching-dims case (the fourth), mode 'fill'
    const c = fixture.gather[10] as GatherCase
    expect([c.mode, c.dn[3]]).toEqual(['fill', [0]])
    const f = (a: NdArray, i: NdArray): NdArray => lax.gather(a, i, gdn(c.dn), c.sizes, { mode: 'fill' })
    const x = load(c.x)
    const idx = load(c.idx, 'int32')
    expectClose(jit(f)(x, idx), c.out)
    const xs = array([x.toArray(), mul(x, 2).toArray()] as number[][][], { dtype: 'float64' })
    const both = vmap(f)(xs, array([idx.toArray(), idx.toArray()] as number[][][], { dtype: 'int32' }))
    expectClose(both, {
      shape: [2, ...c.out.shape],
      data: [...c.out.data.map(dec), ...c.out.data.map((v) => 2 * dec(v))],
    })
  })
  it('refuses bad input naming the op, the shapes and what was expected', () => {
    const x = zeros([3, 4])
    const dn = { offsetDims: [1], collapsedSliceDims: [0], startIndexMap: [0] }
    const idx = array([[1]], { dtype: 'int32' })
    expect(() => lax.gather(x, array([[1.5]]), dn, [1, 4])).toThrow(DTypeError)
    expect(() => lax.gather(x, idx, dn, [1])).toThrow(/lax.gather: slice_sizes \(1,\) must have one entry per/)
    expect(() => lax.gather(x, idx, dn, [1, 5])).toThrow(/slice size 5 at index 1 must be in \[0, 4\]/)
    expect(() => lax.gather(x, idx, { ...dn, collapsedSliceDims: [1] }, [1, 2])).toThrow(ShapeError)
    expect(() => lax.gather(x, idx, { ...dn, startIndexMap: [0, 1] }, [1, 4])).toThrow(/start_index_map \(0, 1\)/)
    expect(() => lax.gather(x, idx, dn, [1, 4], { mode: 'wrap' as 'clip' })).toThrow(ValueError)
    expect(() => lax.gather(x, idx, dn, [1, 4], { fill: 1 } as never)).toThrow(ValueError)
  })
})

describe('lax.scatter family', () => {
  it('matches the XLA-semantics loop for every kind and mode (duplicates, windows, batching)', () => {
    for (const c of fixture.scatter) {
      const f = SCATTER[c.kind]
      expectClose(f(load(c.x), load(c.idx, 'int32'), load(c.u), sdn(c.dn), { mode: c.mode }), c.out)
    }
  })
  it('defaults to dropping out-of-bounds windows', () => {
    const dn = { updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0] }
    const y = lax.scatterAdd(zeros([3]), array([[3], [-1], [1]], { dtype: 'int32' }), array([1, 2, 4]), dn)
    expect(y.toArray()).toEqual([0, 4, 0])
  })
  it('differentiates as JAX defines (checkGrads in operand and updates; scatter_mul needs unique indices)', () => {
    for (const c of fixture.scatter.filter((s) => s.mode === 'fill' && s.kind !== 'scatter_mul')) {
      const idx = load(c.idx, 'int32')
      const f = SCATTER[c.kind]
      checkGrads((a: NdArray, u: NdArray) => f(a, idx, u, sdn(c.dn)), [load(c.x), load(c.u)], { order: 1 })
    }
    const dn = { updateWindowDims: [1], insertedWindowDims: [0], scatterDimsToOperandDims: [0] }
    const x = array(
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      { dtype: 'float64' },
    )
    const u = array(
      [
        [0.5, -1],
        [2, 3],
      ],
      { dtype: 'float64' },
    )
    const uniq = array([[2], [0]], { dtype: 'int32' })
    checkGrads((a: NdArray, v: NdArray) => lax.scatterMul(a, uniq, v, dn, { uniqueIndices: true }), [x, u])
    const dup = array([[2], [2]], { dtype: 'int32' })
    expect(() => grad((v: NdArray) => sum(lax.scatterMul(x, dup, v, dn)))(u)).toThrow(NotDifferentiableError)
    // only the winning duplicate of a scatter gets a cotangent
    const g = grad((v: NdArray) => sum(lax.scatter(x, dup, v, dn)))(u)
    expect(g.toArray()).toEqual([
      [0, 0],
      [1, 1],
    ])
  })
  it('agrees under jit and vmap', () => {
    const c = fixture.scatter.find((s) => s.kind === 'scatter_add' && s.mode === 'fill' && s.dn[3].length > 0)
    if (c === undefined) throw new Error('fixture lacks a batching scatter_add')
    const f = (a: NdArray, i: NdArray, u: NdArray): NdArray => lax.scatterAdd(a, i, u, sdn(c.dn))
    const [x, idx, u] = [load(c.x), load(c.idx, 'int32'), load(c.u)]
    expectClose(jit(f)(x, idx, u), c.out)
    const stack = (a: NdArray, dtype: 'float64' | 'int32' = 'float64'): NdArray =>
      array([a.toArray(), a.toArray()] as number[][], { dtype })
    const v = vmap(f)(stack(x), stack(idx, 'int32'), stack(u))
    expectClose(v, { shape: [2, ...c.out.shape], data: [...c.out.data, ...c.out.data] })
  })
  it('scatterApply applies func once per hit (eager and jit); clip and drop', () => {
    const dn = { updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0] }
    const idx = array([[0], [2], [2], [7]], { dtype: 'int32' })
    const f = (x: NdArray, i: NdArray): NdArray => lax.scatterApply(x, i, (v) => mul(v, 2), dn, { updateShape: [4] })
    const x = array([1, 1, 1], { dtype: 'float64' })
    expect(f(x, idx).toArray()).toEqual([2, 1, 4])
    expect(jit(f)(x, idx).toArray()).toEqual([2, 1, 4])
    const clip = lax.scatterApply(x, idx, (v) => mul(v, 2), dn, { updateShape: [4], mode: 'clip' })
    expect(clip.toArray()).toEqual([2, 1, 8])
  })
  it('refuses bad input naming the op, the shapes and what was expected', () => {
    const dn = { updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0] }
    const idx = array([[0], [1]], { dtype: 'int32' })
    expect(() => lax.scatter(zeros([3]), idx, array([1, 2], { dtype: 'int32' }), dn)).toThrow(
      'lax.scatter requires arguments to have the same dtypes, got float32, int32.',
    )
    expect(() => lax.scatterAdd(zeros([3]), idx, zeros([3]), dn)).toThrow(
      /lax.scatter_add: updates dimension 0 has size 3 but indices dimension 0 has size 2/,
    )
    expect(() => lax.scatterMax(zeros([3]), idx, zeros([2, 1]), dn)).toThrow(/updates must have rank 1/)
    expect(() => lax.scatterMin(zeros([3]), idx, zeros([2]), { ...dn, insertedWindowDims: [3] })).toThrow(ShapeError)
  })
})
