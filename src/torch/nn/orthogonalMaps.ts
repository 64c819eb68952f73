/**
 * Orthogonal matrices for `parametrizations.orthogonal`: the product of Householder reflectors
 * (LAPACK's `orgqr`, PyTorch's `linalg.householder_product`) written with differentiable facade
 * ops, and the sign-fixed Q of a QR decomposition (PyTorch's `_make_orthogonal`).
 *
 * @category torch
 * @since 0.2.0
 */
import { finfo } from '../finfo'
import { qr } from '../linalgDecompositions'
import { eye, tensor } from '../creation'
import type { Tensor } from '../tensor'

/**
 * The first k columns of H₀H₁…H_{k−1}, Hᵢ = I − τᵢ vᵢvᵢᵀ, where vᵢ is column i of `a` (n×k, n ≥ k)
 * below the diagonal with a 1 on it. Batched over leading dims.
 */
export const householderProduct = (a: Tensor, tau: Tensor): Tensor => {
  const n = a.size(-2)
  const k = a.size(-1)
  let q = eye(n, k, { dtype: a.dtype })
  for (let i = k - 1; i >= 0; i--) {
    const below = tensor(
      Array.from({ length: n }, (_, r) => (r > i ? 1 : 0)),
      { dtype: a.dtype },
    )
    const unit = tensor(
      Array.from({ length: n }, (_, r) => (r === i ? 1 : 0)),
      { dtype: a.dtype },
    )
    const v = a.select(-1, i).mul(below).add(unit).unsqueeze(-1)
    const t = tau.select(-1, i).unsqueeze(-1).unsqueeze(-1)
    q = q.sub(v.mul(t).matmul(v.mT.matmul(q)))
  }
  return q
}

/** Q of `a`'s QR decomposition with R's diagonal made non-negative (PyTorch's `_make_orthogonal`). */
export const makeOrthogonal = (a: Tensor): Tensor => {
  const [q, r] = qr(a)
  return q.mul(r.diagonal(0, -2, -1).sgn().unsqueeze(-2))
}

/** Whether `q`'s columns are orthonormal to 10·n·eps (PyTorch's `_is_orthogonal`). */
export const isOrthogonal = (q: Tensor): boolean => {
  const n = q.size(-2)
  const k = q.size(-1)
  const eps = 10 * n * finfo(q.dtype).eps
  return q.mT.matmul(q).allclose(eye(k, { dtype: q.dtype }), { atol: eps })
}
