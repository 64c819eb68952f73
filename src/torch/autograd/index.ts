/**
 * `torch.autograd`: `backward`, `grad`, `Function`, `gradcheck`, `gradgradcheck`, grad-mode
 * context functions, and the graph's node classes.
 *
 * @category torch
 * @since 0.1.0
 */
import type { Tensor, TensorData } from '../tensor'
import { backward as engineBackward, type BackwardOptions } from './engine'

export { grad, type GradOptions } from './grad'
export { Function, FunctionCtx } from './function'
export { gradcheck, gradgradcheck, GradcheckError, type GradcheckOptions } from './gradcheck'
export {
  no_grad,
  enable_grad,
  set_grad_enabled,
  inference_mode,
  is_grad_enabled,
  type GradModeContext,
} from './grad_mode'
export { Node, AccumulateGrad, RemovableHandle } from './node'
export type { BackwardOptions } from './engine'

/**
 * `torch.autograd.backward(tensors, grad_tensors?, { retain_graph, create_graph, inputs })`.
 * @category torch @since 0.1.0
 */
export const backward = (
  tensors: Tensor | ReadonlyArray<Tensor>,
  grad_tensors?: TensorData | null | ReadonlyArray<TensorData | null>,
  opts: BackwardOptions = {},
): void => {
  const ts = Array.isArray(tensors) ? (tensors as ReadonlyArray<Tensor>) : [tensors as Tensor]
  const gs =
    grad_tensors === undefined || grad_tensors === null
      ? ts.map(() => null)
      : ts.length === 1 && !Array.isArray(grad_tensors)
        ? [grad_tensors as TensorData]
        : (grad_tensors as ReadonlyArray<TensorData | null>)
  engineBackward(ts, gs, opts)
}

let anomaly = false
/** Accepted for compatibility (wengert's messages already name the failing node). @category torch @since 0.1.0 */
export const set_detect_anomaly = (mode: boolean): void => {
  anomaly = mode
}
/** `with torch.autograd.detect_anomaly():` as a callback (accepted; no effect on messages). @category torch @since 0.1.0 */
export const detect_anomaly = <R>(body: () => R): R => {
  const prev = anomaly
  anomaly = true
  try {
    return body()
  } finally {
    anomaly = prev
  }
}
/** Whether `set_detect_anomaly(true)` was called. @category torch @since 0.1.0 */
export const is_anomaly_enabled = (): boolean => anomaly

/** `torch.autograd.functional`: jacobian, hessian, vjp, jvp, vhp, hvp. */
export * as functional from './functional'

/** `torch.autograd.graph`: the node class. */
export * as graph from './graph'
export { Variable } from './variable'
/** `torch.autograd.function`: `Function`, `FunctionCtx`, `once_differentiable`. */
export * as function from './functionNamespace'
/** `torch.autograd.forward_ad`: dual levels, `make_dual`, `unpack_dual`. @category torch @since 0.2.0 */
export * as forward_ad from './forwardAd'
