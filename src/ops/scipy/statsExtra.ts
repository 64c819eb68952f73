/**
 * `jax.scipy.stats.betabinom`, `multinomial` and `wrapcauchy`, composed from the special-function
 * primitives (differentiable in the data and the parameters). Re-exported by `./stats`, with its
 * conventions (SciPy's argument order, −inf outside the support, NaN for invalid parameters).
 *
 * @category scipy
 * @since 0.7.0
 */
import * as lax from '../../core/lax'
import type { NdArray } from '../../ndarray/NdArray'
import { array } from '../../ndarray/create'
import { isFloat } from '../../ndarray/dtype'
import { ValueError } from '../../ndarray/errors'
import { asArray, asFloat, type ArrayLike } from '../convert'
import {
  add,
  equal,
  greater,
  greaterEqual,
  less,
  lessEqual,
  logicalAnd,
  logicalOr,
  mul,
  sub,
  where,
} from '../elementwise'
import { cos, exp, floor, log, log1p, neg } from '../unary'
import { sum } from '../reduce'
import { betaln, gammaln, xlogy } from './special'

/** A float array; a JS number takes `like`'s dtype (float32 without `like`). */
const FL = (op: string, x: ArrayLike, like?: NdArray): NdArray =>
  asFloat(op, typeof x === 'number' && like !== undefined ? array(x, { dtype: like.dtype }) : x)

/** Float arrays in the widest float dtype among the array operands (JS numbers are weak; float32 if none). */
const promoteAll = (op: string, xs: readonly ArrayLike[]): NdArray[] => {
  const arrays = xs.filter((x): x is NdArray => typeof x !== 'number').map((x) => asFloat(op, x))
  const like = arrays.find((a) => a.dtype === 'float64') ?? arrays[0]
  return xs.map((x) =>
    typeof x === 'number'
      ? FL(op, x, like)
      : like === undefined
        ? asFloat(op, x)
        : lax.cast(asFloat(op, x), like.dtype),
  )
}

/**
 * The beta-binomial distribution (`jax.scipy.stats.betabinom`): the binomial count of n trials
 * whose success probability is Beta(a, b)-distributed,
 * pmf(k) = C(n, k)·B(k + a, n − k + b)/B(a, b), with C(n, k) = 1/((n + 1)·B(n − k + 1, k + 1)).
 * As JAX, k is floored, k − loc outside [0, n] gives −inf, and n < 1, a < 0 or b < 0 give NaN.
 * @example
 * import { scipy } from 'wengert'
 * // a = b = 1 is uniform on {0, …, n}
 * assert.ok(Math.abs(Number(scipy.stats.betabinom.pmf(2, 4, 1, 1).item()) - 0.2) < 1e-6)
 * @category scipy @since 0.7.0
 */
export const betabinom = {
  logpmf: (k: ArrayLike, n: ArrayLike, a: ArrayLike, b: ArrayLike, loc: ArrayLike = 0): NdArray => {
    const [K, N, A, B, L] = promoteAll('scipy.stats.betabinom.logpmf', [k, n, a, b, loc]) as [
      NdArray,
      NdArray,
      NdArray,
      NdArray,
      NdArray,
    ]
    const y = sub(floor(K), L)
    const comb = neg(add(log1p(N), betaln(add(sub(N, y), 1), add(y, 1))))
    const v = add(comb, sub(betaln(add(y, A), add(sub(N, y), B)), betaln(A, B)))
    const outside = logicalOr(less(y, neg(L)), greater(y, sub(N, L)))
    const bad = logicalOr(logicalOr(less(N, 1), less(A, 0)), less(B, 0))
    return where(bad, NaN, where(outside, -Infinity, v))
  },
  pmf: (k: ArrayLike, n: ArrayLike, a: ArrayLike, b: ArrayLike, loc: ArrayLike = 0): NdArray =>
    exp(betabinom.logpmf(k, n, a, b, loc)),
}

/** x and n as p's float dtype, after checking that x is an integer array, as JAX. */
const countsAs = (op: string, x: ArrayLike, n: ArrayLike, p: NdArray): [NdArray, NdArray] => {
  const X = asArray(op, x, typeof x === 'number' ? 'int32' : undefined)
  const N = typeof n === 'number' ? n : asArray(op, n)
  const ints = !isFloat(X.dtype) && X.dtype !== 'bool' && (typeof N === 'number' || !isFloat(N.dtype))
  if (!ints || (typeof N === 'number' && !Number.isInteger(N)))
    throw new ValueError(
      `${op}: x and n must be of integer type; got x.dtype=${X.dtype}, n.dtype=${typeof N === 'number' ? (Number.isInteger(N) ? 'int32' : 'float32') : N.dtype}`,
    )
  return [asArray(op, X, p.dtype), typeof N === 'number' ? array(N, { dtype: p.dtype }) : asArray(op, N, p.dtype)]
}

/**
 * The multinomial distribution (`jax.scipy.stats.multinomial`): counts x over the last axis after
 * n trials with category probabilities p, log pmf = log n! + Σ (x·log p − log x!). As JAX, x and n
 * must be integer arrays (a ValueError otherwise), and the result is −inf unless the sum of ALL
 * of x's elements equals n (JAX compares the total, not the per-row sums).
 * @example
 * import { scipy, array } from 'wengert'
 * const p = scipy.stats.multinomial.pmf(array([1, 3, 4], { dtype: 'int32' }), 8, array([0.3, 0.2, 0.5]))
 * assert.ok(Math.abs(Number(p.item()) - 0.042) < 1e-6)
 * @category scipy @since 0.7.0
 */
export const multinomial = {
  logpmf: (x: ArrayLike, n: ArrayLike, p: ArrayLike): NdArray => {
    const op = 'scipy.stats.multinomial.logpmf'
    const P = asFloat(op, p)
    const [X, N] = countsAs(op, x, n, P)
    const lp = add(gammaln(add(N, 1)), sum(sub(xlogy(X, P), gammaln(add(X, 1))), -1))
    return where(equal(sum(X), N), lp, -Infinity)
  },
  pmf: (x: ArrayLike, n: ArrayLike, p: ArrayLike): NdArray => exp(multinomial.logpmf(x, n, p)),
}

/**
 * The wrapped Cauchy distribution on [0, 2π] with shape 0 < c < 1 (`jax.scipy.stats.wrapcauchy`):
 * density (1 − c²)/(2π(1 + c² − 2c·cos x)); −inf for x outside [0, 2π], NaN for c outside (0, 1).
 * @example
 * import { scipy } from 'wengert'
 * const c = 0.5
 * const want = (1 - c * c) / (2 * Math.PI * (1 + c * c - 2 * c))
 * assert.ok(Math.abs(Number(scipy.stats.wrapcauchy.pdf(0, c).item()) - want) < 1e-6)
 * @category scipy @since 0.7.0
 */
export const wrapcauchy = {
  logpdf: (x: ArrayLike, c: ArrayLike): NdArray => {
    const [X, C] = promoteAll('scipy.stats.wrapcauchy.logpdf', [x, c]) as [NdArray, NdArray]
    const cc = mul(C, C)
    const v = sub(sub(log(sub(1, cc)), Math.log(2 * Math.PI)), log(sub(add(cc, 1), mul(mul(C, 2), cos(X)))))
    const inRange = logicalAnd(greaterEqual(X, 0), lessEqual(X, 2 * Math.PI))
    return where(logicalAnd(greater(C, 0), less(C, 1)), where(inRange, v, -Infinity), NaN)
  },
  pdf: (x: ArrayLike, c: ArrayLike): NdArray => exp(wrapcauchy.logpdf(x, c)),
}
