/**
 * ravel, append, delete, insert, arraySplit, hsplit/vsplit/dsplit, isin, fliplr/flipud, tri,
 * ediff1d, nanargmax/nanargmin (src/ops/numpyExtra/edit.ts) against NumPy
 * (test/ops/fixtures/numpyEdit.py → numpyEdit.json); gradients against float64 central
 * differences (checkGrads); vmap against a loop; bad inputs.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as W from 'wengert'
import {
  append,
  array,
  arraySplit,
  checkGrads,
  delete_,
  dsplit,
  ediff1d,
  fliplr,
  flipud,
  hsplit,
  insert,
  isin,
  nanargmax,
  nanargmin,
  type NdArray,
  type NestedArray,
  ravel,
  tri,
  vmap,
  vsplit,
} from 'wengert'

type J = NestedArray
const fx = JSON.parse(readFileSync(new URL('./fixtures/numpyEdit.json', import.meta.url), 'utf8'), (_, v: unknown) =>
  v === 'NaN' ? NaN : v,
) as Record<string, J>
const d64 = (v: J): NdArray => array(v, { dtype: 'float64' })
const A = d64(fx['A'] as J)
const B = d64(fx['B'] as J)
const N = d64(fx['N'] as J)
const parts = (ps: NdArray[]): J[] => ps.map((p) => p.toArray() as J)

describe('numpy editing names against NumPy', () => {
  it('ravel, append, delete, insert', () => {
    expect(ravel(B).toArray()).toEqual(fx['ravel'])
    expect(append(A, d64([1, 2])).toArray()).toEqual(fx['append_flat'])
    expect(append(A, W.lax.sliceInDim(A, 0, 1, 1, 1), { axis: 1 }).toArray()).toEqual(fx['append_ax1'])
    expect(delete_(A, [0, 5, -1]).toArray()).toEqual(fx['delete_flat'])
    expect(delete_(A, 1, { axis: 0 }).toArray()).toEqual(fx['delete_ax0'])
    expect(delete_(A, [3, 0, 3], { axis: 1 }).toArray()).toEqual(fx['delete_ax1_rep'])
    expect((W as unknown as Record<string, unknown>)['delete']).toBe(delete_)
    expect(insert(A, 2, d64([7, 8])).toArray()).toEqual(fx['insert_flat'])
    expect(insert(A, 1, 9, { axis: 1 }).toArray()).toEqual(fx['insert_scalar_ax1'])
    expect(insert(A, [1, 1, 4], d64([7, 8, 9]), { axis: 1 }).toArray()).toEqual(fx['insert_list_ax1'])
    expect(insert(A, 3, d64([[7, 8, 9, 10]]), { axis: 0 }).toArray()).toEqual(fx['insert_block_ax0'])
    expect(insert(A, [-1], d64([5]), { axis: 1 }).toArray()).toEqual(fx['insert_neg'])
  })
  it('the split helpers', () => {
    expect(parts(arraySplit(d64([0, 1, 2, 3, 4, 5, 6]), 3))).toEqual(fx['array_split'])
    expect(parts(arraySplit(A, 3, 1))).toEqual(fx['array_split_ax1'])
    expect(parts(hsplit(A, 2))).toEqual(fx['hsplit'])
    expect(parts(hsplit(d64([0, 1, 2, 3, 4, 5]), [2, 3]))).toEqual(fx['hsplit1d'])
    expect(parts(vsplit(A, [1]))).toEqual(fx['vsplit'])
    expect(parts(dsplit(B, 2))).toEqual(fx['dsplit'])
  })
  it('isin, fliplr, flipud, tri, ediff1d, nanargmax, nanargmin', () => {
    expect(isin(A, d64([3, 7, 100])).toArray()).toEqual(fx['isin'])
    expect(isin(A, [3, 7], { invert: true }).toArray()).toEqual(fx['isin_invert'])
    expect(fliplr(A).toArray()).toEqual(fx['fliplr'])
    expect(flipud(A).toArray()).toEqual(fx['flipud'])
    expect(tri(3, { M: 5, k: -1, dtype: 'float64' }).toArray()).toEqual(fx['tri'])
    expect(tri(4, { M: 2, k: 1 }).toArray()).toEqual(fx['tri_k'])
    expect(ediff1d(A, { toBegin: d64([-1]), toEnd: d64([5, 6]) }).toArray()).toEqual(fx['ediff1d'])
    expect(nanargmax(N).item()).toBe(fx['nanargmax'])
    expect(nanargmin(N, { axis: 1 }).toArray()).toEqual(fx['nanargmin_ax1'])
    expect(nanargmax(N, { axis: 0 }).toArray()).toEqual(fx['nanargmax_ax0'])
    // JAX (not NumPy, which raises) gives −1 for an all-NaN slice
    expect(
      nanargmax(
        d64([
          [NaN, NaN],
          [1, 0],
        ]),
        { axis: 1 },
      ).toArray(),
    ).toEqual([-1, 0])
  })
})

describe('gradients and vmap', () => {
  it('delete, insert, append, ediff1d are differentiable', () => {
    checkGrads((a: NdArray) => delete_(a, [0, 2], { axis: 1 }), [A])
    checkGrads((a: NdArray, v: NdArray) => insert(a, [1, 1, 4], v, { axis: 1 }), [A, d64([7, 8, 9])])
    checkGrads((a: NdArray, v: NdArray) => insert(a, 2, v), [A, d64([7, 8])])
    checkGrads((a: NdArray, v: NdArray) => append(a, v), [A, d64([1, 2])])
    checkGrads((a: NdArray, b: NdArray) => ediff1d(a, { toBegin: b }), [A, d64([1])])
  })
  it('vmap equals a loop', () => {
    const f = (r: NdArray): NdArray => insert(delete_(r, 0), [0, 2], d64([-1, -2]))
    const loop = [0, 1, 2].map((i) => f(W.lax.sliceInDim(A, i, i + 1, 1, 0).reshape([4])).toArray())
    expect(vmap(f)(A).toArray()).toEqual(loop)
    expect(vmap((r: NdArray) => nanargmax(r))(N).toArray()).toEqual([2, 1])
    expect(vmap((r: NdArray) => isin(r, d64([3, 7])))(A).toArray()).toEqual(fx['isin'])
  })
})

describe('bad inputs', () => {
  it('names the op and the problem', () => {
    expect(() => delete_(A, 4, { axis: 1 })).toThrow('delete: index 4 is out of bounds for axis with size 4')
    expect(() => insert(A, 5, 0, { axis: 1 })).toThrow('insert: index 5 is out of bounds for axis with size 4')
    expect(() => insert(A, 1, d64([1, 2]), { axis: 0 })).toThrow(/broadcast/)
    expect(() => delete_(A, '1' as never)).toThrow(/delete: obj must be an integer or a list of integers, got/)
    expect(() => arraySplit(A, 0)).toThrow('arraySplit: number sections must be larger than 0, got 0')
    expect(() => vsplit(d64([1, 2]), 2)).toThrow('vsplit only works on arrays of 2 or more dimensions, got rank 1')
    expect(() => fliplr(d64([1, 2]))).toThrow('fliplr: input must be >= 2-d, got rank 1')
    expect(() => tri(-1)).toThrow('tri: N must be a non-negative integer, got -1')
    expect(() => ravel(A, 'F' as 'C')).toThrow("ravel: only order='C' is supported, got order='F'")
    expect(() => isin(A, [1], { invert: true, x: 1 } as never)).toThrow(/x/)
  })
})
