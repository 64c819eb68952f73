/**
 * Tensor bytes: decoding PyTorch storages (every storage type PyTorch writes) into facade
 * tensors, and encoding facade tensors as little-endian bytes. Long storages become int64
 * tensors, exact to ±(2⁵³ − 1) (wengert's int64 is held in float64, see `DType`): larger values
 * are refused, never rounded or wrapped; int32 storages become int32 tensors, and the narrower
 * integer storages (int16, int8, uint8, which wengert does not have) int32 ones. Half and
 * bfloat16 storages become float32.
 *
 * @category torch
 * @since 0.2.0
 */
import { NdArray } from '../../ndarray/NdArray'
import { allocate, type DType } from '../../ndarray/dtype'
import { RuntimeError } from '../errors'
import { Tensor } from '../tensor'

/** How one storage type is laid out and which facade dtype it loads as. */
export interface StorageKind {
  /** PyTorch's storage class name (`FloatStorage`). */
  readonly name: string
  /** safetensors' dtype name (`F32`). */
  readonly st: string
  readonly itemsize: number
  /** The NdArray dtype holding the values. */
  readonly target: DType
  /** Reads element `i` of a little-endian buffer. */
  readonly read: (dv: DataView, i: number) => number
}

const half = (h: number): number => {
  const s = h & 0x8000 ? -1 : 1
  const e = (h >> 10) & 0x1f
  const f = h & 0x3ff
  if (e === 0) return s * f * 2 ** -24
  if (e === 31) return f === 0 ? s * Infinity : NaN
  return s * (1 + f / 1024) * 2 ** (e - 15)
}
const bf16 = (h: number): number => {
  const dv = new DataView(new ArrayBuffer(4))
  dv.setUint32(0, h << 16, true)
  return dv.getFloat32(0, true)
}

const kind = (name: string, st: string, itemsize: number, target: DType, read: StorageKind['read']): StorageKind => ({
  name,
  st,
  itemsize,
  target,
  read,
})

/** Every storage type, by PyTorch's class name. */
export const STORAGE_KINDS: ReadonlyArray<StorageKind> = [
  kind('FloatStorage', 'F32', 4, 'float32', (dv, i) => dv.getFloat32(4 * i, true)),
  kind('DoubleStorage', 'F64', 8, 'float64', (dv, i) => dv.getFloat64(8 * i, true)),
  kind('HalfStorage', 'F16', 2, 'float32', (dv, i) => half(dv.getUint16(2 * i, true))),
  kind('BFloat16Storage', 'BF16', 2, 'float32', (dv, i) => bf16(dv.getUint16(2 * i, true))),
  kind('LongStorage', 'I64', 8, 'int64', (dv, i) => {
    const v = dv.getBigInt64(8 * i, true)
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER))
      throw new RuntimeError(
        `torch.load: the int64 value ${v} is beyond ±(2**53 - 1), which wengert's int64 tensors (stored in float64) hold exactly; it is refused rather than rounded`,
      )
    return Number(v)
  }),
  kind('IntStorage', 'I32', 4, 'int32', (dv, i) => dv.getInt32(4 * i, true)),
  kind('ShortStorage', 'I16', 2, 'int16', (dv, i) => dv.getInt16(2 * i, true)),
  kind('CharStorage', 'I8', 1, 'int8', (dv, i) => dv.getInt8(i)),
  kind('ByteStorage', 'U8', 1, 'uint8', (dv, i) => dv.getUint8(i)),
  kind('BoolStorage', 'BOOL', 1, 'bool', (dv, i) => (dv.getUint8(i) !== 0 ? 1 : 0)),
]

/** The storage kind of a PyTorch class name or a safetensors dtype. */
export const storageKind = (by: 'name' | 'st', key: string): StorageKind => {
  const k = STORAGE_KINDS.find((s) => s[by] === key)
  if (k === undefined) throw new RuntimeError(`torch.load: unsupported storage type '${key}'`)
  return k
}

/**
 * The tensor of `size` and `stride` (in elements) starting at `offset` in a storage of `kind`
 * held in `bytes` (a view with arbitrary strides, as PyTorch saves views).
 */
export const tensorFromStorage = (
  kind: StorageKind,
  bytes: Uint8Array,
  offset: number,
  size: ReadonlyArray<number>,
  stride: ReadonlyArray<number>,
): Tensor => {
  const n = size.reduce((a, b) => a * b, 1)
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const available = Math.floor(bytes.byteLength / kind.itemsize)
  const out = allocate(kind.target, n)
  const idx = new Array<number>(size.length).fill(0)
  for (let k = 0; k < n; k++) {
    let e = offset
    for (let d = 0; d < size.length; d++) e += (idx[d] as number) * (stride[d] as number)
    if (e < 0 || e >= available)
      throw new RuntimeError(
        `torch.load: a tensor reads element ${e} of a storage of ${available} elements (the file is damaged)`,
      )
    out[k] = kind.read(dv, e)
    for (let d = size.length - 1; d >= 0; d--) {
      idx[d] = (idx[d] as number) + 1
      if ((idx[d] as number) < (size[d] as number)) break
      idx[d] = 0
    }
  }
  return new Tensor(new NdArray([...size], kind.target, out))
}

/** The storage class, safetensors dtype and little-endian bytes of a tensor's (contiguous) values. */
export const tensorBytes = (
  t: Tensor,
): { readonly storage: string; readonly st: string; readonly bytes: Uint8Array } => {
  const v = t._value()
  const src = v._values('save')
  switch (v.dtype) {
    case 'float32':
    case 'float64': {
      const isF32 = v.dtype === 'float32'
      const out = new Uint8Array(src.length * (isF32 ? 4 : 8))
      const dv = new DataView(out.buffer)
      for (let i = 0; i < src.length; i++)
        isF32 ? dv.setFloat32(4 * i, src[i] as number, true) : dv.setFloat64(8 * i, src[i] as number, true)
      return { storage: isF32 ? 'FloatStorage' : 'DoubleStorage', st: isF32 ? 'F32' : 'F64', bytes: out }
    }
    case 'int64': {
      const out = new Uint8Array(src.length * 8)
      const dv = new DataView(out.buffer)
      for (let i = 0; i < src.length; i++) dv.setBigInt64(8 * i, BigInt(src[i] as number), true)
      return { storage: 'LongStorage', st: 'I64', bytes: out }
    }
    case 'int32': {
      const out = new Uint8Array(src.length * 4)
      const dv = new DataView(out.buffer)
      for (let i = 0; i < src.length; i++) dv.setInt32(4 * i, src[i] as number, true)
      return { storage: 'IntStorage', st: 'I32', bytes: out }
    }
    case 'int16': {
      const out = new Uint8Array(src.length * 2)
      const dv = new DataView(out.buffer)
      for (let i = 0; i < src.length; i++) dv.setInt16(2 * i, src[i] as number, true)
      return { storage: 'ShortStorage', st: 'I16', bytes: out }
    }
    case 'int8':
      return { storage: 'CharStorage', st: 'I8', bytes: new Uint8Array(Int8Array.from(src as Int8Array).buffer) }
    case 'uint8':
      return { storage: 'ByteStorage', st: 'U8', bytes: Uint8Array.from(src as Uint8Array) }
    case 'bool':
      return { storage: 'BoolStorage', st: 'BOOL', bytes: Uint8Array.from(src as Uint8Array) }
  }
}
