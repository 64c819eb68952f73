/**
 * PyTorch's own checkpoint format (`torch.save` since 1.6): a stored zip archive holding
 * `<name>/data.pkl` (the object, pickled with tensors as persistent storage ids),
 * `<name>/data/<key>` (each storage's raw little-endian bytes) and `<name>/version`.
 *
 * @category torch
 * @since 0.2.0
 */
import { TorchTypeError, RuntimeError } from '../errors'
import { Tensor } from '../tensor'
import { storageKind, tensorBytes, tensorFromStorage, type StorageKind } from './codec'
import { Pickler, unpickle, UnpicklingError, type AllowedGlobal } from './pickle'
import { isZip, readZip, writeZip } from './zip'

// -------------------------------------------------------------------------------------
// reading
// -------------------------------------------------------------------------------------

/** A loaded storage: its type and bytes. */
interface LoadedStorage {
  readonly kind: StorageKind
  readonly bytes: Uint8Array
}

const isStorage = (u: unknown): u is LoadedStorage =>
  typeof u === 'object' && u !== null && 'kind' in u && 'bytes' in u && !Array.isArray(u)

const ints = (what: string, u: unknown): number[] => {
  if (!Array.isArray(u) || u.some((v) => typeof v !== 'number'))
    throw new UnpicklingError(`torch.load: _rebuild_tensor_v2 expects a tuple of ints as ${what}`)
  return u as number[]
}

/** Loads an object from the bytes of a PyTorch `.pt` / `.pth` file. */
export const loadPt = (bytes: Uint8Array): unknown => {
  if (!isZip(bytes)) {
    throw new RuntimeError(
      'torch.load: not a zip checkpoint; the legacy (pre-1.6) PyTorch format is not supported — re-save it with torch.save in a recent PyTorch',
    )
  }
  const entries = readZip(bytes)
  const pkl = [...entries.keys()].find((k) => k === 'data.pkl' || k.endsWith('/data.pkl'))
  if (pkl === undefined) throw new RuntimeError('PytorchStreamReader failed locating file data.pkl: file not found')
  const prefix = pkl.slice(0, -'data.pkl'.length)
  const storages = new Map<string, LoadedStorage>()
  return unpickle(entries.get(pkl) as Uint8Array, {
    persistentLoad: (pid) => {
      const [tag, type, key] = pid
      if (tag !== 'storage' || typeof key !== 'string' || (type as AllowedGlobal | null)?.kind !== 'storage_type')
        throw new UnpicklingError(`torch.load: unsupported persistent id ${JSON.stringify(tag)}`)
      const cached = storages.get(key)
      if (cached !== undefined) return cached
      const data = entries.get(`${prefix}data/${key}`)
      if (data === undefined)
        throw new RuntimeError(`PytorchStreamReader failed locating file data/${key}: file not found`)
      const s = { kind: storageKind('name', (type as { name: string }).name), bytes: data }
      storages.set(key, s)
      return s
    },
    rebuildTensor: (args) => {
      const [storage, offset, size, stride, requiresGrad] = args
      if (!isStorage(storage) || typeof offset !== 'number')
        throw new UnpicklingError('torch.load: _rebuild_tensor_v2 expects (storage, offset, size, stride, …)')
      const t = tensorFromStorage(storage.kind, storage.bytes, offset, ints('size', size), ints('stride', stride))
      return requiresGrad === true && t.is_floating_point() ? t.requires_grad_(true) : t
    },
    rebuildParameter: (args) => {
      const [data, requiresGrad] = args
      if (!(data instanceof Tensor)) throw new UnpicklingError('torch.load: _rebuild_parameter expects a tensor')
      return data.detach().requires_grad_(requiresGrad !== false)
    },
  })
}

// -------------------------------------------------------------------------------------
// writing
// -------------------------------------------------------------------------------------

const isPlainObject = (u: unknown): u is Record<string, unknown> => {
  if (typeof u !== 'object' || u === null || Array.isArray(u)) return false
  const proto = Object.getPrototypeOf(u) as unknown
  return proto === Object.prototype || proto === null
}

/** A key written as a Python int when it is a canonical integer ("0", "12"; optimizer state is keyed by ints). */
const writeKey = (pk: Pickler, k: string): void => {
  if (/^(0|-?[1-9]\d{0,14})$/.test(k)) pk.int(Number(k))
  else pk.str(k)
}

/** Pickles `obj` and collects the tensors' storages. */
const pickleValue = (pk: Pickler, v: unknown, storages: Array<Uint8Array>, path: string): void => {
  if (v instanceof Tensor) {
    const { storage, bytes } = tensorBytes(v)
    const key = String(storages.length)
    storages.push(bytes)
    const shape = [...v.shape]
    const stride = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1))
    pk.global('torch._utils', '_rebuild_tensor_v2').mark()
    pk.mark().str('storage').global('torch', storage).str(key).str('cpu').int(v.numel()).tuple().persid()
    pk.int(0).mark()
    for (const d of shape) pk.int(d)
    pk.tuple().mark()
    for (const s of stride) pk.int(s)
    pk.tuple().bool(v.requires_grad).global('collections', 'OrderedDict').emptyTuple().reduce()
    pk.tuple().reduce()
  } else if (v === null || v === undefined) pk.none()
  else if (typeof v === 'boolean') pk.bool(v)
  else if (typeof v === 'number') {
    if (Number.isInteger(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER) pk.int(v)
    else pk.float(v)
  } else if (typeof v === 'string') pk.str(v)
  else if (Array.isArray(v)) {
    pk.emptyList().mark()
    v.forEach((e, i) => pickleValue(pk, e, storages, `${path}[${i}]`))
    pk.appends()
  } else if (v instanceof Map || isPlainObject(v)) {
    const items: Array<[string, unknown]> =
      v instanceof Map ? [...v.entries()].map(([k, e]) => [String(k), e]) : Object.entries(v)
    pk.emptyDict().mark()
    for (const [k, e] of items) {
      writeKey(pk, k)
      pickleValue(pk, e, storages, `${path}.${k}`)
    }
    pk.setItems()
  } else {
    throw new TorchTypeError(
      `torch.save: cannot save ${path || 'the object'} of type ${(v as object).constructor?.name ?? typeof v}; only tensors, numbers, strings, booleans, null, arrays and plain objects are saved`,
    )
  }
}

/** The bytes of a PyTorch checkpoint of `obj` (readable by PyTorch's `torch.load`). */
export const savePt = (obj: unknown, name = 'archive'): Uint8Array => {
  const pk = new Pickler()
  const storages: Uint8Array[] = []
  pickleValue(pk, obj, storages, '')
  const enc = new TextEncoder()
  return writeZip([
    [`${name}/data.pkl`, pk.stop()],
    [`${name}/byteorder`, enc.encode('little')],
    ...storages.map((b, i) => [`${name}/data/${i}`, b] as const),
    [`${name}/version`, enc.encode('3\n')],
  ])
}
