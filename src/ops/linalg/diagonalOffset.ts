/**
 * A diagonal of any offset between any two axes (NumPy's `diagonal(a, offset, axis1, axis2)`),
 * the core of `linalg.diagonal` and the facade's `torch.diagonal` (internal).
 *
 * @category ops
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { diagPart } from '../../core/primitives/matrixRules'
import type { NdArray } from '../../ndarray/NdArray'

/**
 * The diagonal `offset` (> 0 above, < 0 below the main one) of the planes spanned by the
 * distinct, non-negative axes `axis1` (rows) and `axis2` (columns): those two axes are removed
 * and the diagonal appended last, `max(0, min(m, n − offset))` long (`min(m + offset, n)` below).
 */
export const diagonalOf = (a: NdArray, offset: number, axis1: number, axis2: number): NdArray => {
  const rest = a.shape.map((_, i) => i).filter((i) => i !== axis1 && i !== axis2)
  const moved = lax.transpose(a, [...rest, axis1, axis2])
  const [m, n] = [a.shape[axis1] as number, a.shape[axis2] as number]
  const len = Math.max(0, offset >= 0 ? Math.min(m, n - offset) : Math.min(m + offset, n))
  const lead = rest.map((i) => a.shape[i] as number)
  const [r0, c0] = offset >= 0 ? [0, offset] : [-offset, 0]
  if (len === 0)
    return lax.reshape(
      lax.slice(
        moved,
        [...lead.map(() => 0), 0, 0],
        [...lead, 0, 0],
        moved.shape.map(() => 1),
      ),
      [...lead, 0],
    )
  const square = lax.slice(
    moved,
    [...lead.map(() => 0), r0, c0],
    [...lead, r0 + len, c0 + len],
    moved.shape.map(() => 1),
  )
  return a.dtype === 'bool' ? lax.cast(diagPart(lax.cast(square, 'int32')), 'bool') : diagPart(square)
}
