/**
 * How `torch.tensor` reads JS data into a dtype. Python tells `1` from `1.0`; JS does not, so JS
 * numbers are floats (the default dtype) and the two JS spellings of an integer pick an integer
 * dtype instead: a `bigint` (`torch.tensor([1n, 2n])` is int64, as Python's `[1, 2]`) and a typed
 * array (`Int32Array` → int32, `BigInt64Array` → int64, `Uint8Array` → uint8, `Float64Array` →
 * float64, as `torch.tensor` of a NumPy array keeps its dtype). Leaves mix as Python's do: any
 * float makes the tensor floating, else any integer makes it int64, else it is bool.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(torch.tensor([1n, 2n, 3n]).dtype, torch.int64)
 * assert.strictEqual(torch.tensor(new Int32Array([1, 2])).dtype, torch.int32)
 * assert.strictEqual(torch.tensor([[true, 2n]]).dtype, torch.int64)
 * assert.strictEqual(torch.tensor([1n, 2.5]).dtype, torch.float32)
 * @category torch
 * @since 0.2.0
 */
import { NdArray, type NestedArray } from '../ndarray/NdArray'
import { type DType } from '../ndarray/dtype'
import { OverflowError } from '../ndarray/errors'
import { RuntimeError } from './errors'

/** The integer values a wengert int64 holds exactly. */
const INT64_MAX = 2n ** 63n - 1n

/** A bigint as a JS number: exact, or a typed error (wengert's int64 holds ±(2⁵³ − 1) exactly). */
const bigintValue = (b: bigint): number => {
  if (b > INT64_MAX || b < -INT64_MAX - 1n)
    throw new RuntimeError(`Overflow when unpacking long: ${b} is outside int64`)
  const n = Number(b)
  if (!Number.isSafeInteger(n))
    throw new OverflowError(
      `tensor: ${b} is an int64 value wengert cannot hold exactly (its int64 is exact to ±(2^53 - 1) = ±9007199254740991)`,
    )
  return n
}

/** The dtype a typed array keeps in `torch.tensor` (undefined: the core's own default for the buffer). */
const typedDtype = (x: ArrayBufferView): DType | undefined =>
  x instanceof BigInt64Array
    ? 'int64'
    : x instanceof Uint8Array && !(x instanceof Uint8ClampedArray)
      ? 'uint8'
      : undefined

/** What kinds of leaves nested data holds: 4 = float, 2 = integer (bigint), 1 = bool, OR-ed. */
const leafKinds = (d: unknown): number => {
  if (typeof d === 'number') return 4
  if (typeof d === 'bigint') return 2
  if (typeof d === 'boolean') return 1
  if (Array.isArray(d)) return d.reduce((k: number, e: unknown) => k | leafKinds(e), 0)
  return 0
}

/** Nested data with its bigints (and BigInt64Array buffers) turned into exact numbers. */
const numbersOf = (d: unknown): unknown => {
  if (typeof d === 'bigint') return bigintValue(d)
  if (d instanceof BigInt64Array) return Array.from(d, bigintValue)
  if (Array.isArray(d)) return d.map(numbersOf)
  return d
}

/**
 * Plain data for `array` and the dtype `torch.tensor` infers for it, given the default float
 * dtype. An NdArray keeps its dtype.
 */
export const readTensorData = (
  plain: NestedArray | NdArray | unknown,
  defaultFloat: DType,
): { readonly data: NestedArray | NdArray; readonly dtype: DType | undefined } => {
  if (plain instanceof NdArray) return { data: plain, dtype: plain.dtype }
  if (ArrayBuffer.isView(plain)) return { data: numbersOf(plain) as NestedArray, dtype: typedDtype(plain) }
  const kinds = leafKinds(plain)
  const dtype: DType = kinds & 4 || kinds === 0 ? defaultFloat : kinds & 2 ? 'int64' : 'bool'
  return { data: (kinds & 2 ? numbersOf(plain) : plain) as NestedArray, dtype }
}
