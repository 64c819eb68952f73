/**
 * `torch.linalg` (the single-result functions) and the matrix functions of `torch`: cholesky,
 * det, inv, solve, svdvals, matrix_power; `torch.tril/triu/trace/diagonal/det/
 * inverse/cholesky`. PyTorch's node names (checked with PyTorch 1.13) and error texts; values
 * and gradients from the `wengert` linalg ops. NOTE: cholesky uses the symmetric
 * part of A, as `wengert`'s primitives do: for the symmetric inputs they are meant for this is
 * PyTorch's value and PyTorch's (symmetric) gradient; a non-symmetric A gives the factor of its
 * symmetric part where PyTorch reads one triangle.
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../core/lax'
import { contiguous_format } from './memoryFormat'
import { exactKeywords, parseArgs, type PyArgs } from './kwargs'
import { cholesky as choleskyKernel } from '../ndarray/kernels/linalg/cholesky'
import { lu as luKernel } from '../ndarray/kernels/linalg/lu'
import type { NdArray } from '../ndarray/NdArray'
import * as L from '../ops/linalg/index'
import { swapLast } from '../ops/linalg/common'
import { permutationMatrix } from '../core/primitives/matrixRules'
import { tril as trilOp, triu as triuOp } from '../ops/linalg/matrix'
import { op, type OpOptions } from './autograd/op'
import { matmul } from '../ops/linalg'
import { Tensor as TensorClass } from './tensor'
import { NotImplementedError, RuntimeError } from './errors'
import { requireInput } from './pyTypeName'
import { eye } from './creation'
import type { Tensor } from './install'
import { requireTensorArgs } from './pyTypeName'
import { linalgEntry } from './namespaceSignatures'
import { colMajorResult, markRhsGrad, markSolverGrads, solveVectorCase } from './autograd/solverLayout'

/** PyTorch's `torch.linalg.LinAlgError` (a RuntimeError): a factorisation or inversion failed. @category torch @since 0.2.0 */
export class LinAlgError extends RuntimeError {}

// -------------------------------------------------------------------------------------
// checks
// -------------------------------------------------------------------------------------

export const checkSquare = (op: string, a: Tensor): void => {
  requireInput(op, a)
  const s = a.shape
  if (s.length < 2) throw new RuntimeError(`${op}: The input tensor A must have at least 2 dimensions.`)
  const [m, n] = [s[s.length - 2] as number, s[s.length - 1] as number]
  if (m !== n) throw new RuntimeError(`${op}: A must be batches of square matrices, but they are ${m} by ${n} matrices`)
}

/** The first failing batch element of `info` (LAPACK: 0 = success) and its code, or undefined. */
export const firstFailure = (info: NdArray): { readonly at: number; readonly code: number } | undefined => {
  const d = info.toTypedArray()
  for (let i = 0; i < d.length; i++) if (d[i] !== 0) return { at: i, code: Number(d[i]) }
  return undefined
}

export const batchPrefix = (a: Tensor, at: number): string => (a.dim() > 2 ? `(Batch element ${at}): ` : '')

/** PyTorch's error for a matrix that is not positive definite. */
export const checkPositiveDefinite = (op: string, a: Tensor): void => {
  const f = firstFailure(choleskyKernel(a._value()).info)
  if (f !== undefined)
    throw new LinAlgError(
      `${op}: ${batchPrefix(a, f.at)}The factorization could not be completed because the input is not positive-definite (the leading minor of order ${f.code} is not positive-definite).`,
    )
}

/** PyTorch's error for a singular matrix of inv. */
export const checkInvertible = (op: string, a: Tensor): void => {
  const f = firstFailure(luKernel(a._value()).info)
  if (f !== undefined)
    throw new LinAlgError(
      `${op}: ${batchPrefix(a, f.at)}The diagonal element ${f.code} is zero, the inversion could not be completed because the input matrix is singular.`,
    )
}

export const noOut = (op: string, kw: { readonly out?: unknown }): void => {
  if (kw.out !== undefined && kw.out !== null)
    throw new NotImplementedError(`${op}: the out= argument is not supported`)
}

// -------------------------------------------------------------------------------------
// torch.linalg
// -------------------------------------------------------------------------------------

/**
 * Cholesky factor (`LinalgCholeskyExBackward0`); a matrix that is not positive definite raises
 * PyTorch's LinAlgError.
 * @example
 * import * as torch from 'wengert/torch'
 * const a = torch.tensor([[4, 2], [2, 5]], { dtype: torch.float64, requires_grad: true })
 * const l = torch.linalg.cholesky(a)
 * assert.deepStrictEqual(l.tolist(), [[2, 0], [1, 2]])
 * assert.strictEqual(l.grad_fn?.name(), 'LinalgCholeskyExBackward0')
 * assert.throws(() => torch.linalg.cholesky(torch.tensor([[1, 2], [2, 1]])), /leading minor of order 2/)
 * @category torch @since 0.2.0
 */
export const cholesky = linalgEntry(
  'cholesky',
  (a: Tensor, kw: { readonly upper?: boolean; readonly out?: unknown } = {}): Tensor => {
    noOut('linalg.cholesky', kw)
    checkSquare('linalg.cholesky', a)
    checkPositiveDefinite('linalg.cholesky', a)
    const out = colMajorResult(op('LinalgCholeskyExBackward0', [a], (x) => L.cholesky(x, { upper: kw.upper ?? false })))
    markSolverGrads(out, [true])
    return out
  },
)

/**
 * Determinant (`LinalgDetBackward0`).
 * @example
 * import * as torch from 'wengert/torch'
 * const d = torch.linalg.det(torch.tensor([[1, 2], [3, 4]], { dtype: torch.float64 }))
 * assert.ok(Math.abs(Number(d.item()) + 2) < 1e-12)
 * @category torch @since 0.2.0
 */
export const det = linalgEntry('det', (a: Tensor): Tensor => {
  checkSquare('linalg.det', a)
  const out = op('LinalgDetBackward0', [a], (x) => L.det(x), { saves: [0], savesOutput: true })
  markSolverGrads(out, [true])
  return out
})

/**
 * Inverse (`LinalgInvExBackward0`); a singular matrix raises PyTorch's LinAlgError.
 * @example
 * import * as torch from 'wengert/torch'
 * const a = torch.tensor([[2, 0], [0, 4]], { dtype: torch.float64 })
 * assert.deepStrictEqual(torch.linalg.inv(a).tolist(), [[0.5, 0], [0, 0.25]])
 * @category torch @since 0.2.0
 */
export const inv = linalgEntry('inv', (a: Tensor): Tensor => {
  checkSquare('linalg.inv', a)
  checkInvertible('linalg.inv', a)
  return colMajorResult(op('LinalgInvExBackward0', [a], (x) => L.inv(x), INV_OPTS))
})

/**
 * The options of inv's node (`LinalgInvExBackward0`, saving the inverse): its gradient
 * −A⁻ᵀ·(Ḡ·A⁻ᵀ) (d(A⁻¹) = −A⁻¹·dA·A⁻¹; M. Giles, "An extended collection of matrix derivative
 * results for forward and reverse mode algorithmic differentiation", 2008, §2.2.3) from the saved
 * inverse with PyTorch's order of products, which decides the signs of zero gradients (difftest
 * seed 400542; a solve with the LU factors gives zeros of the other sign). @internal
 */
export const INV_OPTS: OpOptions = {
  savesOutput: true,
  grads: (g, [a], _needs, inverse) => {
    const t = swapLast(inverse ?? L.inv(a as NdArray))
    return [TensorClass._fromValue(lax.neg(matmul(t, matmul(g, t))))]
  },
  formula: (g, _inputs, output) => {
    const t = output().mT
    return [t.matmul(g.matmul(t)).neg()]
  },
}

/** What PyTorch's `LinalgSolveExBackward0` saves of the op's inputs and output. @internal */
export const SOLVE_SAVES = { saves: [0], savesOutput: true } as const

/**
 * The options of a solve node (`LinalgSolveExBackward0`). Where B (a vector as a column) has A's
 * batch shape, its gradients are PyTorch's formula in PyTorch's grouping: gB = A⁻ᵀ·Ḡ from A's LU
 * factors (Ḡ·A⁻ᵀ for `left=false`), gA = −(gB·Xᵀ) (`left=false`: −(Xᵀ·gB)), negated last, which
 * decides the signs of zero gradients (difftest seed 410684); a broadcast batch keeps the rule's
 * gradients. @internal
 */
export const solveOptions = (A: Tensor, B: Tensor, left: boolean): OpOptions => {
  const vector = left && solveVectorCase(A, B)
  const bShape = vector ? [...B.shape, 1] : B.shape
  const batch = A.shape.slice(0, -2)
  if (bShape.length !== A.dim() || batch.some((d, i) => d !== bShape[i])) return SOLVE_SAVES
  const col = (v: NdArray): NdArray => (vector ? lax.reshape(v, [...v.shape, 1]) : v)
  return {
    ...SOLVE_SAVES,
    grads: (g, [a, b], needs, out) => {
      const x = col(out ?? solveArrays(A, B, left)(a as NdArray, b as NdArray))
      const gB = left ? adjointSolve(a as NdArray, col(g)) : swapLast(adjointSolve(swapLast(a as NdArray), swapLast(g)))
      const gA = needs[0] === true ? lax.neg(left ? matmul(gB, swapLast(x)) : matmul(swapLast(x), gB)) : null
      return [
        gA === null ? null : TensorClass._fromValue(gA),
        needs[1] === true ? TensorClass._fromValue(vector ? lax.reshape(gB, B.shape) : gB) : null,
      ]
    },
  }
}

/** Y with Aᵀ·Y = G from A's LU factors (P·A = L·U, so Y = Pᵀ·L⁻ᵀ·U⁻ᵀ·G): LAPACK's transposed getrs. */
const adjointSolve = (a: NdArray, g: NdArray): NdArray => {
  const [packed, , perm] = lax.lu(a)
  const z = lax.triangularSolve(packed, g, { leftSide: true, lower: false, transposeA: true, unitDiagonal: false })
  const w = lax.triangularSolve(packed, z, { leftSide: true, lower: true, transposeA: true, unitDiagonal: true })
  return lax.matmul(permutationMatrix(perm, w.dtype), w, true, false)
}

/**
 * X with A·X = B, or X·A = B when `left` is false (`LinalgSolveExBackward0`); B is a vector when 1-D. A singular A raises
 * PyTorch's LinAlgError.
 * @example
 * import * as torch from 'wengert/torch'
 * const a = torch.tensor([[2, 0], [1, 1]], { dtype: torch.float64 })
 * assert.deepStrictEqual(torch.linalg.solve(a, torch.tensor([4, 3], { dtype: torch.float64 })).tolist(), [2, 1])
 * @category torch @since 0.2.0
 */
export const solve = linalgEntry('solve', (a: Tensor, b: Tensor, kw: { readonly left?: boolean } = {}): Tensor => {
  checkSquare('linalg.solve', a)
  const fn = solveArrays(a, b, kw.left ?? true)
  if (firstFailure(luKernel(a._value()).info) !== undefined)
    throw new LinAlgError('torch.linalg.solve: The solver failed because the input matrix is singular.')
  const out = op('LinalgSolveExBackward0', [a, b], fn, solveOptions(a, b, kw.left ?? true))
  if (kw.left !== false) markRhsGrad(colMajorResult(out), b, !solveVectorCase(a, b))
  return out
})

/**
 * PyTorch's shape rules of `linalg.solve` (linalg_solve_is_vector_rhs, checkInputsSolver): B is a
 * vector (or a batch of vectors) when 1-D or of A's shape less its last axis, then solved as one
 * column; left=False solves X·A = B (Aᵀ·Xᵀ = Bᵀ) and takes no vector. Returns the solve on arrays.
 * @internal
 */
export const solveArrays = (A: Tensor, B: Tensor, left: boolean): ((a: NdArray, b: NdArray) => NdArray) => {
  const vector = B.dim() === 1 || (A.dim() - 1 === B.dim() && B.shape.every((d, k) => d === A.shape[k]))
  const shape = vector ? [...B.shape, 1] : B.shape
  if (shape.length < 2) throw new RuntimeError('linalg.solve: The input tensor B must have at least 2 dimensions.')
  const n = A.shape[A.dim() - 1] as number
  const [r, c] = [shape[shape.length - 2] as number, shape[shape.length - 1] as number]
  if ((left ? r : c) !== n)
    throw new RuntimeError(
      `linalg.solve: Incompatible shapes of A and B for the equation ${left ? 'AX = B' : 'XA = B'} (${n}x${n} and ${r}x${c})`,
    )
  if (!left && vector)
    throw new RuntimeError(
      'linalg.solve: Vector broadcasting of the left hand side is not supported for left=False. In this case linalg.solve is equivalent to B / A.squeeze(-1)',
    )
  if (!left) return (x, y) => swapLast(L.solve(swapLast(x), swapLast(y)))
  if (!vector || B.dim() === 1) return (x, y) => L.solve(x, y)
  return (x, y) => {
    const col = L.solve(x, lax.reshape(y, [...y.shape, 1]))
    return lax.reshape(col, col.shape.slice(0, -1))
  }
}

/** PyTorch's CPU error for `driver=` of `linalg.svd`/`svdvals` (cuSOLVER only). @internal */
export const checkSvdDriver = (driver: string | null | undefined): void => {
  if (driver !== undefined && driver !== null)
    throw new RuntimeError(
      'torch.linalg.svd: keyword argument `driver=` is only supported on CUDA inputs with cuSOLVER backend.',
    )
}

/**
 * Singular values, descending (`LinalgSvdBackward0`); `driver=` raises PyTorch's CPU error (cuSOLVER only).
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.linalg.svdvals(torch.tensor([[0, 2], [1, 0]], { dtype: torch.float64 })).tolist(), [2, 1])
 * @category torch @since 0.2.0
 */
export const svdvals = linalgEntry('svdvals', (a: Tensor, kw: { readonly driver?: string | null } = {}): Tensor => {
  checkSvdDriver(kw.driver)
  if (a.dim() < 2) throw new RuntimeError('linalg.svd: The input tensor A must have at least 2 dimensions.')
  // PyTorch's node (_linalg_svd, computing U and Vh too when A requires grad) saves U, S and Vh
  return op('LinalgSvdBackward0', [a], (x) => L.svdvals(x), { savesOutput: true })
})

/**
 * A square matrix to an integer power by repeated squaring with `matmul` (`MmBackward0` nodes, as
 * PyTorch); 0 gives the identity, negative powers invert first.
 * @example
 * import * as torch from 'wengert/torch'
 * const a = torch.tensor([[1, 1], [0, 1]], { dtype: torch.float64 })
 * assert.deepStrictEqual(torch.linalg.matrix_power(a, 3).tolist(), [[1, 3], [0, 1]])
 * @category torch @since 0.2.0
 */
export const matrix_power = linalgEntry(
  'matrix_power',
  exactKeywords('linalg_matrix_power', ['A', 'n'], (a: Tensor, n: number): Tensor => {
    checkSquare('linalg.matrix_power', a)
    // ATen: n = 0 writes the identity into a contiguous clone of A (CopyBackwards, version 1)
    if (n === 0)
      return a
        .clone({ memory_format: contiguous_format })
        .copy_(eye(a.shape[a.dim() - 1] as number, { dtype: a.dtype }).expand(...a.shape))
    // ATen returns a contiguous clone for n = 1, never A itself (CloneBackward0)
    if (n === 1) return a.clone({ memory_format: contiguous_format })
    let base = n < 0 ? inv(a) : a
    let result: Tensor | undefined
    for (let p = Math.abs(n); p > 0; p = Math.floor(p / 2)) {
      if (p % 2 === 1) result = result === undefined ? base : result.matmul(base)
      if (p > 1) base = base.matmul(base)
    }
    return result as Tensor
  }),
)

// -------------------------------------------------------------------------------------
// torch.*
// -------------------------------------------------------------------------------------

/** The `diagonal` argument of tril/triu, positional or by keyword (`torch.triu(x, diagonal=1)`). */
export type TriArgs = PyArgs<[diagonal: number], { readonly diagonal?: number }>

/** {@link TriArgs} read: `diagonal`, 0 when absent. */
const diagonalArg = (fn: string, args: TriArgs): number =>
  (parseArgs(fn, args, ['diagonal']).diagonal as number | undefined) ?? 0

/**
 * Lower triangle, entries with `j − i ≤ diagonal` (`TrilBackward0`).
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.tril(torch.tensor([[1, 2], [3, 4]])).tolist(), [[1, 0], [3, 4]])
 * @category torch @since 0.2.0
 */
export const tril = (a: Tensor, ...args: TriArgs): Tensor => {
  const diagonal = diagonalArg('tril', args)
  return op('TrilBackward0', [a], (x) => trilOp(x, diagonal))
}

/**
 * Upper triangle, entries with `j − i ≥ diagonal` (`TriuBackward0`).
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.triu(torch.tensor([[1, 2], [3, 4]])).tolist(), [[1, 2], [0, 4]])
 * @category torch @since 0.2.0
 */
export const triu = (a: Tensor, ...args: TriArgs): Tensor => {
  const diagonal = diagonalArg('triu', args)
  return op('TriuBackward0', [a], (x) => triuOp(x, diagonal))
}

/**
 * Sum of the diagonal of a matrix (`TraceBackward0`).
 * @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(torch.trace(torch.tensor([[1, 2], [3, 4]])).item(), 5)
 * @category torch @since 0.2.0
 */
export const trace = (a: Tensor): Tensor => {
  requireTensorArgs('trace', ['input'], [a])
  if (a.dim() !== 2) throw new RuntimeError(`trace: expected a matrix, but got tensor with dim ${a.dim()}`)
  return op('TraceBackward0', [a], (x) => L.trace(x))
}

/** `torch.det`: {@link det}. @category torch @since 0.2.0 */
export const torchDet = det
/** `torch.inverse`: {@link inv}. @category torch @since 0.2.0 */
export const inverse = inv

/**
 * `torch.cholesky` (deprecated in PyTorch; `CholeskyBackward0`), with `upper`.
 * @example
 * import * as torch from 'wengert/torch'
 * const l = torch.cholesky(torch.tensor([[4, 2], [2, 5]], { dtype: torch.float64, requires_grad: true }))
 * assert.strictEqual(l.grad_fn?.name(), 'CholeskyBackward0')
 * @category torch @since 0.2.0
 */
export const torchCholesky = (a: Tensor, upper = false): Tensor => {
  checkSquare('cholesky', a)
  checkPositiveDefinite('cholesky', a)
  const out = colMajorResult(op('CholeskyBackward0', [a], (x) => L.cholesky(x, { upper })))
  markSolverGrads(out, [true])
  return out
}
