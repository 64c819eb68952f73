/**
 * Class-index targets that transforms trace (`torch.func.vmap` maps a batch of targets): their
 * data is not one value, so the losses select with a comparison mask built from primitives
 * instead of reading the indices, and the selection is then per example.
 */
import * as lax from '../../core/lax'
import type { DType } from '../../ndarray/dtype'
import { NdArray } from '../../ndarray/NdArray'
import { unreadable } from '../meta'

/** True when a target's data cannot be read (a meta value, or traced by an active vmap or jit level). */
export const tracedTarget = (t: NdArray): boolean => unreadable(t)

/** The per-position selectors of nll_loss for a traced target, from primitives only. */
export interface MaskSelectors {
  /** `x` (cast to the loss dtype) picked at each position's target class: `t.shape`. */
  readonly pick: (x: NdArray) => NdArray
  /** 1 where the target is not `ignore_index`: `t.shape`, bool. */
  readonly keep: NdArray
  /** The class weight of each position (0 where ignored): `t.shape`. */
  readonly wt: NdArray
}

/**
 * Selectors of `nll_loss` for a traced target `t` (shape `x` without `classAxis`). Targets out of
 * range select nothing (their loss is 0): the range check needs the data, which is per example.
 */
export const maskSelectors = (
  xShape: ReadonlyArray<number>,
  classAxis: number,
  t: NdArray,
  weight: NdArray | null,
  ignoreIndex: number,
  dtype: DType,
): MaskSelectors => {
  const C = xShape[classAxis] as number
  const ti = lax.cast(t, 'int32')
  const otherAxes = xShape.map((_, i) => i).filter((i) => i !== classAxis)
  const classes = new NdArray(
    [C],
    'int32',
    Int32Array.from({ length: C }, (_, i) => i),
  )
  const hit = lax.eq(lax.broadcastInDim(ti, xShape, otherAxes), lax.broadcastInDim(classes, xShape, [classAxis]))
  const keep = lax.ne(ti, lax.broadcastTo(lax.scalar(ignoreIndex, 'int32'), ti.shape))
  const zeroT = lax.broadcastTo(lax.scalar(0, dtype), t.shape)
  const wt =
    weight === null
      ? lax.cast(keep, dtype)
      : lax.select(
          keep,
          lax.reduceSum(lax.select(hit, lax.broadcastInDim(weight, xShape, [classAxis]), zeros(xShape, dtype)), [
            classAxis,
          ]),
          zeroT,
        )
  const pick = (x: NdArray): NdArray =>
    lax.reduceSum(lax.select(hit, lax.cast(x, dtype), zeros(xShape, dtype)), [classAxis])
  return { pick, keep, wt }
}

const zeros = (shape: ReadonlyArray<number>, dtype: DType): NdArray => lax.broadcastTo(lax.scalar(0, dtype), shape)
