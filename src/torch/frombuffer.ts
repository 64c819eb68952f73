/**
 * `torch.frombuffer(buffer, *, dtype, count=-1, offset=0, requires_grad=False)`: a 1-D tensor of
 * `count` elements of `dtype` read from the bytes of `buffer` (an ArrayBuffer, SharedArrayBuffer,
 * typed array or DataView — JavaScript's objects exposing the buffer protocol), starting `offset`
 * bytes in, little-endian; PyTorch's argument checks and error texts.
 *
 * NOTE: PyTorch's tensor shares the buffer's memory. A wengert storage is replaced rather than
 * written on a tensor write, so the facade reads the bytes once, at the call: later changes to
 * the buffer do not reach the tensor, nor tensor writes the buffer.
 *
 * @category torch
 * @since 0.2.0
 */
import { array } from '../ndarray/create'
import type { DType } from '../ndarray/dtype'
import { TorchTypeError, TorchValueError } from './errors'
import type { Tensor } from './install'
import { Tensor as TensorClass } from './tensor'
import type { TorchDType } from './dtype'
import { RuntimeError } from './errors'

/** Bytes a Python buffer protocol exposes, as JavaScript holds them. @category torch @since 0.2.0 */
export type BufferLike = ArrayBufferLike | ArrayBufferView

/** Keyword arguments of {@link frombuffer}. @category torch @since 0.2.0 */
export interface FrombufferKw {
  /** The element type to read (required, as in PyTorch). */
  readonly dtype: TorchDType
  /** Elements to read; a negative count reads to the end. @defaultValue -1 */
  readonly count?: number
  /** Bytes to skip at the start. @defaultValue 0 */
  readonly offset?: number
  /** Make the result a leaf requiring grad (floating dtypes). @defaultValue false */
  readonly requires_grad?: boolean
}

/** The readers of one element at a byte offset (little-endian), by storage dtype. */
const READ: { readonly [K in DType]: (v: DataView, at: number) => number } = {
  float32: (v, at) => v.getFloat32(at, true),
  float64: (v, at) => v.getFloat64(at, true),
  int64: (v, at) => Number(v.getBigInt64(at, true)),
  int32: (v, at) => v.getInt32(at, true),
  int16: (v, at) => v.getInt16(at, true),
  int8: (v, at) => v.getInt8(at),
  uint8: (v, at) => v.getUint8(at),
  bool: (v, at) => (v.getUint8(at) === 0 ? 0 : 1),
}

const viewOf = (buffer: BufferLike): DataView => {
  if (ArrayBuffer.isView(buffer)) return new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength)
  if (
    buffer instanceof ArrayBuffer ||
    (typeof SharedArrayBuffer !== 'undefined' && buffer instanceof SharedArrayBuffer)
  )
    return new DataView(buffer)
  throw new TorchTypeError(`object does not implement Python buffer protocol.`)
}

/** PyTorch's checks of count and offset; the number of elements to read. */
const elementCount = (len: number, size: number, count: number, offset: number): number => {
  if (len <= 0 || count === 0)
    throw new TorchValueError(`both buffer length (${len}) and count (${count}) must not be 0`)
  if (offset < 0 || offset >= len)
    throw new TorchValueError(
      `offset (${offset} bytes) must be non-negative and no greater than buffer length (${len} bytes) minus 1`,
    )
  if (count < 0) {
    if ((len - offset) % size !== 0)
      throw new TorchValueError(
        `buffer length (${len - offset} bytes) after offset (${offset} bytes) must be a multiple of element size (${size})`,
      )
    return (len - offset) / size
  }
  if (offset + count * size > len)
    throw new TorchValueError(
      `requested buffer length (${count} * ${size} bytes) after offset (${offset} bytes) must not be greater than actual buffer length (${len} bytes)`,
    )
  return count
}

/**
 * A 1-D tensor of `dtype` read from `buffer`'s bytes (`count` elements, default all, from byte
 * `offset`), little-endian.
 * @example
 * import * as torch from 'wengert/torch'
 * const bytes = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])
 * const t = torch.frombuffer(bytes, { dtype: torch.int16, count: 2, offset: 2 })
 * assert.deepStrictEqual(t.tolist(), [1027, 1541])
 * @category torch @since 0.2.0
 */
export const frombuffer = (buffer: BufferLike, kw?: FrombufferKw): Tensor => {
  if (kw?.dtype === undefined) throw new TorchTypeError('frombuffer() missing 1 required positional arguments: "dtype"')
  const view = viewOf(buffer)
  const dt = kw.dtype.storage
  const size = kw.dtype.itemsize
  const n = elementCount(view.byteLength, size, kw.count ?? -1, kw.offset ?? 0)
  const read = READ[dt]
  const data = Array.from({ length: n }, (_, i) => read(view, (kw.offset ?? 0) + i * size))
  const t = TensorClass._fromValue(array(data, { dtype: dt, shape: [n] }))
  if (kw.requires_grad === true) {
    if (!kw.dtype.is_floating_point)
      throw new RuntimeError('Only Tensors of floating point and complex dtype can require gradients')
    t.requires_grad_(true)
  }
  return t
}
