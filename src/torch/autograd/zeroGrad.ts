/**
 * Zero gradients that stand for "no contribution", as PyTorch's efficient zero tensors
 * (`at::_efficientzerotensor`) do: `sgn`'s derivative for a real input is one (1.13 and 2.x).
 * Summed with another gradient in a node's buffer, it gives that gradient unchanged (ATen's
 * `add_zerotensor` copies the other operand), so a −0 from another path stays −0 where adding
 * materialised +0s would make it +0. Alone, it is read as the +0 zeros it holds.
 *
 * @category torch
 * @since 0.2.0
 */
import { zerosLike } from '../../core/lax'
import type { NdArray } from '../../ndarray/NdArray'
import { Tensor } from '../tensor'

const zeroGrads = new WeakSet<Tensor>()
/** Whether any zero gradient was ever made (until then no lookup is needed: a backward step asks per gradient). */
let anyMade = false

/** A zero gradient shaped as `like` (+0s, `like`'s dtype) that a buffer sum skips. */
export const zeroGrad = (like: NdArray): Tensor => {
  const t = Tensor._fromValue(zerosLike(like))
  zeroGrads.add(t)
  anyMade = true
  return t
}

/** True for a gradient made by {@link zeroGrad}. */
export const isZeroGrad = (t: Tensor): boolean => anyMade && zeroGrads.has(t)
