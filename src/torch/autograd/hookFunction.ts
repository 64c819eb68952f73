/**
 * PyTorch's `BackwardHookFunction`: an identity over several tensors recorded as ONE node
 * (`BackwardHookFunctionBackward`) with one output per tensor, on which a module's full backward
 * hooks hang (see src/torch/nn/backwardHook.ts). As PyTorch's custom Function returning its
 * inputs as-is, each output is a view of its input (same storage and version counter) whose
 * grad_fn is the node; outputs of inputs that need no gradient are not differentiable. In-place
 * ops on the outputs under grad mode are refused with PyTorch's messages (a lone differentiable
 * output is a custom-Function view, several are multi-output views). The backward passes each
 * gradient through, zeros where none arrived (a Function's gradients are materialized).
 *
 * @category torch
 * @since 0.2.0
 */
import { zerosLike } from '../../core/lax'
import { Tensor } from '../tensor'
import { edgeOf, markCustomFunctionView, regenerateViewGradFn } from './op'
import { Node } from './node'

/** PyTorch's node name of the identity a module's full backward hooks hang on. */
export const BACKWARD_HOOK_NODE = 'BackwardHookFunctionBackward'

/** A view of `t` sharing its storage, version counter and view path (PyTorch's `t.view_as(t)`). */
const viewOfSelf = (t: Tensor): Tensor => {
  const out = new Tensor(t)
  out._base = t._base ?? t
  out._baseLen = t._base === null ? t._path.length : t._baseLen
  out._viewVersion = out._counter.v
  return out
}

/**
 * The identity over `tensors` as one recorded node (call it with grad mode on and some tensor
 * requiring grad): returns the outputs and the node.
 */
export const backwardHookFunction = (tensors: ReadonlyArray<Tensor>): [Tensor[], Node] => {
  const needs = tensors.map((t) => t.requires_grad)
  const node = new Node(
    BACKWARD_HOOK_NODE,
    tensors.map((t, i) => (needs[i] ? edgeOf(t) : ([null, 0] as const))),
  )
  node._numOutputs = tensors.length
  const values = tensors.map((t) => t._value())
  const pass = (gOuts: ReadonlyArray<Tensor | null>): Array<Tensor | null> =>
    values.map((v, k) => gOuts[k] ?? Tensor._fromValue(zerosLike(v)))
  node._backwardAll = (gOuts) => pass(gOuts)
  node._backward = (g) => pass([g])
  const diff = needs.filter(Boolean).length
  const outs = tensors.map((t, k) => {
    const out = viewOfSelf(t)
    if (!needs[k]) return out
    out._gradFn = node
    out._outputNr = k
    out._regenerate = regenerateViewGradFn
    out._multiOutput = k
    if (diff === 1) markCustomFunctionView(out)
    return out
  })
  return [outs, node]
}
