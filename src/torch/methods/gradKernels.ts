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
 *   it (PyTorch 1.13 and 2.x alike; amax/amin use mask · grad / count instead, kept as it was).
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import type { NdArray } from '../../ndarray/NdArray'
import { customVjp } from '../../transforms/custom'

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

const GELU_TANH_BETA = Math.sqrt(2 / Math.PI)
const GELU_KAPPA = 0.044715

/** `x·Φ(x)` (exact) or `½x·(1 + tanh(√(2/π)(x + 0.044715x³)))` (tanh). */
const geluValue = (x: NdArray, approximate: 'none' | 'tanh'): NdArray => {
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
    (x: NdArray, g: NdArray) => [lax.mul(g, geluDerivative(x, approximate))],
  )

/** gelu with PyTorch's backward `grad · gelu′(x)` (one product), for `approximate` 'none' and 'tanh'. */
export const geluFns: Readonly<Record<'none' | 'tanh', (x: NdArray) => NdArray>> = {
  none: geluKernel('none'),
  tanh: geluKernel('tanh'),
}
