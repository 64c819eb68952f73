/**
 * More of `torch.linalg`: `solve_triangular` (on the `triangular_solve` primitive), the `_ex`
 * forms `cholesky_ex` and `inv_ex` (failures reported in an int32 `info` instead of raised),
 * `vecdot`, and `eig`/`eigvals`, which raise a typed not-supported error (their results are
 * complex and the facade has no complex dtype). Node names, named tuples and error texts as
 * PyTorch 1.13 (test/torch/linalgSolveEx.test.ts, fixtures/linalg_solve_ex.py).
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../core/lax'
import { checkOptions } from '../internal/options'
import { cholesky as choleskyKernel } from '../ndarray/kernels/linalg/cholesky'
import { lu as luKernel } from '../ndarray/kernels/linalg/lu'
import { broadcastShapes } from '../ndarray/shape'
import * as L from '../ops/linalg/index'
import { op } from './autograd/op'
import { NotImplementedError, RuntimeError, TorchTypeError } from './errors'
import type { Tensor } from './install'
import { batchPrefix, checkSquare, firstFailure, INV_OPTS, LinAlgError, noOut } from './linalg'
import { checkFloatInput } from './linalgDecompositions'
import { namedTuple } from './linalgLu'
import { markNotSupported } from './notSupported'
import { Tensor as TensorClass } from './tensor'
import { linalgEntry } from './namespaceSignatures'
import { colMajorResult, markRhsGrad, markSolverGrads } from './autograd/solverLayout'

// -------------------------------------------------------------------------------------
// solve_triangular
// -------------------------------------------------------------------------------------

/** Keyword arguments of {@link solve_triangular}. @category torch @since 0.2.0 */
export interface SolveTriangularKw {
  /** Read A's upper triangle (true) or its lower one (false); required, as in PyTorch. */
  readonly upper: boolean
  /** Solve A·X = B (true) or X·A = B (false). @defaultValue true */
  readonly left?: boolean
  /** Take A's diagonal as ones (it is not read). @defaultValue false */
  readonly unitriangular?: boolean
  /** Not supported. */
  readonly out?: unknown
}

const checkTriangularShapes = (A: Tensor, B: Tensor, left: boolean): void => {
  if (A.dim() < 2)
    throw new RuntimeError('linalg.solve_triangular: The input tensor A must have at least 2 dimensions.')
  if (B.dim() < 2)
    throw new RuntimeError('linalg.solve_triangular: The input tensor B must have at least 2 dimensions.')
  checkSquare('linalg.solve_triangular', A)
  if (!A.dtype.is_floating_point) throw new RuntimeError(`"triangular_solve_cpu" not implemented for '${A.dtype.word}'`)
  const n = A.shape[A.dim() - 1] as number
  const [r, c] = [B.shape[B.dim() - 2] as number, B.shape[B.dim() - 1] as number]
  if ((left ? r : c) !== n)
    throw new RuntimeError(
      `linalg.solve_triangular: Incompatible shapes of A and B for the equation ${left ? 'AX = B' : 'XA = B'} (${n}x${n} and ${r}x${c})`,
    )
}

/**
 * X with A·X = B (`left`) or X·A = B for triangular A (`LinalgSolveTriangularBackward0`;
 * differentiable in A — its read triangle — and B). Only the `upper` or lower triangle of A is
 * read, and not its diagonal when `unitriangular`; batch axes broadcast. A zero on the diagonal
 * gives infinities or NaN (no error, as PyTorch).
 * @example
 * import * as torch from 'wengert/torch'
 * const a = torch.tensor([[2, 1], [0, 4]], { dtype: torch.float64, requires_grad: true })
 * const x = torch.linalg.solve_triangular(a, torch.tensor([[4], [8]], { dtype: torch.float64 }), { upper: true })
 * assert.deepStrictEqual(x.tolist(), [[1], [2]])
 * assert.strictEqual(x.grad_fn?.name(), 'LinalgSolveTriangularBackward0')
 * @category torch @since 0.2.0
 */
export const solve_triangular = linalgEntry(
  'solve_triangular',
  (A: Tensor, B: Tensor, kw?: SolveTriangularKw): Tensor => {
    const o = checkOptions('linalg.solve_triangular', kw, ['upper', 'left', 'unitriangular', 'out'])
    noOut('linalg.solve_triangular', o)
    if (typeof o.upper !== 'boolean')
      throw new TorchTypeError('linalg_solve_triangular() missing 1 required positional arguments: "upper"')
    const left = o.left ?? true
    checkTriangularShapes(A, B, left)
    const params = { leftSide: left, lower: !o.upper, transposeA: false, unitDiagonal: o.unitriangular ?? false }
    const out = op(
      'LinalgSolveTriangularBackward0',
      [A, B],
      (a, b) => {
        const batch = broadcastShapes('linalg.solve_triangular', a.shape.slice(0, -2), b.shape.slice(0, -2))
        const x = lax.broadcastTo(a, [...batch, ...a.shape.slice(-2)])
        return lax.triangularSolve(x, lax.broadcastTo(b, [...batch, ...b.shape.slice(-2)]), params)
        // PyTorch's node saves A and the solution (a second backward raises once they are freed)
      },
      { saves: [0], savesOutput: true },
    )
    markRhsGrad(colMajorResult(out), B, true)
    return out
  },
)

// -------------------------------------------------------------------------------------
// cholesky_ex, inv_ex
// -------------------------------------------------------------------------------------

/** PyTorch's `torch.return_types.linalg_cholesky_ex`. @category torch @since 0.2.0 */
export type CholeskyExResult = [Tensor, Tensor] & { readonly L: Tensor; readonly info: Tensor }
/** PyTorch's `torch.return_types.linalg_inv_ex`. @category torch @since 0.2.0 */
export type InvExResult = [Tensor, Tensor] & { readonly inverse: Tensor; readonly info: Tensor }

/**
 * Cholesky factor and `info` (`LinalgCholeskyExBackward0`): info is int32, 0 or the order of
 * the first leading minor that is not positive definite; a failure raises PyTorch's
 * LinAlgError only when `check_errors`. NOTE: where the factorisation fails the factor is NaN
 * (LAPACK, and so PyTorch, leave a partial factor there).
 * @example
 * import * as torch from 'wengert/torch'
 * const { L, info } = torch.linalg.cholesky_ex(torch.tensor([[4, 2], [2, 5]], { dtype: torch.float64 }))
 * assert.deepStrictEqual([L.tolist(), info.item(), info.dtype], [[[2, 0], [1, 2]], 0, torch.int32])
 * assert.strictEqual(torch.linalg.cholesky_ex(torch.tensor([[1, 2], [2, 1]])).info.item(), 2)
 * @category torch @since 0.2.0
 */
export const cholesky_ex = linalgEntry(
  'cholesky_ex',
  (
    A: Tensor,
    kw?: { readonly upper?: boolean; readonly check_errors?: boolean; readonly out?: unknown },
  ): CholeskyExResult => {
    const o = checkOptions('linalg.cholesky_ex', kw, ['upper', 'check_errors', 'out'])
    noOut('linalg.cholesky_ex', o)
    checkSquare('linalg.cholesky', A)
    checkFloatInput('linalg.cholesky', A)
    const info = TensorClass._fromValue(choleskyKernel(A._value()).info)
    const fail = firstFailure(info._value())
    if (fail !== undefined && o.check_errors === true)
      throw new LinAlgError(
        `linalg.cholesky_ex: ${batchPrefix(A, fail.at)}The factorization could not be completed because the input is not positive-definite (the leading minor of order ${fail.code} is not positive-definite).`,
      )
    const l = colMajorResult(op('LinalgCholeskyExBackward0', [A], (x) => L.cholesky(x, { upper: o.upper ?? false })))
    markSolverGrads(l, [true])
    return namedTuple({ L: l, info }) as CholeskyExResult
  },
)

/**
 * Inverse and `info` (`LinalgInvExBackward0`): info is int32, 0 or the 1-based index of the
 * first zero pivot of A's LU factorisation; a singular A raises PyTorch's LinAlgError only when
 * `check_errors`.
 * @example
 * import * as torch from 'wengert/torch'
 * const { inverse, info } = torch.linalg.inv_ex(torch.tensor([[2, 0], [0, 4]], { dtype: torch.float64 }))
 * assert.deepStrictEqual([inverse.tolist(), info.item()], [[[0.5, 0], [0, 0.25]], 0])
 * assert.strictEqual(torch.linalg.inv_ex(torch.tensor([[1, 2], [2, 4]])).info.item(), 2)
 * @category torch @since 0.2.0
 */
export const inv_ex = linalgEntry(
  'inv_ex',
  (A: Tensor, kw?: { readonly check_errors?: boolean; readonly out?: unknown }): InvExResult => {
    const o = checkOptions('linalg.inv_ex', kw, ['check_errors', 'out'])
    noOut('linalg.inv_ex', o)
    checkSquare('linalg.inv', A)
    checkFloatInput('linalg.inv', A)
    const info = TensorClass._fromValue(luKernel(A._value()).info)
    const fail = firstFailure(info._value())
    if (fail !== undefined && o.check_errors === true)
      throw new LinAlgError(
        `linalg.inv_ex: ${batchPrefix(A, fail.at)}The diagonal element ${fail.code} is zero, the inversion could not be completed because the input matrix is singular.`,
      )
    const inverse = colMajorResult(op('LinalgInvExBackward0', [A], (x) => L.inv(x), INV_OPTS))
    return namedTuple({ inverse, info }) as InvExResult
  },
)

// -------------------------------------------------------------------------------------
// vecdot
// -------------------------------------------------------------------------------------

/**
 * Dot product of x and y along `dim` (broadcasting the other axes). As in PyTorch 1.13 it is a
 * composite: `vdot` for two vectors (`VdotBackward0`), else `sum(conj(x)·y, dim)` (nodes
 * `MulBackward0` then `SumBackward1`; conj is the identity on real tensors).
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.tensor([[1, 2], [3, 4]], { dtype: torch.float64 })
 * assert.deepStrictEqual(torch.linalg.vecdot(x, torch.tensor([1, 1], { dtype: torch.float64 })).tolist(), [3, 7])
 * assert.deepStrictEqual(torch.linalg.vecdot(x, x, { dim: 0 }).tolist(), [10, 20])
 * @category torch @since 0.2.0
 */
export const vecdot = linalgEntry(
  'vecdot',
  (x: Tensor, y: Tensor, kw?: { readonly dim?: number; readonly out?: unknown }): Tensor => {
    const o = checkOptions('linalg.vecdot', kw, ['dim', 'out'])
    noOut('linalg.vecdot', o)
    if (x.dtype !== y.dtype)
      throw new RuntimeError(
        `linalg.vecdot: Expected x and y to have the same dtype, but found x of type ${x.dtype.word} and y of type ${y.dtype.word} instead`,
      )
    checkFloatInput('linalg.vecdot', x)
    const dim = o.dim ?? -1
    return x.dim() === 1 && y.dim() === 1 && (dim === 0 || dim === -1) ? x.vdot(y) : x.mul(y).sum(dim)
  },
)

// -------------------------------------------------------------------------------------
// eig, eigvals
// -------------------------------------------------------------------------------------

const complexResult = (name: string): NotImplementedError =>
  new NotImplementedError(
    `linalg.${name}: not supported: its results are complex and the facade has no complex dtype; for a symmetric matrix use torch.linalg.${name === 'eig' ? 'eigh' : 'eigvalsh'}`,
  )

/**
 * Not supported: PyTorch's `linalg.eig` returns complex eigenvalues and eigenvectors and the
 * facade has no complex dtype. Raises a NotImplementedError; `linalg.eigh` covers symmetric A.
 * @example
 * import * as torch from 'wengert/torch'
 * assert.throws(() => torch.linalg.eig(torch.eye(2)), /linalg\.eig: not supported.*eigh/)
 * @category torch @since 0.2.0
 */
export const eig: (A: Tensor) => never = markNotSupported(
  linalgEntry('eig', (A: Tensor): never => {
    void A
    throw complexResult('eig')
  }),
)

/**
 * Not supported: PyTorch's `linalg.eigvals` returns complex eigenvalues and the facade has no
 * complex dtype. Raises a NotImplementedError; `linalg.eigvalsh` covers symmetric A.
 * @example
 * import * as torch from 'wengert/torch'
 * assert.throws(() => torch.linalg.eigvals(torch.eye(2)), /linalg\.eigvals: not supported.*eigvalsh/)
 * @category torch @since 0.2.0
 */
export const eigvals: (A: Tensor) => never = markNotSupported(
  linalgEntry('eigvals', (A: Tensor): never => {
    void A
    throw complexResult('eigvals')
  }),
)
