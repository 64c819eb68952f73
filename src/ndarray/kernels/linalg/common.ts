/**
 * Shared plumbing of the linear-algebra kernels: argument checks that name the op, the batch
 * loop over leading axes, and float64 working copies.
 *
 * NOTE: every linalg kernel computes in float64 whatever the input dtype, and rounds once when it
 * writes a float32 result. JavaScript arithmetic is double precision anyway, so emulating float32
 * rounding after every operation would cost a `Math.fround` per flop and give a less accurate
 * answer; the float32 result is the float64 algorithm applied to the (exactly representable)
 * float32 inputs, rounded to nearest. One visible consequence: a float32 matrix that is positive
 * definite in exact arithmetic but not in float32 rounding still factors.
 *
 * @category kernels
 * @since 0.2.0
 */
import { allocate, allocateUninit, type DType } from '../../dtype'
import { DTypeError, ShapeError, fmtShape } from '../../errors'
import { NdArray } from '../../NdArray'
import { sizeOf, type Shape } from '../../shape'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The float dtypes the linalg kernels accept. */
export type FloatDType = 'float32' | 'float64'

/** A batch of matrices: the leading shape, the batch size and the matrix size. */
export interface MatrixBatch {
  readonly batchShape: Shape
  readonly batch: number
  readonly rows: number
  readonly cols: number
}

// -------------------------------------------------------------------------------------
// checks
// -------------------------------------------------------------------------------------

/** Throws a DTypeError unless `x` is float32 or float64. */
export const checkFloat = (op: string, x: NdArray, name = 'a'): FloatDType => {
  if (x.dtype === 'float32' || x.dtype === 'float64') return x.dtype
  throw new DTypeError(`${op}: expected ${name} of dtype float32 or float64, got ${x.dtype}`)
}

/** Throws a DTypeError unless `a` and `b` share one float dtype. */
export const checkSameFloat = (op: string, a: NdArray, b: NdArray): FloatDType => {
  const dt = checkFloat(op, a, 'a')
  checkFloat(op, b, 'b')
  if (a.dtype !== b.dtype) throw new DTypeError(`${op}: a and b must share one dtype, got ${a.dtype} and ${b.dtype}`)
  return dt
}

/** The batch of matrices `x` holds ([..., rows, cols]); throws a ShapeError below rank 2. */
export const matrixBatch = (op: string, x: NdArray, name = 'a'): MatrixBatch => {
  if (x.ndim < 2) {
    throw new ShapeError(
      `${op}: expected ${name} to have at least 2 dimensions [..., m, n], got shape ${fmtShape(x.shape)}`,
    )
  }
  const batchShape = x.shape.slice(0, -2)
  return {
    batchShape,
    batch: sizeOf(batchShape),
    rows: x.shape[x.ndim - 2] as number,
    cols: x.shape[x.ndim - 1] as number,
  }
}

/** Like `matrixBatch`, and throws a ShapeError unless the matrices are square. */
export const squareBatch = (op: string, x: NdArray, name = 'a'): MatrixBatch => {
  const mb = matrixBatch(op, x, name)
  if (mb.rows !== mb.cols) {
    throw new ShapeError(
      `${op}: expected ${name} to be a batch of square matrices [..., n, n], got shape ${fmtShape(x.shape)}`,
    )
  }
  return mb
}

/** Throws a ShapeError unless two batch shapes are equal (the kernels do not broadcast). */
export const checkSameBatch = (op: string, a: NdArray, b: NdArray, ab: MatrixBatch, bb: MatrixBatch): void => {
  const x = ab.batchShape
  const y = bb.batchShape
  if (x.length !== y.length || x.some((d, i) => d !== y[i])) {
    throw new ShapeError(
      `${op}: a and b must have the same leading (batch) dimensions, got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`,
    )
  }
}

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

/** Copies matrix `t` of the batch (`len` elements) into `work` as float64. */
export const loadMatrix = (x: NdArray, t: number, len: number, work: Float64Array): Float64Array => {
  const d = x._data
  const off = t * len
  for (let i = 0; i < len; i++) work[i] = d[off + i] as number
  return work
}

/** A zeroed result buffer of `dtype` for `n` elements (float32 rounds on `set`). */
export const allocFloat = (dtype: FloatDType, n: number): Float32Array | Float64Array =>
  allocate(dtype, n) as Float32Array | Float64Array

/** A result buffer of `dtype` for `n` elements that the kernel overwrites whole (contents arbitrary). */
export const allocFloatUninit = (dtype: FloatDType, n: number): Float32Array | Float64Array =>
  allocateUninit(dtype, n) as Float32Array | Float64Array

/** Wraps a buffer as an NdArray. */
export const wrap = (shape: Shape, dtype: DType, data: Float32Array | Float64Array | Int32Array): NdArray =>
  new NdArray(shape, dtype, data)

/** The n×n identity, row-major, written into `out` at `off`. */
export const identityInto = (out: Float64Array, n: number, off = 0): void => {
  out.fill(0, off, off + n * n)
  for (let i = 0; i < n; i++) out[off + i * n + i] = 1
}

/** Row-major transpose of the r×c matrix `src` into `dst` (c×r). */
export const transposeInto = (src: Float64Array, r: number, c: number, dst: Float64Array): void => {
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) dst[j * r + i] = src[i * c + j] as number
}

/**
 * Negates the vector x[off + i·stride] (i < len) when its entry of largest magnitude (the first
 * on ties) is negative, so eigenvector and singular-vector signs are deterministic. Returns true
 * when it negated.
 */
export const normalizeSign = (x: Float64Array, off: number, stride: number, len: number): boolean => {
  let best = 0
  let bestAbs = -1
  for (let i = 0; i < len; i++) {
    const v = x[off + i * stride] as number
    if (Math.abs(v) > bestAbs) {
      bestAbs = Math.abs(v)
      best = v
    }
  }
  if (best >= 0) return false
  for (let i = 0; i < len; i++) x[off + i * stride] = -(x[off + i * stride] as number)
  return true
}
