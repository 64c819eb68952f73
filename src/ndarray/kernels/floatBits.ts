/**
 * Scalar kernels that work on the bits of an IEEE-754 binary32/binary64 value: the next
 * representable neighbour (`nextafter`) and rounding to a narrower format (`reducePrecision`,
 * the semantics of XLA's ReducePrecision: the mantissa rounds to nearest, ties to even; an
 * exponent above the narrow format's range becomes ±∞, one at or below its smallest normal
 * exponent becomes ±0 — subnormals of the narrow format are flushed; NaN stays NaN unless no
 * mantissa bit is left, where it becomes +∞).
 *
 * @category kernels
 * @since 0.5.0
 */

const f64 = new Float64Array(1)
const u64 = new BigUint64Array(f64.buffer)
const i64 = new BigInt64Array(f64.buffer)
const f32 = new Float32Array(1)
const u32 = new Uint32Array(f32.buffer)
const i32 = new Int32Array(f32.buffer)

/** The representable neighbour of `x` towards `y` (IEEE nextafter) in binary32 (`single`) or binary64. */
export const nextafterScalar = (x: number, y: number, single: boolean): number => {
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN
  if (x === y) return y
  if (x === 0) return Math.sign(y) * (single ? 2 ** -149 : Number.MIN_VALUE)
  const up = y > x === x > 0
  if (single) {
    f32[0] = x
    i32[0] = (i32[0] as number) + (up ? 1 : -1)
    return f32[0] as number
  }
  f64[0] = x
  i64[0] = (i64[0] as bigint) + (up ? 1n : -1n)
  return f64[0] as number
}

/** The bit layout of a source format. */
interface Layout {
  readonly mantissa: number
  readonly exponent: number
}
const BINARY32: Layout = { mantissa: 23, exponent: 8 }
const BINARY64: Layout = { mantissa: 52, exponent: 11 }

/** Round the bits `u` (an unsigned `width`-bit integer) of a `src` value to `e` exponent and `m` mantissa bits. */
const reduceBits = (u: bigint, src: Layout, e: number, m: number): bigint => {
  const width = BigInt(src.mantissa + src.exponent + 1)
  const wrap = (v: bigint): bigint => BigInt.asUintN(Number(width), v)
  if (m < src.mantissa) {
    const shift = BigInt(src.mantissa - m)
    const last = 1n << shift
    // round to nearest, ties to even: add 0111…1 plus the last kept bit, then truncate
    const bias = (last >> 1n) - 1n + ((u & last) >> shift)
    u = wrap(u + bias) & wrap(~(last - 1n))
  }
  if (e < src.exponent) {
    const sign = u & (1n << (width - 1n))
    const expMask = ((1n << BigInt(src.exponent)) - 1n) << BigInt(src.mantissa)
    const bias = (1n << BigInt(src.exponent - 1)) - 1n
    const narrowBias = (1n << BigInt(e - 1)) - 1n
    const field = u & expMask
    if (field > (bias + narrowBias) << BigInt(src.mantissa)) u = sign | expMask
    else if (field <= (bias - narrowBias) << BigInt(src.mantissa)) u = sign
  }
  return u
}

/**
 * `x` rounded to a float format with `e ≥ 1` exponent bits and `m ≥ 0` mantissa bits, stored
 * back in binary32 (`single`) or binary64.
 */
export const reducePrecisionScalar = (x: number, e: number, m: number, single: boolean): number => {
  if (Number.isNaN(x)) return m > 0 ? x : Infinity
  if (single) {
    f32[0] = x
    u32[0] = Number(reduceBits(BigInt(u32[0] as number), BINARY32, e, m))
    return f32[0] as number
  }
  f64[0] = x
  u64[0] = reduceBits(u64[0] as bigint, BINARY64, e, m)
  return f64[0] as number
}
