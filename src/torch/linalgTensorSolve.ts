/**
 * `torch.linalg.solve_ex` (the solve with an `info` tensor) and the tensor forms
 * `torch.linalg.tensorinv` / `tensorsolve` (a reshape to a square matrix, `inv`/`solve`, and a
 * reshape back, as PyTorch builds them). Node names, named tuples and errors as PyTorch
 * (test/torch/linalgLegacy.test.ts).
 *
 * @category torch
 * @since 0.2.0
 */
import { checkOptions } from '../internal/options'
import { lu as luKernel } from '../ndarray/kernels/linalg/lu'
import { op } from './autograd/op'
import { RuntimeError } from './errors'
import type { Tensor } from './install'
import {
  batchPrefix,
  checkSquare,
  firstFailure,
  inv,
  LinAlgError,
  noOut,
  solve,
  solveOptions,
  solveArrays,
} from './linalg'
import { checkFloatInput } from './linalgDecompositions'
import { namedTuple } from './linalgLu'
import { Tensor as TensorClass } from './tensor'
import { linalgEntry } from './namespaceSignatures'
import { colMajorResult, markRhsGrad, solveVectorCase } from './autograd/solverLayout'

/** PyTorch's `torch.return_types.linalg_solve_ex`. @category torch @since 0.2.0 */
export type SolveExResult = [Tensor, Tensor] & { readonly result: Tensor; readonly info: Tensor }

/** Keyword arguments of {@link solve_ex}. @category torch @since 0.2.0 */
export interface SolveExKw {
  /** Solve A·X = B (true) or X·A = B (false). @defaultValue true */
  readonly left?: boolean
  /** Raise on a singular A. @defaultValue false */
  readonly check_errors?: boolean
  /** Not supported. */
  readonly out?: unknown
}

/**
 * `torch.linalg.solve_ex(A, B, *, left=True, check_errors=False)`: {@link solve} that reports a
 * singular A in `info` (int32, 0 or the 1-based index of the first zero pivot) instead of
 * raising, unless `check_errors` (`LinalgSolveExBackward0`).
 * @example
 * import * as torch from 'wengert/torch'
 * const A = torch.tensor([[2, 0], [1, 1]], { dtype: torch.float64 })
 * const { result, info } = torch.linalg.solve_ex(A, torch.tensor([4, 3], { dtype: torch.float64 }))
 * assert.deepStrictEqual([result.tolist(), info.item()], [[2, 1], 0])
 * assert.strictEqual(torch.linalg.solve_ex(torch.ones(2, 2), torch.ones(2)).info.item(), 2)
 * @category torch @since 0.2.0
 */
export const solve_ex = linalgEntry('solve_ex', (A: Tensor, B: Tensor, kw?: SolveExKw): SolveExResult => {
  const o = checkOptions('linalg.solve_ex', kw, ['left', 'check_errors', 'out'])
  noOut('linalg.solve_ex', o)
  checkSquare('linalg.solve', A)
  checkFloatInput('linalg.solve', A)
  const left = o.left ?? true
  const fn = solveArrays(A, B, left)
  const info = TensorClass._fromValue(luKernel(A._value()).info)
  const fail = firstFailure(info._value())
  if (fail !== undefined && o.check_errors === true)
    throw new LinAlgError(
      `torch.linalg.solve_ex: ${batchPrefix(A, fail.at)}The solver failed because the input matrix is singular.`,
    )
  const result = op('LinalgSolveExBackward0', [A, B], fn, solveOptions(A, B, left))
  if (left) colMajorResult(result)
  markRhsGrad(result, B, left && !solveVectorCase(A, B))
  return namedTuple({ result, info }) as SolveExResult
})

const prod = (s: ReadonlyArray<number>): number => s.reduce((p, d) => p * d, 1)

/**
 * `torch.linalg.tensorinv(A, ind=2)`: the inverse of A read as a matrix of its first `ind` axes by the rest,
 * `inv(A.reshape(p, p)).reshape(A.shape[ind:] + A.shape[:ind])` (nodes `LinalgInvExBackward0`,
 * `ViewBackward0`).
 * @example
 * import * as torch from 'wengert/torch'
 * const A = torch.eye(4, { dtype: torch.float64 }).mul(2).reshape(4, 2, 2)
 * const X = torch.linalg.tensorinv(A, { ind: 1 })
 * assert.deepStrictEqual([...X.shape], [2, 2, 4])
 * assert.deepStrictEqual(X.reshape(4, 4).tolist(), torch.eye(4).mul(0.5).tolist())
 * @category torch @since 0.2.0
 */
export const tensorinv = linalgEntry(
  'tensorinv',
  (A: Tensor, kw?: { readonly ind?: number; readonly out?: unknown } | number): Tensor => {
    const o = checkOptions('linalg.tensorinv', typeof kw === 'number' ? { ind: kw } : kw, ['ind', 'out'])
    noOut('linalg.tensorinv', o)
    const ind = o.ind ?? 2
    if (!(ind > 0)) throw new RuntimeError(`Expected a strictly positive integer for 'ind', but got ${ind}`)
    const [front, back] = [A.shape.slice(0, ind), A.shape.slice(ind)]
    if (prod(back) !== prod(front))
      throw new RuntimeError(
        `Expected self to satisfy the requirement prod(self.shape[ind:]) == prod(self.shape[:ind]), but got ${prod(back)} != ${prod(front)}`,
      )
    return inv(A.reshape(prod(front), prod(back))).reshape(...back, ...front)
  },
)

/**
 * `torch.linalg.tensorsolve(A, B, dims=None)`: X with `tensordot(A, X, X.ndim) = B`, after
 * moving A's axes `dims` to the end — `solve(A.reshape(p, p), B.flatten()).reshape(A.shape[B.ndim:])`
 * (nodes `LinalgSolveExBackward0`, `ViewBackward0`).
 * @example
 * import * as torch from 'wengert/torch'
 * const A = torch.eye(6, { dtype: torch.float64 }).reshape(2, 3, 6)
 * const B = torch.arange(6, { dtype: torch.float64 }).reshape(2, 3)
 * assert.deepStrictEqual(torch.linalg.tensorsolve(A, B).tolist(), [0, 1, 2, 3, 4, 5])
 * @category torch @since 0.2.0
 */
export const tensorsolve = linalgEntry(
  'tensorsolve',
  (A: Tensor, B: Tensor, kw?: { readonly dims?: ReadonlyArray<number> | null; readonly out?: unknown }): Tensor => {
    const o = checkOptions('linalg.tensorsolve', kw, ['dims', 'out'])
    noOut('linalg.tensorsolve', o)
    let a = A
    if (o.dims !== undefined && o.dims !== null) {
      const nd = A.dim()
      a = A.movedim(
        [...o.dims],
        o.dims.map((_, i) => nd - o.dims!.length + i),
      )
    }
    const [front, back] = [a.shape.slice(0, B.dim()), a.shape.slice(B.dim())]
    if (prod(back) !== B.numel())
      throw new RuntimeError(
        `Expected self to satisfy the requirement prod(self.shape[other.ndim:]) == prod(self.shape[:other.ndim]), but got ${prod(back)} != ${B.numel()}`,
      )
    return solve(a.reshape(prod(front), prod(back)), B.flatten()).reshape(...back)
  },
)
