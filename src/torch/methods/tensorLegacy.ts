/**
 * PyTorch's legacy tensor methods: `Tensor.new` (the old constructor of the tensor's own dtype),
 * `resize_` / `resize_as_` (a new shape over the same storage, growing it with zeros where PyTorch
 * leaves memory uninitialised), their deprecated out-of-place forms `resize` / `resize_as` (the
 * `ResizeBackward` node, which keeps the number of elements), and `apply_` / `map_` / `map2_`
 * (a JS callable applied element by element in place; CPU tensors that do not require grad only).
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.arange(6, { dtype: torch.float32 })
 * assert.deepStrictEqual([...x.new(2, 3).shape], [2, 3])
 * x.resize_(2, 2)
 * assert.deepStrictEqual(x.tolist(), [[0, 1], [2, 3]])
 * x.apply_((v) => v * 10)
 * assert.deepStrictEqual(x.tolist(), [[0, 10], [20, 30]])
 * @category torch
 * @since 0.2.0
 */
import { array } from '../../ndarray/create'
import { contiguousStrides } from '../ops/views'
import { op } from '../autograd/op'
import { no_grad } from '../autograd/grad_mode'
import { tensor, zeros } from '../creation'
import { RuntimeError, TorchTypeError as TypeError } from '../errors'
import { Size, Tensor, type TensorData } from '../tensor'
import { warn } from '../warnings'
import { as_strided_, storageOffset, storagePositions } from './asStrided'

type T = Tensor

const isSizes = (args: ReadonlyArray<unknown>): args is ReadonlyArray<number> =>
  args.every((a) => typeof a === 'number')

/** `(2, 3)` or `([2, 3])` / `(Size)`: the sizes. */
const sizesOf = (args: ReadonlyArray<number | ReadonlyArray<number>>): ReadonlyArray<number> =>
  args.length === 1 && typeof args[0] !== 'number' ? (args[0] as ReadonlyArray<number>) : (args as number[])

const checkSizes = (sizes: ReadonlyArray<number>): void => {
  if (sizes.some((n) => n < 0)) throw new RuntimeError('numel: integer multiplication overflow')
}

const typeOfArg = (a: unknown): string =>
  a instanceof Tensor
    ? 'Tensor'
    : Array.isArray(a)
      ? 'list'
      : typeof a === 'number'
        ? 'int'
        : typeof a === 'string'
          ? 'str'
          : typeof a

/** `self.new(...)`: sizes (numbers or a `Size`) make zeros, data (a list or a tensor of self's dtype) a tensor. */
const legacyNew = (self: T, args: ReadonlyArray<unknown>): T => {
  const dtype = self.dtype
  if (args.length === 0) return zeros(0, { dtype })
  if (isSizes(args)) {
    const bad = args.find((n) => n < 0 || !Number.isInteger(n))
    if (bad !== undefined && !Number.isInteger(bad)) throw new TypeError(`new(): data must be a sequence (got float)`)
    if (bad !== undefined)
      throw new RuntimeError(`Trying to create tensor with negative dimension ${bad}: [${args.join(', ')}]`)
    return zeros([...args], { dtype })
  }
  const [data] = args
  if (args.length === 1 && data instanceof Size) return zeros([...data], { dtype })
  if (args.length === 1 && data instanceof Tensor) {
    if (data.dtype !== dtype)
      throw new TypeError(
        `expected TensorOptions(dtype=${dtype.cName}, device=cpu, layout=Strided, requires_grad=false (default), pinned_memory=false (default), memory_format=(nullopt)) (got TensorOptions(dtype=${data.dtype.cName}, device=cpu, layout=Strided, requires_grad=false (default), pinned_memory=false (default), memory_format=(nullopt)))`,
      )
    return new Tensor(data)
  }
  if (args.length === 1 && Array.isArray(data)) return tensor(data as TensorData, { dtype })
  throw new TypeError(
    `new() received an invalid combination of arguments - got (${args.map(typeOfArg).join(', ')}), but expected one of: (torch.device device), (torch.Storage storage), (Tensor other), (tuple of ints size, *, torch.device device), (object data, *, torch.device device)`,
  )
}

const requireNoGrad = (self: T): void => {
  if (self.requires_grad) throw new RuntimeError('cannot resize variables that require grad')
}

/** The storage as PyTorch lays it out (physical order), zero-padded to `n` elements. */
const physical = (self: T, n: number): Float64Array | Int32Array | Float32Array | Uint8Array | Int8Array => {
  const root = self._base ?? self
  const vals = root.contiguous()._value().toTypedArray() as ArrayLike<number>
  const pos = storagePositions(root)
  const Ctor = (vals as Float64Array).constructor as new (n: number) => Float64Array
  const out = new Ctor(Math.max(n, root._storage.value.size))
  pos.forEach((p, k) => (out[p] = vals[k] as number))
  return out
}

/** `resize_(sizes)`: a view of the storage when it is large enough, else a fresh, zero-extended storage. */
const resizeInPlace = (self: T, sizes: ReadonlyArray<number>): T => {
  requireNoGrad(self)
  checkSizes(sizes)
  if (sizes.length === self.dim() && sizes.every((n, d) => n === self.shape[d]) && self.is_contiguous()) return self
  const numel = sizes.reduce((a, b) => a * b, 1)
  const offset = storageOffset(self)
  const fits = offset + numel <= self._storage.value.size
  const version = self._versionNow()
  if (fits && self._base === null) {
    // a tensor that owns its storage: read the whole storage again, then take the new geometry of it
    self._setView([], contiguousStrides(self._storage.value.shape))
    no_grad(() => as_strided_(self, sizes, contiguousStrides(sizes), offset))
    self._counter.v = version
    return self
  }
  // NOTE: a view, or storage growing: the tensor gets its own storage (views of the old one no longer alias it)
  const flat = physical(self, offset + numel).subarray(offset, offset + numel)
  const v = array(flat, { dtype: self._storage.value.dtype, shape: [...sizes] })
  self._storage = { value: v }
  self._setView([], contiguousStrides(sizes))
  self._base = null
  return self
}

/** The deprecated out-of-place `resize`: a reshape under `ResizeBackward` that keeps the number of elements. */
const resizeOutOfPlace = (self: T, sizes: ReadonlyArray<number>, fn: string): T => {
  warn(`non-inplace ${fn} is deprecated`)
  const numel = sizes.reduce((a, b) => a * b, 1)
  if (numel !== self.numel()) {
    const show = sizes.length === 1 ? `${sizes[0]}` : sizes.join('x')
    const have = self.dim() === 0 ? '' : self.shape.join('x')
    throw new RuntimeError(
      `requested resize to ${show} (${numel} elements in total), but the given tensor has a size of ${have} (${self.numel()} elements). autograd's resize can only change the shape of a given tensor, while preserving the number of elements. `,
    )
  }
  return op('ResizeBackward', [self], (x) => x.reshape([...sizes]))
}

/** A callable's result as a value of `dtype` (integers truncate, as PyTorch's C conversion). */
const coerce = (self: T, r: unknown): number => {
  if (typeof r === 'boolean') return r ? 1 : 0
  if (typeof r !== 'number') throw new TypeError(`must be real number, not ${typeOfArg(r)}`)
  if (self.dtype.name === 'bool') return r !== 0 ? 1 : 0
  return self.dtype.is_floating_point ? r : Math.trunc(r)
}

/** The element-wise in-place application shared by `apply_`, `map_` and `map2_`. */
const mapInPlace = (self: T, fn: string, others: ReadonlyArray<[string, T]>, f: (...v: number[]) => unknown): T => {
  if (self.requires_grad)
    throw new RuntimeError(`Can't call ${fn}() on Variable that requires grad. Use var.detach().${fn}() instead.`)
  for (const [name, o] of others)
    if (o.dtype !== self.dtype)
      throw new TypeError(`${fn}: expected ${self.dtype.typeName} for ${name} (got ${o.dtype.typeName})`)
  const isBool = self.dtype.name === 'bool'
  const read = (t: T): ArrayLike<number> =>
    t
      .expand(...self.shape)
      .contiguous()
      ._value()
      .toTypedArray() as ArrayLike<number>
  const cols = [read(self), ...others.map(([, o]) => read(o))]
  const out = new Float64Array(self.numel())
  for (let k = 0; k < out.length; k++) {
    const vs = cols.map((c) => Number(c[k]))
    out[k] = coerce(self, isBool ? f(...vs.map((v) => (v !== 0) as unknown as number)) : f(...vs))
  }
  // NOTE: PyTorch writes through the data pointer: the version counter stays
  self._write(array(out, { dtype: self._storage.value.dtype, shape: [...self.shape] }))
  return self
}

export const tensorLegacyMethods = {
  /** The legacy constructor of this tensor's dtype: `new(2, 3)` / `new(Size)` zeros (uninitialised in PyTorch), `new([1, 2])` data, `new(t)` an alias of `t`. */
  new(this: T, ...args: Array<number | ReadonlyArray<TensorData> | Size | T>): T {
    return legacyNew(this, args)
  },
  /** Gives this tensor the shape `sizes` over its storage (growing it with zeros); refused for tensors that require grad. */
  resize_(this: T, ...sizes: Array<number | ReadonlyArray<number>>): T {
    return resizeInPlace(this, sizesOf(sizes))
  },
  /** `resize_(template.shape)`. */
  resize_as_(this: T, the_template: T): T {
    return resizeInPlace(this, [...the_template.shape])
  },
  /** Deprecated: a reshape (same number of elements) under PyTorch's `ResizeBackward` node. */
  resize(this: T, ...sizes: Array<number | ReadonlyArray<number>>): T {
    return resizeOutOfPlace(this, sizesOf(sizes), 'resize')
  },
  /** Deprecated: `resize(tensor.shape)`. */
  resize_as(this: T, tensor: T): T {
    return resizeOutOfPlace(this, [...tensor.shape], 'resize_as')
  },
  /** Replaces each element `v` by `callable(v)` in place (CPU tensors not requiring grad). */
  apply_(this: T, callable: (v: number) => unknown): T {
    return mapInPlace(this, 'apply_', [], callable)
  },
  /** Replaces each element `a` by `callable(a, b)`, `b` the element of `other` broadcast to this shape. */
  map_(this: T, other: T, callable: (a: number, b: number) => unknown): T {
    return mapInPlace(this, 'map_', [["'other'", other]], callable)
  },
  /** Replaces each element `a` by `callable(a, x, y)`, with `x` and `y` broadcast to this shape. */
  map2_(this: T, x: T, y: T, callable: (a: number, x: number, y: number) => unknown): T {
    return mapInPlace(
      this,
      'map2_',
      [
        ["argument 'x'", x],
        ["argument 'y'", y],
      ],
      callable,
    )
  },
}
