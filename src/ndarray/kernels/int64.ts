/**
 * Exact int64 reductions. int64 is stored in float64 (see `DType`): a sum or product whose
 * partial results stay within ±(2⁵³ − 1) is exact in float64 in any order, so the float kernels
 * serve; when a bound on the partial results leaves that range, the values are accumulated as
 * BigInt (slow, rare) and the result checked, so `[2**53 - 1, 2, -2]` sums to 2**53 - 1 exactly.
 *
 * @category kernels
 * @since 0.2.0
 */
import { allocate, checkInt64 } from '../dtype'
import { NdArray } from '../NdArray'
import type { Shape } from '../shape'

/** True when every partial sum (or product) of the `[outer, red, inner]` view is safe in float64. */
export const partialsAreSafe = (op: 'sum' | 'prod', d: ArrayLike<number>): boolean => {
  let bound = op === 'sum' ? 0 : 1
  for (let i = 0; i < d.length; i++) {
    const a = Math.abs(d[i] as number)
    bound = op === 'sum' ? bound + a : bound * Math.max(a, 1)
  }
  return bound <= Number.MAX_SAFE_INTEGER
}

/** Sum or product of an int64 `[outer, red, inner]` view, accumulated in BigInt and checked. */
export const exactInt64Reduce = (
  op: 'sum' | 'prod',
  d: ArrayLike<number>,
  outer: number,
  red: number,
  inner: number,
  outShape: Shape,
): NdArray => {
  const out = allocate('int64', outer * inner)
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let acc = op === 'sum' ? 0n : 1n
      for (let r = 0; r < red; r++) {
        const v = BigInt(d[(o * red + r) * inner + i] as number)
        acc = op === 'sum' ? acc + v : acc * v
      }
      // beyond ±2⁵³ the Number conversion rounds, and checkInt64 refuses it
      out[o * inner + i] =
        acc > BigInt(Number.MAX_SAFE_INTEGER)
          ? Infinity
          : acc < -BigInt(Number.MAX_SAFE_INTEGER)
            ? -Infinity
            : Number(acc)
    }
  }
  checkInt64(op, out)
  return new NdArray(outShape, 'int64', out)
}
