/**
 * Vector and matrix norms (JAX's `jax.numpy.linalg.norm`, `vector_norm`, `matrix_norm`), as
 * composites of differentiable ops, so their derivatives are those of the formulas: the 2-norm's
 * is x/‖x‖ (Golub & Van Loan, §2.2), the max-norms' spreads the cotangent evenly over ties (the
 * reduce_max rule), the spectral and nuclear norms' come from the SVD's rule (Townsend 2016):
 * ∂σ_max/∂A = u₁v₁ᵀ, ∂‖A‖_* /∂A = U·Vᵀ. NOTE: as JAX (jax-ml/jax#4177, #21723: "working as
 * intended"), the gradient of a 2-norm (or p-norm) at the zero vector is NaN, the 0/0 of x/‖x‖;
 * `wengert/torch` follows PyTorch instead (0 there).
 *
 * @category ops
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { checkOptions } from '../../internal/options'
import { ShapeError, ValueError, fmtTuple } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { normalizeAxis } from '../../ndarray/shape'
import { asArray, toFloat, type ArrayLike } from '../convert'
import { svd } from './decompositions'
import { inv } from './solve'

/** The order of a norm: a number (±Infinity included), `'fro'` or `'nuc'` (matrices), or null (the default). @category ops @since 0.2.0 */
export type NormOrd = number | 'fro' | 'nuc' | null

/** Options of {@link norm}. @category ops @since 0.2.0 */
export interface NormOptions {
  /** The norm's order (see {@link norm}). @defaultValue null (2-norm of vectors, Frobenius of matrices) */
  readonly ord?: NormOrd
  /** One axis (vector norm), two (matrix norm: rows, columns), or null: all (see {@link norm}). @defaultValue null */
  readonly axis?: number | ReadonlyArray<number> | null
  /** Keep the reduced axes with size 1. @defaultValue false */
  readonly keepdims?: boolean
}

const NORM_KEYS: ReadonlyArray<keyof NormOptions> = ['ord', 'axis', 'keepdims']

const absOf = (x: NdArray): NdArray => lax.abs(x)
const sumK = (x: NdArray, axes: ReadonlyArray<number>): NdArray => keepAxes(lax.reduceSum(x, axes), x.shape, axes)
const maxK = (x: NdArray, axes: ReadonlyArray<number>): NdArray => keepAxes(lax.reduceMax(x, axes), x.shape, axes)
const minK = (x: NdArray, axes: ReadonlyArray<number>): NdArray => lax.neg(maxK(lax.neg(x), axes))

/** `r` (reduced over `axes` of `shape`) with those axes back as size 1. */
const keepAxes = (r: NdArray, shape: ReadonlyArray<number>, axes: ReadonlyArray<number>): NdArray =>
  lax.reshape(
    r,
    shape.map((d, i) => (axes.includes(i) ? 1 : d)),
  )

/** The vector norm of order `ord` over `axes`, with them kept as size 1. */
const vectorNormKeep = (op: string, x: NdArray, ord: NormOrd, axes: ReadonlyArray<number>): NdArray => {
  if (typeof ord === 'string') throw new ValueError(`${op}: Invalid order '${ord}' for vector norm`)
  if (ord === null || ord === 2) return lax.sqrt(sumK(lax.mul(x, x), axes))
  if (ord === Infinity) return maxK(absOf(x), axes)
  if (ord === -Infinity) return minK(absOf(x), axes)
  if (ord === 0) return sumK(lax.cast(lax.ne(x, lax.scalarLike(0, x)), x.dtype), axes)
  if (ord === 1) return sumK(absOf(x), axes)
  if (typeof ord !== 'number' || Number.isNaN(ord))
    throw new ValueError(`${op}: the norm order must be a number, 'fro' or 'nuc', got ${String(ord)}`)
  return lax.pow(sumK(lax.pow(absOf(x), lax.scalarLike(ord, x)), axes), lax.scalarLike(1 / ord, x))
}

/** The matrix norm of order `ord` over (`row`, `col`), with them kept as size 1. */
const matrixNormKeep = (op: string, x: NdArray, ord: NormOrd, row: number, col: number): NdArray => {
  const both = [row, col]
  switch (ord) {
    case null:
    case 'fro':
      return lax.sqrt(sumK(lax.mul(x, x), both))
    case 1:
      return maxK(sumK(absOf(x), [row]), [col])
    case -1:
      return minK(sumK(absOf(x), [row]), [col])
    case Infinity:
      return maxK(sumK(absOf(x), [col]), [row])
    case -Infinity:
      return minK(sumK(absOf(x), [col]), [row])
    case 2:
    case -2:
    case 'nuc': {
      // the two axes last, as the SVD reads them; then back to size-1 axes in place
      const rest = x.shape.map((_, i) => i).filter((i) => i !== row && i !== col)
      const s = svd(lax.transpose(x, [...rest, row, col]), { computeUv: false })
      const last = [s.ndim - 1]
      const r =
        ord === 'nuc'
          ? lax.reduceSum(s, last)
          : ord === 2
            ? lax.reduceMax(s, last)
            : lax.neg(lax.reduceMax(lax.neg(s), last))
      return keepAxes(r, x.shape, both)
    }
    default:
      throw new ValueError(`${op}: Invalid order ${typeof ord === 'string' ? `'${ord}'` : String(ord)} for matrix norm`)
  }
}

/** Drops the size-1 `axes` unless `keepdims`. */
const finish = (r: NdArray, axes: ReadonlyArray<number>, keepdims: boolean | undefined): NdArray =>
  keepdims === true
    ? r
    : lax.reshape(
        r,
        r.shape.filter((_, i) => !axes.includes(i)),
      )

const floatArg = (op: string, x: ArrayLike): NdArray => toFloat(asArray(op, x))

/** `norm`'s options from JAX's positional `ord` (`norm(x, 2)`, `norm(x, 'fro', { axis })`) or an options object. */
const normArgs = (ordOrOptions: NormOrd | NormOptions | undefined, options: NormOptions | undefined): NormOptions => {
  const positional = ordOrOptions === null || typeof ordOrOptions === 'number' || typeof ordOrOptions === 'string'
  if (!positional) {
    if (options !== undefined)
      throw new ValueError(
        'norm: a third argument (options) is only taken after a positional ord: norm(x, ord, options)',
      )
    return checkOptions('norm', ordOrOptions, NORM_KEYS)
  }
  const rest = checkOptions('norm', options, ['axis', 'keepdims'])
  return { ...rest, ord: ordOrOptions }
}

/**
 * Vector or matrix norm, batched (`jax.numpy.linalg.norm(x, ord, axis, keepdims)`: `ord` may
 * come second, positionally, with `{ axis, keepdims }` after it). With one axis: the vector norm of
 * order `ord` (null or 2: Euclidean; ±Infinity: max/min |x|; 0: number of non-zeros; 1: sum |x|;
 * other p: (Σ|x|ᵖ)^(1/p)). With two axes (rows, columns): the matrix norm (null or `'fro'`:
 * Frobenius; `'nuc'`: sum of singular values; 2/−2: largest/smallest singular value; 1/−1:
 * max/min column sum of |A|; ±Infinity: max/min row sum). Without `axis`: with `ord` null the
 * 2-norm of all elements, else the vector (1-D) or matrix (2-D) norm of `ord`. See the module
 * note on the gradient at zero (NaN, as JAX).
 * @example
 * import { linalg, array } from 'wengert'
 * const a = array([[3, -4], [0, 0]], { dtype: 'float64' })
 * assert.strictEqual(linalg.norm(a).item(), 5)
 * assert.strictEqual(linalg.norm(a, { ord: 1 }).item(), 4)
 * assert.strictEqual(linalg.norm(a, 1).item(), 4) // JAX's positional ord
 * assert.deepStrictEqual(linalg.norm(a, 1, { axis: 1 }).toArray(), [7, 0])
 * assert.strictEqual(linalg.norm(a, { ord: Infinity }).item(), 7)
 * assert.deepStrictEqual(linalg.norm(a, { axis: 1, ord: 1 }).toArray(), [7, 0])
 * @category ops @since 0.2.0
 */
export const norm = (x: ArrayLike, ordOrOptions?: NormOrd | NormOptions, options?: NormOptions): NdArray => {
  const o = normArgs(ordOrOptions, options)
  const a = floatArg('norm', x)
  const ord = o.ord ?? null
  let axes: number[]
  if (o.axis === undefined || o.axis === null) {
    if (ord === null)
      return finish(
        vectorNormKeep(
          'norm',
          a,
          null,
          a.shape.map((_, i) => i),
        ),
        a.shape.map((_, i) => i),
        o.keepdims,
      )
    if (a.ndim !== 1 && a.ndim !== 2)
      throw new ShapeError(`norm: with ord given and no axis the array must be 1-D or 2-D, got rank ${a.ndim}`)
    axes = a.shape.map((_, i) => i)
  } else axes = (typeof o.axis === 'number' ? [o.axis] : [...o.axis]).map((ax) => normalizeAxis('norm', ax, a.ndim))
  if (axes.length === 1) return finish(vectorNormKeep('norm', a, ord, axes), axes, o.keepdims)
  if (axes.length !== 2)
    throw new ValueError(
      `norm: Improper number of axes for norm: axis=${fmtTuple(axes)}. Pass one axis to compute a vector-norm, or two axes to compute a matrix-norm.`,
    )
  const [row, col] = axes as [number, number]
  if (row === col) throw new ValueError(`norm: the two axes of a matrix norm must differ, got ${row} twice`)
  return finish(matrixNormKeep('norm', a, ord, row, col), axes, o.keepdims)
}

/** Options of {@link vectorNorm}. @category ops @since 0.2.0 */
export interface VectorNormOptions {
  /** The order (a number, ±Infinity included). @defaultValue 2 */
  readonly ord?: number
  /** The axes the vectors lie along (all of them: one vector of every element). @defaultValue null */
  readonly axis?: number | ReadonlyArray<number> | null
  /** Keep the reduced axes with size 1. @defaultValue false */
  readonly keepdims?: boolean
}

/**
 * Vector norm over one or several axes (all by default) taken as one vector (`jax.numpy.linalg.vector_norm`).
 * @example
 * import { linalg, array } from 'wengert'
 * assert.strictEqual(linalg.vectorNorm(array([[3, 0], [0, -4]], { dtype: 'float64' })).item(), 5)
 * assert.strictEqual(linalg.vectorNorm(array([3, -4], { dtype: 'float64' }), { ord: 1 }).item(), 7)
 * @category ops @since 0.2.0
 */
export const vectorNorm = (x: ArrayLike, options?: VectorNormOptions): NdArray => {
  const o = checkOptions('vectorNorm', options, ['ord', 'axis', 'keepdims'])
  const a = floatArg('vectorNorm', x)
  const all = a.shape.map((_, i) => i)
  const axes =
    o.axis === undefined || o.axis === null
      ? all
      : [
          ...new Set(
            (typeof o.axis === 'number' ? [o.axis] : o.axis).map((ax) => normalizeAxis('vectorNorm', ax, a.ndim)),
          ),
        ]
  return finish(vectorNormKeep('vectorNorm', a, o.ord ?? 2, axes), axes, o.keepdims)
}

/** Options of {@link matrixNorm}. @category ops @since 0.2.0 */
export interface MatrixNormOptions {
  /** `'fro'`, `'nuc'`, 1, −1, 2, −2, ±Infinity. @defaultValue 'fro' */
  readonly ord?: number | 'fro' | 'nuc'
  /** Keep the last two axes with size 1. @defaultValue false */
  readonly keepdims?: boolean
}

/**
 * Matrix norm of the last two axes, batched (`jax.numpy.linalg.matrix_norm`).
 * @example
 * import { linalg, array } from 'wengert'
 * const a = array([[1, -2], [3, 4]], { dtype: 'float64' })
 * assert.strictEqual(linalg.matrixNorm(a, { ord: 1 }).item(), 6)
 * assert.strictEqual(linalg.matrixNorm(a, { ord: Infinity }).item(), 7)
 * @category ops @since 0.2.0
 */
export const matrixNorm = (x: ArrayLike, options?: MatrixNormOptions): NdArray => {
  const o = checkOptions('matrixNorm', options, ['ord', 'keepdims'])
  const a = floatArg('matrixNorm', x)
  if (a.ndim < 2) throw new ShapeError(`matrixNorm: the array must have at least 2 dimensions, got rank ${a.ndim}`)
  const axes = [a.ndim - 2, a.ndim - 1]
  return finish(matrixNormKeep('matrixNorm', a, o.ord ?? 'fro', a.ndim - 2, a.ndim - 1), axes, o.keepdims)
}

/**
 * Condition number of square matrices in the norm of order `p` (`jax.numpy.linalg.cond`),
 * batched: with p null, 2 or −2 from the singular values (σ_max/σ_min, or its inverse), with
 * `'fro'`, `'nuc'`, ±1, ±Infinity as `norm(A, p) · norm(A⁻¹, p)`.
 * @example
 * import { linalg, array } from 'wengert'
 * const a = array([[4, 0], [0, 2]], { dtype: 'float64' })
 * assert.strictEqual(linalg.cond(a).item(), 2)
 * assert.strictEqual(linalg.cond(a, -2).item(), 0.5)
 * assert.strictEqual(linalg.cond(a, 1).item(), 2)
 * @category ops @since 0.2.0
 */
export const cond = (x: ArrayLike, p: NormOrd = null): NdArray => {
  const a = floatArg('cond', x)
  if (a.ndim < 2) throw new ShapeError(`cond: a must have at least 2 dimensions (a matrix), got rank ${a.ndim}`)
  const last = [a.ndim - 2, a.ndim - 1]
  if (p === null || p === 2 || p === -2) {
    const s = svd(a, { computeUv: false })
    const k = [s.ndim - 1]
    const ratio = lax.div(lax.reduceMax(s, k), lax.neg(lax.reduceMax(lax.neg(s), k)))
    return p === -2 ? lax.reciprocal(ratio) : ratio
  }
  if (a.shape[a.ndim - 1] !== a.shape[a.ndim - 2])
    throw new ShapeError(
      `cond: a must be square in its last two axes for p = ${String(p)}, got shape [${a.shape.join(', ')}]`,
    )
  const nrm = (m: NdArray): NdArray => finish(matrixNormKeep('cond', m, p, a.ndim - 2, a.ndim - 1), last, false)
  return lax.mul(nrm(a), nrm(inv(a)))
}
