/**
 * Helpers shared by modules, losses and optimizers: `zero_grad`'s argument and one parameter's
 * gradient reset, the legacy `size_average`/`reduce` arguments of losses, and the reduction type.
 *
 * @category torch
 * @since 0.1.0
 */
import { no_grad } from '../autograd/grad_mode'
import { TorchTypeError } from '../errors'
import { parseArgs } from '../kwargs'
import type { Tensor } from '../tensor'
import { warn } from '../warnings'

/** A loss reduction. @category torch @since 0.1.0 */
export type Reduction = 'mean' | 'sum' | 'none'

/** `zero_grad`'s `set_to_none`, given positionally or as a keyword (`{ set_to_none: false }`). */
export const setToNone = (fn: string, arg: boolean | { readonly set_to_none?: boolean }): boolean => {
  const v = parseArgs(fn, [arg], ['set_to_none'])['set_to_none'] ?? true
  if (typeof v !== 'boolean') throw new TorchTypeError(`${fn}(): argument 'set_to_none' must be bool, not ${typeof v}`)
  return v
}

/** Resets one parameter's gradient (shared by `Module.zero_grad` and optimizers). */
export const zeroGrad = (p: Tensor, setToNone: boolean): void => {
  const g = p._grad
  if (g === null) return
  if (setToNone) {
    p.grad = null
    return
  }
  if (g.grad_fn !== null) g.detach_()
  else g.requires_grad_(false)
  no_grad(() => g.zero_())
}

/** Emits PyTorch's legacy-argument deprecation warning and maps (size_average, reduce) to a reduction. */
export const legacyReduction = (
  size_average: boolean | null | undefined,
  reduce: boolean | null | undefined,
): Reduction => {
  const sa = size_average ?? true
  const r = reduce ?? true
  const ret: Reduction = sa && r ? 'mean' : r ? 'sum' : 'none'
  warn(`size_average and reduce args will be deprecated, please use reduction='${ret}' instead.`)
  return ret
}
