/**
 * float32 `addcmul`, `addcdiv` and `lerp` computing PyTorch's CPU sequence bit for bit (checked
 * against PyTorch 1.13 in test/fixtures/torch/pointwise_bits): the Python-number `value`/`weight`
 * is rounded to float32 first, then
 * - addcmul: `(value·t1)` rounded, then `self + (value·t1)·t2` as one fused multiply-add;
 * - addcdiv: `(value·t1)` rounded, divided by `t2` and rounded, added to `self` and rounded;
 * - lerp: `self + weight·(end − self)` for |weight| < 0.5, else `end + (weight − 1)·(end − self)`,
 *   each a fused multiply-add over the rounded difference (the form of PyTorch 2.x's kernel).
 * The one-pass loops take concrete float32 arrays of one shape of at most 8192 elements (a weight
 * may be 0-d); anything else (other dtypes, broadcasting, traced values, larger arrays) takes the
 * op's composition, whose gradients the ops keep in every case ({@link compositionGrads}).
 *
 * @category torch
 * @since 0.3.0
 */
import { NdArray } from '../../ndarray/NdArray'
import { allocateUninit } from '../../ndarray/dtype'
import type { OpOptions } from '../autograd/op'
import { pullArrays, traceArrays } from '../../transforms/vjpArrays'
import { Tensor } from '../tensor'

const fround = Math.fround

/**
 * `a·b + c` rounded once to float32, for float32 `a`, `b`, `c`: the product is exact in float64,
 * and rounding the float64 sum to float32 rounds the exact sum correctly unless that sum lands
 * exactly on a midpoint between two float32 numbers (a double rounding). Then the sum's error
 * (Knuth's two-sum) says on which side of the midpoint the exact sum lies.
 */
export const fma32 = (a: number, b: number, c: number): number => {
  const p = a * b
  const s = p + c
  const r = fround(s)
  if (r === s || !Number.isFinite(s)) return r
  const other = 2 * s - r // the other float32 neighbour when s is their midpoint (exact then)
  if (fround(other) !== other) return r
  const bp = s - c
  const e = p - bp + (c - (s - bp))
  if (e === 0) return r // a true tie: fround rounded it to even
  return e > 0 ? Math.max(r, other) : Math.min(r, other)
}

/** True for a concrete array (not a tracer, a staged or a meta value: those are subclasses). */
const plain = (x: NdArray): boolean => Object.getPrototypeOf(x) === NdArray.prototype

const sameShape = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): boolean =>
  a.length === b.length && a.every((n, i) => n === b[i])

/**
 * Largest size the one-pass loops take. NOTE: as add's alpha loop (./addScaled), above this the
 * composition's passes on WebAssembly SIMD are much faster (an Adam step over 784×256 elements:
 * 1.8 ms CPU-time minimum, against 7.5-11 ms through these scalar loops), so larger arrays keep
 * the composition's roundings until a SIMD kernel computes PyTorch's sequence.
 */
const FUSED_MAX = 8192

/** True when the one-pass loops apply: concrete float32 arrays, all of `xs[0]`'s shape. */
export const fusable = (...xs: ReadonlyArray<NdArray>): boolean => {
  const first = xs[0] as NdArray
  return (
    first.size <= FUSED_MAX && xs.every((x) => x.dtype === 'float32' && plain(x) && sameShape(x.shape, first.shape))
  )
}

/** One float32 pass `out[i] = f(i)` of `n` elements in `shape`. */
const pass = (shape: ReadonlyArray<number>, n: number, f: (i: number) => number): NdArray => {
  // NOTE: from the recycled buffers for a large result (../../ndarray/bufferPool), as the kernels allocate
  const out = allocateUninit('float32', n)
  for (let i = 0; i < n; i++) out[i] = f(i)
  return new NdArray(shape, 'float32', out)
}

/** addcmul's `self + value·t1·t2` in PyTorch's float32 sequence. */
export const addcmul32 = (x: NdArray, a: NdArray, b: NdArray, value: number): NdArray => {
  const [xd, ad, bd, v] = [x._data, a._data, b._data, fround(value)]
  return pass(x.shape, xd.length, (i) => fma32(fround(v * (ad[i] as number)), bd[i] as number, xd[i] as number))
}

/** addcdiv's `self + value·t1/t2` in PyTorch's float32 sequence. */
export const addcdiv32 = (x: NdArray, a: NdArray, b: NdArray, value: number): NdArray => {
  const [xd, ad, bd, v] = [x._data, a._data, b._data, fround(value)]
  return pass(x.shape, xd.length, (i) => (xd[i] as number) + fround(fround(v * (ad[i] as number)) / (bd[i] as number)))
}

/** One element of lerp in PyTorch's float32 sequence (`w` a float32 number). */
const lerpOne = (x: number, e: number, w: number): number =>
  Math.abs(w) < 0.5 ? fma32(w, fround(e - x), x) : fma32(fround(w - 1), fround(e - x), e)

/** lerp over float32 `x`, `e` of one shape and a weight of that shape or 0-d. */
export const lerp32 = (x: NdArray, e: NdArray, w: NdArray): NdArray => {
  const [xd, ed, wd] = [x._data, e._data, w._data]
  if (w.shape.length === 0) {
    const wv = wd[0] as number
    return pass(x.shape, xd.length, (i) => lerpOne(xd[i] as number, ed[i] as number, wv))
  }
  return pass(x.shape, xd.length, (i) => lerpOne(xd[i] as number, ed[i] as number, wd[i] as number))
}

/**
 * The gradients of an op whose value a one-pass loop computes: those of `composition` (the op's
 * rule as composed from primitives), traced over the inputs that need one. Under create_graph the recorded rule runs over the composition itself.
 */
export const compositionGrads = (composition: (...xs: NdArray[]) => NdArray): NonNullable<OpOptions['grads']> =>
  function grads(g, values, needs) {
    const idx: number[] = []
    for (let i = 0; i < values.length; i++) if (needs[i] === true) idx.push(i)
    const at = (d: ReadonlyArray<NdArray>, i: number): NdArray => {
      const k = idx.indexOf(i)
      return k >= 0 ? (d[k] as NdArray) : (values[i] as NdArray)
    }
    const h = (...d: NdArray[]): NdArray => composition(...values.map((_, i) => at(d, i)))
    const primals = idx.map((i) => values[i] as NdArray)
    const cts = pullArrays(traceArrays(h, primals)[1], primals, g)
    const r = new Array<Tensor | null>(values.length).fill(null)
    idx.forEach((i, k) => {
      r[i] = Tensor._fromValue(cts[k] as NdArray)
    })
    return r
  }
