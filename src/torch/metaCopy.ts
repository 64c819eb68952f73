/**
 * `x.to('meta')` with autograd: the recorded copy onto the meta device (apart from `./metaOps.ts`,
 * which the op recorder itself imports).
 *
 * @category torch
 * @since 0.3.0
 */
import { NotImplementedError } from './errors'
import { ERR_META_COPY } from './meta'
import { toMeta } from './metaOps'
import { is_grad_enabled } from './autograd/grad_mode'
import { Node } from './autograd/node'
import { edgeOf } from './autograd/op'
import type { Tensor } from './tensor'

/**
 * `t.to('meta')` as PyTorch records it: a meta tensor whose grad_fn is `ToCopyBackward0` when `t`
 * requires grad; its backward would copy a meta gradient back to the CPU, so it raises PyTorch's
 * "Cannot copy out of meta tensor; no data!".
 */
export const toMetaRecorded = (t: Tensor): Tensor => {
  const out = toMeta(t)
  if (out === t || !t.requires_grad || !is_grad_enabled()) return out
  const node = new Node('ToCopyBackward0', [edgeOf(t)])
  node._backward = () => {
    throw new NotImplementedError(ERR_META_COPY)
  }
  out._gradFn = node
  return out
}
