/**
 * JAX's "🔪 JAX - The Sharp Bits 🔪" ported to the functional core: pure functions and what jit
 * caches, functional updates with at(), out-of-bounds indexing (clamped gathers, dropped scatters,
 * take's modes), reused random keys, Python control flow against jit (static arguments,
 * ConcretizationTypeError, lax.cond/whileLoop/foriLoop), dynamic shapes (boolean masks, nonzero's
 * size), and the float32 default. Expected values are the document's own or mathematics.
 */
import { describe, expect, it } from 'vitest'
import {
  add,
  arange,
  array,
  at,
  ConcretizationTypeError,
  grad,
  isnan,
  jit,
  lax,
  less,
  logicalNot,
  mul,
  nanargmax,
  nanargmin,
  nonzero,
  ones,
  pow,
  random,
  sum,
  take,
  ValueError,
  where,
  zeros,
  type NdArray,
} from 'wengert'

const vals = (x: NdArray): unknown => x.toArray()

describe('JAX - The Sharp Bits: pure functions', () => {
  it('a side effect runs while tracing only; a global is read at trace time until a new shape retraces', () => {
    let g = 0
    let traces = 0
    const impureUsesGlobals = (x: NdArray): NdArray => {
      traces += 1
      return add(x, g)
    }
    // the document calls jit(impure_uses_globals)(…) afresh each time: the cache is per function
    expect(vals(jit(impureUsesGlobals)(array(4)))).toBe(4)
    g = 10
    // cached: the traced program still holds g = 0
    expect(vals(jit(impureUsesGlobals)(array(5)))).toBe(5)
    expect(traces).toBe(1)
    // a new shape retraces and reads g = 10
    expect(vals(jit(impureUsesGlobals)(array([4])))).toEqual([14])
    expect(traces).toBe(2)
  })
})

describe('JAX - The Sharp Bits: in-place updates', () => {
  it('x.at[1, :].set(1.0) and x.at[::2, 3:].add(7.) return copies; the original is unchanged', () => {
    const x = zeros([3, 3])
    const updated = at(x, 1, ':').set(1)
    expect(vals(x)).toEqual([
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ])
    expect(vals(updated)).toEqual([
      [0, 0, 0],
      [1, 1, 1],
      [0, 0, 0],
    ])
    const y = at(ones([5, 6]), '::2', '3:').add(7)
    const row8 = [1, 1, 1, 8, 8, 8]
    const row1 = [1, 1, 1, 1, 1, 1]
    expect(vals(y)).toEqual([row8, row1, row8, row1, row8])
  })
})

describe('JAX - The Sharp Bits: out-of-bounds indexing', () => {
  it('retrieval clamps, fill mode fills, updates out of bounds are dropped', () => {
    expect(vals(at(arange(10), 11).get())).toBe(9)
    expect(vals(at(arange(10, { dtype: 'float32' }), 11).get())).toBe(9)
    expect(vals(at(arange(10, { dtype: 'float32' }), 11).get({ mode: 'fill', fillValue: NaN }))).toBeNaN()
    expect(vals(at(arange(10), 11).set(23))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(vals(at(arange(10), [3, 11]).add(100))).toEqual([0, 1, 2, 103, 4, 5, 6, 7, 8, 9])
  })

  it('the same semantics under jit, with traced indices', () => {
    const get = jit((x: NdArray, i: NdArray) => at(x, i).get())
    const put = jit((x: NdArray, i: NdArray) => at(x, i).set(-1))
    const i = array([2, 11, -1], { dtype: 'int32' })
    expect(vals(get(arange(10), i))).toEqual([2, 9, 9])
    expect(vals(put(arange(5), i))).toEqual([0, 1, -1, 3, -1])
  })

  it("jnp.take's modes: 'fill' (NaN), 'clip' (raw index clamped), 'wrap' (modulo n)", () => {
    const x = arange(10, { dtype: 'float32' })
    const idx = [11, -1, -12]
    const fill = vals(take(x, idx, { mode: 'fill' })) as number[]
    expect(fill[0]).toBeNaN()
    expect(fill[1]).toBe(9)
    expect(fill[2]).toBeNaN()
    expect(vals(take(x, idx, { mode: 'fill', fillValue: -7 }))).toEqual([-7, 9, -7])
    expect(vals(take(x, idx, { mode: 'clip' }))).toEqual([9, 0, 0])
    expect(vals(take(x, idx, { mode: 'wrap' }))).toEqual([1, 9, 8])
    // int32 fill: the dtype's minimum
    expect(vals(take(arange(10), [10], { mode: 'fill' }))).toEqual([-(2 ** 31)])
    const m = array([
      [1, 2, 3],
      [4, 5, 6],
    ])
    expect(vals(take(m, [3, -4], { axis: 1, mode: 'wrap' }))).toEqual([
      [1, 3],
      [4, 6],
    ])
    const traced = jit((a: NdArray, i: NdArray) => take(a, i, { mode: 'clip' }))
    expect(vals(traced(x, array(idx, { dtype: 'int32' })))).toEqual([9, 0, 0])
    expect(() => take(x, [1], { mode: 'raise' as never })).toThrow(ValueError)
    expect(() => take(x, [1], { mode: 'bogus' as never })).toThrow(/Invalid mode 'bogus'/)
  })

  it('nanargmin/nanargmax of an all-NaN slice give -1 (NumPy raises)', () => {
    const x = array([
      [NaN, NaN],
      [3, 1],
    ])
    expect(vals(nanargmin(x, { axis: 1 }))).toEqual([-1, 1])
    expect(vals(nanargmax(x, { axis: 1 }))).toEqual([-1, 0])
  })
})

describe('JAX - The Sharp Bits: non-array inputs', () => {
  it('sum of a JS list is refused with a typed error; sum(array(list)) is the way', () => {
    expect(() => sum([1, 2, 3] as never)).toThrow(ValueError)
    expect(vals(sum(array([1, 2, 3])))).toBe(6)
  })
})

describe('JAX - The Sharp Bits: random numbers', () => {
  it('a reused key gives the same numbers; split keys give new ones', () => {
    const key = random.key(0)
    const a = vals(random.uniform(key, [3])) as number[]
    expect(vals(random.uniform(key, [3]))).toEqual(a)
    const [key2, subkey] = random.split(key) as unknown as [NdArray, NdArray]
    const b = vals(random.uniform(subkey, [3])) as number[]
    expect(b).not.toEqual(a)
    expect(vals(random.uniform(key2, [3]))).not.toEqual(b)
  })
})

describe('JAX - The Sharp Bits: control flow', () => {
  const f = (x: NdArray): NdArray => (Number(x.item()) < 3 ? mul(3, pow(x, 2)) : mul(-4, x))

  it('grad of Python control flow works on concrete values', () => {
    expect(vals(grad(f)(array(2)))).toBe(12)
    expect(vals(grad(f)(array(4)))).toBe(-4)
  })

  it('jit of value-dependent control flow raises ConcretizationTypeError; staticArgnums fixes it', () => {
    expect(() => jit(f)(array(2))).toThrow(ConcretizationTypeError)
    const g = (x: number): NdArray => (x < 3 ? mul(3, pow(array(x), 2)) : mul(-4, array(x)))
    expect(vals(jit(g, { staticArgnums: 0 })(2))).toBe(12)
    expect(vals(jit(g, { staticArgnums: 0 })(4))).toBe(-16)
  })

  it('a loop bound passed as static: f(x, n) sums the first n entries', () => {
    const sumFirst = (x: NdArray, n: number): NdArray => {
      let y = array(0)
      for (let i = 0; i < n; i++) y = add(y, at(x, i).get())
      return y
    }
    const jf = jit(sumFirst, { staticArgnums: 1 })
    expect(vals(jf(array([2, 3, 4]), 2))).toBe(5)
    expect(vals(jf(array([2, 3, 4]), 3))).toBe(9)
  })

  it('lax.cond, lax.whileLoop and lax.foriLoop from the document', () => {
    const operand = array([0])
    expect(
      vals(
        lax.cond(
          true,
          (x: NdArray) => add(x, 1),
          (x: NdArray) => add(x, -1),
          operand,
        ),
      ),
    ).toEqual([1])
    expect(
      vals(
        lax.cond(
          false,
          (x: NdArray) => add(x, 1),
          (x: NdArray) => add(x, -1),
          operand,
        ),
      ),
    ).toEqual([-1])
    const count = lax.whileLoop(
      (i: NdArray) => less(i, 10),
      (i: NdArray) => add(i, 1),
      array(0, { dtype: 'int32' }),
    )
    expect(vals(count)).toBe(10)
    const fori = lax.foriLoop(0, 3, (i: NdArray, x: NdArray) => add(x, i), array(0, { dtype: 'int32' }))
    expect(vals(fori)).toBe(3)
  })
})

describe('JAX - The Sharp Bits: dynamic shapes', () => {
  const x = array([1, 2, NaN, 3, 4])
  it('a boolean mask works eagerly; under jit it needs where (or nonzero with size)', () => {
    const nansum = (v: NdArray): NdArray => sum(at(v, logicalNot(isnan(v))).get())
    expect(vals(nansum(x))).toBe(10)
    expect(() => jit(nansum)(x)).toThrow(ConcretizationTypeError)
    const nansum2 = jit((v: NdArray) => sum(where(logicalNot(isnan(v)), v, 0)))
    expect(vals(nansum2(x))).toBe(10)
    const [idx] = jit((v: NdArray) => nonzero(logicalNot(isnan(v)), { size: 5, fillValue: 0 }))(x) as [NdArray]
    expect(vals(idx)).toEqual([0, 1, 3, 4, 0])
  })
})

describe('JAX - The Sharp Bits: double precision', () => {
  it('float32 by default, float64 when asked', () => {
    expect(array([1.5]).dtype).toBe('float32')
    expect(array([1.5], { dtype: 'float64' }).dtype).toBe('float64')
    expect(vals(add(array(0.1, { dtype: 'float64' }), 0.2))).toBe(0.1 + 0.2)
  })
})
