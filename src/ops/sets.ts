/**
 * Data-dependent sizes made static, as JAX does: `nonzero`, `argwhere` and `unique` take a
 * `size` (and `fillValue`) so that they can be staged by `jit`; without `size` the output size
 * is read from the data, which only works eagerly (under `jit` a ConcretizationTypeError says to
 * pass `size`).
 *
 * @category ops
 * @since 0.2.0
 */
import * as lax from '../core/lax'
import { refuseAbstract } from '../core/trace'
import { checkOptions } from '../internal/options'
import { ConcretizationTypeError, ValueError } from '../ndarray/errors'
import type { NdArray } from '../ndarray/NdArray'
import { normalizeAxis } from '../ndarray/shape'
import { asArray, type ArrayLike } from './convert'
import { argsort } from './sorting'

/** Options of {@link nonzero} and {@link argwhere}. */
export interface NonzeroOptions {
  /** Static number of results: extra ones are dropped, missing ones filled. Needed under `jit`. */
  readonly size?: number
  /** Index written into the filled results (one number, or one per axis). Default 0. */
  readonly fillValue?: number | ReadonlyArray<number>
}

/** The static `size` of `op`, or the data's own count (refused when traced by jit/vmap). */
const staticSize = (op: string, size: number | undefined, mask: NdArray): number => {
  if (size !== undefined) {
    if (!Number.isInteger(size) || size < 0)
      throw new ValueError(`${op}: size must be a non-negative integer, got ${size}`)
    return size
  }
  try {
    refuseAbstract(mask, op)
  } catch (e) {
    if (e instanceof ConcretizationTypeError)
      throw new ConcretizationTypeError(
        `${op}: the size argument must be given to use ${op} under jit or vmap: its output size depends on the data. ${e.message}`,
      )
    throw e
  }
  return lax.reduceSum(lax.cast(mask, 'int32'), [0]).toArray() as number
}

/**
 * Flat positions of the true entries of the 1-D bool `mask`, `size` of them (beyond the count:
 * `mask.size`): `#{j : cumsum(mask)ⱼ ≤ k}` for slot k, by a bincount and a cumsum.
 */
const truePositions = (mask: NdArray, size: number): NdArray => {
  const c = lax.cumsum(lax.cast(mask, 'int32'), 0)
  const bin = lax.select(lax.lt(c, lax.scalar(size, 'int32')), c, lax.scalar(size, 'int32'))
  const ones = lax.broadcastInDim(lax.scalar(1, 'int32'), mask.shape, [])
  const bins = lax.scatterAdd(ones, bin, 0, [size + 1])
  return lax.cumsum(lax.slice(bins, [0], [size], [1]), 0)
}

/** `[0, 1, …, n − 1] < count` (which slots hold a result). */
const filled = (size: number, count: NdArray): NdArray =>
  lax.lt(lax.cumsum(lax.broadcastInDim(lax.scalar(1, 'int32'), [size], []), 0), lax.addScalar(count, 1))

/**
 * Indices of the nonzero entries, one int32 array per axis (NumPy/JAX `nonzero`), in row-major
 * order. With `size` the result has that length (staged under `jit`), padded with `fillValue`.
 * @example
 * import { nonzero, array } from 'wengert'
 * const [r, c] = nonzero(array([[0, 2, 0], [1, 0, 3]]))
 * assert.deepStrictEqual([r!.toArray(), c!.toArray()], [[0, 1, 1], [1, 0, 2]])
 * assert.deepStrictEqual(nonzero(array([0, 5, 0, 7]), { size: 3, fillValue: -1 })[0]!.toArray(), [1, 3, -1])
 * @category ops @since 0.2.0
 */
export const nonzero = (x: ArrayLike, options?: NonzeroOptions): NdArray[] => {
  const opts = checkOptions('nonzero', options, ['size', 'fillValue'])
  const a = asArray('nonzero', x)
  if (a.ndim === 0)
    throw new ValueError('Calling nonzero on 0d arrays is not allowed. Use jnp.atleast_1d(scalar).nonzero() instead.')
  const flatMask = lax.reshape(a.dtype === 'bool' ? a : lax.ne(a, lax.scalarLike(0, a)), [a.size])
  const size = staticSize('nonzero', opts.size, flatMask)
  const flat = truePositions(flatMask, size)
  const ok = filled(size, lax.reduceSum(lax.cast(flatMask, 'int32'), [0]))
  const fill = opts.fillValue ?? 0
  return a.shape.map((d, axis) => {
    const stride = a.shape.slice(axis + 1).reduce((p, e) => p * e, 1)
    const q = lax.div(flat, lax.scalar(Math.max(stride, 1), 'int32'))
    const coord = lax.sub(q, lax.mul(lax.div(q, lax.scalar(Math.max(d, 1), 'int32')), lax.scalar(d, 'int32')))
    const f = typeof fill === 'number' ? fill : (fill[axis] ?? 0)
    return lax.select(ok, coord, lax.scalar(f, 'int32'))
  })
}

/**
 * Indices of the nonzero entries as rows (NumPy/JAX `argwhere`): int32 of shape
 * `[count (or size), ndim]`.
 * @example
 * import { argwhere, array } from 'wengert'
 * assert.deepStrictEqual(argwhere(array([[0, 2, 0], [1, 0, 3]])).toArray(), [[0, 1], [1, 0], [1, 2]])
 * @category ops @since 0.2.0
 */
export const argwhere = (x: ArrayLike, options?: NonzeroOptions): NdArray => {
  const opts = checkOptions('argwhere', options, ['size', 'fillValue'])
  const a = asArray('argwhere', x)
  const cols = nonzero(a.ndim === 0 ? lax.reshape(a, [1]) : a, opts)
  const n = (cols[0] as NdArray).shape[0] as number
  if (a.ndim === 0) return lax.zerosLike({ shape: [n, 0], dtype: 'int32' })
  return lax.concatenate(
    cols.map((c) => lax.reshape(c, [n, 1])),
    1,
  )
}

/** Options of {@link unique}. */
export interface UniqueOptions {
  /** Also return the index of each unique value's first occurrence. */
  readonly returnIndex?: boolean
  /** Also return, for each input element (each slice along `axis`), the index of its unique value. */
  readonly returnInverse?: boolean
  /** Also return how often each unique value occurs. */
  readonly returnCounts?: boolean
  /** Unique slices along this axis instead of unique elements of the flattened array. */
  readonly axis?: number | null
  /** Static number of unique values (needed under `jit`): extra ones are dropped, missing ones filled. */
  readonly size?: number
  /** Value of the filled unique values; default the smallest value. */
  readonly fillValue?: number
  /** Count all NaNs as one value. Default true (NumPy's and JAX's). */
  readonly equalNan?: boolean
}
type UniqueKeys = ReadonlyArray<keyof UniqueOptions>
const UNIQUE_KEYS: UniqueKeys = [
  'returnIndex',
  'returnInverse',
  'returnCounts',
  'axis',
  'size',
  'fillValue',
  'equalNan',
]

/** Start of each run of equal sorted rows of `aux` ([n, m]; NaNs equal when `equalNan`). */
const runStarts = (aux: NdArray, equalNan: boolean): NdArray => {
  const [n, m] = aux.shape as [number, number]
  const [hi, lo] = [lax.slice(aux, [1, 0], [n, m], [1, 1]), lax.slice(aux, [0, 0], [n - 1, m], [1, 1])]
  const bothNan = lax.and(lax.isNan(hi), lax.isNan(lo))
  const differs = lax.reduceOr(equalNan ? lax.and(lax.ne(hi, lo), lax.not(bothNan)) : lax.ne(hi, lo), [1])
  return lax.concatenate([lax.broadcastInDim(lax.scalar(1, 'bool'), [1], []), differs], 0)
}

/** The stable permutation sorting the rows of `rows` ([n, m]) lexicographically: one stable argsort per column, last first. */
const rowOrder = (rows: NdArray): NdArray => {
  const [n, m] = rows.shape as [number, number]
  const column = (c: number): NdArray => lax.reshape(lax.slice(rows, [0, c], [n, c + 1], [1, 1]), [n])
  // rows of no elements are all equal: the identity order
  if (m === 0)
    return lax.sub(lax.cumsum(lax.broadcastInDim(lax.scalar(1, 'int32'), [n], []), 0), lax.scalar(1, 'int32'))
  let perm = argsort(column(m - 1))
  for (let c = m - 2; c >= 0; c--) perm = lax.gather(perm, argsort(lax.gather(column(c), perm, 0)), 0)
  return perm
}

/**
 * The sorted unique values of the flattened array (NumPy/JAX `unique`), or with `axis` the sorted
 * unique slices along that axis, with the first-occurrence indices, the inverse (the input's shape;
 * with `axis`, one per slice) and the counts when asked for — then returned as a list in that
 * order. With `size` (and `fillValue`) the output has a static length and stages under `jit`.
 * @example
 * import { unique, array, type NdArray } from 'wengert'
 * assert.deepStrictEqual(unique(array([3, 1, 3, 2, 1])).toArray(), [1, 2, 3])
 * const [v, idx, inv, counts] = unique(array([3, 1, 3, 2, 1]), { returnIndex: true, returnInverse: true, returnCounts: true }) as NdArray[]
 * assert.deepStrictEqual([v!.toArray(), idx!.toArray(), inv!.toArray(), counts!.toArray()], [[1, 2, 3], [1, 3, 0], [2, 0, 2, 1, 0], [2, 1, 2]])
 * assert.deepStrictEqual(unique(array([2, 2, 5]), { size: 4, fillValue: -1 }).toArray(), [2, 5, -1, -1])
 * assert.deepStrictEqual(unique(array([[1, 2], [0, 5], [1, 2]]), { axis: 0 }).toArray(), [[0, 5], [1, 2]])
 * @category ops @since 0.2.0
 */
export function unique(
  x: ArrayLike,
  options?: UniqueOptions & {
    readonly returnIndex?: false
    readonly returnInverse?: false
    readonly returnCounts?: false
  },
): NdArray
export function unique(x: ArrayLike, options: UniqueOptions): NdArray | NdArray[]
export function unique(x: ArrayLike, options?: UniqueOptions): NdArray | NdArray[] {
  const opts = checkOptions('unique', options, UNIQUE_KEYS)
  const a0 = asArray('unique', x)
  const axis = opts.axis === undefined || opts.axis === null ? null : normalizeAxis('unique', opts.axis, a0.ndim)
  const moved =
    axis === null
      ? lax.reshape(a0, [a0.size])
      : lax.transpose(
          a0,
          [axis, ...a0.shape.keys()].filter((d, k) => k === 0 || d !== axis),
        )
  const [n = 0, ...rest] = moved.shape
  const rows = lax.reshape(moved, [n, rest.reduce((p, d) => p * d, 1)])
  const perm = rowOrder(rows)
  const aux = lax.gather(rows, perm, 0)
  const mask = n === 0 ? lax.zerosLike({ shape: [0], dtype: 'bool' }) : runStarts(aux, opts.equalNan ?? true)
  const size = staticSize('unique', opts.size, mask)
  const count = lax.reduceSum(lax.cast(mask, 'int32'), [0])
  const ok = filled(size, count)
  // slots past the count point at position 0 (the smallest value), as JAX's nonzero padding
  const starts = lax.select(ok, truePositions(mask, size), lax.scalar(0, 'int32'))
  const at = (v: NdArray): NdArray =>
    n === 0 ? lax.zerosLike({ shape: [size, ...v.shape.slice(1)], dtype: v.dtype }) : lax.gather(v, starts, 0)
  const fillRows = (v: NdArray): NdArray =>
    opts.fillValue === undefined
      ? v
      : lax.select(lax.broadcastInDim(ok, v.shape, [0]), v, lax.scalarLike(opts.fillValue, v))
  const valueRows = lax.reshape(fillRows(at(aux)), [size, ...rest])
  const values =
    axis === null
      ? valueRows
      : lax.transpose(
          valueRows,
          [...a0.shape.keys()].map((d) => (d < axis ? d + 1 : d === axis ? 0 : d)),
        )
  const wanted = [opts.returnIndex, opts.returnInverse, opts.returnCounts]
  if (!wanted.some((w) => w === true)) return values
  const out = [values]
  if (opts.returnIndex === true) out.push(at(perm))
  if (opts.returnInverse === true) {
    const runOf = lax.sub(lax.cumsum(lax.cast(mask, 'int32'), 0), lax.scalar(1, 'int32'))
    const inv = n === 0 ? runOf : lax.gather(runOf, argsort(perm), 0)
    // without an axis in the input's shape (JAX, as NumPy 2: values[inverse] rebuilds the input)
    out.push(axis === null ? lax.reshape(inv, a0.shape) : inv)
  }
  if (opts.returnCounts === true) {
    const ends = lax.concatenate(
      [lax.select(ok, starts, lax.scalar(n, 'int32')), lax.broadcastInDim(lax.scalar(n, 'int32'), [1], [])],
      0,
    )
    out.push(lax.sub(lax.slice(ends, [1], [size + 1], [1]), lax.slice(ends, [0], [size], [1])))
  }
  return out
}
