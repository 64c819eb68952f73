/**
 * The decompositions of `torch.linalg` with several results, each one node with several outputs
 * as PyTorch's (`LinalgEighBackward0`, `LinalgQrBackward0`, `LinalgSvdBackward0`,
 * `LinalgSlogdetBackward0`): `linalg.eigh`, `linalg.qr`, `linalg.svd`, `linalg.slogdet`, and
 * `torch.svd` (V, not Vᴴ), `torch.slogdet`, `torch.logdet`. Named tuples as PyTorch's
 * `torch.return_types`. Values and gradients from the `wengert` linalg ops (their rules cite the
 * literature).
 *
 * @category torch
 * @since 0.2.0
 */
import { exactKeywords, parseArgs, type PyArgs } from './kwargs'
import * as lax from '../core/lax'
import { symPart } from '../core/primitives/matrixRules'
import type { NdArray } from '../ndarray/NdArray'
import * as L from '../ops/linalg/index'
import { fromTriangle } from '../ops/linalg/common'
import { op, opMulti } from './autograd/op'
import { zeros } from './creation'
import { RuntimeError } from './errors'
import type { Tensor } from './install'
import { checkSquare, checkSvdDriver, noOut } from './linalg'
import { requireTensorArgs } from './pyTypeName'
import { linalgEntry } from './namespaceSignatures'
import { colMajorResult, markSolverGrads } from './autograd/solverLayout'

// -------------------------------------------------------------------------------------
// helpers
// -------------------------------------------------------------------------------------

/** PyTorch's error for an integer or bool input of a decomposition. */
export const checkFloatInput = (op: string, a: Tensor): void => {
  if (!a.dtype.is_floating_point) {
    const word = a.dtype.typeName.replace(/^torch\./, '').replace(/Tensor$/, '')
    throw new RuntimeError(`${op}: Expected a floating point or complex tensor as input. Got ${word}`)
  }
}

/**
 * Keyword arguments of `torch.linalg.svd`. `driver` picks a cuSOLVER routine in PyTorch and is
 * refused for CPU tensors (every tensor here) unless `null`. @category torch @since 0.3.0
 */
export interface SvdKw {
  readonly full_matrices?: boolean
  readonly driver?: string | null
}

/** PyTorch's check for the matrix argument: at least 2 dimensions. */
export const checkMatrix = (op: string, a: Tensor): void => {
  if (a.dim() < 2) throw new RuntimeError(`${op}: The input tensor A must have at least 2 dimensions.`)
}

const checkUplo = (uplo: unknown): 'L' | 'U' => {
  if (uplo !== 'L' && uplo !== 'U' && uplo !== 'l' && uplo !== 'u')
    throw new RuntimeError(`Expected UPLO argument to be 'L' or 'U', but got ${String(uplo)}`)
  return uplo.toUpperCase() as 'L' | 'U'
}

/**
 * The symmetric matrix PyTorch's `eigh` sees: the `UPLO` triangle mirrored. NOTE: its value is
 * that matrix, its derivative is that of the symmetric part of A (the correction is under
 * stop_gradient), which gives PyTorch's gradient for the symmetric inputs eigh is meant for
 * (PyTorch's formula is written for Hermitian A and returns a Hermitian gradient).
 */
export const hermitianInput = (x: NdArray, uplo: 'L' | 'U'): NdArray => {
  const s = symPart(x)
  return lax.add(s, lax.stopGradient(lax.sub(fromTriangle(x, uplo === 'L'), s)))
}

/** A PyTorch named tuple (`torch.return_types.…`): an array that also names its parts. */
const namedTuple = <T extends Record<string, Tensor>>(names: T): Tensor[] & T =>
  Object.assign(Object.values(names), names) as Tensor[] & T

// -------------------------------------------------------------------------------------
// torch.linalg
// -------------------------------------------------------------------------------------

/** PyTorch's `torch.return_types.linalg_eigh`. @category torch @since 0.2.0 */
export type EighResult = [Tensor, Tensor] & { readonly eigenvalues: Tensor; readonly eigenvectors: Tensor }

/**
 * Eigenvalues (ascending) and eigenvectors (columns) of a symmetric matrix whose `UPLO`
 * triangle is read (`LinalgEighBackward0`, one node for both outputs). Eigenvector signs are
 * LAPACK's up to sign; gradients through eigenvectors need distinct eigenvalues (as PyTorch).
 * @example
 * import * as torch from 'wengert/torch'
 * const a = torch.tensor([[2, 1], [1, 2]], { dtype: torch.float64, requires_grad: true })
 * const { eigenvalues, eigenvectors } = torch.linalg.eigh(a)
 * assert.deepStrictEqual((eigenvalues.tolist() as number[]).map((v) => Math.round(v * 1e9) / 1e9), [1, 3])
 * assert.strictEqual(eigenvalues.grad_fn, eigenvectors.grad_fn)
 * assert.strictEqual(eigenvectors.grad_fn?.name(), 'LinalgEighBackward0')
 * @category torch @since 0.2.0
 */
export const eigh = linalgEntry(
  'eigh',
  exactKeywords('linalg_eigh', ['A', 'UPLO'], (a: Tensor, UPLO: 'L' | 'U' = 'L'): EighResult => {
    checkSquare('linalg.eigh', a)
    const uplo = checkUplo(UPLO)
    checkFloatInput('linalg.eigh', a)
    const [eigenvalues, eigenvectors] = opMulti('LinalgEighBackward0', [a], (x) => {
      const r = L.eigh(hermitianInput(x, uplo))
      return [r.eigenvalues, r.eigenvectors]
    }) as [Tensor, Tensor]
    return namedTuple({ eigenvalues, eigenvectors: colMajorResult(eigenvectors) }) as EighResult
  }),
)

/**
 * Eigenvalues (ascending) of a symmetric matrix whose `UPLO` triangle is read (`LinalgEighBackward0`).
 * @example
 * import * as torch from 'wengert/torch'
 * const w = torch.linalg.eigvalsh(torch.tensor([[2, 0], [0, -1]], { dtype: torch.float64 }))
 * assert.deepStrictEqual(w.tolist(), [-1, 2])
 * @category torch @since 0.2.0
 */
export const eigvalsh = linalgEntry(
  'eigvalsh',
  exactKeywords('linalg_eigvalsh', ['A', 'UPLO'], (a: Tensor, UPLO: 'L' | 'U' = 'L'): Tensor => {
    checkSquare('linalg.eigh', a)
    const uplo = checkUplo(UPLO)
    checkFloatInput('linalg.eigh', a)
    return op('LinalgEighBackward0', [a], (x) => L.eigvalsh(hermitianInput(x, uplo)))
  }),
)

/** PyTorch's `torch.return_types.linalg_slogdet` (and `slogdet`). @category torch @since 0.2.0 */
export type SlogdetResult = [Tensor, Tensor] & { readonly sign: Tensor; readonly logabsdet: Tensor }

const slogdetParts = (opName: string, a: Tensor): [Tensor, Tensor] => {
  checkSquare(opName, a)
  checkFloatInput(opName, a)
  const out = opMulti('LinalgSlogdetBackward0', [a], (x) => {
    const r = L.slogdet(x)
    return [r.sign, r.logabsdet]
  }) as [Tensor, Tensor]
  markSolverGrads(out[1], [true])
  return out
}

/**
 * Sign and log of the absolute determinant (`LinalgSlogdetBackward0`, one node for both); a
 * singular matrix gives sign 0 and logabsdet −∞.
 * @example
 * import * as torch from 'wengert/torch'
 * const { sign, logabsdet } = torch.linalg.slogdet(torch.tensor([[0, 2], [3, 0]], { dtype: torch.float64 }))
 * assert.strictEqual(sign.item(), -1)
 * assert.ok(Math.abs(Number(logabsdet.item()) - Math.log(6)) < 1e-12)
 * @category torch @since 0.2.0
 */
export const slogdet = linalgEntry('slogdet', (a: Tensor): SlogdetResult => {
  const [sign, logabsdet] = slogdetParts('linalg.slogdet', a)
  return namedTuple({ sign, logabsdet }) as SlogdetResult
})

/** PyTorch's `torch.return_types.linalg_qr`. @category torch @since 0.2.0 */
export type QrResult = [Tensor, Tensor] & { readonly Q: Tensor; readonly R: Tensor }

/**
 * QR decomposition (`LinalgQrBackward0`): mode `'reduced'` (Q m×k, R k×n), `'complete'` (Q m×m)
 * or `'r'` (Q empty; its backward raises, as PyTorch's).
 * @example
 * import * as torch from 'wengert/torch'
 * const a = torch.tensor([[3, 1], [4, 2]], { dtype: torch.float64, requires_grad: true })
 * const { Q, R } = torch.linalg.qr(a)
 * assert.ok(Math.abs(Number((R.tolist() as number[][])[0]?.[0]) + 5) < 1e-12)
 * assert.strictEqual(Q.grad_fn?.name(), 'LinalgQrBackward0')
 * @category torch @since 0.2.0
 */
export const qr = linalgEntry(
  'qr',
  exactKeywords('linalg_qr', ['A', 'mode'], (a: Tensor, mode: 'reduced' | 'complete' | 'r' = 'reduced'): QrResult => {
    if (mode !== 'reduced' && mode !== 'complete' && mode !== 'r')
      throw new RuntimeError(
        `qr received unrecognized mode '${String(mode)}' but expected one of 'reduced' (default), 'r', or 'complete'`,
      )
    checkMatrix('linalg.qr', a)
    checkFloatInput('linalg.qr', a)
    const [m, n] = [a.shape[a.dim() - 2] as number, a.shape[a.dim() - 1] as number]
    const backwardError =
      mode === 'r'
        ? "The derivative of linalg.qr depends on Q, which is not computed when mode='r'. Please use linalg.qr(A, mode='reduced') if you are going to differentiate through linalg.qr."
        : mode === 'complete' && m > n
          ? "The QR decomposition is not differentiable when mode='complete' and nrows > ncols."
          : undefined
    const [Q, R] = opMulti(
      'LinalgQrBackward0',
      [a],
      (x) => {
        const [q, r] = L.qr(x, { mode: mode === 'complete' ? 'complete' : 'reduced' })
        return [mode === 'r' ? lax.zerosLike({ shape: [0], dtype: x.dtype }) : q, r]
      },
      backwardError === undefined ? {} : { backwardError },
    ) as [Tensor, Tensor]
    // a tall or square A's gradient ends in a triangular solve; a wide one's in `cat`
    markSolverGrads(R, [m >= n])
    return namedTuple({ Q: colMajorResult(Q), R: colMajorResult(R) }) as QrResult
  }),
)

/** PyTorch's `torch.return_types.linalg_svd`. @category torch @since 0.2.0 */
export type SvdResult = [Tensor, Tensor, Tensor] & { readonly U: Tensor; readonly S: Tensor; readonly Vh: Tensor }

const svdParts = (opName: string, a: Tensor, fullMatrices: boolean): [Tensor, Tensor, Tensor] => {
  checkMatrix(opName, a)
  checkFloatInput(opName, a)
  const [U, S, Vh] = opMulti('LinalgSvdBackward0', [a], (x) => {
    const r = L.svd(x, { fullMatrices })
    return [r.U, r.S, r.Vh]
  }) as [Tensor, Tensor, Tensor]
  // PyTorch's CPU kernel writes U and Vh column-major
  return [colMajorResult(U), S, colMajorResult(Vh)]
}

/**
 * Singular value decomposition `A = U·diag(S)·Vh`, S descending (`LinalgSvdBackward0`, one node
 * for the three outputs); `full_matrices` (default true) gives square U and Vh. Gradients need
 * distinct non-zero singular values (and are defined for full_matrices only on square A), as
 * PyTorch's.
 * @example
 * import * as torch from 'wengert/torch'
 * const a = torch.tensor([[3, 0], [0, -4]], { dtype: torch.float64, requires_grad: true })
 * const { U, S, Vh } = torch.linalg.svd(a)
 * assert.deepStrictEqual(S.tolist(), [4, 3])
 * assert.strictEqual(U.grad_fn, Vh.grad_fn)
 * @category torch @since 0.2.0
 */
export const svd = linalgEntry('svd', (a: Tensor, kw: SvdKw = {}): SvdResult => {
  checkSvdDriver(kw.driver)
  const [U, S, Vh] = svdParts('linalg.svd', a, kw.full_matrices ?? true)
  return namedTuple({ U, S, Vh }) as SvdResult
})

// -------------------------------------------------------------------------------------
// torch.*
// -------------------------------------------------------------------------------------

/** Keyword arguments of `torch.svd` and `Tensor.svd`. @category torch @since 0.2.0 */
export interface TorchSvdKw {
  /** Reduced U and V. @defaultValue true */
  readonly some?: boolean
  /** Compute U and V (else zero-filled). @defaultValue true */
  readonly compute_uv?: boolean
  /** Not supported. */
  readonly out?: unknown
}

/** PyTorch's `torch.return_types.svd`. @category torch @since 0.2.0 */
export type TorchSvdResult = [Tensor, Tensor, Tensor] & { readonly U: Tensor; readonly S: Tensor; readonly V: Tensor }

/**
 * `torch.svd` (deprecated in PyTorch for `linalg.svd`): `A = U·diag(S)·Vᵀ` with V (not Vᴴ,
 * `TransposeBackward0`), reduced when `some` (default true); without `compute_uv`, U and V are
 * zero-filled m×m and n×n.
 * @example
 * import * as torch from 'wengert/torch'
 * const { U, S, V } = torch.svd(torch.tensor([[1, 0], [0, 2], [0, 0]], { dtype: torch.float64 }))
 * assert.deepStrictEqual(S.tolist(), [2, 1])
 * assert.deepStrictEqual([U.shape, V.shape].map((s) => [...s]), [[3, 2], [2, 2]])
 * @category torch @since 0.2.0
 */
export const torchSvd = (a: Tensor, ...args: PyArgs<[boolean, boolean], TorchSvdKw>): TorchSvdResult => {
  requireTensorArgs('svd', ['input'], [a])
  const o = parseArgs('svd', args, ['some', 'compute_uv', 'out'], 2) as TorchSvdKw
  noOut('svd', o)
  const some = o.some ?? true
  const compute_uv = o.compute_uv ?? true
  const [U, S, Vh] = svdParts('linalg.svd', a, !some)
  if (!compute_uv) {
    const [m, n] = [a.shape[a.dim() - 2] as number, a.shape[a.dim() - 1] as number]
    const batch = a.shape.slice(0, -2)
    return namedTuple({
      U: zeros([...batch, m, m], { dtype: a.dtype }),
      S,
      V: zeros([...batch, n, n], { dtype: a.dtype }),
    }) as TorchSvdResult
  }
  return namedTuple({ U, S, V: Vh.mT }) as TorchSvdResult
}

/**
 * `torch.slogdet`: as {@link slogdet} (`torch.return_types.slogdet`).
 * @example
 * import * as torch from 'wengert/torch'
 * const [sign, logabsdet] = torch.slogdet(torch.tensor([[2, 0], [0, 3]], { dtype: torch.float64 }))
 * assert.strictEqual(sign.item(), 1)
 * assert.ok(Math.abs(Number(logabsdet.item()) - Math.log(6)) < 1e-12)
 * @category torch @since 0.2.0
 */
export const torchSlogdet = (a: Tensor): SlogdetResult => {
  const [sign, logabsdet] = slogdetParts('linalg.slogdet', a)
  return namedTuple({ sign, logabsdet }) as SlogdetResult
}

/**
 * `torch.logdet`: log of the determinant, NaN where it is negative (PyTorch's `WhereBackward0`
 * over `linalg.slogdet`).
 * @example
 * import * as torch from 'wengert/torch'
 * assert.ok(Math.abs(Number(torch.logdet(torch.tensor([[2, 0], [0, 3]], { dtype: torch.float64 })).item()) - Math.log(6)) < 1e-12)
 * assert.ok(Number.isNaN(torch.logdet(torch.tensor([[-1, 0], [0, 3]], { dtype: torch.float64 })).item()))
 * @category torch @since 0.2.0
 */
export const logdet = (a: Tensor): Tensor => {
  const [sign, logabsdet] = slogdetParts('logdet', a)
  const negative = lax.eq(sign._value(), lax.scalarLike(-1, sign._value()))
  return op('WhereBackward0', [logabsdet], (l) =>
    lax.select(negative, lax.broadcastTo(lax.scalarLike(Number.NaN, l), l.shape), l),
  )
}
