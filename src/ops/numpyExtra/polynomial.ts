/**
 * `jax.numpy`'s polynomial arithmetic on coefficient vectors (highest power first): `polyadd`,
 * `polysub`, `polymul`, `polydiv`, `polyder`, `polyint`, and `roots` (which needs complex
 * results and raises). Composites of differentiable ops, so every result is differentiable in the
 * coefficients.
 *
 * @category ops
 * @since 0.4.0
 */
import * as lax from '../../core/lax'
import { checkOptions } from '../../internal/options'
import { DTypeError, ValueError } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { asArray, asFloat, type ArrayLike } from '../convert'
import { add, div, mul, sub } from '../elementwise'
import { concat, pad, slice } from '../layout'
import { arange, array } from '../../ndarray/create'
import { convolve } from '../window'

/** A 1-D coefficient vector (0-d arrays become length 1, as NumPy's `atleast_1d`). */
const coeffs = (op: string, p: ArrayLike): NdArray => {
  const a = asArray(op, p)
  if (a.ndim > 1) throw new ValueError(`${op}: expected a 1-D array of coefficients, got shape [${a.shape.join(', ')}]`)
  return a.ndim === 0 ? lax.reshape(a, [1]) : a
}

/** `a` with `k` leading zeros. */
const padFront = (a: NdArray, k: number): NdArray => (k === 0 ? a : pad(a, [[k, 0]]))

/** The two vectors padded at the front to one length. */
const aligned = (op: string, a1: ArrayLike, a2: ArrayLike): [NdArray, NdArray] => {
  const [a, b] = [coeffs(op, a1), coeffs(op, a2)]
  const n = Math.max(a.size, b.size)
  return [padFront(a, n - a.size), padFront(b, n - b.size)]
}

/**
 * The sum of two polynomials (jnp.polyadd): the shorter is padded with leading zeros.
 * @example
 * import { polyadd, array } from 'wengert'
 * assert.deepStrictEqual(polyadd(array([1, 2]), array([1, 0, 0])).toArray(), [1, 1, 2])
 * @category ops @since 0.4.0
 */
export const polyadd = (a1: ArrayLike, a2: ArrayLike): NdArray => add(...aligned('polyadd', a1, a2))

/**
 * The difference of two polynomials (jnp.polysub).
 * @example
 * import { polysub, array } from 'wengert'
 * assert.deepStrictEqual(polysub(array([1, 2]), array([1, 0, 0])).toArray(), [-1, 1, 2])
 * @category ops @since 0.4.0
 */
export const polysub = (a1: ArrayLike, a2: ArrayLike): NdArray => sub(...aligned('polysub', a1, a2))

/** Options of {@link polymul} and {@link polydiv}. @category ops @since 0.4.0 */
export interface TrimLeadingZerosOption {
  /** Strip leading zeros first (polymul: of the inputs; polydiv: of the remainder). Needs concrete values. */
  readonly trimLeadingZeros?: boolean
}

/** `a` without its leading entries of magnitude ≤ tol (at least one entry is kept). */
const trimFront = (op: string, a: NdArray, tol: number): NdArray => {
  const v = Array.from(a.toTypedArray() as globalThis.ArrayLike<number>)
  const first = v.findIndex((x) => Math.abs(x) > tol)
  if (op === 'polymul' && first < 0) return slice(a, [[0, 0]])
  return slice(a, [[first < 0 ? a.size - 1 : first, null]])
}

/**
 * The product of two polynomials (jnp.polymul(a1, a2, *, trim_leading_zeros=False)): the full
 * convolution of the coefficients.
 * @example
 * import { polymul, array } from 'wengert'
 * assert.deepStrictEqual(polymul(array([1, 2]), array([1, -2])).toArray(), [1, 0, -4])
 * @category ops @since 0.4.0
 */
export const polymul = (a1: ArrayLike, a2: ArrayLike, options?: TrimLeadingZerosOption): NdArray => {
  const o = checkOptions('polymul', options, ['trimLeadingZeros'])
  let [a, b] = [coeffs('polymul', a1), coeffs('polymul', a2)]
  if (o.trimLeadingZeros === true) [a, b] = [trimFront('polymul', a, 0), trimFront('polymul', b, 0)]
  if (a.size === 0 || b.size === 0) return lax.zerosLike({ shape: [1], dtype: a.dtype })
  return convolve(a, b, 'full')
}

/**
 * Quotient and remainder of polynomial division (jnp.polydiv(u, v, *, trim_leading_zeros=False)),
 * in a float dtype. The remainder keeps u's length (its leading entries are zero up to rounding);
 * `trimLeadingZeros` strips those below √eps, as JAX does.
 * @example
 * import { polydiv, array } from 'wengert'
 * const [q, r] = polydiv(array([1, 0, -4, 1]), array([1, -2]))
 * assert.deepStrictEqual([q.toArray(), r.toArray()], [[1, 2, 0], [0, 0, 0, 1]])
 * @category ops @since 0.4.0
 */
export const polydiv = (u: ArrayLike, v: ArrayLike, options?: TrimLeadingZerosOption): [NdArray, NdArray] => {
  const o = checkOptions('polydiv', options, ['trimLeadingZeros'])
  let num = asFloat('polydiv', coeffs('polydiv', u))
  const den = lax.cast(coeffs('polydiv', v), num.dtype)
  if (den.size === 0) throw new ValueError('polydiv: the divisor v is empty')
  const [m, n] = [num.size - 1, den.size - 1]
  const scale = div(1, slice(den, [[0, 1]]))
  const qs: NdArray[] = []
  // long division: subtract d·v aligned at position k, for each quotient coefficient d
  for (let k = 0; k <= m - n; k++) {
    const d = mul(scale, slice(num, [[k, k + 1]]))
    qs.push(d)
    num = sub(num, pad(mul(d, den), [[k, m - n - k]]))
  }
  const q = qs.length === 0 ? lax.zerosLike({ shape: [1], dtype: num.dtype }) : concat(qs, 0)
  const eps = num.dtype === 'float32' ? 2 ** -23 : 2 ** -52
  return [q, o.trimLeadingZeros === true ? trimFront('polydiv', num, Math.sqrt(eps)) : num]
}

/** A plain list of integration constants. */
const isConstantList = (k: unknown): k is ReadonlyArray<number> => Array.isArray(k)

/** A non-negative integer order. */
const order = (op: string, m: number): number => {
  if (!Number.isInteger(m) || m < 0) throw new ValueError(`${op}: order of derivative must be non-negative, got ${m}`)
  return m
}

/**
 * The m-th derivative of a polynomial (jnp.polyder(p, m=1)).
 * @example
 * import { polyder, array } from 'wengert'
 * assert.deepStrictEqual(polyder(array([1, 2, 3, 4])).toArray(), [3, 4, 3])
 * assert.deepStrictEqual(polyder(array([1, 2, 3, 4]), 2).toArray(), [6, 4])
 * @category ops @since 0.4.0
 */
export const polyder = (p: ArrayLike, m = 1): NdArray => {
  let c = coeffs('polyder', p)
  const k = order('polyder', m)
  for (let i = 0; i < k && c.size > 0; i++) {
    const powers = lax.cast(arange(c.size - 1, 0, -1), c.dtype === 'bool' ? 'int32' : c.dtype)
    c = mul(slice(c, [[0, c.size - 1]]), powers)
  }
  return c
}

/**
 * The m-th antiderivative of a polynomial (jnp.polyint(p, m=1, k=None)), in a float dtype; `k`
 * gives the integration constants (a number for all m, or one per integration, the first used
 * first), default zero.
 * @example
 * import { polyint, array } from 'wengert'
 * assert.deepStrictEqual(polyint(array([3, 2, 1])).toArray(), [1, 1, 1, 0])
 * assert.deepStrictEqual(polyint(array([6]), 2, [1, 2]).toArray(), [3, 1, 2])
 * @category ops @since 0.4.0
 */
export const polyint = (p: ArrayLike, m = 1, k?: ArrayLike | ReadonlyArray<number> | null): NdArray => {
  let c = asFloat('polyint', coeffs('polyint', p))
  const times = order('polyint', m)
  const ks = isConstantList(k) ? array([...k], { dtype: c.dtype }) : asArray('polyint', k ?? 0, c.dtype)
  const kv = ks.ndim === 0 ? lax.broadcastTo(ks, [times]) : ks
  if (kv.ndim !== 1 || kv.size !== times)
    throw new ValueError(`polyint: k must be a scalar or have length m = ${times}, got shape [${ks.shape.join(', ')}]`)
  for (let i = 0; i < times; i++) {
    const divisors = lax.cast(arange(c.size, 0, -1), c.dtype)
    c = concat([div(c, divisors), slice(kv, [[i, i + 1]])], 0)
  }
  return c
}

/**
 * jnp.roots: not supported, since the roots of a real polynomial may be complex and this project
 * has no complex dtype. Always raises a DTypeError.
 * @example
 * import { roots, array } from 'wengert'
 * assert.throws(() => roots(array([1, 0, 1])), /complex dtypes are not supported/)
 * @category ops @since 0.4.0
 */
export const roots = (p: ArrayLike): NdArray => {
  const c = coeffs('roots', p)
  throw new DTypeError(
    `roots: the roots of a degree-${Math.max(c.size - 1, 0)} polynomial may be complex, and complex dtypes are not supported`,
  )
}
