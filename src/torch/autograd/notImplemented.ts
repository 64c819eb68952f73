/**
 * Outputs of ops PyTorch defines no derivative for (no `derivatives.yaml` entry, a backend kernel):
 * their grad_fn is a `NotImplemented` node over the inputs that require grad, whose backward
 * raises `derivative for aten::<op> is not implemented`, as PyTorch's does.
 *
 * @category torch
 * @since 0.2.0
 */
import { RuntimeError } from '../errors'
import type { Tensor } from '../tensor'
import { is_grad_enabled } from './grad_mode'
import { Node } from './node'
import { edgeOf } from './op'

/**
 * Gives `out` (computed without recording) a `NotImplemented` grad_fn when grad mode is on and an
 * input requires grad; its edges are those inputs' (PyTorch's node lists no others). Returns `out`.
 */
export const withNotImplemented = (aten: string, inputs: ReadonlyArray<Tensor>, out: Tensor): Tensor => {
  const live = inputs.filter((t) => t.requires_grad)
  if (!is_grad_enabled() || live.length === 0) return out
  const node = new Node(
    'NotImplemented',
    live.map((t) => edgeOf(t)),
  )
  node._backward = () => {
    throw new RuntimeError(`derivative for aten::${aten} is not implemented`)
  }
  out._gradFn = node
  return out
}
