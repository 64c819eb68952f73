/**
 * Bit operations on integer and bool arrays, in the two's complement of the dtype's width (XLA's
 * semantics, which JAX's `lax.bitwise_*` and shifts follow): and/or/xor/not, shifts whose count
 * lies outside [0, bits) give 0 (−1 for a negative value shifted right arithmetically), and the
 * population count. Values fitting 32 bits use JS's bit operators; int64 goes through BigInt and
 * is checked to stay exact (OverflowError beyond 2⁵³, as every int64 result is).
 *
 * @category kernels
 * @since 0.4.0
 */
import { allocate, checkInt64, type DType } from '../dtype'
import { NdArray } from '../NdArray'
import { broadcastShapes, type Shape } from '../shape'
import { broadcastInDim } from './movement'

/** The binary bit operations. */
export type BitBinaryOp = 'and' | 'or' | 'xor' | 'shift_left' | 'shift_right_arithmetic' | 'shift_right_logical'
/** The unary bit operations. */
export type BitUnaryOp = 'not' | 'population_count'

/** Bits of each integer dtype (bool: one). */
export const BIT_WIDTH: Readonly<Record<DType, number>> = {
  bool: 1,
  uint8: 8,
  int8: 8,
  int16: 16,
  int32: 32,
  int64: 64,
  float32: 32,
  float64: 64,
}

/** `v` wrapped into `dtype`'s range (two's complement; uint8 unsigned). */
const wrap = (v: bigint, dtype: DType): number => {
  const bits = BIT_WIDTH[dtype]
  if (dtype === 'bool') return Number(v & 1n)
  return Number(dtype === 'uint8' ? BigInt.asUintN(bits, v) : BigInt.asIntN(bits, v))
}

/** One element of a binary bit operation on `dtype` values. */
const bitBinaryScalar = (op: BitBinaryOp, a: number, b: number, dtype: DType): number => {
  const bits = BIT_WIDTH[dtype]
  const x = BigInt(a)
  switch (op) {
    case 'and':
      return wrap(x & BigInt(b), dtype)
    case 'or':
      return wrap(x | BigInt(b), dtype)
    case 'xor':
      return wrap(x ^ BigInt(b), dtype)
    case 'shift_left':
      return b < 0 || b >= bits ? 0 : wrap(x << BigInt(b), dtype)
    case 'shift_right_arithmetic':
      return b < 0 || b >= bits ? (a < 0 ? -1 : 0) : wrap(x >> BigInt(b), dtype)
    case 'shift_right_logical':
      return b < 0 || b >= bits ? 0 : wrap(BigInt.asUintN(bits, x) >> BigInt(b), dtype)
  }
}

/** The fast 32-bit path of and/or/xor (both operands within int32). */
const small = (op: BitBinaryOp, a: number, b: number): number | undefined => {
  if ((a | 0) !== a || (b | 0) !== b) return undefined
  return op === 'and' ? a & b : op === 'or' ? a | b : op === 'xor' ? a ^ b : undefined
}

/** `x` broadcast to `shape` (a view when it already has it). */
const toShape = (x: NdArray, shape: Shape): NdArray =>
  x.shape.length === shape.length && x.shape.every((d, i) => d === shape[i])
    ? x
    : broadcastInDim(
        x,
        shape,
        x.shape.map((_, i) => i + shape.length - x.ndim),
      )

/** `op` element-wise over two same-dtype integer or bool arrays, with broadcasting. */
export const bitBinary = (name: string, op: BitBinaryOp, x: NdArray, y: NdArray): NdArray => {
  const shape = broadcastShapes(name, x.shape, y.shape)
  const a = toShape(x, shape)._data
  const b = toShape(y, shape)._data
  const out = allocate(x.dtype, a.length)
  for (let i = 0; i < out.length; i++) {
    const u = a[i] as number
    const v = b[i] as number
    out[i] = small(op, u, v) ?? bitBinaryScalar(op, u, v, x.dtype)
  }
  if (x.dtype === 'int64') checkInt64(name, out)
  return new NdArray(shape, x.dtype, out)
}

/** Set bits of `v` in `bits`-wide two's complement. */
const popCount = (v: number, bits: number): number => {
  let u = BigInt.asUintN(bits, BigInt(v))
  let n = 0
  while (u !== 0n) {
    n += Number(u & 1n)
    u >>= 1n
  }
  return n
}

/** `op` element-wise over an integer or bool array (same dtype out). */
export const bitUnary = (op: BitUnaryOp, x: NdArray): NdArray => {
  const bits = BIT_WIDTH[x.dtype]
  const a = x._data
  const out = allocate(x.dtype, a.length)
  for (let i = 0; i < out.length; i++) {
    const v = a[i] as number
    out[i] =
      op === 'population_count'
        ? popCount(v, bits)
        : x.dtype === 'bool'
          ? 1 - v
          : x.dtype === 'uint8'
            ? 255 - v
            : -v - 1
  }
  return new NdArray(x.shape, x.dtype, out)
}
