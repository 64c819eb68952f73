/**
 * `torch.as_strided_scatter(input, src, size, stride, storage_offset=None)` and its method: a copy
 * of `input` (laid out as `input`, as PyTorch's clone) whose elements addressed by
 * `as_strided(size, stride, storage_offset)` hold `src` (cast to `input`'s dtype; where the
 * strides address one element several times, the last write wins, as PyTorch's `copy_`).
 * `AsStridedScatterBackward0`: the gradient of `input` is the incoming one with the overwritten
 * elements zeroed, that of `src` the incoming one read through the same strides.
 *
 * NOTE: PyTorch 1.13 and 2.x give `input` the incoming gradient *inside* the scattered region
 * instead (their `as_strided_scatter_backward` copies the slice rather than zeroing it), which is
 * not the derivative of the forward; the facade follows the mathematics, checked by float64
 * finite differences (test/torch/asStridedScatter.test.ts).
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../core/lax'
import { NdArray } from '../ndarray/NdArray'
import { take } from '../ops/layout'
import { op } from './autograd/op'
import { RuntimeError } from './errors'
import type { Tensor } from './install'
import { asStridedArgs, asStridedAt, geometry, type AsStridedArgs } from './methods/asStrided'

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
