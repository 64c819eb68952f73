/**
 * The weight-norm formulas shared by `nn.utils.weight_norm` (hook form) and
 * `nn.utils.parametrizations.weight_norm`: PyTorch's `norm_except_dim` and `_weight_norm`; and the
 * argument parsing shared by both `spectral_norm` forms.
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import type { NdArray } from '../../ndarray/NdArray'
import { op } from '../autograd/op'
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

/** Σ over every axis of `x` but `d`, kept as size-1 axes. */
const sumExcept = (x: NdArray, d: number): NdArray => {
  const axes = x.shape.map((_, i) => i).filter((i) => i !== d)
  return lax.reshape(
    lax.reduceSum(x, axes),
    x.shape.map((n, i) => (i === d ? n : 1)),
  )
}

/**
 * The fused weight norm along the first or last axis `d` (one node, `WeightNormInterfaceBackward0`):
 * w = v · g / ‖v‖ with the norm over every other axis (Salimans & Kingma, "Weight Normalization",
 * 2016). Its gradient is the chain rule through √(Σ v²) — not the norm op's, whose subgradient at a
 * zero norm is 0 — so a zero-norm row gives NaN for both v and g, as PyTorch's fused formula
 * (∂v = (g / ‖v‖) ⊙ (∂w − v ⊙ s / ‖v‖²), s = Σ ∂w ⊙ v) does; it stays differentiable twice.
 */
const fusedWeightNorm =
  (d: number) =>
  (v: NdArray, g: NdArray): NdArray =>
    lax.mul(v, lax.div(lax.cast(g, v.dtype), lax.sqrt(sumExcept(lax.mul(v, v), d))))

/**
 * PyTorch's `torch._weight_norm(v, g, dim)`: `v · g / norm_except_dim(v, 2, dim)` — one fused
 * node when `dim` is the first or last axis (as PyTorch), the composite of its ops otherwise.
 */
export const weightNormValue = (v: Tensor, g: Tensor, dim: number): Tensor => {
  // PyTorch fuses on the given dim as it is: -1 (the whole tensor's norm) or -2 are never fused
  if (v.ndim === 0 || (dim !== 0 && dim !== v.ndim - 1)) return v.mul(g.div(norm_except_dim(v, 2, dim)))
  const rule = fusedWeightNorm(dim)
  return op('WeightNormInterfaceBackward0', [v, g], (a, b) => rule(a, b), { saves: [0, 1] })
}

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
