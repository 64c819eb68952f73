/**
 * `torch.autograd`: `backward`, `grad`, `Function`, `gradcheck`, `gradgradcheck`, grad-mode
 * context functions, and the graph's node classes.
 *
 * @category torch
 * @since 0.1.0
 */
import type { Tensor, TensorData } from '../tensor'
import { backward as engineBackward, type BackwardOptions } from './engine'
import { backwardInputs, bindCall, engineFlags } from './callArgs'
import { RuntimeError } from '../errors'
import { warn } from '../warnings'

export { grad, type GradOptions, type GradOutputs } from './grad'
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

/** The options of {@link backward}: {@link BackwardOptions} and PyTorch's deprecated `grad_variables`. */
export interface AutogradBackwardOptions extends BackwardOptions {
  /** The gradients, under PyTorch's deprecated name (warns; use `grad_tensors`). */
  readonly grad_variables?: GradTensors
}

/** The gradients of a backward: one per tensor (a single one for a single tensor), null for 1. */
export type GradTensors = TensorData | null | ReadonlyArray<TensorData | null>

/**
 * `torch.autograd.backward(tensors, grad_tensors?, { retain_graph, create_graph, inputs })`, or
 * PyTorch's positional `(tensors, grad_tensors, retain_graph, create_graph, grad_variables, inputs)`.
 * @category torch @since 0.1.0
 */
export function backward(
  tensors: Tensor | ReadonlyArray<Tensor>,
  grad_tensors?: GradTensors,
  opts?: AutogradBackwardOptions,
): void
export function backward(
  tensors: Tensor | ReadonlyArray<Tensor>,
  grad_tensors: GradTensors,
  retain_graph: boolean | null,
  create_graph?: boolean,
  grad_variables?: GradTensors,
  inputs?: Tensor | ReadonlyArray<Tensor> | null,
): void
export function backward(tensors: Tensor | ReadonlyArray<Tensor>, ...rest: ReadonlyArray<unknown>): void {
  const names = ['tensors', 'grad_tensors', 'retain_graph', 'create_graph', 'grad_variables', 'inputs']
  const a = bindCall('backward', rest, names, 1)
  const ts = Array.isArray(tensors) ? (tensors as ReadonlyArray<Tensor>) : [tensors as Tensor]
  let grad_tensors = a.grad_tensors as GradTensors | undefined
  if (a.grad_variables !== undefined && a.grad_variables !== null) {
    warn("'grad_variables' is deprecated. Use 'grad_tensors' instead.", 'FutureWarning')
    if (grad_tensors !== undefined && grad_tensors !== null)
      throw new RuntimeError(
        "'grad_tensors' and 'grad_variables' (deprecated) arguments both passed to backward(). Please only use 'grad_tensors'.",
      )
    grad_tensors = a.grad_variables as GradTensors
  }
  const inputs = backwardInputs(a.inputs)
  const gs =
    grad_tensors === undefined || grad_tensors === null
      ? ts.map(() => null)
      : ts.length === 1 && !Array.isArray(grad_tensors)
        ? [grad_tensors as TensorData]
        : (grad_tensors as ReadonlyArray<TensorData | null>)
  const opts = engineFlags(a.retain_graph, a.create_graph)
  engineBackward(ts, gs, inputs ? { ...opts, inputs } : opts)
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
export { Variable, type VariableKw } from './variable'
/** `torch.autograd.variable`: the module of `Variable`. @category torch @since 0.3.0 */
export * as variable from './variableNamespace'
/** `torch.autograd.function`: `Function`, `FunctionCtx`, `once_differentiable`. */
export * as function from './functionNamespace'
/** `torch.autograd.forward_ad`: dual levels, `make_dual`, `unpack_dual`. @category torch @since 0.2.0 */
export * as forward_ad from './forwardAd'
