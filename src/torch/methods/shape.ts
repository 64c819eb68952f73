/**
 * Shape methods. Views (`view`, `reshape` when possible, `unsqueeze`, `squeeze`, `expand`,
 * `transpose`, `permute`, `t`, `T`, `select`, `narrow`, `split`, `chunk`, `unbind`) share
 * storage with their base; copies (`clone`, `contiguous` of a non-contiguous tensor, `flip`,
 * `repeat`, conversions) do not.
 *
 * @category torch
 * @since 0.1.0
 */
import * as lax from '../../core/lax'
import { inplaceViewOp, op, viewOp } from '../autograd/op'
import { markHeldStep } from '../autograd/swapped'
import { type TorchDType } from '../dtype'
import { RuntimeError, TorchTypeError } from '../errors'
import { parseArgs, type PyArgs } from '../kwargs'
import { contiguous_format } from '../memoryFormat'
import { normDim, sizesOf } from '../ops/convert'
import { aliasStep, expandStep, permuteStep, reshapeStep, viewStrides } from '../ops/views'
import type { Tensor, ViewStep } from '../tensor'
import { warn } from '../warnings'
import { sumTo } from './gradFormulas'
import { conversionMethods, convert } from './dtypeConvert'
import { copyMethods, copyOf } from './shapeCopies'
import { sliceView, splitMethods } from './shapeSplit'

export { sliceView }

type T = Tensor

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
  ...splitMethods,
  ...copyMethods,
  ...conversionMethods,
}
