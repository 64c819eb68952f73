/**
 * Scatter and indexed-update methods: `scatter`, `scatter_add`, `scatter_reduce`, `index_add`,
 * `index_copy`, `index_fill`, `masked_scatter`, their in-place forms, and `take_along_dim`,
 * `bincount`. Node names and messages are PyTorch 2.x's (ScatterBackward0/1,
 * ScatterAddBackward0, ScatterReduceBackward0, IndexAddBackward0, IndexCopyBackward0,
 * IndexFillBackward0/1, MaskedScatterBackward0; take_along_dim records GatherBackward0).
 * Repeated indices: `scatter`/`index_copy` keep the last write (PyTorch leaves it unspecified)
 * and, as PyTorch's formulas, give every listed source entry the gradient of its place, the
 * overwritten ones too (./writeGrads.ts); `scatter_reduce(…, 'prod')` is differentiable in `src`
 * only without repeated indices.
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { addAt } from './addAt'
import { NdArray } from '../../ndarray/NdArray'
import { checkInplace, commitInplace, op, opMulti } from '../autograd/op'
import { RuntimeError, TorchTypeError } from '../errors'
import { parseArgs, type PyArgs } from '../kwargs'
import { asTensor, broadcastShape, normDim, type TensorOrScalar } from '../ops/convert'
import { dimFirst, indexAlong, REDUCES, scatterPositions, scatterReduceFn, type ScatterReduce } from '../ops/scatter'
import { isMeta, metaArray } from '../meta'
import { Tensor } from '../tensor'
import { indexCopyGrads, scatterGrads } from './writeGrads'
import { reduceCheck, scatterAddGrads } from './scatterChecks'

type T = Tensor

/** `scatter`'s optional keyword arguments. */
export interface ScatterKwargs {
  readonly reduce?: 'add' | 'multiply'
}

/** `scatter_reduce`'s keyword arguments (`reduce` may be given by keyword too). */
export interface ScatterReduceKwargs {
  readonly reduce?: ScatterReduce
  readonly include_self?: boolean
}

const sameDtype = (self: T, src: T): void => {
  if (self._value().dtype !== src._value().dtype)
    throw new RuntimeError('scatter(): Expected self.dtype to be equal to src.dtype')
}

/** scatter / scatter_add / scatter_reduce after their arguments are parsed. */
const scatterOp = (
  self: T,
  dim: number,
  index: T,
  src: TensorOrScalar,
  reduce: ScatterReduce | 'set',
  include: boolean,
  name: string,
  backwardError?: string,
): T => {
  const x0 = self._value()
  const d = normDim(dim, x0.ndim)
  const isScalar = !(src instanceof Tensor)
  if (!isScalar) sameDtype(self, src)
  const s = isScalar ? asTensor(src, x0.dtype) : src
  const p0 = scatterPositions(x0.shape, d, index._value(), isScalar ? null : s._value().shape)
  const m = p0.tgt.size
  // a scalar value is broadcast to one update per index element
  const p = isScalar
    ? {
        ...p0,
        src: new NdArray(
          [m],
          'int32',
          Int32Array.from({ length: m }, (_, i) => i),
        ),
      }
    : p0
  const f = scatterReduceFn(p, reduce, include)
  const run = isScalar
    ? (x: NdArray, v: NdArray): NdArray => f(x, lax.broadcastTo(v, [m]))
    : (x: NdArray, v: NdArray): NdArray => f(x, v)
  // an op PyTorch has no derivative for: a NotImplemented node whose backward raises
  if (backwardError !== undefined)
    return opMulti(name, [self, s], (x, v) => [run(x, v)], { backwardError, savesOutputs: [] })[0] as T
  return op(name, [self, s], run, {
    savesTensors: [index],
    // scatter_reduce_backward(grad, self, dim, index, src, reduce, include_self, result)
    ...(name === 'ScatterReduceBackward0'
      ? { saves: [0, 1], savesOutput: true, ...reduceCheck(index, s, reduce) }
      : {}),
    ...(isScalar ? { scalars: [1] } : {}),
    // a repeated position passes its gradient back to every src element listed for it
    ...(reduce === 'set' && !isScalar ? scatterGrads(d, index, p0.tgt) : {}),
    ...(name === 'ScatterAddBackward0' && !isScalar ? scatterAddGrads(index, s) : {}),
  })
}

const parseReduce = (r: unknown): ScatterReduce => {
  if (!REDUCES.includes(r as ScatterReduce))
    throw new RuntimeError('reduce argument must be either sum, prod, mean, amax or amin.')
  return r as ScatterReduce
}

/** 1 at the rows `idx` lists of a dimension of size `n` (bool, `[n]`). */
const rowMask = (n: number, idx: NdArray): NdArray => {
  const rows = new Uint8Array(n)
  for (const i of idx.toTypedArray()) rows[i as number] = 1
  return new NdArray([n], 'bool', rows)
}

/**
 * scatter / scatter_ (`aten` names the overload in the NotImplemented error of the reduce forms:
 * PyTorch's in-place op raises "derivative for aten::scatter_ is not implemented").
 */
const scatterAny = (
  self: T,
  args: [number, T, TensorOrScalar, ScatterKwargs | undefined],
  aten: 'scatter' | 'scatter_',
): T => {
  const [dim, index, src, kwargs] = args
  const a = parseArgs('scatter', kwargs === undefined ? [dim, index, src] : [dim, index, src, kwargs], [
    'dim',
    'index',
    'src',
    'reduce',
  ])
  const reduce = a.reduce as ScatterKwargs['reduce']
  if (reduce === undefined)
    return scatterOp(
      self,
      dim,
      index,
      src,
      'set',
      true,
      src instanceof Tensor ? 'ScatterBackward0' : 'ScatterBackward1',
    )
  if (reduce !== 'add' && reduce !== 'multiply')
    throw new RuntimeError('reduce argument must be either add or multiply.')
  // PyTorch has no derivative for the reduce overloads: a NotImplemented node whose backward raises
  const refused = `derivative for aten::${aten} is not implemented`
  return scatterOp(self, dim, index, src, reduce === 'add' ? 'sum' : 'prod', true, 'NotImplemented', refused)
}

/** The scatter methods installed on Tensor. */
export const scatterMethods = {
  /** Writes `src` (or a scalar `value`) into self at `index` along `dim` (ScatterBackward0 / ScatterBackward1). */
  scatter(this: T, dim: number, index: T, src: TensorOrScalar, kwargs?: ScatterKwargs): T {
    return scatterAny(this, [dim, index, src, kwargs], 'scatter')
  },
  /** In-place {@link scatterMethods.scatter}. */
  scatter_(this: T, dim: number, index: T, src: TensorOrScalar, kwargs?: ScatterKwargs): T {
    checkInplace(this)
    return commitInplace(this, scatterAny(this, [dim, index, src, kwargs], 'scatter_'))
  },
  /** Adds `src` into self at `index` along `dim`; repeated indices accumulate (ScatterAddBackward0). */
  scatter_add(this: T, dim: number, index: T, src: T): T {
    return scatterOp(this, dim, index, src, 'sum', true, 'ScatterAddBackward0')
  },
  /** In-place {@link scatterMethods.scatter_add}. */
  scatter_add_(this: T, dim: number, index: T, src: T): T {
    checkInplace(this)
    return commitInplace(this, scatterMethods.scatter_add.call(this, dim, index, src))
  },
  /** Reduces `src` into self at `index` along `dim` by 'sum', 'prod', 'mean', 'amax' or 'amin' (ScatterReduceBackward0). */
  scatter_reduce(
    this: T,
    dim: number,
    index: T,
    src: T,
    reduce?: ScatterReduce | ScatterReduceKwargs,
    kwargs?: ScatterReduceKwargs,
  ): T {
    // PyTorch's signature: (dim, index, src, reduce, *, include_self=True); reduce may come by keyword
    const rest = [reduce, kwargs]
    while (rest.length > 0 && rest[rest.length - 1] === undefined) rest.pop()
    const a = parseArgs('scatter_reduce', rest, ['reduce', 'include_self'], 1, 3)
    if (a.reduce === undefined)
      throw new TorchTypeError('scatter_reduce() missing 1 required positional arguments: "reduce"')
    return scatterOp(
      this,
      dim,
      index,
      src,
      parseReduce(a.reduce),
      (a.include_self ?? true) as boolean,
      'ScatterReduceBackward0',
    )
  },
  /** In-place {@link scatterMethods.scatter_reduce}. */
  scatter_reduce_(
    this: T,
    dim: number,
    index: T,
    src: T,
    reduce?: ScatterReduce | ScatterReduceKwargs,
    kwargs?: ScatterReduceKwargs,
  ): T {
    checkInplace(this)
    return commitInplace(this, scatterMethods.scatter_reduce.call(this, dim, index, src, reduce, kwargs))
  },
  /** Adds `alpha · source` into self at the rows `index` along `dim` (IndexAddBackward0). */
  index_add(this: T, dim: number, index: T, source: T, kwargs?: { readonly alpha?: number }): T {
    const a = parseArgs('index_add', kwargs === undefined ? [] : [kwargs], ['alpha'])
    const x0 = this._value()
    const d = normDim(dim, x0.ndim)
    const idx = indexAlong('index_add_', x0.shape, d, index._value(), 'int32/int64')
    checkSource('index_add_', x0.shape, source._value().shape, d, idx.size)
    const alpha = (a.alpha ?? 1) as number
    return op(
      'IndexAddBackward0',
      [this, source],
      (x, s) => {
        const u = alpha === 1 ? lax.cast(s, x.dtype) : lax.mulScalar(lax.cast(s, x.dtype), alpha)
        return x.ndim === 0
          ? lax.reshape(addAt(lax.reshape(x, [1]), lax.reshape(u, [idx.size]), idx, 0), [])
          : addAt(x, u, idx, d)
      },
      { savesTensors: [index] },
    )
  },
  /** In-place {@link scatterMethods.index_add}. */
  index_add_(this: T, dim: number, index: T, source: T, kwargs?: { readonly alpha?: number }): T {
    checkInplace(this)
    return commitInplace(this, scatterMethods.index_add.call(this, dim, index, source, kwargs))
  },
  /** Copies the rows of `source` into self at `index` along `dim` (IndexCopyBackward0). */
  index_copy(this: T, dim: number, index: T, source: T): T {
    const x0 = this._value()
    const d = normDim(dim, x0.ndim)
    const idx = indexAlong('index_copy_', x0.shape, d, index._value(), 'int64')
    checkSource('index_copy_', x0.shape, source._value().shape, d, idx.size)
    return op(
      'IndexCopyBackward0',
      [this, source],
      (x, s) => {
        if (x.ndim === 0) return lax.reshape(lax.scatter(lax.reshape(x, [1]), idx, lax.reshape(s, [idx.size])), [])
        const [xt, back] = dimFirst(x, d)
        const [st] = dimFirst(lax.cast(s, x.dtype), d)
        return lax.transpose(lax.scatter(xt, idx, st), back)
      },
      { savesTensors: [index], ...indexCopyGrads(d, index, idx) },
    )
  },
  /** In-place {@link scatterMethods.index_copy}. */
  index_copy_(this: T, dim: number, index: T, source: T): T {
    checkInplace(this)
    return commitInplace(this, scatterMethods.index_copy.call(this, dim, index, source))
  },
  /** Fills the rows `index` along `dim` with `value` (IndexFillBackward0; IndexFillBackward1 for a tensor value). */
  index_fill(this: T, dim: number, index: T, value: TensorOrScalar): T {
    const x0 = this._value()
    const d = normDim(dim, x0.ndim)
    const idx = indexAlong('index_fill_', x0.shape, d, index._value(), 'int64')
    if (value instanceof Tensor && value._value().ndim !== 0)
      throw new RuntimeError(
        `index_fill_ only supports a 0-dimensional value tensor, but got tensor with ${value._value().ndim} dimension(s).`,
      )
    const n = x0.ndim === 0 ? 1 : (x0.shape[d] as number)
    const mask = isMeta(idx) ? metaArray([n], 'bool') : rowMask(n, idx)
    const v = asTensor(value, x0.dtype)
    const scalar = !(value instanceof Tensor)
    return op(
      scalar ? 'IndexFillBackward0' : 'IndexFillBackward1',
      [this, v],
      (x, vv) => {
        const m = x.ndim === 0 ? lax.reshape(mask, []) : lax.broadcastInDim(mask, x.shape, [d])
        return lax.select(m, lax.broadcastTo(lax.cast(vv, x.dtype), x.shape), x)
      },
      { savesTensors: [index], ...(scalar ? { scalars: [1] } : {}) },
    )
  },
  /** In-place {@link scatterMethods.index_fill}. */
  index_fill_(this: T, dim: number, index: T, value: TensorOrScalar): T {
    checkInplace(this)
    return commitInplace(this, scatterMethods.index_fill.call(this, dim, index, value))
  },
  /** Copies consecutive elements of `source` to the places where `mask` is true (MaskedScatterBackward0). */
  masked_scatter(this: T, mask: T, source: T): T {
    const x0 = this._value()
    const m = lax.broadcastTo(lax.cast(mask._value(), 'bool'), x0.shape).toTypedArray()
    const hits: number[] = []
    m.forEach((b, i) => {
      if (b !== 0) hits.push(i)
    })
    if (source._value().size < hits.length)
      throw new RuntimeError('Number of elements of source < number of ones in mask')
    const tgt = new NdArray([hits.length], 'int32', Int32Array.from(hits))
    const src = new NdArray(
      [hits.length],
      'int32',
      Int32Array.from(hits, (_, i) => i),
    )
    return op(
      'MaskedScatterBackward0',
      [this, source],
      (x, s) => {
        const u = lax.gather(lax.reshape(lax.cast(s, x.dtype), [s.size]), src, 0)
        return lax.reshape(lax.scatter(lax.reshape(x, [x.size]), tgt, u, true), x.shape)
      },
      { savesTensors: [mask] },
    )
  },
  /** In-place {@link scatterMethods.masked_scatter}. */
  masked_scatter_(this: T, mask: T, source: T): T {
    checkInplace(this)
    return commitInplace(this, scatterMethods.masked_scatter.call(this, mask, source))
  },
  /** `gather` with `indices` broadcast against self except along `dim` (flattened when dim is omitted). */
  take_along_dim(this: T, indices: T, ...args: PyArgs<[dim: number | null], { readonly dim?: number | null }>): T {
    const dim = parseArgs('take_along_dim', args, ['dim']).dim as number | null | undefined
    const iv = indices._value()
    if (iv.dtype !== 'int64')
      throw new RuntimeError(
        `torch.take_along_dim(): dtype of indices should be Long but got ${iv.dtype === 'float32' ? 'Float' : iv.dtype === 'float64' ? 'Double' : iv.dtype}`,
      )
    if (dim === undefined || dim === null) return this.reshape(-1).gather(0, indices.reshape(-1))
    const x0 = this._value()
    if (x0.ndim !== iv.ndim)
      throw new RuntimeError(
        `torch.take_along_dim(): input and indices should have the same number of dimensions, but got ${x0.ndim} dimensions for input, and ${iv.ndim} dimensions for indices`,
      )
    const d = normDim(dim, x0.ndim)
    // PyTorch broadcasts self's sizes (with indices' size along dim) against indices' first
    broadcastShape(
      x0.shape.map((n, k) => (k === d ? (iv.shape[k] as number) : n)),
      iv.shape,
    )
    const shape = x0.shape.map((n, k) => (k === d ? n : Math.max(n, iv.shape[k] ?? 1)))
    const ishape = shape.map((n, k) => (k === d ? (iv.shape[k] as number) : n))
    const xs = shape.every((n, k) => n === x0.shape[k]) ? this : this.expand(...shape)
    const is = ishape.every((n, k) => n === iv.shape[k]) ? indices : indices.expand(...ishape)
    return xs.gather(d, is)
  },
  /**
   * Counts of each non-negative integer (weighted by `weights`), at least `minlength` bins:
   * `bincount(weights, minlength)` or `bincount({ weights, minlength })`.
   */
  bincount(
    this: T,
    ...args: PyArgs<
      [weights: T | null, minlength: number],
      { readonly weights?: T | null; readonly minlength?: number }
    >
  ): T {
    const a = parseArgs('bincount', args, ['weights', 'minlength'])
    return bincount(this, (a.weights as T | null | undefined) ?? null, (a.minlength as number | undefined) ?? 0)
  },
}

const checkSource = (
  name: string,
  self: ReadonlyArray<number>,
  src: ReadonlyArray<number>,
  d: number,
  k: number,
): void => {
  const sd = src.length === 0 ? 1 : (src[d] as number)
  if (sd !== k) {
    if (name === 'index_copy_')
      throw new RuntimeError(`index_copy_(): Number of indices (${k}) should be equal to source.size(dim) (${sd})`)
    throw new RuntimeError(
      `${name}(): Number of indices (${k}) should be equal to source.size(dim): (${sd}), for dim: ${d}`,
    )
  }
  const bad = self.findIndex((n, i) => i !== d && n !== src[i])
  if (bad >= 0 || (src.length !== self.length && self.length > 0))
    throw new RuntimeError(
      `${name}(): Source/destination tensor must have same slice shapes. Destination slice shape: ${self[bad] ?? ''} at dimension ${bad} and source slice shape: ${src[bad] ?? ''} at dimension ${bad}.`,
    )
}

const bincount = (input: T, weights: T | null, minlength: number): T => {
  if (weights !== null && !(weights instanceof Tensor))
    throw new TorchTypeError(
      `bincount(): argument 'weights' (position 1) must be Tensor, not ${typeof weights === 'number' ? (Number.isInteger(weights) ? 'int' : 'float') : typeof weights}`,
    )
  if (!Number.isInteger(minlength))
    throw new TorchTypeError(
      `bincount(): argument 'minlength' (position 2) must be int, not ${typeof minlength === 'number' ? 'float' : typeof minlength}`,
    )
  const v = input._value()
  if (v.dtype === 'float32' || v.dtype === 'float64')
    throw new RuntimeError(`"bincount_cpu" not implemented for '${v.dtype === 'float32' ? 'Float' : 'Double'}'`)
  const xs = Array.from(v.toTypedArray())
  if (v.ndim !== 1 || xs.some((k) => k < 0))
    throw new RuntimeError('bincount only supports 1-d non-negative integral inputs.')
  if (minlength < 0) throw new RuntimeError('minlength should be >= 0')
  const w = weights?._value()
  if (w !== undefined && (w.ndim !== 1 || w.size !== xs.length))
    throw new RuntimeError('weights should be 1-d and have the same length as input')
  const n = Math.max(
    minlength,
    xs.reduce((a, b) => Math.max(a, b + 1), 0),
  )
  const dtype = w === undefined ? 'int64' : w.dtype === 'float32' ? 'float32' : 'float64'
  const out = new Float64Array(n)
  const wd = w?.toTypedArray()
  xs.forEach((k, i) => (out[k] = (out[k] as number) + (wd === undefined ? 1 : (wd[i] as number))))
  return Tensor._fromValue(lax.cast(new NdArray([n], 'float64', out), dtype))
}
