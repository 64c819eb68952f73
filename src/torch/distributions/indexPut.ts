/**
 * `r[mask] = value` as PyTorch's distributions write it (an index assignment: IndexPutBackward0
 * and one version bump; for a 0-d `r`, Python's indexing views it as a 1-element tensor first, so
 * the assignment goes through that view and `r` records CopySlices).
 *
 * @category torch
 * @since 0.2.0
 */
import type { Tensor } from '../tensor'

/** Writes `value` where `mask` holds, in place; returns `r`. */
export const indexPut = (r: Tensor, mask: Tensor, value: number | Tensor): Tensor => {
  if (r.dim() === 0) r.unsqueeze(0).set(mask.unsqueeze(0), value)
  else r.set(mask, value)
  return r
}
