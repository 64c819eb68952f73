/**
 * What a tensor says of its storage: `data_ptr` (an address per storage, stable for its life,
 * plus the storage offset times the item size, so views of one storage compare as in PyTorch),
 * `storage()` / `untyped_storage()` (the storage's size, bytes, elements in storage order),
 * `is_set_to`, and the memory-placement calls of a CPU-only build: `is_pinned` (false),
 * `pin_memory` (raises: pinning needs an accelerator), `share_memory_` / `is_shared`.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.zeros(2, 3)
 * assert.strictEqual(x.select(0, 1).data_ptr() - x.data_ptr(), 12)
 * assert.strictEqual(x.untyped_storage().nbytes(), 24)
 * assert.ok(x.is_set_to(x) && !x.select(0, 0).is_set_to(x))
 * @category torch
 * @since 0.2.0
 */
import type { device } from '../device'
import type { TorchDType } from '../dtype'
import { RuntimeError } from '../errors'
import type { Tensor } from '../tensor'
import { warn } from '../warnings'
import { storageOffset, storagePositions } from './asStrided'

type T = Tensor
type StorageOf = T['_storage']

// Addresses: each storage gets a 64-byte-aligned base the first time it is asked for, spaced
// far enough apart that no two storages' byte ranges overlap (as real allocations would not).
const bases = new WeakMap<StorageOf, number>()
const shared = new WeakSet<StorageOf>()
let nextBase = 0x7f00_0000_0000

const baseOf = (t: T): number => {
  let b = bases.get(t._storage)
  if (b === undefined) {
    b = nextBase
    const bytes = t._storage.value.size * t.dtype.itemsize
    nextBase += Math.ceil((bytes + 1) / 64) * 64
    bases.set(t._storage, b)
  }
  return b
}

/** The storage's elements in storage (physical) order, as the root tensor lays them out. */
const storageValues = (t: T): number[] => {
  const root = t._base ?? t
  const vals = Array.from(root._storage.value.toTypedArray() as ArrayLike<number>, Number)
  if (root._path.length !== 0) return vals
  const pos = storagePositions(root)
  const out = new Array<number>(vals.length)
  pos.forEach((p, k) => (out[p] = vals[k] as number))
  return out
}

/** Writes one element's bytes (little-endian, as the CPUs PyTorch runs on). */
const PUT: Record<TorchDType['name'], (v: DataView, at: number, x: number) => void> = {
  float32: (v, at, x) => v.setFloat32(at, x, true),
  float64: (v, at, x) => v.setFloat64(at, x, true),
  int64: (v, at, x) => v.setBigInt64(at, BigInt(x), true),
  int32: (v, at, x) => v.setInt32(at, x, true),
  int16: (v, at, x) => v.setInt16(at, x, true),
  int8: (v, at, x) => v.setInt8(at, x),
  uint8: (v, at, x) => v.setUint8(at, x),
  bool: (v, at, x) => v.setUint8(at, x ? 1 : 0),
}

/** A tensor's storage as untyped bytes (`Tensor.untyped_storage()`). */
export class UntypedStorage {
  /** @internal */
  constructor(private readonly t: T) {}
  /** @internal A tensor over this storage (for `Tensor.set_`). */
  _owner(): T {
    return this.t
  }
  /** The storage's size in bytes. */
  nbytes(): number {
    return this.t._storage.value.size * this.t.dtype.itemsize
  }
  /** The size in bytes (an untyped storage counts bytes). */
  size(): number {
    return this.nbytes()
  }
  /** 1: an untyped storage's elements are bytes. */
  element_size(): number {
    return 1
  }
  /** The address of the storage's first byte. */
  data_ptr(): number {
    return this.t.numel() === 0 && this.t._storage.value.size === 0 ? 0 : baseOf(this.t)
  }
  /** `cpu`. */
  get device(): device {
    return this.t.device
  }
  /** The bytes, in storage order. */
  tolist(): number[] {
    const vals = storageValues(this.t)
    const size = this.t.dtype.itemsize
    const view = new DataView(new ArrayBuffer(vals.length * size))
    const put = PUT[this.t.dtype.name]
    vals.forEach((v, k) => put(view, k * size, v))
    return Array.from(new Uint8Array(view.buffer))
  }
  /** Whether `share_memory_` was called on a tensor of this storage. */
  is_shared(): boolean {
    return shared.has(this.t._storage)
  }
  /** False: a CPU-only build has no pinned memory. */
  is_pinned(): boolean {
    return false
  }
}

let typedWarned = false

/** A tensor's storage with its dtype (`Tensor.storage()`, deprecated in PyTorch 2.x). */
export class TypedStorage extends UntypedStorage {
  /** @internal */
  constructor(private readonly owner: T) {
    super(owner)
  }
  /** The number of elements. */
  override size(): number {
    return this.owner._storage.value.size
  }
  /** The bytes of one element. */
  override element_size(): number {
    return this.owner.dtype.itemsize
  }
  /** The element type. */
  get dtype(): TorchDType {
    return this.owner.dtype
  }
  /** The elements, in storage order. */
  override tolist(): number[] {
    const vals = storageValues(this.owner)
    return this.owner.dtype.is_floating_point ? vals : vals.map((v) => Math.trunc(v))
  }
}

const PIN_ERROR = 'Cannot access accelerator device when none is available.'
const TYPED_WARNING =
  'TypedStorage is deprecated. It will be removed in the future and UntypedStorage will be the only storage class. This should only matter to you if you are using storages directly.  To access UntypedStorage directly, use tensor.untyped_storage() instead of tensor.storage()'

/** The storage methods installed on Tensor. */
export const storageMethods = {
  /** The address of this tensor's first element: its storage's base plus `storage_offset() · element_size()` (0 when empty). */
  data_ptr(this: T): number {
    if (this._storage.value.size === 0) return 0
    return baseOf(this) + storageOffset(this) * this.dtype.itemsize
  },
  /** This tensor's storage with its dtype (PyTorch 2.x warns once that TypedStorage is deprecated). */
  storage(this: T): TypedStorage {
    if (!typedWarned) {
      typedWarned = true
      warn(TYPED_WARNING)
    }
    return new TypedStorage(this)
  },
  /** This tensor's storage as bytes. */
  untyped_storage(this: T): UntypedStorage {
    return new UntypedStorage(this)
  },
  /** Whether `this` and `other` share storage, offset, sizes and strides. */
  is_set_to(this: T, other: T): boolean {
    if (this._storage !== other._storage) return false
    const same = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): boolean =>
      a.length === b.length && a.every((v, i) => v === b[i])
    return (
      storageOffset(this) === storageOffset(other) &&
      same(this.shape, other.shape) &&
      same(this.stride() as number[], other.stride() as number[])
    )
  },
  /** False: a CPU-only build has no pinned memory. */
  is_pinned(this: T): boolean {
    return false
  },
  /** Raises as PyTorch does without an accelerator: pinning needs one. */
  pin_memory(this: T): T {
    throw new RuntimeError(PIN_ERROR)
  },
  /** Marks the storage shared (a no-op move on a single-process runtime) and returns `this`. */
  share_memory_(this: T): T {
    shared.add(this._storage)
    return this
  },
  /** Whether `share_memory_` was called on a tensor of this storage. */
  is_shared(this: T): boolean {
    return shared.has(this._storage)
  },
}
