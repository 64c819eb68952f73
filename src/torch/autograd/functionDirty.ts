/**
 * `ctx.mark_dirty` of custom autograd Functions: the checks PyTorch makes when forward reports
 * inputs it modified in place (each must be returned, and must not be a leaf that requires grad
 * while grad mode is on). The returned tensor is the input itself, its history rebased onto the
 * Function's node (src/torch/autograd/function.ts).
 *
 * @category torch
 * @since 0.2.0
 */
import { RuntimeError } from '../errors'
import type { Tensor } from '../tensor'
import { is_grad_enabled } from './grad_mode'

/**
 * Raises PyTorch's errors for tensors marked dirty that cannot be modified in place, then bumps
 * each one's version once more (as PyTorch does when it rebases a dirty tensor's history).
 */
export const checkDirty = (dirty: ReadonlySet<Tensor>, outs: ReadonlyArray<Tensor>): void => {
  for (const t of dirty) {
    if (!outs.includes(t))
      throw new RuntimeError(
        'Some elements marked as dirty during the forward method were not returned as output. The inputs that are modified inplace must all be outputs of the Function.',
      )
    if (is_grad_enabled() && t.is_leaf && t.requires_grad)
      throw new RuntimeError('a leaf Variable that requires grad has been used in an in-place operation.')
  }
  for (const t of dirty) t._bump()
}
