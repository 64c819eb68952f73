/**
 * Integer dtypes' ranges and the two conversions of a JS number into one: the checked one of
 * array construction (a value that is not representable raises, as NumPy's does) and the
 * saturating one of `astype`/`cast` (as JAX's: NaN becomes 0, values past the range become its
 * ends, fractions truncate toward zero).
 *
 * @category ndarray
 * @since 0.2.0
 */
import type { DType } from './dtype'
import { ValueError } from './errors'

/** The closed range of each integer dtype (one row per integer dtype; floats and bool have none). */
const INT_RANGES: { readonly [dtype: string]: readonly [number, number] | undefined } = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  int16: [-(2 ** 15), 2 ** 15 - 1],
  int8: [-128, 127],
  uint8: [0, 255],
}

/** The range of `dtype` when it is an integer dtype, else undefined. */
export const intRange = (dtype: DType): readonly [number, number] | undefined => INT_RANGES[dtype]

/** `v` converted as JAX's `astype` converts a float to an integer dtype of range [lo, hi]. */
export const saturate = (v: number, lo: number, hi: number): number =>
  v !== v ? 0 : v <= lo ? lo : v >= hi ? hi : Math.trunc(v)

/**
 * `v` as an element of `dtype` when building an array from JS data: integer dtypes truncate
 * fractions but refuse NaN, ±Infinity and values out of range; bool stores non-zero as 1.
 * `k` is the element's index in the flattened data (for the message).
 */
export const storeChecked = (op: string, dtype: DType, v: number, k: number): number => {
  if (dtype === 'bool') return v !== 0 ? 1 : 0
  const r = intRange(dtype)
  if (r === undefined) return v
  const t = Math.trunc(v)
  if (!(t >= r[0] && t <= r[1])) {
    throw new ValueError(
      `${op}: the value ${v} at flat index ${k} cannot be stored as ${dtype} (its range is [${r[0]}, ${r[1]}]); cast a float array with astype to saturate, or choose a wider dtype`,
    )
  }
  return t
}
