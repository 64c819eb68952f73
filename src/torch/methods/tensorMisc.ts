/**
 * Small Tensor methods ported code reaches for: `tril`/`triu` as methods (and in place),
 * `fmax`/`fmin` (NaN-ignoring extrema), `dist`, the storage facts (`layout`, `nbytes`,
 * `itemsize`, `get_device`, `output_nr`) and the predicates `is_complex`, `is_signed`,
 * `is_nonzero`, `is_same_size`.
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import type { NdArray } from '../../ndarray/NdArray'
import { checkInplace, commitInplace, type OpOptions } from '../autograd/op'
import { bool, uint8 } from '../dtype'
import { RuntimeError } from '../errors'
import { floatOf } from '../ops/convert'
import { histc, type HistcKw } from '../ops/numeric'
import type { PyArgs } from '../kwargs'
import { tril, triu, type TriArgs } from '../linalg'
import type { Tensor } from '../tensor'
import { binary } from './math'
import { pNormOf } from './reduce'
import { requireTensor } from '../pyTypeName'

type T = Tensor

/** PyTorch's `torch.layout`: how a tensor's elements are stored (wengert has dense strided tensors only). */
export class Layout {
  /** @internal */
  constructor(private readonly name: string) {}
  /** `torch.strided`. */
  toString(): string {
    return `torch.${this.name}`
  }
}

/** `torch.strided`, the layout of every wengert tensor. @category torch @since 0.2.0 */
/** PyTorch's error for a C++ op that receives an undefined tensor. */
const UNDEFINED_SELF = "Expected a proper Tensor but got None (or an undefined Tensor in C++) for argument #0 'self'"

/**
 * DistBackward0 with p = 0: derivatives.yaml's `self: norm_backward(...)` is undefined (no gradient,
 * `.grad` stays None) and `other: -norm_backward(...)` negates that undefined tensor, which raises at
 * backward whenever `other` needs a gradient (PyTorch 1.13 and 2.x alike; difftest seeds 322299, 327648).
 */
const DIST_P0: OpOptions = Object.freeze({
  grads: (_g: unknown, _v: unknown, needs: ReadonlyArray<boolean>) => {
    if (needs[1] === true) throw new RuntimeError(UNDEFINED_SELF)
    return [null, null]
  },
  formula: (_g: unknown, inputs: ReadonlyArray<T>) => {
    if (inputs[1]?.requires_grad === true) throw new RuntimeError(UNDEFINED_SELF)
    return [null, null]
  },
})

export const strided = new Layout('strided')

/**
 * max(x, y) ignoring NaN (the other operand where one is NaN); PyTorch's gradient goes wholly to
 * x where x ≥ y or y is NaN, else to y (no split at ties, unlike maximum).
 */
const fextremum =
  (max: boolean) =>
  (x: NdArray, y: NdArray): NdArray => {
    const takeX = lax.or(max ? lax.ge(x, y) : lax.le(x, y), lax.ne(y, y))
    return lax.select(takeX, x, y)
  }

/** The misc methods installed on Tensor. */
export const tensorMiscMethods = {
  /** The lower triangle (`torch.tril(self, diagonal)`). */
  /** A histogram of equal-width bins (`torch.histc`): `histc(bins, min, max)` or `histc({ bins, min, max })`. */
  histc(this: T, ...args: PyArgs<[bins: number, min: number, max: number], HistcKw>): T {
    return histc(this, ...args)
  },
  tril(this: T, ...args: TriArgs): T {
    return tril(this, ...args)
  },
  /** The upper triangle (`torch.triu(self, diagonal)`). */
  triu(this: T, ...args: TriArgs): T {
    return triu(this, ...args)
  },
  /** In-place tril. */
  tril_(this: T, ...args: TriArgs): T {
    checkInplace(this)
    return commitInplace(this, tril(this, ...args))
  },
  /** In-place triu. */
  triu_(this: T, ...args: TriArgs): T {
    checkInplace(this)
    return commitInplace(this, triu(this, ...args))
  },
  /** Element-wise maximum that ignores NaN (FmaxBackward0). */
  fmax(this: T, other: T): T {
    requireTensor('fmax', 'other', other) // no Python-number overload (TypeError in PyTorch)
    return binary('FmaxBackward0', this, other, fextremum(true), { saves: [0, 1] })
  },
  /** Element-wise minimum that ignores NaN (FminBackward0). */
  fmin(this: T, other: T): T {
    requireTensor('fmin', 'other', other) // no Python-number overload (TypeError in PyTorch)
    return binary('FminBackward0', this, other, fextremum(false), { saves: [0, 1] })
  },
  /** The p-norm of `self − other` (broadcast) over all elements, as a 0-d tensor (DistBackward0). */
  dist(this: T, other: T, p = 2): T {
    return binary(
      'DistBackward0',
      this,
      other,
      (x, y) => {
        const d = lax.sub(floatOf(x), floatOf(y))
        return pNormOf(d, p, [...d.shape.keys()])
      },
      p === 0 ? { saves: [0, 1], savesOutput: true, ...DIST_P0 } : { saves: [0, 1], savesOutput: true },
      true,
    )
  },
  /** The storage layout: always `torch.strided`. */
  get layout(): Layout {
    return strided
  },
  /** Bytes of the elements (numel × element size). */
  get nbytes(): number {
    return (this as T).numel() * (this as T).element_size()
  },
  /** Bytes per element. */
  get itemsize(): number {
    return (this as T).element_size()
  },
  /** The CUDA device index; −1 for a CPU tensor (every wengert tensor). */
  get_device(this: T): number {
    return -1
  },
  /** Which output of its grad_fn this tensor is (0 for single-output ops). */
  get output_nr(): number {
    const t = this as T
    return t._multiOutput ?? t._outputNr
  },
  /** Always false: wengert has no complex dtypes. */
  is_complex(this: T): boolean {
    return false
  },
  /** True for signed dtypes (everything but uint8 and bool). */
  is_signed(this: T): boolean {
    return this.dtype !== uint8 && this.dtype !== bool
  },
  /** Whether the one element of a one-element tensor is non-zero (PyTorch's errors otherwise). */
  is_nonzero(this: T): boolean {
    const n = this.numel()
    if (n === 0) throw new RuntimeError('Boolean value of Tensor with no values is ambiguous')
    if (n > 1) throw new RuntimeError('Boolean value of Tensor with more than one value is ambiguous')
    return Number(this.item()) !== 0
  },
  /** Whether `other` has the same shape. */
  is_same_size(this: T, other: T): boolean {
    const a = this.shape
    const b = other.shape
    return a.length === b.length && a.every((d, i) => d === b[i])
  },
}
