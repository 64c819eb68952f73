/**
 * Householder representations of QR (LAPACK's geqrf/orgqr/ormqr): `torch.geqrf`,
 * `torch.linalg.householder_product` (and its alias `torch.orgqr`), `torch.ormqr`. geqrf runs the
 * Householder kernel of the QR decomposition (src/ndarray/kernels/linalg/qr.ts, LAPACK's larfg
 * convention, so its `(a, tau)` are LAPACK's); the products are compositions of reflections
 * `H = I − τ·v·vᵀ`, differentiable in the reflectors and τ. Node names and errors as PyTorch
 * (test/torch/linalgLegacy.test.ts).
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../core/lax'
import type { NdArray } from '../ndarray/NdArray'
import { allocFloat, checkFloat, loadMatrix, matrixBatch, transposeInto, wrap } from '../ndarray/kernels/linalg/common'
import { householderInPlace } from '../ndarray/kernels/linalg/qr'
import { broadcastShapes } from '../ndarray/shape'
import { matmul } from '../ops/linalg'
import { swapLast } from '../ops/linalg/common'
import { tril as trilOp } from '../ops/linalg/matrix'
import { eye as eyeOp } from '../core/primitives/matrixRules'
import { customVjp } from '../transforms/custom'
import { op, opMulti } from './autograd/op'
import { colMajorResult, markSolverGrads, sameShape } from './autograd/solverLayout'
import { NotImplementedError, RuntimeError } from './errors'
import type { Tensor } from './install'
import { parseArgs, type PyArgs } from './kwargs'
import { noOut } from './linalg'
import { namedTuple } from './linalgLu'
import { requireTensorArgs } from './pyTypeName'
import { linalgEntry } from './namespaceSignatures'

// -------------------------------------------------------------------------------------
// geqrf
// -------------------------------------------------------------------------------------

/** LAPACK geqrf of each matrix of `a`: R on and above the diagonal, the reflectors below, and τ. */
const geqrfKernel = (a: NdArray): readonly [NdArray, NdArray] => {
  const dt = checkFloat('geqrf', a)
  const { batchShape, batch, rows: m, cols: n } = matrixBatch('geqrf', a)
  const k = Math.min(m, n)
  const [w, at, tau] = [new Float64Array(m * n), new Float64Array(n * m), new Float64Array(k)]
  const [aOut, tauOut] = [allocFloat(dt, batch * m * n), allocFloat(dt, batch * k)]
  for (let t = 0; t < batch; t++) {
    transposeInto(loadMatrix(a, t, m * n, w), m, n, at)
    householderInPlace(at, m, n, tau)
    transposeInto(at, n, m, w)
    aOut.set(w, t * m * n)
    tauOut.set(tau, t * k)
  }
  return [wrap([...batchShape, m, n], dt, aOut), wrap([...batchShape, k], dt, tauOut)]
}

/** PyTorch's `torch.return_types.geqrf`. @category torch @since 0.2.0 */
export type GeqrfResult = [Tensor, Tensor] & { readonly a: Tensor; readonly tau: Tensor }

/**
 * `torch.geqrf(input)`: QR in LAPACK's Householder form — R on and above the diagonal, the
 * reflectors' vectors below it (their first entry 1 implied), and the τ of each. Its node
 * (`GeqrfBackward0`) raises at backward, as PyTorch's: use `linalg.qr` to differentiate.
 * @example
 * import * as torch from 'wengert/torch'
 * const A = torch.tensor([[3, 1], [4, 2]], { dtype: torch.float64 })
 * const { a, tau } = torch.geqrf(A)
 * const Q = torch.linalg.householder_product(a, tau)
 * assert.ok(Q.matmul(a.triu()).sub(A).abs().max().item() < 1e-12)
 * @category torch @since 0.2.0
 */
export const geqrf = (input: Tensor, ...args: PyArgs<[], { readonly out?: unknown }>): GeqrfResult => {
  requireTensorArgs('geqrf', ['input'], [input])
  noOut('geqrf', parseArgs('geqrf', args, ['out'], 0))
  if (input.dim() < 2) throw new RuntimeError('torch.geqrf: input must have at least 2 dimensions.')
  if (!input.dtype.is_floating_point) throw new RuntimeError(`"geqrf_cpu" not implemented for '${input.dtype.word}'`)
  const [a0, tau0] = geqrfKernel(input._value())
  const noDerivative = customVjp(
    (x: NdArray) => [lax.add(lax.mul(lax.stopGradient(x), lax.scalarLike(0, x)), a0), tau0] as const,
    (x: NdArray) => [[lax.add(lax.mul(lax.stopGradient(x), lax.scalarLike(0, x)), a0), tau0] as const, null] as const,
    (): never => {
      throw new NotImplementedError("the derivative for 'geqrf' is not implemented.")
    },
  )
  const [a, tau] = opMulti('GeqrfBackward0', [input], (x) => [...noDerivative(x)]) as [Tensor, Tensor]
  return namedTuple({ a: colMajorResult(a), tau }) as GeqrfResult
}

// -------------------------------------------------------------------------------------
// householder_product, orgqr, ormqr
// -------------------------------------------------------------------------------------

/**
 * H₀·H₁·…·H_{k−1} applied to `c` ([..., m, p]), H_j = I − τ_j·v_j·v_jᵀ with v_j column j of the
 * unit lower trapezoid of `a` ([..., m, n]); `transpose` applies the product's transpose.
 */
const applyReflectors = (a: NdArray, tau: NdArray, c: NdArray, transpose: boolean): NdArray => {
  const [m, n] = [a.shape[a.ndim - 2] as number, a.shape[a.ndim - 1] as number]
  const k = tau.shape[tau.ndim - 1] as number
  const batch = a.shape.slice(0, -2)
  const v = lax.add(trilOp(a, -1), lax.broadcastTo(eyeRect(m, n, a), a.shape))
  const col = (j: number): NdArray =>
    lax.slice(v, [...batch.map(() => 0), 0, j], [...batch, m, j + 1], [...batch.map(() => 1), 1, 1])
  const tauJ = (j: number): NdArray =>
    lax.reshape(lax.slice(tau, [...batch.map(() => 0), j], [...batch, j + 1], [...batch.map(() => 1), 1]), [
      ...batch,
      1,
      1,
    ])
  let out = c
  // Q·C = H₀(H₁(…H_{k−1}·C)); Qᵀ·C = H_{k−1}(…H₀·C)
  for (let i = 0; i < k; i++) {
    const j = transpose ? i : k - 1 - i
    const vj = col(j)
    out = lax.sub(out, lax.mul(tauJ(j), matmul(vj, matmul(swapLast(vj), out))))
  }
  return out
}

/** The m×n identity (ones on the main diagonal) in `like`'s dtype. */
const eyeRect = (m: number, n: number, like: NdArray): NdArray =>
  lax.slice(eyeOp(Math.max(m, n), like.dtype), [0, 0], [m, n], [1, 1])

const checkHouseholder = (opName: string, A: Tensor, tau: Tensor): void => {
  if (A.dim() < 2) throw new RuntimeError(`${opName}: input must have at least 2 dimensions.`)
  const [m, n] = [A.shape[A.dim() - 2] as number, A.shape[A.dim() - 1] as number]
  if (m < n) throw new RuntimeError(`${opName}: input.shape[-2] must be greater than or equal to input.shape[-1]`)
  if ((tau.shape[tau.dim() - 1] ?? 1) > n)
    throw new RuntimeError(`${opName}: input.shape[-1] must be greater than or equal to tau.shape[-1]`)
  if (tau.dim() !== A.dim() - 1)
    throw new RuntimeError(
      `${opName}: Expected tau to have one dimension less than input, but got tau.ndim equal to ${tau.dim()} and input.ndim is equal to ${A.dim()}`,
    )
}

/**
 * `torch.linalg.householder_product(A, tau)`: the first n columns of H₀·…·H_{k−1} from
 * {@link geqrf}'s reflectors (`LinalgHouseholderProductBackward0`; differentiable in A's
 * reflectors and tau).
 * @example
 * import * as torch from 'wengert/torch'
 * const { a, tau } = torch.geqrf(torch.tensor([[3, 1], [4, 2]], { dtype: torch.float64 }))
 * const Q = torch.linalg.householder_product(a, tau)
 * assert.ok(Q.t().matmul(Q).sub(torch.eye(2, { dtype: torch.float64 })).abs().max().item() < 1e-12)
 * @category torch @since 0.2.0
 */
export const householder_product = linalgEntry(
  'householder_product',
  (A: Tensor, tau: Tensor, ...args: PyArgs<[], { readonly out?: unknown }>): Tensor => {
    noOut('linalg.householder_product', parseArgs('householder_product', args, ['out'], 0))
    checkHouseholder('torch.linalg.householder_product', A, tau)
    const [m, n] = [A.shape[A.dim() - 2] as number, A.shape[A.dim() - 1] as number]
    const out = op('LinalgHouseholderProductBackward0', [A, tau], (a, t) =>
      applyReflectors(a, t, lax.broadcastTo(eyeRect(m, n, a), a.shape), false),
    )
    return colMajorResult(reflectorGradVersions(out, tau))
  },
)

/**
 * Gives the reflectors' and tau's gradients the versions of PyTorch's
 * `householder_product_backward` (FunctionsManual.cpp, 1.13 and 2.x alike; also ormqr's for its
 * first two inputs): `zeros_like` results whose k columns are written by `select(-1, i).copy_`
 * one by one, then the reflectors' `tril_(-1)`, so versions k + 1 and k for k = tau.shape[-1]
 * (test/torch/fixtures/lapack_layout.py). With no reflector PyTorch returns no gradient at all;
 * the versions are then left alone. Returns `out`.
 */
const reflectorGradVersions = (out: Tensor, tau: Tensor): Tensor => {
  const k = tau.shape[tau.dim() - 1] ?? 1
  if (out._gradFn !== null && k > 0 && tau.numel() > 0) out._gradFn._gradVersions = [k + 1, k]
  return out
}

/**
 * `torch.orgqr(input, tau)`: {@link householder_product} (PyTorch's alias).
 * @example
 * import * as torch from 'wengert/torch'
 * const { a, tau } = torch.geqrf(torch.eye(2, { dtype: torch.float64 }))
 * assert.strictEqual(torch.orgqr(a, tau).grad_fn, null)
 * @category torch @since 0.2.0
 */
export const orgqr = (input: Tensor, tau: Tensor, ...args: PyArgs<[], { readonly out?: unknown }>): Tensor => {
  requireTensorArgs('orgqr', ['input', 'input2'], [input, tau])
  return householder_product(input, tau, ...args)
}

/** Keyword arguments of {@link ormqr}. @category torch @since 0.2.0 */
export interface OrmqrKw {
  /** Q·C (true) or C·Q (false). @defaultValue true */
  readonly left?: boolean
  /** Use Qᵀ. @defaultValue false */
  readonly transpose?: boolean
  /** Not supported. */
  readonly out?: unknown
}

const checkOrmqr = (A: Tensor, tau: Tensor, C: Tensor, left: boolean): void => {
  if (A.dim() < 2) throw new RuntimeError('torch.ormqr: input must have at least 2 dimensions.')
  if (C.dim() < 2) throw new RuntimeError('torch.ormqr: other must have at least 2 dimensions.')
  const m = A.shape[A.dim() - 2] as number
  const k = tau.shape[tau.dim() - 1] ?? 1
  const [r, c] = [C.shape[C.dim() - 2] as number, C.shape[C.dim() - 1] as number]
  const side = left ? -2 : -1
  if ((left ? r : c) < k)
    throw new RuntimeError(`torch.ormqr: other.shape[${side}] must be greater than or equal to tau.shape[-1]`)
  if ((left ? r : c) !== m) throw new RuntimeError(`torch.ormqr: other.shape[${side}] must be equal to input.shape[-2]`)
  if (k > (A.shape[A.dim() - 1] as number))
    throw new RuntimeError('torch.ormqr: tau.shape[-1] must be less than or equal to input.shape[-1]')
}

/**
 * `torch.ormqr(input, tau, other, left=True, transpose=False)`: `other` multiplied by the Q of
 * {@link geqrf}'s reflectors without forming it (`OrmqrBackward0`): Q·C, Qᵀ·C, C·Q or C·Qᵀ.
 * @example
 * import * as torch from 'wengert/torch'
 * const A = torch.tensor([[3, 1], [4, 2]], { dtype: torch.float64 })
 * const { a, tau } = torch.geqrf(A)
 * const C = torch.eye(2, { dtype: torch.float64 })
 * const Q = torch.linalg.householder_product(a, tau)
 * assert.ok(torch.ormqr(a, tau, C, { transpose: true }).sub(Q.t()).abs().max().item() < 1e-12)
 * @category torch @since 0.2.0
 */
export const ormqr = (
  input: Tensor,
  tau: Tensor,
  other: Tensor,
  ...args: PyArgs<[boolean, boolean], OrmqrKw>
): Tensor => {
  requireTensorArgs('ormqr', ['input', 'input2', 'input3'], [input, tau, other])
  const o = parseArgs('ormqr', args, ['left', 'transpose', 'out'], 2) as OrmqrKw
  noOut('ormqr', o)
  const left = o.left ?? true
  const transpose = o.transpose ?? false
  checkOrmqr(input, tau, other, left)
  const out = op('OrmqrBackward0', [input, tau, other], (a, t, c) => {
    const batch = broadcastShapes('ormqr', a.shape.slice(0, -2), c.shape.slice(0, -2))
    const ab = lax.broadcastTo(a, [...batch, ...a.shape.slice(-2)])
    const tb = lax.broadcastTo(t, [...batch, t.shape[t.ndim - 1] as number])
    const cb = lax.broadcastTo(c, [...batch, ...c.shape.slice(-2)])
    // C·Q = (Qᵀ·Cᵀ)ᵀ
    return left ? applyReflectors(ab, tb, cb, transpose) : swapLast(applyReflectors(ab, tb, swapLast(cb), !transpose))
  })
  // other's gradient is an ormqr of the incoming one: column-major, as the result
  markSolverGrads(reflectorGradVersions(out, tau), [false, false, sameShape(other, out)])
  return colMajorResult(out)
}
