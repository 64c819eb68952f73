/**
 * Shared argument handling of the optimizers: PyTorch's positional-then-keyword options with
 * defaults, its "Invalid … value" checks, and the flags wengert accepts or refuses.
 *
 * @category torch
 * @since 0.2.0
 */
import { float64, get_default_dtype } from '../dtype'
import { RuntimeError, TorchValueError } from '../errors'
import { parseArgs } from '../kwargs'
import type { Tensor } from '../tensor'

/**
 * The options of `fn` from `rest` (positional in the order of `defaults`' keys, then one
 * keyword object); missing ones take the defaults. Unknown keywords raise PyTorch's TypeError.
 */
export const parseOptions = <H extends object>(fn: string, rest: ReadonlyArray<unknown>, defaults: H): H => {
  const a = parseArgs(fn, rest, Object.keys(defaults))
  const out = { ...defaults } as Record<string, unknown>
  for (const [k, v] of Object.entries(a)) out[k] = v
  return out as H
}

/** Raises PyTorch's `ValueError("Invalid <label>: <v>")` unless `0 <= v`. */
export const nonNegative = (label: string, v: number): void => {
  if (!(v >= 0)) throw new TorchValueError(`Invalid ${label}: ${v}`)
}

/** Raises PyTorch's beta check (`0 <= beta < 1`) for both betas. */
export const checkBetas = (betas: readonly [number, number]): void => {
  betas.forEach((b, i) => {
    if (!(b >= 0 && b < 1)) throw new TorchValueError(`Invalid beta parameter at index ${i}: ${b}`)
  })
}

/** The execution flags PyTorch's optimizers take; `foreach` is accepted (one loop either way). */
export interface ExecutionFlags {
  foreach?: boolean | null
  capturable?: boolean
  differentiable?: boolean
  fused?: boolean | null
}

/**
 * Refuses the flags wengert cannot honour: `capturable` (CUDA graphs), `differentiable`
 * (differentiating through the step) and `fused` (fused device kernels). `foreach` only selects
 * PyTorch's multi-tensor loop, which computes the same update, so it is accepted.
 */
export const refuseFlags = (fn: string, o: ExecutionFlags): void => {
  for (const k of ['capturable', 'differentiable', 'fused'] as const) {
    if (o[k] === true)
      throw new RuntimeError(`${fn}: ${k}=True is not supported by wengert (only the default single-tensor CPU path)`)
  }
}

/** The gradient of `p` for an update: negated with `maximize`, null when `p` has none. */
/**
 * A scalar as PyTorch 2.x stores it in optimizer state (a 0-d tensor of `_get_scalar_dtype()`:
 * float32 unless the default dtype is float64), e.g. ASGD's `eta`/`mu`, NAdam's `mu_product`.
 */
export const scalarState = (x: number): number => (get_default_dtype() === float64 ? x : Math.fround(x))

export const gradOf = (p: Tensor, maximize: boolean): Tensor | null => {
  const g = p._grad
  if (g === null) return null
  return maximize ? g.neg() : g
}

/** L2 weight decay: `g + λ·p` (the gradient itself when λ = 0). */
export const withDecay = (g: Tensor, p: Tensor, wd: number): Tensor => (wd !== 0 ? g.add(p, { alpha: wd }) : g)
