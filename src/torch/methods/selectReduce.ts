/**
 * Order-statistic reductions as Tensor methods with PyTorch's node names: `median` / `nanmedian`
 * (the lower of the two middle values, as PyTorch), `kthvalue`, `mode`, `quantile` /
 * `nanquantile` (five interpolations). The positions are chosen on the concrete values (the facade
 * is eager); the recorded op gathers them, so the gradient flows to the chosen elements only
 * (quantile: to the two neighbours, weighted by the interpolation), as PyTorch's.
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { isFloat } from '../../ndarray/dtype'
import { NdArray } from '../../ndarray/NdArray'
import { op } from '../autograd/op'
import { IndexError, RuntimeError } from '../errors'
import { parseArgs, type PyArgs } from '../kwargs'
import { normDim } from '../ops/convert'
import { Tensor } from '../tensor'
import { evenlyDistributed, selectFlat } from './gradKernels'
import { nthPosition } from './introselect'
import { valuesIndices, type ValuesIndices } from './reduce'

type T = Tensor

/** A reduction's view of its input as rows [m, n] (along `axis`, or all elements) and its output shape. */
interface Rows {
  readonly m: number
  readonly n: number
  readonly toRows: (x: NdArray) => NdArray
  readonly outShape: number[]
  /** The rows' concrete values, row-major. */
  readonly data: Float64Array
}

const rowsOf = (x0: NdArray, axis: number | null, keepdim: boolean): Rows => {
  let toRows: (x: NdArray) => NdArray
  let outShape: number[]
  let n: number
  if (axis === null || x0.ndim === 0) {
    n = x0.size
    toRows = (x) => lax.reshape(x, [1, x.size])
    outShape = axis === null && keepdim ? x0.shape.map(() => 1) : []
  } else {
    const perm = [...x0.shape.keys()].filter((i) => i !== axis).concat([axis])
    n = x0.shape[axis] as number
    toRows = (x) => lax.reshape(lax.transpose(x, perm), [x.size / n, n])
    outShape = x0.shape.map((d, i) => (i === axis ? 1 : d)).filter((_, i) => keepdim || i !== axis)
  }
  const data = Float64Array.from(toRows(x0).toTypedArray() as ArrayLike<number>)
  return { m: n === 0 ? 0 : x0.size / n, n, toRows, outShape, data }
}

/** Positions of a row sorted ascending, NaN last, stable. */
const order = (row: ArrayLike<number>): number[] =>
  Array.from(row, (_, i) => i).sort((i, j) => {
    const a = row[i] as number
    const b = row[j] as number
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) ? (Number.isNaN(b) ? i - j : 1) : -1
    return a - b || i - j
  })

/** Row r of the concrete rows. */
const rowAt = (r: Rows, i: number): Float64Array => r.data.subarray(i * r.n, (i + 1) * r.n)

/** Flat positions `i·n + pick[i]` into the rows. */
const flatIndex = (r: Rows, pick: ReadonlyArray<number>): NdArray =>
  new NdArray(
    [pick.length],
    'int32',
    Int32Array.from(pick, (p, i) => i * r.n + p),
  )

/** Values at position `pick[i]` of each row i (an op named `name`) and the positions (int64). */
const gatherRows = (self: T, name: string, r: Rows, pick: ReadonlyArray<number>): ValuesIndices => {
  const values = op(name, [self], (x) => lax.reshape(selectFlat(r.toRows(x), flatIndex(r, pick)), r.outShape), {
    saves: [0],
  })
  const idx = new NdArray([pick.length], 'int64', Float64Array.from(pick))
  return valuesIndices(values, Tensor._fromValue(lax.reshape(idx, r.outShape)))
}

/** The position of row `row`'s median: the lower middle (NaN: the first NaN, unless `skipNan`). */
const medianPos = (row: Float64Array, skipNan: boolean): number => {
  const nanAt = row.findIndex((v) => Number.isNaN(v))
  if (!skipNan && nanAt >= 0) return nanAt
  const k = nanAt < 0 ? row.length : row.reduce((c, v) => c + (Number.isNaN(v) ? 0 : 1), 0)
  // PyTorch's kernel: nth_element at (k − 1)/2 (C++ division: 0 when every element is NaN) in the
  // order (value, position), NaN last: only NaNs are equivalent, so only an all-NaN row's pick
  // depends on the partition
  const before = (i: number, j: number): boolean => {
    const a = row[i] as number
    const b = row[j] as number
    return a < b || (a === b && i < j) || (Number.isNaN(b) && !Number.isNaN(a))
  }
  return nthPosition(row.length, Math.trunc((k - 1) / 2), before)
}

/** The most frequent value of a row (ties: the smallest) at its last occurrence. */
const modePos = (row: Float64Array): number => {
  const count = new Map<number, number>()
  for (const v of row) if (!Number.isNaN(v)) count.set(v, (count.get(v) ?? 0) + 1)
  let best = NaN
  let most = 0
  for (const [v, c] of count) if (c > most || (c === most && v < best)) [best, most] = [v, c]
  const at = row.lastIndexOf(best)
  return at < 0 ? 0 : at
}

/** Keyword options `dim`, `keepdim` of the order statistics. @category torch @since 0.2.0 */
export type SelectDimKw = { readonly dim?: number; readonly keepdim?: boolean }

/** median/nanmedian: of all elements (one value), or along `dim` (values and indices). */
const medianImpl = (self: T, fn: 'median' | 'nanmedian', args: ReadonlyArray<unknown>): T | ValuesIndices => {
  const nodes = fn === 'median' ? ['MedianBackward0', 'MedianBackward1'] : ['NanmedianBackward0', 'NanmedianBackward1']
  const x0 = self._value()
  if (args.length === 0) {
    if (x0.size === 0)
      return op(nodes[0] as string, [self], (x) => lax.addScalar(lax.reduceSum(x, [...x.shape.keys()]), NaN))
    const r = rowsOf(x0, null, false)
    const at = flatIndex(r, [medianPos(rowAt(r, 0), fn === 'nanmedian')])
    // median()/nanmedian(): evenly_distribute_backward, where median(dim) gathers
    const pick = evenlyDistributed((x) => lax.reshape(lax.gather(lax.reshape(x, [x.size]), at, 0), []))
    // evenly_distribute_backward(grad, self, result): self and the result are saved
    return op(nodes[0] as string, [self], pick, { saves: [0], savesOutput: true })
  }
  const a = parseArgs(fn, args, ['dim', 'keepdim'])
  const axis = normDim(a.dim as number, Math.max(1, x0.ndim))
  if (x0.ndim > 0 && x0.shape[axis] === 0)
    throw new IndexError(`${fn}(): Expected reduction dim ${a.dim as number} to have non-zero size.`)
  const r = rowsOf(x0, axis, (a.keepdim as boolean | undefined) ?? false)
  const pick = Array.from({ length: r.m }, (_, i) => medianPos(rowAt(r, i), fn === 'nanmedian'))
  return gatherRows(self, nodes[1] as string, r, pick)
}

/** The overloads of `median` / `nanmedian`. @category torch @since 0.2.0 */
export interface MedianFn {
  /** The median of all elements (the lower of the two middle values). */
  (this: T): T
  /** Values and indices of the medians along `dim`. */
  (this: T, ...args: PyArgs<[dim: number, keepdim: boolean], SelectDimKw>): ValuesIndices
}

const medianMethod = function (this: T, ...args: unknown[]): T | ValuesIndices {
  return medianImpl(this, 'median', args)
} as MedianFn
const nanmedianMethod = function (this: T, ...args: unknown[]): T | ValuesIndices {
  return medianImpl(this, 'nanmedian', args)
} as MedianFn

/** How `quantile` reads between the two order statistics around q·(n − 1). @category torch @since 0.2.0 */
export type QuantileInterpolation = 'linear' | 'lower' | 'higher' | 'midpoint' | 'nearest'
const INTERPOLATIONS: ReadonlyArray<QuantileInterpolation> = ['linear', 'lower', 'higher', 'midpoint', 'nearest']

/** Round half to even (PyTorch's `round`). */
const roundEven = (v: number): number => {
  const f = Math.floor(v)
  const d = v - f
  return d > 0.5 || (d === 0.5 && f % 2 !== 0) ? f + 1 : f
}

/** The two positions and the weight of the upper one, for quantile q of a row. */
const quantilePos = (
  row: Float64Array,
  q: number,
  skipNan: boolean,
  how: QuantileInterpolation,
): [number, number, number] => {
  const o = order(row)
  const k = row.reduce((c, v) => c + (Number.isNaN(v) ? 0 : 1), 0)
  if (k === 0 || (!skipNan && k < row.length)) return [o[k] ?? 0, o[k] ?? 0, 0]
  const pos = q * (k - 1)
  let lo = Math.floor(pos)
  let hi = Math.ceil(pos)
  let w = pos - lo
  if (how === 'lower') hi = lo
  else if (how === 'higher') lo = hi
  else if (how === 'nearest') lo = hi = roundEven(pos)
  else if (how === 'midpoint') w = 0.5
  return [o[lo] as number, o[hi] as number, how === 'linear' || how === 'midpoint' ? w : 0]
}

/** Keyword options of `quantile` / `nanquantile`. @category torch @since 0.2.0 */
export type QuantileKw = {
  readonly dim?: number | null
  readonly keepdim?: boolean
  readonly interpolation?: QuantileInterpolation
}

/** The q values (a number or a 0-d/1-d tensor) and whether they add a leading dimension. */
const quantileQs = (fn: string, q: unknown): [number[], boolean] => {
  const qs = q instanceof Tensor ? q : null
  if (qs !== null && qs.dim() > 1) throw new RuntimeError(`${fn}() q must be a scalar or 1D tensor`)
  const list = qs === null ? [q as number] : (qs.reshape(-1).tolist() as number[])
  for (const v of list)
    if (!(v >= 0 && v <= 1)) throw new RuntimeError(`${fn}() q must be in the range [0, 1] but got ${v}`)
  return [list, qs !== null && qs.dim() === 1]
}

const quantileImpl = (self: T, fn: 'quantile' | 'nanquantile', args: ReadonlyArray<unknown>): T => {
  const a = parseArgs(fn, args, ['q', 'dim', 'keepdim', 'interpolation'])
  const how = (a.interpolation as QuantileInterpolation | undefined) ?? 'linear'
  if (!INTERPOLATIONS.includes(how))
    throw new RuntimeError(
      `${fn}() interpolation must be one of linear, lower, higher, midpoint or nearest, but got ${how as string}`,
    )
  const x0 = self._value()
  if (!isFloat(x0.dtype)) throw new RuntimeError(`${fn}() input tensor must be either float or double dtype`)
  if (x0.size === 0) throw new RuntimeError(`${fn}() input tensor must be non-empty`)
  const [qs, qDim] = quantileQs(fn, a.q)
  const dim = a.dim as number | null | undefined
  const r = rowsOf(
    x0,
    dim === undefined || dim === null ? null : normDim(dim, Math.max(1, x0.ndim)),
    (a.keepdim as boolean | undefined) ?? false,
  )
  const lo: number[] = []
  const hi: number[] = []
  const w: number[] = []
  for (const q of qs)
    for (let i = 0; i < r.m; i++) {
      const [l, h, ww] = quantilePos(rowAt(r, i), q, fn === 'nanquantile', how)
      lo.push(i * r.n + l)
      hi.push(i * r.n + h)
      w.push(ww)
    }
  const shape = qDim ? [qs.length, ...r.outShape] : r.outShape
  return op(
    'SqueezeBackward3',
    [self],
    (x) => {
      const flat = lax.reshape(r.toRows(x), [r.m * r.n])
      const at = (p: number[]): NdArray => lax.gather(flat, new NdArray([p.length], 'int32', Int32Array.from(p)), 0)
      const [l, h] = [at(lo), at(hi)]
      const ww = lax.cast(new NdArray([w.length], 'float64', Float64Array.from(w)), x.dtype)
      return lax.reshape(lax.add(l, lax.mul(ww, lax.sub(h, l))), shape)
    },
    { saves: [0] },
  )
}

/** Order statistics installed on Tensor. */
export const selectReduceMethods = {
  /** The median (the lower of the two middle values, as PyTorch); with `dim`: values and indices. */
  median: medianMethod,
  /** The median ignoring NaNs (NaN only where a row is all NaN). */
  nanmedian: nanmedianMethod,
  /** The k-th smallest element along `dim` (last by default; k counts from 1): values and indices. */
  kthvalue(
    this: T,
    ...args: PyArgs<[k: number, dim: number, keepdim: boolean], SelectDimKw & { readonly k?: number }>
  ): ValuesIndices {
    const a = parseArgs('kthvalue', args, ['k', 'dim', 'keepdim'])
    const x0 = this._value()
    const dim = (a.dim as number | undefined) ?? -1
    const axis = normDim(dim, Math.max(1, x0.ndim))
    const r = rowsOf(x0, axis, (a.keepdim as boolean | undefined) ?? false)
    const k = a.k as number
    if (!(k >= 1 && k <= Math.max(1, r.n)))
      throw new RuntimeError(`kthvalue(): selected number k out of range for dimension ${dim}`)
    const pick = Array.from({ length: r.m }, (_, i) => order(rowAt(r, i))[k - 1] as number)
    return gatherRows(this, 'KthvalueBackward0', r, pick)
  },
  /** The most frequent value along `dim` (ties: the smallest) and the index of its last occurrence. */
  mode(this: T, ...args: PyArgs<[dim: number, keepdim: boolean], SelectDimKw>): ValuesIndices {
    const a = parseArgs('mode', args, ['dim', 'keepdim'])
    const x0 = this._value()
    const axis = normDim((a.dim as number | undefined) ?? -1, Math.max(1, x0.ndim))
    const r = rowsOf(x0, axis, (a.keepdim as boolean | undefined) ?? false)
    const pick = Array.from({ length: r.m }, (_, i) => modePos(rowAt(r, i)))
    return gatherRows(this, 'ModeBackward0', r, pick)
  },
  /** The q-quantiles (q a number or a 1-D tensor, leading the result) of all elements or along `dim`. */
  quantile(this: T, ...args: PyArgs<[q: number | T, dim: number | null, keepdim: boolean], QuantileKw>): T {
    return quantileImpl(this, 'quantile', args)
  },
  /** {@link selectReduceMethods.quantile} ignoring NaNs. */
  nanquantile(this: T, ...args: PyArgs<[q: number | T, dim: number | null, keepdim: boolean], QuantileKw>): T {
    return quantileImpl(this, 'nanquantile', args)
  },
}
