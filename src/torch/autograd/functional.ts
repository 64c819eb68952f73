/**
 * `torch.autograd.functional`: `jacobian`, `hessian`, `vjp`, `jvp` of functions of Tensors,
 * computed by wengert's transforms (results carry no graph; `create_graph` is not supported).
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.tensor([1, 2], { dtype: torch.float64 })
 * const J = torch.autograd.functional.jacobian((t: torch.Tensor) => t.pow(2), x) as torch.Tensor
 * assert.deepStrictEqual(J.tolist(), [[2, 0], [0, 4]])
 * const H = torch.autograd.functional.hessian((t: torch.Tensor) => t.pow(3).sum(), x) as torch.Tensor
 * assert.deepStrictEqual(H.tolist(), [[6, 0], [0, 12]])
 * @category torch
 * @since 0.1.0
 */
import { full } from '../../ndarray/create'
import * as F from '../func'
import { Tensor } from '../tensor'

type Fn = (...args: never[]) => unknown
type Inputs = Tensor | ReadonlyArray<Tensor>

const split = (inputs: Inputs): [Tensor[], number | number[]] =>
  inputs instanceof Tensor ? [[inputs], 0] : [[...inputs], inputs.map((_, i) => i)]

/** The Jacobian of `func` at `inputs` (a tensor, or a tuple giving a tuple of Jacobians). @category torch @since 0.1.0 */
export const jacobian = (func: Fn, inputs: Inputs): unknown => {
  const [args, argnums] = split(inputs)
  return F.jacrev(func, { argnums })(...args)
}

/** The Hessian of a scalar `func` at `inputs`. @category torch @since 0.1.0 */
export const hessian = (func: Fn, inputs: Inputs): unknown => {
  const [args, argnums] = split(inputs)
  return F.hessian(func, { argnums })(...args)
}

/** `[func(inputs), vᵀJ]` (PyTorch's `torch.autograd.functional.vjp`). @category torch @since 0.1.0 */
export const vjp = (func: Fn, inputs: Inputs, v?: unknown): [unknown, unknown] => {
  const [args] = split(inputs)
  const [out, fn] = F.vjp(func, ...args)
  const ct =
    v ??
    (out instanceof Tensor ? Tensor._fromValue(full(out._value().shape, 1, { dtype: out._value().dtype })) : undefined)
  const g = fn(ct)
  return [out, inputs instanceof Tensor ? g[0] : g]
}

/** `[func(inputs), J·v]` (PyTorch's `torch.autograd.functional.jvp`). @category torch @since 0.1.0 */
export const jvp = (func: Fn, inputs: Inputs, v: Inputs): [unknown, unknown] => {
  const [args] = split(inputs)
  const [tangents] = split(v)
  return F.jvp(func, args, tangents)
}
