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
import { ZeroDivisionError } from '../errors'

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

/**
 * Floor (or truncated) quotients and remainders of two integer arrays of one shape, exactly
 * (float64 quotient, then an integer correction; BigInt where |x| + |y| leaves the safe range).
 * The remainder takes the sign of the divisor with `floor`, of the dividend with `trunc`, so
 * `x == q·y + r` always. Division by zero raises ZeroDivisionError.
 */
export const intDivMod = (
  op: string,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  mode: 'floor' | 'trunc',
  q: Float64Array,
  r: Float64Array,
): void => {
  for (let i = 0; i < q.length; i++) {
    const a = x[i] as number
    const b = y[i] as number
    if (b === 0) throw new ZeroDivisionError(`${op}: integer division by zero (ZeroDivisionError)`)
    if (Math.abs(a) + Math.abs(b) <= Number.MAX_SAFE_INTEGER) {
      let qi = mode === 'floor' ? Math.floor(a / b) : Math.trunc(a / b)
      let ri = a - qi * b
      // the rounded quotient can pass an integer it should stop short of: step back
      if (ri !== 0 && (mode === 'floor' ? ri < 0 !== b < 0 : ri < 0 !== a < 0)) {
        qi += qi * b > a === b > 0 ? -1 : 1
        ri = a - qi * b
      }
      q[i] = qi + 0 // + 0: no -0 in an integer dtype
      r[i] = ri + 0
    } else {
      const A = BigInt(a)
      const B = BigInt(b)
      let Q = A / B // truncates
      let R = A - Q * B
      if (mode === 'floor' && R !== 0n && R < 0n !== B < 0n) {
        Q -= 1n
        R += B
      }
      q[i] = Number(Q)
      r[i] = Number(R)
    }
  }
}
