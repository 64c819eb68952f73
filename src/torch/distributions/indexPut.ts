/**
 * `r[mask] = value` as PyTorch's distributions write it (an index assignment: IndexPutBackward0
 * and one version bump; for a 0-d mask, Python's indexing views `r` with a new leading axis of
 * length 1 first, so the assignment goes through that view and `r` records CopySlices).
 *
 * @category torch
 * @since 0.2.0
 */
import type { Tensor } from '../tensor'

/** Writes `value` where `mask` holds, in place; returns `r`. */
export const indexPut = (r: Tensor, mask: Tensor, value: number | Tensor): Tensor => {
  if (mask.dim() === 0) r.unsqueeze(0).set(mask.unsqueeze(0), value)
  else r.set(mask, value)
  return r
}

/** `r[mask]` (a 0-d mask through the same 1-element view). */
export const indexMask = (r: Tensor, mask: Tensor): Tensor =>
  mask.dim() === 0 ? r.unsqueeze(0).index(mask.unsqueeze(0)) : r.index(mask)
