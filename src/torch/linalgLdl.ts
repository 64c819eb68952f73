/**
 * `torch.linalg.ldl_factor`, `ldl_factor_ex` and `ldl_solve`: the Bunch–Kaufman LDLᵀ
 * factorisation of symmetric matrices as LAPACK's sytrf (lower triangle, 1-based int32 pivots;
 * the packed `LD` and `pivots` equal PyTorch's) and the solve from it (sytrs), with PyTorch's
 * named tuples and error texts (test/torch/linalgLdl.test.ts, fixtures/linalg_ldl.py).
 *
 * PyTorch defines no derivative for either: their outputs carry a `NotImplemented` grad_fn whose
 * backward raises `derivative for aten::linalg_ldl_factor_ex is not implemented`, as there.
 * `hermitian` selects the conjugate-transpose form, which for the facade's real dtypes is the
 * same factorisation, so it is accepted and changes nothing.
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../core/lax'
import { checkOptions } from '../internal/options'
import { ldlFactor, ldlSolve } from '../ndarray/kernels/linalg/ldl'
import { linalgEntry } from './namespaceSignatures'
import type { NdArray } from '../ndarray/NdArray'
import { broadcastShapes } from '../ndarray/shape'
import { withNotImplemented } from './autograd/notImplemented'
import { colMajorResult } from './autograd/solverLayout'
import { RuntimeError } from './errors'
import type { Tensor } from './install'
import { checkSquare, firstFailure, noOut } from './linalg'
import { checkFloatInput, checkMatrix } from './linalgDecompositions'
import { namedTuple } from './linalgLu'
import { Tensor as TensorClass } from './tensor'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** PyTorch's `torch.return_types.linalg_ldl_factor`. @category torch @since 0.2.0 */
export type LdlFactorResult = [Tensor, Tensor] & { readonly LD: Tensor; readonly pivots: Tensor }
/** PyTorch's `torch.return_types.linalg_ldl_factor_ex`. @category torch @since 0.2.0 */
export type LdlFactorExResult = [Tensor, Tensor, Tensor] & {
  readonly LD: Tensor
  readonly pivots: Tensor
  readonly info: Tensor
}

/** Keyword arguments of {@link ldl_factor} and {@link ldl_factor_ex}. @category torch @since 0.2.0 */
export interface LdlFactorKw {
  /** Factor as a Hermitian matrix; the same as symmetric for real dtypes. @defaultValue false */
  readonly hermitian?: boolean
  /** ldl_factor_ex only: raise when D is singular. @defaultValue false */
  readonly check_errors?: boolean
  /** Not supported. */
  readonly out?: unknown
}

/** Keyword arguments of {@link ldl_solve}. @category torch @since 0.2.0 */
export interface LdlSolveKw {
  /** LD came from a Hermitian factorisation; the same as symmetric for real dtypes. @defaultValue false */
  readonly hermitian?: boolean
  /** Not supported. */
  readonly out?: unknown
}

// -------------------------------------------------------------------------------------
// helpers
// -------------------------------------------------------------------------------------

/** PyTorch 1.13's error for a singular D (it has no dedicated message for ldl_factor). */
const singularError = (api: string, code: number): RuntimeError =>
  new RuntimeError(
    `false INTERNAL ASSERT FAILED at "./aten/src/ATen/native/BatchLinearAlgebra.cpp":1491, please report a bug to PyTorch. ${api}: Unknown error code: ${code}.`,
  )

const checkFactorInput = (a: Tensor): void => {
  const op = 'torch.linalg.ldl_factor_ex'
  checkMatrix(op, a)
  checkSquare(op, a)
  checkFloatInput(op, a)
}

const factorParts = (api: string, a: Tensor, kw: LdlFactorKw | undefined, ex: boolean): LdlFactorExResult => {
  const o = checkOptions(api, kw, ex ? ['hermitian', 'check_errors', 'out'] : ['hermitian', 'out'])
  noOut(api, o)
  checkFactorInput(a)
  const r = ldlFactor(a._value())
  const fail = firstFailure(r.info)
  if (fail !== undefined && (!ex || o.check_errors === true)) throw singularError(`torch.${api}`, fail.code)
  const LD = colMajorResult(TensorClass._fromValue(r.ld))
  withNotImplemented('linalg_ldl_factor_ex', [a], LD)
  return namedTuple({
    LD,
    pivots: TensorClass._fromValue(r.pivots),
    info: TensorClass._fromValue(r.info),
  }) as LdlFactorExResult
}

// -------------------------------------------------------------------------------------
// ops
// -------------------------------------------------------------------------------------

/**
 * The LDLᵀ factorisation of symmetric `A` (only its lower triangle is read) with Bunch–Kaufman
 * pivoting, packed as LAPACK's sytrf: `(LD, pivots)`, pivots 1-based int32 (negative on both rows
 * of a 2×2 block of D). A singular D raises.
 * @example
 * import * as torch from 'wengert/torch'
 * const { LD, pivots } = torch.linalg.ldl_factor(torch.tensor([[1, 2], [2, 4.5]], { dtype: torch.float64 }))
 * assert.deepStrictEqual(pivots.tolist(), [2, 2])
 * assert.deepStrictEqual(LD.tolist(), [[4.5, 0], [2 / 4.5, 1 - (2 * 2) / 4.5]])
 * @category torch @since 0.2.0
 */
export const ldl_factor = linalgEntry('ldl_factor', (A: Tensor, kw?: LdlFactorKw): LdlFactorResult => {
  const r = factorParts('linalg.ldl_factor', A, kw, false)
  return namedTuple({ LD: r.LD, pivots: r.pivots }) as LdlFactorResult
})

/**
 * {@link ldl_factor} that reports a singular D in `info` (int32: 0, or the 1-based index of the
 * first zero block) instead of raising, unless `check_errors`.
 * @example
 * import * as torch from 'wengert/torch'
 * const { pivots, info } = torch.linalg.ldl_factor_ex(torch.zeros(2, 2))
 * assert.deepStrictEqual(pivots.tolist(), [1, 2])
 * assert.strictEqual(info.item(), 1)
 * @category torch @since 0.2.0
 */
export const ldl_factor_ex = linalgEntry('ldl_factor_ex', (A: Tensor, kw?: LdlFactorKw): LdlFactorExResult =>
  factorParts('linalg.ldl_factor_ex', A, kw, true),
)

const checkSolveInputs = (LD: Tensor, pivots: Tensor, B: Tensor): void => {
  const op = 'torch.linalg.ldl_solve'
  checkMatrix(op, LD)
  checkSquare(op, LD)
  if (B.dtype !== LD.dtype)
    throw new RuntimeError(
      `Expected b and A to have the same dtype, but found b of type ${B.dtype.word} and A of type ${LD.dtype.word} instead.`,
    )
  if (B.dim() < 2) throw new RuntimeError(`${op}: The input tensor B must have at least 2 dimensions.`)
  const want = LD.shape.slice(0, -1)
  if (pivots.dim() !== want.length || pivots.shape.some((d, i) => d !== want[i]))
    throw new RuntimeError(
      `${op}: Expected LD.shape[:-1] and pivots.shape to be the same, but got pivots with shape [${pivots.shape.join(', ')}] instead`,
    )
  if (pivots.dtype.is_floating_point || pivots.dtype.word === 'Bool')
    throw new RuntimeError(`${op}: Expected pivots to be integers. Got ${pivots.dtype.word}`)
  const n = LD.shape[LD.dim() - 1] as number
  const [r, c] = [B.shape[B.dim() - 2] as number, B.shape[B.dim() - 1] as number]
  if (r !== n)
    throw new RuntimeError(
      `Incompatible matrix sizes for ${op}: each A matrix is ${n} by ${n} but each b matrix is ${r} by ${c}`,
    )
}

/** `x` broadcast to `batch` followed by its own last `keep` axes. */
const expandBatch = (x: NdArray, batch: ReadonlyArray<number>, keep: number): NdArray =>
  lax.broadcastTo(x, [...batch, ...x.shape.slice(x.ndim - keep)])

/**
 * X with A·X = B for symmetric A given by {@link ldl_factor}'s `(LD, pivots)`; the batch axes of
 * LD (with pivots) and B broadcast.
 * @example
 * import * as torch from 'wengert/torch'
 * const A = torch.tensor([[4, 1], [1, -3]], { dtype: torch.float64 })
 * const { LD, pivots } = torch.linalg.ldl_factor(A)
 * const X = torch.linalg.ldl_solve(LD, pivots, torch.tensor([[5], [-2]], { dtype: torch.float64 }))
 * assert.ok(torch.allclose(X, torch.tensor([[1], [1]], { dtype: torch.float64 })))
 * @category torch @since 0.2.0
 */
export const ldl_solve = linalgEntry('ldl_solve', (LD: Tensor, pivots: Tensor, B: Tensor, kw?: LdlSolveKw): Tensor => {
  const o = checkOptions('linalg.ldl_solve', kw, ['hermitian', 'out'])
  noOut('linalg.ldl_solve', o)
  checkSolveInputs(LD, pivots, B)
  const batch = broadcastShapes('linalg.ldl_solve', LD.shape.slice(0, -2), B.shape.slice(0, -2))
  const x = ldlSolve(
    expandBatch(LD._value(), batch, 2),
    expandBatch(pivots._value(), batch, 1),
    expandBatch(B._value(), batch, 2),
  )
  const X = colMajorResult(TensorClass._fromValue(x))
  return withNotImplemented('linalg_ldl_solve', [LD, B], X)
})
