/**
 * LU functions of `torch.linalg` and `torch`: `linalg.lu_factor`, `linalg.lu_factor_ex`,
 * `linalg.lu_solve`, `linalg.lu`, `torch.lu_unpack`, with PyTorch 1.13's named tuples, node
 * names (`LinalgLuFactorExBackward0`, `LinalgLuSolveBackward0`, `LinalgLuBackward0`,
 * `LuUnpackBackward0`), 1-based int32 pivots and error texts. Values and gradients come from
 * `wengert`'s `linalg.luFactor`/`luSolve`/`lu` (de Hoog, Anderssen & Lukas 2011 for the
 * factorisation's derivative, with JAX's completed factors for wide and tall matrices; checked
 * against PyTorch 1.13 in test/torch/linalgLuRect.test.ts).
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../core/lax'
import { permutationMatrix } from '../core/primitives/matrixRules'
import { checkOptions } from '../internal/options'
import { lu as luKernel } from '../ndarray/kernels/linalg/lu'
import type { NdArray } from '../ndarray/NdArray'
import { broadcastShapes } from '../ndarray/shape'
import { swapLast } from '../ops/linalg/common'
import * as L from '../ops/linalg/index'
import { unpackLu } from '../ops/linalg/scipyLinalg'
import { op, opMulti } from './autograd/op'
import { colMajorResult, markRhsGrad } from './autograd/solverLayout'
import { RuntimeError } from './errors'
import type { Tensor } from './install'
import { batchPrefix, checkSquare, firstFailure, LinAlgError, noOut } from './linalg'
import { Tensor as TensorClass } from './tensor'
import { requireTensorArgs } from './pyTypeName'
import { linalgEntry } from './namespaceSignatures'

/** A PyTorch named tuple (`torch.return_types.…`): an array that also names its parts. */
export const namedTuple = <T extends Record<string, Tensor>>(names: T): Tensor[] & T =>
  Object.assign(Object.values(names), names) as Tensor[] & T

/** PyTorch's checks of a matrix to factor: rank ≥ 2, floating dtype, pivoting. */
const checkFactorInput = (opName: string, a: Tensor, pivot: boolean | undefined): void => {
  if (a.dim() < 2)
    throw new RuntimeError(
      `${opName}: Expected tensor with 2 or more dimensions. Got size: [${a.shape.join(', ')}] instead`,
    )
  if (!a.dtype.is_floating_point) throw new RuntimeError(`"lu_cpu" not implemented for '${a.dtype.word}'`)
  if (pivot === false) throw new RuntimeError('linalg.lu_factor: LU without pivoting is not implemented on the CPU')
}

/** 0-based pivots ↔ PyTorch's 1-based (LAPACK) ones. */
const shiftPivots = (piv: NdArray, by: number): NdArray => lax.add(piv, lax.scalarLike(by, piv))

// -------------------------------------------------------------------------------------
// lu_factor
// -------------------------------------------------------------------------------------

/** PyTorch's `torch.return_types.linalg_lu_factor`. @category torch @since 0.2.0 */
export type LuFactorResult = [Tensor, Tensor] & { readonly LU: Tensor; readonly pivots: Tensor }
/** PyTorch's `torch.return_types.linalg_lu_factor_ex`. @category torch @since 0.2.0 */
export type LuFactorExResult = [Tensor, Tensor, Tensor] & {
  readonly LU: Tensor
  readonly pivots: Tensor
  readonly info: Tensor
}
/** Keyword arguments of {@link lu_factor} and {@link lu_factor_ex}. @category torch @since 0.2.0 */
export interface LuFactorKw {
  /** Partial pivoting; false is not implemented on the CPU (PyTorch's error). @defaultValue true */
  readonly pivot?: boolean
  /** lu_factor_ex only: raise on a singular matrix. @defaultValue false */
  readonly check_errors?: boolean
  /** Not supported. */
  readonly out?: unknown
}

const factorParts = (opName: string, a: Tensor, kw: LuFactorKw | undefined, ex: boolean): LuFactorExResult => {
  const o = checkOptions(opName, kw, ex ? ['pivot', 'check_errors', 'out'] : ['pivot', 'out'])
  noOut(opName, o)
  checkFactorInput('torch.lu_factor', a, o.pivot)
  const info = TensorClass._fromValue(luKernel(a._value()).info)
  const fail = firstFailure(info._value())
  if (fail !== undefined && (!ex || o.check_errors === true))
    throw new LinAlgError(
      `torch.${opName}: ${batchPrefix(a, fail.at)}U[${fail.code},${fail.code}] is zero and using it on lu_solve would result in a division by zero. If you still want to perform the factorization, consider calling linalg.lu(A, pivot) or linalg.lu_factor_ex(A, pivot)`,
    )
  const [LU, pivots] = opMulti('LinalgLuFactorExBackward0', [a], (x) => {
    const [packed, piv] = L.luFactor(x)
    return [packed, shiftPivots(piv, 1)]
  }) as [Tensor, Tensor]
  return namedTuple({ LU: colMajorResult(LU), pivots, info }) as LuFactorExResult
}

/**
 * LU factorisation with partial pivoting, packed (`LinalgLuFactorExBackward0`): `(LU, pivots)`,
 * pivots 1-based int32 (LAPACK). A singular matrix raises PyTorch's LinAlgError.
 * @example
 * import * as torch from 'wengert/torch'
 * const { LU, pivots } = torch.linalg.lu_factor(torch.tensor([[1, 2], [3, 4]], { dtype: torch.float64 }))
 * assert.deepStrictEqual(pivots.tolist(), [2, 2])
 * assert.deepStrictEqual(LU.tolist(), [[3, 4], [1 / 3, 2 - 4 / 3]])
 * @category torch @since 0.2.0
 */
export const lu_factor = linalgEntry('lu_factor', (a: Tensor, kw?: LuFactorKw): LuFactorResult => {
  const r = factorParts('linalg.lu_factor', a, kw, false)
  return namedTuple({ LU: r.LU, pivots: r.pivots }) as LuFactorResult
})

/**
 * {@link lu_factor} that reports failures in `info` (int32, 0 or the 1-based index of the first
 * zero pivot) instead of raising, unless `check_errors`.
 * @example
 * import * as torch from 'wengert/torch'
 * const { info } = torch.linalg.lu_factor_ex(torch.ones(3, 3, { dtype: torch.float64 }))
 * assert.strictEqual(info.item(), 2)
 * @category torch @since 0.2.0
 */
export const lu_factor_ex = linalgEntry('lu_factor_ex', (a: Tensor, kw?: LuFactorKw): LuFactorExResult =>
  factorParts('linalg.lu_factor_ex', a, kw, true),
)

// -------------------------------------------------------------------------------------
// lu_solve
// -------------------------------------------------------------------------------------

/** Keyword arguments of {@link lu_solve}. @category torch @since 0.2.0 */
export interface LuSolveKw {
  /** Solve A·X = B (true) or X·A = B (false). @defaultValue true */
  readonly left?: boolean
  /** Use Aᴴ (for real A, Aᵀ) instead of A. @defaultValue false */
  readonly adjoint?: boolean
  /** Not supported. */
  readonly out?: unknown
}

const checkSolveShapes = (LU: Tensor, B: Tensor, left: boolean): void => {
  checkSquare('torch.linalg.lu_solve', LU)
  if (B.dim() < 2) throw new RuntimeError('linalg.lu_solve: The input tensor B must have at least 2 dimensions.')
  const n = LU.shape[LU.dim() - 1] as number
  const [r, c] = [B.shape[B.dim() - 2] as number, B.shape[B.dim() - 1] as number]
  if ((left ? r : c) !== n)
    throw new RuntimeError(
      `linalg.lu_solve: Incompatible shapes of A and B for the equation ${left ? 'AX = B' : 'XA = B'} (${n}x${n} and ${r}x${c})`,
    )
}

/**
 * X with A·X = B (`left`) or X·A = B, A given by {@link lu_factor}'s `(LU, pivots)`, or with Aᴴ
 * when `adjoint` (`LinalgLuSolveBackward0`; differentiable in LU and B).
 * @example
 * import * as torch from 'wengert/torch'
 * const { LU, pivots } = torch.linalg.lu_factor(torch.tensor([[1, 2], [3, 4]], { dtype: torch.float64 }))
 * const x = torch.linalg.lu_solve(LU, pivots, torch.tensor([[5], [11]], { dtype: torch.float64 }))
 * assert.ok((x.tolist() as number[][]).every((r, i) => Math.abs((r[0] ?? 0) - [1, 2][i]!) < 1e-12))
 * @category torch @since 0.2.0
 */
export const lu_solve = linalgEntry('lu_solve', (LU: Tensor, pivots: Tensor, B: Tensor, kw?: LuSolveKw): Tensor => {
  const o = checkOptions('linalg.lu_solve', kw, ['left', 'adjoint', 'out'])
  noOut('linalg.lu_solve', o)
  const left = o.left ?? true
  const adjoint = o.adjoint ?? false
  checkSolveShapes(LU, B, left)
  const out = op(
    'LinalgLuSolveBackward0',
    [LU, pivots, B],
    (lu, piv, b) => {
      const n = lu.shape[lu.ndim - 1] as number
      const batch = broadcastShapes(
        'linalg.lu_solve',
        broadcastShapes('linalg.lu_solve', lu.shape.slice(0, -2), piv.shape.slice(0, -1)),
        b.shape.slice(0, -2),
      )
      const f = [lax.broadcastTo(lu, [...batch, n, n]), lax.broadcastTo(shiftPivots(piv, -1), [...batch, n])] as const
      const rhs = lax.broadcastTo(left ? b : swapLast(b), [
        ...batch,
        n,
        left ? (b.shape[b.ndim - 1] as number) : (b.shape[b.ndim - 2] as number),
      ])
      // X·A = B ⇔ Aᵀ·Xᵀ = Bᵀ
      const x = L.luSolve(f, rhs, { trans: adjoint === left ? 1 : 0 })
      return left ? x : swapLast(x)
    },
    { nonDiff: [1] },
  )
  if (!left) return out
  // the result and B's gradient (an lu_solve of the incoming one) are column-major (the int
  // pivots have no edge: the node's inputs are LU and B)
  markRhsGrad(colMajorResult(out), B, true)
  return out
})

// -------------------------------------------------------------------------------------
// lu, lu_unpack
// -------------------------------------------------------------------------------------

/** PyTorch's `torch.return_types.linalg_lu` and `lu_unpack`. @category torch @since 0.2.0 */
export type LuResult = [Tensor, Tensor, Tensor] & { readonly P: Tensor; readonly L: Tensor; readonly U: Tensor }

/**
 * LU decomposition `A = P·L·U` with partial pivoting (`LinalgLuBackward0` for L and U; P has
 * no gradient): P m×m, L m×k, U k×n, k = min(m, n).
 * @example
 * import * as torch from 'wengert/torch'
 * const { P, L, U } = torch.linalg.lu(torch.tensor([[1, 2], [3, 4]], { dtype: torch.float64, requires_grad: true }))
 * assert.deepStrictEqual(P.tolist(), [[0, 1], [1, 0]])
 * assert.deepStrictEqual(P.matmul(L).matmul(U).tolist(), [[1, 2], [3, 4]])
 * assert.strictEqual(U.grad_fn?.name(), 'LinalgLuBackward0')
 * @category torch @since 0.2.0
 */
export const lu = linalgEntry(
  'lu',
  (a: Tensor, kw?: { readonly pivot?: boolean; readonly out?: unknown }): LuResult => {
    const o = checkOptions('linalg.lu', kw, ['pivot', 'out'])
    noOut('linalg.lu', o)
    checkFactorInput('linalg.lu', a, o.pivot)
    const P = TensorClass._fromValue(L.lu(a._value())[0])
    const [Lt, U] = opMulti('LinalgLuBackward0', [a], (x) => {
      const [, l, u] = L.lu(x)
      return [l, u]
    }) as [Tensor, Tensor]
    return namedTuple({ P, L: Lt, U }) as LuResult
  },
)

/** Keyword arguments of {@link lu_unpack}. @category torch @since 0.2.0 */
export interface LuUnpackKw {
  /** Return L and U (else empty tensors). @defaultValue true */
  readonly unpack_data?: boolean
  /** Return P (else an empty tensor). @defaultValue true */
  readonly unpack_pivots?: boolean
  /** Not supported. */
  readonly out?: unknown
}

/**
 * P, L and U from {@link lu_factor}'s `(LU, pivots)` (`LuUnpackBackward0` for L and U).
 * @example
 * import * as torch from 'wengert/torch'
 * const { LU, pivots } = torch.linalg.lu_factor(torch.tensor([[1, 2], [3, 4]], { dtype: torch.float64 }))
 * const { P, L, U } = torch.lu_unpack(LU, pivots)
 * assert.deepStrictEqual(P.matmul(L).matmul(U).tolist(), [[1, 2], [3, 4]])
 * @category torch @since 0.2.0
 */
export const lu_unpack = (LU_data: Tensor, LU_pivots: Tensor, kw?: LuUnpackKw): LuResult => {
  requireTensorArgs('lu_unpack', ['LU_data', 'LU_pivots'], [LU_data, LU_pivots])
  const o = checkOptions('lu_unpack', kw, ['unpack_data', 'unpack_pivots', 'out'])
  noOut('lu_unpack', o)
  if (LU_pivots.dtype.name !== 'int32')
    throw new RuntimeError(
      'torch.lu_unpack: LU_pivots is expected to be a contiguous tensor of torch.int32 dtype.\nNote: this function is intended to be used with the output produced by torch.linalg.lu_factor',
    )
  if (LU_data.dim() < 2)
    throw new RuntimeError(
      `torch.lu_unpack: Expected tensor with 2 or more dimensions. Got size: [${LU_data.shape.join(', ')}] instead`,
    )
  const empty = (): Tensor => TensorClass._fromValue(lax.zerosLike({ shape: [0], dtype: LU_data._value().dtype }))
  const m = LU_data.shape[LU_data.dim() - 2] as number
  const perm = lax.luPivotsToPermutation(shiftPivots(LU_pivots._value(), -1), m)
  const P =
    o.unpack_pivots === false
      ? empty()
      : TensorClass._fromValue(swapLast(permutationMatrix(perm, LU_data._value().dtype)))
  if (o.unpack_data === false) return namedTuple({ P, L: empty(), U: empty() }) as LuResult
  const [Lt, U] = opMulti('LuUnpackBackward0', [LU_data], (x) => {
    const { l, u } = unpackLu(x)
    return [l, u]
  }) as [Tensor, Tensor]
  return namedTuple({ P, L: Lt, U }) as LuResult
}
