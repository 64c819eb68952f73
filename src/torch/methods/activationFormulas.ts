/**
 * The create_graph formulas of the activations (issue 10, difftest class D7): PyTorch computes an
 * activation's gradient with one ATen backward op (derivatives.yaml: `leaky_relu_backward(grad,
 * self, negative_slope, false)`, `elu_backward`, `hardtanh_backward`, `softplus_backward`,
 * `gelu_backward`, `hardswish_backward`, `hardsigmoid_backward`, `log_sigmoid_backward`,
 * `softshrink_backward`, `hardshrink_backward`, `threshold_backward`, relu's `threshold_backward(grad, result, 0)`), so a create_graph gradient
 * is one `…BackwardBackward0` node over the incoming gradient and the saved input (or output); silu
 * and mish use FunctionsManual.cpp's `infinitely_differentiable_silu_backward` /
 * `infinitely_differentiable_mish_backward`, compositions of facade ops. Each kernel below is that
 * backward op's CPU formula (aten/src/ATen/native/cpu/Activation.cpp); the second derivatives are
 * the core's derivatives of the kernels (the backward ops' own `self` formulas: zeros for the
 * piecewise-linear ones, `elu_double_backward`, `softplus_double_backward`, … in value).
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { NdArray } from '../../ndarray/NdArray'
import { op, type OpOptions } from '../autograd/op'
import { floatOf } from '../ops/convert'
import { RuntimeError } from '../errors'
import { Tensor } from '../tensor'
import { geluDerivative } from './gradKernels'

type Formula = NonNullable<OpOptions['formula']>
/** A backward op's value from the incoming gradient `g` and the saved tensor `s`. */
export type Kernel = (g: NdArray, s: NdArray) => NdArray

const k = (v: number, x: NdArray): NdArray => lax.broadcastLike(lax.scalarLike(v, x), x)

/**
 * The create_graph formula "one node `name` over (grad, saved)", where `saved` is the op's input
 * (`of` 'self') or its output ('output'), computing `kernel`.
 */
export const backwardNode =
  (name: string, kernel: Kernel, of: 'self' | 'output' = 'self'): Formula =>
  (g, [x], output) => {
    const saved = of === 'self' ? (x as Tensor) : output()
    return [op(name, [g, saved], (gv, s0) => kernel(lax.cast(gv, floatOf(s0).dtype), floatOf(s0)))]
  }

/** `leaky_relu_backward`: grad where self > 0, else grad · slope. */
export const leakyReluBackward =
  (slope: number): Kernel =>
  (g, x) =>
    lax.select(lax.gt(x, k(0, x)), g, lax.mulScalar(g, slope))

/**
 * Where PyTorch's CPU loop (`cpu_kernel_vec`, one thread, AVX2) takes its vectorized path: the
 * first elements in whole steps of two vectors (sixteen float32, eight float64); the rest go
 * through the scalar lambda. The two differ at NaN only.
 */
const vectorPart = (x: NdArray): NdArray => {
  const step = x.dtype === 'float64' ? 8 : 16
  const mask = new Uint8Array(x.size).fill(1, 0, x.size - (x.size % step))
  return new NdArray(x.shape, 'bool', mask)
}

/**
 * `elu_backward`'s two branches split as its CPU kernel splits them: the scalar lambda tests
 * `s ≤ 0` (a NaN takes the linear branch), the vectorized one `s > 0` (a NaN takes the exponential
 * branch, giving NaN).
 */
const eluSplit = (s: NdArray, neg: NdArray, pos: NdArray): NdArray =>
  lax.select(vectorPart(s), lax.select(lax.gt(s, k(0, s)), pos, neg), lax.select(lax.le(s, k(0, s)), neg, pos))

/** `elu_backward` (is_result false): grad · input_scale · alpha · scale · e^(x · input_scale) where x ≤ 0, else grad · scale. */
export const eluBackward =
  (alpha: number, scale: number, inputScale: number): Kernel =>
  (g, x) =>
    eluSplit(
      x,
      lax.mul(lax.mulScalar(g, inputScale * alpha * scale), lax.exp(lax.mulScalar(x, inputScale))),
      lax.mulScalar(g, scale),
    )

/**
 * `elu_backward` with is_result true (the in-place forms save their output y): grad · input_scale ·
 * (y + alpha · scale) where y ≤ 0, else grad · scale.
 */
export const eluBackwardOfResult =
  (alpha: number, scale: number, inputScale: number): Kernel =>
  (g, y) =>
    eluSplit(y, lax.mul(lax.mulScalar(g, inputScale), lax.addScalar(y, alpha * scale)), lax.mulScalar(g, scale))

/**
 * The ELU family in place: saves the output; every gradient is `elu_backward` over the result
 * (is_result true), one `EluBackwardBackward0` node under create_graph.
 */
export const eluInplace = (alpha: number, scale: number, inputScale: number): OpOptions => {
  const kernel = eluBackwardOfResult(alpha, scale, inputScale)
  return {
    savesOutput: true,
    formula: backwardNode('EluBackwardBackward0', kernel, 'output'),
    grads: (g, _values, _needs, out) => [Tensor._fromValue(kernel(g, out as NdArray))],
    // the result does not tell the branches apart when alpha < 0: PyTorch's backward refuses
    ...(alpha < 0 ? { backwardCheck: negativeSlopeInplace } : {}),
  }
}

const negativeSlopeInplace = (): never => {
  throw new RuntimeError(
    'In-place elu backward calculation is triggered with a negative slope which is not supported. ' +
      'This is caused by calling in-place forward function with a negative slope, please call out-of-place version instead.',
  )
}

/** `hardtanh_backward`: 0 where x ≤ min or x ≥ max, else grad. */
export const hardtanhBackward =
  (lo: number, hi: number): Kernel =>
  (g, x) =>
    lax.select(lax.or(lax.le(x, k(lo, x)), lax.ge(x, k(hi, x))), lax.zerosLike(g), g)

/** `threshold_backward`: 0 where x ≤ threshold, else grad. */
export const thresholdBackward =
  (threshold: number): Kernel =>
  (g, x) =>
    lax.select(lax.le(x, k(threshold, x)), lax.zerosLike(g), g)

/** `softshrink_backward` and `hardshrink_backward`: 0 where −lambd ≤ x ≤ lambd, else grad. */
export const shrinkBackward =
  (lambd: number): Kernel =>
  (g, x) =>
    lax.select(lax.and(lax.ge(x, k(-lambd, x)), lax.le(x, k(lambd, x))), lax.zerosLike(g), g)

/** `softplus_backward`: grad where beta·x > threshold, else grad · z / (z + 1) with z = e^(beta·x). */
export const softplusBackward =
  (beta: number, threshold: number): Kernel =>
  (g, x) => {
    const bx = lax.mulScalar(x, beta)
    const z = lax.exp(bx)
    return lax.select(lax.gt(bx, k(threshold, bx)), g, lax.div(lax.mul(g, z), lax.addScalar(z, 1)))
  }

/** `gelu_backward`: grad · gelu′(x). */
export const geluBackward =
  (approximate: 'none' | 'tanh'): Kernel =>
  (g, x) =>
    lax.mul(g, geluDerivative(x, approximate))

/** `hardswish_backward`: 0 where x < −3, grad · (x/3 + ½) where x ≤ 3, else grad. */
export const hardswishBackward: Kernel = (g, x) =>
  lax.select(
    lax.lt(x, k(-3, x)),
    lax.zerosLike(g),
    lax.select(lax.le(x, k(3, x)), lax.mul(g, lax.addScalar(lax.div(x, k(3, x)), 0.5)), g),
  )

/**
 * `hardsigmoid_backward`: grad · 1/6 where −3 < x < 3, else 0; its 1/6 is a float32 constant in
 * every dtype (`1.0f / 6.0f`, Activation.cpp, PyTorch 1.13 and 2.x), so a float64 gradient is
 * grad · 0.16666667163372040.
 */
export const hardsigmoidBackward: Kernel = (g, x) =>
  lax.select(lax.and(lax.gt(x, k(-3, x)), lax.lt(x, k(3, x))), lax.mul(g, k(Math.fround(1 / 6), g)), lax.zerosLike(g))

/** `log_sigmoid_backward`: grad · σ(−x). */
export const logSigmoidBackward: Kernel = (g, x) => lax.mul(g, lax.logistic(lax.neg(x)))

/** `tanh_backward(grad, result)`: grad · (1 − result²). */
export const tanhBackward: Kernel = (g, y) => lax.mul(g, lax.sub(k(1, y), lax.mul(y, y)))

/**
 * `tanh_backward(grad_output, output)` as its own node (TanhBackwardBackward0) with its own
 * derivatives: `tanh_backward(grad, output)` for grad_output (the node again) and
 * `grad · (−2 · output · grad_output)` for output — so a third derivative, or the double-backward
 * trick of `autograd.functional.jvp`, has PyTorch's nodes.
 */
const tanhBackwardOp = (g: Tensor, y: Tensor): Tensor =>
  op('TanhBackwardBackward0', [g, y], (gv, yv) => tanhBackward(lax.cast(gv, floatOf(yv).dtype), floatOf(yv)), {
    formula: (gg, [go, out]) => [tanhBackwardOp(gg, out!), gg.mul(out!.mul(-2).mul(go!))],
  })

/** tanh's backward formula: `tanh_backward(grad, result)`. */
export const tanhFormula: Formula = (g, _, output) => [tanhBackwardOp(g, output())]

/** `1 − t` as C++'s `1.0 - t` records it: SubBackward0 with a constant (edgeless) first input. */
const oneMinus = (t: Tensor): Tensor => Tensor._fromValue(lax.scalarLike(1, t._value())).sub(t)

/** `t + 1` as ATen's Scalar overload records it (AddBackward1: the Scalar has no edge). */
export const plusOne = (t: Tensor): Tensor => op('AddBackward1', [t], (v) => lax.addScalar(v, 1))

/** `infinitely_differentiable_silu_backward`: `grad · σ(x) · (1 + x · (1 − σ(x)))`. */
export const siluFormula: Formula = (g, [x]) => {
  const self = x as Tensor
  const sigmoid = self.sigmoid()
  return [g.mul(sigmoid).mul(plusOne(self.mul(oneMinus(sigmoid))))]
}

/** `infinitely_differentiable_mish_backward`: `grad · (tsp + x · σ(x) · (1 − tsp²))`, tsp = tanh(log1p(eˣ)). */
export const mishFormula: Formula = (g, [x]) => {
  const self = x as Tensor
  const sigmoid = self.sigmoid()
  const tsp = self.exp().log1p().tanh()
  return [g.mul(tsp.add(self.mul(sigmoid).mul(oneMinus(tsp.mul(tsp)))))]
}

/** reciprocal (derivatives.yaml): `-grad * (result * result)`. */
export const reciprocalFormula: Formula = (g, _, output) => {
  const result = output()
  return [g.neg().mul(result.mul(result))]
}
