/**
 * Checked indexing: `at(xs, i)` is `xs[i]` typed as the element, but throws an `InternalError`
 * naming the index and the length when `i` is not an index of `xs`. It replaces `xs[i] as T`
 * casts (needed under `noUncheckedIndexedAccess`) where the cast stood in for a bounds check that
 * no one wrote: a shape's axis, a permutation entry, a per-axis parameter. Element loops over a
 * typed array whose bound is the array's length keep the cast (a call per element costs there).
 */
import { InternalError } from '../ndarray/errors'

/** `xs[i]`, or an InternalError (`<what>: index i out of bounds for length n`) when i is not an index. */
export const at = <T>(xs: ArrayLike<T>, i: number, what: string = 'at'): T => {
  // (i >>> 0) === i: a non-negative integer below 2³²
  if (i >>> 0 !== i || i >= xs.length) {
    throw new InternalError(`${what}: index ${i} out of bounds for length ${xs.length}`)
  }
  return xs[i] as T
}
