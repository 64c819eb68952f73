/**
 * `jax.numpy`'s window functions: `bartlett`, `blackman`, `hamming`, `hanning` and `kaiser`, of
 * length M in JAX's default float dtype (float32); `kaiser` is differentiable in β and takes
 * β's float dtype when β is a float64 array.
 *
 * @category ops
 * @since 0.4.0
 */
import { ValueError } from '../../ndarray/errors'
import { isNdArray, type NdArray } from '../../ndarray/NdArray'
import { array } from '../../ndarray/create'
import { asFloat, type ArrayLike } from '../convert'
import { div, mul, sub } from '../elementwise'
import { sqrt } from '../unary'
import { i0 } from '../scipy/specialMore'

/** A checked window length (a non-negative integer; NumPy accepts M ≤ 0 and returns []). */
const length = (op: string, M: number): number => {
  if (!Number.isInteger(M)) throw new ValueError(`${op}: M must be an integer, got ${String(M)}`)
  return Math.max(M, 0)
}

/** The window w(n) for n = 1 − M, 3 − M, …, M − 1 (a symmetric grid), [1] when M = 1. */
const symmetric = (op: string, M: number, w: (x: number) => number): NdArray => {
  const m = length(op, M)
  if (m === 1) return array([1], { dtype: 'float32' })
  const vals = Array.from({ length: m }, (_, i) => w((1 - m + 2 * i) / (m - 1)))
  return array(vals, { dtype: 'float32' })
}

/** Generalised cosine window a₀ + a₁·cos(πx) + a₂·cos(2πx) on x ∈ [−1, 1]. */
const cosine =
  (a0: number, a1: number, a2: number) =>
  (x: number): number =>
    a0 + a1 * Math.cos(Math.PI * x) + a2 * Math.cos(2 * Math.PI * x)

/**
 * The Bartlett (triangular) window (jnp.bartlett(M)): 1 − |x| on the symmetric grid.
 * @example
 * import { bartlett } from 'wengert'
 * assert.deepStrictEqual(bartlett(5).toArray(), [0, 0.5, 1, 0.5, 0])
 * @category ops @since 0.4.0
 */
export const bartlett = (M: number): NdArray => symmetric('bartlett', M, (x) => 1 - Math.abs(x))

/**
 * The Blackman window (jnp.blackman(M)): 0.42 + 0.5·cos(πx) + 0.08·cos(2πx).
 * @example
 * import { blackman } from 'wengert'
 * assert.ok(Math.abs((blackman(3).toArray() as number[])[1]! - 1) < 1e-6)
 * @category ops @since 0.4.0
 */
export const blackman = (M: number): NdArray => symmetric('blackman', M, cosine(0.42, 0.5, 0.08))

/**
 * The Hamming window (jnp.hamming(M)): 0.54 + 0.46·cos(πx).
 * @example
 * import { hamming } from 'wengert'
 * assert.ok(Math.abs((hamming(3).toArray() as number[])[0]! - 0.08) < 1e-6)
 * @category ops @since 0.4.0
 */
export const hamming = (M: number): NdArray => symmetric('hamming', M, cosine(0.54, 0.46, 0))

/**
 * The Hann window (jnp.hanning(M)): 0.5 + 0.5·cos(πx).
 * @example
 * import { hanning } from 'wengert'
 * assert.deepStrictEqual(hanning(3).toArray(), [0, 1, 0])
 * @category ops @since 0.4.0
 */
export const hanning = (M: number): NdArray => symmetric('hanning', M, cosine(0.5, 0.5, 0))

/**
 * The Kaiser window (jnp.kaiser(M, beta)): I₀(β·√(1 − x²))/I₀(β) on the symmetric grid,
 * differentiable in β.
 * @example
 * import { kaiser } from 'wengert'
 * const w = kaiser(4, 5).toArray() as number[]
 * assert.ok(Math.abs(w[0]! - 0.03671089) < 1e-6 && Math.abs(w[1]! - 0.77532210) < 1e-6)
 * @category ops @since 0.4.0
 */
export const kaiser = (M: number, beta: ArrayLike): NdArray => {
  const m = length('kaiser', M)
  const b = asFloat('kaiser', beta)
  if (b.ndim !== 0) throw new ValueError(`kaiser: beta must be a scalar, got shape [${b.shape.join(', ')}]`)
  const dtype = isNdArray(beta) && b.dtype === 'float64' ? 'float64' : 'float32'
  const grid = Array.from({ length: m }, (_, i) => (m === 1 ? 0 : (1 - m + 2 * i) / (m - 1)))
  const radius = sqrt(sub(1, mul(array(grid, { dtype }), array(grid, { dtype }))))
  return div(i0(mul(b, radius)), i0(b))
}
