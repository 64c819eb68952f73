/**
 * `matmul` with an operand of 3 or more dimensions, composed as PyTorch 2.x composes it
 * (`_matmul_impl`, aten/src/ATen/native/LinearAlgebra.cpp), so the graph, the saved tensors and
 * the error messages are PyTorch's:
 * - fold: an N-D operand times a 1-D/2-D one becomes `reshape → mm/mv → _unsafe_view`
 *   (`UnsafeViewBackward0` over `MmBackward0`/`MvBackward0`), when the smaller operand requires
 *   grad or the larger folds without a copy; 1-D/2-D @ N-D goes through the transpose of the larger
 *   operand and ends in `.mT.contiguous()`. A size mismatch is then mm's `mat1 and mat2 shapes
 *   cannot be multiplied (6x4 and 3x2)` on the folded sizes (or mv's message);
 * - otherwise both operands are `expand`ed to the broadcast batch and `reshape`d to 3-D, multiplied
 *   by `bmm` and `_unsafe_view`ed back (a vector right operand is unsqueezed and the result
 *   squeezed); errors are the batch broadcast's or bmm's. A 3-D @ 3-D product whose differing
 *   batch is 1 on an operand requiring grad first squeezes that operand (then folds).
 *
 * PyTorch 1.13 differs (test/torch/fixtures/matmul_nd.py notes where): it folded without the
 * requires_grad condition and had no squeeze case.
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { op } from '../autograd/op'
import { broadcastShape } from '../ops/convert'
import type { Tensor } from '../tensor'

type T = Tensor

const prod = (s: ReadonlyArray<number>): number => s.reduce((p, d) => p * d, 1)

/** ATen's `_unsafe_view`: a reshape that autograd records as a new tensor (`UnsafeViewBackward0`), not a view. */
const unsafeView = (t: T, shape: ReadonlyArray<number>): T =>
  op('UnsafeViewBackward0', [t], (x) => lax.reshape(x, shape))

/**
 * PyTorch's `should_fold`: one operand is ≥ 3-D and the other 1-D/2-D, and either the smaller one
 * requires grad or the larger one (transposed when it is the right operand) folds its leading
 * dimensions into one without a copy.
 */
const shouldFold = (a: T, b: T): boolean => {
  const aLarger = a.ndim >= b.ndim
  const big = aLarger ? a : b
  const small = aLarger ? b : a
  if (!(big.ndim >= 3 && small.ndim <= 2)) return false
  if (small.requires_grad) return true
  if (a.ndim === 2) return false
  if (big.numel() === 0) return true
  const shape = [...big.shape]
  const strides = [...big._strides]
  if (!aLarger) {
    const n = shape.length
    ;[shape[n - 2], shape[n - 1]] = [shape[n - 1] as number, shape[n - 2] as number]
    ;[strides[n - 2], strides[n - 1]] = [strides[n - 1] as number, strides[n - 2] as number]
  }
  for (let i = 0; i < shape.length - 2; i++)
    if (strides[i] !== (strides[i + 1] as number) * (shape[i + 1] as number)) return false
  return true
}

/** The fold branch: the larger operand's leading dimensions folded into mm's (or mv's) rows. */
const folded = (a: T, b: T): T => {
  const transpose = b.ndim > a.ndim
  const t1 = transpose ? b.mT : a
  const t2 = !transpose ? b : a.ndim === 2 ? a.t() : a
  const sizes = t1.shape
  const outShape = sizes.slice(0, -1)
  const rows = prod(outShape)
  const f = t1.reshape(rows, sizes[sizes.length - 1] as number)
  if (t2.ndim === 1) return unsafeView(f.mv(t2), outShape)
  const out = unsafeView(f.mm(t2), [...outShape, t2.shape[1] as number])
  return transpose ? out.mT.contiguous() : out
}

/** The bmm branch: both operands expanded to the broadcast batch, flattened to 3-D, multiplied. */
const batched = (a: T, b: T): T => {
  const sa = a.shape
  const sb = b.shape
  const n = a.ndim > 1 ? (sa[sa.length - 2] as number) : 1
  const m1 = sa[sa.length - 1] as number
  const m2 = b.ndim > 1 ? (sb[sb.length - 2] as number) : (sb[0] as number)
  const p = b.ndim > 1 ? (sb[sb.length - 1] as number) : 1
  const batchA = sa.slice(0, Math.max(a.ndim - 2, 0))
  const batchB = sb.slice(0, Math.max(b.ndim - 2, 0))
  if (a.ndim === 3 && b.ndim === 3 && batchA[0] !== batchB[0]) {
    if (batchA[0] === 1 && a.requires_grad) return matmulNd(a.squeeze(0), b)
    if (batchB[0] === 1 && b.requires_grad) return matmulNd(a, b.squeeze(0))
  }
  const batch = broadcastShape(batchA, batchB)
  const count = prod(batch)
  const a3 = a.expand([...batch, n, m1]).reshape(count, n, m1)
  const vector = b.ndim === 1
  const b3 = vector
    ? b
        .expand([...batch, m2])
        .reshape(count, m2)
        .unsqueeze(2)
    : b.expand([...batch, m2, p]).reshape(count, m2, p)
  const outShape = [...batch, ...(a.ndim > 1 ? [n] : []), ...(vector ? [] : [p])]
  const prodAB = a3.bmm(b3)
  return unsafeView(vector ? prodAB.squeeze(-1) : prodAB, outShape)
}

/**
 * `matmul` of two tensors at least one of which has 3 or more dimensions (the caller has checked
 * ranks ≥ 1 and dtypes), composed of views, mm/mv/bmm and `_unsafe_view` as in PyTorch 2.x.
 */
export const matmulNd = (a: T, b: T): T => (shouldFold(a, b) ? folded(a, b) : batched(a, b))
