/**
 * lax.reshape (with dimensions), transpose, squeeze, expandDims, broadcast, collapse, selectN, the
 * reduce_* reductions, argmax/argmin, the comparisons and rem (src/ops/laxShape.ts) against NumPy
 * (test/ops/fixtures/laxShape.py → laxShape.json); gradients against float64 central differences
 * (checkGrads); jit and vmap against eager; bad inputs with JAX's messages.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { array, checkGrads, jit, lax, type NdArray, type NestedArray, stack, vmap, zeros } from 'wengert'
import { expectClose } from '../transforms/helpers'

const fx = JSON.parse(readFileSync(new URL('./fixtures/laxShape.json', import.meta.url), 'utf8')) as Record<
  string,
  NestedArray
>
const d64 = (v: NestedArray): NdArray => array(v, { dtype: 'float64' })
const x = d64(fx['x'] as NestedArray)
const tol = { rtol: 1e-12, atol: 1e-12 }

describe('lax shape operations', () => {
  it('match NumPy and are differentiable', () => {
    // Arrange
    const fs: ReadonlyArray<readonly [string, (a: NdArray) => NdArray]> = [
      ['reshape_dims', (a) => lax.reshape(a, [4, 6], [2, 0, 1])],
      ['transpose', (a) => lax.transpose(a, [1, 2, 0])],
      ['collapse_1_3', (a) => lax.collapse(a, 1)],
    ]
    for (const [k, f] of fs) {
      // Act / Assert
      expectClose(f(x), fx[k] as NestedArray, tol)
      expectClose(jit(f)(x), fx[k] as NestedArray, tol)
      checkGrads(f, [x], { order: 2 })
    }
    expect(lax.reshape(x, [24]).toArray()).toEqual((x.toArray() as number[][][]).flat(2))
    expect(lax.squeeze(zeros([1, 3, 1]), [0, -1]).shape).toEqual([3])
    expect(lax.expandDims(zeros([3, 2]), [0, 2, -1]).shape).toEqual([1, 3, 1, 2, 1])
    expect(lax.broadcast(array([1, 2]), [2, 1]).toArray()).toEqual([[[1, 2]], [[1, 2]]])
    expect(lax.collapse(zeros([2, 3, 4]), 0, 2).shape).toEqual([6, 4])
    checkGrads((a: NdArray) => lax.expandDims(lax.squeeze(lax.broadcast(a, [1]), [0]), [1]), [x], { order: 2 })
  })
  it('vmap like a loop', () => {
    const xs = stack([x, x.mul(2)])
    const f = (a: NdArray): NdArray => lax.squeeze(lax.reshape(a, [1, 6, 4], [1, 0, 2]), [0])
    expectClose(vmap(f)(xs), stack([f(x), f(x.mul(2))]).toArray() as NestedArray, tol)
  })
  it('reject bad input with JAX-like messages', () => {
    expect(() => lax.reshape(x, [5, 5])).toThrow(/lax\.reshape: reshape total size must be unchanged/)
    expect(() => lax.reshape(x, [24], [0, 0, 1])).toThrow(/permutation/)
    expect(() => lax.transpose(x, [0, 1])).toThrow(
      /lax\.transpose: transpose permutation isn't a permutation of operand dimensions, got permutation \(0, 1\) for operand shape \(2, 3, 4\)/,
    )
    expect(() => lax.squeeze(zeros([1, 3]), [1])).toThrow(/size not equal to one/)
    expect(() => lax.squeeze(zeros([1, 3]), [0, 0])).toThrow(/unique/)
    expect(() => lax.expandDims(zeros([3]), [5])).toThrow(/out of bounds/)
    expect(() => lax.collapse(zeros([3]), 1, 0)).toThrow(/start_dimension/)
  })
})

describe('lax.selectN', () => {
  it('matches np.choose and is differentiable in the cases', () => {
    const w = array(fx['which'] as NestedArray, { dtype: 'int32' })
    const cs = (fx['cases'] as NestedArray[]).map(d64) as [NdArray, NdArray, NdArray]
    expectClose(lax.selectN(w, ...cs), fx['select_n'] as NestedArray, tol)
    checkGrads((a: NdArray, b: NdArray, c: NdArray) => lax.selectN(w, a, b, c), cs, { order: 2 })
    expect(lax.selectN(true, array([1, 2]), array([3, 4])).toArray()).toEqual([3, 4])
    expect(lax.selectN(array([true, false]), array([1, 2]), array([3, 4])).toArray()).toEqual([3, 2])
    expect(lax.selectN(array(2, { dtype: 'int32' }), array([1]), array([2]), array([3])).toArray()).toEqual([3])
  })
  it('rejects bad input', () => {
    expect(() => lax.selectN(array([true]))).toThrow(/no cases/)
    expect(() => lax.selectN(array([true]), array([1]), array([2]), array([3]))).toThrow(
      /boolean which cannot have > 2/,
    )
    expect(() => lax.selectN(array([0.5]), array([1]))).toThrow(/boolean or integer/)
    expect(() => lax.selectN(array([true, false]), array([1, 2, 3]), array([1, 2, 3]))).toThrow(
      /scalar or have the same shape/,
    )
    expect(() => lax.selectN(true, array([1]), array([1, 2]))).toThrow(
      /select cases must have the same shapes, got \[\(1,\), \(2,\)\]/,
    )
  })
})

describe('lax reductions, argmax/argmin, comparisons, rem', () => {
  it('match NumPy; sum/max/min/prod are differentiable', () => {
    const cases: ReadonlyArray<readonly [string, (a: NdArray) => NdArray]> = [
      ['reduce_sum_02', (a) => lax.reduceSum(a, [0, 2])],
      ['reduce_max_1', (a) => lax.reduceMax(a, [1])],
      ['reduce_min_12', (a) => lax.reduceMin(a, [2, -2])],
      ['reduce_prod_2', (a) => lax.reduceProd(a, [2])],
    ]
    for (const [k, f] of cases) {
      expectClose(f(x), fx[k] as NestedArray, tol)
      checkGrads(f, [x], { order: 1 })
    }
    const am = lax.argmax(x, 1, 'int32')
    expect([am.dtype, am.toArray()]).toEqual(['int32', fx['argmax_1']])
    const an = lax.argmin(x, -1, 'int64')
    expect([an.dtype, an.toArray()]).toEqual(['int64', fx['argmin_2']])
    expect(
      lax
        .reduceAnd(
          array([
            [true, false],
            [true, true],
          ]),
          [1],
        )
        .toArray(),
    ).toEqual([false, true])
    expect(
      lax
        .reduceOr(
          array([
            [true, false],
            [false, false],
          ]),
          [1],
        )
        .toArray(),
    ).toEqual([true, false])
    expect(() => lax.reduceAnd(x, [0])).toThrow(/boolean or integer/)
    expect(() => lax.argmax(x, 0, 'float32')).toThrow(/index_dtype must be an integer type/)
  })
  it('compares without promotion and rem has the sign of the dividend (np.fmod)', () => {
    const [a, b] = [array([1, 2, 3]), array([3, 2, 1])]
    expect([lax.eq, lax.ne, lax.lt, lax.le, lax.gt, lax.ge].map((f) => f(a, b).toArray())).toEqual([
      [false, true, false],
      [true, false, true],
      [true, false, false],
      [true, true, false],
      [false, false, true],
      [false, true, true],
    ])
    expect(() => lax.lt(array([1], { dtype: 'int32' }), array([1], { dtype: 'float64' }))).toThrow(/same dtypes/)
    const [ri, rd, want] = fx['rem_int'] as NestedArray[]
    expect(
      lax.rem(array(ri as NestedArray, { dtype: 'int32' }), array(rd as NestedArray, { dtype: 'int32' })).toArray(),
    ).toEqual(want)
    const [rf, rg, wf] = (fx['rem_float'] as NestedArray[]).map((v) => v)
    expectClose(lax.rem(d64(rf as NestedArray), d64(rg as NestedArray)), wf as NestedArray, tol)
    checkGrads((p: NdArray) => lax.rem(p, d64(rg as NestedArray)), [d64(rf as NestedArray)], { order: 1 })
  })
})
