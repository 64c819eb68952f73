/**
 * jnp.polyfit: the least-squares polynomial fit, built on `vander` and `linalg.lstsq` (so it is
 * differentiable in `x`, `y` and `w` and works under vmap).
 *
 * @category ops
 * @since 0.3.0
 */
import * as lax from '../../core/lax'
import { checkOptions } from '../../internal/options'
import { ShapeError, ValueError } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { asArray, toFloat, type ArrayLike } from '../convert'
import { lstsq, vander } from '../linalg/extra'
import { sqrt } from '../unary'
import { sum } from '../reduce'

/** Options of {@link polyfit}. @category ops @since 0.3.0 */
export interface PolyfitOptions {
  /** Relative cutoff for small singular values. @defaultValue `len(x) · eps` of the dtype */
  readonly rcond?: number | null
  /** Also return the residuals, rank, singular values and rcond (NumPy's `full=True`). @defaultValue false */
  readonly full?: boolean
  /** Weights multiplying each sample's residual (not its square). @defaultValue null */
  readonly w?: ArrayLike | null
  /** NumPy's `cov`: only `false` is supported. */
  readonly cov?: false
}

/** polyfit with `full: true`: `[p, residuals, rank, singularValues, rcond]`. @category ops @since 0.3.0 */
export type PolyfitFull = readonly [NdArray, NdArray, NdArray, NdArray, number]

const EPS = { float32: 2 ** -23, float64: 2 ** -52 } as const

/**
 * Least-squares polynomial fit of degree `deg` (jnp.polyfit(x, y, deg, rcond=None, full=False,
 * w=None, cov=False)): coefficients with the highest power first, one column per column of a 2-D
 * `y`. The Vandermonde columns are scaled to unit norm before solving, as in NumPy.
 * @example
 * import { polyfit, array } from 'wengert'
 * const x = array([0, 1, 2, 3], { dtype: 'float64' })
 * const p = polyfit(x, x.mul(x).mul(2).add(1), 2)
 * const want = [2, 0, 1]
 * assert.ok((p.toArray() as number[]).every((c, i) => Math.abs(c - (want[i] as number)) < 1e-12))
 * @category ops
 * @since 0.3.0
 */
export function polyfit(
  x: ArrayLike,
  y: ArrayLike,
  deg: number,
  options?: PolyfitOptions & { readonly full?: false },
): NdArray
export function polyfit(
  x: ArrayLike,
  y: ArrayLike,
  deg: number,
  options: PolyfitOptions & { readonly full: true },
): PolyfitFull
export function polyfit(x: ArrayLike, y: ArrayLike, deg: number, options?: PolyfitOptions): NdArray | PolyfitFull {
  const {
    rcond = null,
    full = false,
    w = null,
    cov = false,
  } = checkOptions('polyfit', options, ['rcond', 'full', 'w', 'cov'])
  if (cov !== false) throw new ValueError('polyfit: cov is not supported (only cov=false)')
  if (!Number.isInteger(deg) || deg < 0) throw new ValueError(`polyfit: expected deg >= 0, got ${deg}`)
  const xs = toFloat(asArray('polyfit', x))
  let ys = asArray('polyfit', y)
  if (ys.dtype !== xs.dtype) ys = lax.convertElementType(ys, xs.dtype)
  if (xs.ndim !== 1) throw new ShapeError(`polyfit: expected 1D vector for x, got shape [${xs.shape.join(', ')}]`)
  if (xs.size === 0) throw new ValueError('polyfit: expected non-empty vector for x')
  if (ys.ndim < 1 || ys.ndim > 2)
    throw new ShapeError(`polyfit: expected 1D or 2D array for y, got shape [${ys.shape.join(', ')}]`)
  if (ys.shape[0] !== xs.shape[0])
    throw new ShapeError(`polyfit: expected x and y to have same length, got ${xs.shape[0]} and ${ys.shape[0]}`)
  let lhs = vander(xs, deg + 1)
  if (w !== null) {
    let wt = asArray('polyfit', w)
    if (wt.dtype !== xs.dtype) wt = lax.convertElementType(wt, xs.dtype)
    if (wt.ndim !== 1 || wt.shape[0] !== xs.shape[0])
      throw new ShapeError(`polyfit: expected a 1-D w of length ${xs.shape[0]}, got shape [${wt.shape.join(', ')}]`)
    lhs = lhs.mul(wt.reshape([xs.shape[0] as number, 1]))
    ys = ys.mul(ys.ndim === 2 ? wt.reshape([xs.shape[0] as number, 1]) : wt)
  }
  const scale = sqrt(sum(lhs.mul(lhs), { axis: 0 }))
  const tol = rcond ?? (xs.shape[0] as number) * EPS[xs.dtype === 'float64' ? 'float64' : 'float32']
  const [c, resids, rank, s] = lstsq(lhs.div(scale), ys, { rcond: tol })
  const p = c.div(ys.ndim === 2 ? scale.reshape([deg + 1, 1]) : scale)
  return full ? [p, resids, rank, s, tol] : p
}
