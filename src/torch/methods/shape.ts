/**
 * Shape methods. Views (`view`, `reshape` when possible, `unsqueeze`, `squeeze`, `expand`,
 * `transpose`, `permute`, `t`, `T`, `select`, `narrow`, `split`, `chunk`, `unbind`) share
 * storage with their base; copies (`clone`, `contiguous` of a non-contiguous tensor, `flip`,
 * `repeat`, conversions) do not.
 *
 * @category torch
 * @since 0.1.0
 */
import { ERR_META_COPY } from '../meta'
import { toMetaRecorded } from '../metaCopy'
import * as lax from '../../core/lax'
import type { NdArray } from '../../ndarray/NdArray'
import { inplaceViewOp, markMultiOutput, op, viewOp } from '../autograd/op'
import { markHeldStep } from '../autograd/swapped'
import { bool, float32, float64, int16, int32, int64, int8, uint8, type TorchDType } from '../dtype'
import { bfloat16, float16 } from '../dtypeUnsupported'
import { checkDevice, parseTo, type ToArg } from '../device'
import { IndexError, NotImplementedError, RuntimeError, TorchTypeError } from '../errors'
import { pyTypeName } from '../pyTypeName'
import { parseArgs, type PyArgs } from '../kwargs'
import {
  checkContiguousFormat,
  checkMemoryFormat,
  contiguous_format,
  copyStrides,
  type memory_format,
} from '../memoryFormat'
import { castWrapping, normDim, sizesOf } from '../ops/convert'
import { aliasStep, expandStep, permuteStep, reshapeStep, selectStep, sliceStep, viewStrides } from '../ops/views'
import type { Tensor, ViewStep } from '../tensor'
import { warn } from '../warnings'
import { sumTo } from './gradFormulas'
import { typeTarget, type LegacyTensorType } from '../legacyTypes'

type T = Tensor

/** A CloneBackward0 copy of `t` with the strides of memory format `f`. */
const copyOf = (t: T, f: memory_format): T => {
  // x − (+0) copies every value, −0 included (x + 0 would turn −0 into +0)
  const r = op('CloneBackward0', [t], (x) => lax.reshape(lax.sub(x, lax.zerosLike(x)), x.shape))
  const st = copyStrides(t, f)
  if (st !== null) r._strides = st
  return r
}
type Sizes = ReadonlyArray<number> | [ReadonlyArray<number>]

/** Resolves one -1 in a target shape, with PyTorch's messages. */
export const inferShape = (shape: ReadonlyArray<number>, numel: number): number[] => {
  const unknown = shape.filter((d) => d === -1).length
  if (unknown > 1) throw new RuntimeError('only one dimension can be inferred')
  const known = shape.reduce((a, d) => (d === -1 ? a : a * d), 1)
  const out = [...shape]
  if (unknown === 1) {
    if (known === 0 || numel % known !== 0)
      throw new RuntimeError(`shape '[${shape.join(', ')}]' is invalid for input of size ${numel}`)
    out[out.indexOf(-1)] = numel / known
  } else if (known !== numel)
    throw new RuntimeError(`shape '[${shape.join(', ')}]' is invalid for input of size ${numel}`)
  for (const d of out) if (!Number.isInteger(d) || d < 0) throw new RuntimeError(`invalid shape dimension ${d}`)
  return out
}

/** `ViewBackward0`'s formula, `grad.reshape(self.sizes())`: under create_graph a `ViewBackward0` node. */
const viewFormula: NonNullable<ViewStep['formula']> = (g, [x]) => [g.reshape((x as T).shape)]

const viewAs = (self: T, shape: ReadonlyArray<number>, name: string): T | undefined => {
  const v = self._value()
  const st = viewStrides(v.shape, self._strides, shape)
  if (st === undefined) return undefined
  const step = reshapeStep(name, shape)
  return viewOp(self, name === 'ViewBackward0' ? { ...step, formula: viewFormula } : step, st)
}

/**
 * PyTorch's formulas of the permuting views (`grad.t()`, `grad.transpose(d0, d1)`,
 * `grad.permute(inverse)`): their create_graph gradients keep that node even where the view
 * permutes nothing (`t()` of a 1-D tensor, `transpose(0, 0)`, `.T` of a 0-d tensor).
 */
const tFormula: NonNullable<ViewStep['formula']> = (g) => [g.t()]
const transposeFormula =
  (d0: number, d1: number): NonNullable<ViewStep['formula']> =>
  (g) => [g.transpose(d0, d1)]
const permuteFormula = (p: ReadonlyArray<number>): NonNullable<ViewStep['formula']> => {
  const inv = p.map((_, i) => p.indexOf(i))
  return (g) => [g.permute(inv)]
}

const perm = (self: T, p: ReadonlyArray<number>, name: string, formula?: ViewStep['formula'], held = false): T => {
  const step = { ...permuteStep(name, p), formula: formula ?? (name === 'TBackward0' ? tFormula : permuteFormula(p)) }
  const out = viewOp(
    self,
    held ? markHeldStep(step) : step,
    p.map((i) => self._strides[i] as number),
    held,
  )
  if (out._gradFn !== null) out._gradFn._perm = p
  return out
}

/**
 * @internal `t()` of a matrix, as a held view (autograd/swapped.ts `heldMatrixOf`): the same view
 * and `TBackward0` node, whose value is computed only when read (F.linear hands it to addmm, which
 * multiplies by the matrix itself).
 */
export const heldT = (self: T): T => perm(self, [1, 0], 'TBackward0', undefined, true)

let warnedT = false
/** PyTorch's one-time deprecation warning for `x.T` on a tensor that is not 2-D. */
const warnT = (): void => {
  if (warnedT) return
  warnedT = true
  warn(
    'The use of `x.T` on tensors of dimension other than 2 to reverse their shape is deprecated and it will throw an error in a future release. Consider `x.mT` to transpose batches of matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` to reverse the dimensions of a tensor.',
  )
}

/** A reshape step of an in-place view op, with its inverse. */
const reshapeInPlace = (name: string, from: ReadonlyArray<number>, to: ReadonlyArray<number>): ViewStep => ({
  ...reshapeStep(name, to),
  back: reshapeStep(name, from),
})

/** `transpose_`/`t_`: permutes this tensor's dims in place (`[]`: the identity, for 0-d and 1-d). */
const permInPlace = (self: T, p: ReadonlyArray<number>, name: string): T => {
  if (p.length === 0) {
    const step = aliasStep(name)
    return inplaceViewOp(self, { ...step, back: step }, self._strides)
  }
  const inv = p.map((_, i) => p.indexOf(i))
  return inplaceViewOp(
    self,
    { ...permuteStep(name, p), back: permuteStep(name, inv) },
    p.map((i) => self._strides[i] as number),
  )
}

/** The permutation swapping `dim0` and `dim1` (`[]` for a 0-d tensor). */
const swapPerm = (self: T, a0: Record<string, unknown>): number[] => {
  const n = self._value().ndim
  if (n === 0) {
    normDim(a0.dim0 as number, 0)
    normDim(a0.dim1 as number, 0)
    return []
  }
  const a = normDim(a0.dim0 as number, n)
  const b = normDim(a0.dim1 as number, n)
  const p = [...Array(n).keys()]
  p[a] = b
  p[b] = a
  return p
}

type SqueezeDim = number | ReadonlyArray<number> | undefined

/** squeeze's new shape and strides, and PyTorch's overload (0: all, 1: one dim, 2: dims). */
const squeezePlan = (self: T, dim: SqueezeDim): { shape: number[]; strides: number[]; overload: number } => {
  const sh = self._value().shape
  let drop: number[]
  let overload = 0
  if (dim === undefined) drop = sh.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0)
  else if (typeof dim === 'number') {
    overload = 1
    const d = sh.length === 0 ? (normDim(dim, 0), -1) : normDim(dim, sh.length)
    drop = d >= 0 && sh[d] === 1 ? [d] : []
  } else {
    overload = 2
    drop = dim.map((d) => normDim(d, sh.length)).filter((d) => sh[d] === 1)
  }
  return {
    shape: sh.filter((_, i) => !drop.includes(i)),
    strides: self._strides.filter((_, i) => !drop.includes(i)),
    overload,
  }
}

/** unsqueeze's new shape and strides. */
const unsqueezePlan = (self: T, dim: number): { shape: number[]; strides: number[] } => {
  const sh = self._value().shape
  const d = normDim(dim, sh.length + 1)
  const st = [...self._strides]
  st.splice(d, 0, d < sh.length ? (sh[d] as number) * (self._strides[d] as number) : 1)
  return { shape: [...sh.slice(0, d), 1, ...sh.slice(d)], strides: st }
}

const convert = (self: T, d: TorchDType): T => {
  if (self.dtype === d) return self
  return op('ToCopyBackward0', [self], (x) => castWrapping(x, d.storage))
}

interface TypeFn {
  /** The legacy type name, e.g. `'torch.FloatTensor'`. */
  (this: T): string
  /** Converts to a dtype, a legacy type (`torch.LongTensor`) or a legacy type's name (`'torch.LongTensor'`). */
  (this: T, dtype: TorchDType | LegacyTensorType | string, kw?: { readonly non_blocking?: boolean }): T
}
const typeImpl = function (this: T, dtype?: TorchDType | LegacyTensorType | string): T | string {
  return dtype === undefined ? this.dtype.typeName : convert(this, typeTarget(dtype))
} as TypeFn

/** `x` rolled by `ss[k]` along `ds[k]` (two slices concatenated in swapped order). */
const rollValues = (x0: NdArray, ss: ReadonlyArray<number>, ds: ReadonlyArray<number>): NdArray => {
  let x = x0
  ds.forEach((d, k) => {
    const n = x.shape[d] as number
    if (n === 0) return
    const s = (((ss[k] ?? 0) % n) + n) % n
    if (s === 0) return
    const part = (a: number, b: number) =>
      lax.slice(
        x,
        x.shape.map((_, i) => (i === d ? a : 0)),
        x.shape.map((v, i) => (i === d ? b : v)),
        x.shape.map(() => 1),
      )
    x = lax.concatenate([part(n - s, n), part(0, n - s)], d)
  })
  return x
}

/** Shape methods installed on Tensor. */
/**
 * The sizes `expand(target)` gives a tensor of sizes `sh` (-1 keeps a size), with PyTorch's errors
 * (its infer_expand_geometry checks from the last dimension, so the error names the last mismatch).
 */
export const expandedSizes = (typeName: string, sh: ReadonlyArray<number>, target: ReadonlyArray<number>): number[] => {
  if (target.length < sh.length) {
    throw new RuntimeError(
      `expand(${typeName}{[${sh.join(', ')}]}, size=[${target.join(', ')}]): the number of sizes provided (${target.length}) must be greater or equal to the number of dimensions in the tensor (${sh.length})`,
    )
  }
  const off = target.length - sh.length
  const out = new Array<number>(target.length)
  for (let i = target.length - 1; i >= 0; i--) {
    const t = target[i] as number
    const cur = i >= off ? (sh[i - off] as number) : 1
    if (t === -1 && i < off) {
      throw new RuntimeError(
        `The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension ${i}`,
      )
    }
    if (t !== -1 && i >= off && cur !== 1 && cur !== t) {
      throw new RuntimeError(
        `The expanded size of the tensor (${t}) must match the existing size (${cur}) at non-singleton dimension ${i}.  Target sizes: [${target.join(', ')}].  Tensor sizes: [${sh.join(', ')}]`,
      )
    }
    out[i] = t === -1 ? cur : t
  }
  return out
}

export const shapeMethods = {
  /** A view with a new shape (one dimension may be -1); the data must be viewable (see reshape). */
  view(this: T, ...shape: Sizes | [TorchDType]): T {
    if (shape[0] instanceof Object && !Array.isArray(shape[0]) && 'storage' in (shape[0] as object))
      return convert(this, shape[0] as TorchDType)
    if (shape.length === 0) {
      throw new TorchTypeError(
        'view() received an invalid combination of arguments - got (), but expected one of:\n * (torch.dtype dtype)\n * (tuple of SymInts size)',
      )
    }
    const s = inferShape(sizesOf(shape), this.numel())
    const r = viewAs(this, s, 'ViewBackward0')
    if (r === undefined) {
      throw new RuntimeError(
        "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.",
      )
    }
    return r
  },
  /** A tensor with a new shape: a view when possible, else a copy. */
  reshape(this: T, ...shape: Sizes): T {
    if (shape.length === 0) throw new TorchTypeError('reshape() missing 1 required positional arguments: "shape"')
    const s = inferShape(sizesOf(shape), this.numel())
    const r = viewAs(this, s, 'ViewBackward0')
    if (r !== undefined) return r
    return op('UnsafeViewBackward0', [copyOf(this, contiguous_format)], (x) => lax.reshape(x, s))
  },
  /** `view(other.shape)`. */
  view_as(this: T, other: T): T {
    return shapeMethods.view.call(this, [...other.shape])
  },
  /** `reshape(other.shape)`. */
  reshape_as(this: T, other: T): T {
    return shapeMethods.reshape.call(this, [...other.shape])
  },
  /** Flattens dims `start_dim..end_dim` into one. */
  flatten(
    this: T,
    start_dim: number | { readonly start_dim?: number; readonly end_dim?: number } = 0,
    end_dim = -1,
  ): T {
    let s0 = 0
    let e0 = -1
    if (typeof start_dim === 'number') {
      s0 = start_dim
      e0 = end_dim
    } else {
      s0 = start_dim.start_dim ?? 0
      e0 = start_dim.end_dim ?? -1
    }
    const sh = this._value().shape
    if (sh.length === 0) return shapeMethods.reshape.call(this, [1])
    const s = normDim(s0, sh.length)
    const e = normDim(e0, sh.length)
    if (s > e) throw new RuntimeError('flatten() has invalid args: start_dim cannot come after end_dim')
    if (s === e) return this
    const mid = sh.slice(s, e + 1).reduce((a, b) => a * b, 1)
    return shapeMethods.reshape.call(this, [...sh.slice(0, s), mid, ...sh.slice(e + 1)])
  },
  /** Splits dim into `sizes`. */
  unflatten(this: T, dim: number, sizes: ReadonlyArray<number>): T {
    const sh = this._value().shape
    const d = normDim(dim, sh.length)
    const known = sizes.filter((v) => v !== -1).reduce((a, b) => a * b, 1)
    const size = sh[d] as number
    if (sizes.filter((v) => v === -1).length > 1)
      throw new RuntimeError('unflatten got an unexpected error:\nonly one dimension can be inferred')
    if (sizes.includes(-1) ? known === 0 || size % known !== 0 : known !== size)
      throw new RuntimeError(
        `unflatten: Provided sizes [${sizes.join(', ')}] don't multiply up to the size of dim ${dim} (${size}) in the input tensor`,
      )
    const inner = inferShape(sizes, size)
    return shapeMethods.view.call(this, [...sh.slice(0, d), ...inner, ...sh.slice(d + 1)])
  },
  /** Inserts a size-1 dimension at `dim` (a view). */
  unsqueeze(this: T, ...args: PyArgs<[dim: number], { readonly dim?: number }>): T {
    const p = unsqueezePlan(this, parseArgs('unsqueeze', args, ['dim']).dim as number)
    return viewOp(this, reshapeStep('UnsqueezeBackward0', p.shape), p.strides)
  },
  /** In-place unsqueeze: this tensor gains a size-1 dimension at `dim` (UnsqueezeBackward1). */
  unsqueeze_(this: T, ...args: PyArgs<[dim: number], { readonly dim?: number }>): T {
    const p = unsqueezePlan(this, parseArgs('unsqueeze_', args, ['dim']).dim as number)
    return inplaceViewOp(this, reshapeInPlace('UnsqueezeBackward1', this._value().shape, p.shape), p.strides)
  },
  /** Removes size-1 dimensions (all, or `dim` if it has size 1) (a view). */
  squeeze(
    this: T,
    ...args: PyArgs<[dim: number | ReadonlyArray<number>], { readonly dim?: number | ReadonlyArray<number> }>
  ): T {
    const p = squeezePlan(this, parseArgs('squeeze', args, ['dim']).dim as SqueezeDim)
    return viewOp(this, reshapeStep(`SqueezeBackward${p.overload}`, p.shape), p.strides)
  },
  /** In-place squeeze: this tensor loses its size-1 dimensions (or `dim`'s) (SqueezeBackward3/4/5). */
  squeeze_(
    this: T,
    ...args: PyArgs<[dim: number | ReadonlyArray<number>], { readonly dim?: number | ReadonlyArray<number> }>
  ): T {
    const p = squeezePlan(this, parseArgs('squeeze_', args, ['dim']).dim as SqueezeDim)
    return inplaceViewOp(
      this,
      reshapeInPlace(`SqueezeBackward${p.overload + 3}`, this._value().shape, p.shape),
      p.strides,
    )
  },
  /** Broadcasts size-1 dimensions to `sizes` (-1 keeps a size) without copying. */
  expand(this: T, ...sizes: Sizes): T {
    if (sizes.length === 0) throw new TorchTypeError('expand() missing 1 required positional arguments: "size"')
    const target = sizesOf(sizes)
    const sh = this._value().shape
    const out = expandedSizes(this.dtype.typeName, sh, target)
    const off = target.length - sh.length
    const st = out.map((t, i) => (i < off || (sh[i - off] === 1 && t !== 1) ? 0 : (this._strides[i - off] as number)))
    // expand's gradient is at::sum_to(grad, self.sizes()): a keepdim sum (SumBackward1), then a view
    const formula = (g: Tensor, [x]: ReadonlyArray<Tensor>): Array<Tensor | null> => [sumTo(g, x as Tensor)]
    return viewOp(this, { ...expandStep('ExpandBackward0', out), formula }, st)
  },
  /** `expand(other.shape)`. */
  expand_as(this: T, other: T): T {
    return shapeMethods.expand.call(this, [...other.shape])
  },
  /** Swaps two dimensions (a view). */
  transpose(
    this: T,
    ...args: PyArgs<[dim0: number, dim1: number], { readonly dim0?: number; readonly dim1?: number }>
  ): T {
    const a = parseArgs('transpose', args, ['dim0', 'dim1'])
    const p = swapPerm(this, a)
    const formula = transposeFormula(a.dim0 as number, a.dim1 as number)
    return p.length === 0
      ? viewOp(this, { ...aliasStep('TransposeBackward0'), formula }, [])
      : perm(this, p, 'TransposeBackward0', formula)
  },
  /** In-place transpose: this tensor's dimensions `dim0` and `dim1` are swapped (TransposeBackward1). */
  transpose_(
    this: T,
    ...args: PyArgs<[dim0: number, dim1: number], { readonly dim0?: number; readonly dim1?: number }>
  ): T {
    const p = swapPerm(this, parseArgs('transpose_', args, ['dim0', 'dim1']))
    return permInPlace(this, p, 'TransposeBackward1')
  },
  /** Alias of transpose. */
  swapaxes(this: T, axis0: number, axis1: number): T {
    return shapeMethods.transpose.call(this, axis0, axis1)
  },
  /** Permutes dimensions (a view): `permute(1, 0)` or `permute([1, 0])`. */
  permute(this: T, ...dims: Sizes): T {
    const n = this._value().ndim
    const p = sizesOf(dims).map((d) => normDim(d, n))
    if (p.length !== n || new Set(p).size !== n) {
      throw new RuntimeError(
        `permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${n} is not equal to len(dims) = ${p.length}`,
      )
    }
    return perm(this, p, 'PermuteBackward0')
  },
  /** Transpose of a ≤ 2-D tensor (a view). */
  t(this: T): T {
    const n = this._value().ndim
    if (n > 2) throw new RuntimeError(`t() expects a tensor with <= 2 dimensions, but self is ${n}D`)
    return n < 2
      ? viewOp(this, { ...aliasStep('TBackward0'), formula: tFormula }, this._strides)
      : perm(this, [1, 0], 'TBackward0')
  },
  /** In-place transpose of a ≤ 2-D tensor (TBackward1). */
  t_(this: T): T {
    const n = this._value().ndim
    if (n > 2) throw new RuntimeError(`t_() expects a tensor with <= 2 dimensions, but self is ${n}D`)
    return permInPlace(this, n < 2 ? [] : [1, 0], 'TBackward1')
  },
  /** All dimensions reversed (a view). */
  get T(): T {
    const self = this as unknown as T
    const n = self._value().ndim
    if (n !== 2) warnT()
    return perm(self, [...Array(n).keys()].reverse(), 'PermuteBackward0')
  },
  /** The last two dimensions swapped (a view). */
  get mT(): T {
    return shapeMethods.transpose.call(this as unknown as T, -2, -1)
  },
  /** The conjugate transpose of a matrix (a view; the transpose for real tensors, the tensor itself when 0-d). */
  get H(): T {
    const self = this as unknown as T
    const n = self.dim()
    if (n === 0) return self
    if (n !== 2)
      throw new RuntimeError(
        `tensor.H is only supported on matrices (2-D tensors). Got ${n}-D tensor.${n > 2 ? ' For batches of matrices, consider using tensor.mH' : ''}`,
      )
    return shapeMethods.transpose.call(self, 0, 1)
  },
  /** The conjugate transpose of the last two dimensions (a view; `mT` for real tensors). */
  get mH(): T {
    const self = this as unknown as T
    if (self.dim() < 2)
      throw new RuntimeError(
        `tensor.mH is only supported on matrices or batches of matrices. Got ${self.dim()}-D tensor.`,
      )
    return shapeMethods.transpose.call(self, -2, -1)
  },
  /** The slice at `index` along `dim`, with the dimension removed (a view). */
  select(
    this: T,
    ...args: PyArgs<[dim: number, index: number], { readonly dim?: number; readonly index?: number }>
  ): T {
    const a0 = parseArgs('select', args, ['dim', 'index'])
    const dim = a0.dim as number
    const index = a0.index as number
    const sh = this._value().shape
    if (sh.length === 0) throw new IndexError('select() cannot be applied to a 0-dim tensor.')
    const d = normDim(dim, sh.length)
    const n = sh[d] as number
    if (index < -n || index >= n)
      throw new IndexError(
        `select(): index ${index} out of range for tensor of size [${sh.join(', ')}] at dimension ${d}`,
      )
    const i = index < 0 ? index + n : index
    return viewOp(
      this,
      selectStep('SelectBackward0', d, i),
      this._strides.filter((_, k) => k !== d),
    )
  },
  /** `length` elements of `dim` from `start` (a view). */
  narrow(
    this: T,
    ...args: PyArgs<
      [dim: number, start: number, length: number],
      { readonly dim?: number; readonly start?: number; readonly length?: number }
    >
  ): T {
    const a0 = parseArgs('narrow', args, ['dim', 'start', 'length'])
    const dim = a0.dim as number
    const start = a0.start as number
    const length = a0.length as number
    const sh = this._value().shape
    const d = normDim(dim, sh.length)
    const n = sh[d] as number
    const s = start < 0 ? start + n : start
    if (s < 0 || s > n)
      throw new IndexError(`start out of range (expected to be in range of [${-n}, ${n}], but got ${start})`)
    if (s + length > n) throw new RuntimeError(`start (${s}) + length (${length}) exceeds dimension size (${n}).`)
    return sliceView(this, d, s, s + length, 1, 'SliceBackward0')
  },
  /** The tensors `select(dim, i)` for every i. */
  unbind(this: T, ...args: PyArgs<[dim: number], { readonly dim?: number }>): T[] {
    const dim = (parseArgs('unbind', args, ['dim']).dim as number | undefined) ?? 0
    const sh = this._value().shape
    const d = normDim(dim, sh.length)
    return markMultiOutput(
      Array.from({ length: sh[d] as number }, (_, i) =>
        viewOp(
          this,
          selectStep('UnbindBackward0', d, i),
          this._strides.filter((_, k) => k !== d),
        ),
      ),
    )
  },
  /** Splits into pieces of `split_size` (or the given sizes) along `dim` (views). */
  split(
    this: T,
    split_size_or_sections: number | ReadonlyArray<number>,
    ...args: PyArgs<[dim: number], { readonly dim?: number }>
  ): T[] {
    const dim = (parseArgs('split', args, ['dim']).dim as number | undefined) ?? 0
    const sh = this._value().shape
    const d = normDim(dim, sh.length)
    const n = sh[d] as number
    const sizes: number[] = []
    if (typeof split_size_or_sections === 'number') {
      const k = split_size_or_sections
      for (let s = 0; s < n || (n === 0 && sizes.length === 0); s += k) sizes.push(Math.min(k, n - s))
    } else {
      if (!Array.isArray(split_size_or_sections))
        throw new TorchTypeError(
          `split_with_sizes(): argument 'split_sizes' (position 2) must be tuple of ints, not ${pyTypeName(split_size_or_sections)}`,
        )
      if (split_size_or_sections.reduce((a, b) => a + b, 0) !== n) {
        throw new RuntimeError(
          `split_with_sizes expects split_sizes to sum exactly to ${n} (input tensor's size at dimension ${d}), but got split_sizes=[${split_size_or_sections.join(', ')}]`,
        )
      }
      sizes.push(...split_size_or_sections)
    }
    const name = typeof split_size_or_sections === 'number' ? 'SplitBackward0' : 'SplitWithSizesBackward0'
    let s = 0
    return markMultiOutput(
      sizes.map((k) => {
        const v = sliceView(this, d, s, s + k, 1, name)
        s += k
        return v
      }),
    )
  },
  /** Splits into `chunks` pieces along `dim` (views). */
  chunk(this: T, chunks: number, ...args: PyArgs<[dim: number], { readonly dim?: number }>): T[] {
    const dim = (parseArgs('chunk', args, ['dim']).dim as number | undefined) ?? 0
    if (!(chunks > 0)) throw new RuntimeError(`chunk expects \`chunks\` to be greater than 0, got: ${chunks}`)
    const n = this._value().shape[normDim(dim, this._value().ndim)] as number
    // ATen splits an empty dimension into `chunks` empty pieces with split_with_sizes
    if (n === 0) return shapeMethods.split.call(this, new Array<number>(chunks).fill(0), dim)
    return shapeMethods.split.call(this, Math.ceil(n / chunks), dim)
  },
  /** Itself if contiguous, else a contiguous copy (`memory_format` may only be `torch.contiguous_format`). */
  contiguous(this: T, ...args: PyArgs<[], { readonly memory_format?: memory_format }>): T {
    checkContiguousFormat(parseArgs('contiguous', args, ['memory_format'], 0).memory_format)
    return this.is_contiguous() ? this : copyOf(this, contiguous_format)
  },
  /**
   * A copy with its own storage (differentiable: CloneBackward0). Its strides are the input's
   * where those are dense (`memory_format=torch.preserve_format`, the default), or row-major
   * (`torch.contiguous_format`).
   */
  clone(this: T, ...args: PyArgs<[], { readonly memory_format?: memory_format }>): T {
    return copyOf(this, checkMemoryFormat('clone', parseArgs('clone', args, ['memory_format'], 0).memory_format))
  },
  /** Reverses the given dimensions (a copy). */
  flip(this: T, ...dims: Sizes): T {
    const n = this._value().ndim
    const ds = sizesOf(dims).map((d) => normDim(d, n))
    return op('FlipBackward0', [this], (x) =>
      lax.flip(
        x,
        [...new Set(ds)].sort((a, b) => a - b),
      ),
    )
  },
  /**
   * Rolls elements along `dims` by `shifts` (a copy). Without dims the flattened tensor rolls
   * (RollBackward0 either way, as PyTorch: its kernel flattens, not its graph).
   */
  roll(
    this: T,
    ...args: PyArgs<
      [shifts: number | ReadonlyArray<number>, dims: number | ReadonlyArray<number>],
      { readonly shifts?: number | ReadonlyArray<number>; readonly dims?: number | ReadonlyArray<number> }
    >
  ): T {
    const a = parseArgs('roll', args, ['shifts', 'dims'])
    const shifts = a.shifts as number | ReadonlyArray<number> | undefined
    // PyTorch's argument parser words it so (plural, double quotes)
    if (shifts === undefined) throw new TorchTypeError('roll() missing 1 required positional arguments: "shifts"')
    const dims = a.dims as number | ReadonlyArray<number> | undefined
    const sh = this._value().shape
    const ss = typeof shifts === 'number' ? [shifts] : [...shifts]
    if (dims === undefined)
      return op('RollBackward0', [this], (x) =>
        lax.reshape(rollValues(lax.reshape(x, [x.size]), [ss[0] ?? 0], [0]), sh),
      )
    const ds = (typeof dims === 'number' ? [dims] : [...dims]).map((d) => normDim(d, sh.length))
    return op('RollBackward0', [this], (x) => rollValues(x, ss, ds))
  },
  /** Tiles the tensor `sizes` times along each dimension (a copy). */
  repeat(this: T, ...sizes: Sizes): T {
    const reps = sizesOf(sizes)
    const sh = this._value().shape
    if (reps.length < sh.length)
      throw new RuntimeError(
        'Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor',
      )
    return op('RepeatBackward0', [this], (x0) => {
      const x = lax.reshape(x0, [...Array(reps.length - sh.length).fill(1), ...sh])
      const big: number[] = []
      const dims: number[] = []
      x.shape.forEach((d, i) => {
        big.push(reps[i] as number, d)
        dims.push(2 * i + 1)
      })
      return lax.reshape(
        lax.broadcastInDim(x, big, dims),
        x.shape.map((d, i) => d * (reps[i] as number)),
      )
    })
  },
  /** Like repeat, padding `sizes` with leading ones. */
  tile(this: T, ...sizes: Sizes): T {
    const reps = sizesOf(sizes)
    const n = this._value().ndim
    return shapeMethods.repeat.call(this, [...Array(Math.max(0, n - reps.length)).fill(1), ...reps])
  },

  /** Converts to float32 (a copy unless already float32). */
  float(this: T): T {
    return convert(this, float32)
  },
  /** Converts to float64. */
  double(this: T): T {
    return convert(this, float64)
  },
  /** float16: not supported (raises a TypeError naming the dtype). */
  half(this: T): T {
    return convert(this, float16)
  },
  /** bfloat16: not supported (raises a TypeError naming the dtype). */
  bfloat16(this: T): T {
    return convert(this, bfloat16)
  },
  /** Converts to int64 (floats truncate toward zero). */
  long(this: T): T {
    return convert(this, int64)
  },
  /** Converts to int32 (floats truncate toward zero; int64 keeps the low 32 bits, as PyTorch). */
  int(this: T): T {
    return convert(this, int32)
  },
  /** Converts to int16 (wrapping, as PyTorch). */
  short(this: T): T {
    return convert(this, int16)
  },
  /** Converts to int8 (wrapping, as PyTorch). */
  char(this: T): T {
    return convert(this, int8)
  },
  /** Converts to uint8 (wrapping: -1 becomes 255, 300 becomes 44, as PyTorch). */
  byte(this: T): T {
    return convert(this, uint8)
  },
  /** Converts to bool (nonzero is true). */
  bool(this: T): T {
    return convert(this, bool)
  },
  /**
   * PyTorch's `to(device, dtype, non_blocking, copy)`, `to(dtype)`, `to(other)` and keyword
   * forms: converts the dtype (a copy, or itself when nothing changes and `copy` is false). The
   * device must be the CPU or the meta device (a meta tensor of the same shape and dtype; a meta
   * tensor cannot come back: it has no data); CUDA raises PyTorch's AssertionError.
   */
  to(this: T, ...args: ReadonlyArray<ToArg>): T {
    const r = parseTo('to', args)
    if (r.device !== undefined && r.device.type !== this.device.type) {
      if (r.device.type !== 'meta') throw new NotImplementedError(ERR_META_COPY)
      const m = toMetaRecorded(this)
      return r.dtype === undefined ? m : convert(m, r.dtype)
    }
    const out = r.dtype === undefined || r.dtype === this.dtype ? this : convert(this, r.dtype)
    return r.copy && out === this ? this.clone() : out
  },
  type: typeImpl,
  /** Converts to `other`'s dtype. */
  type_as(this: T, other: T): T {
    return convert(this, other.dtype)
  },
  /** Itself (a meta tensor raises: it has no data to copy). */
  cpu(this: T): T {
    if (this.is_meta) throw new NotImplementedError(ERR_META_COPY)
    return this
  },
  /** Raises PyTorch's `AssertionError: Torch not compiled with CUDA enabled`. */
  cuda(this: T, ..._args: ReadonlyArray<unknown>): T {
    checkDevice('cuda')
    return this
  },
}

/** A slice view `[start:stop:step]` of one dimension. */
export const sliceView = (
  self: T,
  d: number,
  start: number,
  stop: number,
  step: number,
  name = 'SliceBackward0',
): T => {
  const st = self._strides.map((s, i) => (i === d ? s * step : s))
  return viewOp(self, sliceStep(name, d, start, stop, step), st)
}
