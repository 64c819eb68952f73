/**
 * The max/min family of Tensor methods: `max`, `min` (all elements, element-wise with another
 * tensor, or values and indices along `dim`), `amax`, `amin`, `argmax`, `argmin`, and the helpers
 * the other reductions share (`keep`, PyTorch's check of a zero-size reduced dimension).
 *
 * @category torch
 * @since 0.1.0
 */
import * as lax from '../../core/lax'
import { NdArray } from '../../ndarray/NdArray'
import { op } from '../autograd/op'
import { IndexError, RuntimeError } from '../errors'
import { asTensor } from '../pyTypeName'
import { parseArgs, type PyArgs } from '../kwargs'
import { normDim, normDims } from '../ops/convert'
import { Tensor } from '../tensor'
import { maxAll, minAll, selectFlat } from './gradKernels'

type T = Tensor
type Dim = number | ReadonlyArray<number> | null

/** Re-inserts reduced axes as size 1. */
export const keep = (
  y: NdArray,
  shape: ReadonlyArray<number>,
  axes: ReadonlyArray<number>,
  keepdim: boolean,
): NdArray =>
  keepdim
    ? lax.reshape(
        y,
        shape.map((d, i) => (axes.includes(i) ? 1 : d)),
      )
    : y

const iota = (n: number): NdArray =>
  new NdArray(
    [n],
    'int32',
    Int32Array.from({ length: n }, (_, i) => i),
  )

/** Values and indices of a max/min along a dimension (PyTorch's `torch.return_types.max`). */
export type ValuesIndices = [T, T] & { readonly values: T; readonly indices: T }

export const valuesIndices = (values: T, indices: T): ValuesIndices =>
  Object.assign([values, indices] as [T, T], { values, indices })

/** Argmax (or argmin) along `axis` and the gathered values (the gradient flows to that index only). */
const argReduce = (x: NdArray, axis: number, which: 'max' | 'min'): [NdArray, NdArray] => {
  const n = x.shape[axis] as number
  const perm = [...x.shape.keys()].filter((i) => i !== axis).concat([axis])
  const kept = x.shape.filter((_, i) => i !== axis)
  const m = kept.reduce((a, b) => a * b, 1)
  const x2 = lax.reshape(lax.transpose(x, perm), [m, n])
  const idx = which === 'max' ? lax.argmax(x2, 1) : lax.argmin(x2, 1)
  const flat = lax.add(lax.mul(iota(m), lax.scalar(n, 'int32')), idx)
  const vals = selectFlat(x2, flat)
  return [lax.reshape(vals, kept), lax.reshape(idx, kept)]
}

const reduceMaxMin = (self: T, which: 'max' | 'min', args: ReadonlyArray<unknown>): T | ValuesIndices => {
  const fn = which
  if (args.length === 0) {
    if (self.numel() === 0)
      throw new RuntimeError(
        `${fn}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`,
      )
    const name = which === 'max' ? 'MaxBackward1' : 'MinBackward1'
    return op(
      name,
      [self],
      // PyTorch's evenly_distribute_backward: grad / #ties written into zeros
      which === 'max' ? maxAll : minAll,
      { saves: [0], savesOutput: true, gradName: 'MaskedFillBackward1' },
    )
  }
  const first = args[0]
  if (typeof first === 'object' && first !== null && !Array.isArray(first) && 'grad_fn' in (first as object)) {
    const other = first as T
    return which === 'max' ? self.maximum(other) : self.minimum(other)
  }
  const a = parseArgs(fn, args, ['dim', 'keepdim'])
  const x0 = self._value()
  const axis = normDim(a.dim as number, x0.ndim)
  checkNonEmpty(fn, x0, [axis])
  const keepdim = (a.keepdim as boolean | undefined) ?? false
  const ax = x0.ndim === 0 ? [] : [axis]
  const name = which === 'max' ? 'MaxBackward0' : 'MinBackward0'
  const indices = op(
    'argmax',
    [self],
    (x) =>
      x.ndim === 0
        ? lax.scalar(0, 'int64')
        : keep(lax.cast(argReduce(x, axis, which)[1], 'int64'), x.shape, ax, keepdim),
    { differentiable: false },
  )
  // PyTorch's MaxBackward0/MinBackward0 (max.dim) saves the indices and self's sizes, not self
  const values = op(
    name,
    [self],
    (x) => (x.ndim === 0 ? x : keep(argReduce(x, axis, which)[0], x.shape, ax, keepdim)),
    { savesTensors: [indices] },
  )
  return valuesIndices(values, indices)
}

/** The overloads of `Tensor.max` and `Tensor.min`. */
export interface MaxFn {
  /** The maximum of all elements. */
  (this: T): T
  /** Element-wise maximum with another tensor. */
  (this: T, other: T): T
  /** Values and indices of the maxima along `dim`. */
  (this: T, dim: number, keepdim?: boolean | { readonly keepdim?: boolean }): ValuesIndices
  (this: T, kw: { readonly dim: number; readonly keepdim?: boolean }): ValuesIndices
}

const maxImpl = function (this: T, ...args: unknown[]): T | ValuesIndices {
  return reduceMaxMin(this, 'max', args)
} as MaxFn
const minImpl = function (this: T, ...args: unknown[]): T | ValuesIndices {
  return reduceMaxMin(this, 'min', args)
} as MaxFn

/** The max/min methods installed on Tensor (part of `reduceMethods`). */
export const extremaMethods = {
  max: maxImpl,
  min: minImpl,
  /** Maximum over `dim` (ties share the gradient evenly). */
  amax(this: T, ...args: PyArgs<[dim: Dim, keepdim: boolean], { readonly dim?: Dim; readonly keepdim?: boolean }>): T {
    const a = parseArgs('amax', args, ['dim', 'keepdim'])
    checkNonEmpty('amax', self_(this), dimList(a.dim))
    const axes = normDims(a.dim as Dim, self_(this).ndim)
    return op(
      'AmaxBackward0',
      [this],
      (x) => keep(lax.reduceMax(x, axes), x.shape, axes, (a.keepdim as boolean | undefined) ?? false),
      { saves: [0], savesOutput: true },
    )
  },
  /** Minimum over `dim`. */
  amin(this: T, ...args: PyArgs<[dim: Dim, keepdim: boolean], { readonly dim?: Dim; readonly keepdim?: boolean }>): T {
    const a = parseArgs('amin', args, ['dim', 'keepdim'])
    checkNonEmpty('amin', self_(this), dimList(a.dim))
    const axes = normDims(a.dim as Dim, self_(this).ndim)
    return op(
      'AminBackward0',
      [this],
      (x) => keep(lax.neg(lax.reduceMax(lax.neg(x), axes)), x.shape, axes, (a.keepdim as boolean | undefined) ?? false),
      { saves: [0], savesOutput: true },
    )
  },
  /** Index of the maximum (of the flattened tensor, or along `dim`), int64. */
  argmax(
    this: T,
    ...args: PyArgs<
      [dim: number | null, keepdim: boolean],
      { readonly dim?: number | null; readonly keepdim?: boolean }
    >
  ): T {
    return argIndex(this, 'argmax', args)
  },
  /** Index of the minimum, int64. */
  argmin(
    this: T,
    ...args: PyArgs<
      [dim: number | null, keepdim: boolean],
      { readonly dim?: number | null; readonly keepdim?: boolean }
    >
  ): T {
    return argIndex(this, 'argmin', args)
  },
}

/** The array of a tensor argument. */
export const self_ = (t: T): NdArray => asTensor(t)._value()

/**
 * PyTorch's refusal to reduce max/min-like ops over a zero-size dimension: `dims` as the user
 * wrote them (amax prints them so) or normalized (max, argmax); none given means all dimensions.
 */
export const checkNonEmpty = (
  fn: string,
  x: NdArray,
  dims: ReadonlyArray<number> | null,
  allDimsError = RuntimeError,
): void => {
  if (dims === null || dims.length === 0) {
    if (x.size === 0)
      throw new allDimsError(
        `${fn}(): Expected reduction dim to be specified for input.numel() == 0.${allDimsError === RuntimeError ? " Specify the reduction dim with the 'dim' argument." : ''}`,
      )
    return
  }
  for (const d of dims)
    if (x.ndim > 0 && x.shape[normDim(d, x.ndim)] === 0)
      throw new IndexError(`${fn}(): Expected reduction dim ${d} to have non-zero size.`)
}

/** The dims argument as a list (null: none given). */
export const dimList = (dim: unknown): number[] | null =>
  dim === undefined || dim === null ? null : Array.isArray(dim) ? (dim as number[]) : [dim as number]

const argIndex = (self: T, fn: 'argmax' | 'argmin', args: ReadonlyArray<unknown>): T => {
  const a = parseArgs(fn, args, ['dim', 'keepdim'])
  const d = dimList(a.dim)
  checkNonEmpty(
    fn,
    self._value(),
    d === null ? null : [normDim(d[0] as number, Math.max(1, self._value().ndim))],
    IndexError,
  )
  const keepdim = (a.keepdim as boolean | undefined) ?? false
  return op(
    fn,
    [self],
    (x) => {
      if (a.dim === undefined || a.dim === null) {
        const flat = lax.reshape(x, [x.size])
        const r = lax.cast(fn === 'argmax' ? lax.argmax(flat, 0) : lax.argmin(flat, 0), 'int64')
        return keepdim
          ? lax.reshape(
              r,
              x.shape.map(() => 1),
            )
          : r
      }
      if (x.ndim === 0) return lax.scalar(0, 'int64')
      const axis = normDim(a.dim as number, x.ndim)
      const r = lax.cast(fn === 'argmax' ? lax.argmax(x, axis) : lax.argmin(x, axis), 'int64')
      return keepdim
        ? lax.reshape(
            r,
            x.shape.map((d, i) => (i === axis ? 1 : d)),
          )
        : r
    },
    { differentiable: false },
  )
}
