/**
 * Index tensors of the facade's indexing methods as int32 positions built with primitives, so
 * that traced indices (torch.func.vmap, torch.onnx.export) are an operand of the gather instead
 * of being read while tracing. Bounds are checked on the values wherever they exist (eagerly, and
 * every batch element under vmap), raising PyTorch's error; under jit they cannot be read, and
 * out-of-range positions are clamped into range (as JAX's indexing does).
 */
import * as lax from '../../core/lax'
import { valuesBelow } from '../../core/trace'
import { takeAlong } from '../../core/primitives/alongAxis'
import type { NdArray } from '../../ndarray/NdArray'
import { op } from '../autograd/op'
import { IndexError, RuntimeError } from '../errors'
import { isMeta } from '../meta'
import type { Tensor } from '../tensor'

/**
 * `idx` checked against `lo <= v < n` (where its values are known; `error(v)` is thrown for the
 * first one outside), negative positions counted from the end, clamped into [0, n).
 */
export const checkedPositions = (idx: NdArray, lo: number, n: number, error: (v: number) => Error): NdArray => {
  const vals = isMeta(idx) ? undefined : valuesBelow(idx)
  if (vals !== undefined)
    for (const v of vals) {
      if (v < lo || v >= n) throw error(v)
    }
  const i32 = (v: number): NdArray => lax.scalar(v, 'int32')
  const i = idx.dtype === 'int32' ? idx : lax.cast(idx, 'int32')
  const wrapped = lo < 0 ? lax.select(lax.lt(i, i32(0)), lax.add(i, i32(n)), i) : i
  const low = lax.select(lax.lt(wrapped, i32(0)), i32(0), wrapped)
  return lax.select(lax.gt(low, i32(n - 1)), i32(Math.max(n - 1, 0)), low)
}

/**
 * `self.gather(d, index)` for a traced `index` (GatherBackward0): `self` cut to the index's size
 * on the other dims, then taken along `d` at the checked positions.
 */
export const tracedGather = (self: Tensor, index: Tensor, x0: NdArray, d: number): Tensor => {
  const n = x0.shape[d] as number
  const iv = index._value()
  const bad = (v: number): Error => new RuntimeError(`index ${v} is out of bounds for dimension ${d} with size ${n}`)
  const idx = checkedPositions(iv, 0, n, bad)
  const limits = iv.shape.map((s, k) => (k === d ? n : s))
  const cut = (x: NdArray): NdArray =>
    lax.slice(
      x,
      limits.map(() => 0),
      limits,
      limits.map(() => 1),
    )
  return op('GatherBackward0', [self], (x) => takeAlong(cut(x), idx, d), { savesTensors: [index] })
}

/**
 * index_select's error for the out-of-range index `v` (`numel`: the index's size). ATen's CPU
 * kernel (TensorAdvancedIndexing.cpp, 1.13 and 2.x alike) checks the whole index first, raising
 * RuntimeError `INDICES element is out of DATA bounds`, where its fast path runs: self of 2 or
 * more dims selected along dim 1, or with no elements (which refuses an empty dim as well); its
 * other paths raise IndexError `index out of range in self`.
 */
export const indexSelectRangeError =
  (x0: NdArray, d: number, numel: number) =>
  (v: number): Error => {
    const n = x0.shape[d] as number
    if (x0.ndim < 2 || numel === 0 || (d !== 1 && x0.size > 0)) return new IndexError('index out of range in self')
    if (x0.size === 0 && n === 0) return new RuntimeError('index_select(): self indexing axis dim should be positive')
    return new RuntimeError(`INDICES element is out of DATA bounds, id=${v} axis_dim=${n}`)
  }
