/**
 * The index arithmetic of PyTorch's scatter family (`scatter`, `scatter_add`, `scatter_reduce`)
 * and the `index_*` ops: an index tensor (concrete, as in eager PyTorch) becomes flat int32
 * positions into `self` and `src` flattened, checked with PyTorch's messages. The forward
 * computations here are functions of NdArrays built from primitives (so the facade's autograd
 * differentiates them); the methods in ../methods/scatter.ts record them as nodes.
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { NdArray } from '../../ndarray/NdArray'
import { IndexError, RuntimeError } from '../errors'
import { isMeta, metaArray } from '../meta'

const stridesOf = (s: ReadonlyArray<number>): number[] => s.map((_, k) => s.slice(k + 1).reduce((a, b) => a * b, 1))
const fmt = (s: ReadonlyArray<number>): string => `[${s.join(', ')}]`

/** Flat positions of a scatter: `tgt[p]` in self, `src[p]` in src, for every element p of the index. */
export interface ScatterPositions {
  readonly tgt: NdArray
  readonly src: NdArray
  /** No position of self is written twice. */
  readonly unique: boolean
}

/** Checks `index` (int64, same rank, sizes within self's and src's) and maps it to flat positions. */
export const scatterPositions = (
  self: ReadonlyArray<number>,
  dim: number,
  index: NdArray,
  src: ReadonlyArray<number> | null,
): ScatterPositions => {
  if (index.dtype !== 'int64') throw new RuntimeError('scatter(): Expected dtype int64 for index')
  const rank = Math.max(self.length, 1)
  const is = index.ndim === 0 ? [1] : index.shape
  if (index.size > 0 && is.length !== rank)
    throw new RuntimeError('Index tensor must have the same number of dimensions as self tensor')
  const ss = self.length === 0 ? [1] : self
  const rs = src === null ? null : src.length === 0 ? [1] : src
  if (index.size > 0 && rs !== null && rs.length !== rank)
    throw new RuntimeError('Index tensor must have the same number of dimensions as src tensor')
  const tooBig =
    index.size > 0 && is.some((d, k) => (k !== dim && d > (ss[k] as number)) || (rs !== null && d > (rs[k] as number)))
  if (tooBig)
    throw new RuntimeError(
      `Expected index ${fmt(index.shape)} to be smaller than self ${fmt(self)} apart from dimension ${dim}` +
        (rs === null ? '' : ` and to be smaller size than src ${fmt(src ?? [])}`),
    )
  // a meta index has no values: meta positions carry the shapes (PyTorch's meta kernels check no bounds)
  if (isMeta(index))
    return { tgt: metaArray([index.size], 'int32'), src: metaArray([index.size], 'int32'), unique: true }
  const values = index.toTypedArray()
  const m = values.length
  const tgt = new Int32Array(m)
  const srcPos = new Int32Array(m)
  const [sStr, rStr, iStr] = [stridesOf(ss), stridesOf(rs ?? ss), stridesOf(is)]
  const n = ss[dim] as number
  const seen = new Set<number>()
  for (let p = 0; p < m; p++) {
    const v = values[p] as number
    if (v < 0 || v >= n) throw new RuntimeError(`index ${v} is out of bounds for dimension ${dim} with size ${n}`)
    let t = 0
    let s = 0
    for (let k = 0; k < is.length; k++) {
      const c = Math.floor(p / (iStr[k] as number)) % (is[k] as number)
      t += (k === dim ? v : c) * (sStr[k] as number)
      s += c * (rStr[k] as number)
    }
    tgt[p] = t
    srcPos[p] = s
    seen.add(t)
  }
  return {
    tgt: new NdArray([m], 'int32', tgt),
    src: new NdArray([m], 'int32', srcPos),
    unique: seen.size === m,
  }
}

/** The reductions of `scatter_reduce`. */
export type ScatterReduce = 'sum' | 'prod' | 'mean' | 'amax' | 'amin'
export const REDUCES: ReadonlyArray<ScatterReduce> = ['sum', 'prod', 'mean', 'amax', 'amin']

/** Row values of `src` at the positions, flat `[m]`. */
const pick = (src: NdArray, pos: NdArray): NdArray => lax.gather(lax.reshape(src, [src.size]), pos, 0)

/** 1 at every flat position of self written by the scatter (bool, `[size]`). */
const hitMask = (size: number, tgt: NdArray): NdArray => {
  if (isMeta(tgt)) return metaArray([size], 'bool')
  const m = new Uint8Array(size)
  for (const t of tgt.toTypedArray()) m[t as number] = 1
  return new NdArray([size], 'bool', m)
}

/**
 * scatter_mul with repeated indices as rounds of scatter_mul with unique ones (round r takes the
 * r-th update of each position): the product is the same and each round is differentiable in
 * its updates (zeros included), which PyTorch's prod gradient also is.
 */
const mulInRounds = (x: NdArray, tgt: NdArray, u: NdArray): NdArray => {
  const seen = new Map<number, number>()
  const rounds: number[][] = []
  tgt.toTypedArray().forEach((t, j) => {
    const r = seen.get(t as number) ?? 0
    seen.set(t as number, r + 1)
    ;(rounds[r] ??= []).push(j)
  })
  return rounds.reduce((acc, js) => {
    const sel = new NdArray([js.length], 'int32', Int32Array.from(js))
    return lax.scatterMul(acc, lax.gather(tgt, sel, 0), lax.gather(u, sel, 0), true)
  }, x)
}

/** `self` with the scattered values combined by `reduce` (PyTorch's scatter_reduce; 'set' is scatter). */
export const scatterReduceFn =
  (p: ScatterPositions, reduce: ScatterReduce | 'set', includeSelf: boolean) =>
  (x: NdArray, src: NdArray): NdArray => {
    const xf = lax.reshape(x, [x.size])
    const u = pick(lax.cast(src, x.dtype), p.src)
    if (p.tgt.size === 0) return x
    const hit = hitMask(x.size, p.tgt)
    const base = (v: number): NdArray => (includeSelf ? xf : lax.select(hit, lax.scalar(v, x.dtype), xf))
    let out: NdArray
    if (reduce === 'set') out = lax.scatter(xf, p.tgt, u, p.unique)
    // positions nobody wrote get −0 added, so they keep self exactly (a scattered +0 would turn
    // a −0 into +0); self's gradient stays the add's
    else if (reduce === 'sum')
      out = lax.add(base(0), lax.select(hit, lax.scatterAdd(u, p.tgt, 0, xf.shape), lax.scalar(-0, x.dtype)))
    else if (reduce === 'prod')
      out = p.unique ? lax.scatterMul(base(1), p.tgt, u, true) : mulInRounds(base(1), p.tgt, u)
    else if (reduce === 'amax') out = lax.scatterMax(base(-Infinity), p.tgt, u, p.unique)
    else if (reduce === 'amin') out = lax.scatterMin(base(Infinity), p.tgt, u, p.unique)
    else {
      const ones = lax.broadcastTo(lax.scalar(1, x.dtype), u.shape)
      const count = lax.add(lax.scatterAdd(ones, p.tgt, 0, xf.shape), lax.scalar(includeSelf ? 1 : 0, x.dtype))
      const total = lax.add(base(0), lax.scatterAdd(u, p.tgt, 0, xf.shape))
      // positions nobody wrote keep self; integer means floor, as PyTorch's
      const mean = lax.div(total, lax.select(hit, count, lax.scalar(1, x.dtype)))
      out = lax.select(hit, x.dtype === 'float32' || x.dtype === 'float64' ? mean : lax.floor(mean), xf)
    }
    return lax.reshape(out, x.shape)
  }

/** Checks a 1-D (or 0-d) index along `dim` of a tensor of `shape` and returns its values as int32. */
export const indexAlong = (
  name: string,
  shape: ReadonlyArray<number>,
  dim: number,
  index: NdArray,
  accepts: 'int64' | 'int32/int64',
): NdArray => {
  const okDtype = index.dtype === 'int64' || (accepts === 'int32/int64' && index.dtype === 'int32')
  if (!okDtype) {
    const got = index.dtype === 'float32' ? 'Float' : index.dtype === 'float64' ? 'Double' : index.dtype
    if (name === 'index_copy_')
      throw new RuntimeError(`index_copy_(): Expected a long tensor for index, but got ${got}`)
    if (name === 'index_fill_') throw new IndexError('index_fill_(): Expected dtype int64 for index.')
    throw new RuntimeError(`${name}(): Expected dtype ${accepts} for index but got: ${got}`)
  }
  if (index.ndim > 1) throw new IndexError(`${name}(): Index is supposed to be a vector`)
  if (isMeta(index)) return metaArray([index.size], 'int32')
  const n = shape.length === 0 ? 1 : (shape[dim] as number)
  const v = index.toTypedArray()
  const out = new Int32Array(v.length)
  v.forEach((w, i) => {
    const k = w as number
    if (k < (name === 'index_fill_' ? -n : 0) || k >= n) {
      if (name === 'index_add_') throw new IndexError('index out of range in self')
      throw new IndexError(
        `${name === 'index_copy_' ? 'index_copy_(): ' : ''}index ${k} is out of bounds for dimension ${dim} with size ${n}`,
      )
    }
    out[i] = k < 0 ? k + n : k
  })
  return new NdArray([v.length], 'int32', out)
}

/** `x` with `dim` moved to the front, and the permutation that moves it back. */
export const dimFirst = (x: NdArray, dim: number): readonly [NdArray, number[]] => {
  const perm = [dim, ...x.shape.map((_, i) => i).filter((i) => i !== dim)]
  const back = perm.map((_, i) => perm.indexOf(i))
  return [lax.transpose(x, perm), back]
}
