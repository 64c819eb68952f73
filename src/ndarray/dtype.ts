/**
 * Data types, their storage and the promotion lattice.
 *
 * @category ndarray
 * @since 0.1.0
 */
import { DTypeError, OverflowError } from './errors'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Element types of an {@link NdArray}.
 *
 * `int64` is stored in a Float64Array holding integers, and every int64 result is checked to be a
 * safe integer (|x| ≤ 2⁵³ − 1, `Number.isSafeInteger`): beyond, the operation raises
 * {@link OverflowError} instead of wrapping or rounding. Why not BigInt64Array: BigInt arithmetic
 * is an order of magnitude slower, cannot mix with numbers, and every kernel (the compiled loops,
 * the WebAssembly kernels, `jit`'s fused code) would need a second BigInt path; a float64 holds
 * every integer a JS number can hold, so indices, counts, seeds and `2**40` are exact and the
 * float64 kernels are reused. Integers beyond 2⁵³ (rare outside hashing) are refused, never wrong.
 *
 * @category ndarray
 * @since 0.1.0
 */
export type DType = 'float32' | 'float64' | 'int32' | 'int64' | 'bool'

/** The typed array that stores each dtype. bool is stored as 0/1 bytes. */
export interface StorageOf {
  readonly float32: Float32Array
  readonly float64: Float64Array
  readonly int32: Int32Array
  readonly int64: Float64Array
  readonly bool: Uint8Array
}

/** Any storage buffer. */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array

/** All dtypes, in promotion order. */
export const DTYPES: ReadonlyArray<DType> = ['bool', 'int32', 'int64', 'float32', 'float64']

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

/** Allocates zeroed storage for `n` elements of `dtype`. */
export const allocate = (dtype: DType, n: number): TypedArray => {
  switch (dtype) {
    case 'float32':
      return new Float32Array(n)
    case 'float64':
    case 'int64':
      return new Float64Array(n)
    case 'int32':
      return new Int32Array(n)
    case 'bool':
      return new Uint8Array(n)
  }
}

/** The dtype a buffer stores (a Float64Array is float64: int64 is only ever asked for by name). */
export const dtypeOfBuffer = (buf: TypedArray): DType =>
  buf instanceof Float32Array
    ? 'float32'
    : buf instanceof Float64Array
      ? 'float64'
      : buf instanceof Int32Array
        ? 'int32'
        : 'bool'

/** True for float32 and float64. */
export const isFloat = (dtype: DType): boolean => dtype === 'float32' || dtype === 'float64'

/** True for int32 and int64. */
export const isInteger = (dtype: DType): boolean => dtype === 'int32' || dtype === 'int64'

const rank: { readonly [K in DType]: number } = { bool: 0, int32: 1, int64: 2, float32: 3, float64: 4 }

/**
 * The dtype two arrays promote to: bool < int32 < int64 < float32 < float64 (as JAX with x64
 * enabled and PyTorch, except that an integer with float32 stays float32 as JAX's weak rules and
 * PyTorch give).
 */
export const promoteTypes = (a: DType, b: DType): DType => (rank[a] >= rank[b] ? a : b)

/** Validates a dtype name coming from user code. */
export const checkDType = (op: string, dtype: unknown): DType => {
  if (typeof dtype === 'string' && (DTYPES as ReadonlyArray<string>).includes(dtype)) return dtype as DType
  throw new DTypeError(`${op}: unknown dtype ${String(dtype)}; expected one of float32, float64, int32, int64, bool`)
}

/** Short dtype names used when printing tapes: f32, f64, i32, i64, bool. */
export const shortDType: { readonly [K in DType]: string } = {
  float32: 'f32',
  float64: 'f64',
  int32: 'i32',
  int64: 'i64',
  bool: 'bool',
}

/**
 * Checks that every value of an int64 buffer is a safe integer (|x| ≤ 2⁵³ − 1), the range in
 * which a float64 holds integers exactly; `what` names the operation in the error. Sums,
 * differences and products of safe integers whose exact value leaves the range round to at least
 * 2⁵³, so checking results after the float64 arithmetic catches every overflow.
 */
export const checkInt64 = (what: string, buf: TypedArray): void => {
  for (let i = 0; i < buf.length; i++) if (!Number.isSafeInteger(buf[i])) throw overflow(what, buf[i] as number)
}

const overflow = (what: string, v: number): OverflowError =>
  new OverflowError(
    `${what}: ${v} has no exact int64 value (wengert stores int64 in float64: integers within ` +
      `±(2**53 - 1); NaN and infinities have no integer value)`,
  )

/** Truncates the values of an int64 buffer toward zero (as a float → int64 cast) and checks them (see checkInt64). */
export const truncInt64 = (what: string, buf: TypedArray): void => {
  for (let i = 0; i < buf.length; i++) {
    const v = Math.trunc(buf[i] as number) + 0 // + 0: no -0 in an integer dtype
    if (!Number.isSafeInteger(v)) throw overflow(what, buf[i] as number)
    buf[i] = v
  }
}
