/**
 * The weight-norm formulas shared by `nn.utils.weight_norm` (hook form) and
 * `nn.utils.parametrizations.weight_norm`: PyTorch's `norm_except_dim` and `_weight_norm`.
 *
 * @category torch
 * @since 0.2.0
 */
import type { Tensor } from '../tensor'
import { vector_norm } from '../linalgNorm'

/**
 * PyTorch's `torch.norm_except_dim(v, pow, dim)`: the `pow`-norm over every dim but `dim`, kept
 * as size-1 dims; `dim = -1` is the norm of the whole tensor (a 0-d tensor).
 */
export const norm_except_dim = (v: Tensor, pow: number, dim: number): Tensor => {
  if (dim === -1) return vector_norm(v, pow)
  const d = dim < 0 ? dim + v.ndim : dim
  const others = v.shape.map((_, i) => i).filter((i) => i !== d)
  return others.length === 0 ? v.abs() : vector_norm(v, pow, others, true)
}

/** PyTorch's `torch._weight_norm(v, g, dim)`: `v · g / norm_except_dim(v, 2, dim)`. */
export const weightNormValue = (v: Tensor, g: Tensor, dim: number): Tensor => v.mul(g.div(norm_except_dim(v, 2, dim)))
