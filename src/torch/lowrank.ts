/**
 * Randomized low-rank decompositions: `torch.svd_lowrank` and `torch.pca_lowrank`, after
 * Halko, Martinsson & Tropp, "Finding structure with randomness: probabilistic algorithms for
 * constructing approximate matrix decompositions" (SIAM Review 53(2), 2011), Algorithm 4.4
 * (randomized subspace iteration) followed by Algorithm 5.1 (direct SVD of the projected matrix).
 * A Gaussian test matrix comes from the facade's generator (`torch.manual_seed` reproduces it), and
 * every step is a facade op (matmul, `linalg.qr`, `linalg.svd`), so gradients flow through the
 * result as through PyTorch's.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const a = torch.tensor([[3, 0], [0, 2], [0, 0]], { dtype: torch.float64 })
 * const [U, S, V] = torch.svd_lowrank(a, { q: 2 })
 * assert.ok(S.allclose(torch.tensor([3, 2], { dtype: torch.float64 })))
 * assert.ok(U.matmul(torch.diag(S)).matmul(V.mT).allclose(a))
 * @category torch
 * @since 0.2.0
 */
import { randn } from './creation'
import { qr, svd } from './linalgDecompositions'
import { TorchValueError } from './errors'
import { parseArgs, type PyArgs } from './kwargs'
import { requireTensorArgs } from './pyTypeName'
import type { Tensor } from './tensor'

type T = Tensor

/** Keyword options of {@link svd_lowrank}. */
export interface SvdLowrankKw {
  /** The rank of the approximation (default 6). */
  readonly q?: number | null
  /** Subspace iterations (default 2). */
  readonly niter?: number
  /** A mean to subtract from `A` (broadcast to its shape), or null. */
  readonly M?: T | null
}

/** Keyword options of {@link pca_lowrank}. */
export interface PcaLowrankKw {
  /** The rank (default `min(6, m, n)`). */
  readonly q?: number | null
  /** Subtract the column means first (default true). */
  readonly center?: boolean
  /** Subspace iterations (default 2). */
  readonly niter?: number
}

/** `A·X − M·X` (M may be null). */
const times = (a: T, m: T | null, x: T): T => (m === null ? a.matmul(x) : a.matmul(x).sub(m.matmul(x)))

/**
 * An orthonormal basis `Q` ([*, m, q]) of the approximate range of `A − M`: `Q = qr((A − M)·Ω)`
 * for a Gaussian Ω ([n, q]), then `niter` rounds of `Q ← qr((A − M)·qr((A − M)ᴴ·Q))`
 * (Halko et al., Algorithm 4.4).
 */
const approximateBasis = (a: T, q: number, niter: number, m: T | null): T => {
  const n = a.shape[a.dim() - 1] as number
  const omega = randn([n, q], { dtype: a.dtype })
  let basis = qr(times(a, m, omega))[0]
  const aT = a.mT
  const mT = m === null ? null : m.mT
  for (let i = 0; i < niter; i++) {
    basis = qr(times(aT, mT, basis))[0]
    basis = qr(times(a, m, basis))[0]
  }
  return basis
}

/** The randomized SVD of `A − M`: `[U, S, V]` with `A − M ≈ U·diag(S)·Vᴴ`. */
const lowrankSvd = (a: T, q: number, niter: number, m: T | null): [T, T, T] => {
  const rows = a.shape[a.dim() - 2] as number
  const cols = a.shape[a.dim() - 1] as number
  if (rows < cols) {
    // work with Aᴴ (tall), whose range is the row space of A
    const basis = approximateBasis(a.mT, q, niter, m === null ? null : m.mT)
    const b = times(a, m, basis) // [*, m, q] = (A − M)·Q
    const [u, s, vh] = svd(b, { full_matrices: false })
    return [u, s, basis.matmul(vh.mT)]
  }
  const basis = approximateBasis(a, q, niter, m)
  const bT = times(a.mT, m === null ? null : m.mT, basis) // (Qᴴ(A − M))ᴴ = (A − M)ᴴ·Q
  const [u, s, vh] = svd(bT, { full_matrices: false })
  return [basis.matmul(vh.mT), s, u]
}

/**
 * `torch.svd_lowrank(A, q=6, niter=2, M=None)` → `[U, S, V]`: a rank-`q` approximate SVD of
 * `A − M` (`[*, m, n]`; U `[*, m, q]`, S `[*, q]`, V `[*, n, q]`) by randomized subspace
 * iteration. Exact when `A − M` has rank ≤ q (up to rounding).
 * @category torch @since 0.2.0
 */
export const svd_lowrank = (
  A: T,
  ...rest: PyArgs<[q: number | null, niter: number, M: T | null], SvdLowrankKw>
): [T, T, T] => {
  const a = parseArgs('svd_lowrank', rest, ['q', 'niter', 'M'])
  requireTensorArgs('svd_lowrank', ['A'], [A])
  const q = (a.q as number | null | undefined) ?? 6
  const niter = (a.niter as number | undefined) ?? 2
  return lowrankSvd(A, q, niter, (a.M as T | null | undefined) ?? null)
}

/**
 * `torch.pca_lowrank(A, q=None, center=True, niter=2)` → `[U, S, V]`: principal components of
 * the rows of `A` (`[*, m, n]`): the randomized SVD ({@link svd_lowrank}) of `A` less its column
 * means (when `center`); `V`'s columns are the principal directions and `S²/(m − 1)` the variances.
 * @example
 * import * as torch from 'wengert/torch'
 * const a = torch.tensor([[1, 2], [3, 6], [5, 10]], { dtype: torch.float64 })
 * const [, S, V] = torch.pca_lowrank(a, { q: 1 })
 * assert.ok(Math.abs(S.item() - Math.sqrt(40)) < 1e-9)
 * assert.ok(Math.abs(Math.abs((V.tolist() as number[][])[0]![0]!) - 1 / Math.sqrt(5)) < 1e-9)
 * @category torch @since 0.2.0
 */
export const pca_lowrank = (
  A: T,
  ...rest: PyArgs<[q: number | null, center: boolean, niter: number], PcaLowrankKw>
): [T, T, T] => {
  const a = parseArgs('pca_lowrank', rest, ['q', 'center', 'niter'])
  requireTensorArgs('pca_lowrank', ['A'], [A])
  const m = A.shape[A.dim() - 2] as number
  const n = A.shape[A.dim() - 1] as number
  const q = (a.q as number | null | undefined) ?? Math.min(6, m, n)
  if (!(Number.isInteger(q) && q >= 0 && q <= Math.min(m, n)))
    throw new TorchValueError(`q(=${q}) must be non-negative integer and not greater than min(m, n)=${Math.min(m, n)}`)
  const niter = (a.niter as number | undefined) ?? 2
  if (!(Number.isInteger(niter) && niter >= 0))
    throw new TorchValueError(`niter(=${niter}) must be non-negative integer`)
  const centred = ((a.center as boolean | undefined) ?? true) ? A.sub(A.mean(-2, true)) : A
  return lowrankSvd(centred, q, niter, null)
}
