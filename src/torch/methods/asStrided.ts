/**
 * `Tensor.as_strided` / `torch.as_strided` / `as_strided_` and `Tensor.storage_offset`: views at
 * given sizes, strides and storage offset over the tensor's storage, laid out physically as
 * PyTorch's (a tensor whose element-wise producer kept a transposed layout is stored in that
 * order). The view is a real one (`AsStridedBackward0`; in place `AsStridedBackward1`): writes
 * through it reach the storage, and its gradient is summed where elements repeat a location.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.arange(12, { dtype: torch.float32 }).reshape(3, 4)
 * const v = x.as_strided([2, 2], [1, 2], 1)
 * assert.deepStrictEqual(v.tolist(), [[1, 3], [2, 4]])
 * assert.deepStrictEqual([v.stride(), v.storage_offset()], [[1, 2], 1])
 * v.fill_(0)
 * assert.deepStrictEqual(x.select(0, 0).tolist(), [0, 0, 0, 0])
 * @category torch
 * @since 0.2.0
 */
import { array } from '../../ndarray/create'
import { atenArgs } from '../atenArgs'
import type { PyArgs } from '../kwargs'
import * as lax from '../../core/lax'
import { NdArray } from '../../ndarray/NdArray'
import { take } from '../../ops/layout'
import { inplaceViewOp, op, viewOp } from '../autograd/op'
import { NotImplementedError, RuntimeError } from '../errors'
import { contiguousStrides, gatherStep } from '../ops/views'
import type { Tensor } from '../tensor'
import type { ViewStep } from '../tensor'

type T = Tensor

/** The strides of the storage's own array (the root tensor's layout; a root read through in-place view ops is taken as contiguous). */
const rootStrides = (t: T): ReadonlyArray<number> => {
  const root = t._base ?? t
  return root._path.length === 0 ? root._strides : contiguousStrides(root._storage.value.shape)
}

/** Per element of `t` (row-major), its physical position in the storage. */
export const storagePositions = (t: T): Float64Array => {
  const root = t._storage.value
  const st = rootStrides(t)
  const shape = root.shape
  const phys = new Float64Array(root.size)
  const idx = new Array<number>(shape.length).fill(0)
  for (let k = 0; k < phys.length; k++) {
    phys[k] = idx.reduce((s, v, d) => s + v * (st[d] as number), 0)
    for (let d = shape.length - 1; d >= 0; d--) {
      idx[d] = (idx[d] as number) + 1
      if ((idx[d] as number) < (shape[d] as number)) break
      idx[d] = 0
    }
  }
  let v = array(phys, { dtype: 'float64', shape: [...shape] })
  for (const s of t._path) v = s.fwd(v)
  return Float64Array.from(v.toTypedArray() as ArrayLike<number>)
}

/** The storage position of `t`'s first element (0 for an empty tensor that is not a view). */
export const storageOffset = (t: T): number => {
  if (t._path.length === 0 || t.numel() === 0) return 0
  return Math.min(...storagePositions(t))
}

export const checkGeometry = (
  t: T,
  size: ReadonlyArray<number>,
  stride: ReadonlyArray<number>,
  offset: number,
): void => {
  if (size.length !== stride.length) throw new RuntimeError('mismatch in length of strides and shape')
  if (stride.some((s) => s < 0))
    throw new RuntimeError(
      `as_strided: Negative strides are not supported at the moment, got strides: [${stride.join(', ')}]`,
    )
  if (size.some((n) => n < 0))
    throw new RuntimeError(
      `Storage size calculation overflowed with sizes=[${size.join(', ')}] and strides=[${stride.join(', ')}]`,
    )
  if (offset < 0) throw new RuntimeError(`Tensor: invalid storage offset ${offset}`)
  const item = t.dtype.itemsize
  const numel = size.reduce((a, b) => a * b, 1)
  const need = numel === 0 ? 0 : offset + 1 + size.reduce((s, n, d) => s + (n - 1) * (stride[d] as number), 0)
  const have = t._storage.value.size
  if (need > have)
    throw new RuntimeError(
      `setStorage: sizes [${size.join(', ')}], strides [${stride.join(', ')}], storage offset ${offset}, and itemsize ${item} requiring a storage size of ${need * item} are out of bounds for storage of size ${have * item}`,
    )
}

/**
 * Each element's index in `t` (row-major) of the view of `t`'s storage at `size`, `stride`, `offset`. A view reaching
 * storage elements outside `t` (PyTorch allows it: its gradient drops them) is refused.
 */
export const asStridedAt = (
  t: T,
  size: ReadonlyArray<number>,
  stride: ReadonlyArray<number>,
  offset: number,
): number[] => {
  const pos = storagePositions(t)
  const where = new Map<number, number>()
  pos.forEach((p, k) => where.set(p, k))
  const numel = size.reduce((a, b) => a * b, 1)
  const at = new Array<number>(numel)
  const idx = new Array<number>(size.length).fill(0)
  for (let k = 0; k < numel; k++) {
    const p = idx.reduce((s, v, d) => s + v * (stride[d] as number), offset)
    const e = where.get(p)
    if (e === undefined)
      throw new NotImplementedError(
        `as_strided: the view reaches storage position ${p}, outside the elements of the input (wengert makes as_strided views within the input's elements only; take as_strided of the base tensor instead)`,
      )
    at[k] = e
    for (let d = size.length - 1; d >= 0; d--) {
      idx[d] = (idx[d] as number) + 1
      if ((idx[d] as number) < (size[d] as number)) break
      idx[d] = 0
    }
  }
  return at
}

export const asStridedStep = (
  t: T,
  name: string,
  size: ReadonlyArray<number>,
  stride: ReadonlyArray<number>,
  offset: number,
): ViewStep => {
  const at = asStridedAt(t, size, stride, offset)
  return gatherStep(name, () => ({ shape: size, at }))
}

/** `(size, stride, storage_offset=None)`, positional or by keyword. */
export type AsStridedArgs = PyArgs<
  [size: ReadonlyArray<number>, stride: ReadonlyArray<number>, storage_offset: number | null | undefined],
  {
    readonly size?: ReadonlyArray<number>
    readonly stride?: ReadonlyArray<number>
    readonly storage_offset?: number | null
  }
>

/** Binds the arguments of an as_strided form (size and stride required). */
export const asStridedArgs = (
  fn: string,
  args: ReadonlyArray<unknown>,
): [ReadonlyArray<number>, ReadonlyArray<number>, number | null | undefined] => {
  const a = atenArgs(fn, args, ['size', 'stride', 'storage_offset'], 2)
  return [
    a.size as ReadonlyArray<number>,
    a.stride as ReadonlyArray<number>,
    a.storage_offset as number | null | undefined,
  ]
}

export const geometry = (t: T, size: ReadonlyArray<number>, stride: ReadonlyArray<number>, offset?: number | null) => {
  const off = offset ?? storageOffset(t)
  checkGeometry(t, size, stride, off)
  return off
}

/**
 * `torch.as_strided(input, size, stride, storage_offset=None)`: the view of `input`'s storage
 * with those sizes, strides and offset (default `input.storage_offset()`), `AsStridedBackward0`.
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.arange(6, { dtype: torch.float32 })
 * assert.deepStrictEqual(torch.as_strided(x, [2, 2], [1, 1], 2).tolist(), [[2, 3], [3, 4]])
 * @category torch @since 0.2.0
 */
export const as_strided = (input: T, ...args: AsStridedArgs): T => {
  const [size, stride, storage_offset] = asStridedArgs('as_strided', args)
  const off = geometry(input, size, stride, storage_offset)
  return viewOp(input, asStridedStep(input, 'AsStridedBackward0', size, stride, off), [...stride])
}

/**
 * `as_strided` in place: `input` itself becomes the view (`AsStridedBackward1`).
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.arange(6, { dtype: torch.float32 })
 * torch.as_strided_(x, [2, 2], [2, 1], 1)
 * assert.deepStrictEqual(x.tolist(), [[1, 2], [3, 4]])
 * @category torch @since 0.2.0
 */
export const as_strided_ = (input: T, ...args: AsStridedArgs): T => {
  const [size, stride, storage_offset] = asStridedArgs('as_strided_', args)
  const off = geometry(input, size, stride, storage_offset)
  return inplaceViewOp(input, asStridedStep(input, 'AsStridedBackward1', size, stride, off), [...stride])
}

// -------------------------------------------------------------------------------------
// as_strided_scatter
// -------------------------------------------------------------------------------------

/*

 * `torch.as_strided_scatter(input, src, size, stride, storage_offset=None)` and its method: a copy
 * of `input` (laid out as `input`, as PyTorch's clone) whose elements addressed by
 * `as_strided(size, stride, storage_offset)` hold `src` (cast to `input`'s dtype; where the
 * strides address one element several times, the last write wins, as PyTorch's `copy_`).
 * `AsStridedScatterBackward0`: the gradient of `input` is the incoming one with the overwritten
 * elements zeroed, that of `src` the incoming one at the element each src element was written to
 * (zero for a write that a later one overwrote).
 *
 * NOTE: PyTorch 1.13 and 2.x give `input` the incoming gradient *inside* the scattered region
 * instead (their `as_strided_scatter_backward` copies the slice rather than zeroing it), which is
 * not the derivative of the forward; the facade follows the mathematics, checked by float64
 * finite differences (test/torch/asStridedScatter.test.ts).
 */

/** Per element of the input (row-major): the src element written there (the last writer), or -1. */
const writers = (base: Tensor, size: ReadonlyArray<number>, stride: ReadonlyArray<number>, off: number): Int32Array => {
  const at = asStridedAt(base, size, stride, off)
  const inv = new Int32Array(base.numel()).fill(-1)
  at.forEach((p, k) => {
    inv[p] = k
  })
  return inv
}

/**
 * `input` with its `as_strided(size, stride, storage_offset)` elements replaced by `src`
 * (`AsStridedScatterBackward0`). `storage_offset` counts from the start of the copy (default 0).
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.zeros(3, 4)
 * const y = torch.as_strided_scatter(x, torch.ones(2, 2), [2, 2], [1, 2], 1)
 * assert.deepStrictEqual(y.tolist(), [[0, 1, 1, 1], [1, 0, 0, 0], [0, 0, 0, 0]])
 * @category torch @since 0.2.0
 */
export const as_strided_scatter = (input: Tensor, src: Tensor, ...args: AsStridedArgs): Tensor => {
  const [size, stride, storage_offset] = asStridedArgs('as_strided_scatter', args)
  const base = input.detach().clone()
  const off = geometry(base, size, stride, storage_offset ?? 0)
  const same = src.dim() === size.length && src.shape.every((d, i) => d === size[i])
  if (!same)
    throw new RuntimeError(
      `expected src to have a size equal to the slice of self. src size = [${src.shape.join(', ')}], slice size = [${size.join(', ')}]`,
    )
  const inv = writers(base, size, stride, off)
  const mask = new NdArray(
    [inv.length],
    'bool',
    Uint8Array.from(inv, (k) => (k >= 0 ? 1 : 0)),
  )
  const idx = new NdArray(
    [inv.length],
    'int32',
    inv.map((k) => Math.max(k, 0)),
  )
  return op('AsStridedScatterBackward0', [input, src], (x, s) => {
    const n = inv.length
    const flatX = lax.reshape(x, [n])
    const picked = s.size === 0 ? flatX : take(lax.cast(lax.reshape(s, [s.size]), x.dtype), idx)
    return lax.reshape(lax.select(mask, picked, flatX), [...x.shape])
  })
}

export const asStridedMethods = {
  /** The view of this tensor's storage at `size`, `stride`, `storage_offset` (default this tensor's). */
  as_strided(this: T, ...args: AsStridedArgs): T {
    return as_strided(this, ...args)
  },
  /** In-place `as_strided`. */
  as_strided_(this: T, ...args: AsStridedArgs): T {
    return as_strided_(this, ...args)
  },
  /** `torch.as_strided_scatter(self, src, size, stride, storage_offset)` . */
  as_strided_scatter(this: T, src: T, ...args: AsStridedArgs): T {
    return as_strided_scatter(this, src, ...args)
  },
}
