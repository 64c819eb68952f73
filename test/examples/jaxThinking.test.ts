/**
 * JAX's "How to think in JAX" ported to the functional core: NumPy-like convolve, immutable
 * arrays updated with at(), jnp's promotion against lax's strict dtypes, convolve spelled as
 * lax.convGeneralDilated, a jitted normalisation equal to the eager one, boolean masks that
 * cannot be jitted, static arguments for branches and shapes. Expected values are the
 * document's printed outputs or mathematics (mean/std written out in float64).
 */
import { describe, expect, it } from 'vitest'
import {
  add,
  allclose,
  array,
  at,
  ConcretizationTypeError,
  convolve,
  DTypeError,
  div,
  jit,
  lax,
  less,
  mean,
  neg,
  ones,
  random,
  reshape,
  std,
  sub,
  type NdArray,
} from 'wengert'

describe('JAX tutorial: How to think in JAX', () => {
  it('jnp.convolve([1, 2, 1], ones(10))', () => {
    expect(convolve(array([1, 2, 1]), ones([10])).toArray()).toEqual([1, 3, 4, 4, 4, 4, 4, 4, 4, 4, 3, 1])
  })

  it('arrays are immutable: x.at[0].set(10) returns a copy', () => {
    const x = array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    const y = at(x, 0).set(10)
    expect(x.toArray()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(y.toArray()).toEqual([10, 1, 2, 3, 4, 5, 6, 7, 8, 9])
  })

  it('jnp.add promotes, lax.add wants equal dtypes', () => {
    expect(add(1, 1.5).item()).toBe(2.5)
    expect(() => lax.add(array(1, { dtype: 'int32' }), array(1, { dtype: 'float32' }))).toThrow(DTypeError)
    expect(lax.add(array(1, { dtype: 'float32' }), array(1, { dtype: 'float32' })).item()).toBe(2)
  })

  it('convolve as lax.convGeneralDilated (flipped kernel, full padding)', () => {
    const x = array([1, 2, 1], { dtype: 'float32' })
    const y = ones([10])
    const r = lax.convGeneralDilated(reshape(x, [1, 1, 3]), reshape(lax.rev(y, [0]), [1, 1, 10]), [1], [[9, 9]])
    expect(r.shape).toEqual([1, 1, 12])
    expect(reshape(r, [12]).toArray()).toEqual([1, 3, 4, 4, 4, 4, 4, 4, 4, 4, 3, 1])
  })

  it('norm(X) = (X - mean(X, 0)) / std(X, 0): jitted equals eager equals float64 arithmetic', () => {
    const norm = (X: NdArray): NdArray => div(sub(X, mean(X, 0)), std(X, 0))
    const normCompiled = jit(norm)
    const X = random.normal(random.key(1701), [100, 5])
    const eager = norm(X)
    expect(allclose(normCompiled(X), eager, { atol: 1e-6 }).item()).toBe(true)
    const rows = X.toArray() as number[][]
    const col = rows.map((r) => r[2] as number)
    const m = col.reduce((s, v) => s + v, 0) / col.length
    const sd = Math.sqrt(col.reduce((s, v) => s + (v - m) ** 2, 0) / col.length)
    const got = (eager.toArray() as number[][]).map((r) => r[2] as number)
    got.forEach((v, i) => expect(Math.abs(v - ((col[i] as number) - m) / sd)).toBeLessThan(1e-5))
  })

  it('get_negatives(x) = x[x < 0]: eager works, jit raises (the output shape depends on values)', () => {
    const getNegatives = (x: NdArray): NdArray => at(x, less(x, 0)).get()
    const x = array([1, -2, 3, -4, -0.5])
    expect(getNegatives(x).toArray()).toEqual([-2, -4, -0.5])
    expect(() => jit(getNegatives)(x)).toThrow(ConcretizationTypeError)
  })

  it('static arguments: a branch on neg; a reshape by the static shape product', () => {
    const f = (x: NdArray, negate: boolean): NdArray => (negate ? neg(x) : x)
    const jf = jit(f, { staticArgnums: 1 })
    expect(jf(array(1), true).item()).toBe(-1)
    expect(jf(array(1), false).item()).toBe(1)
    // x.reshape((np.prod(x.shape),)): shapes are static
    const g2 = (x: NdArray): NdArray => reshape(x, [x.shape.reduce((a, b) => a * b, 1)])
    expect(jit(g2)(ones([2, 3])).shape).toEqual([6])
  })
})
