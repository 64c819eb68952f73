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

// Named re-exports, not `export *`: a loader that turns the modules into CommonJS (tsx or esbuild
// on a script outside this package, bundlers) hands each primitive family, which imports this
// module while it is still loading, a copy of its exports taken then; named re-exports are in that
// copy from the start, `export *` ones were not (`lax.reshape is not a function` in a backward).
export { and, eq, ge, gt, le, lt, ne, or } from './primitives/compare'
export {
  bitwiseAnd,
  bitwiseNot,
  bitwiseOr,
  bitwiseXor,
  populationCount,
  shiftLeft,
  shiftRightArithmetic,
  shiftRightLogical,
} from './primitives/bitwise'
export {
  convGeneralDilated,
  reduceWindowMax,
  reduceWindowMin,
  reduceWindowSum,
  selectAndGatherAdd,
  selectAndScatterAdd,
  type ConvParams,
  type ReduceWindowParams,
} from './primitives/conv'
export {
  abs,
  add,
  atan2,
  ceil,
  cos,
  div,
  erf,
  exp,
  expm1,
  floor,
  isFinite,
  isNan,
  log,
  log1p,
  logistic,
  max,
  mul,
  neg,
  not,
  pow,
  reciprocal,
  round,
  sign,
  sin,
  smoothUnary,
  sqrt,
  sub,
  tanh,
  tanhBackward,
} from './primitives/elementwise'
export { acosh, asinh, atanh, cosh, sinh } from './primitives/hyperbolic'
export { gather, offsetIndices, scatterAdd, type GatherParams, type ScatterParams } from './primitives/indexing'
export {
  batchLeadingMulti,
  cholesky,
  lu,
  qr,
  triangularSolve,
  type TriangularSolveParams,
  type QrParams,
} from './primitives/decompositions'
export { matmul, type MatmulParams } from './primitives/linalg'
export { convertElementType, select, stopGradient } from './primitives/misc'
export {
  broadcastInDim,
  concatenate,
  flip,
  pad,
  padOnnx,
  reshape,
  slice,
  transpose,
  type BroadcastParams,
  type SliceParams,
  type PadParams,
} from './primitives/movement'
export {
  argmax,
  argmin,
  cumsum,
  reduceAnd,
  reduceMax,
  reduceOr,
  reduceSum,
  type AxesParams,
  type AxisParams,
  type CumsumParams,
} from './primitives/reduce'
export { scatter, scatterMax, scatterMin, scatterMul, type ScatterOpParams } from './primitives/scatter'
export { eigh, svd, type SvdParams } from './primitives/spectral'
export {
  cumlogsumexp,
  cummax,
  cummin,
  cumprod,
  sort,
  topK,
  type SortParams,
  type TopKParams,
} from './primitives/sorting'
export {
  besselI0e,
  besselI1e,
  betainc,
  digamma,
  entr,
  erfInv,
  erfc,
  igamma,
  igammaGradA,
  igammac,
  lgamma,
  logNdtr,
  logit,
  ndtri,
  polygamma,
  randomGammaGrad,
  xlog1py,
  xlogy,
  zeta,
  type PolygammaParams,
} from './primitives/special'
export {
  bitcastConvertType,
  nextafter,
  reducePrecision,
  type BitcastParams,
  type ReducePrecisionParams,
} from './primitives/floatBits'
export { pmax, pmin, psum, type CollectiveParams } from './primitives/collective'
export {
  randomBits,
  randomFoldIn,
  randomGamma,
  randomPoisson,
  randomRandint,
  randomShuffle,
  randomSplit,
  randomUnit,
  type DrawParams,
  type UnitParams,
  type RandintParams,
  type ShuffleParams,
} from './primitives/random'
export { expm, luPivotsToPermutation, type PivotsToPermutationParams } from './primitives/scipyLinalg'
export { det } from './primitives/determinant'
export {
  choleskyUpdate,
  hessenberg,
  householderProduct,
  schur,
  symmetricProduct,
  tridiagonal,
  type SchurParams,
  type SymmetricProductParams,
  type TridiagonalParams,
} from './primitives/householder'

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
