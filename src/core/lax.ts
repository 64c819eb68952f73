/**
 * Bound primitive wrappers with canonical arguments (JAX: `jax.lax`). Derivative rules and the
 * ops in `src/ops` call these, never kernels, so every rule is itself differentiable.
 *
 * @category core
 * @since 0.1.0
 */
import { allocate, type DType } from '../ndarray/dtype'
import { NdArray } from '../ndarray/NdArray'
import { shapesEqual, type Shape } from '../ndarray/shape'
import * as compare from './primitives/compare'
import * as ew from './primitives/elementwise'
import * as linalg from './primitives/linalg'
import * as misc from './primitives/misc'
import * as mv from './primitives/movement'
import * as red from './primitives/reduce'
import { bind } from './trace'
import { isZero, Zero, type Aval, type Linear } from './zero'

const NONE: Record<string, never> = {}

// -------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------

/** A 0-d array holding `v` with the dtype of `like`. */
export const scalarLike = (v: number, like: Aval): NdArray => {
  const d = allocate(like.dtype, 1)
  d[0] = v
  return new NdArray([], like.dtype, d)
}

/** A 0-d array of `dtype`. */
export const scalar = (v: number, dtype: DType): NdArray => scalarLike(v, { shape: [], dtype })

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

// -------------------------------------------------------------------------------------
// element-wise
// -------------------------------------------------------------------------------------

export const abs = (x: NdArray): NdArray => bind(ew.abs, [x], NONE)
export const neg = (x: NdArray): NdArray => bind(ew.neg, [x], NONE)
export const exp = (x: NdArray): NdArray => bind(ew.exp, [x], NONE)
export const expm1 = (x: NdArray): NdArray => bind(ew.expm1, [x], NONE)
export const log = (x: NdArray): NdArray => bind(ew.log, [x], NONE)
export const log1p = (x: NdArray): NdArray => bind(ew.log1p, [x], NONE)
export const sin = (x: NdArray): NdArray => bind(ew.sin, [x], NONE)
export const cos = (x: NdArray): NdArray => bind(ew.cos, [x], NONE)
export const sqrt = (x: NdArray): NdArray => bind(ew.sqrt, [x], NONE)
export const reciprocal = (x: NdArray): NdArray => bind(ew.reciprocal, [x], NONE)
export const tanh = (x: NdArray): NdArray => bind(ew.tanh, [x], NONE)
export const tanhBackward = (y: NdArray, t: NdArray): NdArray => bind(ew.tanh_backward, [y, t], NONE)
export const logistic = (x: NdArray): NdArray => bind(ew.logistic, [x], NONE)
export const erf = (x: NdArray): NdArray => bind(ew.erf, [x], NONE)
export const sign = (x: NdArray): NdArray => bind(ew.sign, [x], NONE)
export const floor = (x: NdArray): NdArray => bind(ew.floor, [x], NONE)
export const ceil = (x: NdArray): NdArray => bind(ew.ceil, [x], NONE)
export const round = (x: NdArray): NdArray => bind(ew.round, [x], NONE)
export const isNan = (x: NdArray): NdArray => bind(ew.is_nan, [x], NONE)
export const isFinite = (x: NdArray): NdArray => bind(ew.is_finite, [x], NONE)
export const not = (x: NdArray): NdArray => bind(ew.not, [x], NONE)

export const add = (x: NdArray, y: NdArray): NdArray => bind(ew.add, [x, y], NONE)
export const mul = (x: NdArray, y: NdArray): NdArray => bind(ew.mul, [x, y], NONE)
export const div = (x: NdArray, y: NdArray): NdArray => bind(ew.div, [x, y], NONE)
export const max = (x: NdArray, y: NdArray): NdArray => bind(ew.max, [x, y], NONE)
export const pow = (x: NdArray, y: NdArray): NdArray => bind(ew.pow, [x, y], NONE)
export const atan2 = (y: NdArray, x: NdArray): NdArray => bind(ew.atan2, [y, x], NONE)
export const sub = (x: NdArray, y: NdArray): NdArray => bind(ew.sub, [x, y], NONE)

export const addScalar = (x: NdArray, v: number): NdArray => add(x, scalarLike(v, x))
export const mulScalar = (x: NdArray, v: number): NdArray => mul(x, scalarLike(v, x))

export const eq = (x: NdArray, y: NdArray): NdArray => bind(compare.eq, [x, y], NONE)
export const ne = (x: NdArray, y: NdArray): NdArray => bind(compare.ne, [x, y], NONE)
export const gt = (x: NdArray, y: NdArray): NdArray => bind(compare.gt, [x, y], NONE)
export const ge = (x: NdArray, y: NdArray): NdArray => bind(compare.ge, [x, y], NONE)
export const lt = (x: NdArray, y: NdArray): NdArray => bind(compare.lt, [x, y], NONE)
export const le = (x: NdArray, y: NdArray): NdArray => bind(compare.le, [x, y], NONE)
export const and = (x: NdArray, y: NdArray): NdArray => bind(compare.and, [x, y], NONE)
export const or = (x: NdArray, y: NdArray): NdArray => bind(compare.or, [x, y], NONE)

export const select = (c: NdArray, x: NdArray, y: NdArray): NdArray => bind(misc.select, [c, x, y], NONE)
export const cast = (x: NdArray, dtype: DType): NdArray =>
  x.dtype === dtype ? x : bind(misc.convert_element_type, [x], { dtype })
export const stopGradient = (x: NdArray): NdArray => bind(misc.stop_gradient, [x], NONE)

// -------------------------------------------------------------------------------------
// reductions
// -------------------------------------------------------------------------------------

export const reduceSum = (x: NdArray, axes: ReadonlyArray<number>): NdArray =>
  axes.length === 0 ? x : bind(red.reduce_sum, [x], { axes })
export const reduceMax = (x: NdArray, axes: ReadonlyArray<number>): NdArray =>
  axes.length === 0 ? x : bind(red.reduce_max, [x], { axes })
export const reduceAnd = (x: NdArray, axes: ReadonlyArray<number>): NdArray => bind(red.reduce_and, [x], { axes })
export const reduceOr = (x: NdArray, axes: ReadonlyArray<number>): NdArray => bind(red.reduce_or, [x], { axes })
export const argmax = (x: NdArray, axis: number): NdArray => bind(red.argmax, [x], { axis })
export const argmin = (x: NdArray, axis: number): NdArray => bind(red.argmin, [x], { axis })

// -------------------------------------------------------------------------------------
// movement
// -------------------------------------------------------------------------------------

export const reshape = (x: NdArray, shape: Shape): NdArray =>
  shapesEqual(x.shape, shape) ? x : bind(mv.reshape, [x], { shape })
export const broadcastInDim = (x: NdArray, shape: Shape, dims: ReadonlyArray<number>): NdArray =>
  shapesEqual(x.shape, shape) ? x : bind(mv.broadcast_in_dim, [x], { shape, dims })
export const transpose = (x: NdArray, perm: ReadonlyArray<number>): NdArray =>
  perm.every((p, i) => p === i) ? x : bind(mv.transpose, [x], { perm })
export const slice = (
  x: NdArray,
  starts: ReadonlyArray<number>,
  limits: ReadonlyArray<number>,
  steps: ReadonlyArray<number>,
): NdArray => bind(mv.slice, [x], { starts, limits, steps })
export const pad = (
  x: NdArray,
  lo: ReadonlyArray<number>,
  hi: ReadonlyArray<number>,
  interior: ReadonlyArray<number>,
  value: number,
): NdArray => bind(mv.pad, [x], { lo, hi, interior, value })
export const flip = (x: NdArray, axes: ReadonlyArray<number>): NdArray =>
  axes.length === 0 ? x : bind(mv.flip, [x], { axes })
export const concatenate = (xs: ReadonlyArray<NdArray>, axis: number): NdArray => bind(mv.concatenate, xs, { axis })
export const gather = (x: NdArray, idx: NdArray, axis: number): NdArray => bind(mv.gather, [x, idx], { axis })
export const scatterAdd = (u: NdArray, idx: NdArray, axis: number, shape: Shape): NdArray =>
  bind(mv.scatter_add, [u, idx], { axis, shape })

export const matmul = (a: NdArray, b: NdArray, transA = false, transB = false): NdArray =>
  bind(linalg.matmul, [a, b], { transA, transB })

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
  return reshape(reduceSum(yBar, axes), shape)
}

/** `unbroadcast` when the input needs a cotangent, else its symbolic zero. */
export const unbroadcastOrZero = (yBar: NdArray, x: NdArray, need: boolean): Linear =>
  need ? unbroadcast(yBar, x.shape) : Zero.like(x)

/** Weight of x in max(x, y): 1 where x > y, ½ at ties, 0 elsewhere. */
export const maxWeight = (x: NdArray, y: NdArray): NdArray => {
  const like = x
  return add(cast(gt(x, y), like.dtype), mulScalar(cast(eq(x, y), like.dtype), 0.5))
}

/** Weights of reduce_max's inputs: [x = max] divided by the number of ties. */
export const tieWeights = (x: NdArray, output: NdArray, axes: ReadonlyArray<number>): NdArray => {
  const kept = Array.from({ length: x.ndim }, (_, i) => i).filter((i) => !axes.includes(i))
  const ind = cast(eq(x, broadcastInDim(output, x.shape, kept)), x.dtype)
  const count = reduceSum(ind, axes)
  return div(ind, broadcastInDim(count, x.shape, kept))
}

/**
 * ∂xʸ/∂x = y·x^(y−1), which is 0 where y = 0.
 * NOTE: where x = y = 0 the base is replaced by 1, so 0·0⁻¹ gives 0 rather than NaN. The factor y
 * is kept (not selected away at y = 0, as before) so that the rule's own derivative in y there
 * is x^(y−1) = 1/x: ∂²xʸ/∂y∂x at y = 0 came out 0 (found by the second-order law, issue 3).
 */
export const powDx = (x: NdArray, y: NdArray): NdArray => {
  const bothZero = and(eq(y, scalarLike(0, y)), eq(x, scalarLike(0, x)))
  return mul(y, pow(select(bothZero, scalarLike(1, x), x), addScalar(y, -1)))
}

/** ∂xʸ/∂y = xʸ·log x, defined as 0 where x = 0. */
export const powDy = (x: NdArray, out: NdArray): NdArray => {
  const isZeroX = eq(x, scalarLike(0, x))
  return mul(out, log(select(isZeroX, scalarLike(1, x), x)))
}
