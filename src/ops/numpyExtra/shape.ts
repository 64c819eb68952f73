/**
 * More of `jax.numpy`'s shape functions: roll, rot90, swapaxes, moveaxis, the stacks,
 * atleast_nd, broadcast_arrays, meshgrid, diagonal/trace over any two axes.
 *
 * @category ops
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { checkOptions, isPlainObject } from '../../internal/options'
import { ValueError } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { broadcastShapes as broadcast2, normalizeAxis, requireIntList } from '../../ndarray/shape'
import { requireList, requireNumberOrList } from '../../internal/args'
import { asArray, type ArrayLike } from '../convert'
import { broadcastTo, concat, flip, reshape } from '../layout'
import { transpose } from '../linalg'
import { diagonalOf } from '../linalg/diagonalOffset'
import { sum } from '../reduce'

/** Options of {@link roll}. @category ops @since 0.2.0 */
export interface RollOptions {
  /** Axis or axes (one per shift); default: roll the flattened array. */
  readonly axis?: number | ReadonlyArray<number> | null
}

/** `a` rolled by `shift` along the (normalised) axis `ax`. */
const roll1 = (a: NdArray, shift: number, ax: number): NdArray => {
  const n = a.shape[ax] as number
  const s = n === 0 ? 0 : ((shift % n) + n) % n
  if (s === 0) return a
  const cut = (lo: number, hi: number): NdArray =>
    lax.slice(
      a,
      a.shape.map((_, i) => (i === ax ? lo : 0)),
      a.shape.map((d, i) => (i === ax ? hi : d)),
      a.shape.map(() => 1),
    )
  return concat([cut(n - s, n), cut(0, n - s)], ax)
}

/**
 * Elements shifted cyclically by `shift` along `axis` (jnp.roll(a, shift, axis=None)).
 * @example
 * import { roll, arange, reshape } from 'wengert'
 * assert.deepStrictEqual(roll(arange(5), 2).toArray(), [3, 4, 0, 1, 2])
 * assert.deepStrictEqual(roll(reshape(arange(4), [2, 2]), -1, { axis: 1 }).toArray(), [[1, 0], [3, 2]])
 * @category ops
 * @since 0.2.0
 */
export const roll = (
  a: ArrayLike,
  shift: number | ReadonlyArray<number>,
  axisOrOpts?: number | ReadonlyArray<number> | null | RollOptions,
): NdArray => {
  const x = asArray('roll', a)
  const o =
    axisOrOpts === undefined || axisOrOpts === null || !isPlainObject(axisOrOpts)
      ? { axis: axisOrOpts as number | ReadonlyArray<number> | null | undefined }
      : checkOptions('roll', axisOrOpts as RollOptions, ['axis'])
  if (o.axis === undefined || o.axis === null) {
    if (typeof shift !== 'number') throw new ValueError('roll: a list of shifts needs as many axes')
    return reshape(roll1(reshape(x, [x.size]), shift, 0), x.shape)
  }
  const axes = typeof o.axis === 'number' ? [o.axis] : o.axis
  const shifts = typeof shift === 'number' ? axes.map(() => shift) : shift
  if (shifts.length !== axes.length && axes.length !== 1 && shifts.length !== 1)
    throw new ValueError(`roll: ${shifts.length} shifts for ${axes.length} axes; expected as many`)
  const n = Math.max(shifts.length, axes.length)
  let out = x
  for (let i = 0; i < n; i++) {
    const ax = normalizeAxis('roll', axes[axes.length === 1 ? 0 : i] as number, x.ndim)
    out = roll1(out, shifts[shifts.length === 1 ? 0 : i] as number, ax)
  }
  return out
}

/**
 * Axes `axis1` and `axis2` exchanged (jnp.swapaxes).
 * @example
 * import { swapaxes, zeros } from 'wengert'
 * assert.deepStrictEqual(swapaxes(zeros([2, 3, 4]), 0, 2).shape, [4, 3, 2])
 * @category ops
 * @since 0.2.0
 */
export const swapaxes = (a: ArrayLike, axis1: number, axis2: number): NdArray => {
  const x = asArray('swapaxes', a)
  const [i, j] = [normalizeAxis('swapaxes', axis1, x.ndim), normalizeAxis('swapaxes', axis2, x.ndim)]
  const perm = x.shape.map((_, k) => (k === i ? j : k === j ? i : k))
  return transpose(x, perm)
}

/**
 * Axes moved from `source` to `destination`, the others keeping their order (jnp.moveaxis).
 * @example
 * import { moveaxis, zeros } from 'wengert'
 * assert.deepStrictEqual(moveaxis(zeros([2, 3, 4]), 0, -1).shape, [3, 4, 2])
 * assert.deepStrictEqual(moveaxis(zeros([2, 3, 4]), [0, 1], [-1, -2]).shape, [4, 3, 2])
 * @category ops
 * @since 0.2.0
 */
export const moveaxis = (
  a: ArrayLike,
  source: number | ReadonlyArray<number>,
  destination: number | ReadonlyArray<number>,
): NdArray => {
  const x = asArray('moveaxis', a)
  const axes = (name: string, u: unknown): number[] => {
    const v = requireNumberOrList('moveaxis', name, u)
    return (typeof v === 'number' ? [v] : v).map((a) => normalizeAxis('moveaxis', a, x.ndim))
  }
  const [src, dst] = [axes('source', source), axes('destination', destination)]
  if (src.length !== dst.length)
    throw new ValueError(
      `moveaxis: Inconsistent number of elements: ${src.length} vs ${dst.length}; \`source\` and \`destination\` arguments must have the same number of elements`,
    )
  for (const [name, list] of [
    ['source', src],
    ['destination', dst],
  ] as const)
    if (new Set(list).size !== list.length) throw new ValueError(`moveaxis: repeated axis in \`${name}\` argument`)
  const rest = x.shape.map((_, i) => i).filter((i) => !src.includes(i))
  const perm: number[] = []
  const order = dst.map((d, k) => [d, src[k] as number] as const).sort((p, q) => p[0] - q[0])
  let r = 0
  for (let i = 0; i < x.ndim; i++) {
    const hit = order.find((p) => p[0] === i)
    perm.push(hit !== undefined ? hit[1] : (rest[r++] as number))
  }
  return transpose(x, perm)
}

/**
 * Rotated by 90° `k` times in the plane of `axes` (jnp.rot90(m, k=1, axes=(0, 1))).
 * @example
 * import { rot90, array } from 'wengert'
 * assert.deepStrictEqual(rot90(array([[1, 2], [3, 4]])).toArray(), [[2, 4], [1, 3]])
 * @category ops
 * @since 0.2.0
 */
export const rot90 = (m: ArrayLike, k = 1, options?: { readonly axes?: readonly [number, number] }): NdArray => {
  const o = checkOptions('rot90', options, ['axes'])
  const x = asArray('rot90', m)
  const [a0, a1] = o.axes ?? [0, 1]
  const [i, j] = [normalizeAxis('rot90', a0, x.ndim), normalizeAxis('rot90', a1, x.ndim)]
  if (i === j) throw new ValueError('rot90: axes must be different')
  const t = ((k % 4) + 4) % 4
  if (t === 0) return x
  if (t === 2) return flip(flip(x, i), j)
  return t === 1 ? swapaxes(flip(x, j), i, j) : flip(swapaxes(x, i, j), j)
}

/**
 * Inputs with fewer than `n` axes get leading/trailing size-1 axes, NumPy's way.
 */
const atLeast = (op: string, n: 1 | 2 | 3, x: ArrayLike): NdArray => {
  const a = asArray(op, x)
  if (a.ndim >= n) return a
  if (n === 1 || a.ndim === 0) return reshape(a, [...Array<number>(n - a.ndim).fill(1), ...a.shape])
  // 1-D → [1, N] (2-D) or [1, N, 1] (3-D); 2-D → [M, N, 1]
  if (n === 2) return reshape(a, [1, ...a.shape])
  return reshape(a, a.ndim === 1 ? [1, ...a.shape, 1] : [...a.shape, 1])
}

/**
 * The array with at least one axis (jnp.atleast_1d; one array in, one out).
 * @example
 * import { atleast1d, array } from 'wengert'
 * assert.deepStrictEqual(atleast1d(array(3)).shape, [1])
 * @category ops
 * @since 0.2.0
 */
export const atleast1d = (x: ArrayLike): NdArray => atLeast('atleast1d', 1, x)
/**
 * The array with at least two axes: a vector becomes a row (jnp.atleast_2d).
 * @example
 * import { atleast2d, array } from 'wengert'
 * assert.deepStrictEqual(atleast2d(array([1, 2])).shape, [1, 2])
 * @category ops
 * @since 0.2.0
 */
export const atleast2d = (x: ArrayLike): NdArray => atLeast('atleast2d', 2, x)
/**
 * The array with at least three axes: [N] → [1, N, 1], [M, N] → [M, N, 1] (jnp.atleast_3d).
 * @example
 * import { atleast3d, array } from 'wengert'
 * assert.deepStrictEqual(atleast3d(array([1, 2])).shape, [1, 2, 1])
 * @category ops
 * @since 0.2.0
 */
export const atleast3d = (x: ArrayLike): NdArray => atLeast('atleast3d', 3, x)

/** The list of arrays a stacking function takes (a JS list; an array there is a mistake). */
const arrays = (op: string, xs: unknown): ReadonlyArray<ArrayLike> =>
  requireList(op, 'the first argument', xs) as ReadonlyArray<ArrayLike>

/**
 * Stacked horizontally: along axis 1, or axis 0 for 1-D inputs (jnp.hstack).
 * @example
 * import { hstack, array } from 'wengert'
 * assert.deepStrictEqual(hstack([array([1, 2]), array([3])]).toArray(), [1, 2, 3])
 * @category ops
 * @since 0.2.0
 */
export const hstack = (xs: ReadonlyArray<ArrayLike>): NdArray => {
  const as = arrays('hstack', xs).map((x) => atleast1d(x))
  return concat(as, as[0] !== undefined && as[0].ndim === 1 ? 0 : 1)
}
/**
 * Stacked vertically: along axis 0 after making each input at least 2-D (jnp.vstack).
 * @example
 * import { vstack, array } from 'wengert'
 * assert.deepStrictEqual(vstack([array([1, 2]), array([3, 4])]).toArray(), [[1, 2], [3, 4]])
 * @category ops
 * @since 0.2.0
 */
export const vstack = (xs: ReadonlyArray<ArrayLike>): NdArray => concat(arrays('vstack', xs).map(atleast2d), 0)
/**
 * Stacked depth-wise: along axis 2 after making each input at least 3-D (jnp.dstack).
 * @example
 * import { dstack, array } from 'wengert'
 * assert.deepStrictEqual(dstack([array([1, 2]), array([3, 4])]).toArray(), [[[1, 3], [2, 4]]])
 * @category ops
 * @since 0.2.0
 */
export const dstack = (xs: ReadonlyArray<ArrayLike>): NdArray => concat(arrays('dstack', xs).map(atleast3d), 2)
/**
 * 1-D inputs as columns of a 2-D array; 2-D ones stacked along axis 1 (jnp.column_stack).
 * @example
 * import { columnStack, array } from 'wengert'
 * assert.deepStrictEqual(columnStack([array([1, 2]), array([3, 4])]).toArray(), [[1, 3], [2, 4]])
 * @category ops
 * @since 0.2.0
 */
export const columnStack = (xs: ReadonlyArray<ArrayLike>): NdArray =>
  concat(
    arrays('columnStack', xs).map((x) => {
      const a = asArray('columnStack', x)
      return a.ndim < 2 ? reshape(a, [a.size, 1]) : a
    }),
    1,
  )

/**
 * The shape all the given shapes broadcast to (jnp.broadcast_shapes).
 * @example
 * import { broadcastShapes } from 'wengert'
 * assert.deepStrictEqual(broadcastShapes([2, 1], [3]), [2, 3])
 * @category ops
 * @since 0.2.0
 */
export const broadcastShapes = (...shapes: ReadonlyArray<ReadonlyArray<number>>): number[] =>
  shapes.reduce<number[]>(
    (s, t, i) => broadcast2('broadcastShapes', s, requireIntList('broadcastShapes', `shape ${i}`, t)),
    [],
  )

/**
 * The arrays broadcast to their common shape (jnp.broadcast_arrays).
 * @example
 * import { broadcastArrays, array } from 'wengert'
 * const [a, b] = broadcastArrays(array([[1], [2]]), array([3, 4, 5]))
 * assert.deepStrictEqual([a!.shape, b!.shape], [[2, 3], [2, 3]])
 * @category ops
 * @since 0.2.0
 */
export const broadcastArrays = (...xs: ReadonlyArray<ArrayLike>): NdArray[] => {
  const as = xs.map((x) => asArray('broadcastArrays', x))
  const shape = broadcastShapes(...as.map((a) => a.shape))
  return as.map((a) => broadcastTo(a, shape))
}

/** Options of {@link meshgrid}. @category ops @since 0.2.0 */
export interface MeshgridOptions {
  /** 'xy' (default: the first two outputs' axes swapped, Cartesian) or 'ij' (matrix). */
  readonly indexing?: 'xy' | 'ij'
  /** Keep size-1 axes instead of broadcasting (default false). */
  readonly sparse?: boolean
}

/**
 * Coordinate arrays from 1-D coordinate vectors (jnp.meshgrid(*xi, indexing='xy', sparse=False));
 * the options object, if any, comes last.
 * @example
 * import { meshgrid, array } from 'wengert'
 * const [X, Y] = meshgrid(array([1, 2, 3]), array([4, 5]))
 * assert.deepStrictEqual(X!.toArray(), [[1, 2, 3], [1, 2, 3]])
 * assert.deepStrictEqual(Y!.shape, [2, 3])
 * assert.deepStrictEqual(meshgrid(array([1, 2, 3]), array([4, 5]), { indexing: 'ij' })[0]!.shape, [3, 2])
 * @category ops
 * @since 0.2.0
 */
export const meshgrid = (...args: ReadonlyArray<ArrayLike | MeshgridOptions>): NdArray[] => {
  const last = args[args.length - 1]
  const hasOpts = last !== undefined && isPlainObject(last)
  const o = checkOptions('meshgrid', hasOpts ? (last as MeshgridOptions) : undefined, ['indexing', 'sparse'])
  const indexing = o.indexing ?? 'xy'
  if (indexing !== 'xy' && indexing !== 'ij')
    throw new ValueError(`meshgrid: Valid values for indexing are 'xy' and 'ij', got ${String(indexing)}`)
  const xs = (hasOpts ? args.slice(0, -1) : args).map((x) => {
    const a = asArray('meshgrid', x as ArrayLike)
    return reshape(a, [a.size])
  })
  const n = xs.length
  const swap = indexing === 'xy' && n >= 2
  const axisOf = (i: number): number => (swap && i < 2 ? 1 - i : i)
  const sizes = xs.map((x) => x.size)
  const shape = sizes.map((_, j) => sizes[axisOf(j)] as number)
  return xs.map((x, i) => {
    const s = shape.map((d, j) => (j === axisOf(i) ? d : 1))
    const y = reshape(x, s)
    return o.sparse === true ? y : broadcastTo(y, shape)
  })
}

/** Options of {@link diagonal} and {@link trace}. @category ops @since 0.2.0 */
export interface DiagonalOptions {
  /** Offset from the main diagonal (> 0 above; default 0). */
  readonly offset?: number
  /** The rows' axis (default 0). */
  readonly axis1?: number
  /** The columns' axis (default 1). */
  readonly axis2?: number
}

const diagArgs = (op: string, a: NdArray, options: DiagonalOptions | undefined): [number, number, number] => {
  const o = checkOptions(op, options, ['offset', 'axis1', 'axis2'])
  const i = normalizeAxis(op, o.axis1 ?? 0, a.ndim)
  const j = normalizeAxis(op, o.axis2 ?? 1, a.ndim)
  if (i === j) throw new ValueError(`${op}: axis1 and axis2 cannot be the same`)
  return [o.offset ?? 0, i, j]
}

/**
 * A diagonal of the planes of `axis1` × `axis2`, appended as the last axis (jnp.diagonal(a,
 * offset=0, axis1=0, axis2=1); `linalg.diagonal` uses the last two axes).
 * @example
 * import { diagonal, array } from 'wengert'
 * assert.deepStrictEqual(diagonal(array([[1, 2], [3, 4]])).toArray(), [1, 4])
 * assert.deepStrictEqual(diagonal(array([[1, 2], [3, 4]]), { offset: 1 }).toArray(), [2])
 * @category ops
 * @since 0.2.0
 */
export const diagonal = (a: ArrayLike, options?: DiagonalOptions): NdArray => {
  const x = asArray('diagonal', a)
  return diagonalOf(x, ...diagArgs('diagonal', x, options))
}

/**
 * The sum of a diagonal (jnp.trace(a, offset=0, axis1=0, axis2=1)).
 * @example
 * import { trace, array } from 'wengert'
 * assert.strictEqual(trace(array([[1, 2], [3, 4]])).item(), 5)
 * @category ops
 * @since 0.2.0
 */
export const trace = (a: ArrayLike, options?: DiagonalOptions): NdArray => {
  const x = asArray('trace', a)
  return sum(diagonalOf(x, ...diagArgs('trace', x, options)), -1)
}
