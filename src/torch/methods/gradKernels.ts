/**
 * Forward functions whose VJP is PyTorch's backward kernel rather than the derivative of their
 * composition (issue 10, difftest class D2): where PyTorch computes a gradient in one kernel, the
 * sign of its zeros (and its NaNs) follow that kernel's arithmetic, which a sum of the
 * composition's partial derivatives does not reproduce.
 *
 * - `gelu`: `grad · (cdf + x·pdf)` (`GeluBackward0`'s `gelu_backward`), one product, so a zero
 *   incoming gradient gives ±0 with the bracket's sign;
 * - the full `max()`/`min()`: `evenly_distribute_backward` — `grad / #ties` written into zeros
 *   (+0 elsewhere whatever the gradient's sign), and when the result is NaN, the NaN inputs share
 *   it (PyTorch 1.13 and 2.x alike; amax/amin use mask · grad / count instead, kept as it was);
 *   the full `median()`/`nanmedian()` too;
 * - `logcumsumexp`: `logcumsumexp_backward`, which splits the gradient by sign and sums each part
 *   in log space, so NaN and zero gradients drop out of both parts (difftest seed 320808);
 * - `nansum`'s NaN masking: `nansum_backward` multiplies the expanded gradient by `!isnan(self)`,
 *   so an infinite or NaN gradient gives NaN at a NaN input, not 0 (difftest seed 322316);
 * - `xlogy`: `xlogy(grad, other)` masked to 0 where self = 0 and other ≤ 0, and `grad · self / other`,
 *   so a zero gradient stays +0 and self = 0 gets 0 where log(other) is not finite (seeds 323395, 330131);
 * - `hypot`: `grad · self / result` and `grad · other / result` (NaN at 0 = hypot(0, 0), seed 328164);
 * - `cdist` for p ∉ {0, 1, 2, ∞}: `_cdist_backward`'s per-component term, 0 where the distance is 0
 *   and (p < 1) where the component difference is 0 (seeds 322342, 325579).
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import type { NdArray } from '../../ndarray/NdArray'
import { customVjp } from '../../transforms/custom'
import { vjp } from '../../transforms/vjp'
import { GELU_KAPPA, GELU_TANH_BETA, geluTanhBackwardFused, geluTanhFused } from './geluFused'

const allAxes = (x: NdArray): number[] => x.shape.map((_, i) => i)

/** The maximum (or minimum) of every element; NaN when any element is NaN. */
const extremum = (x: NdArray, which: 'max' | 'min'): NdArray =>
  which === 'max' ? lax.reduceMax(x, allAxes(x)) : lax.neg(lax.reduceMax(lax.neg(x), allAxes(x)))

/** The VJP of the full max()/min(): grad / #ties at the elements equal to the result (NaNs when it is NaN), +0 elsewhere. */
const evenlyDistribute = (x: NdArray, y: NdArray, g: NdArray): NdArray => {
  const yb = lax.broadcastLike(y, x)
  const mask = lax.or(lax.eq(x, yb), lax.and(lax.isNan(x), lax.isNan(yb)))
  const count = lax.reduceSum(lax.cast(mask, x.dtype), allAxes(x))
  return lax.select(mask, lax.broadcastLike(lax.div(g, count), x), lax.zerosLike(x))
}

const fullReduction = (which: 'max' | 'min'): ((x: NdArray) => NdArray) =>
  customVjp(
    (x: NdArray) => extremum(x, which),
    (x: NdArray) => {
      const y = extremum(x, which)
      return [y, [x, y]] as const
    },
    (res: readonly [NdArray, NdArray], g: NdArray) => [evenlyDistribute(res[0], res[1], g)],
  )

/** The full `max()` with PyTorch's `evenly_distribute_backward` gradient. */
export const maxAll: (x: NdArray) => NdArray = fullReduction('max')
/** The full `min()` with PyTorch's `evenly_distribute_backward` gradient. */
export const minAll: (x: NdArray) => NdArray = fullReduction('min')

/**
 * A full reduction `pick` that selects one element (the full `median()` / `nanmedian()`), with
 * PyTorch's `evenly_distribute_backward` gradient: shared by every element equal to the result
 * (difftest seeds 324874, 327074).
 */
export const evenlyDistributed = (pick: (x: NdArray) => NdArray): ((x: NdArray) => NdArray) =>
  customVjp(
    (x: NdArray) => pick(x),
    (x: NdArray) => {
      const y = pick(x)
      return [y, [x, y]] as const
    },
    (res: readonly [NdArray, NdArray], g: NdArray) => [evenlyDistribute(res[0], res[1], g)],
  )

/** `x·Φ(x)` (exact) or `½x·(1 + tanh(√(2/π)(x + 0.044715x³)))` (tanh). */
const geluValue = (x: NdArray, approximate: 'none' | 'tanh'): NdArray => {
  const fused = approximate === 'tanh' ? geluTanhFused(x) : undefined
  if (fused !== undefined) return fused
  const inner =
    approximate === 'none'
      ? lax.erf(lax.mulScalar(x, Math.SQRT1_2))
      : lax.tanh(lax.mulScalar(lax.add(x, lax.mulScalar(lax.mul(x, lax.mul(x, x)), GELU_KAPPA)), GELU_TANH_BETA))
  return lax.mul(lax.mulScalar(x, 0.5), lax.addScalar(inner, 1))
}

/** gelu′(x), in the order of PyTorch's CPU kernel: `cdf + x·pdf`, or the tanh form's `½(1 + t) + ½x(1 − t²)β(1 + 3κx²)`. */
export const geluDerivative = (x: NdArray, approximate: 'none' | 'tanh'): NdArray => {
  if (approximate === 'none') {
    const cdf = lax.mulScalar(lax.addScalar(lax.erf(lax.mulScalar(x, Math.SQRT1_2)), 1), 0.5)
    const pdf = lax.mulScalar(
      lax.exp(lax.mulScalar(lax.mul(x, x), -0.5)),
      0.5 * Math.SQRT1_2 * (2 / Math.sqrt(Math.PI)),
    )
    return lax.add(cdf, lax.mul(x, pdf))
  }
  const xSq = lax.mul(x, x)
  const inner = lax.mulScalar(lax.add(x, lax.mulScalar(lax.mul(xSq, x), GELU_KAPPA)), GELU_TANH_BETA)
  const t = lax.tanh(inner)
  const left = lax.mulScalar(x, 0.5)
  const leftDerivative = lax.mulScalar(lax.addScalar(t, 1), 0.5)
  const tanhDerivative = lax.sub(lax.scalarLike(1, t), lax.mul(t, t))
  const innerDerivative = lax.mulScalar(lax.addScalar(lax.mulScalar(xSq, 3 * GELU_KAPPA), 1), GELU_TANH_BETA)
  return lax.add(leftDerivative, lax.mul(lax.mul(left, tanhDerivative), innerDerivative))
}

const geluKernel = (approximate: 'none' | 'tanh'): ((x: NdArray) => NdArray) =>
  customVjp(
    (x: NdArray) => geluValue(x, approximate),
    (x: NdArray) => [geluValue(x, approximate), x] as const,
    (x: NdArray, g: NdArray) => [
      (approximate === 'tanh' ? geluTanhBackwardFused(x, g) : undefined) ?? lax.mul(g, geluDerivative(x, approximate)),
    ],
  )

/** gelu with PyTorch's backward `grad · gelu′(x)` (one product), for `approximate` 'none' and 'tanh'. */
export const geluFns: Readonly<Record<'none' | 'tanh', (x: NdArray) => NdArray>> = {
  none: geluKernel('none'),
  tanh: geluKernel('tanh'),
}

/** The lowest finite value of a float dtype (C++ `numeric_limits<T>::lowest()`). */
const lowest = (x: NdArray): number => (x.dtype === 'float64' ? -Number.MAX_VALUE : -3.4028234663852886e38)

/**
 * PyTorch's `logcumsumexp_backward(grad, self, result, dim)`: with `rev(z) = flip(logcumsumexp(flip(z)))`,
 * `exp(rev(log g⁺ − result) + self) − exp(rev(log g⁻ − result) + self)`, where `log g⁺` is
 * `log|grad|` where grad > 0 and the dtype's lowest value elsewhere (`log g⁻` likewise for grad < 0).
 */
const logcumsumexpBackward = (x: NdArray, y: NdArray, g: NdArray, axis: number): NdArray => {
  if (g.ndim === 0 || g.size === 0) return g
  const floor = lax.scalarLike(lowest(g), g)
  const logAbs = lax.log(lax.abs(g))
  const zero = lax.zerosLike(g)
  const part = (mask: NdArray): NdArray =>
    lax.exp(lax.add(lax.cumlogsumexp(lax.sub(lax.select(mask, logAbs, floor), y), axis, true), x))
  return lax.sub(part(lax.gt(g, zero)), part(lax.lt(g, zero)))
}

/**
 * The running log-sum-exp as PyTorch's CPU kernel computes it: each element is combined with the
 * running value, which starts at −∞ (`max + log1p(exp(min − max))`), so the first element −0 gives
 * −0 + log1p(0) = +0 (difftest seed 323292); adding +0 does the same to every lane.
 */
const runningLogSumExp = (x: NdArray, axis: number): NdArray => lax.add(lax.cumlogsumexp(x, axis), lax.zerosLike(x))

/** `logcumsumexp` along `axis` with PyTorch's backward (see {@link logcumsumexpBackward}). */
export const logcumsumexpWithGrad = (axis: number): ((x: NdArray) => NdArray) =>
  customVjp(
    (x: NdArray) => runningLogSumExp(x, axis),
    (x: NdArray) => {
      const y = runningLogSumExp(x, axis)
      return [y, [x, y]] as const
    },
    (res: readonly [NdArray, NdArray], g: NdArray) => [logcumsumexpBackward(res[0], res[1], g, axis)],
  )

/**
 * `x`'s elements at the flat positions `flat` (distinct), whose VJP writes the gradient into zeros
 * instead of adding it there: PyTorch's `value_selecting_reduction_backward` (max/min/kthvalue/
 * median/mode along a dim, sort, topk) is `zeros(sizes).scatter_(dim, indices, grad)`, so a −0
 * gradient stays −0 (zeros + −0 would be +0; difftest seeds 323131, 328493).
 */
export const selectFlat: (x: NdArray, flat: NdArray) => NdArray = customVjp(
  (v: NdArray, flat: NdArray) => lax.gather(lax.reshape(v, [v.size]), flat, 0),
  (v: NdArray, flat: NdArray) => [lax.gather(lax.reshape(v, [v.size]), flat, 0), [v, flat]] as const,
  ([v, flat]: readonly [NdArray, NdArray], g: NdArray) => [
    lax.reshape(lax.scatter(lax.zerosLike({ shape: [v.size], dtype: v.dtype }), flat, g, true), v.shape),
    null,
  ],
)

const nanMask = (x: NdArray): NdArray => lax.cast(lax.not(lax.isNan(x)), x.dtype)

/** `x` with its NaNs replaced by 0, whose VJP is PyTorch's `grad · !isnan(self)` (`nansum_backward`). */
export const zeroNans: (x: NdArray) => NdArray = customVjp(
  (x: NdArray) => lax.select(lax.isNan(x), lax.zerosLike(x), x),
  (x: NdArray) => [lax.select(lax.isNan(x), lax.zerosLike(x), x), x] as const,
  (x: NdArray, g: NdArray) => [lax.mul(g, nanMask(x))],
)

type Partial = (g: NdArray, x: NdArray, y: NdArray, out: NdArray) => NdArray

/**
 * A broadcasting binary `value(x, y)` whose VJP is PyTorch's formulas `dx(g, x, y, out)` and
 * `dy(g, x, y, out)` (operands broadcast to the result's shape, cotangents summed back).
 */
export const binaryWithGrad = (
  value: (x: NdArray, y: NdArray) => NdArray,
  dx: Partial,
  dy: Partial,
): ((x: NdArray, y: NdArray) => NdArray) =>
  customVjp(
    (x: NdArray, y: NdArray) => value(x, y),
    (x: NdArray, y: NdArray) => {
      const out = value(x, y)
      return [out, [x, y, out]] as const
    },
    ([x, y, out]: readonly [NdArray, NdArray, NdArray], g: NdArray) => {
      const [xb, yb] = [lax.broadcastLike(x, out), lax.broadcastLike(y, out)]
      return [lax.unbroadcast(dx(g, xb, yb, out), x.shape), lax.unbroadcast(dy(g, xb, yb, out), y.shape)]
    },
  )

/**
 * A fused product with `beta = 0` (addmv, addr, baddbmm, addbmm): the value is the scaled product
 * alone (self's NaNs do not reach it), but self's gradient is still derivatives.yaml's
 * `maybe_multiply(grad, beta)` = grad · 0 summed to self's shape: −0 where the gradient is negative,
 * NaN where it is not finite (difftest seed 326306).
 */
export const productIgnoringSelf: (self: NdArray, product: NdArray) => NdArray = binaryWithGrad(
  (_self, product) => product,
  (g) => lax.mulScalar(g, 0),
  (g) => g,
)

/**
 * `alpha · product(a, b)` whose VJP is the product's VJP scaled afterwards, as derivatives.yaml's
 * `maybe_multiply(grad.bmm(batch2ᵀ), alpha)`, `maybe_multiply(grad.ger(vec), alpha)`, … have it: a
 * zero product times a negative alpha is −0 (scaling the gradient first, a sum from +0 gives +0).
 */
export const scaledProduct = (
  product: (a: NdArray, b: NdArray) => NdArray,
  alpha: number,
): ((a: NdArray, b: NdArray) => NdArray) =>
  customVjp(
    (a: NdArray, b: NdArray) => lax.mulScalar(product(a, b), alpha),
    (a: NdArray, b: NdArray) => [lax.mulScalar(product(a, b), alpha), [a, b]] as const,
    ([a, b]: readonly [NdArray, NdArray], g: NdArray) => {
      const [ga, gb] = vjp(product, a, b)[1](g)
      return [lax.mulScalar(ga, alpha), lax.mulScalar(gb, alpha)]
    },
  )

/** The shape two same-rank operands broadcast to. */
const sameRankBroadcast = (x: NdArray, y: NdArray): number[] =>
  x.shape.map((d, i) => (d === 1 ? (y.shape[i] as number) : d))

/**
 * `x · y` for operands of equal rank, broadcasting, whose VJP is MulBackward0's `grad · other`
 * summed back by autograd's sum_to, which sums only the stretched axes: a cotangent of an axis of
 * size 1 in both keeps its −0 (a reduction over it would start from +0).
 */
export const broadcastMul: (x: NdArray, y: NdArray) => NdArray = binaryWithGrad(
  (x, y) => {
    const shape = sameRankBroadcast(x, y)
    return lax.mul(lax.broadcastTo(x, shape), lax.broadcastTo(y, shape))
  },
  (g, _x, y) => lax.mul(g, y),
  (g, x) => lax.mul(g, x),
)

/** xlogy(x, y) = x·log y, 0 where x = 0 (NaN where y is NaN). */
const xlogyValue = (x: NdArray, y: NdArray): NdArray => {
  const r = lax.xlogy(x, y)
  return lax.select(lax.isNan(y), lax.broadcastLike(y, r), r)
}

/**
 * xlogy with PyTorch's gradients (derivatives.yaml, pytorch/pytorch#80770)
 * `xlogy(grad, other).masked_fill((self == 0) & (other <= 0), 0)` and `grad · self / other`.
 */
export const xlogyWithGrad: (x: NdArray, y: NdArray) => NdArray = binaryWithGrad(
  xlogyValue,
  (g, x, y) => {
    const zeroAtLogEdge = lax.and(lax.eq(x, lax.zerosLike(x)), lax.le(y, lax.zerosLike(y)))
    return lax.select(zeroAtLogEdge, lax.zerosLike(g), xlogyValue(g, y))
  },
  (g, x, y) => lax.div(lax.mul(g, x), y),
)

/** `_cdist_backward`'s term for one component difference `d` of a pair at distance `dist`. */
const cdistTerm = (d: NdArray, dist: NdArray, g: NdArray, p: number): NdArray => {
  const [distB, gB] = [lax.broadcastLike(dist, d), lax.broadcastLike(g, d)]
  const ad = lax.abs(d)
  const lead =
    p < 2
      ? lax.mul(lax.sign(d), lax.pow(ad, lax.scalarLike(p - 1, d)))
      : lax.mul(d, lax.pow(ad, lax.scalarLike(p - 2, d)))
  const term = lax.div(lax.mul(lead, gB), lax.pow(distB, lax.scalarLike(p - 1, d)))
  const zeroDist = lax.eq(distB, lax.zerosLike(distB))
  const masked = p < 1 ? lax.or(zeroDist, lax.eq(d, lax.zerosLike(d))) : zeroDist
  return lax.select(masked, lax.zerosLike(term), term)
}

/**
 * cdist's p-distances from the pairwise differences (`diffs(a, b)`: shape […, n, m, k], `norm`
 * reduces the last axis), with PyTorch's `_cdist_backward` for a general p.
 */
export const cdistWithGrad = (
  p: number,
  diffs: (a: NdArray, b: NdArray) => NdArray,
  norm: (d: NdArray) => NdArray,
): ((a: NdArray, b: NdArray) => NdArray) =>
  customVjp(
    (a: NdArray, b: NdArray) => norm(diffs(a, b)),
    (a: NdArray, b: NdArray) => {
      const d = diffs(a, b)
      const dist = norm(d)
      return [dist, [a, b, d, dist]] as const
    },
    ([a, b, d, dist]: readonly [NdArray, NdArray, NdArray, NdArray], g: NdArray) => {
      const kept = [...dist.shape, 1]
      const [distK, gK] = [lax.reshape(dist, kept), lax.reshape(g, kept)]
      const ga = lax.reduceSum(cdistTerm(d, distK, gK, p), [d.ndim - 2])
      // x2's gradient as PyTorch computes it, from the differences x2 − x1 (a sum of terms that
      // cancel is +0, where negating x1's side would give −0; difftest seeds 324683, 328400)
      const gb = lax.reduceSum(cdistTerm(lax.neg(d), distK, gK, p), [d.ndim - 3])
      return [lax.unbroadcast(ga, a.shape), lax.unbroadcast(gb, b.shape)]
    },
  )
