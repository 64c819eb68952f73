/**
 * `jax.numpy`'s array builders and reshapers: `diagflat`, `fillDiagonal` (with `inplace: false`),
 * `ix_`, `indices`, `resize`, `block`, `trimZeros`, the array API's `matrixTranspose` and
 * `permuteDims`, `matvec`/`vecmat`, and `cross` with NumPy's `axisa`/`axisb`/`axisc`. Composed
 * from differentiable ops.
 *
 * @category ops
 * @since 0.5.0
 */
import * as lax from '../../core/lax'
import { checkOptions, describeValue } from '../../internal/options'
import { checkDType, type DType } from '../../ndarray/dtype'
import { ShapeError, ValueError, fmtShape } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { at } from '../at'
import { asArray, type ArrayLike } from '../convert'
import { mul, notEqual, sub } from '../elementwise'
import { concat, flatten, pad } from '../layout'
import { matmul, transpose } from '../linalg'
import { argmin } from '../reduce'
import { diag } from '../linalg/products'
import { iota } from '../laxNamed'
import { remainder } from '../integer'
import { broadcastArrays, moveaxis } from './shape'

/**
 * The flattened input as the `k`-th diagonal of a square matrix (JAX's `jnp.diagflat`).
 * @example
 * import { diagflat, array } from 'wengert'
 * assert.deepStrictEqual(diagflat(array([[1, 2]])).toArray(), [[1, 0], [0, 2]])
 * assert.deepStrictEqual(diagflat(array([3]), 1).toArray(), [[0, 3], [0, 0]])
 * @category ops
 * @since 0.5.0
 */
export const diagflat = (v: ArrayLike, k = 0): NdArray => {
  if (!Number.isInteger(k)) throw new ValueError(`diagflat: k must be an integer, got ${k}`)
  const d = diag(flatten(asArray('diagflat', v)))
  const m = Math.abs(k)
  return k >= 0
    ? pad(d, [
        [0, m],
        [m, 0],
      ])
    : pad(d, [
        [m, 0],
        [0, m],
      ])
}

/** Options of {@link fillDiagonal}. */
export interface FillDiagonalOptions {
  /** Must be `false`: arrays are immutable, so the filled copy is returned. */
  readonly inplace?: boolean
  /** NumPy's wrapping of tall matrices; JAX supports only `false`. */
  readonly wrap?: boolean
}

/**
 * A copy of `a` whose main diagonal (all indices equal) holds `val`, cycled along the diagonal
 * (JAX's `jnp.fill_diagonal` with `inplace: false`).
 * @example
 * import { fillDiagonal, zeros, array } from 'wengert'
 * assert.deepStrictEqual(fillDiagonal(zeros([2, 3]), 5, { inplace: false }).toArray(), [[5, 0, 0], [0, 5, 0]])
 * assert.deepStrictEqual(fillDiagonal(zeros([3, 3]), array([1, 2]), { inplace: false }).toArray(), [[1, 0, 0], [0, 2, 0], [0, 0, 1]])
 * @category ops
 * @since 0.5.0
 */
export const fillDiagonal = (a: ArrayLike, val: ArrayLike, options?: FillDiagonalOptions): NdArray => {
  const opts = checkOptions('fillDiagonal', options, ['inplace', 'wrap'])
  if (opts.inplace !== false) throw new ValueError('JAX arrays are immutable, must use inplace=False')
  if (opts.wrap === true) throw new ValueError('wrap=True is not implemented, must use wrap=False')
  const x = asArray('fillDiagonal', a)
  if (x.ndim < 2) throw new ValueError('array must be at least 2-d')
  if (x.ndim > 2 && !x.shape.every((d) => d === x.shape[0]))
    throw new ValueError('All dimensions of input must be of equal length')
  const n = Math.min(...x.shape)
  const v = lax.cast(asArray('fillDiagonal', val), x.dtype)
  const i = iota('int32', n)
  const vals = v.ndim === 0 ? v : lax.gather(flatten(v), remainder(i, Math.max(flatten(v).size, 1)), 0)
  return at(x, ...x.shape.map(() => i)).set(vals)
}

/**
 * Open-mesh index arrays from 1-D sequences: the `k`-th result has its values along axis `k` and
 * size 1 elsewhere (JAX's `jnp.ix_`), for indexing a cross product with `at`.
 * @example
 * import { ix_, array } from 'wengert'
 * const [r, c] = ix_(array([0, 2], { dtype: 'int32' }), array([1, 3, 4], { dtype: 'int32' }))
 * assert.deepStrictEqual([r!.shape, c!.shape], [[2, 1], [1, 3]])
 * @category ops
 * @since 0.5.0
 */
export const ix_ = (...args: ReadonlyArray<ArrayLike>): NdArray[] =>
  args.map((x, k) => {
    const a = asArray('ix_', x)
    if (a.ndim !== 1)
      throw new ValueError(`Arguments to jax.numpy.ix_ must be 1-dimensional, got shape ${fmtShape(a.shape)}`)
    if (a.dtype === 'bool') throw new ValueError('Boolean arguments to jax.numpy.ix_ are not implemented')
    return lax.reshape(
      a,
      args.map((_, j) => (j === k ? a.size : 1)),
    )
  })

/** Options of {@link indices}. */
export interface IndicesOptions {
  /** Dtype of the index arrays. @defaultValue 'int32' */
  readonly dtype?: DType
  /** Return one broadcastable array per axis instead of one stacked grid. @defaultValue false */
  readonly sparse?: boolean
}

/**
 * The index grid of a shape (JAX's `jnp.indices`): one array of shape `[ndim, …dimensions]`
 * whose `k`-th slice holds the index along axis `k`; with `sparse`, one array per axis of size 1
 * on the other axes.
 * @example
 * import { indices, type NdArray } from 'wengert'
 * assert.deepStrictEqual((indices([2, 2]) as NdArray).toArray(), [[[0, 0], [1, 1]], [[0, 1], [0, 1]]])
 * assert.deepStrictEqual((indices([2, 3], { sparse: true }) as NdArray[]).map((a) => a.shape), [[2, 1], [1, 3]])
 * @category ops
 * @since 0.5.0
 */
export const indices = (dimensions: ReadonlyArray<number>, options?: IndicesOptions): NdArray | NdArray[] => {
  const opts = checkOptions('indices', options, ['dtype', 'sparse'])
  const dtype = opts.dtype === undefined ? 'int32' : checkDType('indices', opts.dtype)
  if (!Array.isArray(dimensions) || !dimensions.every((d) => Number.isInteger(d) && d >= 0))
    throw new ValueError(`indices: dimensions must be a list of non-negative integers, got ${String(dimensions)}`)
  const per = dimensions.map((d, k) =>
    lax.reshape(
      iota(dtype, d),
      dimensions.map((_, j) => (j === k ? d : 1)),
    ),
  )
  if (opts.sparse === true) return per
  const full = per.map((a) => lax.broadcastTo(a, dimensions))
  return lax.concatenate(
    full.map((a) => lax.reshape(a, [1, ...dimensions])),
    0,
  )
}

/**
 * An array of `newShape` filled with the flattened entries of `a`, repeated as often as needed
 * (JAX's `jnp.resize`; zeros when `a` is empty).
 * @example
 * import { resize, array } from 'wengert'
 * assert.deepStrictEqual(resize(array([1, 2, 3]), [2, 4]).toArray(), [[1, 2, 3, 1], [2, 3, 1, 2]])
 * @category ops
 * @since 0.5.0
 */
export const resize = (a: ArrayLike, newShape: number | ReadonlyArray<number>): NdArray => {
  const flat = flatten(asArray('resize', a))
  const shape: unknown[] =
    typeof newShape === 'number' ? [newShape] : Array.isArray(newShape) ? [...newShape] : [newShape]
  if (!shape.every((d): d is number => Number.isInteger(d)))
    throw new ValueError(`resize: new_shape must be an integer or a list of integers, got ${describeValue(newShape)}`)
  if (shape.some((d) => d < 0)) throw new ValueError('All elements of `new_shape` must be non-negative')
  const n = shape.reduce((p, d) => p * d, 1)
  if (flat.size === 0) return lax.zerosLike({ shape, dtype: flat.dtype })
  return lax.reshape(lax.gather(flat, remainder(iota('int32', n), flat.size), 0), shape)
}

/** A nested list of arrays for {@link block}. */
export type BlockList = ArrayLike | ReadonlyArray<BlockList>

/** The nesting depth of a block list, checked to be the same everywhere. */
const blockDepth = (b: BlockList, path: string): number => {
  if (!Array.isArray(b)) return 0
  const list = b as ReadonlyArray<BlockList>
  if (list.length === 0) throw new ValueError(`List at ${path} cannot be empty`)
  const depths = list.map((x, i) => blockDepth(x, `${path}[${i}]`))
  if (depths.some((d) => d !== depths[0])) throw new ValueError(`List depths are mismatched at ${path}`)
  return (depths[0] as number) + 1
}

/**
 * An array assembled from a nested list of blocks (JAX's `jnp.block`): the innermost lists are
 * joined along the last axis, the next ones along the one before, and so on.
 * @example
 * import { block, array, eye, zeros } from 'wengert'
 * const m = block([[eye(2), zeros([2, 1])], [zeros([1, 2]), array([[5]])]])
 * assert.deepStrictEqual(m.toArray(), [[1, 0, 0], [0, 1, 0], [0, 0, 5]])
 * @category ops
 * @since 0.5.0
 */
export const block = (arrays: BlockList): NdArray => {
  const depth = blockDepth(arrays, 'arrays')
  const leaves: NdArray[] = []
  const collect = (b: BlockList): void => {
    if (Array.isArray(b)) (b as ReadonlyArray<BlockList>).forEach(collect)
    else leaves.push(asArray('block', b as ArrayLike))
  }
  collect(arrays)
  const nd = Math.max(depth, ...leaves.map((a) => a.ndim))
  const lift = (a: NdArray): NdArray => lax.reshape(a, [...Array<number>(nd - a.ndim).fill(1), ...a.shape])
  const join = (b: BlockList, level: number): NdArray =>
    Array.isArray(b)
      ? concat(
          (b as ReadonlyArray<BlockList>).map((x) => join(x, level + 1)),
          nd - depth + level,
        )
      : lift(asArray('block', b as ArrayLike))
  return join(arrays, 0)
}

/**
 * The 1-D array without its leading (`'f'`) and/or trailing (`'b'`) zeros (JAX's
 * `jnp.trim_zeros`); the length depends on the values, so it runs eagerly only.
 * @example
 * import { trimZeros, array } from 'wengert'
 * assert.deepStrictEqual(trimZeros(array([0, 0, 1, 0, 2, 0])).toArray(), [1, 0, 2])
 * assert.deepStrictEqual(trimZeros(array([0, 1, 0]), 'b').toArray(), [0, 1])
 * @category ops
 * @since 0.5.0
 */
export const trimZeros = (filt: ArrayLike, trim = 'fb'): NdArray => {
  const a = asArray('trimZeros', filt)
  if (a.ndim !== 1) throw new ValueError(`trim_zeros requires an 1-D array, but got an a ${a.ndim}-D array.`)
  const nz = notEqual(a, lax.scalarLike(0, a))
  const n = a.size
  if (n === 0 || lax.reduceMax(lax.cast(nz, 'int32'), [0]).item() === 0) return lax.slice(a, [0], [0], [1])
  const zero = lax.cast(lax.not(nz), 'int32')
  const t = trim.toLowerCase()
  const start = t.includes('f') ? Number(argmin(zero).item()) : 0
  const end = t.includes('b') ? Number(argmin(lax.flip(zero, [0])).item()) : 0
  return lax.slice(a, [start], [n - end], [1])
}

/**
 * The last two axes swapped (the array API's `matrix_transpose`, JAX's `jnp.matrix_transpose`).
 * @example
 * import { matrixTranspose, zeros } from 'wengert'
 * assert.deepStrictEqual(matrixTranspose(zeros([4, 2, 3])).shape, [4, 3, 2])
 * @category ops
 * @since 0.5.0
 */
export const matrixTranspose = (x: ArrayLike): NdArray => {
  const a = asArray('matrixTranspose', x)
  if (a.ndim < 2) throw new ValueError(`x must be at least two-dimensional for matrix_transpose; got ndim=${a.ndim}`)
  const p = a.shape.map((_, k) => k)
  ;[p[a.ndim - 2], p[a.ndim - 1]] = [a.ndim - 1, a.ndim - 2]
  return lax.transpose(a, p)
}

/**
 * The axes permuted to `axes` (the array API's name for `transpose`; JAX's `jnp.permute_dims`).
 * @example
 * import { permuteDims, zeros } from 'wengert'
 * assert.deepStrictEqual(permuteDims(zeros([2, 3, 4]), [2, 0, 1]).shape, [4, 2, 3])
 * @category ops
 * @since 0.5.0
 */
export const permuteDims = (a: ArrayLike, axes: ReadonlyArray<number>): NdArray => transpose(a, axes)

/**
 * Matrix-vector products over the last axes, batch axes broadcast (JAX's `jnp.matvec`:
 * `out[…, i] = Σⱼ x1[…, i, j]·x2[…, j]`).
 * @example
 * import { matvec, array } from 'wengert'
 * assert.deepStrictEqual(matvec(array([[1, 2], [3, 4]]), array([1, 1])).toArray(), [3, 7])
 * @category ops
 * @since 0.5.0
 */
export const matvec = (x1: ArrayLike, x2: ArrayLike): NdArray => {
  const m = asArray('matvec', x1)
  const v = asArray('matvec', x2)
  if (m.ndim < 2 || v.ndim < 1)
    throw new ShapeError(
      `matvec: expected a matrix and a vector, got shapes ${fmtShape(m.shape)} and ${fmtShape(v.shape)}`,
    )
  const r = matmul(m, lax.reshape(v, [...v.shape, 1]))
  return lax.reshape(r, r.shape.slice(0, -1))
}

/**
 * Vector-matrix products over the last axes, batch axes broadcast (JAX's `jnp.vecmat`:
 * `out[…, j] = Σᵢ x1[…, i]·x2[…, i, j]`, real dtypes).
 * @example
 * import { vecmat, array } from 'wengert'
 * assert.deepStrictEqual(vecmat(array([1, 1]), array([[1, 2], [3, 4]])).toArray(), [4, 6])
 * @category ops
 * @since 0.5.0
 */
export const vecmat = (x1: ArrayLike, x2: ArrayLike): NdArray => {
  const v = asArray('vecmat', x1)
  const m = asArray('vecmat', x2)
  if (m.ndim < 2 || v.ndim < 1)
    throw new ShapeError(
      `vecmat: expected a vector and a matrix, got shapes ${fmtShape(v.shape)} and ${fmtShape(m.shape)}`,
    )
  const r = matmul(lax.reshape(v, [...v.shape.slice(0, -1), 1, v.shape[v.ndim - 1] as number]), m)
  return lax.reshape(r, [...r.shape.slice(0, -2), r.shape[r.ndim - 1] as number])
}

/** Options of {@link cross}. */
export interface CrossAxesOptions {
  /** Axis of `a` holding the vectors. @defaultValue -1 */
  readonly axisa?: number
  /** Axis of `b` holding the vectors. @defaultValue -1 */
  readonly axisb?: number
  /** Axis of the result holding the vectors. @defaultValue -1 */
  readonly axisc?: number
  /** When given, overrides `axisa`, `axisb` and `axisc`. */
  readonly axis?: number
}

/** Component `i` along the last axis. */
const comp = (x: NdArray, i: number): NdArray => {
  const r = lax.slice(
    x,
    [...x.shape.slice(0, -1).map(() => 0), i],
    [...x.shape.slice(0, -1), i + 1],
    x.shape.map(() => 1),
  )
  return lax.reshape(r, x.shape.slice(0, -1))
}

/**
 * Cross product of 2- or 3-vectors (NumPy's and JAX's `cross`, with `axisa`/`axisb`/`axisc`/`axis`):
 * two 2-vectors give the scalar z-component; a 2-vector is read with z = 0 next to a 3-vector.
 * @example
 * import { cross, array } from 'wengert'
 * assert.deepStrictEqual(cross(array([1, 0, 0]), array([0, 1, 0])).toArray(), [0, 0, 1])
 * assert.deepStrictEqual(cross(array([1, 2]), array([3, 4])).toArray(), -2)
 * assert.deepStrictEqual(cross(array([[1, 0], [0, 1], [0, 0]]), array([[0, 0], [1, 0], [0, 1]]), { axis: 0 }).toArray(), [[0, 1], [0, 0], [1, 0]])
 * @category ops
 * @since 0.5.0
 */
export const cross = (a: ArrayLike, b: ArrayLike, options?: CrossAxesOptions): NdArray => {
  const opts = checkOptions('cross', options, ['axisa', 'axisb', 'axisc', 'axis'])
  const ax = opts.axis
  const x0 = moveaxis(asArray('cross', a), ax ?? opts.axisa ?? -1, -1)
  const y0 = moveaxis(asArray('cross', b), ax ?? opts.axisb ?? -1, -1)
  const [na, nb] = [x0.shape[x0.ndim - 1], y0.shape[y0.ndim - 1]]
  if ((na !== 2 && na !== 3) || (nb !== 2 && nb !== 3))
    throw new ValueError('Incompatible dimensions for cross product (dimension must be 2 or 3)')
  if (na === 2 && nb === 2) {
    const [X, Y] = broadcastArrays(x0, y0) as [NdArray, NdArray]
    return sub(mul(comp(X, 0), comp(Y, 1)), mul(comp(X, 1), comp(Y, 0)))
  }
  const three = (v: NdArray): NdArray =>
    v.shape[v.ndim - 1] === 3 ? v : pad(v, [...v.shape.slice(0, -1).map(() => [0, 0] as const), [0, 1] as const])
  const [p, q] = broadcastArrays(three(x0), three(y0)) as [NdArray, NdArray]
  const c = (i: number, j: number): NdArray => sub(mul(comp(p, i), comp(q, j)), mul(comp(p, j), comp(q, i)))
  const out = lax.concatenate(
    [c(1, 2), c(2, 0), c(0, 1)].map((v) => lax.reshape(v, [...v.shape, 1])),
    p.ndim - 1,
  )
  return moveaxis(out, -1, ax ?? opts.axisc ?? -1)
}
