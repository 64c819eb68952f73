/**
 * Helpers the loss functions share: reduction parsing and application, the float compute dtype,
 * shape strings as PyTorch prints them, the regression losses' target-size warning, and the refusal
 * of a gradient for an argument PyTorch's autograd has no derivative for.
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import type { DType } from '../../ndarray/dtype'
import type { NdArray } from '../../ndarray/NdArray'
import { get_default_dtype } from '../dtype'
import { is_grad_enabled } from '../autograd/grad_mode'
import { RuntimeError, TorchTypeError, TorchValueError } from '../errors'
import { parseArgs, type PyArgs } from '../kwargs'
import { asTensor } from '../pyTypeName'
import { Tensor } from '../tensor'
import { warn } from '../warnings'
import { legacyReduction, type Reduction } from './module'

type T = Tensor

/** Legacy keyword arguments of the losses. */
export type LegacyKw = {
  readonly size_average?: boolean | null
  readonly reduce?: boolean | null
  readonly reduction?: Reduction
}

/** The shape of a tensor's value. */
export const shapeOf = (t: T): ReadonlyArray<number> => asTensor(t)._value().shape
/** True when two shapes are equal. */
export const sameShape = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i])
/** `torch.Size([…])` as Python prints it. */
export const sizeStr = (s: ReadonlyArray<number>): string => `torch.Size([${s.join(', ')}])`

/** Checks and resolves the reduction (legacy `size_average`/`reduce` take precedence, with a warning). */
export const reductionOf = (a: Record<string, unknown>): Reduction => {
  if (a.size_average !== undefined || a.reduce !== undefined) {
    return legacyReduction(a.size_average as boolean | null | undefined, a.reduce as boolean | null | undefined)
  }
  const r = a.reduction ?? 'mean'
  if (r !== 'mean' && r !== 'sum' && r !== 'none')
    throw new TorchValueError(`${String(r)} is not a valid value for reduction`)
  return r
}

/** Applies a reduction to an unreduced loss value. */
export const reduceValue = (l: NdArray, reduction: Reduction): NdArray => {
  if (reduction === 'none') return l
  const all = Array.from({ length: l.ndim }, (_, i) => i)
  const s = lax.reduceSum(l, all)
  return reduction === 'sum' ? s : lax.mulScalar(s, 1 / Math.max(l.size, 0))
}

/** Float compute dtype of a set of tensors (float64 if any is float64, else the default). */
export const floatDtype = (...ts: ReadonlyArray<T | null | undefined>): DType => {
  const fs = ts.filter((t): t is T => t instanceof Tensor && t.dtype.is_floating_point)
  if (fs.some((t) => t.dtype.name === 'float64')) return 'float64'
  return fs.length > 0 ? 'float32' : get_default_dtype().storage
}

/** PyTorch's UserWarning of the regression losses when target and input shapes differ; returns both shapes. */
export const warnIfTargetSizeDiffers = (
  input: T,
  target: T,
): readonly [ReadonlyArray<number>, ReadonlyArray<number>] => {
  const si = shapeOf(input)
  const st = shapeOf(target)
  if (!sameShape(si, st)) {
    warn(
      `Using a target size (${sizeStr(st)}) that is different to the input size (${sizeStr(si)}). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.`,
    )
  }
  return [si, st]
}

/**
 * Refuses `t` as argument `name` of PyTorch's native function `fn` when it requires grad and grad
 * mode is on: derivatives.yaml gives these arguments no formula (the class `weight` of
 * binary_cross_entropy, nll_loss_forward, nll_loss2d_forward and multi_margin_loss; `weight` and
 * `pos_weight` of binary_cross_entropy_with_logits; PyTorch 1.13 and 2.x alike), so the generated
 * autograd kernel raises before computing anything.
 */
export const refuseGradArg = (fn: string, name: string, t: T | null): void => {
  if (t !== null && t.requires_grad && is_grad_enabled())
    throw new RuntimeError(
      `The function '${fn}' is not differentiable with respect to argument '${name}'. This input cannot have requires_grad True.`,
    )
}

/**
 * A loss module's `forward` arguments given positionally and/or by keyword (Python's
 * `loss(x1, x2, target=y)`), in the order of `names`; a missing, repeated or unknown one raises
 * Python's TypeError naming `<cls>.forward()`.
 */
export const forwardArgs = (cls: string, args: ReadonlyArray<unknown>, names: ReadonlyArray<string>): T[] => {
  const fn = `${cls}.forward`
  const a = parseArgs(fn, args, names, names.length, 1)
  const missing = names.filter((n) => a[n] === undefined)
  if (missing.length > 0) {
    const quoted = missing.map((n) => `'${n}'`)
    // Python: 'a'; 'a' and 'b'; 'a', 'b', and 'c'
    const head = quoted.slice(0, -1).join(', ')
    const list = quoted.length === 1 ? quoted[0] : `${head}${quoted.length > 2 ? ',' : ''} and ${quoted.at(-1)}`
    const s = missing.length === 1 ? '' : 's'
    throw new TorchTypeError(`${fn}() missing ${missing.length} required positional argument${s}: ${list}`)
  }
  return names.map((n) => a[n] as T)
}

/** A `forward(input, target)`'s arguments: positional and/or by keyword (`loss(x, target=y)`). */
export type InputTargetArgs = PyArgs<[input: T, target: T], { readonly input?: T; readonly target?: T }>
/** {@link forwardArgs} of a two-input loss whose `forward` takes `(input, target)`. */
export const inputTarget = (cls: string, args: ReadonlyArray<unknown>): [T, T] =>
  forwardArgs(cls, args, ['input', 'target']) as [T, T]
