/**
 * `jax.numpy`'s index helpers: tril_indices/triu_indices (and their `_from` forms),
 * diag_indices(_from), unravel_index and ravel_multi_index. Index arrays are int32 (JAX's
 * default integer type); unravel_index and ravel_multi_index are element-wise integer arithmetic,
 * so they work under vmap and jit.
 *
 * @category ops
 * @since 0.2.0
 */
import { requireList } from '../../internal/args'
import { requireIntList } from '../../ndarray/shape'
import { checkOptions } from '../../internal/options'
import { arange, array } from '../../ndarray/create'
import { ValueError } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { asArray, type ArrayLike } from '../convert'
import { add, clip, mul } from '../elementwise'
import { floorDivide, remainder } from '../integer'

/** Row and column indices of the entries with j − i ≤ k (lower) or ≥ k (upper) of an n×m matrix. */
const triIndices = (n: number, k: number, m: number, lower: boolean): [NdArray, NdArray] => {
  const rows: number[] = []
  const cols: number[] = []
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++)
      if (lower ? j - i <= k : j - i >= k) {
        rows.push(i)
        cols.push(j)
      }
  return [array(rows, { dtype: 'int32' }), array(cols, { dtype: 'int32' })]
}

/**
 * The (row, column) indices of the lower triangle of an n×m matrix, diagonal offset k
 * (jnp.tril_indices(n, k=0, m=None)).
 * @example
 * import { trilIndices } from 'wengert'
 * const [r, c] = trilIndices(3, -1, 4)
 * assert.deepStrictEqual([r.toArray(), c.toArray()], [[1, 2, 2], [0, 0, 1]])
 * @category ops
 * @since 0.2.0
 */
export const trilIndices = (n: number, k = 0, m: number = n): [NdArray, NdArray] => triIndices(n, k, m, true)

/**
 * The (row, column) indices of the upper triangle of an n×m matrix, diagonal offset k
 * (jnp.triu_indices(n, k=0, m=None)).
 * @example
 * import { triuIndices } from 'wengert'
 * const [r, c] = triuIndices(3, 1)
 * assert.deepStrictEqual([r.toArray(), c.toArray()], [[0, 0, 1], [1, 2, 2]])
 * @category ops
 * @since 0.2.0
 */
export const triuIndices = (n: number, k = 0, m: number = n): [NdArray, NdArray] => triIndices(n, k, m, false)

const matrixShape = (name: string, arr: ArrayLike): [number, number] => {
  const a = asArray(name, arr)
  if (a.ndim !== 2) throw new ValueError(`${name}: input array must be 2-d, got shape [${a.shape}]`)
  return [a.shape[0] as number, a.shape[1] as number]
}

/**
 * {@link trilIndices} for the shape of the 2-D `arr` (jnp.tril_indices_from(arr, k=0)).
 * @example
 * import { trilIndicesFrom, zeros } from 'wengert'
 * const [r, c] = trilIndicesFrom(zeros([2, 3]))
 * assert.deepStrictEqual([r.toArray(), c.toArray()], [[0, 1, 1], [0, 0, 1]])
 * @category ops
 * @since 0.2.0
 */
export const trilIndicesFrom = (arr: ArrayLike, k = 0): [NdArray, NdArray] => {
  const [n, m] = matrixShape('trilIndicesFrom', arr)
  return triIndices(n, k, m, true)
}

/**
 * {@link triuIndices} for the shape of the 2-D `arr` (jnp.triu_indices_from(arr, k=0)).
 * @example
 * import { triuIndicesFrom, zeros } from 'wengert'
 * const [r, c] = triuIndicesFrom(zeros([2, 3]), 1)
 * assert.deepStrictEqual([r.toArray(), c.toArray()], [[0, 0, 1], [1, 2, 2]])
 * @category ops
 * @since 0.2.0
 */
export const triuIndicesFrom = (arr: ArrayLike, k = 0): [NdArray, NdArray] => {
  const [n, m] = matrixShape('triuIndicesFrom', arr)
  return triIndices(n, k, m, false)
}

/**
 * `ndim` copies of arange(n): the indices of the main diagonal of an n×…×n array
 * (jnp.diag_indices(n, ndim=2)).
 * @example
 * import { diagIndices } from 'wengert'
 * assert.deepStrictEqual(diagIndices(2, 3).map((a) => a.toArray()), [[0, 1], [0, 1], [0, 1]])
 * @category ops
 * @since 0.2.0
 */
export const diagIndices = (n: number, ndim = 2): NdArray[] => {
  if (n < 0) throw new ValueError(`diagIndices: n argument must be non-negative, got ${n}`)
  if (ndim < 0) throw new ValueError(`diagIndices: ndim argument must be non-negative, got ${ndim}`)
  return Array.from({ length: ndim }, () => arange(n, { dtype: 'int32' }))
}

/**
 * {@link diagIndices} for the (square, at least 2-D) `arr` (jnp.diag_indices_from).
 * @example
 * import { diagIndicesFrom, zeros } from 'wengert'
 * assert.deepStrictEqual(diagIndicesFrom(zeros([3, 3])).map((a) => a.toArray()), [[0, 1, 2], [0, 1, 2]])
 * @category ops
 * @since 0.2.0
 */
export const diagIndicesFrom = (arr: ArrayLike): NdArray[] => {
  const a = asArray('diagIndicesFrom', arr)
  if (a.ndim < 2) throw new ValueError('diagIndicesFrom: input array must be at least 2-d')
  if (a.shape.some((d) => d !== a.shape[0]))
    throw new ValueError(`diagIndicesFrom: all dimensions of input must be of equal length, got [${a.shape}]`)
  return diagIndices(a.shape[0] as number, a.ndim)
}

const checkShape = (name: string, shape: ReadonlyArray<number>, arg = 'shape'): void => {
  if (requireIntList(name, arg, shape).some((d) => !Number.isInteger(d) || d < 0))
    throw new ValueError(`${name}: dimensions must be non-negative integers, got [${shape}]`)
}

/**
 * The multi-index of each flat index into an array of `shape` (jnp.unravel_index). As in JAX,
 * out-of-range indices do not raise: they are clipped to [−size, size − 1] and negative ones
 * count from the end.
 * @example
 * import { unravelIndex, array } from 'wengert'
 * const [i, j] = unravelIndex(array([5, 7, -1], { dtype: 'int32' }), [2, 4])
 * assert.deepStrictEqual([i.toArray(), j.toArray()], [[1, 1, 1], [1, 3, 3]])
 * @category ops
 * @since 0.2.0
 */
export const unravelIndex = (indices: ArrayLike, shape: ReadonlyArray<number>): NdArray[] => {
  checkShape('unravelIndex', shape)
  const size = shape.reduce((a, b) => a * b, 1)
  let flat = asArray('unravelIndex', indices)
  if (flat.dtype === 'float32' || flat.dtype === 'float64' || flat.dtype === 'bool')
    throw new ValueError(`unravelIndex: only int indices permitted, got ${flat.dtype}`)
  if (size === 0) return shape.map(() => flat)
  flat = remainder(clip(flat, -size, size - 1), size)
  const out: NdArray[] = []
  for (let ax = shape.length - 1; ax >= 0; ax--) {
    const d = shape[ax] as number
    out.unshift(remainder(flat, d))
    flat = floorDivide(flat, d)
  }
  return out
}

/** Options of {@link ravelMultiIndex}. @category ops @since 0.2.0 */
export interface RavelMultiIndexOptions {
  /** Out-of-range indices: 'raise' (default; needs concrete indices), 'wrap' or 'clip'. */
  readonly mode?: 'raise' | 'wrap' | 'clip'
  /** Row-major 'C' (default) or column-major 'F' raveling. */
  readonly order?: 'C' | 'F'
}

/**
 * The flat index of each multi-index into an array of `dims` (jnp.ravel_multi_index).
 * @example
 * import { ravelMultiIndex, array } from 'wengert'
 * assert.deepStrictEqual(ravelMultiIndex([array([1, 0]), array([1, 3])], [2, 4]).toArray(), [5, 3])
 * assert.deepStrictEqual(ravelMultiIndex([array([1, 3]), array([1, 5])], [2, 4], { mode: 'clip' }).toArray(), [5, 7])
 * assert.deepStrictEqual(ravelMultiIndex([array([1, 0]), array([1, 3])], [2, 4], { order: 'F' }).toArray(), [3, 6])
 * @category ops
 * @since 0.2.0
 */
export const ravelMultiIndex = (
  multi_index: ReadonlyArray<ArrayLike>,
  dims: ReadonlyArray<number>,
  options?: RavelMultiIndexOptions,
): NdArray => {
  const opts = checkOptions('ravelMultiIndex', options, ['mode', 'order'])
  const mode = opts.mode ?? 'raise'
  const order = opts.order ?? 'C'
  if (!['raise', 'wrap', 'clip'].includes(mode)) throw new ValueError(`ravelMultiIndex: invalid mode=${String(mode)}`)
  if (order !== 'C' && order !== 'F') throw new ValueError(`ravelMultiIndex: invalid order=${String(order)}`)
  checkShape('ravelMultiIndex', dims, 'dims')
  if (requireList('ravelMultiIndex', 'multi_index', multi_index).length !== dims.length)
    throw new ValueError(
      `ravelMultiIndex: parameter multi_index must be a sequence of length ${dims.length}, got ${multi_index.length}`,
    )
  const idx = multi_index.map((m, k) => {
    const a = asArray('ravelMultiIndex', m)
    const d = dims[k] as number
    if (mode === 'wrap') return remainder(a, d)
    if (mode === 'clip') return clip(a, 0, d - 1)
    const vals = a.toArray() as number | number[]
    if ([vals].flat(Infinity).some((v) => (v as number) < 0 || (v as number) >= d))
      throw new ValueError('ravelMultiIndex: invalid entry in coordinates array')
    return a
  })
  const axes = order === 'C' ? [...dims.keys()] : [...dims.keys()].reverse()
  let out: NdArray | undefined
  for (const ax of axes)
    out = out === undefined ? (idx[ax] as NdArray) : add(mul(out, dims[ax] as number), idx[ax] as NdArray)
  return out ?? array(0, { dtype: 'int32' })
}
