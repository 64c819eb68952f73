/**
 * Storage known to hold one value in every element: the broadcast of a one-element array (a
 * sum's cotangent, `onesLike`). The binary kernels read such an operand as a scalar (one array
 * read instead of two) and return the other operand's storage for a product with 1 (x·1 = x in
 * IEEE arithmetic, −0 and ±∞ included; a NaN stays a NaN), so a gradient through a sum of a
 * product makes no copies of its factors.
 *
 * A tag is made only for fresh storage that nothing else writes; `binaryInto`, the one kernel
 * that writes into existing storage (in-place gradient accumulation), drops the tag of what it
 * writes into. The first and last elements are checked again on every read.
 *
 * @category kernels
 * @since 0.2.0
 */
import type { TypedArray } from '../dtype'

/** Smallest storage worth tagging (below, the extra read costs less than the lookup). */
export const UNIFORM_MIN = 4096

const tags = new WeakMap<TypedArray, number>()

/** Records that every element of `d` (fresh storage, just filled) equals v. */
export const markUniform = (d: TypedArray, v: number): void => {
  if (d.length >= UNIFORM_MIN && v === v) tags.set(d, v)
}

/** The value of every element of `d` when it is tagged, else undefined. */
export const uniformValue = (d: TypedArray): number | undefined => {
  const v = tags.get(d)
  return v !== undefined && d[0] === v && d[d.length - 1] === v ? v : undefined
}

/** Drops the tag of `d` (it is about to be written into). */
export const forgetUniform = (d: TypedArray): void => {
  tags.delete(d)
}
