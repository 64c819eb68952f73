/**
 * The older linear-algebra forms of `torch` that ported programs still call: `cholesky_solve`,
 * `cholesky_inverse`, `triangular_solve` (its `(solution, cloned_coefficient)` named tuple),
 * `qr(A, some)`, `lu(A, pivot, get_infos)`, `lu_solve(b, LU_data, LU_pivots)`, the norms
 * `frobenius_norm`/`nuclear_norm`, and the functions PyTorch 2.x removed (`symeig`, `eig`,
 * `solve`, `lstsq`, `matrix_rank`), which raise its RuntimeError naming the replacement. Built on
 * the `torch.linalg` functions; node names, values, gradients and errors as PyTorch
 * (test/torch/linalgLegacy.test.ts, fixtures/linalg_legacy.py).
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../core/lax'
import type { NdArray } from '../ndarray/NdArray'
import { broadcastShapes } from '../ndarray/shape'
import { swapLast } from '../ops/linalg/common'
import * as L from '../ops/linalg/index'
import { matmul } from '../ops/linalg'
import { tril as trilOp, triu as triuOp } from '../ops/linalg/matrix'
import { op, opMulti } from './autograd/op'
import { colMajorResult, markSolverGrads, sameShape } from './autograd/solverLayout'
import { RuntimeError } from './errors'
import type { Tensor } from './install'
import { parseArgs, type PyArgs } from './kwargs'
import { checkSquare, noOut } from './linalg'
import { qr as linalgQr, type QrResult } from './linalgDecompositions'
import { lu_factor_ex, lu_solve as linalgLuSolve, namedTuple } from './linalgLu'
import { vectorNormOp } from './linalgNorm'
import { svdvals } from './linalg'
import { requirePyTensorArgs, requireTensorArgs, signature } from './pyTypeName'

// -------------------------------------------------------------------------------------
// cholesky_solve, cholesky_inverse
// -------------------------------------------------------------------------------------

/** Keyword arguments of {@link cholesky_solve} and {@link cholesky_inverse}. @category torch @since 0.2.0 */
export interface CholeskyKw {
  /** The factor is upper triangular (A = Uᵀ·U) rather than lower (A = L·Lᵀ). @defaultValue false */
  readonly upper?: boolean
  /** Not supported. */
  readonly out?: unknown
}

/**
 * A = F·Fᵀ (lower) or Fᵀ·F (upper) from the factor's read triangle, with the gradient of the
 * whole factor (PyTorch's formulas differentiate the product of the full factor).
 */
const gramOfFactor = (f: NdArray, upper: boolean): NdArray => {
  const other = upper ? trilOp(f, -1) : triuOp(f, 1)
  const tri = lax.sub(f, lax.stopGradient(other))
  return upper ? matmul(swapLast(tri), tri) : matmul(tri, swapLast(tri))
}

const checkFactor = (opName: string, f: Tensor): void => {
  if (f.dim() < 2) throw new RuntimeError(`${opName}: The input tensor A must have at least 2 dimensions.`)
  checkSquare(opName, f)
  if (!f.dtype.is_floating_point) throw new RuntimeError(`"${opName}_out_cpu" not implemented for '${f.dtype.word}'`)
}

/**
 * `torch.cholesky_solve(B, L, upper=False)`: X with A·X = B, A = L·Lᵀ given by its Cholesky
 * factor (`CholeskySolveBackward0`; differentiable in B and L). Batch axes broadcast.
 * @example
 * import * as torch from 'wengert/torch'
 * const L = torch.tensor([[2, 0], [1, 2]], { dtype: torch.float64 })
 * const x = torch.cholesky_solve(torch.tensor([[4], [7]], { dtype: torch.float64 }), L)
 * assert.deepStrictEqual(x.tolist(), [[0.375], [1.25]])
 * @category torch @since 0.2.0
 */
export const cholesky_solve = (B: Tensor, L_: Tensor, ...args: PyArgs<[boolean], CholeskyKw>): Tensor => {
  requireTensorArgs('cholesky_solve', ['input', 'input2'], [B, L_])
  const o = parseArgs('cholesky_solve', args, ['upper', 'out'], 1) as CholeskyKw
  noOut('cholesky_solve', o)
  if (B.dim() < 2) throw new RuntimeError(`b should have at least 2 dimensions, but has ${B.dim()} dimensions instead`)
  if (L_.dim() < 2)
    throw new RuntimeError(`u should have at least 2 dimensions, but has ${L_.dim()} dimensions instead`)
  checkSquare('cholesky_solve', L_)
  if (B.dtype !== L_.dtype)
    throw new RuntimeError(
      `Expected b and A to have the same dtype, but found b of type ${B.dtype.word} and A of type ${L_.dtype.word} instead.`,
    )
  const n = L_.shape[L_.dim() - 1] as number
  if (B.shape[B.dim() - 2] !== n)
    throw new RuntimeError(
      `Incompatible matrix sizes for cholesky_solve: each A matrix is ${n} by ${n} but each b matrix is ${B.shape[B.dim() - 2]} by ${B.shape[B.dim() - 1]}`,
    )
  const upper = o.upper ?? false
  const out = op('CholeskySolveBackward0', [B, L_], (b, f) => {
    const batch = broadcastShapes('cholesky_solve', b.shape.slice(0, -2), f.shape.slice(0, -2))
    const a = gramOfFactor(lax.broadcastTo(f, [...batch, n, n]), upper)
    return L.solve(a, lax.broadcastTo(b, [...batch, ...b.shape.slice(-2)]))
  })
  // the solution is column-major; B's gradient is a cholesky_solve of the incoming one
  markSolverGrads(colMajorResult(out), [sameShape(B, out), false])
  return out
}

/**
 * `torch.cholesky_inverse(L, upper=False)`: the inverse of A = L·Lᵀ (or Uᵀ·U) from its Cholesky
 * factor (`CholeskyInverseBackward0`).
 * @example
 * import * as torch from 'wengert/torch'
 * const L = torch.tensor([[2, 0], [0, 4]], { dtype: torch.float64, requires_grad: true })
 * const inv = torch.cholesky_inverse(L)
 * assert.deepStrictEqual(inv.tolist(), [[0.25, 0], [0, 0.0625]])
 * assert.strictEqual(inv.grad_fn?.name(), 'CholeskyInverseBackward0')
 * @category torch @since 0.2.0
 */
export const cholesky_inverse = (L_: Tensor, ...args: PyArgs<[boolean], CholeskyKw>): Tensor => {
  requireTensorArgs('cholesky_inverse', ['input'], [L_])
  const o = parseArgs('cholesky_inverse', args, ['upper', 'out'], 1) as CholeskyKw
  noOut('cholesky_inverse', o)
  checkFactor('cholesky_inverse', L_)
  const upper = o.upper ?? false
  return colMajorResult(op('CholeskyInverseBackward0', [L_], (f) => L.inv(gramOfFactor(f, upper))))
}

// -------------------------------------------------------------------------------------
// triangular_solve
// -------------------------------------------------------------------------------------

/** PyTorch's `torch.return_types.triangular_solve`. @category torch @since 0.2.0 */
export type TriangularSolveResult = [Tensor, Tensor] & {
  readonly solution: Tensor
  readonly cloned_coefficient: Tensor
}

/** Keyword arguments of {@link triangular_solve}. @category torch @since 0.2.0 */
export interface TriangularSolveKw {
  /** A is upper triangular. @defaultValue true */
  readonly upper?: boolean
  /** Solve Aᵀ·X = b. @defaultValue false */
  readonly transpose?: boolean
  /** A's diagonal is taken as ones (not read). @defaultValue false */
  readonly unitriangular?: boolean
  /** Not supported. */
  readonly out?: unknown
}

const checkTriangular = (b: Tensor, A: Tensor): void => {
  if (b.dim() < 2)
    throw new RuntimeError(
      `torch.triangular_solve: Expected b to have at least 2 dimensions, but it has ${b.dim()} dimensions instead`,
    )
  if (A.dim() < 2)
    throw new RuntimeError(
      `torch.triangular_solve: Expected A to have at least 2 dimensions, but it has ${A.dim()} dimensions instead`,
    )
  const [ra, ca] = [A.shape[A.dim() - 2] as number, A.shape[A.dim() - 1] as number]
  if (ra !== ca) throw new RuntimeError(`A must be batches of square matrices, but they are ${ra} by ${ca} matrices`)
  const n = A.shape[A.dim() - 1] as number
  if (b.shape[b.dim() - 2] !== n)
    throw new RuntimeError(
      `Incompatible matrix sizes for triangular_solve: each A matrix is ${n} by ${n} but each b matrix is ${b.shape[b.dim() - 2]} by ${b.shape[b.dim() - 1]}`,
    )
}

/**
 * `torch.triangular_solve(b, A, upper=True, transpose=False, unitriangular=False)` (deprecated in
 * PyTorch for `linalg.solve_triangular`): X with A·X = b (Aᵀ·X = b when `transpose`) for
 * triangular A, and a copy of A; both from one `TriangularSolveBackward0` node.
 * @example
 * import * as torch from 'wengert/torch'
 * const A = torch.tensor([[2, 1], [0, 4]], { dtype: torch.float64 })
 * const { solution, cloned_coefficient } = torch.triangular_solve(torch.tensor([[4], [8]], { dtype: torch.float64 }), A)
 * assert.deepStrictEqual(solution.tolist(), [[1], [2]])
 * assert.deepStrictEqual(cloned_coefficient.tolist(), A.tolist())
 * @category torch @since 0.2.0
 */
export const triangular_solve = (
  b: Tensor,
  A: Tensor,
  ...args: PyArgs<[boolean, boolean, boolean], TriangularSolveKw>
): TriangularSolveResult => {
  requireTensorArgs('triangular_solve', ['input', 'A'], [b, A])
  const o = parseArgs('triangular_solve', args, ['upper', 'transpose', 'unitriangular', 'out'], 3) as TriangularSolveKw
  noOut('triangular_solve', o)
  checkTriangular(b, A)
  const params = {
    leftSide: true,
    lower: !(o.upper ?? true),
    transposeA: o.transpose ?? false,
    unitDiagonal: o.unitriangular ?? false,
  }
  const [solution, cloned] = opMulti('TriangularSolveBackward0', [b, A], (bv, a) => {
    const batch = broadcastShapes('triangular_solve', bv.shape.slice(0, -2), a.shape.slice(0, -2))
    const ab = lax.broadcastTo(a, [...batch, ...a.shape.slice(-2)])
    return [lax.triangularSolve(ab, lax.broadcastTo(bv, [...batch, ...bv.shape.slice(-2)]), params), ab]
  }) as [Tensor, Tensor]
  // both are column-major; b's gradient is a triangular solve of the incoming one
  markSolverGrads(colMajorResult(solution), [sameShape(b, solution), false])
  return namedTuple({ solution, cloned_coefficient: colMajorResult(cloned) }) as TriangularSolveResult
}

// -------------------------------------------------------------------------------------
// qr, lu, lu_solve
// -------------------------------------------------------------------------------------

/**
 * `torch.qr(A, some=True)` (deprecated in PyTorch for `linalg.qr`): `linalg.qr` in mode
 * `'reduced'` (`some`) or `'complete'`, as the named tuple `(Q, R)` (`LinalgQrBackward0`).
 * @example
 * import * as torch from 'wengert/torch'
 * const { Q, R } = torch.qr(torch.tensor([[3, 1], [4, 2]], { dtype: torch.float64 }))
 * assert.ok(Q.matmul(R).sub(torch.tensor([[3, 1], [4, 2]], { dtype: torch.float64 })).abs().max().item() < 1e-12)
 * @category torch @since 0.2.0
 */
export const qr = (
  A: Tensor,
  ...args: PyArgs<[boolean], { readonly some?: boolean; readonly out?: unknown }>
): QrResult => {
  requireTensorArgs('qr', ['input'], [A])
  const o = parseArgs('qr', args, ['some', 'out'], 1) as { readonly some?: boolean; readonly out?: unknown }
  noOut('qr', o)
  return linalgQr(A, o.some === false ? 'complete' : 'reduced')
}

/** Keyword arguments of {@link lu}. @category torch @since 0.2.0 */
export interface TorchLuKw {
  /** Partial pivoting; false is not implemented on the CPU (PyTorch's error). @defaultValue true */
  readonly pivot?: boolean
  /** Also return the int32 `infos` (and do not raise on a singular matrix). @defaultValue false */
  readonly get_infos?: boolean
  /** Not supported. */
  readonly out?: unknown
}

/**
 * `torch.lu(A, pivot=True, get_infos=False)` (deprecated in PyTorch for `linalg.lu_factor`):
 * the tuple `(A_LU, pivots)`, or `(A_LU, pivots, infos)` with `get_infos`; a singular matrix
 * does not raise, as in PyTorch (`LinalgLuFactorExBackward0`; 1-based int32 pivots).
 * @example
 * import * as torch from 'wengert/torch'
 * const [LU, pivots] = torch.lu(torch.tensor([[1, 2], [3, 4]], { dtype: torch.float64 }))
 * assert.deepStrictEqual(pivots.tolist(), [2, 2])
 * assert.strictEqual(torch.lu(torch.ones(2, 2), { get_infos: true })[2]?.item(), 2)
 * @category torch @since 0.2.0
 */
export const lu = (A: Tensor, ...args: PyArgs<[boolean, boolean], TorchLuKw>): Tensor[] => {
  requirePyTensorArgs('lu', ['A'], [A])
  const o = parseArgs('lu', args, ['pivot', 'get_infos', 'out'], 2) as TorchLuKw
  noOut('lu', o)
  // NOTE: PyTorch's _lu_with_info ignores check_errors: a singular matrix never raises
  const r = lu_factor_ex(A, { pivot: o.pivot ?? true })
  return o.get_infos === true ? [r.LU, r.pivots, r.info] : [r.LU, r.pivots]
}

/**
 * `torch.lu_solve(b, LU_data, LU_pivots)` (deprecated in PyTorch for `linalg.lu_solve`, whose
 * arguments are reversed): X with A·X = b from {@link lu}'s factors (`LinalgLuSolveBackward0`).
 * @example
 * import * as torch from 'wengert/torch'
 * const A = torch.tensor([[1, 2], [3, 4]], { dtype: torch.float64 })
 * const [LU, piv] = torch.lu(A)
 * const x = torch.lu_solve(torch.tensor([[5], [11]], { dtype: torch.float64 }), LU as torch.Tensor, piv as torch.Tensor)
 * assert.ok(A.matmul(x).sub(torch.tensor([[5], [11]], { dtype: torch.float64 })).abs().max().item() < 1e-12)
 * @category torch @since 0.2.0
 */
export const lu_solve = (
  b: Tensor,
  LU_data: Tensor,
  LU_pivots: Tensor,
  ...args: PyArgs<[], { readonly out?: unknown }>
): Tensor => {
  const o = parseArgs('lu_solve', args, ['out'], 0) as { readonly out?: unknown }
  noOut('lu_solve', o)
  return linalgLuSolve(LU_data, LU_pivots, b)
}

// -------------------------------------------------------------------------------------
// frobenius_norm, nuclear_norm
// -------------------------------------------------------------------------------------

/** Keyword arguments of `torch.frobenius_norm` and `torch.nuclear_norm`. @category torch @since 0.2.0 */
export interface LegacyNormKw {
  /** The axes (frobenius_norm: at most 2; nuclear_norm: exactly 2). */
  readonly dim?: number | ReadonlyArray<number>
  /** Keep the reduced axes as size 1. @defaultValue false */
  readonly keepdim?: boolean
  /** Not supported. */
  readonly out?: unknown
}

// the argument check of torch.frobenius_norm (PyTorch 1.13 also takes no dim: all of them)
const FROBENIUS_NORM = signature(
  'frobenius_norm',
  '(Tensor input, tuple of ints dim = None, bool keepdim = False, *, Tensor out = None)',
)

/**
 * `torch.frobenius_norm(input, dim, keepdim=False)`: the 2-norm over at most two axes, computed
 * as PyTorch 2.x does (`at::norm(input, 2, dim, keepdim)`: one `NormBackward1` node). `dim`
 * omitted reduces every axis (PyTorch 1.13's overload without `dim`).
 * @example
 * import * as torch from 'wengert/torch'
 * const a = torch.tensor([[3, 0], [0, 4]], { dtype: torch.float64, requires_grad: true })
 * assert.strictEqual(torch.frobenius_norm(a, [0, 1]).item(), 5)
 * assert.deepStrictEqual(torch.frobenius_norm(a, 1, true).tolist(), [[3], [4]])
 * @category torch @since 0.2.0
 */
export const frobenius_norm = (
  input: Tensor,
  ...args: PyArgs<[number | ReadonlyArray<number>, boolean], LegacyNormKw>
): Tensor => {
  requireTensorArgs('frobenius_norm', ['input'], [input])
  FROBENIUS_NORM([input, ...args])
  const o = parseArgs('frobenius_norm', args, ['dim', 'keepdim', 'out'], 2) as LegacyNormKw
  noOut('frobenius_norm', o)
  const dim = o.dim === undefined ? input.shape.map((_, i) => i) : typeof o.dim === 'number' ? [o.dim] : [...o.dim]
  if (dim.length > 2) throw new RuntimeError(`Expected at most 2 dimensions, but got ${dim.length} dimensions instead.`)
  return vectorNormOp('NormBackward1', 'frobenius_norm', input, 2, dim, o.keepdim ?? false)
}

/**
 * `torch.nuclear_norm(input, keepdim=False)` of a matrix, or `nuclear_norm(input, dim,
 * keepdim=False)` over two axes: the sum of the singular values, as PyTorch's
 * `linalg.matrix_norm(…, 'nuc')` builds it (last node `SumBackward1`, or `PermuteBackward0`
 * with `keepdim`).
 * @example
 * import * as torch from 'wengert/torch'
 * const a = torch.tensor([[3, 0], [0, -4]], { dtype: torch.float64, requires_grad: true })
 * assert.strictEqual(torch.nuclear_norm(a).item(), 7)
 * assert.strictEqual(torch.nuclear_norm(a).grad_fn?.name(), 'SumBackward1')
 * @category torch @since 0.2.0
 */
export function nuclear_norm(input: Tensor, keepdim?: boolean | LegacyNormKw): Tensor
export function nuclear_norm(
  input: Tensor,
  dim: ReadonlyArray<number>,
  keepdim?: boolean | Omit<LegacyNormKw, 'dim'>,
): Tensor
export function nuclear_norm(input: Tensor, ...args: unknown[]): Tensor {
  requireTensorArgs('nuclear_norm', ['input'], [input])
  const withDim = Array.isArray(args[0])
  const o = (
    withDim
      ? parseArgs('nuclear_norm', args, ['dim', 'keepdim', 'out'], 2)
      : parseArgs('nuclear_norm', args, ['keepdim', 'dim', 'out'], 1)
  ) as LegacyNormKw
  noOut('nuclear_norm', o)
  if (o.dim === undefined && input.dim() !== 2)
    throw new RuntimeError(
      `Expected a tensor with 2 dimensions, but got a tensor with ${input.dim()} dimension${input.dim() === 1 ? '' : 's'} instead.`,
    )
  const dim = o.dim === undefined ? [-2, -1] : typeof o.dim === 'number' ? [o.dim] : [...o.dim]
  if (dim.length !== 2) throw new RuntimeError("nuclear norm requires a 'dim' argument of size 2")
  const nd = input.dim()
  const [d0, d1] = dim.map((d) => (d < 0 ? d + nd : d)) as [number, number]
  const perm = [...input.shape.keys()].filter((i) => i !== d0 && i !== d1).concat([d0, d1])
  const s = svdvals(input.permute(perm)).sum(-1, o.keepdim ?? false)
  if (o.keepdim !== true) return s
  // PyTorch 2.x's linalg_matrix_norm: the summed axis back in place, then the inverse permutation
  const back = perm.map((_, i) => perm.indexOf(i))
  return s.unsqueeze_(-1).permute(back)
}

// -------------------------------------------------------------------------------------
// removed in PyTorch 2.x
// -------------------------------------------------------------------------------------

const REMOVED = 'This function was deprecated since version 1.9 and is now removed.'
const REMOVED_TEXT: Readonly<Record<'symeig' | 'eig' | 'solve' | 'lstsq' | 'matrix_rank', string>> = {
  matrix_rank: `${REMOVED}\nPlease use the \`torch.linalg.matrix_rank\` function instead. The parameter 'symmetric' was renamed in \`torch.linalg.matrix_rank()\` to 'hermitian'.`,
  solve: `${REMOVED} \`torch.solve\` is deprecated in favor of \`torch.linalg.solve\`. \`torch.linalg.solve\` has its arguments reversed and does not return the LU factorization.\n\nTo get the LU factorization see \`torch.lu\`, which can be used with \`torch.lu_solve\` or \`torch.lu_unpack\`.\nX = torch.solve(B, A).solution should be replaced with:\nX = torch.linalg.solve(A, B)`,
  lstsq: `${REMOVED} \`torch.lstsq\` is deprecated in favor of \`torch.linalg.lstsq\`.\n\`torch.linalg.lstsq\` has reversed arguments and does not return the QR decomposition in the returned tuple (although it returns other information about the problem).\n\nTo get the QR decomposition consider using \`torch.linalg.qr\`.\n\nThe returned solution in \`torch.lstsq\` stored the residuals of the solution in the last m - n columns of the returned value whenever m > n. In torch.linalg.lstsq, the residuals are in the field 'residuals' of the returned named tuple.\n\nThe unpacking of the solution, as in\nX, _ = torch.lstsq(B, A).solution[:A.size(1)]\nshould be replaced with:\nX = torch.linalg.lstsq(A, B).solution`,
  symeig: `${REMOVED} The default behavior has changed from using the upper triangular portion of the matrix by default to using the lower triangular portion.\n\nL, _ = torch.symeig(A, upper=upper) should be replaced with:\nL = torch.linalg.eigvalsh(A, UPLO='U' if upper else 'L')\n\nand\n\nL, V = torch.symeig(A, eigenvectors=True) should be replaced with:\nL, V = torch.linalg.eigh(A, UPLO='U' if upper else 'L')`,
  eig: `${REMOVED} \`torch.linalg.eig\` returns complex tensors of dtype \`cfloat\` or \`cdouble\` rather than real tensors mimicking complex tensors.\n\nL, _ = torch.eig(A) should be replaced with:\nL_complex = torch.linalg.eigvals(A)\n\nand\n\nL, V = torch.eig(A, eigenvectors=True) should be replaced with:\nL_complex, V_complex = torch.linalg.eig(A)`,
}

/** A function PyTorch 2.x removed: any call raises its RuntimeError naming the replacement. */
const removed =
  (name: keyof typeof REMOVED_TEXT) =>
  (...args: unknown[]): never => {
    void args
    throw new RuntimeError(REMOVED_TEXT[name])
  }

/**
 * Removed in PyTorch 2.x: raises its RuntimeError, which names `torch.linalg.eigh`/`eigvalsh`.
 * @example
 * import * as torch from 'wengert/torch'
 * assert.throws(() => torch.symeig(torch.eye(2)), /torch\.linalg\.eigvalsh/)
 * @category torch @since 0.2.0
 */
export const symeig: (...args: unknown[]) => never = removed('symeig')
/**
 * Removed in PyTorch 2.x: raises its RuntimeError, which names `torch.linalg.eig`.
 * @example
 * import * as torch from 'wengert/torch'
 * assert.throws(() => torch.eig(torch.eye(2)), /torch\.linalg\.eig/)
 * @category torch @since 0.2.0
 */
export const eig: (...args: unknown[]) => never = removed('eig')
/**
 * Removed in PyTorch 2.x: raises its RuntimeError, which names `torch.linalg.solve`.
 * @example
 * import * as torch from 'wengert/torch'
 * assert.throws(() => torch.solve(torch.ones(2, 1), torch.eye(2)), /torch\.linalg\.solve\(A, B\)/)
 * @category torch @since 0.2.0
 */
export const solve: (...args: unknown[]) => never = removed('solve')
/**
 * Removed in PyTorch 2.x: raises its RuntimeError, which names `torch.linalg.lstsq`.
 * @example
 * import * as torch from 'wengert/torch'
 * assert.throws(() => torch.lstsq(torch.ones(2, 1), torch.eye(2)), /torch\.linalg\.lstsq/)
 * @category torch @since 0.2.0
 */
export const lstsq: (...args: unknown[]) => never = removed('lstsq')
/**
 * Removed in PyTorch 2.x: raises its RuntimeError, which names `torch.linalg.matrix_rank`.
 * @example
 * import * as torch from 'wengert/torch'
 * assert.throws(() => torch.matrix_rank(torch.eye(2)), /torch\.linalg\.matrix_rank/)
 * @category torch @since 0.2.0
 */
export const matrix_rank: (...args: unknown[]) => never = removed('matrix_rank')
