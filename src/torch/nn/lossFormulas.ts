/**
 * The create_graph formulas of the element-wise regression losses (issue 10, difftest class D7):
 * PyTorch's gradient of `mse_loss`, `smooth_l1_loss` and `huber_loss` is one ATen backward op
 * over (grad, self, target) (derivatives.yaml: `mse_loss_backward(grad, self, target,
 * reduction)`, the target's the same op with self and target swapped), so a create_graph
 * gradient is one `…LossBackwardBackward0` node. Each kernel is that op's CPU formula
 * (aten/src/ATen/native/Loss.cpp, cpu/PointwiseOpsKernel.cpp) with `norm` 1/numel for 'mean'.
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import type { DType } from '../../ndarray/dtype'
import type { NdArray } from '../../ndarray/NdArray'
import { op, type OpOptions } from '../autograd/op'
import { sumTo } from '../methods/gradFormulas'
import { broadcastShape } from '../ops/convert'
import type { Tensor } from '../tensor'
import type { Reduction } from './module'

type Formula = NonNullable<OpOptions['formula']>
/** A loss backward op's value from the gradient, self, target (one shape) and the reduction's norm. */
type Kernel = (g: NdArray, x: NdArray, t: NdArray, norm: number) => NdArray

/**
 * The formula "one node `name` over (grad, self, target)" for self, and over (grad, target, self)
 * for the target, each computing `kernel` in `dtype`, summed to a broadcast input's shape.
 */
export const lossBackwardNode =
  (name: string, kernel: Kernel, reduction: Reduction, dtype: DType): Formula =>
  (g, inputs) => {
    const [x, t] = inputs as [Tensor, Tensor]
    const shape = broadcastShape(x.shape, t.shape)
    const norm = reduction === 'mean' ? 1 / shape.reduce((a, b) => a * b, 1) : 1
    const node = (a: Tensor, b: Tensor): Tensor =>
      op(name, [g, a, b], (...vs) => {
        const [gv, av, bv] = vs.map((v) => lax.broadcastTo(lax.cast(v, dtype), shape)) as [NdArray, NdArray, NdArray]
        return kernel(gv, av, bv, norm)
      })
    return [sumTo(node(x, t), x), sumTo(node(t, x), t)]
  }

/** `mse_loss_backward`: (self − target) · 2·norm · grad. */
export const mseBackward: Kernel = (g, x, t, norm) => lax.mul(lax.mulScalar(lax.sub(x, t), 2 * norm), g)

/** The piecewise backward of smooth L1 / Huber: ∓norm·grad·`outer` beyond ±`edge`, else norm·(x − t)·grad·`inner`. */
const piecewise =
  (edge: number, outer: number, inner: number): Kernel =>
  (g, x, t, norm) => {
    const d = lax.sub(x, t)
    const e = lax.broadcastLike(lax.scalarLike(edge, d), d)
    const pos = lax.mulScalar(g, norm * outer)
    const mid = lax.mulScalar(lax.mul(d, g), norm * inner)
    return lax.select(lax.le(d, lax.neg(e)), lax.neg(pos), lax.select(lax.ge(d, e), pos, mid))
  }

/** `smooth_l1_loss_backward`: −norm·grad (x − t ≤ −beta), norm·grad (≥ beta), else norm·(x − t)·grad / beta. */
export const smoothL1Backward = (beta: number): Kernel => piecewise(beta, 1, 1 / beta)

/** `huber_loss_backward`: ∓norm·grad·delta beyond ±delta, else norm·(x − t)·grad. */
export const huberBackward = (delta: number): Kernel => piecewise(delta, delta, 1)
