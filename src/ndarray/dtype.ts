/**
 * Data types, their storage and the promotion lattice.
 *
 * @category ndarray
 * @since 0.1.0
 */
import { DTypeError } from './errors'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Element types of an {@link NdArray}. @category ndarray @since 0.1.0 */
export type DType = 'float32' | 'float64' | 'int32' | 'bool'

/** The typed array that stores each dtype. bool is stored as 0/1 bytes. */
export interface StorageOf {
  readonly float32: Float32Array
  readonly float64: Float64Array
  readonly int32: Int32Array
  readonly bool: Uint8Array
}

/** Any storage buffer. */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array

/** All dtypes, in promotion order. */
export const DTYPES: ReadonlyArray<DType> = ['bool', 'int32', 'float32', 'float64']

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

/** Allocates zeroed storage for `n` elements of `dtype`. */
export const allocate = (dtype: DType, n: number): TypedArray => {
  switch (dtype) {
    case 'float32':
      return new Float32Array(n)
    case 'float64':
      return new Float64Array(n)
    case 'int32':
      return new Int32Array(n)
    case 'bool':
      return new Uint8Array(n)
  }
}

/** The dtype a buffer stores. */
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

const rank: { readonly [K in DType]: number } = { bool: 0, int32: 1, float32: 2, float64: 3 }

/**
 * The dtype two arrays promote to: bool < int32 < float32 < float64 (as JAX with x64 enabled,
 * except that int32 with float32 stays float32 as JAX's weak rules give).
 */
export const promoteTypes = (a: DType, b: DType): DType => (rank[a] >= rank[b] ? a : b)

/** Validates a dtype name coming from user code. */
export const checkDType = (op: string, dtype: unknown): DType => {
  if (dtype === 'float32' || dtype === 'float64' || dtype === 'int32' || dtype === 'bool') return dtype
  throw new DTypeError(`${op}: unknown dtype ${String(dtype)}; expected one of float32, float64, int32, bool`)
}

/** Short dtype names used when printing tapes: f32, f64, i32, bool. */
export const shortDType: { readonly [K in DType]: string } = {
  float32: 'f32',
  float64: 'f64',
  int32: 'i32',
  bool: 'bool',
}
