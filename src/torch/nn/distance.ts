/**
 * Distances of `torch.nn.functional` and their modules: `cosine_similarity`, `pairwise_distance`,
 * `nn.CosineSimilarity`, `nn.PairwiseDistance`, with PyTorch's formulas and node names
 * (`SumBackward1`, `NormBackward1`).
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import type { NdArray } from '../../ndarray/NdArray'
import { op } from '../autograd/op'
import { RuntimeError } from '../errors'
import { parseArgs, type PyArgs } from '../kwargs'
import { broadcastShape, normDim } from '../ops/convert'
import type { Tensor } from '../tensor'
import { floatDtype, shapeOf } from './lossUtils'
import { Module } from './module'
import { pyClass } from './pyclass'
import { k } from './losses2'
import { requireTensorArgs } from '../pyTypeName'

type T = Tensor

/** `max(n, eps)` in value, with `n`'s gradient (PyTorch clamps in place under no_grad). */
const clampValue = (n: NdArray, eps: number): NdArray => lax.add(n, lax.stopGradient(lax.sub(lax.max(n, k(eps, n)), n)))

/** The `p`-norm of `d` along `axis` (PyTorch's `norm(d, p, dim, keepdim)`). */
export const pNorm = (d: NdArray, p: number, axis: number, keepdim: boolean): NdArray => {
  const a = lax.abs(d)
  let r: NdArray
  if (p === Infinity) r = lax.reduceMax(a, [axis])
  else if (p === -Infinity) r = lax.neg(lax.reduceMax(lax.neg(a), [axis]))
  else if (p === 0) r = lax.reduceSum(lax.cast(lax.ne(a, k(0, a)), a.dtype), [axis])
  else if (p === 1) r = lax.reduceSum(a, [axis])
  else if (p === 2) r = lax.sqrt(lax.reduceSum(lax.mul(d, d), [axis]))
  else r = lax.pow(lax.reduceSum(lax.pow(a, k(p, a)), [axis]), lax.scalarLike(1 / p, a))
  if (!keepdim) return r
  return lax.reshape(
    r,
    d.shape.map((s, i) => (i === axis ? 1 : s)),
  )
}

/** `‖x1 − x2 + eps‖_p` over the last dimension of the broadcast inputs, on NdArrays. */
export const pairwiseValue = (x1: NdArray, x2: NdArray, p: number, eps: number, keepdim: boolean): NdArray => {
  const shape = broadcastShape(x1.shape, x2.shape)
  const d = lax.addScalar(lax.sub(lax.broadcastTo(x1, shape), lax.broadcastTo(x2, shape)), eps)
  return pNorm(d, p, Math.max(shape.length - 1, 0), keepdim)
}

type PdKw = { readonly p?: number; readonly eps?: number; readonly keepdim?: boolean }

/**
 * Distance `‖x1 − x2 + eps‖_p` along the last dimension (p 2, eps 1e-6), for broadcastable inputs.
 * @example
 * import * as torch from 'wengert/torch'
 * const d = torch.nn.functional.pairwise_distance(torch.tensor([[3, 0]]), torch.tensor([[0, 4]]), 2, 0)
 * assert.deepStrictEqual(d.tolist(), [5])
 * @category torch @since 0.2.0
 */
export const pairwise_distance = (
  x1: T,
  x2: T,
  ...rest: PyArgs<[p: number, eps: number, keepdim: boolean], PdKw>
): T => {
  const a = parseArgs('pairwise_distance', rest, ['p', 'eps', 'keepdim'])
  const p = (a.p as number | undefined) ?? 2
  const eps = (a.eps as number | undefined) ?? 1e-6
  const keepdim = (a.keepdim as boolean | undefined) ?? false
  broadcastShape(shapeOf(x1), shapeOf(x2))
  const d = floatDtype(x1, x2)
  return op('NormBackward1', [x1, x2], (u, v) => pairwiseValue(lax.cast(u, d), lax.cast(v, d), p, eps, keepdim), {
    // the norm's backward reads its result (norm_backward / linalg_vector_norm_backward)
    saves: [0, 1],
    savesOutput: true,
  })
}

/**
 * Cosine of the angle between `x1` and `x2` along `dim` (1): `Σ (x1/‖x1‖)·(x2/‖x2‖)` with each
 * norm clamped to `eps` (1e-8); the inputs broadcast.
 * @example
 * import * as torch from 'wengert/torch'
 * const s = torch.nn.functional.cosine_similarity(torch.tensor([[1, 0], [1, 1]]), torch.tensor([[0, 2], [2, 2]]))
 * const [a, b] = s.tolist() as number[]
 * assert.ok(Math.abs(a) < 1e-7 && Math.abs(b - 1) < 1e-6)
 * @category torch @since 0.2.0
 */
export const cosine_similarity = (
  x1: T,
  x2: T,
  ...rest: PyArgs<[dim: number, eps: number], { readonly dim?: number; readonly eps?: number }>
): T => {
  requireTensorArgs('cosine_similarity', ['x1', 'x2'], [x1, x2])
  const a = parseArgs('cosine_similarity', rest, ['dim', 'eps'])
  const eps = (a.eps as number | undefined) ?? 1e-8
  if (!x1.dtype.is_floating_point && !x2.dtype.is_floating_point)
    throw new RuntimeError(`expected common dtype to be floating point, yet common dtype is ${x1.dtype.word}`)
  const shape = broadcastShape(shapeOf(x1), shapeOf(x2))
  const axis = normDim((a.dim as number | undefined) ?? 1, shape.length)
  const d = floatDtype(x1, x2)
  return op('SumBackward1', [x1, x2], (u0, v0) => cosineValue(u0, v0, shape, axis, eps, d), { saves: [0, 1] })
}

const cosineValue = (
  u0: NdArray,
  v0: NdArray,
  shape: ReadonlyArray<number>,
  axis: number,
  eps: number,
  d: NdArray['dtype'],
): NdArray => {
  const u = lax.broadcastTo(lax.cast(u0, d), shape)
  const v = lax.broadcastTo(lax.cast(v0, d), shape)
  const nu = lax.broadcastTo(clampValue(pNorm(u, 2, axis, true), eps), shape)
  const nv = lax.broadcastTo(clampValue(pNorm(v, 2, axis, true), eps), shape)
  return lax.reduceSum(lax.mul(lax.div(u, nu), lax.div(v, nv)), [axis])
}

// -------------------------------------------------------------------------------------
// modules
// -------------------------------------------------------------------------------------

/** See {@link CosineSimilarity}. */
class CosineSimilarityImpl extends Module {
  /** Dimension of the cosine (1). */
  readonly dim: number
  /** Lower bound of each norm (1e-8). */
  readonly eps: number
  constructor(...args: PyArgs<[dim: number, eps: number], { readonly dim?: number; readonly eps?: number }>) {
    super()
    const a = parseArgs('CosineSimilarity.__init__', args, ['dim', 'eps'])
    this.dim = (a.dim as number | undefined) ?? 1
    this.eps = (a.eps as number | undefined) ?? 1e-8
  }
  /** `cosine_similarity(x1, x2, dim, eps)`. */
  forward(x1: T, x2: T): T {
    return cosine_similarity(x1, x2, this.dim, this.eps)
  }
}
/**
 * `nn.CosineSimilarity(dim=1, eps=1e-8)`: {@link cosine_similarity} as a module.
 * @example
 * import * as torch from 'wengert/torch'
 * const m = torch.nn.CosineSimilarity({ dim: 0 })
 * assert.ok(Math.abs(m.call(torch.tensor([1, 1]), torch.tensor([2, 2])).item() - 1) < 1e-6)
 * @category torch @since 0.2.0
 */
export const CosineSimilarity = pyClass(CosineSimilarityImpl, 'CosineSimilarity')
/** An `nn.CosineSimilarity` instance. @category torch @since 0.2.0 */
export type CosineSimilarity = CosineSimilarityImpl

/** See {@link PairwiseDistance}. */
class PairwiseDistanceImpl extends Module {
  /** Norm degree (2). */
  readonly norm: number
  /** Added to the difference (1e-6). */
  readonly eps: number
  /** Keep the reduced dimension (false). */
  readonly keepdim: boolean
  constructor(...args: PyArgs<[p: number, eps: number, keepdim: boolean], PdKw>) {
    super()
    const a = parseArgs('PairwiseDistance.__init__', args, ['p', 'eps', 'keepdim'])
    this.norm = (a.p as number | undefined) ?? 2
    this.eps = (a.eps as number | undefined) ?? 1e-6
    this.keepdim = (a.keepdim as boolean | undefined) ?? false
  }
  /** `pairwise_distance(x1, x2, p, eps, keepdim)`. */
  forward(x1: T, x2: T): T {
    return pairwise_distance(x1, x2, this.norm, this.eps, this.keepdim)
  }
}
/**
 * `nn.PairwiseDistance(p=2, eps=1e-6, keepdim=False)`: {@link pairwise_distance} as a module.
 * @example
 * import * as torch from 'wengert/torch'
 * const m = torch.nn.PairwiseDistance(1, 0)
 * assert.deepStrictEqual(m.call(torch.tensor([[1, 2]]), torch.tensor([[0, 0]])).tolist(), [3])
 * @category torch @since 0.2.0
 */
export const PairwiseDistance = pyClass(PairwiseDistanceImpl, 'PairwiseDistance')
/** An `nn.PairwiseDistance` instance. @category torch @since 0.2.0 */
export type PairwiseDistance = PairwiseDistanceImpl
