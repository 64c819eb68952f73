/**
 * `x + alpha·y` of add/sub with an `alpha` (`p.add_(g, { alpha: -lr })`, the optimizers'
 * updates): on two float32 arrays of one shape, at any size, one pass computing each element as
 * PyTorch's CPU kernel does: alpha rounded to float32 (as PyTorch casts its Scalar to the tensor's
 * type), then one fused multiply-add `alpha·y + x` rounded once (checked bit for bit against
 * PyTorch 1.13 in test/fixtures/torch/fma_bits, near-tie operands included). Large arrays run the
 * WebAssembly kernel of ../../ndarray/kernels/wasm/simdFma32, small ones {@link fma32}'s loop.
 * Anything else (float64, broadcasting, traced values) takes the rule's composition
 * `x + alpha·broadcast(y)`, whose gradient the op keeps in every case.
 *
 * @category torch
 * @since 0.3.0
 */
import * as lax from '../../core/lax'
import { NdArray } from '../../ndarray/NdArray'
import { allocateUninit } from '../../ndarray/dtype'
import type { OpFn, OpOptions } from '../autograd/op'
import { broadcastShape } from '../ops/convert'
import { compositionGrads, fma32, viaWasm } from './pointwiseFused'

/** True for a concrete array (not a tracer, a staged or a meta value: those are subclasses). */
const plain = (x: NdArray): boolean => Object.getPrototypeOf(x) === NdArray.prototype

const sameShape = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): boolean =>
  a.length === b.length && a.every((n, i) => n === b[i])

/** `x + alpha·y` elementwise over two float32 arrays of one shape, rounded once. */
const fused32 = (x: NdArray, y: NdArray, alpha: number): NdArray => {
  const a = Math.fround(alpha)
  const fast = viaWasm('axpy', x, y, null, a)
  if (fast !== null) return fast
  const xd = x._data
  const yd = y._data
  const n = xd.length
  // NOTE: from the recycled buffers for a large result (../../ndarray/bufferPool), as the kernels allocate
  const out = allocateUninit('float32', n)
  for (let i = 0; i < n; i++) out[i] = fma32(a, yd[i] as number, xd[i] as number)
  return new NdArray(x.shape, 'float32', out)
}

/**
 * `x + alpha·y` as the rule composes it: `alpha·y` broadcast first against `x`, so the gradient
 * is `grad·alpha` summed to y's shape (PyTorch's order: the sum of zeros is +0 for every alpha,
 * where `alpha·sum(grad)` is −0 for a negative alpha).
 */
const composedScaled = (x: NdArray, y: NdArray, alpha: number): NdArray =>
  lax.mulScalar(lax.broadcastTo(y, broadcastShape(x.shape, y.shape)), alpha)

/** The rule's composition of add (`x + alpha·y`) or sub (`x − alpha·y`, whose gradient negates first). */
const composed = (sub: boolean, x: NdArray, y: NdArray, alpha: number): NdArray =>
  sub ? lax.sub(x, composedScaled(x, y, alpha)) : lax.add(x, composedScaled(x, y, alpha))

/** add's (sub's: `sub` true) `x ± alpha·y`, fused where {@link fused32} applies. */
export const addScaled =
  (alpha: number, sub = false): OpFn =>
  (x: NdArray, y: NdArray): NdArray =>
    x.dtype === 'float32' && y.dtype === 'float32' && plain(x) && plain(y) && sameShape(x.shape, y.shape)
      ? fused32(x, y, sub ? -alpha : alpha)
      : composed(sub, x, y, alpha)

/**
 * The options of add/sub with an alpha: the gradients of the composition (the value is computed
 * outside any trace, so it is the fused one when recording too), the inputs cast to the
 * result's dtype (the incoming gradient's). Under create_graph the rule runs over the composition.
 */
export const addScaledGrads = (alpha: number, sub = false): OpOptions => ({
  grads: (g, values, needs) =>
    compositionGrads((x, y) => composed(sub, lax.cast(x, g.dtype), lax.cast(y, g.dtype), alpha))(g, values, needs),
})
