/**
 * The moving collectives over a named vmap axis (JAX: `jax.lax.ppermute`, `pshuffle`,
 * `psum_scatter`, `all_to_all`, `pswapaxes`): each element of the axis receives a permuted,
 * scattered or transposed share of the others' values. Composed, as `allGather`, from `psum` and
 * `axisIndex` (the gathered values picked with one-hot weights of this element's index), so
 * their derivatives — the transposed permutation or exchange, as JAX's rules — and nested vmaps
 * come from those primitives' rules.
 *
 * @category ops
 * @since 0.7.0
 */
import * as lax from '../core/lax'
import { arange, array } from '../ndarray/create'
import { ShapeError, ValueError, fmtTuple } from '../ndarray/errors'
import { NdArray } from '../ndarray/NdArray'
import { describeValue } from '../internal/options'
import { allGather } from './collectiveGather'
import { axisIndex, axisSize, psum } from './collective'
import { equal } from './elementwise'

const asValue = (api: string, x: NdArray | number): NdArray => {
  const v = typeof x === 'number' ? lax.scalar(x, Number.isInteger(x) ? 'int32' : 'float32') : x
  if (!(v instanceof NdArray)) throw new ValueError(`${api}: expected an array or a number, got ${describeValue(x)}`)
  return v
}

const oneName = (api: string, axisName: unknown): string => {
  if (typeof axisName !== 'string')
    throw new ValueError(`${api}: axisName must be one axis name (a string), got ${describeValue(axisName)}`)
  return axisName
}

/** Σ over `axis` of a·w, w ([n]) laid along `axis`: removes `axis`. */
const contract = (a: NdArray, w: NdArray, axis: number): NdArray =>
  lax.reduceSum(lax.mul(a, lax.broadcastInDim(lax.convertElementType(w, a.dtype), a.shape, [axis])), [axis])

/** This element's row of the constant n×n matrix `m` (as an [n] array of `dtype`). */
const myRow = (m: number[][], name: string, dtype: NdArray['dtype']): NdArray => {
  const n = m.length
  const hot = equal(arange(n, { dtype: 'int32' }), axisIndex(name))
  const table = array(m.flat(), { dtype, shape: [n, n] })
  return contract(table, hot, 0)
}

/**
 * Sends `x` along the named axis by the pairs `perm` of (source, destination) indices (JAX:
 * `lax.ppermute(x, axis_name, perm)`): element d receives the `x` of the source paired with it,
 * or zeros when no pair ends at d. Sources and destinations must each be distinct.
 * @example
 * import { vmap, lax, array, type NdArray } from 'wengert'
 * const shifted = vmap((x: NdArray) => lax.ppermute(x, 'i', [[0, 1], [1, 2], [2, 0]]), { axisName: 'i' })
 * assert.deepStrictEqual(shifted(array([10, 20, 30])).toArray(), [30, 10, 20])
 * @category ops
 * @since 0.7.0
 */
export const ppermute = (
  x: NdArray | number,
  axisName: string,
  perm: ReadonlyArray<readonly [number, number]>,
): NdArray => {
  const api = 'ppermute'
  const name = oneName(api, axisName)
  const v = asValue(api, x)
  const n = axisSize(name)
  const pairs = Array.isArray(perm) ? perm : []
  const srcs = pairs.map((p) => p[0])
  const dsts = pairs.map((p) => p[1])
  const ok = (xs: number[]): boolean =>
    new Set(xs).size === xs.length && xs.every((i) => Number.isInteger(i) && i >= 0 && i < n)
  if (!Array.isArray(perm) || pairs.some((p) => !Array.isArray(p) || p.length !== 2) || !ok(srcs) || !ok(dsts))
    throw new ValueError(
      `${api}: perm must be (source, destination) pairs of indices in [0, ${n}) with unique sources and unique destinations, got ${describeValue(perm)}`,
    )
  const m = Array.from({ length: n }, () => new Array<number>(n).fill(0))
  pairs.forEach(([s, d]) => ((m[d] as number[])[s] = 1))
  const gathered = allGather(v.dtype === 'bool' ? lax.convertElementType(v, 'int32') : v, name)
  const out = contract(gathered, myRow(m, name, gathered.dtype), 0)
  return v.dtype === 'bool' ? lax.convertElementType(out, 'bool') : out
}

/**
 * Element i of the named axis receives the `x` of element `perm[i]` (JAX: `lax.pshuffle(x,
 * axis_name, perm)`); `perm` must be a permutation of 0 … n−1.
 * @example
 * import { vmap, lax, array, type NdArray } from 'wengert'
 * const f = vmap((x: NdArray) => lax.pshuffle(x, 'i', [2, 0, 1]), { axisName: 'i' })
 * assert.deepStrictEqual(f(array([10, 20, 30])).toArray(), [30, 10, 20])
 * @category ops
 * @since 0.7.0
 */
export const pshuffle = (x: NdArray | number, axisName: string, perm: ReadonlyArray<number>): NdArray => {
  const n = axisSize(oneName('pshuffle', axisName))
  if (!Array.isArray(perm) || perm.length !== n || [...perm].sort((a, b) => a - b).some((v, i) => v !== i))
    throw new ValueError(`pshuffle: \`perm\` does not represent a permutation: ${describeValue(perm)}`)
  return ppermute(
    x,
    axisName,
    perm.map((s, d) => [s, d] as const),
  )
}

/** Options of {@link psumScatter}. @category ops @since 0.7.0 */
export interface PsumScatterOptions {
  /** The axis of `x` that is scattered. @defaultValue 0 */
  readonly scatterDimension?: number
  /** Keep the axis with a 1/n share (true) instead of removing it (its size must then be n). @defaultValue false */
  readonly tiled?: boolean
}

const axisIn = (api: string, what: string, axis: number | undefined, rank: number): number => {
  const a = axis ?? 0
  if (!Number.isInteger(a) || a < -rank || a >= rank)
    throw new ShapeError(`${api}: ${what} ${String(a)} is out of bounds for an array of rank ${rank}`)
  return a < 0 ? a + rank : a
}

/** `x` with axis `axis` (size n·k) split into [n, k]: the chunk index at `axis`. */
const chunked = (x: NdArray, axis: number, n: number): NdArray =>
  lax.reshape(x, [...x.shape.slice(0, axis), n, (x.shape[axis] as number) / n, ...x.shape.slice(axis + 1)])

/**
 * The sum over the named axis, scattered (JAX: `lax.psum_scatter(x, axis_name,
 * scatter_dimension=0, tiled=False)`): element i receives chunk i of the summed array along
 * `scatterDimension` — that axis removed (its size must be the axis size n), or with `tiled`
 * kept at 1/n of its size (which n must divide).
 * @example
 * import { vmap, lax, array, type NdArray } from 'wengert'
 * const f = vmap((x: NdArray) => lax.psumScatter(x, 'i'), { axisName: 'i' })
 * assert.deepStrictEqual(f(array([[1, 2], [10, 20]])).toArray(), [11, 22])
 * @category ops
 * @since 0.7.0
 */
export const psumScatter = (x: NdArray | number, axisName: string, options: PsumScatterOptions = {}): NdArray => {
  const api = 'psum_scatter'
  const name = oneName(api, axisName)
  const v = asValue(api, x)
  const n = axisSize(name)
  const axis = axisIn(api, 'scatter_dimension', options.scatterDimension, v.ndim)
  const size = v.shape[axis] as number
  const tiled = options.tiled === true
  if (tiled ? size % n !== 0 : size !== n)
    throw new ShapeError(
      `${api}: ${tiled ? `the size of scatter_dimension (${size}) must be divisible by` : `the size of scatter_dimension (${size}) must equal`} the size of the named axis '${name}' (${n}); x has shape ${fmtTuple(v.shape)}`,
    )
  const summed = psum(v, name)
  const hot = equal(arange(n, { dtype: 'int32' }), axisIndex(name))
  return contract(tiled ? chunked(summed, axis, n) : summed, hot, axis)
}

/** Options of {@link allToAll}. @category ops @since 0.7.0 */
export interface AllToAllOptions {
  /** Split and concatenate in chunks, keeping the rank (true), instead of removing `splitAxis` and inserting a new axis at `concatAxis`. @defaultValue false */
  readonly tiled?: boolean
}

/** The tiled exchange: chunk j of `x` along `split` goes to element j; received chunks concatenated along `concat`. */
const exchange = (v: NdArray, name: string, n: number, split: number, concat: number): NdArray => {
  const g = allGather(v, name) // [n (sender j), ...x]
  const hot = equal(arange(n, { dtype: 'int32' }), axisIndex(name))
  const mine = contract(chunked(g, split + 1, n), hot, split + 1) // [n (j), ...x with split / n]
  const rest = mine.shape.slice(1)
  // move the sender axis in front of `concat` and merge: concatenation in sender order
  const perm = [...rest.map((_, i) => i + 1)]
  perm.splice(concat, 0, 0)
  const moved = lax.transpose(mine, perm)
  return lax.reshape(
    moved,
    rest.map((d, i) => (i === concat ? d * n : d)),
  )
}

/**
 * The all-to-all exchange over the named axis (JAX: `lax.all_to_all(x, axis_name, split_axis,
 * concat_axis, tiled=False)`): `x` is split along `splitAxis` into n chunks, chunk j goes to
 * element j, and each element concatenates what it receives along `concatAxis` in sender order.
 * Without `tiled`, `x.shape[splitAxis]` must be n: that axis is removed and the received values
 * are stacked on a new axis at `concatAxis`.
 * @example
 * import { vmap, lax, array, type NdArray } from 'wengert'
 * // element i receives x_j[i] from every j: the named axis and axis 0 trade places
 * const f = vmap((x: NdArray) => lax.allToAll(x, 'i', 0, 0), { axisName: 'i' })
 * assert.deepStrictEqual(f(array([[1, 2], [3, 4]])).toArray(), [[1, 3], [2, 4]])
 * @category ops
 * @since 0.7.0
 */
export const allToAll = (
  x: NdArray | number,
  axisName: string,
  splitAxis: number,
  concatAxis: number,
  options: AllToAllOptions = {},
): NdArray => {
  const api = 'all_to_all'
  const name = oneName(api, axisName)
  const v = asValue(api, x)
  const n = axisSize(name)
  const tiled = options.tiled === true
  let split = axisIn(api, 'split_axis', splitAxis, v.ndim)
  let concat = axisIn(api, 'concat_axis', concatAxis, v.ndim)
  const size = v.shape[split] as number
  if (tiled && size % n !== 0)
    throw new ShapeError(
      `${api}: The size of all_to_all split_axis (${size}) has to be divisible by the size of the named axis ${name} (${n})`,
    )
  if (!tiled && size !== n)
    throw new ShapeError(
      `${api}: all_to_all requires the size of the mapped axis axis_name to equal x.shape[split_axis], but they are ${n} and ${size} respectively.`,
    )
  if (tiled) return exchange(v, name, n, split, concat)
  // untiled: insert the new axis at concat_axis (a position after split_axis is removed)
  let w = v
  if (split !== concat) {
    if (split < concat) concat += 1
    else split += 1
    w = lax.reshape(v, [...v.shape.slice(0, concat), 1, ...v.shape.slice(concat)])
  }
  const out = exchange(w, name, n, split, concat)
  return split === concat
    ? out
    : lax.reshape(
        out,
        out.shape.filter((_, i) => i !== split),
      )
}

/**
 * Swaps the named axis with the array axis `axis` (JAX: `lax.pswapaxes(x, axis_name, axis)`):
 * `allToAll(x, axisName, axis, axis)`; `x.shape[axis]` must be the axis size.
 * @example
 * import { vmap, lax, array, type NdArray } from 'wengert'
 * const f = vmap((x: NdArray) => lax.pswapaxes(x, 'i', 0), { axisName: 'i' })
 * assert.deepStrictEqual(f(array([[1, 2], [3, 4]])).toArray(), [[1, 3], [2, 4]])
 * @category ops
 * @since 0.7.0
 */
export const pswapaxes = (x: NdArray | number, axisName: string, axis: number): NdArray =>
  allToAll(x, axisName, axis, axis)
