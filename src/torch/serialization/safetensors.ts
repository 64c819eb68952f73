/**
 * The safetensors format (readable by Python's `safetensors.torch.load_file`): an 8-byte
 * little-endian header length, a JSON header mapping each name to `dtype`, `shape` and
 * `data_offsets`, then the raw little-endian bytes. Nested objects are flattened to dotted names;
 * their structure (and any numbers, strings and booleans in it) is kept in the header's
 * `__metadata__` under `wengert.structure`, so {@link load} rebuilds them.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const bytes = torch.safetensors.save({ w: torch.tensor([[1, 2]]), b: torch.tensor([3]) })
 * const back = torch.safetensors.load(bytes) as Record<string, torch.Tensor>
 * assert.deepStrictEqual(back.w!.tolist(), [[1, 2]])
 * @category torch
 * @since 0.2.0
 */
import { RuntimeError, TorchTypeError } from '../errors'
import { Tensor } from '../tensor'
import { storageKind, tensorBytes, tensorFromStorage } from './codec'
import { readFile, writeFileAtomic } from './fsio'

const STRUCTURE_KEY = 'wengert.structure'

interface HeaderEntry {
  readonly dtype: string
  readonly shape: number[]
  readonly data_offsets: [number, number]
}

const isPlainObject = (u: unknown): u is Record<string, unknown> => {
  if (typeof u !== 'object' || u === null || Array.isArray(u)) return false
  const proto = Object.getPrototypeOf(u) as unknown
  return proto === Object.prototype || proto === null
}

/** Replaces tensors by `{ __tensor__: name }`, collecting them under dotted names. */
const flatten = (v: unknown, path: string, out: Map<string, Tensor>): unknown => {
  if (v instanceof Tensor) {
    if (out.has(path)) throw new RuntimeError(`safetensors: two tensors would be named '${path}'`)
    out.set(path, v)
    return { __tensor__: path }
  }
  const at = (k: string): string => (path === '' ? k : `${path}.${k}`)
  if (Array.isArray(v)) return v.map((e, i) => flatten(e, at(String(i)), out))
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, flatten(e, at(k), out)]))
  if (v === null || ['number', 'string', 'boolean'].includes(typeof v)) return v
  throw new TorchTypeError(`safetensors: cannot save ${path || 'the object'} of type ${typeof v}`)
}

const rebuild = (s: unknown, tensors: ReadonlyMap<string, Tensor>): unknown => {
  if (Array.isArray(s)) return s.map((e) => rebuild(e, tensors))
  if (isPlainObject(s)) {
    const ref = s.__tensor__
    if (typeof ref === 'string' && Object.keys(s).length === 1) {
      const t = tensors.get(ref)
      if (t === undefined) throw new RuntimeError(`safetensors: the structure names a missing tensor '${ref}'`)
      return t
    }
    return Object.fromEntries(Object.entries(s).map(([k, e]) => [k, rebuild(e, tensors)]))
  }
  return s
}

/**
 * The safetensors bytes of `obj`: a flat `{ name: tensor }` object is written as is; anything
 * nested is flattened (see the module note). `metadata` adds string entries to `__metadata__`.
 * @category torch @since 0.2.0
 */
export const save = (obj: unknown, metadata: Readonly<Record<string, string>> = {}): Uint8Array => {
  const tensors = new Map<string, Tensor>()
  const structure = flatten(obj, '', tensors)
  const flat = isPlainObject(obj) && Object.values(obj).every((v) => v instanceof Tensor)
  const meta: Record<string, string> = { ...metadata }
  if (!flat) meta[STRUCTURE_KEY] = JSON.stringify(structure)
  const header: Record<string, unknown> = {}
  if (Object.keys(meta).length > 0) header.__metadata__ = meta
  const chunks: Uint8Array[] = []
  let offset = 0
  for (const [name, t] of tensors) {
    const { st, bytes } = tensorBytes(t)
    header[name] = { dtype: st, shape: [...t.shape], data_offsets: [offset, offset + bytes.length] }
    chunks.push(bytes)
    offset += bytes.length
  }
  let json = JSON.stringify(header)
  json += ' '.repeat((8 - ((new TextEncoder().encode(json).length + 8) % 8)) % 8)
  const head = new TextEncoder().encode(json)
  const out = new Uint8Array(8 + head.length + offset)
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true)
  out.set(head, 8)
  let o = 8 + head.length
  for (const c of chunks) {
    out.set(c, o)
    o += c.length
  }
  return out
}

/** True when `bytes` looks like a safetensors file (a header length, then `{`). */
export const isSafetensors = (bytes: Uint8Array): boolean =>
  bytes.length >= 9 &&
  bytes[8] === 0x7b &&
  Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true)) <= bytes.length - 8

/**
 * Reads safetensors bytes: the `{ name: tensor }` object, or the nested object they were saved
 * from (when the file carries wengert's structure entry).
 * @category torch @since 0.2.0
 */
export const load = (bytes: Uint8Array): unknown => {
  if (bytes.length < 8) throw new RuntimeError('safetensors: the file is shorter than its 8-byte header length')
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, true))
  if (8 + n > bytes.length)
    throw new RuntimeError(
      `safetensors: a header of ${n} bytes does not fit a file of ${bytes.length} bytes (truncated?)`,
    )
  let header: Record<string, unknown>
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>
  } catch {
    throw new RuntimeError('safetensors: the header is not valid JSON')
  }
  const data = bytes.subarray(8 + n)
  const tensors = new Map<string, Tensor>()
  for (const [name, e] of Object.entries(header)) {
    if (name === '__metadata__') continue
    const {
      dtype,
      shape,
      data_offsets: [b, end],
    } = e as HeaderEntry
    if (!(b >= 0 && end >= b && end <= data.length))
      throw new RuntimeError(`safetensors: tensor '${name}' lies outside the file's data (truncated?)`)
    const kind = storageKind('st', dtype)
    const stride = shape.map((_, i) => shape.slice(i + 1).reduce((x, y) => x * y, 1))
    const count = shape.reduce((x, y) => x * y, 1)
    if (count * kind.itemsize !== end - b)
      throw new RuntimeError(`safetensors: tensor '${name}' has ${end - b} bytes for ${count} ${dtype} values`)
    tensors.set(name, tensorFromStorage(kind, data.subarray(b, end), 0, shape, stride))
  }
  const meta = header.__metadata__ as Record<string, string> | undefined
  const structure = meta?.[STRUCTURE_KEY]
  if (structure !== undefined) return rebuild(JSON.parse(structure), tensors)
  return Object.fromEntries(tensors)
}

/** Python's `safetensors.torch.save_file(tensors, path, metadata)`. @category torch @since 0.2.0 */
export const save_file = (obj: unknown, path: string, metadata: Readonly<Record<string, string>> = {}): void =>
  writeFileAtomic('safetensors.save_file', path, save(obj, metadata))

/** Python's `safetensors.torch.load_file(path)`. @category torch @since 0.2.0 */
export const load_file = (path: string): unknown => load(readFile('safetensors.load_file', path))
