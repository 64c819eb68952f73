/**
 * `jax.scipy.linalg.hessenberg`: the Hessenberg form by Householder reflections, composed from
 * matrix products (so differentiable), batched over leading axes; `jax.scipy.linalg.schur`, the
 * real Schur form through `lax.linalg.schur`. Re-exported by `./linalg`.
 *
 * @category scipy
 * @since 0.7.0
 */
import { array, eye } from '../../ndarray/create'
import { DTypeError, ShapeError, ValueError } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { asFloat, type ArrayLike } from '../convert'
import { add, div, greater, greaterEqual, mul, sub, where } from '../elementwise'
import { matmul } from '../linalg'
import { schur as laxSchur } from '../laxLinalgForms'
import { triu } from '../linalg/matrix'
import { sum } from '../reduce'
import { expandDims, squeeze } from '../reshape'
import { take } from '../slicing'
import { sqrt } from '../unary'

/** Options of {@link hessenberg}. @category scipy @since 0.7.0 */
export interface HessenbergOptions {
  /** Also return the unitary Q with A = Q·H·Qᵀ (as `[h, q]`). @defaultValue false */
  readonly calcQ?: boolean
}

/** One reflection step k: the Householder vector v (zero in entries 0…k) and 2/(vᵀv) (0 if v = 0). */
const reflector = (a: NdArray, k: number, n: number): [NdArray, NdArray] => {
  const col = squeeze(take(a, [k], a.ndim - 1), -1)
  const below = array(
    Array.from({ length: n }, (_, i) => (i > k ? 1 : 0)),
    { dtype: a.dtype },
  )
  const first = array(
    Array.from({ length: n }, (_, i) => (i === k + 1 ? 1 : 0)),
    { dtype: a.dtype },
  )
  const x = mul(col, below)
  const alpha = squeeze(take(col, [k + 1], col.ndim - 1), -1)
  const norm = sqrt(sum(mul(x, x), -1))
  // v = x + sign(α)·‖x‖·e_{k+1} (sign(0) = +1): the reflection maps x to −sign(α)‖x‖·e_{k+1}, as LAPACK's gehrd
  const v = add(x, mul(expandDims(mul(where(greaterEqual(alpha, 0), 1, -1), norm), -1), first))
  const vv = sum(mul(v, v), -1)
  const ok = greater(vv, 0)
  return [v, where(ok, div(2, where(ok, vv, 1)), 0)]
}

/**
 * The upper Hessenberg form H of a square matrix (zero below the first subdiagonal) with
 * A = Q·H·Qᵀ (`jax.scipy.linalg.hessenberg`; `calcQ` also returns Q as `[h, q]`). Householder
 * reflections I − τ·v·vᵀ with LAPACK's sign convention, so H and Q match SciPy's; batched.
 * @example
 * import { scipy, array, matmul } from 'wengert'
 * const a = array([[2, 5, 8, 7], [5, 2, 2, 8], [7, 5, 6, 6], [5, 4, 4, 8]], { dtype: 'float64' })
 * const [h, q] = scipy.linalg.hessenberg(a, { calcQ: true })
 * assert.strictEqual((h.toArray() as number[][])[3]?.[0], 0)
 * const back = matmul(matmul(q, h), q.T).toArray() as number[][]
 * assert.ok(Math.abs((back[2]?.[1] ?? 0) - 5) < 1e-12)
 * @category scipy @since 0.7.0
 */
export function hessenberg(
  a: ArrayLike,
  options: HessenbergOptions & { readonly calcQ: true },
): readonly [NdArray, NdArray]
export function hessenberg(a: ArrayLike, options?: HessenbergOptions): NdArray
export function hessenberg(a: ArrayLike, options: HessenbergOptions = {}): NdArray | readonly [NdArray, NdArray] {
  const op = 'scipy.linalg.hessenberg'
  let h = asFloat(op, a)
  const n = h.shape[h.ndim - 1] as number
  if (h.ndim < 2 || h.shape[h.ndim - 2] !== n)
    throw new ShapeError(`${op}: expected a square matrix (or a batch of them), got shape [${h.shape}]`)
  let q = eye(n, { dtype: h.dtype })
  for (let k = 0; k + 2 < n; k++) {
    const [v, tau] = reflector(h, k, n)
    const col = expandDims(v, -1) // [..., n, 1]
    const row = expandDims(v, -2) // [..., 1, n]
    const t = expandDims(expandDims(tau, -1), -1)
    h = sub(h, mul(t, matmul(col, matmul(row, h))))
    h = sub(h, mul(t, matmul(matmul(h, col), row)))
    q = sub(q, mul(t, matmul(matmul(q, col), row)))
  }
  const out = triu(h, -1)
  return options.calcQ === true ? [out, q] : out
}

/** Options of {@link schur} (the form of `output` given as an options object). @category scipy @since 0.7.0 */
export interface SchurFormOptions {
  /** `'real'` (the real Schur form) or `'complex'` (not supported: complex arrays). @defaultValue 'real' */
  readonly output?: string
}

/**
 * The Schur decomposition A = Z·T·Zᵀ of a square float matrix (`jax.scipy.linalg.schur(a,
 * output='real')`): `[t, z]` with T upper quasi-triangular (complex eigenvalue pairs as 2×2 blocks)
 * and Z orthogonal, from `lax.linalg.schur`. `output` is `'real'` (positional, or `{ output }`);
 * `'complex'` raises a DTypeError (the complex form is complex and the core has no complex dtype),
 * any other value JAX's ValueError. No derivative, as in JAX.
 * @example
 * import { scipy, array, matmul } from 'wengert'
 * const a = array([[0, 2, 2], [0, 1, 2], [1, 0, 1]], { dtype: 'float64' })
 * const [t, z] = scipy.linalg.schur(a)
 * const back = matmul(matmul(z, t), z.T).toArray() as number[][]
 * assert.ok(Math.abs((back[2]?.[0] ?? 0) - 1) < 1e-12)
 * assert.throws(() => scipy.linalg.schur(a, 'complex'), /complex/)
 * @category scipy @since 0.7.0
 */
export const schur = (a: ArrayLike, output: string | SchurFormOptions = 'real'): readonly [NdArray, NdArray] => {
  const form = typeof output === 'string' ? output : (output.output ?? 'real')
  if (form !== 'real' && form !== 'complex')
    throw new ValueError(`Expected 'output' to be either 'real' or 'complex', got output='${String(form)}'.`)
  if (form === 'complex')
    throw new DTypeError(
      "scipy.linalg.schur: output='complex' is not supported: its result is complex and the core has no complex dtype",
    )
  return laxSchur(a)
}
