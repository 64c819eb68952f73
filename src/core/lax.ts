/**
 * Bound primitive wrappers with canonical arguments (JAX: `jax.lax`), and the small helpers
 * derivative rules share. Derivative rules and the ops in `src/ops` call these, never kernels,
 * so every rule is itself differentiable.
 *
 * The wrappers are not listed here: each primitive's definition yields its own (see `bound` in
 * `./primitive`), under its camelCase name (`reduce_sum` → `reduceSum`), and this module
 * re-exports every family module whole.
 *
 * @category core
 * @since 0.1.0
 */
import { allocate, type DType } from '../ndarray/dtype'
import { NdArray } from '../ndarray/NdArray'
import { shapesEqual, type Shape } from '../ndarray/shape'
import { add, mul } from './primitives/elementwise'
import { convertElementType } from './primitives/misc'
import { broadcastInDim, reshape, transpose } from './primitives/movement'
import { reduceSum } from './primitives/reduce'
import { isZero, Zero, type Aval, type Linear } from './zero'
import { Tracer } from './trace'

export * from './primitives/compare'
export * from './primitives/conv'
export * from './primitives/elementwise'
export * from './primitives/hyperbolic'
export * from './primitives/indexing'
export * from './primitives/decompositions'
export * from './primitives/linalg'
export * from './primitives/misc'
export * from './primitives/movement'
export * from './primitives/reduce'
export * from './primitives/scatter'
export * from './primitives/spectral'
export * from './primitives/sorting'
export * from './primitives/special'
export * from './primitives/random'
export * from './primitives/scipyLinalg'
export * from './primitives/determinant'

// -------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------

/** A 0-d array holding `v` with the dtype of `like`. */
export const scalarLike = (v: number, like: Aval): NdArray => {
  const d = allocate(like.dtype, 1)
  d[0] = v
  return new NdArray([], like.dtype, d)
}

/** The shape of every array {@link scalar} makes (shapes are never mutated). */
const SCALAR_SHAPE: Shape = []

/** A 0-d array of `dtype`. */
export const scalar = (v: number, dtype: DType): NdArray => {
  // NOTE: written out rather than `scalarLike(v, { shape: [], dtype })`: every op with a number
  // operand calls it, and the aval it would build is garbage at once
  const d = allocate(dtype, 1)
  d[0] = v
  return new NdArray(SCALAR_SHAPE, dtype, d)
}

/** Zeros with the shape and dtype of `like`. */
export const zerosLike = (like: Aval): NdArray =>
  new NdArray(
    like.shape,
    like.dtype,
    allocate(
      like.dtype,
      like.shape.reduce((a, b) => a * b, 1),
    ),
  )

/** The symbolic zero with the aval of `x`. */
export const zeroOf = (x: Aval): Zero => Zero.like(x)

/** Materialises a symbolic zero (only where an array is unavoidable). */
export const instantiate = (t: Linear, like: Aval): NdArray => (isZero(t) ? zerosLike(like) : t)

/** Converts to `dtype` (no-op when `x` already has it). JAX: `lax.convert_element_type`. */
export const cast = (x: NdArray, dtype: DType): NdArray => convertElementType(x, dtype)
export const addScalar = (x: NdArray, v: number): NdArray => add(x, scalarLike(v, x))
export const mulScalar = (x: NdArray, v: number): NdArray => mul(x, scalarLike(v, x))

// -------------------------------------------------------------------------------------
// rule helpers
// -------------------------------------------------------------------------------------

/** Broadcasts `t` to the shape of `like` by NumPy's trailing alignment (no-op when equal). */
export const broadcastLike = (t: NdArray, like: Aval): NdArray => broadcastTo(t, like.shape)

/** Broadcasts by NumPy's rule (trailing alignment). */
export const broadcastTo = (t: NdArray, shape: Shape): NdArray => {
  if (shapesEqual(t.shape, shape)) return t
  const off = shape.length - t.ndim
  return broadcastInDim(
    t,
    shape,
    t.shape.map((_, i) => i + off),
  )
}

/**
 * Sums a cotangent of a broadcast result back to `shape` (autograd's unbroadcast): over the
 * leading axes broadcasting added and over the axes where `shape` has a stretched 1.
 */
export const unbroadcast = (yBar: NdArray, shape: Shape): NdArray => {
  if (shapesEqual(yBar.shape, shape)) return yBar
  const off = yBar.ndim - shape.length
  const axes: number[] = []
  for (let a = 0; a < yBar.ndim; a++) {
    if (a < off || (shape[a - off] === 1 && yBar.shape[a] !== 1)) axes.push(a)
  }
  if (yBar instanceof Tracer && yBar._level.sumTo !== undefined) return yBar._level.sumTo(yBar, shape, axes)
  return reshape(reduceSum(yBar, axes), shape)
}

/** `unbroadcast` when the input needs a cotangent, else its symbolic zero. */
export const unbroadcastOrZero = (yBar: NdArray, x: NdArray, need: boolean): Linear =>
  need ? unbroadcast(yBar, x.shape) : Zero.like(x)

// -------------------------------------------------------------------------------------
// batching helpers
// -------------------------------------------------------------------------------------

/** A batch axis, or null for a value shared by the whole batch. */
export type BDim = number | null

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i)

/** `x` with its batch axis first; an unbatched `x` is broadcast to the batch. */
export const batchFirst = (x: NdArray, bdim: BDim, size: number): NdArray => {
  if (bdim === null)
    return broadcastInDim(
      x,
      [size, ...x.shape],
      range(x.ndim).map((i) => i + 1),
    )
  if (bdim === 0) return x
  return transpose(x, [bdim, ...range(x.ndim).filter((i) => i !== bdim)])
}

/** `x` with batch axis `from` moved to `to` (an unbatched `x` is broadcast there). */
export const moveBatchAxis = (x: NdArray, from: BDim, to: number, size: number): NdArray => {
  const first = batchFirst(x, from, size)
  if (to === 0) return first
  const perm = range(first.ndim - 1).map((i) => i + 1)
  perm.splice(to, 0, 0)
  return transpose(first, perm)
}
