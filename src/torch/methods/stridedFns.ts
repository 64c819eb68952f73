/**
 * Factories and storage queries ported code calls: `torch.fill` (FillBackward0, FillBackward1 for
 * a 0-d tensor value), `torch.asarray` (`dtype`, `copy`, `requires_grad`),
 * `torch.empty_strided` / `Tensor.new_empty_strided` (wengert's storage is always contiguous: the
 * strides are checked, the result has contiguous strides) and `Tensor.storage_offset` (the flat
 * storage position of a view's first element).
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.arange(6).float().reshape(2, 3)
 * assert.deepStrictEqual(torch.fill(torch.zeros(2), 1.5).tolist(), [1.5, 1.5])
 * assert.strictEqual(x.select(0, 1).storage_offset(), 3)
 * assert.strictEqual(torch.asarray(x), x)
 * assert.deepStrictEqual([...torch.empty_strided([2, 2], [2, 1]).shape], [2, 2])
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { op } from '../autograd/op'
import { empty, tensor, type FactoryKw, type SizeArgs } from '../creation'
import type { TorchDType } from '../dtype'
import { RuntimeError, TorchTypeError, TorchValueError } from '../errors'
import { Tensor, type TensorData } from '../tensor'
import { storageOffset } from './asStrided'
import { argTypeName, missingArgs } from '../pyTypeName'

type T = Tensor

/** `torch.asarray`'s keywords. */
export interface AsarrayKw {
  readonly dtype?: TorchDType | null
  readonly device?: string | null
  /** true: always copy; false: never (raises when a copy is needed); null/undefined: copy only if needed. */
  readonly copy?: boolean | null
  readonly requires_grad?: boolean
}

const checkStrides = (fn: string, size: ReadonlyArray<number>, stride: ReadonlyArray<number>): void => {
  if (size.length !== stride.length)
    throw new RuntimeError(
      `dimensionality of sizes (${size.length}) must match dimensionality of strides (${stride.length})`,
    )
  if (stride.some((s) => s < 0)) throw new RuntimeError(`${fn}: negative strides are not supported`)
}

/** A copy of `input` filled with `value` (FillBackward0; FillBackward1 for a 0-d tensor value). @category torch @since 0.2.0 */
export const fill = (input: T, value: number | boolean | T): T => {
  if (!(value instanceof Tensor)) {
    const v = Number(value)
    return op('FillBackward0', [input], (x) => lax.broadcastTo(lax.scalar(v, x.dtype), x.shape))
  }
  if (value.dim() !== 0)
    throw new RuntimeError(
      `fill_ only supports 0-dimension value tensor but got tensor with ${value.dim()} dimensions.`,
    )
  const dt = input._value().dtype
  const shape = [...input.shape]
  return op('FillBackward1', [input, value], (_, v) => lax.broadcastTo(lax.cast(v, dt), shape))
}

/**
 * `obj` as a tensor: a tensor itself (no copy) unless `dtype` differs or `copy` is true; other data
 * as `torch.tensor` makes it. `copy: false` raises where a copy is needed. @category torch @since 0.2.0
 */
export const asarray = (obj: TensorData, kw: AsarrayKw = {}): T => {
  const dtype = kw.dtype ?? undefined
  if (obj instanceof Tensor) {
    const same = dtype === undefined || dtype === obj.dtype
    if (kw.copy === false && !same)
      throw new TorchValueError(`can't alias tensor with dtype '${obj.dtype.word}' into dtype '${dtype?.word}'.`)
    let out = kw.copy === true ? obj.clone() : obj
    if (!same) out = out.to(dtype)
    if (kw.copy === true || !same) out = out.detach()
    return kw.requires_grad === true && !out.requires_grad ? out.requires_grad_() : out
  }
  return tensor(obj, { ...(dtype ? { dtype } : {}), ...(kw.requires_grad ? { requires_grad: true } : {}) })
}

/** A `tuple of SymInts` parameter of empty_strided, or PyTorch's TypeError. */
const symInts = (name: string, u: unknown, position: number, missing: ReadonlyArray<string>): void => {
  if (u === undefined) throw missingArgs('empty_strided', missing)
  if (!Array.isArray(u) || !u.every((d) => typeof d === 'number' && Number.isInteger(d)))
    throw new TorchTypeError(
      `empty_strided(): argument '${name}' (position ${position}) must be tuple of SymInts, not ${argTypeName(u)}`,
    )
}

/** Uninitialised memory of `size` (zeros here; wengert's storage is contiguous, so `stride` is only checked). @category torch @since 0.2.0 */
export const empty_strided = (size: ReadonlyArray<number>, stride: ReadonlyArray<number>, kw: FactoryKw = {}): T => {
  symInts('size', size, 1, stride === undefined ? ['size', 'stride'] : ['size'])
  symInts('stride', stride, 2, ['stride'])
  checkStrides('empty_strided', size, stride)
  return empty(...([[...size], kw] as SizeArgs))
}

export const stridedMethods = {
  /** `empty_strided` with `self`'s dtype (or `dtype`). */
  new_empty_strided(this: T, size: ReadonlyArray<number>, stride: ReadonlyArray<number>, kw: FactoryKw = {}): T {
    return empty_strided(size, stride, { ...kw, dtype: kw.dtype ?? this.dtype })
  },
  /** The storage position of this tensor's first element (0 for tensors that are not views; physical layout as PyTorch's). */
  storage_offset(this: T): number {
    return storageOffset(this)
  },
}
