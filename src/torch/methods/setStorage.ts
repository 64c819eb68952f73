/**
 * `Tensor.set_` in its forms: `set_()` (an empty tensor on a fresh storage), `set_(source)` (the
 * source's storage, offset, sizes and strides: `x.is_set_to(source)` holds after), and
 * `set_(source_or_storage, storage_offset, size, stride)` / `set_(storage)` (a strided window over a
 * storage). As in PyTorch the tensor keeps its own version counter, which the call bumps; it is
 * refused on a leaf requiring grad (in grad mode); and in grad mode a result that requires grad
 * gets the grad_fn `NotImplemented`, whose backward raises `derivative for set_ is not implemented`.
 *
 * Deliberate differences: a window past the storage's end raises PyTorch's `setStorage` error
 * instead of growing the storage, a view that is `set_` no longer reports its old `_base`, and a
 * storage of another dtype (reinterpreting bytes) is refused.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const a = torch.arange(6, { dtype: torch.float32 })
 * const x = torch.zeros(2)
 * x.set_(a)
 * assert.ok(x.is_set_to(a))
 * x.set_(a.untyped_storage(), 1, [2, 2], [1, 2])
 * assert.deepStrictEqual(x.tolist(), [[1, 3], [2, 4]])
 * assert.strictEqual(x.set_().numel(), 0)
 * @category torch
 * @since 0.2.0
 */
import { zeros } from '../../ndarray/create'
import { atenArgs } from '../atenArgs'
import { is_grad_enabled } from '../autograd/grad_mode'
import { Node } from '../autograd/node'
import { edgeOf } from '../autograd/op'
import type { TorchDType } from '../dtype'
import { NotImplementedError, RuntimeError } from '../errors'
import { Tensor } from '../tensor'
import { asStridedStep, checkGeometry } from './asStrided'
import { UntypedStorage, TypedStorage } from './storageFacts'

type T = Tensor
/** A storage `set_` accepts: a tensor's typed or untyped storage. */
export type SetSource = T | UntypedStorage

/** The C++ names PyTorch's dtype check of set_ prints. */
const CPP: Record<TorchDType['name'], string> = {
  float32: 'float',
  float64: 'double',
  int64: 'long int',
  int32: 'int',
  int16: 'short int',
  int8: 'signed char',
  uint8: 'unsigned char',
  bool: 'bool',
}

/** The root tensor of `t`'s storage (the storage's array read with no view step). */
const rootOf = (t: T): T => {
  const root = t._base ?? t
  if (root._path.length === 0) return root
  const r = Tensor._fromValue(root._storage.value)
  r._storage = root._storage
  return r
}

/** PyTorch's check_inplace for set_: a leaf requiring grad (or a view of one) is refused in grad mode. */
const checkLeaf = (t: T): void => {
  if (!is_grad_enabled()) return
  if (t._base === null && t.is_leaf && t._flag)
    throw new RuntimeError('a leaf Variable that requires grad is being used in an in-place operation.')
  const b = t._base
  if (b !== null && b.is_leaf && b._flag)
    throw new RuntimeError('a view of a leaf Variable that requires grad is being used in an in-place operation.')
}

/** Points `t` at `root`'s storage through `path`, dropping its view links; keeps its counter. */
const rebind = (t: T, root: T, path: T['_path'], strides: ReadonlyArray<number>): void => {
  t._storage = root._storage
  t._base = null
  t._regenerate = null
  t._setView(path, strides)
}

/** The `NotImplemented` grad_fn over the old self and the source, when either requires grad. */
const recordNode = (t: T, self: readonly [Node | null, number] | null, source: T | null): void => {
  const src = source !== null && source.requires_grad ? edgeOf(source) : null
  if (!is_grad_enabled() || (self === null && src === null)) return
  const node = new Node('NotImplemented', [self ?? [null, 0], src ?? [null, 0]])
  node._backward = () => {
    throw new RuntimeError('derivative for set_ is not implemented')
  }
  t._gradFn = node
  t._outputNr = 0
}

/** The storage's root tensor and its element count, after PyTorch's dtype check. */
const storageRoot = (t: T, s: UntypedStorage): T => {
  const owner = s._owner()
  if (owner.dtype.name !== t.dtype.name) {
    if (s instanceof TypedStorage)
      throw new RuntimeError(
        `Expected a Storage of type ${t.dtype.typeName.slice('torch.'.length, -'Tensor'.length).toLowerCase()} or an UntypedStorage, but got type ${owner.dtype.typeName.slice('torch.'.length, -'Tensor'.length)} for argument 1 'storage'`,
      )
    throw new NotImplementedError(
      `set_: an UntypedStorage of ${owner.dtype.name} elements viewed as ${t.dtype.name} (reinterpreting bytes) is not supported`,
    )
  }
  return rootOf(owner)
}

/** The installed `set_`. */
export const setStorageMethods = {
  /**
   * `set_()`, `set_(source)`, `set_(source, storage_offset, size, stride=())` with `source` a tensor
   * or a storage: makes this tensor read that storage (see the module comment). Returns `this`.
   */
  set_(this: T, ...args: ReadonlyArray<unknown>): T {
    const a = atenArgs('set_', args, ['source', 'storage_offset', 'size', 'stride'], 0, 1)
    const source = a.source as SetSource | undefined
    checkLeaf(this)
    const self = this.requires_grad ? edgeOf(this) : null
    if (source === undefined) {
      rebind(this, Tensor._fromValue(zeros([0], { dtype: this.dtype.storage })), [], [1])
      recordNode(this, self, null)
    } else {
      const isTensor = source instanceof Tensor
      if (isTensor && source.dtype.name !== this.dtype.name)
        throw new RuntimeError(
          `Could not set tensor of type ${CPP[source.dtype.name]} to a tensor of type ${CPP[this.dtype.name]}`,
        )
      const root = isTensor ? rootOf(source) : storageRoot(this, source)
      const size = a.size as ReadonlyArray<number> | undefined
      if (isTensor && size === undefined) rebind(this, root, source._path, source.stride() as number[])
      else {
        const sz = size ?? [root._storage.value.size]
        const stride = (a.stride as ReadonlyArray<number> | undefined) ?? (size === undefined ? [1] : [])
        const offset = (a.storage_offset as number | undefined) ?? 0
        if (sz.length !== stride.length && stride.length > 0)
          throw new RuntimeError(`unequal size length (${sz.length}) and stride length (${stride.length})`)
        const st = stride.length > 0 ? stride : contiguous(sz)
        checkGeometry(root, sz, st, offset)
        rebind(this, root, [asStridedStep(root, 'AsStridedBackward0', sz, st, offset)], st)
      }
      recordNode(this, self, isTensor ? source : null)
    }
    this._bump()
    return this
  },
}

/** Contiguous strides of `size`. */
const contiguous = (size: ReadonlyArray<number>): number[] => {
  const s = new Array<number>(size.length).fill(1)
  for (let i = size.length - 2; i >= 0; i--) s[i] = (s[i + 1] as number) * Math.max(1, size[i + 1] as number)
  return s
}
