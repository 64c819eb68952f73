/**
 * The create_graph formulas of element-wise math ops whose gradient graph in PyTorch is not the
 * rule's composition (issue 10, difftest class D7), written with facade ops as derivatives.yaml
 * and FunctionsManual.cpp write them: clamp's `clamp_backward` (one `where`), pow's
 * `pow_backward` (`grad * (exponent * self.pow(exponent - 1))` with a Scalar product, zeros for
 * a zero exponent) and `pow_backward_self` / `pow_backward_exponent` (selecting 0 where the
 * exponent is 0), logsumexp's `logsumexp_backward`, atan2's `atan2_backward`. Gradients of broadcast inputs are summed to their shapes as the autograd
 * engine does (`sum_to`).
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { op, type OpOptions } from '../autograd/op'
import { Tensor } from '../tensor'
import { plusOne } from './activationFormulas'
import { sumTo } from './gradFormulas'

type Formula = NonNullable<OpOptions['formula']>

/** `t * s` as ATen's Scalar overload records it (MulBackward1: the Scalar has no edge). */
const mulScalar = (t: Tensor, s: number): Tensor => op('MulBackward1', [t], (v) => lax.mulScalar(v, s))

/** `at::zeros_like(self)`: a constant, outside the graph. */
const zerosLike = (t: Tensor): Tensor => Tensor._fromValue(lax.zerosLike(t._value()))

/**
 * `clamp_backward(grad, self, min, max)` for number bounds: `where(min <= self <= max, grad, 0)`
 * (only the given bounds compared), one WhereBackward0 node.
 */
export const clampFormula =
  (lo: number | undefined, hi: number | undefined): Formula =>
  (g, inputs) => {
    const self = inputs[0] as Tensor
    const cond =
      lo === undefined ? self.le(hi as number) : hi === undefined ? self.ge(lo) : self.ge(lo).logical_and(self.le(hi))
    return [g.where(cond, 0), ...inputs.slice(1).map(() => null)]
  }

/** `pow_backward(grad, self, exponent)` for a number exponent: zeros for 0, else `grad * (exponent * self.pow(exponent - 1))`. */
export const powScalarFormula =
  (exponent: number): Formula =>
  (g, [x]) => {
    const self = x as Tensor
    return [exponent === 0 ? zerosLike(self) : g.mul(mulScalar(self.pow(exponent - 1), exponent)), null]
  }

/**
 * `pow_backward_self`: `where(exponent == 0, 0, grad * (exponent * self.pow(exponent - 1)))`, and
 * `pow_backward_exponent`: `grad * where(self == 0 and exponent >= 0, 0, result * self.log())`.
 */
export const powTensorFormula: Formula = (g, [x, y], output) => {
  const self = x as Tensor
  const exponent = y as Tensor
  const zero = Tensor._fromValue(lax.scalarLike(0, g._value()))
  const dSelf = zero.where(exponent.eq(0), g.mul(exponent.mul(self.pow(exponent.sub(1)))))
  const dExp = g.mul(zero.where(self.eq(0).logical_and(exponent.ge(0)), output().mul(self.log())))
  return [sumTo(dSelf, self), sumTo(dExp, exponent)]
}

/**
 * `logsumexp_backward(grad, self, result, dim, keepdim)`: `grad * (self - result).exp()`, grad and
 * result unsqueezed at the reduced dimensions (ascending) when not kept.
 */
export const logsumexpFormula =
  (axes: ReadonlyArray<number>, keepdim: boolean): Formula =>
  (g, [x], output) => {
    const self = x as Tensor
    const sorted = [...axes].sort((a, b) => a - b)
    const unsqueeze = (t: Tensor): Tensor =>
      keepdim || self.ndim === 0 ? t : sorted.reduce((acc, d) => acc.unsqueeze(d), t)
    return [unsqueeze(g).mul(self.sub(unsqueeze(output())).exp())]
  }

/** `atan2_backward`: `grad * other * recip` and `grad * -self * recip`, recip = `(self² + other²).reciprocal()`. */
export const atan2Formula: Formula = (g, [x, y]) => {
  const self = x as Tensor
  const other = y as Tensor
  const recip = self.mul(self).add(other.mul(other)).reciprocal()
  return [sumTo(g.mul(other).mul(recip), self), sumTo(g.mul(self.neg()).mul(recip), other)]
}

/** atan: `grad / (self * self + 1)` (DivBackward0 over the gradient and AddBackward1). */
export const atanFormula: Formula = (g, [x]) => {
  const self = x as Tensor
  return [g.div(plusOne(self.mul(self)))]
}

/**
 * exp: `grad * result` — the saved result, so the gradient's graph reaches the op's own node (the
 * rule's composition evaluated `exp(self)` again: a second ExpBackward0, whose gradients were not
 * accumulated with the first's; difftest 431214).
 */
export const expFormula: Formula = (g, _, output) => [g.mul(output())]

/** expm1: `grad * (result + 1)` (MulBackward0 over AddBackward1 of the saved result). */
export const expm1Formula: Formula = (g, _, output) => [g.mul(plusOne(output()))]
