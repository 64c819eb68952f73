/**
 * The facade's rules for meta tensors (see `./meta.ts`): one device per op, moving tensors to and
 * from the meta device, and in-place results that stay on it.
 *
 * @category torch
 * @since 0.3.0
 */
import type { NdArray } from '../ndarray/NdArray'
import { NotImplementedError, RuntimeError } from './errors'
import { ERR_META_COPY, isMeta, metaArray } from './meta'
import { Tensor } from './tensor'

/** PyTorch's error for an op given tensors of the meta device and of the CPU. */
export const ERR_TWO_DEVICES =
  'Expected all tensors to be on the same device, but found at least two devices, meta and cpu!'

/**
 * Raises PyTorch's error when an op mixes meta tensors with CPU tensors of one or more dimensions
 * (a 0-d CPU tensor may join a meta op, as a scalar may).
 */
export const checkSameDevice = (inputs: ReadonlyArray<Tensor>): void => {
  let meta = false
  let cpu = false
  for (const t of inputs) {
    if (!(t instanceof Tensor)) continue
    const v = t._value()
    if (isMeta(v)) meta = true
    else if (v.ndim > 0) cpu = true
  }
  if (meta && cpu) throw new RuntimeError(ERR_TWO_DEVICES)
}

/**
 * The value an in-place op writes into a tensor whose value is `old`: a meta tensor stays meta
 * (the op's result is reduced to its aval); a CPU tensor cannot take a meta result.
 */
export const inplaceValue = (old: NdArray, result: NdArray): NdArray => {
  const m = isMeta(result)
  if (isMeta(old)) return m ? result : metaArray(result.shape, result.dtype)
  if (m) throw new NotImplementedError(ERR_META_COPY)
  return result
}

/** A meta tensor of `t`'s shape and dtype (PyTorch's `t.to('meta')`, a leaf here). */
export const toMeta = (t: Tensor): Tensor => {
  const v = t._value()
  return Tensor._fromValue(isMeta(v) ? v : metaArray(v.shape, v.dtype))
}
