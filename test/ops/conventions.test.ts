/**
 * One calling convention, checked (issue 13; issue 10 "Bad input"): every axis-taking op takes
 * its axis positionally or as `{ axis }`; options objects are checked at run time; a data-first
 * call with a JS array where the data goes raises instead of returning a function; creation
 * functions take a single size as a shape and `{ dtype }` where JAX puts it; huge shapes raise a
 * typed error naming the op and the size. NumPy 1.24 reference values are quoted inline (the
 * commands that printed them are beside each).
 */
import { pipe } from 'fp-ts/function'
import { describe, expect, it } from 'vitest'
import * as w from '../../src'
import { array, DTypeError, ShapeError, ValueError } from '../../src'

const x = array(
  [
    [1, 2, 3],
    [4, 5, 7],
  ],
  { dtype: 'float64' },
)
type Loose = (...args: unknown[]) => unknown
const loose = (f: unknown): Loose => f as Loose

describe('axis: positional and { axis } are the same', () => {
  it('sum(x, 1) sums along axis 1 (NumPy: np.sum(x, 1) = [6, 16])', () => {
    expect(w.sum(x, 1).toArray()).toEqual([6, 16])
    expect(w.sum(x, [0, 1]).item()).toBe(22)
    expect(w.sum(x, null).item()).toBe(22)
  })
  const reductions = ['sum', 'mean', 'max', 'min', 'prod', 'var', 'std', 'all', 'any', 'logsumexp'] as const
  it.each(reductions)('%s(x, 1) equals %s(x, { axis: 1 }) and %s(x, -1)', (name) => {
    const f = loose(w[name])
    const want = (f(x, { axis: 1 }) as w.NdArray).toArray()
    expect((f(x, 1) as w.NdArray).toArray()).toEqual(want)
    expect((f(x, -1) as w.NdArray).toArray()).toEqual(want)
  })
  it.each(['argmax', 'argmin', 'cumsum', 'softmax', 'logSoftmax'] as const)('%s takes a positional axis', (name) => {
    const f = loose(w[name])
    expect((f(x, 0) as w.NdArray).toArray()).toEqual((f(x, { axis: 0 }) as w.NdArray).toArray())
  })
  it('layout ops take { axis } as well as a positional axis', () => {
    const a = array([1, 2])
    const b = array([3, 4])
    expect(w.concat([a, b], { axis: 0 }).toArray()).toEqual(w.concat([a, b], 0).toArray())
    expect(w.stack([a, b], { axis: 1 }).toArray()).toEqual([
      [1, 3],
      [2, 4],
    ])
    expect(w.split(x, 3, { axis: 1 }).map((p) => p.shape)).toEqual([
      [2, 1],
      [2, 1],
      [2, 1],
    ])
    expect(w.take(x, [1], { axis: 1 }).toArray()).toEqual(w.take(x, [1], 1).toArray())
    expect(w.repeat(a, 2, { axis: 0 }).toArray()).toEqual([1, 1, 2, 2])
    expect(w.flip(x, { axis: 1 }).toArray()).toEqual(w.flip(x, 1).toArray())
    expect(w.squeeze(w.zeros([1, 3]), { axis: 0 }).shape).toEqual([3])
    expect(w.expandDims(a, { axis: 0 }).shape).toEqual([1, 2])
    expect(() => w.concat([a, b], [0] as unknown as number)).toThrow(/concat: axis must be a single integer/)
  })
  it('a string axis raises a typed error naming the op and the value', () => {
    expect(() => w.sum(x, { axis: '1' as unknown as number })).toThrow(ValueError)
    expect(() => w.sum(x, { axis: '1' as unknown as number })).toThrow(
      "sum: axis must be an integer, a list of integers or null, got '1'",
    )
    expect(() => loose(w.mean)(x, '1')).toThrow(/mean\(\) expected an options object/)
    expect(() => w.max(x, { axis: 1.5 })).toThrow(ShapeError)
  })
})

describe('options objects are checked', () => {
  it('an unknown key names the valid ones and suggests the closest', () => {
    expect(() => loose(w.sum)(x, { keepdim: true })).toThrow(
      "sum() got an unexpected keyword argument 'keepdim'; did you mean 'keepdims'? (valid options: axis, keepdims, dtype)",
    )
    expect(() => loose(w.std)(x, { ddof: 1, correction: 1 })).toThrow(
      /'correction'.*valid options: axis, keepdims, ddof/,
    )
    expect(() => loose(w.zeros)([2], { dtpye: 'float64' })).toThrow(/zeros\(\) .*'dtpye'; did you mean 'dtype'\?/)
    expect(() => loose(w.array)([1], { shape: [1], dtype: 'int32', copy: true })).toThrow(/array\(\) .*'copy'/)
  })
})

describe('data-first calls with a JS array where the data goes raise', () => {
  it('sum([1, 2, 3]) raises instead of returning a function', () => {
    expect(() => loose(w.sum)([1, 2, 3])).toThrow(ValueError)
    expect(() => loose(w.sum)([1, 2, 3])).toThrow(
      /^sum: expected an array .*got the JS array \[1, 2, 3\]; wrap JS data with array/,
    )
    expect(() => loose(w.mean)([1, 2], { axis: 0 })).toThrow(/^mean: expected an array/)
  })
  it('the data-last form still composes in a pipe', () => {
    expect(pipe(x, w.sum({ axis: 1 })).toArray()).toEqual([6, 16])
    expect(pipe(x, w.sum()).item()).toBe(22)
  })
})

describe('var and std with ddof ≥ N follow NumPy', () => {
  it('the divisor is max(N − ddof, 0): inf, or NaN for constant data', () => {
    // np.var(x, axis=1, ddof=3) = [inf, inf]; np.std([2., 2.], ddof=2) = nan; np.std(x, ddof=6) = inf
    expect(w.variance(x, { axis: 1, ddof: 3 }).toArray()).toEqual([Infinity, Infinity])
    expect(w.std(array([2, 2], { dtype: 'float64' }), { ddof: 2 }).item()).toBeNaN()
    expect(w.std(x, { ddof: 6 }).item()).toBe(Infinity)
    // np.var(x, axis=0, ddof=1) = [4.5, 4.5, 8.]
    expect(w.variance(x, { axis: 0, ddof: 1 }).toArray()).toEqual([4.5, 4.5, 8])
    expect(() => w.std(x, { ddof: NaN })).toThrow(/ddof must be a finite number/)
  })
})

describe('creation functions', () => {
  it('zeros(3) is a 1-d array of 3 zeros (JAX accepts one size as a shape)', () => {
    expect(w.zeros(3).toArray()).toEqual([0, 0, 0])
    expect(w.ones(2, { dtype: 'int32' }).toArray()).toEqual([1, 1])
    expect(w.full(2, 7).toArray()).toEqual([7, 7])
    expect(() => loose(w.zeros)('3')).toThrow(/zeros: shape must be a list of sizes or one size, got '3'/)
    expect(() => w.zeros(-1)).toThrow(ValueError)
  })
  it('eye(n, { dtype }) puts dtype where JAX does; eye(n, m, { k })', () => {
    const e = w.eye(2, { dtype: 'float64' })
    expect([e.dtype, e.toArray()]).toEqual([
      'float64',
      [
        [1, 0],
        [0, 1],
      ],
    ])
    expect(w.eye(2, 3, { k: 1, dtype: 'int32' }).toArray()).toEqual([
      [0, 1, 0],
      [0, 0, 1],
    ])
    expect(w.eye(2, null, { k: -1 }).toArray()).toEqual([
      [0, 0],
      [1, 0],
    ])
    expect(() => w.eye(2, { dtype: 'uint16' as w.DType })).toThrow(DTypeError)
  })
  it('arange takes { dtype } after any of its numbers', () => {
    expect(w.arange(3, { dtype: 'float64' }).dtype).toBe('float64')
    expect(w.arange(1, 3, { dtype: 'float32' }).toArray()).toEqual([1, 2])
  })
  it('a shape too large to allocate is a ValueError naming the op and the size, not a bare RangeError', () => {
    expect(() => w.zeros([1e6, 1e6])).toThrow(ValueError)
    expect(() => w.zeros([1e6, 1e6])).toThrow(
      /^zeros: an array of shape \[1000000,1000000\] has 1\.000e\+12 elements of float32/,
    )
    expect(() => w.ones([1e6, 1e6], { dtype: 'float64' })).toThrow(/^ones: /)
    expect(() => w.eye(1e6)).toThrow(/^eye: /)
  })
})
