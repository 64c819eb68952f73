/**
 * Swapped matrices: a tensor whose value is the transpose of a matrix it holds as its storage,
 * read through one 2-D transpose step that is computed only when the value is read. This is how
 * PyTorch's column-major gradients look (a transposed product straight out of the gemm, strides
 * `[1, rows]`): AddmmBackward0 gives a `t()` operand (F.linear's weight) its gradient this way,
 * and the 2-D `TBackward0` before it hands the held matrix on without computing any transpose.
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import type { NdArray } from '../../ndarray/NdArray'
import { Tensor, type ViewStep } from '../tensor'

const SWAP_PERM: ReadonlyArray<number> = Object.freeze([1, 0])

/** The one step of a swapped tensor. */
const SWAP: ViewStep = {
  name: 'TBackward0',
  fwd: (x) => lax.transpose(x, SWAP_PERM),
  inv: (x, y) => lax.transpose(lax.cast(y, x.dtype), SWAP_PERM),
}

/** A tensor whose value is the transpose of the matrix `m` (column-major over m: strides `[1, rows]`). */
export const swappedTensor = (m: NdArray): Tensor => {
  const t = Tensor._fromValue(m)
  t._setView([SWAP], [1, m.shape[1] as number])
  return t
}

/** For a tensor made by {@link swappedTensor} (its path unchanged since): the matrix it transposes; else undefined. */
export const swappedOf = (t: Tensor): NdArray | undefined =>
  t._path.length === 1 && t._path[0] === SWAP ? t._storage.value : undefined

/** The steps of the `t()` views whose value is computed only when read (see {@link heldMatrixOf}). */
const heldSteps = new WeakSet<ViewStep>()

/** Marks `step` (a 2-D transpose) as the step of a held `t()` view. */
export const markHeldStep = (step: ViewStep): ViewStep => {
  heldSteps.add(step)
  return step
}

/**
 * For a held `t()` view of a matrix that is no view itself (F.linear's `weight.t()`, made by
 * `heldT`): the matrix it transposes (its storage's current array); else undefined. The view's
 * value, the transpose, is computed only when something reads it: addmm multiplies by the
 * matrix with a transpose flag instead.
 */
export const heldMatrixOf = (t: Tensor): NdArray | undefined =>
  t._path.length === 1 && heldSteps.has(t._path[0] as ViewStep) ? t._storage.value : undefined

/** A tensor's shape, without computing a swapped tensor's or a held view's transpose. */
export const dimsOf = (t: Tensor): ReadonlyArray<number> => {
  const m = swappedOf(t) ?? heldMatrixOf(t)
  return m === undefined ? t._value().shape : [m.shape[1] as number, m.shape[0] as number]
}

/** The array a tensor's elements live in: a swapped tensor's matrix, else its value. */
export const heldArray = (t: Tensor): NdArray => swappedOf(t) ?? t._value()
