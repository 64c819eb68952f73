/**
 * `put` / `put_` (writes or adds `source` at flat positions of self, PutBackward0) and
 * `index_reduce` / `index_reduce_` (combines the rows of `source` into self at `index` along `dim`
 * by `prod`, `mean`, `amax` or `amin`, with or without self's values: IndexReduceBackward0).
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.zeros(2, 2)
 * assert.deepStrictEqual(x.put(torch.tensor([0n, -1n]), torch.tensor([1.0, 2.0])).tolist(), [[1, 0], [0, 2]])
 * const y = torch.ones(2, 2).index_reduce(0, torch.tensor([1n, 1n]), torch.tensor([[2.0, 3.0], [4.0, 5.0]]), 'prod')
 * assert.deepStrictEqual(y.tolist(), [[1, 1], [8, 15]])
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { addAt } from './addAt'
import { NdArray } from '../../ndarray/NdArray'
import { checkInplace, commitInplace, op } from '../autograd/op'
import { int32, int64 } from '../dtype'
import { IndexError, RuntimeError } from '../errors'
import { parseArgs, type PyArgs } from '../kwargs'
import { normDim } from '../ops/convert'
import { scatterReduceFn, type ScatterPositions } from '../ops/scatter'
import { Tensor } from '../tensor'
import { putGrads } from './writeGrads'

type T = Tensor

/** `put`'s keywords. */
export interface PutKw {
  readonly accumulate?: boolean
}

/** `index_reduce`'s keywords. */
export interface IndexReduceKw {
  readonly include_self?: boolean
}

/** The reductions of `index_reduce`. */
export type IndexReduce = 'prod' | 'mean' | 'amax' | 'amin'

const dtypeName = (t: T): string => t.dtype.word

/** `index`'s values as in-range flat positions of a tensor of `numel` elements (negatives wrap). */
const putPositions = (index: T, numel: number, source: T): NdArray => {
  if (index.dtype !== int64)
    throw new RuntimeError(`put_(): Expected a long tensor for index, but got ${dtypeName(index)}`)
  const v = index._value().toTypedArray()
  if (v.length !== source.numel())
    throw new IndexError(
      `put_(): Expected source and index to have the same number of elements, but got source.numel() = ${source.numel()}, index.numel() = ${v.length}`,
    )
  const out = new Int32Array(v.length)
  v.forEach((w, i) => {
    const k = w as number
    if (k < -numel || k >= numel)
      throw new IndexError(`out of range: tried to access index ${k} on a tensor of ${numel} elements.`)
    out[i] = k < 0 ? k + numel : k
  })
  return new NdArray([v.length], 'int32', out)
}

/** The flat positions of `index_reduce`: source element q goes to self's element with `dim` coordinate `idx[j]`. */
const reducePositions = (
  self: ReadonlyArray<number>,
  src: ReadonlyArray<number>,
  d: number,
  idx: Int32Array,
): ScatterPositions => {
  const m = src.reduce((a, b) => a * b, 1)
  const inner = self.slice(d + 1).reduce((a, b) => a * b, 1)
  const k = src[d] as number
  const n = self[d] as number
  const tgt = new Int32Array(m)
  for (let q = 0; q < m; q++) {
    const outer = Math.floor(q / (k * inner))
    const j = Math.floor(q / inner) % k
    tgt[q] = (outer * n + (idx[j] as number)) * inner + (q % inner)
  }
  return {
    tgt: new NdArray([m], 'int32', tgt),
    src: new NdArray(
      [m],
      'int32',
      Int32Array.from({ length: m }, (_, i) => i),
    ),
    unique: new Set(idx).size === idx.length,
  }
}

/** Checks index_reduce's arguments and returns the index's values. */
const checkReduce = (self: T, d: number, index: T, source: T, reduce: string): Int32Array => {
  if (!['prod', 'mean', 'amax', 'amin'].includes(reduce))
    throw new RuntimeError(`index_reduce(): Expected reduce to be one of prod, mean, amax or amin but got ${reduce}.`)
  if (index.dtype !== int64 && index.dtype !== int32)
    throw new RuntimeError(`index_reduce_(): Expected dtype int32/int64 for index but got: ${dtypeName(index)}`)
  if (index.dim() > 1)
    throw new IndexError(
      `index_reduce_(): Index is supposed to be a vector, but got dim: ${index.dim()} with type: ${dtypeName(index)} and size: [${index.shape.join(', ')}]`,
    )
  const k = index.numel()
  const sk = source.dim() === 0 ? 1 : (source.shape[d] as number)
  if (sk !== k)
    throw new RuntimeError(
      `index_reduce_(): Number of indices (${k}) should be equal to source.size(dim): (${sk}), for dim: ${d}`,
    )
  const bad = self.shape.findIndex((s, i) => i !== d && source.shape[i] !== s)
  if (source.dim() !== self.dim() || bad >= 0)
    throw new RuntimeError(
      `index_reduce_(): Expected self and source to have the same sizes apart from dimension ${d}, but got self [${self.shape.join(', ')}] and source [${source.shape.join(', ')}]`,
    )
  const n = self.dim() === 0 ? 1 : (self.shape[d] as number)
  const v = index._value().toTypedArray()
  return Int32Array.from(v, (w) => {
    const j = w as number
    if (j < 0 || j >= n) throw new IndexError('index out of range in self')
    return j
  })
}

type ArrayFn = (x: NdArray, s: NdArray) => NdArray

/**
 * amax/amin with PyTorch's gradient: each input equal to the result gets grad / (how many are),
 * as `mask · (grad / N)` (so masked-out zeros carry the gradient's sign); without `include_self`
 * the written rows of self get none. The value is `f`'s; the added terms are exactly zero.
 */
const extremeFn =
  (p: ScatterPositions, f: ArrayFn, include: boolean): ArrayFn =>
  (x, s) => {
    const sg = lax.stopGradient
    const r = f(sg(x), sg(s))
    const n = x.size
    const [xf, rf, sf] = [lax.reshape(x, [n]), lax.reshape(r, [n]), lax.reshape(s, [s.size])]
    const selfIs = lax.cast(lax.eq(sg(xf), rf), x.dtype)
    const value = lax.gather(rf, p.tgt, 0)
    const srcIs = lax.cast(lax.eq(sg(sf), value), x.dtype)
    const count = lax.add(selfIs, lax.scatterAdd(srcIs, p.tgt, 0, [n]))
    let selfTerm = lax.div(lax.mul(selfIs, lax.sub(xf, sg(xf))), count)
    if (!include) {
      const hit = new Uint8Array(n)
      for (const t of p.tgt.toTypedArray()) hit[t as number] = 1
      selfTerm = lax.select(new NdArray([n], 'bool', hit), lax.zerosLike(selfTerm), selfTerm)
    }
    const srcTerm = lax.scatterAdd(lax.mul(srcIs, lax.sub(sf, sg(sf))), p.tgt, 0, [n])
    const srcShare = lax.div(srcTerm, count)
    return lax.reshape(lax.add(rf, lax.add(selfTerm, srcShare)), x.shape)
  }

/** Integer means in float64, floored (PyTorch divides integer sums with rounding mode floor). */
const intMeanFn =
  (f: ArrayFn): ArrayFn =>
  (x, s) =>
    lax.cast(lax.floor(f(lax.cast(x, 'float64'), lax.cast(s, 'float64'))), x.dtype)

export const putReduceMethods = {
  /** Self with `source` written (or, with `accumulate`, added) at the flat positions `index` (PutBackward0). */
  put(this: T, index: T, source: T, ...rest: PyArgs<[accumulate: boolean], PutKw>): T {
    const accumulate = (parseArgs('put', rest, ['accumulate']).accumulate as boolean | undefined) ?? false
    const n = this.numel()
    const idx = putPositions(index, n, source)
    return op(
      'PutBackward0',
      [this, source],
      (x, s) => {
        const xf = lax.reshape(x, [n])
        const u = lax.reshape(lax.cast(s, x.dtype), [idx.size])
        const out = accumulate ? addAt(xf, u, idx, 0) : lax.scatter(xf, idx, u)
        return lax.reshape(out, x.shape)
      },
      { savesTensors: [index], ...putGrads(index, idx, accumulate) },
    )
  },
  /** In-place {@link putReduceMethods.put}. */
  put_(this: T, index: T, source: T, ...rest: PyArgs<[accumulate: boolean], PutKw>): T {
    checkInplace(this)
    return commitInplace(this, putReduceMethods.put.call(this, index, source, ...rest))
  },
  /** Self with the rows of `source` combined into the rows `index` along `dim` by `reduce` (IndexReduceBackward0). */
  index_reduce(this: T, dim: number, index: T, source: T, reduce: IndexReduce, ...rest: PyArgs<[], IndexReduceKw>): T {
    const include = (parseArgs('index_reduce', rest, ['include_self']).include_self as boolean | undefined) ?? true
    const d = normDim(dim, this.dim())
    const idx = checkReduce(this, d, index, source, reduce)
    const self0 = this.dim() === 0 ? [1] : this.shape
    const src0 = source.dim() === 0 ? [1] : source.shape
    const p = reducePositions(self0, src0, d, idx)
    const f0 = scatterReduceFn(p, reduce, include)
    const isFloat = this.dtype.is_floating_point
    const f =
      reduce === 'amax' || reduce === 'amin'
        ? extremeFn(p, f0, include)
        : reduce === 'mean' && !isFloat
          ? intMeanFn(f0)
          : f0
    return op('IndexReduceBackward0', [this, source], (x, s) => f(x, lax.reshape(s, [s.size])), {
      savesTensors: [index],
    })
  },
  /** In-place {@link putReduceMethods.index_reduce}. */
  index_reduce_(this: T, dim: number, index: T, source: T, reduce: IndexReduce, ...rest: PyArgs<[], IndexReduceKw>): T {
    checkInplace(this)
    return commitInplace(this, putReduceMethods.index_reduce.call(this, dim, index, source, reduce, ...rest))
  },
}
