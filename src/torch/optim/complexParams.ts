/**
 * Complex parameters in optimizers: every update rule runs on a complex parameter's real view
 * (`view_as_real`, the (…, 2) tensor of real and imaginary parts), so each optimizer treats the
 * real and imaginary parts as independent coordinates, as PyTorch 2.x's optimizers do. The state
 * stays keyed by the parameter itself (so `state_dict` indexes it like any other).
 *
 * @category torch
 * @since 0.7.0
 */
import { isComplex } from '../complex/tensor'
import type { Tensor } from '../tensor'

/** The parameter each real view stands for. */
const owners = new WeakMap<Tensor, Tensor>()

/** The tensors an update rule works on: real parameters themselves, complex ones' real views. */
export const realParams = (params: ReadonlyArray<Tensor>): Tensor[] =>
  params.map((p) => {
    if (!isComplex(p)) return p
    owners.set(p._ri, p)
    return p._ri
  })

/** The parameter whose state `t` (a parameter or a real view from {@link realParams}) uses. */
export const stateKey = (t: Tensor): Tensor => owners.get(t) ?? t
