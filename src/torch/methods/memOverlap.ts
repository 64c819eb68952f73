/**
 * PyTorch's partial-overlap check between an in-place op's output and an input (ATen's
 * `assert_no_partial_overlap` over `get_overlap_status`): two dense tensors over the same storage
 * whose memory ranges meet but are not the same elements in the same layout.
 */
import { RuntimeError } from '../errors'
import type { Tensor } from '../tensor'
import { storagePositions } from './asStrided'

const PARTIAL_OVERLAP =
  'unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location. Please clone() the tensor before performing the operation.'

/** The storage range `[begin, end)` of a tensor whose elements cover it once each (`is_non_overlapping_and_dense`), else null. */
const denseRange = (t: Tensor): readonly [number, number] | null => {
  const pos = storagePositions(t)
  let lo = Infinity
  let hi = -Infinity
  for (const p of pos) {
    lo = Math.min(lo, p)
    hi = Math.max(hi, p)
  }
  if (hi - lo + 1 !== pos.length || new Set(pos).size !== pos.length) return null
  return [lo, hi + 1]
}

/**
 * Raises PyTorch's error when `out` and `input` share storage and partly overlap. Tensors that are
 * not dense are "too hard" for PyTorch's check and pass, as do the same elements in the same layout.
 */
export const checkNoPartialOverlap = (out: Tensor, input: Tensor): void => {
  if (out === input || out._storage !== input._storage || out.numel() === 0 || input.numel() === 0) return
  const a = denseRange(out)
  const b = denseRange(input)
  if (a === null || b === null) return
  const sameStrides = out.dim() === input.dim() && out.stride().every((s, i) => s === input.stride()[i])
  if (a[0] === b[0] && a[1] === b[1] ? !sameStrides : a[0] < b[1] && b[0] < a[1])
    throw new RuntimeError(PARTIAL_OVERLAP)
}
