/**
 * More Tensor methods with PyTorch's node names: `diag_embed` (DiagEmbedBackward0), `diagflat`
 * (DiagBackward0), `inner` (a contraction over the last dimensions) and `vdot` (VdotBackward0).
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { op } from '../autograd/op'
import { RuntimeError } from '../errors'
import { parseArgs, type PyArgs } from '../kwargs'
import { normDim } from '../ops/convert'
import { place } from '../ops/shapeMore'
import { contiguousStrides } from '../ops/views'
import type { Tensor } from '../tensor'

type T = Tensor

/**
 * Marks `out`'s DiagEmbedBackward0 node with its gradient's layout: PyTorch's formula is
 * `grad.diagonal(offset, dim1, dim2)`, a view of the (contiguous) incoming gradient with the
 * other dimensions' strides and `stride(dim1) + stride(dim2)` last, so `AccumulateGrad` copies
 * it into `.grad` (version 1) rather than taking it.
 */
export const withDiagonalGrad = (out: T, d1: number, d2: number): T => {
  if (out._gradFn === null) return out
  const st = contiguousStrides(out._value().shape)
  const diag = (st[d1] as number) + (st[d2] as number)
  out._gradFn._freshStrides = [...st.filter((_, ax) => ax !== d1 && ax !== d2), diag]
  return out
}

/** Flat input positions of diag_embed's output (−1: zero), row-major over `shape`. */
const embedSources = (n: number, offset: number, d1: number, d2: number, shape: number[]): number[] => {
  const total = shape.reduce((a, b) => a * b, 1)
  const src = new Array<number>(total)
  const idx = new Array<number>(shape.length).fill(0)
  for (let f = 0; f < total; f++) {
    const i = idx[d1] as number
    const j = idx[d2] as number
    const k = offset >= 0 ? i : j
    let b = 0
    idx.forEach((v, ax) => {
      if (ax !== d1 && ax !== d2) b = b * (shape[ax] as number) + v
    })
    src[f] = j - i === offset && k < n ? b * n + k : -1
    for (let ax = shape.length - 1; ax >= 0; ax--) {
      idx[ax] = (idx[ax] as number) + 1
      if ((idx[ax] as number) < (shape[ax] as number)) break
      idx[ax] = 0
    }
  }
  return src
}

/** Keyword options of `diag_embed`. @category torch @since 0.2.0 */
export type EmbedKw = { readonly offset?: number; readonly dim1?: number; readonly dim2?: number }

/** Diagonal-embedding, flattening and inner-product methods installed on Tensor. */
export const shapeMoreMethods = {
  /** Puts the last dimension on a diagonal (`offset`) of the new dimensions `dim1`, `dim2` (default the last two). */
  diag_embed(this: T, ...args: PyArgs<[offset: number, dim1: number, dim2: number], EmbedKw>): T {
    const a = parseArgs('diag_embed', args, ['offset', 'dim1', 'dim2'])
    const offset = (a.offset as number | undefined) ?? 0
    const nd = Math.max(this.dim(), 1) + 1
    const d1 = normDim((a.dim1 as number | undefined) ?? -2, nd)
    const d2 = normDim((a.dim2 as number | undefined) ?? -1, nd)
    if (d1 === d2)
      throw new RuntimeError(`diagonal dimensions cannot be identical ${a.dim1 as number}, ${a.dim2 as number}`)
    const shape0 = this.dim() === 0 ? [1] : [...this.shape]
    const n = shape0[shape0.length - 1] as number
    const batch = shape0.slice(0, -1)
    const m = n + Math.abs(offset)
    const shape: number[] = []
    let bi = 0
    for (let ax = 0; ax < nd; ax++) shape.push(ax === d1 || ax === d2 ? m : (batch[bi++] as number))
    const src = embedSources(n, offset, d1, d2, shape)
    return withDiagonalGrad(
      op('DiagEmbedBackward0', [this], (x) => place(x, src, shape)),
      d1,
      d2,
    )
  },
  /** The flattened input on a diagonal (`offset`) of a square matrix. */
  diagflat(this: T, offset = 0): T {
    const n = this.numel()
    const m = n + Math.abs(offset)
    const src = embedSources(n, offset, 0, 1, [m, m])
    return op('DiagBackward0', [this], (x) => place(x, src, [m, m]))
  },
  /** The inner product over the last dimensions (a number operand multiplies). */
  inner(this: T, other: T): T {
    if (this.dim() === 0 || other.dim() === 0) return this.mul(other)
    const k = this.shape[this.dim() - 1] as number
    const k2 = other.shape[other.dim() - 1] as number
    if (k !== k2)
      throw new RuntimeError(
        `inner() the last dimension must match on both input tensors but got shapes [${[...this.shape].join(', ')}] and [${[...other.shape].join(', ')}]`,
      )
    const shape = [...this.shape.slice(0, -1), ...other.shape.slice(0, -1)]
    return op(
      'ReshapeAliasBackward0',
      [this, other],
      (x, y) =>
        lax.reshape(
          lax.matmul(lax.reshape(x, [x.size / k, k]), lax.transpose(lax.reshape(y, [y.size / k, k]), [1, 0])),
          shape,
        ),
      { saves: [0, 1] },
    )
  },
  /** The dot product of two 1-D tensors (the first conjugated; real tensors: `dot`). */
  vdot(this: T, other: T): T {
    if (this.dim() !== 1 || other.dim() !== 1)
      throw new RuntimeError(`1D tensors expected, but got ${this.dim()}D and ${other.dim()}D tensors`)
    const [n, n2] = [this.numel(), other.numel()]
    if (n !== n2)
      throw new RuntimeError(
        `inconsistent tensor size, expected tensor [${n}] and src [${n2}] to have the same number of elements, but got ${n} and ${n2} elements respectively`,
      )
    return op('VdotBackward0', [this, other], (x, y) => lax.reduceSum(lax.mul(x, y), [0]), { saves: [0, 1] })
  },
}
