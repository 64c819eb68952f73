/**
 * `torch.linalg.pinv`, `torch.linalg.matrix_rank` and `torch.pinverse` with PyTorch's
 * tolerances: singular values (|eigenvalues| with `hermitian`) at most `max(atol, rtol·σ₁)`
 * count as zero; without either, `rtol = eps·max(m, n)`; with `atol` alone, `rtol = 0` where
 * `atol > 0`. The positional `rcond` of pinv/pinverse is `rtol` (with `atol = 0`), the
 * positional `tol` of matrix_rank is `atol` (with `rtol = 0`), as in PyTorch. The gradient is
 * the Golub–Pereyra formula PyTorch's `pinv_backward` uses (node `LinalgPinvBackward0`).
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../core/lax'
import type { NdArray } from '../ndarray/NdArray'
import { defaultRtol, matrixRankWith, pinvWith, type Tolerances } from '../ops/linalg/pinv'
import { op } from './autograd/op'
import { RuntimeError } from './errors'
import type { Tensor } from './install'
import { checkOptions } from '../internal/options'
import { Tensor as TensorCore } from './tensor'
import { requireTensorArgs } from './pyTypeName'
import { linalgEntry } from './namespaceSignatures'
import { markSolverGrads } from './autograd/solverLayout'

/** A tolerance: a number, or a tensor broadcasting against the batch shape. @category torch @since 0.2.0 */
export type TorchTolerance = number | Tensor

/** Keyword arguments of {@link pinv} and {@link matrix_rank}. @category torch @since 0.2.0 */
export interface PinvKw {
  /** Absolute tolerance. @defaultValue null (0) */
  readonly atol?: TorchTolerance | null
  /** Relative tolerance (times the largest singular value). @defaultValue null (PyTorch's rule) */
  readonly rtol?: TorchTolerance | null
  /** Use eigh of the lower triangle (a symmetric input). @defaultValue false */
  readonly hermitian?: boolean
}

const tolValue = (t: TorchTolerance): number | NdArray => (typeof t === 'number' ? t : t._value())

/** PyTorch's `get_atol_rtol`, for the matrix batch `a`. */
const tolerances = (a: NdArray, atol: TorchTolerance | null, rtol: TorchTolerance | null): Tolerances => {
  const at = atol === null ? 0 : tolValue(atol)
  if (rtol !== null) return { atol: at, rtol: tolValue(rtol) }
  const def = defaultRtol(a)
  if (atol === null) return { atol: 0, rtol: def }
  if (typeof at === 'number') return { atol: at, rtol: at > 0 ? 0 : def }
  return {
    atol: at,
    rtol: lax.select(lax.gt(at, lax.scalarLike(0, at)), lax.scalarLike(0, at), lax.scalarLike(def, at)),
  }
}

const checkInput = (op: string, A: Tensor): void => {
  if (A.dim() < 2 || !A.dtype.is_floating_point)
    throw new RuntimeError(
      `${op}(${A.dtype.word}{[${A.shape.join(', ')}]}): expected a tensor with 2 or more dimensions of float, double, cfloat or cdouble types`,
    )
}

const checkHermitian = (A: Tensor): void => {
  const [m, n] = [A.shape[A.dim() - 2] as number, A.shape[A.dim() - 1] as number]
  if (m !== n)
    throw new RuntimeError(`linalg.eigh: A must be batches of square matrices, but they are ${m} by ${n} matrices`)
}

/** Binds pinv/matrix_rank's arguments: a keyword object, or a positional tolerance (+ hermitian). */
const bind = (
  second: TorchTolerance | PinvKw | undefined,
  hermitian: boolean,
  positional: 'rtol' | 'atol',
): { readonly atol: TorchTolerance | null; readonly rtol: TorchTolerance | null; readonly hermitian: boolean } => {
  if (second === undefined) return { atol: null, rtol: null, hermitian }
  if (typeof second !== 'number' && !(second instanceof TensorCore)) {
    const kw = checkOptions(`linalg_${positional === 'rtol' ? 'pinv' : 'matrix_rank'}`, second, [
      'atol',
      'rtol',
      'hermitian',
    ])
    return { atol: kw.atol ?? null, rtol: kw.rtol ?? null, hermitian: kw.hermitian ?? false }
  }
  const t = second
  return positional === 'rtol' ? { atol: 0, rtol: t, hermitian } : { atol: t, rtol: 0, hermitian }
}

/**
 * `torch.linalg.pinv(A, *, atol=None, rtol=None, hermitian=False)` (or `pinv(A, rcond,
 * hermitian=False)`): the Moore–Penrose pseudo-inverse, batched.
 * @example
 * import * as torch from 'wengert/torch'
 * const A = torch.tensor([[3, 0], [0, 0.2], [0, 0]], { dtype: torch.float64 })
 * assert.deepStrictEqual(torch.linalg.pinv(A).tolist(), [[1 / 3, 0, 0], [0, 5, 0]])
 * assert.deepStrictEqual(torch.linalg.pinv(A, { atol: 0.5 }).tolist(), [[1 / 3, 0, 0], [0, 0, 0]])
 * @category torch @since 0.2.0
 */
export const pinv = linalgEntry('pinv', (A: Tensor, rcondOrKw?: TorchTolerance | PinvKw, hermitian = false): Tensor => {
  const b = bind(rcondOrKw, hermitian, 'rtol')
  checkInput('linalg.pinv', A)
  if (b.hermitian) checkHermitian(A)
  // PyTorch's node saves the input and the result (pinv_backward(grad, result, self))
  const out = op('LinalgPinvBackward0', [A], (a) => pinvWith(a, tolerances(a, b.atol, b.rtol), b.hermitian), {
    saves: [0],
    savesOutput: true,
  })
  markSolverGrads(out, [true])
  return out
})

/**
 * `torch.pinverse(input, rcond=1e-15)`: {@link pinv} with relative tolerance `rcond`.
 * @example
 * import * as torch from 'wengert/torch'
 * const p = torch.pinverse(torch.tensor([[2, 0], [0, 1e-20]], { dtype: torch.float64 }))
 * assert.deepStrictEqual(p.tolist(), [[0.5, 0], [0, 0]])
 * @category torch @since 0.2.0
 */
export const pinverse = (input: Tensor, rcond = 1e-15): Tensor => {
  requireTensorArgs('pinverse', ['input'], [input])
  return pinv(input, rcond)
}

/**
 * `torch.linalg.matrix_rank(A, *, atol=None, rtol=None, hermitian=False)` (or
 * `matrix_rank(A, tol, hermitian=False)`): the number of singular values above the tolerance,
 * int64, batched.
 * @example
 * import * as torch from 'wengert/torch'
 * const A = torch.tensor([[1, 2], [2, 4]], { dtype: torch.float64 })
 * assert.strictEqual(torch.linalg.matrix_rank(A).item(), 1)
 * assert.strictEqual(torch.linalg.matrix_rank(torch.eye(3), { atol: 2 }).item(), 0)
 * @category torch @since 0.2.0
 */
export const matrix_rank = linalgEntry(
  'matrix_rank',
  (A: Tensor, tolOrKw?: TorchTolerance | PinvKw, hermitian = false): Tensor => {
    const b = bind(tolOrKw, hermitian, 'atol')
    if (A.dim() < 2)
      throw new RuntimeError('torch.linalg.matrix_rank: The input tensor input must have at least 2 dimensions.')
    if (!A.dtype.is_floating_point)
      throw new RuntimeError("This function doesn't handle types other than float and double")
    if (b.hermitian) checkHermitian(A)
    const a = A._value()
    return TensorCore._fromValue(lax.cast(matrixRankWith(a, tolerances(a, b.atol, b.rtol), b.hermitian), 'int64'))
  },
)
