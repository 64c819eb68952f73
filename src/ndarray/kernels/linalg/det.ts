/**
 * Determinants through the LU factorisation: `det` and `slogdet` (sign and log|det|), batched
 * over leading axes.
 *
 * @category kernels
 * @since 0.2.0
 */
import { NdArray } from '../../NdArray'
import { allocFloat, checkFloat, loadMatrix, squareBatch, wrap } from './common'
import { luInPlace } from './lu'

/** The result of {@link slogdet}, as NumPy's. */
export interface SlogdetResult {
  /** ±1, or 0 for a singular matrix. */
  readonly sign: NdArray
  /** log|det A|; −∞ for a singular matrix. */
  readonly logabsdet: NdArray
}

/** det(A) of each matrix of `a` ([..., n, n]): the product of U's diagonal times the pivots' parity. */
export const det = (a: NdArray): NdArray => {
  const { sign, shape, dt } = luDiagonal('det', a, (d, s) => s * d)
  return wrap(shape, dt, sign)
}

/**
 * sign(det A) and log|det A| of each matrix of `a` ([..., n, n]), accumulated as a sum of logs
 * so large or tiny determinants neither overflow nor underflow.
 */
export const slogdet = (a: NdArray): SlogdetResult => {
  const { sign, logabsdet, shape, dt } = luDiagonal('slogdet', a, (d, s) => s * Math.sign(d))
  return { sign: wrap(shape, dt, sign), logabsdet: wrap(shape, dt, logabsdet) }
}

/**
 * Factors each matrix and folds U's diagonal: `sign` accumulates `step(u_ii, acc)` from the
 * pivots' parity, `logabsdet` sums log|u_ii|.
 */
const luDiagonal = (
  op: string,
  a: NdArray,
  step: (d: number, acc: number) => number,
): {
  sign: Float32Array | Float64Array
  logabsdet: Float32Array | Float64Array
  shape: number[]
  dt: 'float32' | 'float64'
} => {
  const dt = checkFloat(op, a)
  const { batchShape, batch, rows: n } = squareBatch(op, a)
  const sign = allocFloat(dt, batch)
  const logabsdet = allocFloat(dt, batch)
  const w = new Float64Array(n * n)
  const piv = new Int32Array(n)
  for (let t = 0; t < batch; t++) {
    loadMatrix(a, t, n * n, w)
    luInPlace(w, n, n, piv)
    let acc = 1
    let logs = 0
    for (let i = 0; i < n; i++) {
      if ((piv[i] as number) !== i) acc = -acc
      const d = w[i * n + i] as number
      acc = step(d, acc)
      logs += Math.log(Math.abs(d))
    }
    // a singular matrix: sign +0 (not −0) and log|det| = −∞, as NumPy
    sign[t] = acc === 0 ? 0 : acc
    logabsdet[t] = acc === 0 ? -Infinity : logs
  }
  return { sign, logabsdet, shape: [...batchShape], dt }
}
