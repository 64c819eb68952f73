/**
 * `unique` and `unique_consecutive` as Tensor methods: over the flattened tensor or, with `dim`,
 * over the slices along `dim` (sorted lexicographically by `unique`; runs of equal consecutive
 * slices for `unique_consecutive`), with the inverse indices and counts when asked for. NaNs are
 * distinct, as in PyTorch. PyTorch defines no derivative for either: the values of a float input
 * that requires grad carry `Unique2Backward0` / `UniqueDimBackward0` /
 * `UniqueConsecutiveBackward0`, whose backward raises NotImplementedError.
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { array } from '../../ndarray/create'
import type { NdArray } from '../../ndarray/NdArray'
import { unique as uniqueOp } from '../../ops'
import { withUndefinedDerivative } from '../autograd/notImplemented'
import { op } from '../autograd/op'
import { RuntimeError } from '../errors'
import { parseArgs, type PyArgs } from '../kwargs'
import { normDim } from '../ops/convert'
import { Tensor } from '../tensor'

type T = Tensor

type UniqueKw = {
  readonly sorted?: boolean
  readonly return_inverse?: boolean
  readonly return_counts?: boolean
  readonly dim?: number | null
}
/** What `unique` / `unique_consecutive` return: the values, then the inverse and counts when asked for. @category torch @since 0.2.0 */
export type UniqueResult = T | [T, T] | [T, T, T]

/** An int64 tensor that never requires grad. */
const indexTensor = (self: T, idx: NdArray): T =>
  op('argsort', [self], () => lax.cast(idx, 'int64'), { differentiable: false })

/** The result list: values (under the node PyTorch gives them), then inverse and counts as asked. */
const uniqueResult = (
  self: T,
  [values, inverse, counts]: readonly [NdArray, NdArray, NdArray],
  kw: UniqueKw,
  node: readonly [name: string, op: string],
): UniqueResult => {
  const v = withUndefinedDerivative(node[0], node[1], [self], Tensor._fromValue(values))
  const extra: T[] = []
  if (kw.return_inverse === true) extra.push(indexTensor(self, inverse))
  if (kw.return_counts === true) extra.push(indexTensor(self, counts))
  return extra.length === 0 ? v : ([v, ...extra] as [T, T] | [T, T, T])
}

/** The dim of `unique(dim=…)`, or null; PyTorch's error when another dimension is empty. */
const uniqueDim = (name: string, self: T, kw: UniqueKw): number | null => {
  if (kw.dim === undefined || kw.dim === null) return null
  const shape = self._value().shape
  const dim = normDim(kw.dim, shape.length)
  if (shape.some((n, d) => n === 0 && d !== dim))
    throw new RuntimeError(`There are 0 sized dimensions, and they aren't selected, so ${name} cannot be applied`)
  return dim
}

/** The slices of `v` along `dim` as the rows of an [n, m] array, and the shape they came from. */
const rowsAlong = (v: NdArray, dim: number | null): [NdArray, number[]] => {
  if (dim === null) return [lax.reshape(v, [v.size, 1]), [v.size]]
  const perm = [dim, ...v.shape.keys()].filter((d, k) => k === 0 || d !== dim)
  const moved = lax.transpose(v, perm)
  const n = v.shape[dim] as number
  return [lax.reshape(moved, [n, n === 0 ? 0 : v.size / n]), moved.shape.slice()]
}

/** Rows `starts` of `rows`, back in the layout of the input (slices along `dim`). */
const rowsBack = (rows: NdArray, starts: NdArray, movedShape: number[], dim: number | null): NdArray => {
  const picked = lax.gather(rows, starts, 0)
  const k = starts.shape[0] as number
  if (dim === null) return lax.reshape(picked, [k])
  const shaped = lax.reshape(picked, [k, ...movedShape.slice(1)])
  return lax.transpose(
    shaped,
    movedShape.map((_, d) => (d < dim ? d + 1 : d === dim ? 0 : d)),
  )
}

/** Runs of equal consecutive rows (NaN never equal): the values, each row's run and the run lengths. */
const consecutive = (v: NdArray, dim: number | null): [NdArray, NdArray, NdArray] => {
  const [rows, movedShape] = rowsAlong(v, dim)
  const [n, m] = rows.shape as [number, number]
  const data = rows.toTypedArray() as ArrayLike<number>
  const same = (i: number): boolean => {
    for (let j = 0; j < m; j++) if (data[i * m + j] !== data[(i - 1) * m + j]) return false
    return true
  }
  const starts: number[] = []
  const run = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    if (i === 0 || !same(i)) starts.push(i)
    run[i] = starts.length - 1
  }
  const counts = starts.map((s, j) => (starts[j + 1] ?? n) - s)
  const startArr = array(starts, { dtype: 'int32', shape: [starts.length] })
  const inverse = array(Array.from(run), { dtype: 'int32', shape: [n] })
  const runs = array(counts, { dtype: 'int32', shape: [counts.length] })
  return [rowsBack(rows, startArr, movedShape, dim), dim === null ? lax.reshape(inverse, v.shape) : inverse, runs]
}

/** The Tensor methods of this module (installed by `../install`). */
export const uniqueMethods = {
  /** The sorted unique elements (or slices along `dim`), with the inverse and counts when asked for. */
  unique(
    this: T,
    ...args: PyArgs<
      [sorted: boolean, return_inverse: boolean, return_counts: boolean],
      {
        readonly sorted?: boolean
        readonly return_inverse?: boolean
        readonly return_counts?: boolean
        readonly dim?: number | null
      }
    >
  ): UniqueResult {
    const kw = parseArgs('unique', args, ['sorted', 'return_inverse', 'return_counts', 'dim']) as UniqueKw
    const dim = uniqueDim('unique', this, kw)
    const v = this._value()
    const [values, inverse, counts] = uniqueOp(v, {
      returnInverse: true,
      returnCounts: true,
      equalNan: false,
      axis: dim,
    }) as [NdArray, NdArray, NdArray]
    const node =
      dim === null ? (['Unique2Backward0', '_unique2'] as const) : (['UniqueDimBackward0', 'unique_dim'] as const)
    return uniqueResult(this, [values, inverse, counts], kw, node)
  },
  /** The first element (or slice along `dim`) of each run of equal consecutive ones, with the inverse and run lengths when asked for. */
  unique_consecutive(
    this: T,
    ...args: PyArgs<
      [return_inverse: boolean, return_counts: boolean],
      {
        readonly return_inverse?: boolean
        readonly return_counts?: boolean
        readonly dim?: number | null
      }
    >
  ): UniqueResult {
    const kw = parseArgs('unique_consecutive', args, ['return_inverse', 'return_counts', 'dim']) as UniqueKw
    const dim = uniqueDim('unique_consecutive', this, kw)
    const node = ['UniqueConsecutiveBackward0', 'unique_consecutive'] as const
    return uniqueResult(this, consecutive(this._value(), dim), kw, node)
  },
}
