/**
 * More of `jax.scipy.linalg` (camelCase): the special matrices `toeplitz`, `hilbert`, `pascal`;
 * `expmFrechet`, `eighTridiagonal`, `polar`, `solveSylvester`; and typed refusals for the
 * functions whose results are complex in JAX (`sqrtm`, `funm`, `rsf2csf`: the core has no
 * complex dtype). Re-exported by `./linalg`.
 *
 * @category scipy
 * @since 0.7.0
 */
import * as lax from '../../core/lax'
import { array, eye, zeros } from '../../ndarray/create'
import { DTypeError, ShapeError, ValueError } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { promoteTypes } from '../../ndarray/dtype'
import { broadcastShapes } from '../../ndarray/shape'
import { asArray, asFloat, type ArrayLike } from '../convert'
import { add, mul } from '../elementwise'
import { matmul, transpose } from '../linalg'
import * as L from '../linalg/index'
import { diag, kron } from '../linalg/products'
import { reshape } from '../reshape'
import { take } from '../slicing'
import { concat, flip } from '../layout'

const NO_COMPLEX = 'its result is complex in JAX and the core has no complex dtype'

/**
 * The Toeplitz matrix with first column c and first row r (r defaults to c; r[0] is ignored), as
 * `jax.scipy.linalg.toeplitz`: T[i, j] = c[i − j] for i ≥ j, r[j − i] otherwise; leading axes of
 * c and r are batch axes.
 * @example
 * import { scipy, array } from 'wengert'
 * assert.deepStrictEqual(scipy.linalg.toeplitz(array([1, 2, 3]), array([1, 4])).toArray(), [[1, 4], [2, 1], [3, 2]])
 * @category scipy @since 0.7.0
 */
export const toeplitz = (c: ArrayLike, r?: ArrayLike): NdArray => {
  const op = 'scipy.linalg.toeplitz'
  let C = asArray(op, c)
  let R = r === undefined ? C : asArray(op, r)
  if (C.ndim === 0) C = reshape(C, [1])
  if (R.ndim === 0) R = reshape(R, [1])
  const dtype = promoteTypes(C.dtype, R.dtype)
  ;[C, R] = [lax.cast(C, dtype), lax.cast(R, dtype)]
  const m = C.shape[C.ndim - 1] as number
  const n = R.shape[R.ndim - 1] as number
  const batch = broadcastShapes(op, C.shape.slice(0, -1), R.shape.slice(0, -1))
  C = lax.broadcastTo(C, [...batch, m])
  R = lax.broadcastTo(R, [...batch, n])
  if (m === 0 || n === 0) return zeros([...batch, m, n], { dtype })
  const tail =
    n > 1
      ? take(
          R,
          Array.from({ length: n - 1 }, (_, j) => j + 1),
          C.ndim - 1,
        )
      : undefined
  const elems = tail === undefined ? flip(C, -1) : concat([flip(C, -1), tail], -1)
  const idx = Array.from({ length: m }, (_, i) => Array.from({ length: n }, (_, j) => m - 1 - i + j))
  return take(elems, array(idx, { dtype: 'int32' }), C.ndim - 1)
}

/**
 * The n×n Hilbert matrix H[i, j] = 1/(i + j + 1) (`jax.scipy.linalg.hilbert`), float32.
 * @example
 * import { scipy } from 'wengert'
 * assert.deepStrictEqual(scipy.linalg.hilbert(2).toArray(), [[1, 0.5], [0.5, 1 / 3]].map((r) => r.map(Math.fround)))
 * @category scipy @since 0.7.0
 */
export const hilbert = (n: number): NdArray => {
  if (!Number.isInteger(n) || n < 0)
    throw new ValueError(`scipy.linalg.hilbert: n must be a non-negative integer, got ${n}`)
  return array(
    Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => 1 / (i + j + 1))),
    { dtype: 'float32' },
  ).reshape([n, n])
}

/** C(i, j) for 0 ≤ j ≤ i (0 above the diagonal), by Pascal's rule in float64. */
const binomials = (n: number): number[][] => {
  const rows: number[][] = []
  for (let i = 0; i < n; i++)
    rows.push(
      Array.from({ length: n }, (_, j) =>
        j > i ? 0 : j === 0 || j === i ? 1 : (rows[i - 1]?.[j - 1] ?? 0) + (rows[i - 1]?.[j] ?? 0),
      ),
    )
  return rows
}

/**
 * The n×n Pascal matrix (`jax.scipy.linalg.pascal`): 'lower' holds the binomial coefficients
 * C(i, j), 'upper' its transpose, 'symmetric' (default) their product C(i + j, i). float32, as
 * JAX (which has no `exact` option: entries beyond 2²⁴ are rounded).
 * @example
 * import { scipy } from 'wengert'
 * assert.deepStrictEqual(scipy.linalg.pascal(3, 'lower').toArray(), [[1, 0, 0], [1, 1, 0], [1, 2, 1]])
 * assert.deepStrictEqual(scipy.linalg.pascal(3).toArray(), [[1, 1, 1], [1, 2, 3], [1, 3, 6]])
 * @category scipy @since 0.7.0
 */
export const pascal = (n: number, kind: 'symmetric' | 'lower' | 'upper' = 'symmetric'): NdArray => {
  if (!Number.isInteger(n) || n < 0)
    throw new ValueError(`scipy.linalg.pascal: n must be a non-negative integer, got ${n}`)
  if (!['symmetric', 'lower', 'upper'].includes(kind))
    throw new ValueError(
      `scipy.linalg.pascal: expected kind to be one of 'symmetric', 'lower', 'upper'; got ${String(kind)}`,
    )
  const b = binomials(2 * n)
  const at = (i: number, j: number): number =>
    kind === 'lower' ? (b[i]?.[j] ?? 0) : kind === 'upper' ? (b[j]?.[i] ?? 0) : (b[i + j]?.[i] ?? 0)
  return array(
    Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => at(i, j))),
    { dtype: 'float32' },
  ).reshape([n, n])
}

/** Options of {@link expmFrechet}. @category scipy @since 0.7.0 */
export interface ExpmFrechetOptions {
  /** Also return e^A (as `[expm, frechet]`). @defaultValue true */
  readonly computeExpm?: boolean
  /** Only 'SPS' (the default; JAX does not support 'blockEnlarge'). */
  readonly method?: 'SPS'
}

/** One square float matrix for expmFrechet's checks. */
const squareMatrix = (op: string, name: string, x: ArrayLike): NdArray => {
  const m = asFloat(op, x)
  if (m.ndim !== 2 || m.shape[0] !== m.shape[1]) throw new ValueError(`${op}: expected ${name} to be a square matrix`)
  return m
}

/**
 * The Fréchet derivative L(A, E) of the matrix exponential at A in the direction E, and e^A
 * (`jax.scipy.linalg.expm_frechet`): the upper-right block of exp([[A, E], [0, A]]) (Mathias 1996;
 * Higham 2008, "Functions of Matrices", Thm. 3.6), so it is differentiable in A and E.
 * @example
 * import { scipy, array } from 'wengert'
 * const a = array([[1, 0], [0, 2]], { dtype: 'float64' })
 * const l = scipy.linalg.expmFrechet(a, array([[1, 0], [0, 0]], { dtype: 'float64' }), { computeExpm: false })
 * assert.ok(Math.abs(Number((l.toArray() as number[][])[0]?.[0]) - Math.E) < 1e-12)
 * @category scipy @since 0.7.0
 */
export function expmFrechet(
  a: ArrayLike,
  e: ArrayLike,
  options: ExpmFrechetOptions & { readonly computeExpm: false },
): NdArray
export function expmFrechet(a: ArrayLike, e: ArrayLike, options?: ExpmFrechetOptions): readonly [NdArray, NdArray]
export function expmFrechet(
  a: ArrayLike,
  e: ArrayLike,
  options: ExpmFrechetOptions = {},
): NdArray | readonly [NdArray, NdArray] {
  const op = 'scipy.linalg.expmFrechet'
  const method = options.method ?? 'SPS'
  if (method !== 'SPS')
    throw new ValueError(`${op}: unknown implementation ${String(method)} (only 'SPS' is supported, as JAX)`)
  let A = squareMatrix(op, 'A', a)
  let E = squareMatrix(op, 'E', e)
  if (A.shape[0] !== E.shape[0]) throw new ValueError(`${op}: expected A and E to be the same shape`)
  const dtype = promoteTypes(A.dtype, E.dtype)
  ;[A, E] = [lax.cast(A, dtype), lax.cast(E, dtype)]
  const n = A.shape[0] as number
  const big = L.expm(concat([concat([A, E], 1), concat([zeros([n, n], { dtype }), A], 1)], 0))
  const rows = Array.from({ length: n }, (_, i) => i)
  const top = take(big, rows, 0)
  const expA = take(top, rows, 1)
  const frechet = take(
    top,
    rows.map((i) => i + n),
    1,
  )
  return options.computeExpm === false ? frechet : [expA, frechet]
}

/** Options of {@link eighTridiagonal} (SciPy's keywords). @category scipy @since 0.7.0 */
export interface EighTridiagonalOptions {
  /** Must be true: JAX computes no eigenvectors. @defaultValue false */
  readonly eigvalsOnly?: boolean
  /** 'a' all eigenvalues (default), 'i' those with index in `selectRange`; 'v' is not supported (JAX). */
  readonly select?: 'a' | 'i' | 'v'
  /** [lo, hi] (inclusive) indices for select 'i'. */
  readonly selectRange?: readonly [number, number]
  /** An absolute tolerance for the bisection JAX runs; accepted, the eigenvalues here are exact to rounding. */
  readonly tol?: number
}

/**
 * The eigenvalues (ascending) of the symmetric tridiagonal matrix with diagonal d and
 * off-diagonal e (`jax.scipy.linalg.eigh_tridiagonal`). As JAX, only `eigvalsOnly: true` is
 * supported, and select 'i' picks the eigenvalues with indices selectRange[0]…selectRange[1].
 * @example
 * import { scipy, array } from 'wengert'
 * const w = scipy.linalg.eighTridiagonal(array([2, 2], { dtype: 'float64' }), array([1], { dtype: 'float64' }), { eigvalsOnly: true })
 * assert.deepStrictEqual(Array.from(w.toTypedArray(), (v) => Math.round(Number(v) * 1e9) / 1e9), [1, 3])
 * @category scipy @since 0.7.0
 */
export const eighTridiagonal = (d: ArrayLike, e: ArrayLike, options: EighTridiagonalOptions = {}): NdArray => {
  const op = 'scipy.linalg.eighTridiagonal'
  if (options.eigvalsOnly !== true)
    throw new ValueError(
      `${op}: calculation of eigenvectors is not implemented (pass eigvalsOnly: true, as JAX requires)`,
    )
  const D = asArray(op, d)
  const E = asArray(op, e)
  if (D.dtype !== E.dtype)
    throw new DTypeError(`${op}: diagonal and off-diagonal values must have same dtype, got ${D.dtype} and ${E.dtype}`)
  if (D.dtype !== 'float32' && D.dtype !== 'float64')
    throw new DTypeError(`${op}: only float32 and float64 inputs are supported, got ${D.dtype} and ${E.dtype}`)
  const n = D.shape[0] as number
  if (D.ndim !== 1 || E.ndim !== 1 || (n > 0 && E.shape[0] !== n - 1))
    throw new ShapeError(`${op}: expected d of shape [n] and e of shape [n - 1], got [${D.shape}] and [${E.shape}]`)
  const select = options.select ?? 'a'
  if (select === 'v') throw new ValueError(`${op}: select='v' is not implemented (as JAX)`)
  if (select !== 'a' && select !== 'i')
    throw new ValueError(`${op}: select must have a value in {'a', 'i', 'v'}, got ${String(select)}`)
  if (n <= 1) return D
  // e on the first superdiagonal: diag(e) shifted one column right (padded with a zero row below)
  const off = lax.pad(diag(E), [0, 1], [1, 0], [0, 0], 0)
  const w = L.eigvalsh(add(add(diag(D), off), transpose(off)))
  if (select === 'a') return w
  const range = options.selectRange
  if (range === undefined) throw new ValueError(`${op}: for select='i', selectRange must be specified.`)
  if (range[0] > range[1]) throw new ValueError(`${op}: got empty index range in selectRange.`)
  if (range[0] < 0 || range[1] >= n) throw new ValueError(`${op}: selectRange [${range}] is outside [0, ${n - 1}]`)
  return take(
    w,
    Array.from({ length: range[1] - range[0] + 1 }, (_, i) => range[0] + i),
    0,
  )
}

/** Options of {@link polar}. @category scipy @since 0.7.0 */
export interface PolarOptions {
  /** 'qdwh' (default; JAX's iteration, restricted to m ≥ n for 'right' and m < n for 'left') or 'svd'. */
  readonly method?: 'qdwh' | 'svd'
  /** QDWH's convergence tolerance: accepted; the factors here come from an SVD, exact to rounding. */
  readonly eps?: number
  /** QDWH's iteration cap: accepted, as `eps`. */
  readonly maxIterations?: number
}

/**
 * The polar decomposition (`jax.scipy.linalg.polar`): `[u, p]` with a = u·p ('right', default;
 * p n×n) or a = p·u ('left'; p m×m), u with orthonormal columns (rows if n > m), p positive
 * semidefinite. Both methods are computed from the SVD a = U·diag(s)·Vᵀ: u = U·Vᵀ, p = V·diag(s)·Vᵀ
 * or U·diag(s)·Uᵀ (differentiable by the SVD's rule, Townsend 2016); 'qdwh' keeps JAX's shape
 * restriction.
 * @example
 * import { scipy, array, matmul } from 'wengert'
 * const a = array([[1, 2], [3, 4]], { dtype: 'float64' })
 * const [u, p] = scipy.linalg.polar(a)
 * const back = matmul(u, p).toArray() as number[][]
 * assert.ok(Math.abs((back[1]?.[0] ?? 0) - 3) < 1e-12)
 * @category scipy @since 0.7.0
 */
export const polar = (
  a: ArrayLike,
  side: 'right' | 'left' = 'right',
  options: PolarOptions = {},
): readonly [NdArray, NdArray] => {
  const op = 'scipy.linalg.polar'
  const x = asFloat(op, a)
  if (x.ndim !== 2) throw new ValueError(`${op}: the input \`a\` must be a 2-D array.`)
  if (side !== 'right' && side !== 'left')
    throw new ValueError(`${op}: the argument \`side\` must be either 'right' or 'left'.`)
  const method = options.method ?? 'qdwh'
  const [m, n] = x.shape as [number, number]
  if (method === 'qdwh') {
    if ((side === 'right' && m < n) || (side === 'left' && m >= n))
      throw new ValueError(
        `${op}: method='qdwh' only supports m×n matrices with m >= n for side='right' and m < n for side='left', got [${m}, ${n}] with side='${side}' (use method 'svd')`,
      )
  } else if (method !== 'svd') throw new ValueError(`${op}: unknown polar decomposition method ${String(method)}.`)
  const [U, s, vh] = L.svd(x, { fullMatrices: false })
  const unitary = matmul(U, vh)
  const posdef = side === 'right' ? matmul(mul(transpose(vh), s), vh) : matmul(mul(U, s), transpose(U))
  return [unitary, posdef]
}

/**
 * X with A·X + X·B = Q (`jax.scipy.linalg.solve_sylvester`), A m×m, B n×n, Q m×n: the linear
 * system (I_n ⊗ A + Bᵀ ⊗ I_m)·vec(X) = vec(Q) in column-major vec (Bartels & Stewart 1972 state
 * the equation; this solves its Kronecker form, O((mn)³), differentiable through `solve`). A
 * singular system (A and −B sharing an eigenvalue) gives non-finite values, as an LU solve does.
 * @example
 * import { scipy, array, matmul, add } from 'wengert'
 * const a = array([[2, 1], [0, 3]], { dtype: 'float64' })
 * const b = array([[1]], { dtype: 'float64' })
 * const x = scipy.linalg.solveSylvester(a, b, array([[4], [8]], { dtype: 'float64' }))
 * const r = add(matmul(a, x), matmul(x, b)).toArray() as number[][]
 * assert.ok(Math.abs((r[0]?.[0] ?? 0) - 4) < 1e-12 && Math.abs((r[1]?.[0] ?? 0) - 8) < 1e-12)
 * @category scipy @since 0.7.0
 */
export const solveSylvester = (a: ArrayLike, b: ArrayLike, q: ArrayLike): NdArray => {
  const op = 'scipy.linalg.solveSylvester'
  const A = asFloat(op, a)
  const B = asFloat(op, b)
  const Q = asFloat(op, q)
  const m = A.shape[0] as number
  const n = B.shape[0] as number
  if (
    A.ndim !== 2 ||
    A.shape[1] !== m ||
    B.ndim !== 2 ||
    B.shape[1] !== n ||
    Q.ndim !== 2 ||
    Q.shape[0] !== m ||
    Q.shape[1] !== n
  )
    throw new ShapeError(
      `${op}: expected A [m, m], B [n, n] and Q [m, n], got [${A.shape}], [${B.shape}] and [${Q.shape}]`,
    )
  const dtype = promoteTypes(promoteTypes(A.dtype, B.dtype), Q.dtype)
  const [Ac, Bc, Qc] = [A, B, Q].map((v) => lax.cast(v, dtype)) as [NdArray, NdArray, NdArray]
  const K = add(kron(eye(n, { dtype }), Ac), kron(transpose(Bc), eye(m, { dtype })))
  const vecX = L.solve(K, reshape(transpose(Qc), [m * n]))
  return transpose(reshape(vecX, [n, m]))
}

/** A refusal naming why: the result is complex. */
const complexOnly = (name: string): never => {
  throw new DTypeError(`scipy.linalg.${name}: not supported: ${NO_COMPLEX}`)
}

/**
 * The matrix square root (`jax.scipy.linalg.sqrtm`): refused with a DTypeError, because JAX's
 * result is complex (a complex Schur method) and the core has no complex dtype.
 * @example
 * import { scipy, array } from 'wengert'
 * assert.throws(() => scipy.linalg.sqrtm(array([[4, 0], [0, 9]])), /complex/)
 * @category scipy @since 0.7.0
 */
export const sqrtm = (_a: ArrayLike, _blocksize = 1): NdArray => complexOnly('sqrtm')

/**
 * A matrix function by the Schur–Parlett method (`jax.scipy.linalg.funm`): refused with a
 * DTypeError, because JAX computes it through the complex Schur form.
 * @example
 * import { scipy, array, exp } from 'wengert'
 * assert.throws(() => scipy.linalg.funm(array([[1, 0], [0, 1]]), exp), /complex/)
 * @category scipy @since 0.7.0
 */
export const funm = (_a: ArrayLike, _func: (x: NdArray) => NdArray, _disp = true): NdArray => complexOnly('funm')

/**
 * Real to complex Schur form (`jax.scipy.linalg.rsf2csf`): refused with a DTypeError, because
 * the complex Schur form is complex.
 * @example
 * import { scipy, array } from 'wengert'
 * assert.throws(() => scipy.linalg.rsf2csf(array([[1, 0], [0, 1]]), array([[1, 0], [0, 1]])), /complex/)
 * @category scipy @since 0.7.0
 */
export const rsf2csf = (_t: ArrayLike, _z: ArrayLike, _checkFinite = true): readonly [NdArray, NdArray] =>
  complexOnly('rsf2csf')
