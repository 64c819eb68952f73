/**
 * `jax.random.binomial` and `jax.random.multinomial`: binomial counts by geometric-skip inversion
 * for small n·p and by Hörmann's BTRS transformed rejection (W. Hörmann 1993, "The generation of
 * binomial random variates", J. Statist. Comput. Simul. 46) for n·p ≥ 10, both as vectorised
 * `while_loop`s that stage under `jit`; multinomial counts as a chain of conditional binomials.
 * The counts are returned as floats, as JAX's are, and carry no gradient.
 *
 * @category random
 * @since 0.4.0
 */
import * as lax from '../../core/lax'
import { ShapeError } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { broadcastShapes, type Shape } from '../../ndarray/shape'
import type { ArrayLike } from '../convert'
import * as E from '../elementwise'
import { broadcastTo } from '../layout'
import { any, sum } from '../reduce'
import * as U from '../unary'
import { whileLoop } from '../control/loops'
import { scan } from '../control/scan'
import { checkSingleKey, type KeyArray } from './keys'
import { floatOptions, param, shapeOf, unit, type DTypeOption } from './common'
import { split2 } from './gamma'

/** The draw shape: given (broadcast-compatible with the parameters), or their broadcast shape. */
const drawShape = (op: string, shape: ReadonlyArray<number> | undefined, ...params: ReadonlyArray<Shape>): Shape => {
  const common = params.reduce<Shape>((s, p) => broadcastShapes(`random.${op}`, s, p), [])
  if (shape === undefined) return common
  const s = shapeOf(op, shape)
  if (broadcastShapes(`random.${op}`, s, common).join() !== s.join())
    throw new ShapeError(
      `random.${op}: shape [${s.join(', ')}] is not broadcast-compatible with the parameters' shape [${common.join(', ')}]`,
    )
  return s
}

/** Loop state of both samplers: the key, the counts so far and which elements are finished. */
type State = readonly [NdArray, NdArray, NdArray, NdArray]

const notAllDone = ([, , , done]: State): NdArray => any(E.logicalNot(done))

/**
 * Inversion by geometric skips: the gaps between successes are Geometric(p), so the count is the
 * number of gaps whose running sum stays ≤ n (about n·p + 1 rounds).
 */
const inversion = (key: NdArray, n: NdArray, p: NdArray, skip: NdArray): NdArray => {
  const logQ = U.log1p(U.neg(p))
  const body = ([k, count, total, done]: State): State => {
    const [next, sub] = split2(k)
    const u = unit(sub, n.shape, 'float64')
    // gap = ⌈log u / log(1 − p)⌉ ≥ 1
    const newTotal = E.add(total, U.ceil(E.div(U.log(u), logQ)))
    const finished = E.logicalOr(done, E.greater(newTotal, n))
    return [next, E.where(finished, count, E.add(count, 1)), E.where(done, total, newTotal), finished]
  }
  const zero = E.mul(n, 0)
  return whileLoop(notAllDone, body, [key, zero, zero, skip] as State)[1]
}

/** BTRS constants of Hörmann (1993), table "Algorithm BTRS", for p ≤ 1/2. */
const btrsConstants = (n: NdArray, p: NdArray) => {
  const spq = U.sqrt(E.mul(E.mul(n, p), E.sub(1, p)))
  const b = E.add(1.15, E.mul(2.53, spq))
  const a = E.add(E.add(-0.0873, E.mul(0.0248, b)), E.mul(0.01, p))
  const c = E.add(E.mul(n, p), 0.5)
  const vr = E.sub(0.92, E.div(4.2, b))
  const alpha = E.mul(E.add(2.83, E.div(5.1, b)), spq)
  const lpq = U.log(E.div(p, E.sub(1, p)))
  const m = U.floor(E.mul(E.add(n, 1), p))
  const h = E.add(lax.lgamma(E.add(m, 1)), lax.lgamma(E.add(E.sub(n, m), 1)))
  return { a, b, c, vr, alpha, lpq, m, h }
}

/** Hörmann's BTRS: k = ⌊(2a/us + b)·u + c⌋, accepted by the squeeze or the exact log-ratio test. */
const btrs = (key: NdArray, n: NdArray, p: NdArray, skip: NdArray): NdArray => {
  const { a, b, c, vr, alpha, lpq, m, h } = btrsConstants(n, p)
  const body = ([k, count, total, done]: State): State => {
    const [next, rest] = split2(k)
    const [ku, kv] = split2(rest)
    const u = E.sub(unit(ku, n.shape, 'float64'), 0.5)
    const v = unit(kv, n.shape, 'float64')
    const us = E.sub(0.5, U.abs(u))
    const cand = U.floor(E.add(E.mul(E.add(E.div(E.mul(2, a), us), b), u), c))
    const squeezeOk = E.logicalAnd(E.greaterEqual(us, 0.07), E.lessEqual(v, vr))
    const inRange = E.logicalAnd(E.greaterEqual(cand, 0), E.lessEqual(cand, n))
    const safe = E.where(inRange, cand, 0)
    const lhs = U.log(E.div(E.mul(v, alpha), E.add(E.div(a, E.mul(us, us)), b)))
    const rhs = E.add(
      E.sub(E.sub(h, lax.lgamma(E.add(safe, 1))), lax.lgamma(E.add(E.sub(n, safe), 1))),
      E.mul(E.sub(safe, m), lpq),
    )
    const accept = E.logicalAnd(
      E.logicalNot(done),
      E.logicalOr(squeezeOk, E.logicalAnd(inRange, E.lessEqual(lhs, rhs))),
    )
    return [next, E.where(accept, cand, count), total, E.logicalOr(done, accept)]
  }
  const zero = E.mul(n, 0)
  return whileLoop(notAllDone, body, [key, zero, zero, skip] as State)[1]
}

/** Binomial counts in float64 of broadcast n and p (NaN where the parameters are invalid). */
const binomialCounts = (key: NdArray, n: NdArray, p: NdArray): NdArray => {
  const invalid = E.logicalOr(
    E.logicalOr(U.isnan(n), E.less(n, 0)),
    E.logicalOr(U.isnan(p), E.logicalOr(E.less(p, 0), E.greater(p, 1))),
  )
  // sample with q = min(p, 1 − p) and reflect: BTRS's constants assume p ≤ 1/2
  const flip = E.greater(p, 0.5)
  const q = E.where(invalid, 0, E.where(flip, E.sub(1, p), p))
  const nn = E.where(invalid, 0, n)
  const trivial = E.logicalOr(E.equal(q, 0), E.equal(nn, 0))
  const useBtrs = E.logicalAnd(E.greaterEqual(E.mul(nn, q), 10), E.logicalNot(trivial))
  const [k1, k2] = split2(key)
  // each sampler runs on its own elements only: the others start finished
  const small = inversion(k1, nn, E.where(useBtrs, 0.5, q), E.logicalOr(trivial, useBtrs))
  const large = btrs(k2, E.where(useBtrs, nn, 20), E.where(useBtrs, q, 0.5), E.logicalNot(useBtrs))
  const k = E.where(useBtrs, large, small)
  return E.where(invalid, NaN, E.where(flip, E.sub(nn, k), k))
}

/**
 * Binomial(n, p) counts (JAX: `jax.random.binomial(key, n, p, shape=None, dtype=None)`), as floats
 * of `dtype`; NaN where n < 0 or p ∉ [0, 1] (or NaN). Inversion below n·min(p, 1 − p) = 10, BTRS
 * (Hörmann 1993) above.
 * @example
 * import { random, mean } from 'wengert'
 * const x = random.binomial(random.key(0), 40, 0.3, [2000], { dtype: 'float64' })
 * assert.ok(Math.abs((mean(x).item() as number) - 12) < 0.3)
 * assert.ok((x.toArray() as number[]).every((v) => Number.isInteger(v) && v >= 0 && v <= 40))
 * @category random @since 0.4.0
 */
export const binomial = (
  key: KeyArray,
  n: ArrayLike,
  p: ArrayLike,
  shape?: ReadonlyArray<number>,
  opts?: DTypeOption,
): NdArray => {
  const { dtype } = floatOptions('binomial', opts, ['dtype'])
  const k = checkSingleKey('binomial', key)
  const [nn, pp] = [param('binomial', n, 'float64'), param('binomial', p, 'float64')]
  const s = drawShape('binomial', shape, nn.shape, pp.shape)
  return lax.cast(lax.stopGradient(binomialCounts(k, broadcastTo(nn, s), broadcastTo(pp, s))), dtype)
}

/** Options of {@link multinomial}. @category random @since 0.4.0 */
export interface MultinomialOptions extends DTypeOption {
  /** The batch shape (the result's shape without the last axis); default `p.shape[:-1]`. */
  readonly shape?: ReadonlyArray<number>
  /** JAX's unroll hint of the scan over outcomes (passed to `lax.scan`; never changes results). */
  readonly unroll?: number | boolean
}

/**
 * Multinomial counts of n trials over the outcomes on p's last axis (JAX:
 * `jax.random.multinomial(key, n, p, *, shape=None, dtype=None, unroll=1)`): outcome i gets
 * Binomial(n − Σ_{j<i} x_j, p_i / Σ_{j≥i} p_j). The result has shape `p.shape` (or
 * `[...shape, p.shape[-1]]`) and the float dtype.
 * @example
 * import { random, sum, array } from 'wengert'
 * const x = random.multinomial(random.key(0), 10, array([0.2, 0.3, 0.5]), { shape: [4] })
 * assert.deepStrictEqual(x.shape, [4, 3])
 * assert.deepStrictEqual(sum(x, { axis: -1 }).toArray(), [10, 10, 10, 10])
 * @category random @since 0.4.0
 */
export const multinomial = (key: KeyArray, n: ArrayLike, p: ArrayLike, opts?: MultinomialOptions): NdArray => {
  const o = floatOptions('multinomial', opts, ['dtype', 'shape', 'unroll'])
  const k = checkSingleKey('multinomial', key)
  const pp = param('multinomial', p, 'float64')
  if (pp.ndim === 0) throw new ShapeError('random.multinomial: p must have at least one axis (the outcomes)')
  const outcomes = pp.shape[pp.ndim - 1] as number
  const nn = param('multinomial', n, 'float64')
  const batch = drawShape('multinomial', o.shape, nn.shape, pp.shape.slice(0, -1))
  const pb = broadcastTo(pp, [...batch, outcomes])
  const nb = broadcastTo(nn, batch)
  // the probability mass still unassigned before each outcome: Σ_{j≥i} p_j
  const tail = E.sub(sum(pb, { axis: -1, keepdims: true }), E.sub(lax.cumsum(pb, pb.ndim - 1), pb))
  // NOTE: the last outcome's ratio is 1 (it takes what is left); a zero tail gives zero counts
  const cond = E.where(E.greater(tail, 0), E.clip(E.div(pb, tail), 0, 1), 0)
  const keys = lax.randomSplit(k, [outcomes])
  const moved = (x: NdArray): NdArray => lax.transpose(x, [x.ndim - 1, ...batch.map((_, i) => i)])
  const [, counts] = scan(
    (left: NdArray, [ki, ci]: readonly [NdArray, NdArray]): [NdArray, NdArray] => {
      const x = binomialCounts(ki, left, ci)
      return [E.sub(left, x), x]
    },
    nb,
    [keys, moved(cond)] as const,
    o.unroll === undefined ? {} : { unroll: o.unroll },
  )
  const out = lax.transpose(counts, [...batch.map((_, i) => i + 1), 0])
  return lax.cast(lax.stopGradient(out), o.dtype)
}
