/**
 * Reinterprets the bytes of an array as another dtype (XLA's BitcastConvertType), little-endian
 * as the CPU backends: same-size dtypes keep the shape; a wider source gains a trailing axis of
 * the size ratio; a narrower source loses its trailing axis, which must be that ratio. int64
 * (stored as float64 integers) is read and written through 64-bit integers; an int64 result
 * outside the exactly representable range raises, as every int64 result does.
 *
 * @category kernels
 * @since 0.7.0
 */
import { allocate, checkInt64, type DType } from '../dtype'
import { NdArray } from '../NdArray'

/** Bytes per element of each dtype (bool is one byte). */
export const ITEMSIZE: { readonly [K in DType]: number } = {
  bool: 1,
  uint8: 1,
  int8: 1,
  int16: 2,
  int32: 4,
  int64: 8,
  float32: 4,
  float64: 8,
}

const viewOf = (dtype: DType, buf: ArrayBuffer): ArrayLike<number | bigint> & { [i: number]: number | bigint } => {
  switch (dtype) {
    case 'float32':
      return new Float32Array(buf)
    case 'float64':
      return new Float64Array(buf)
    case 'int64':
      return new BigInt64Array(buf)
    case 'int32':
      return new Int32Array(buf)
    case 'int16':
      return new Int16Array(buf)
    case 'int8':
      return new Int8Array(buf)
    default:
      return new Uint8Array(buf)
  }
}

/** The shape of the bitcast of `shape` from `from` to `to` (assumes the sizes were checked). */
export const bitcastShape = (shape: ReadonlyArray<number>, from: DType, to: DType): number[] => {
  const [a, b] = [ITEMSIZE[from], ITEMSIZE[to]]
  if (a === b) return [...shape]
  return a > b ? [...shape, a / b] : shape.slice(0, -1)
}

/** `x`'s bytes as `to`. */
export const bitcast = (x: NdArray, to: DType): NdArray => {
  const buf = new ArrayBuffer(x.size * ITEMSIZE[x.dtype])
  const src = viewOf(x.dtype, buf)
  const d = x._data
  for (let i = 0; i < x.size; i++) src[i] = x.dtype === 'int64' ? BigInt(d[i] as number) : (d[i] as number)
  const dst = viewOf(to, buf)
  const out = allocate(to, dst.length)
  for (let i = 0; i < dst.length; i++) {
    const v = dst[i] as number | bigint
    out[i] = typeof v === 'bigint' ? Number(v) : to === 'bool' ? (v === 0 ? 0 : 1) : v
  }
  if (to === 'int64') {
    for (let i = 0; i < dst.length; i++) if (BigInt(out[i] as number) !== (dst[i] as bigint)) out[i] = NaN // not exact: reported by checkInt64
    checkInt64('bitcast_convert_type', out)
  }
  return new NdArray(bitcastShape(x.shape, x.dtype, to), to, out)
}
