/**
 * Bit packing (JAX's `jnp.packbits` / `jnp.unpackbits`, NumPy's semantics): eight truth values
 * to one uint8 and back, along an axis or over the flattened array, most significant bit first
 * (`bitorder: 'big'`) or last (`'little'`). Composed from comparisons, shifts, a pad and a sum,
 * so both stage under `jit` and batch under `vmap`; neither has a gradient (their outputs are
 * integers).
 *
 * @category ops
 * @since 0.5.0
 */
import { checkOptions } from '../../internal/options'
import { DTypeError, ValueError } from '../../ndarray/errors'
import { isInteger } from '../../ndarray/dtype'
import type { NdArray } from '../../ndarray/NdArray'
import { normalizeAxis } from '../../ndarray/shape'
import { array } from '../../ndarray/create'
import { bitwiseAnd, rightShift } from '../bitwise'
import { asArray, type ArrayLike } from '../convert'
import { mul, notEqual } from '../elementwise'
import { pad } from '../laxStructural'
import { astype, reshape } from '../layout'
import { sum } from '../reduce'
import { moveaxis } from './shape'

/** Options of {@link packbits}. */
export interface PackbitsOptions {
  /** The axis to pack along; default none: the flattened array. */
  readonly axis?: number | null
  /** `'big'` (default): the first element is the most significant bit; `'little'`: the least. */
  readonly bitorder?: 'big' | 'little'
}

/** Options of {@link unpackbits}. */
export interface UnpackbitsOptions extends PackbitsOptions {
  /**
   * How many bits to keep along the axis: fewer cut the end, more pad with zeros, a negative
   * count removes that many from the end; default all (eight per byte).
   */
  readonly count?: number | null
}

/** The bit weights of one byte, in the element order of `bitorder`. */
const weights = (op: string, bitorder: unknown): number[] => {
  if (bitorder !== 'big' && bitorder !== 'little')
    throw new ValueError(`${op}: 'order' must be either 'little' or 'big', got ${String(bitorder)}`)
  const w = [128, 64, 32, 16, 8, 4, 2, 1]
  return bitorder === 'big' ? w : w.reverse()
}

/** The array with the working axis last (the flattened array when axis is null/undefined). */
const axisLast = (op: string, a: NdArray, axis: number | null | undefined): [NdArray, number | null] => {
  if (axis === null || axis === undefined) return [reshape(a, [a.size]), null]
  const ax = normalizeAxis(op, axis, a.ndim)
  return [moveaxis(a, ax, -1), ax]
}

/**
 * Packs the truth values of an integer or bool array into uint8 bytes along an axis (or the
 * flattened array), padding the last byte with zero bits (JAX's `jnp.packbits(a, axis, bitorder)`).
 * @example
 * import { packbits, array } from 'wengert'
 * const b = packbits(array([1, 0, 1, 1, 0, 0, 0, 0, 1], { dtype: 'int32' }))
 * assert.deepStrictEqual(b.toArray(), [176, 128])
 * assert.strictEqual(b.dtype, 'uint8')
 * @category ops
 * @since 0.5.0
 */
export const packbits = (a: ArrayLike, options: PackbitsOptions = {}): NdArray => {
  checkOptions('packbits', options, ['axis', 'bitorder'])
  const x = asArray('packbits', a)
  if (!isInteger(x.dtype) && x.dtype !== 'bool')
    throw new DTypeError(`packbits: Expected an input array of integer or boolean data type, got ${x.dtype}`)
  const w = weights('packbits', options.bitorder ?? 'big')
  const [last, axis] = axisLast('packbits', astype(notEqual(x, 0), 'int32'), options.axis)
  const n = last.shape[last.ndim - 1] as number
  const padded = pad(
    last,
    0,
    last.shape.map((_, d) => [0, d === last.ndim - 1 ? (8 - (n % 8)) % 8 : 0, 0] as const),
  )
  const bytes = reshape(padded, [...last.shape.slice(0, -1), Math.ceil(n / 8), 8])
  const packed = astype(sum(mul(bytes, array(w, { dtype: 'int32' })), { axis: -1 }), 'uint8')
  return axis === null ? packed : moveaxis(packed, -1, axis)
}

/**
 * Unpacks uint8 bytes into their bits (0 or 1, uint8) along an axis or the flattened array (JAX's
 * `jnp.unpackbits(a, axis, count, bitorder)`).
 * @example
 * import { unpackbits, array } from 'wengert'
 * const bits = unpackbits(array([176], { dtype: 'uint8' }), { count: 4 })
 * assert.deepStrictEqual(bits.toArray(), [1, 0, 1, 1])
 * @category ops
 * @since 0.5.0
 */
export const unpackbits = (a: ArrayLike, options: UnpackbitsOptions = {}): NdArray => {
  checkOptions('unpackbits', options, ['axis', 'count', 'bitorder'])
  const x = asArray('unpackbits', a)
  if (x.dtype !== 'uint8')
    throw new DTypeError(`unpackbits: Expected an input array of unsigned byte data type, got ${x.dtype}`)
  const w = weights('unpackbits', options.bitorder ?? 'big')
  const { count } = options
  if (count !== undefined && count !== null && !Number.isInteger(count))
    throw new TypeError(`unpackbits: count must be an integer or null, got ${String(count)}`)
  const [last, axis] = axisLast('unpackbits', astype(x, 'int32'), options.axis)
  const shifts = array(
    w.map((v) => Math.log2(v)),
    { dtype: 'int32' },
  )
  const bits = bitwiseAnd(rightShift(reshape(last, [...last.shape, 1]), shifts), 1)
  const n = (last.shape[last.ndim - 1] as number) * 8
  let flat = reshape(bits, [...last.shape.slice(0, -1), n])
  if (count !== undefined && count !== null) {
    const keep = count < 0 ? Math.max(n + count, 0) : count
    flat = pad(
      flat,
      0,
      flat.shape.map((_, d) => [0, d === flat.ndim - 1 ? keep - n : 0, 0] as const),
    )
  }
  const out = astype(flat, 'uint8')
  return axis === null ? out : moveaxis(out, -1, axis)
}
