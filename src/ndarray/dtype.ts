/**
 * Data types, their storage and the promotion lattice.
 *
 * @category ndarray
 * @since 0.1.0
 */
import { DTypeError, OverflowError } from './errors'
import { warmAllocator } from './allocatorWarmup'
import { MIN_POOLED_BYTES, noteBirth, takeBuffer } from './bufferPool'

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
export type DType = 'float32' | 'float64' | 'int32' | 'int64' | 'int16' | 'int8' | 'uint8' | 'bool'

/** The typed array that stores each dtype. bool is stored as 0/1 bytes. */
export interface StorageOf {
  readonly float32: Float32Array
  readonly float64: Float64Array
  readonly int32: Int32Array
  readonly int64: Float64Array
  readonly int16: Int16Array
  readonly int8: Int8Array
  readonly uint8: Uint8Array
  readonly bool: Uint8Array
}

/** Any storage buffer. */
export type TypedArray = Float32Array | Float64Array | Int32Array | Int16Array | Int8Array | Uint8Array

/** All dtypes, in promotion order. */
export const DTYPES: ReadonlyArray<DType> = ['bool', 'uint8', 'int8', 'int16', 'int32', 'int64', 'float32', 'float64']

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

/** Node's allocator of memory left uninitialised (`Buffer.allocUnsafeSlow`), where there is one. */
type UnsafeAlloc = (bytes: number) => { readonly buffer: unknown; readonly byteOffset: number }
const allocUnsafeSlow: UnsafeAlloc | undefined = (() => {
  const B = (globalThis as { Buffer?: { allocUnsafeSlow?: unknown } }).Buffer
  return typeof B?.allocUnsafeSlow === 'function' ? (B.allocUnsafeSlow.bind(B) as UnsafeAlloc) : undefined
})()

/**
 * A new buffer of `bytes` bytes whose contents the caller overwrites whole: under Node, memory
 * left uninitialised (`Buffer.allocUnsafeSlow`, a whole ArrayBuffer of its own), so the C
 * allocator does not clear 4 MB that the caller writes again at once (measured: a 4 MB float32
 * result written by copying, CPU-time minimum 0.32 → 0.20 ms on Node 20, interleaved rounds); elsewhere
 * a zeroed `ArrayBuffer`.
 */
const freshUninit = (bytes: number): ArrayBuffer => {
  // a size that is not a whole count (NaN from bad input) keeps the ArrayBuffer's own handling, so
  // the caller's typed error is raised as before rather than Node's RangeError
  const b = Number.isSafeInteger(bytes) && bytes >= 0 ? allocUnsafeSlow?.(bytes) : undefined
  return b !== undefined && b.buffer instanceof ArrayBuffer && b.byteOffset === 0 && b.buffer.byteLength === bytes
    ? b.buffer
    : new ArrayBuffer(bytes)
}

/**
 * Float storage of `n` elements, from the recycled buffers when large (../bufferPool): contents
 * arbitrary when recycled or (`zero` false) fresh, so `zero` says whether to clear them. The first
 * large one warms the C allocator (./allocatorWarmup).
 */
const allocateFloat = (f64: boolean, n: number, zero: boolean): Float32Array | Float64Array => {
  const bytes = n * (f64 ? 8 : 4)
  if (bytes < MIN_POOLED_BYTES) return f64 ? new Float64Array(n) : new Float32Array(n)
  warmAllocator(bytes)
  const reused = takeBuffer(bytes)
  const buf = reused ?? (zero ? new ArrayBuffer(bytes) : freshUninit(bytes))
  noteBirth(buf)
  const out = f64 ? new Float64Array(buf) : new Float32Array(buf)
  if (reused !== undefined && zero) out.fill(0)
  return out
}

/** Allocates zeroed storage for `n` elements of `dtype`. */
export const allocate = (dtype: DType, n: number): TypedArray => {
  switch (dtype) {
    case 'float32':
      return allocateFloat(false, n, true)
    case 'float64':
    case 'int64':
      return allocateFloat(true, n, true)
    case 'int32':
      return new Int32Array(n)
    case 'int16':
      return new Int16Array(n)
    case 'int8':
      return new Int8Array(n)
    case 'uint8':
    case 'bool':
      return new Uint8Array(n)
  }
}

/** Storage for `n` elements of `dtype` whose every element the caller will write (contents arbitrary). */
export const allocateUninit = (dtype: DType, n: number): TypedArray =>
  dtype === 'float32' || dtype === 'float64' || dtype === 'int64'
    ? allocateFloat(dtype !== 'float32', n, false)
    : allocate(dtype, n)

/**
 * The dtype a buffer stores (a Float64Array is float64 and a Uint8Array bool: int64 and uint8 are
 * only ever asked for by name).
 */
export const dtypeOfBuffer = (buf: TypedArray): DType =>
  buf instanceof Float32Array
    ? 'float32'
    : buf instanceof Float64Array
      ? 'float64'
      : buf instanceof Int32Array
        ? 'int32'
        : buf instanceof Int16Array
          ? 'int16'
          : buf instanceof Int8Array
            ? 'int8'
            : 'bool'

/** True for float32 and float64. */
export const isFloat = (dtype: DType): boolean => dtype === 'float32' || dtype === 'float64'

/** True for the integer dtypes (uint8, int8, int16, int32, int64; not bool). */
export const isInteger = (dtype: DType): boolean => dtype !== 'bool' && !isFloat(dtype)

/**
 * The small integer dtypes: stored in their own typed array, so arithmetic wraps modulo 2⁸ or 2¹⁶
 * as in NumPy, JAX and PyTorch.
 */
export const isSmallInt = (dtype: DType): dtype is 'int16' | 'int8' | 'uint8' =>
  dtype === 'int16' || dtype === 'int8' || dtype === 'uint8'

/**
 * The dtype sums and products of `dtype` accumulate in: bool and the small integers widen to
 * int32 (JAX's default integer; NumPy widens to its platform integer), the rest keep theirs.
 */
export const sumDType = (dtype: DType): DType => (dtype === 'bool' || isSmallInt(dtype) ? 'int32' : dtype)

const rank: { readonly [K in DType]: number } = {
  bool: 0,
  uint8: 1,
  int8: 2,
  int16: 3,
  int32: 4,
  int64: 5,
  float32: 6,
  float64: 7,
}

/**
 * The dtype two arrays promote to: bool < uint8 < int8 < int16 < int32 < int64 < float32 < float64,
 * except uint8 with int8, which is int16 (the smallest type holding both ranges). As JAX with x64
 * enabled and PyTorch, except that an integer with float32 stays float32 as JAX's weak rules and
 * PyTorch give.
 */
export const promoteTypes = (a: DType, b: DType): DType =>
  (a === 'uint8' && b === 'int8') || (a === 'int8' && b === 'uint8') ? 'int16' : rank[a] >= rank[b] ? a : b

/** NumPy's numeric dtype names that have no array type here (JAX's check_valid_dtype refuses them). */
const FOREIGN_NUMERIC: ReadonlySet<string> = new Set([
  'float16',
  'half',
  'bfloat16',
  'float128',
  'longdouble',
  'complex64',
  'complex128',
  'complex256',
  'uint16',
  'uint32',
  'uint64',
])

/**
 * Validates a dtype name coming from user code. JAX's wording: a name NumPy does not know is
 * "data type 'foo' not understood"; a NumPy dtype without an array type here is "not a valid JAX
 * array type" (both TypeErrors in JAX, DTypeErrors here).
 */
export const checkDType = (op: string, dtype: unknown): DType => {
  if (typeof dtype === 'string' && (DTYPES as ReadonlyArray<string>).includes(dtype)) return dtype as DType
  const choices = `expected one of ${DTYPES.join(', ')}`
  throw new DTypeError(
    typeof dtype === 'string' && FOREIGN_NUMERIC.has(dtype)
      ? `${op}: Dtype ${dtype} is not a valid JAX array type. Only arrays of numeric types are supported by JAX; ${choices}`
      : `${op}: data type ${typeof dtype === 'string' ? `'${dtype}'` : String(dtype)} not understood; ${choices}`,
  )
}

/** Short dtype names used when printing tapes: f32, f64, i32, i64, i16, i8, u8, bool. */
export const shortDType: { readonly [K in DType]: string } = {
  float32: 'f32',
  float64: 'f64',
  int32: 'i32',
  int64: 'i64',
  int16: 'i16',
  int8: 'i8',
  uint8: 'u8',
  bool: 'bool',
}

/**
 * Checks that every value of an int64 buffer is a safe integer (|x| ≤ 2⁵³ − 1), the range in
 * which a float64 holds integers exactly; `what` names the operation in the error. Sums,
 * differences and products of safe integers whose exact value leaves the range round to at least
 * 2⁵³, so checking results after the float64 arithmetic catches every overflow.
 */
export const checkInt64 = (what: string, buf: TypedArray): void => {
  for (let i = 0; i < buf.length; i++) {
    const v = buf[i] as number
    if (!Number.isSafeInteger(v)) throw overflow(what, v)
    if (v === 0) buf[i] = 0 // no -0 in an integer dtype (-3 * 0, -(0), a product with a negative factor)
  }
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
