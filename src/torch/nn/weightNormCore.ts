/**
 * The weight-norm formulas shared by `nn.utils.weight_norm` (hook form) and
 * `nn.utils.parametrizations.weight_norm`: PyTorch's `norm_except_dim` and `_weight_norm`; and the
 * argument parsing shared by both `spectral_norm` forms.
 *
 * @category torch
 * @since 0.2.0
 */
import type { Tensor } from '../tensor'
import { vector_norm } from '../linalgNorm'
import { parseArgs, type PyArgs } from '../kwargs'

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

/** The arguments after the module of both `spectral_norm` forms (parametrization and hook). */
export type SpectralNormArgs = PyArgs<
  [name: string, n_power_iterations: number, eps: number, dim: number | null],
  {
    readonly name?: string
    readonly n_power_iterations?: number
    readonly eps?: number
    readonly dim?: number | null
  }
>

/** {@link SpectralNormArgs} parsed, with PyTorch's defaults (`dim` still unresolved: see `spectralDim`). */
export const spectralNormArgs = (
  args: SpectralNormArgs,
): { name: string; n_power_iterations: number; eps: number; dim: number | null | undefined } => {
  const a = parseArgs('spectral_norm', args, ['name', 'n_power_iterations', 'eps', 'dim'])
  return {
    name: (a.name as string | undefined) ?? 'weight',
    n_power_iterations: (a.n_power_iterations as number | undefined) ?? 1,
    eps: (a.eps as number | undefined) ?? 1e-12,
    dim: a.dim as number | null | undefined,
  }
}
