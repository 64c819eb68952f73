/**
 * PyTorch's gradients of the ops that write listed positions (`scatter`, `index_copy`, `put`),
 * given to their ops as `grads` and `formula` (see `OpOptions`). A position listed twice is
 * written once (the last value wins), yet PyTorch's formulas (derivatives.yaml) read the gradient
 * back at every listed position: each source element listed gets the gradient of the place it
 * was meant for, overwritten or not. That is not the derivative of the last-write forward (the
 * core's `scatter` rule gives an overwritten element nothing, as JAX's does), so the facade states
 * PyTorch's formula here rather than deriving it.
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import type { NdArray } from '../../ndarray/NdArray'
import type { OpOptions } from '../autograd/op'
import { RuntimeError } from '../errors'
import { Tensor } from '../tensor'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The two gradient options of a write op: without and with create_graph. */
export type WriteGrads = Required<Pick<OpOptions, 'grads' | 'formula'>>

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

const sameShape = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i])

/**
 * The engine's check of a node's gradient against its input (`validate_outputs`): a gradient of
 * another shape that the input does not broadcast to is refused.
 */
const checkGradShape = (node: string, input: number, got: ReadonlyArray<number>, want: ReadonlyArray<number>): void => {
  if (sameShape(got, want)) return
  throw new RuntimeError(
    `Function ${node} returned an invalid gradient at index ${input} - got [${got.join(', ')}] but expected shape compatible with [${want.join(', ')}]`,
  )
}

/** `g` (flattened) with the flat positions `tgt` set to zero: the gradient of the overwritten self. */
const zeroAt = (g: NdArray, tgt: NdArray): NdArray =>
  lax.reshape(lax.scatter(lax.reshape(g, [g.size]), tgt, lax.broadcastTo(lax.scalar(0, g.dtype), [tgt.size])), g.shape)

/** `g` (flattened) read at the flat positions `tgt`, every listed one, in `shape`. */
const readAt = (g: NdArray, tgt: NdArray, shape: ReadonlyArray<number>): NdArray =>
  lax.reshape(lax.gather(lax.reshape(g, [g.size]), tgt, 0), shape)

const tensor = (need: boolean | undefined, v: () => NdArray): Tensor | null =>
  need === true ? Tensor._fromValue(v()) : null

// -------------------------------------------------------------------------------------
// gradients
// -------------------------------------------------------------------------------------

/**
 * `self.scatter(dim, index, src)`: `self: grad.scatter(dim, index, 0)`, `src: grad.gather(dim,
 * index)` (index's shape: a src larger than index makes the backward raise, as PyTorch's engine
 * does). `tgt`: the flat positions of self each index element writes.
 */
export const scatterGrads = (dim: number, index: Tensor, tgt: NdArray): WriteGrads => ({
  grads: (g, [, s], [needX, needS]) => {
    if (needS === true) checkGradShape('ScatterBackward0', 1, index.shape, (s as NdArray).shape)
    return [tensor(needX, () => zeroAt(g, tgt)), tensor(needS, () => readAt(g, tgt, index.shape))]
  },
  formula: (g, [, s]) => {
    checkGradShape('ScatterBackward0', 1, index.shape, (s as Tensor).shape)
    return [g.scatter(dim, index, 0), g.gather(dim, index)]
  },
})

/**
 * `self.index_copy(dim, index, source)`: `self: grad.index_fill(dim, index, 0)`, `source:
 * grad.index_select(dim, index).expand_as(source)`. `idx`: the int32 rows.
 */
export const indexCopyGrads = (dim: number, index: Tensor, idx: NdArray): WriteGrads => ({
  grads: (g, [, s], [needX, needS]) => {
    const rows = (): NdArray => (g.ndim === 0 ? lax.reshape(g, (s as NdArray).shape) : lax.gather(g, idx, dim))
    const fill = (): NdArray => {
      if (g.ndim === 0) return idx.size > 0 ? lax.zerosLike(g) : g
      const [perm, back] = dimFirstPerm(g.ndim, dim)
      return lax.transpose(zeroRows(lax.transpose(g, perm), idx), back)
    }
    return [tensor(needX, fill), tensor(needS, rows)]
  },
  formula: (g, [, s]) => [g.index_fill(dim, index, 0), g.index_select(dim, index).expand_as(s as Tensor)],
})

/**
 * `self.put(index, source, accumulate)`: `self: accumulate ? grad : grad.put(index,
 * zeros_like(source))`, `source: grad.take(index).reshape_as(source)`. `idx`: the flat positions.
 */
export const putGrads = (index: Tensor, idx: NdArray, accumulate: boolean): WriteGrads => ({
  grads: (g, [, s], [needX, needS]) => [
    tensor(needX, () => (accumulate ? g : zeroAt(g, idx))),
    tensor(needS, () => readAt(g, idx, (s as NdArray).shape)),
  ],
  formula: (g, [, s]) => {
    const source = s as Tensor
    return [
      accumulate ? g : g.put(index, Tensor._fromValue(lax.zerosLike(source._value()))),
      g.take(index).reshape([...source.shape]),
    ]
  },
})

/** The permutation that moves `dim` first, and its inverse. */
const dimFirstPerm = (ndim: number, dim: number): readonly [number[], number[]] => {
  const perm = [dim, ...Array.from({ length: ndim }, (_, i) => i).filter((i) => i !== dim)]
  return [perm, perm.map((_, i) => perm.indexOf(i))]
}

/** `x` (rows along dim 0) with the rows `idx` set to zero. */
const zeroRows = (x: NdArray, idx: NdArray): NdArray => {
  const rest = x.shape.slice(1)
  return lax.scatter(x, idx, lax.broadcastTo(lax.scalar(0, x.dtype), [idx.size, ...rest]))
}
