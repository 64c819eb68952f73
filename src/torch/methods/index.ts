/**
 * Indexing. Python's `x[i]` / `x[i] = v` are spelled `x.index(...idx)` (alias `x.get`) and
 * `x.set(...idx, value)` (or `x.setitem(idx, value)`); an index item is a number, a slice
 * string (`':'`, `'1:3'`, `'::2'`), `torch.slice(start, stop, step)`, `null` (None), `'...'`,
 * an int64/bool tensor or a JS array (advanced indexing). Basic indexing gives views
 * (SelectBackward0, SliceBackward0); advanced indexing copies (IndexBackward0); assignment
 * writes in place (CopySlices / IndexPutBackward0). `index_select`, `gather`, `masked_fill`,
 * `masked_select`, `index_put_` keep PyTorch's names.
 *
 * @category torch
 * @since 0.1.0
 */
import * as lax from '../../core/lax'
import { unreadable } from '../meta'
import { NdArray } from '../../ndarray/NdArray'
import { isInteger } from '../../ndarray/dtype'
import { checkInplace, commitInplace, op, viewOp } from '../autograd/op'
import { IndexError, RuntimeError, TorchTypeError } from '../errors'
import { asTensor, checkBroadcast, broadcastShape, normDim, type TensorOrScalar } from '../ops/convert'
import { aliasStep } from '../ops/views'
import { parseArgs } from '../kwargs'
import { Tensor } from '../tensor'
import { expandedSizes, sliceView } from './shape'
import { checkedPositions, indexSelectRangeError, tracedGather } from './tracedIndex'
import { type Adv, indexOp, indexPutOp, nonzeroCoords } from './advancedIndex'

type T = Tensor

/** A Python slice `start:stop:step` (any part may be null). @category torch @since 0.1.0 */
export class Slice {
  constructor(
    readonly start: number | null = null,
    readonly stop: number | null = null,
    readonly step: number | null = null,
  ) {}
  toString(): string {
    return `slice(${this.start}, ${this.stop}, ${this.step})`
  }
}

/** PyTorch's `slice(start, stop, step)` / Python's `slice` object. @category torch @since 0.1.0 */
export const slice = (start: number | null = null, stop: number | null = null, step: number | null = null): Slice =>
  new Slice(start, stop, step)

/** One item of an index. */
export type IndexItem =
  | number
  | null
  | string
  | Slice
  | Tensor
  | ReadonlyArray<number>
  | ReadonlyArray<boolean>
  | ReadonlyArray<ReadonlyArray<number | boolean>>

const parseSlice = (s: string): Slice => {
  const parts = s.split(':').map((p) => p.trim())
  if (parts.length < 2 || parts.length > 3)
    throw new TorchTypeError(`invalid slice '${s}'; write e.g. ':', '1:3', '::2'`)
  const num = (p: string | undefined): number | null => {
    if (p === undefined || p === '') return null
    const v = Number(p)
    if (!Number.isInteger(v)) throw new TorchTypeError(`invalid slice '${s}'`)
    return v
  }
  return new Slice(num(parts[0]), num(parts[1]), num(parts[2]))
}

type Parsed = { readonly view: T; readonly adv: ReadonlyArray<Adv> }

const asIndexArray = (x: T | ReadonlyArray<unknown>): NdArray => {
  if (x instanceof Tensor) {
    const v = x._value()
    if (!isInteger(v.dtype) && v.dtype !== 'bool')
      throw new IndexError('tensors used as indices must be long, int, byte or bool tensors')
    return v
  }
  const t = asTensor(x as never)
  const v = t._value()
  if (v.dtype === 'float32' || v.dtype === 'float64') {
    if (!Array.from(v.toTypedArray()).every(Number.isInteger))
      throw new IndexError('tensors used as indices must be long, int, byte or bool tensors')
    return lax.cast(v, 'int64')
  }
  return v
}

/** Applies the basic items (numbers, slices, None, ...) as views; collects advanced ones. */
const parse = (self: T, items: ReadonlyArray<IndexItem>, setting = false): Parsed => {
  const consumed = (it: IndexItem): number => {
    if (it === null || it === '...') return 0
    if (typeof it === 'number' || typeof it === 'string' || it instanceof Slice) return 1
    const a = asIndexArray(it as T)
    return a.dtype === 'bool' ? Math.max(1, a.ndim) : 1
  }
  const ell = items.filter((i) => i === '...').length
  if (ell > 1) throw new IndexError('an index can only have a single ellipsis')
  const used = items.reduce<number>((a, i) => a + consumed(i), 0)
  const nd = self._value().ndim
  if (used > nd) throw new IndexError(`too many indices for tensor of dimension ${nd}`)
  let cur = self
  let dim = 0
  const adv: Adv[] = []
  for (const [pos, it] of items.entries()) {
    if (it === '...') {
      dim += nd - used
      continue
    }
    if (it === null) {
      cur = cur.unsqueeze(dim)
      dim++
      continue
    }
    if (typeof it === 'number') {
      const n = cur._value().shape[dim] as number
      // PyTorch names the integer's position in the index, not the dimension it selects from
      if (!Number.isInteger(it) || it < -n || it >= n)
        throw new IndexError(`index ${it} is out of bounds for dimension ${pos} with size ${n}`)
      cur = cur.select(dim, it)
      continue
    }
    if (typeof it === 'string' || it instanceof Slice) {
      const s = typeof it === 'string' ? parseSlice(it) : it
      const n = cur._value().shape[dim] as number
      const step = s.step ?? 1
      if (step <= 0) throw new RuntimeError('step must be greater than zero')
      const clampIdx = (v: number | null, dflt: number): number =>
        v === null ? dflt : Math.min(Math.max(v < 0 ? v + n : v, 0), n)
      const start = clampIdx(s.start, 0)
      const stop = Math.max(start, clampIdx(s.stop, n))
      // PyTorch skips a slice written as the exact range (`0:n`) inside a tuple index, or alone in
      // an assignment (`x[:n] = v` writes x itself: a leaf's own error, seeds 328361 329739
      // 330191); `:` (stop unbounded) and a lone slice read (`x[-2:]`) are SliceBackward0 views
      const exact = (items.length > 1 || setting) && (s.start ?? 0) === 0 && s.stop === n && step === 1
      if (!exact) cur = sliceView(cur, dim, start, stop, step)
      dim++
      continue
    }
    const a = asIndexArray(it as T)
    if (a.dtype === 'bool') {
      const shape = cur._value().shape
      a.shape.forEach((d, k) => {
        if (d !== shape[dim + k])
          throw new IndexError(
            `The shape of the mask [${a.shape.join(', ')}] at index ${k} does not match the shape of the indexed tensor [${shape.join(', ')}] at index ${dim + k}`,
          )
      })
      const coords = nonzeroCoords(a)
      coords.forEach((c, k) => adv.push({ dim: dim + k, idx: c }))
      dim += Math.max(1, a.ndim)
    } else {
      adv.push({ dim, idx: a })
      dim++
    }
  }
  return { view: cur, adv }
}

const getitem = (self: T, items: ReadonlyArray<IndexItem>): T => {
  const { view, adv } = parse(self, items)
  if (adv.length === 0) return view === self ? viewOp(self, aliasStep('AliasBackward0'), self._strides) : view
  // PyTorch's IndexBackward0 saves the index tensors (a list index becomes one)
  return indexOp(view, adv, indexTensors(items))
}

/** The index tensors of an index (a list index becomes one), as PyTorch's index nodes save them. */
const indexTensors = (items: ReadonlyArray<IndexItem>): T[] =>
  items.flatMap((it) => (it instanceof Tensor ? [it] : Array.isArray(it) ? [asTensor(it)] : []))

/**
 * The value `x[idx] = v` copies: PyTorch's setitem views `v` without its leading size-1 dimensions
 * and expands it to the indexed view's sizes (a 0-d value fills), so a mismatch raises expand's error.
 */
const setitemValue = (view: T, v: T): T => {
  const vs = v.shape
  if (vs.length === 0 || (vs.length === view.shape.length && vs.every((d, i) => d === view.shape[i]))) return v
  const lead = vs.findIndex((d) => d !== 1)
  const src = lead === 0 ? v : v.view(lead < 0 ? [] : vs.slice(lead))
  expandedSizes(v.dtype.typeName, src.shape, view.shape)
  return src
}

const setitem = (self: T, items: ReadonlyArray<IndexItem>, value: TensorOrScalar): void => {
  const { view, adv } = parse(self, items, true)
  const v = asTensor(value, self._value().dtype)
  if (adv.length === 0) {
    // PyTorch's copy_to: a 0-d value into a tensor of another shape is `fill_` (FillBackward3)
    if (v.shape.length === 0 && view.shape.length > 0) view.fill_(v)
    else view.copy_(setitemValue(view, v))
    return
  }
  checkInplace(view)
  // PyTorch's IndexPutBackward0 saves the index tensors (freed by a backward); it takes the value
  // viewed without its leading size-1 dimensions, as a basic-index copy does
  const lead = v.shape.findIndex((d) => d !== 1)
  const src = lead === 0 || v.shape.length === 0 ? v : v.view(lead < 0 ? [] : v.shape.slice(lead))
  commitInplace(view, indexPutOp(view, src, adv, false, indexTensors(items)))
}

/**
 * Indices of the nonzero elements: a `[nnz, ndim]` int64 tensor, or with `as_tuple: true` one 1-D
 * int64 tensor per dimension (a 0-d input counts as 1-d there, as in PyTorch). A 0-d input that is
 * nonzero has one entry: shape `[1, 0]`.
 */
function nonzero(this: T): T
function nonzero(this: T, kw: { readonly as_tuple: true }): T[]
function nonzero(this: T, kw: { readonly as_tuple?: boolean }): T | T[]
function nonzero(this: T, ...args: ReadonlyArray<unknown>): T | T[] {
  const asTuple = parseArgs('nonzero', args, ['as_tuple'], 0).as_tuple === true
  const v = this._value()
  const flat = v.ndim === 0 ? lax.reshape(v, [1]) : v
  const coords = nonzeroCoords(lax.cast(flat, 'bool'))
  const n = coords[0]?.size ?? 0
  if (asTuple) return coords.map((c) => Tensor._fromValue(lax.cast(c, 'int64')))
  const out = new Float64Array(n * v.ndim)
  coords.forEach((c, k) => {
    if (k >= v.ndim) return
    const cv = c.toTypedArray()
    for (let i = 0; i < n; i++) out[i * v.ndim + k] = cv[i] as number
  })
  return Tensor._fromValue(new NdArray([n, v.ndim], 'int64', out))
}

/** The indexing methods installed on Tensor. */
/** The `(dim, index)` arguments of index_select and gather: the index, self's value, the normalised dim and the index's value. */
const dimAndIndex = (
  name: string,
  self: T,
  args: ReadonlyArray<unknown>,
): { index: T; x0: NdArray; d: number; iv: NdArray } => {
  const a0 = parseArgs(name, args, ['dim', 'index'])
  const index = a0.index as T
  const x0 = self._value()
  return { index, x0, d: normDim(a0.dim as number, x0.ndim), iv: index._value() }
}

export const indexMethods = {
  /** Python's `x[...idx]`: `x.index(0)`, `x.index(':', 1)`, `x.index(mask)`. */
  index(this: T, ...idx: IndexItem[]): T {
    return getitem(this, idx)
  },
  /** Alias of `index`. */
  get(this: T, ...idx: IndexItem[]): T {
    return getitem(this, idx)
  },
  /** Python's `x.__getitem__(idx)`: one item, or an array of items (a Python tuple; a list index is `x.index([0, 2])`). */
  getitem(this: T, idx: IndexItem | ReadonlyArray<IndexItem>): T {
    return getitem(this, Array.isArray(idx) ? (idx as IndexItem[]) : [idx as IndexItem])
  },
  /** Python's `x[...idx] = value` (the value is the last argument): `x.set(2, 1)`, `x.set(':', 0, v)`. */
  set(this: T, ...idxAndValue: [...IndexItem[], TensorOrScalar]): T {
    const value = idxAndValue[idxAndValue.length - 1] as TensorOrScalar
    setitem(this, idxAndValue.slice(0, -1) as IndexItem[], value)
    return this
  },
  /** Python's `x.__setitem__(idx, value)`. */
  setitem(this: T, idx: IndexItem | ReadonlyArray<IndexItem>, value: TensorOrScalar): T {
    setitem(this, Array.isArray(idx) ? (idx as IndexItem[]) : [idx as IndexItem], value)
    return this
  },
  /** `x[index]` along `dim` for a 1-D int64 `index` (IndexSelectBackward0). */
  index_select(this: T, ...args: [dim: number, index: T] | [kw: { readonly dim: number; readonly index: T }]): T {
    const { index, x0, d, iv } = dimAndIndex('index_select', this, args)
    if (iv.ndim > 1) throw new IndexError('index_select(): Index is supposed to be a vector')
    const n = x0.ndim === 0 ? 1 : (x0.shape[d] as number)
    const bad = indexSelectRangeError(x0, d, iv.size)
    if (unreadable(iv))
      return op(
        'IndexSelectBackward0',
        [this, index],
        (x, i) => lax.gather(x, lax.reshape(checkedPositions(i, 0, n, bad), [i.size]), d),
        { saves: [1] },
      )
    for (const v of iv.toTypedArray()) if (v < 0 || v >= n) throw bad(v)
    return op(
      'IndexSelectBackward0',
      [this, index],
      (x, i) => lax.gather(x, lax.reshape(lax.cast(i, 'int32'), [i.size]), d),
      { saves: [1], nonDiff: [1] },
    )
  },
  /** `out[i][j] = self[i][index[i][j]]` for dim = 1 (GatherBackward0). */
  gather(this: T, ...args: [dim: number, index: T] | [kw: { readonly dim: number; readonly index: T }]): T {
    const { index, x0, d, iv } = dimAndIndex('gather', this, args)
    if (iv.ndim !== x0.ndim)
      throw new RuntimeError('Index tensor must have the same number of dimensions as input tensor')
    if (unreadable(iv)) return tracedGather(this, index, x0, d)
    const src = iv.toTypedArray()
    const flat = new Int32Array(src.length)
    const xStr = x0.shape.map((_, k) => x0.shape.slice(k + 1).reduce((a, b) => a * b, 1))
    const iStr = iv.shape.map((_, k) => iv.shape.slice(k + 1).reduce((a, b) => a * b, 1))
    for (let p = 0; p < src.length; p++) {
      let off = 0
      for (let k = 0; k < iv.ndim; k++) {
        const c = Math.floor(p / (iStr[k] as number)) % (iv.shape[k] as number)
        const j = k === d ? (src[p] as number) : c
        if (k === d && (j < 0 || j >= (x0.shape[d] as number)))
          throw new RuntimeError(`index ${j} is out of bounds for dimension ${d} with size ${x0.shape[d]}`)
        off += j * (xStr[k] as number)
      }
      flat[p] = off
    }
    const idx = new NdArray(iv.shape, 'int32', flat)
    return op('GatherBackward0', [this], (x) => lax.gather(lax.reshape(x, [x.size]), idx, 0), {
      savesTensors: [index],
    })
  },
  /** Replaces elements where `mask` is true with `value` (MaskedFillBackward0; MaskedFillBackward1 for a tensor value). */
  masked_fill(this: T, mask: T, value: TensorOrScalar | { readonly value: TensorOrScalar }): T {
    // `{ value }` (PyTorch's keyword) reaches here only unrewritten, from a direct internal call
    if (typeof value === 'object' && !(value instanceof Tensor)) return this.masked_fill(mask, value.value)
    const v = asTensor(value, this._value().dtype)
    checkBroadcast(this._value().shape, mask._value().shape)
    const scalarValue = !(value instanceof Tensor)
    return op(
      scalarValue ? 'MaskedFillBackward0' : 'MaskedFillBackward1',
      [this, mask, v],
      (x, m, vv) => {
        const s = broadcastShape(x.shape, m.shape)
        return lax.select(
          lax.broadcastTo(lax.cast(m, 'bool'), s),
          lax.broadcastTo(lax.cast(vv, x.dtype), s),
          lax.broadcastTo(x, s),
        )
      },
      scalarValue
        ? { gradName: 'MaskedFillBackward0', scalars: [2], saves: [1], nonDiff: [1] }
        : { saves: [1], nonDiff: [1] },
    )
  },
  /** The elements where `mask` is true, as a 1-D tensor (MaskedSelectBackward0). */
  masked_select(this: T, mask: T): T {
    const s = broadcastShape(this._value().shape, mask._value().shape)
    const coords = nonzeroCoords(lax.broadcastTo(lax.cast(mask._value(), 'bool'), s))
    const strides = s.map((_, k) => s.slice(k + 1).reduce((a, b) => a * b, 1))
    const n = coords[0]?.size ?? 0
    const flat = new Int32Array(n)
    coords.forEach((c, k) => {
      const cv = c.toTypedArray()
      for (let i = 0; i < n; i++) flat[i] = (flat[i] as number) + (cv[i] as number) * (strides[k] as number)
    })
    const idx = new NdArray([n], 'int32', flat)
    return op(
      'MaskedSelectBackward0',
      [this],
      (x) => lax.gather(lax.reshape(lax.broadcastTo(x, s), [s.reduce((a, b) => a * b, 1)]), idx, 0),
      // masked_select_backward(grad, self, mask): self is saved with the mask
      { saves: [0], savesTensors: [mask] },
    )
  },
  /** Elements of the flattened tensor at `index` (TakeBackward0). */
  take(this: T, index: T): T {
    const n = this.numel()
    const iv = index._value()
    if (unreadable(iv)) {
      const bad = (v: number): Error =>
        new IndexError(`out of range: tried to access index ${v} on a tensor of ${n} elements.`)
      const idx = checkedPositions(iv, -n, n, bad)
      return op('TakeBackward0', [this], (x) => lax.gather(lax.reshape(x, [x.size]), idx, 0), {
        savesTensors: [index],
      })
    }
    const f = Int32Array.from(iv.toTypedArray(), (v) => {
      if (v < -n || v >= n)
        throw new IndexError(`out of range: tried to access index ${v} on a tensor of ${n} elements.`)
      return v < 0 ? v + n : v
    })
    const idx = new NdArray(iv.shape, 'int32', f)
    return op('TakeBackward0', [this], (x) => lax.gather(lax.reshape(x, [x.size]), idx, 0), {
      savesTensors: [index],
    })
  },
  nonzero,
  /** Out-of-place `index_put`: `indices` index the leading dims. */
  index_put(this: T, indices: ReadonlyArray<T>, values: TensorOrScalar, accumulate = false): T {
    const adv = indices.map((t, k) => ({ dim: k, idx: asIndexArray(t) }))
    const v = asTensor(values, this._value().dtype)
    const expanded: Adv[] = []
    for (const a of adv) {
      if (a.idx.dtype === 'bool') nonzeroCoords(a.idx).forEach((c, j) => expanded.push({ dim: a.dim + j, idx: c }))
      else expanded.push(a)
    }
    return indexPutOp(this, v, expanded, accumulate, indices)
  },
  /** In-place `index_put_`. */
  index_put_(this: T, indices: ReadonlyArray<T>, values: TensorOrScalar, accumulate = false): T {
    checkInplace(this)
    return commitInplace(this, indexMethods.index_put.call(this, indices, values, accumulate))
  },
}
