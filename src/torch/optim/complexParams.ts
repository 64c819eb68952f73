/**
 * Complex parameters in optimizers: every update rule runs on a complex parameter's real view
 * (`view_as_real`, the (…, 2) tensor of real and imaginary parts), so each optimizer treats the
 * real and imaginary parts as independent coordinates, as PyTorch 2.x's optimizers do. The state
 * stays keyed by the parameter itself (so `state_dict` indexes it like any other); `state_dict()`
 * shows state kept on a real view as a complex tensor of the parameter's shape, as PyTorch stores it,
 * and `load_state_dict` takes such a tensor back onto the real view.
 *
 * @category torch
 * @since 0.7.0
 */
import { ComplexTensor, isComplex, partsOf } from '../complex/tensor'
import { Tensor } from '../tensor'
import { no_grad } from '../autograd/grad_mode'

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

/** A real tensor of the shape of complex `p`'s real view: state kept on that view. */
const onRealView = (p: Tensor, v: unknown): boolean =>
  isComplex(p) && v instanceof Tensor && !isComplex(v) && sameShape(v.shape, p._ri.shape)

const sameShape = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): boolean =>
  a.length === b.length && a.every((n, i) => n === b[i])

/**
 * A state value as `state_dict()` shows it: for a complex parameter, a state tensor kept on its
 * real view is shown as a complex tensor of the parameter's shape and dtype sharing its storage
 * (PyTorch keeps `exp_avg` etc. of a complex parameter complex and updates their real views).
 */
export const stateForDict = (p: Tensor, v: unknown): unknown => (onRealView(p, v) ? new ComplexTensor(v as Tensor) : v)

/**
 * A loaded state value for parameter `p` (copied, in `p`'s dtype): a complex tensor for a complex
 * parameter becomes its real view again; other tensors are cast to `p`'s dtype.
 */
export const stateFromDict = (p: Tensor, v: unknown): unknown => {
  if (!(v instanceof Tensor)) return v
  return no_grad(() => {
    if (!isComplex(p)) return v.detach().clone().to(p.dtype)
    const dt = partsOf(p.dtype)
    if (isComplex(v)) return v._ri.detach().clone().to(dt)
    return onRealView(p, v) ? v.detach().clone().to(dt) : v.detach().clone()
  })
}
