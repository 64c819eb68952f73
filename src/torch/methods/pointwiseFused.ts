/**
 * float32 `addcmul`, `addcdiv` and `lerp` computing PyTorch's CPU sequence bit for bit (checked
 * against PyTorch 1.13 in test/fixtures/torch/pointwise_bits): the Python-number `value`/`weight`
 * is rounded to float32 first, then
 * - addcmul: `(value·t1)` rounded, then `self + (value·t1)·t2` as one fused multiply-add;
 * - addcdiv: `(value·t1)` rounded, divided by `t2` and rounded, added to `self` and rounded;
 * - lerp: `self + weight·(end − self)` for |weight| < 0.5, else `end + (weight − 1)·(end − self)`,
 *   each a fused multiply-add over the rounded difference (the form of PyTorch 2.x's kernel).
 * The one-pass loops take concrete float32 arrays of one shape (a weight may be 0-d), at any size:
 * from {@link WASM_MIN} elements on, the WebAssembly SIMD kernels of
 * ../../ndarray/kernels/wasm/simdFma32 (the same bits; they say why their emulated fused
 * multiply-add is exact), below it or without WebAssembly the TypeScript loops here. Anything
 * else (other dtypes, broadcasting, traced values) takes the op's composition, whose gradients
 * the ops keep in every case ({@link compositionGrads}).
 *
 * @category torch
 * @since 0.3.0
 */
import { NdArray } from '../../ndarray/NdArray'
import { allocateUninit } from '../../ndarray/dtype'
import { fma32Wasm, type Fma32Op } from '../../ndarray/kernels/wasm/simdFma32'
import type { OpOptions } from '../autograd/op'
import { pullArrays, traceArrays } from '../../transforms/vjpArrays'
import { Tensor } from '../tensor'

const fround = Math.fround

/** The largest float32, and the midpoint between it and 2^128 (where float32 rounding overflows). */
const F32_MAX = 3.4028234663852886e38
const OVERFLOW_TIE = 2 ** 128 - 2 ** 103

/**
 * `a·b + c` rounded once to float32, for float32 `a`, `b`, `c`: the product is exact in float64,
 * and rounding the float64 sum to float32 rounds the exact sum correctly unless that sum lands
 * exactly on a midpoint between two float32 numbers (a double rounding). Then the sum's error
 * (Knuth's two-sum) says on which side of the midpoint the exact sum lies. (The midpoint above
 * the largest float32 has ±inf on its far side.)
 */
export const fma32 = (a: number, b: number, c: number): number => {
  const p = a * b
  const s = p + c
  const r = fround(s)
  if (r === s || !Number.isFinite(s)) return r
  // the other float32 neighbour when s is their midpoint (exact then)
  const finite = Number.isFinite(r)
  const other = finite ? 2 * s - r : Math.sign(s) * F32_MAX
  if (finite ? fround(other) !== other : Math.abs(s) !== OVERFLOW_TIE) return r
  const bp = s - c
  const e = p - bp + (c - (s - bp))
  if (e === 0) return r // a true tie: fround rounded it to even
  return e > 0 ? Math.max(r, other) : Math.min(r, other)
}

/** True for a concrete array (not a tracer, a staged or a meta value: those are subclasses). */
const plain = (x: NdArray): boolean => Object.getPrototypeOf(x) === NdArray.prototype

const sameShape = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): boolean =>
  a.length === b.length && a.every((n, i) => n === b[i])

/** True when the one-pass loops apply: concrete float32 arrays, all of `xs[0]`'s shape. */
export const fusable = (...xs: ReadonlyArray<NdArray>): boolean => {
  const first = xs[0] as NdArray
  return xs.every((x) => x.dtype === 'float32' && plain(x) && sameShape(x.shape, first.shape))
}

/**
 * Smallest size the WebAssembly kernels take. NOTE: below it the facade's per-call cost hides
 * either path, and staging the operands into the kernels' memory costs about what the scalar
 * loops would; from 512 elements on the kernels are ~2× faster (CPU-time minima,
 * bench/micro/fma32Steps.mjs: 7.2 vs 11.4 ns per element for add with alpha at 512, 4.4 vs 10.2
 * at 1024).
 */
export const WASM_MIN = 256

/** Whether the WebAssembly kernels may run (a testing hook turns them off to check the loops). */
let wasmOn = true

/** Turns the WebAssembly kernels off (false) or on; returns the previous setting (testing hook). */
export const useFma32Wasm = (on: boolean): boolean => {
  const prev = wasmOn
  wasmOn = on
  return prev
}

/**
 * `op` through the WebAssembly kernel into a new float32 array of x's shape, or null where the
 * loops should run (small arrays, no WebAssembly).
 */
export const viaWasm = (op: Fma32Op, x: NdArray, a: NdArray, b: NdArray | null, s: number): NdArray | null => {
  if (!wasmOn || x.size < WASM_MIN) return null
  const out = allocateUninit('float32', x.size) as Float32Array
  const f = (v: NdArray): Float32Array => v._data as Float32Array
  if (!fma32Wasm(op, f(x), f(a), b === null ? null : f(b), s, out)) return null
  return new NdArray(x.shape, 'float32', out)
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
  return (
    viaWasm('addcmul', x, a, b, v) ??
    pass(x.shape, xd.length, (i) => fma32(fround(v * (ad[i] as number)), bd[i] as number, xd[i] as number))
  )
}

/** addcdiv's `self + value·t1/t2` in PyTorch's float32 sequence. */
export const addcdiv32 = (x: NdArray, a: NdArray, b: NdArray, value: number): NdArray => {
  const [xd, ad, bd, v] = [x._data, a._data, b._data, fround(value)]
  return (
    viaWasm('addcdiv', x, a, b, v) ??
    pass(x.shape, xd.length, (i) => (xd[i] as number) + fround(fround(v * (ad[i] as number)) / (bd[i] as number)))
  )
}

/** One element of lerp in PyTorch's float32 sequence (`w` a float32 number). */
const lerpOne = (x: number, e: number, w: number): number =>
  Math.abs(w) < 0.5 ? fma32(w, fround(e - x), x) : fma32(fround(w - 1), fround(e - x), e)

/** lerp over float32 `x`, `e` of one shape and a weight of that shape or 0-d. */
export const lerp32 = (x: NdArray, e: NdArray, w: NdArray): NdArray => {
  const fast = viaWasm('lerp', x, e, w, 0)
  if (fast !== null) return fast
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
