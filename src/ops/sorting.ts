/**
 * Sorting (NumPy/JAX `sort`, `argsort`, `lexsort`, `partition`, `argpartition`,
 * `searchsorted`) over the core `sort` primitive. Floats order as NumPy's: −0 equals +0 and NaN
 * sorts last; sorts are stable, and descending ones keep equal elements in their original order
 * (JAX: the input is reversed, sorted ascending, and the result reversed back).
 *
 * @category ops
 * @since 0.2.0
 */
import * as lax from '../core/lax'
import * as _ from '../internal/dual'
import { axisOptions, checkOptions, type AxisOr } from '../internal/options'
import { ShapeError, ValueError } from '../ndarray/errors'
import type { NdArray } from '../ndarray/NdArray'
import { normalizeAxis } from '../ndarray/shape'
import { asArray, type ArrayLike } from './convert'
import { positions as positionsAlong } from '../core/primitives/alongAxis'
import { countBefore } from './searchCount'

/** Options of {@link sort} and {@link argsort}. */
export interface SortOptions {
  /** Axis to sort along (negative counts from the end); null: the flattened array. Default -1. */
  readonly axis?: number | null
  /** Keep equal elements in their original order. Default true (wengert's sorts are always stable). */
  readonly stable?: boolean
  /** Largest first. Default false. */
  readonly descending?: boolean
}
const SORT_KEYS: ReadonlyArray<keyof SortOptions> = ['axis', 'stable', 'descending']

/** The array to sort (flattened for a null axis) and its canonical axis. */
const prepare = (op: string, x: ArrayLike, axisOrOpts: AxisOr<SortOptions> | undefined): [NdArray, number, boolean] => {
  const explicitNull =
    axisOrOpts === null ||
    (typeof axisOrOpts === 'object' && !Array.isArray(axisOrOpts) && (axisOrOpts as SortOptions).axis === null)
  const opts = axisOptions(op, axisOrOpts as AxisOr<SortOptions>, SORT_KEYS)
  if (Array.isArray(opts.axis)) throw new ValueError(`${op}: axis must be an integer or null, got a list`)
  const a0 = asArray(op, x)
  const a = explicitNull || a0.ndim === 0 ? lax.reshape(a0, [a0.size]) : a0
  const axis = explicitNull ? 0 : normalizeAxis(op, (opts.axis as number | undefined) ?? -1, a.ndim)
  return [a, axis, opts.descending ?? false]
}

/** The sort permutation of `a` along `axis` (stable; descending keeps ties in order). */
const permutation = (a: NdArray, axis: number, descending: boolean): NdArray => {
  const keys = descending ? lax.flip(a, [axis]) : a
  const idx = lax.sort([keys, positionsAlong(a.shape, axis)], axis, true, 1)[1] as NdArray
  if (!descending) return idx
  // position j of the reversed array is n − 1 − j of the original
  return lax.sub(lax.scalar((a.shape[axis] as number) - 1, 'int32'), lax.flip(idx, [axis]))
}

/**
 * Sorted copy of an array along an axis (NumPy/JAX `sort`; `descending` as JAX's). NaN sorts
 * last (first when descending); differentiable: the gradient flows back through the permutation.
 * @example
 * import { sort, array } from 'wengert'
 * assert.deepStrictEqual(sort(array([3, 1, NaN, 2])).toArray(), [1, 2, 3, NaN])
 * assert.deepStrictEqual(sort(array([[3, 1], [0, 2]]), { axis: 0 }).toArray(), [[0, 1], [3, 2]])
 * assert.deepStrictEqual(sort(array([1, 3, 2]), { descending: true }).toArray(), [3, 2, 1])
 * assert.deepStrictEqual(sort(array([[2, 1], [0, 3]]), null).toArray(), [0, 1, 2, 3])
 * @category ops @since 0.2.0
 */
export const sort = _.dual(
  'sort',
  (x: ArrayLike, axisOrOpts?: AxisOr<SortOptions>): NdArray => {
    const [a, axis, descending] = prepare('sort', x, axisOrOpts)
    const sorted = lax.sort([a], axis, true, 1)[0] as NdArray
    return descending ? lax.flip(sorted, [axis]) : sorted
  },
  { isRest: _.optionsOnly },
)

/**
 * Indices (int32) that sort an array along an axis (NumPy/JAX `argsort`): stable, so equal
 * elements keep their order, also when `descending`.
 * @example
 * import { argsort, array } from 'wengert'
 * assert.deepStrictEqual(argsort(array([3, 1, 2, 1])).toArray(), [1, 3, 2, 0])
 * assert.deepStrictEqual(argsort(array([3, 1, 2, 1]), { descending: true }).toArray(), [0, 2, 1, 3])
 * assert.strictEqual(argsort(array([2, 1])).dtype, 'int32')
 * @category ops @since 0.2.0
 */
export const argsort = _.dual(
  'argsort',
  (x: ArrayLike, axisOrOpts?: AxisOr<SortOptions>): NdArray => {
    const [a, axis, descending] = prepare('argsort', x, axisOrOpts)
    return permutation(a, axis, descending)
  },
  { isRest: _.optionsOnly },
)

/**
 * Indices (int32) that sort by several keys (NumPy/JAX `lexsort`): the LAST key is the primary
 * one, earlier keys break its ties. `keys` is a list of same-shape arrays (or one array whose
 * first axis lists the keys); sorting runs along `axis` (default -1).
 * @example
 * import { lexsort, array } from 'wengert'
 * const surnames = array([1, 0, 1, 0]), first = array([0, 1, 2, 0])
 * assert.deepStrictEqual(lexsort([first, surnames]).toArray(), [3, 1, 0, 2])
 * @category ops @since 0.2.0
 */
export const lexsort = (keys: ReadonlyArray<ArrayLike> | NdArray, axisOrOpts?: AxisOr<{ readonly axis?: number }>) => {
  const opts = axisOptions('lexsort', axisOrOpts, ['axis'])
  const list = Array.isArray(keys)
    ? (keys as ReadonlyArray<ArrayLike>).map((k) => asArray('lexsort', k))
    : splitFirst(asArray('lexsort', keys as NdArray))
  if (list.length === 0) throw new ValueError('lexsort: need sequence of keys with len(keys) > 0')
  const shape = (list[0] as NdArray).shape
  if (list.some((k) => k.shape.join() !== shape.join()))
    throw new ShapeError(
      `lexsort: all keys need to be the same shape, got ${list.map((k) => `[${k.shape}]`).join(', ')}`,
    )
  if (shape.length === 0) return lax.zerosLike({ shape: [], dtype: 'int32' })
  const axis = normalizeAxis('lexsort', (opts.axis as number | undefined) ?? -1, shape.length)
  const ordered = [...list].reverse()
  const outs = lax.sort([...ordered, positionsAlong(shape, axis)], axis, true, ordered.length)
  return outs[outs.length - 1] as NdArray
}

const splitFirst = (a: NdArray): NdArray[] =>
  Array.from({ length: a.shape[0] ?? 0 }, (_, i) =>
    lax.reshape(
      lax.slice(
        a,
        a.shape.map((__, d) => (d === 0 ? i : 0)),
        a.shape.map((s, d) => (d === 0 ? i + 1 : s)),
        a.shape.map(() => 1),
      ),
      a.shape.slice(1),
    ),
  )

/** Checks `kth` of partition/argpartition against the axis length. */
const checkKth = (op: string, kth: number, n: number): number => {
  if (!Number.isInteger(kth) || kth < -n || kth >= n)
    throw new ValueError(`${op}: kth(=${kth}) out of bounds (${n}); expected an integer in [${-n}, ${n - 1}]`)
  return kth < 0 ? kth + n : kth
}

/**
 * Partially sorted copy (NumPy/JAX `partition`): the element at `kth` is the one a full sort
 * puts there, smaller or equal ones come before it and larger or equal ones after. wengert
 * returns the full sort, which satisfies that contract (the order within each side is
 * unspecified in NumPy and JAX too).
 * @example
 * import { partition, array } from 'wengert'
 * const p = partition(array([5, 1, 4, 2, 3]), 2).toArray() as number[]
 * assert.strictEqual(p[2], 3)
 * assert.ok(p.slice(0, 2).every((v) => v <= 3) && p.slice(3).every((v) => v >= 3))
 * @category ops @since 0.2.0
 */
export const partition = (x: ArrayLike, kth: number, axisOrOpts?: AxisOr<{ readonly axis?: number }>): NdArray => {
  const opts = axisOptions('partition', axisOrOpts, ['axis'])
  const a = asArray('partition', x)
  const axis = normalizeAxis('partition', (opts.axis as number | undefined) ?? -1, a.ndim)
  checkKth('partition', kth, a.shape[axis] as number)
  return sort(a, axis)
}

/**
 * Indices (int32) that partition an array (NumPy/JAX `argpartition`; see {@link partition}:
 * wengert returns the stable full argsort, which satisfies the contract).
 * @example
 * import { argpartition, array } from 'wengert'
 * assert.strictEqual((argpartition(array([5, 1, 4, 2, 3]), 0).toArray() as number[])[0], 1)
 * @category ops @since 0.2.0
 */
export const argpartition = (x: ArrayLike, kth: number, axisOrOpts?: AxisOr<{ readonly axis?: number }>): NdArray => {
  const opts = axisOptions('argpartition', axisOrOpts, ['axis'])
  const a = asArray('argpartition', x)
  const axis = normalizeAxis('argpartition', (opts.axis as number | undefined) ?? -1, a.ndim)
  checkKth('argpartition', kth, a.shape[axis] as number)
  return argsort(a, axis)
}

/** Options of {@link searchsorted}. */
export interface SearchsortedOptions {
  /** 'left': the first index where `v` fits; 'right': the last. Default 'left'. */
  readonly side?: 'left' | 'right'
  /** Indices (int) that sort `a`, when `a` itself is not sorted. */
  readonly sorter?: ArrayLike
}

/**
 * Indices (int32) where the values `v` would be inserted into the sorted 1-D `a` to keep it
 * sorted (NumPy/JAX `searchsorted`; NaN sorts last). Stages under `jit`: each index counts the
 * entries of `a` before the value.
 * @example
 * import { searchsorted, array } from 'wengert'
 * const a = array([1, 2, 2, 3])
 * assert.deepStrictEqual(searchsorted(a, array([2, 0, 5])).toArray(), [1, 0, 4])
 * assert.deepStrictEqual(searchsorted(a, array([2]), { side: 'right' }).toArray(), [3])
 * assert.deepStrictEqual(searchsorted(array([3, 1, 2]), array([2.5]), { sorter: array([1, 2, 0]) }).toArray(), [2])
 * @category ops @since 0.2.0
 */
export const searchsorted = (a: ArrayLike, v: ArrayLike, options?: SearchsortedOptions): NdArray => {
  const opts = checkOptions('searchsorted', options, ['side', 'sorter'])
  const side = opts.side ?? 'left'
  if (side !== 'left' && side !== 'right')
    throw new ValueError(`searchsorted: side must be 'left' or 'right', got ${JSON.stringify(side)}`)
  const a0 = asArray('searchsorted', a)
  if (a0.ndim !== 1) throw new ShapeError(`searchsorted: a should be 1-dimensional, got shape [${a0.shape}]`)
  const sorted =
    opts.sorter === undefined ? a0 : lax.gather(a0, lax.cast(asArray('searchsorted', opts.sorter), 'int32'), 0)
  return countBefore(sorted, asArray('searchsorted', v), side)
}
