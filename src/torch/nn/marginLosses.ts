/**
 * Margin and embedding losses of `torch.nn.functional`: `margin_ranking_loss`,
 * `hinge_embedding_loss`, `cosine_embedding_loss`, `multilabel_soft_margin_loss`,
 * `triplet_margin_loss`, with PyTorch's formulas, checks and node names.
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { NdArray } from '../../ndarray/NdArray'
import { softplus as softplusOp } from '../../ops/unary'
import { customVjp } from '../../transforms/custom'
import { op } from '../autograd/op'
import { RuntimeError, TorchValueError } from '../errors'
import { keywordForms, parseArgs, type PyArgs } from '../kwargs'
import type { Tensor } from '../tensor'
import { pairwise_distance, pairwiseValue } from './distance'
import { elementLoss, k, reducedName } from './losses2'
import { floatDtype, reduceValue, reductionOf, refuseGradArg, shapeOf, type LegacyKw } from './lossUtils'
import type { Reduction } from './module'

type T = Tensor
type MarginKw = LegacyKw & { readonly margin?: number }
type MarginArgs = PyArgs<
  [margin: number, size_average: boolean | null, reduce: boolean | null, reduction: Reduction],
  MarginKw
>

const relu = (x: NdArray): NdArray => lax.max(x, k(0, x))

/**
 * `clamp_min(x, 0)` with PyTorch's gradient, `where(x >= 0, grad, 0)` (derivatives.yaml, 1.13 and
 * 2.x): the whole gradient at x = 0, where max would split it; the values are max's.
 */
const clampMin0 = (x: NdArray): NdArray => {
  const m = relu(x)
  return lax.select(lax.ge(x, k(0, x)), lax.add(x, lax.stopGradient(lax.sub(m, x))), m)
}
const sz = (t: T): string => `[${shapeOf(t).join(', ')}]`
const size = (t: T): string => `torch.Size(${sz(t)})`

/**
 * `max(0, −target·(input1 − input2) + margin)` for targets ±1 (margin 0).
 * @example
 * import * as torch from 'wengert/torch'
 * const l = torch.nn.functional.margin_ranking_loss(torch.tensor([1]), torch.tensor([2]), torch.tensor([1]))
 * assert.strictEqual(l.item(), 1)
 * @category torch @since 0.2.0
 */
export const margin_ranking_loss = keywordForms(
  'margin_ranking_loss',
  ['input1', 'input2', 'target'],
  (input1: T, input2: T, target: T, ...rest: MarginArgs): T => {
    const a = parseArgs('margin_ranking_loss', rest, ['margin', 'size_average', 'reduce', 'reduction'])
    const reduction = reductionOf(a)
    const margin = (a.margin as number | undefined) ?? 0
    const [d1, d2, dt] = [input1, input2, target].map((t) => shapeOf(t).length)
    if (d1 !== d2 || d1 !== dt)
      throw new RuntimeError(
        `margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: ${size(input1)}, input2: ${size(input2)}, target: ${size(target)} `,
      )
    const f = (x1: NdArray, x2: NdArray, y: NdArray): NdArray =>
      clampMin0(lax.addScalar(lax.neg(lax.mul(y, lax.sub(x1, x2))), margin))
    const out = elementLoss(reducedName('ClampMinBackward0', reduction), [input1, input2, target], f, reduction)
    // PyTorch clamps the unreduced loss in place (`clamp_min_`, aten Loss.cpp, 1.13 and 2.x alike)
    if (reduction === 'none') out._bump()
    return out
  },
)

/**
 * `input` where target is 1, `max(0, margin − input)` where target is −1 (margin 1).
 * @example
 * import * as torch from 'wengert/torch'
 * const l = torch.nn.functional.hinge_embedding_loss(torch.tensor([0.25, 2]), torch.tensor([-1, 1]), { reduction: 'sum' })
 * assert.strictEqual(l.item(), 2.75)
 * @category torch @since 0.2.0
 */
export const hinge_embedding_loss = keywordForms(
  'hinge_embedding_loss',
  ['input', 'target'],
  (input: T, target: T, ...rest: MarginArgs): T => {
    const a = parseArgs('hinge_embedding_loss', rest, ['margin', 'size_average', 'reduce', 'reduction'])
    const reduction = reductionOf(a)
    const margin = (a.margin as number | undefined) ?? 1
    const f = (x: NdArray, y: NdArray): NdArray => {
      const hinge = lax.select(lax.ne(y, k(1, y)), relu(lax.sub(k(margin, x), x)), k(0, x))
      return lax.add(hinge, lax.select(lax.ne(y, k(-1, y)), x, k(0, x)))
    }
    return elementLoss(reducedName('AddBackward0', reduction), [input, target], f, reduction)
  },
)

/** PyTorch's dimension checks of cosine_embedding_loss. */
const checkCosineEmbedding = (input1: T, input2: T, target: T): number => {
  const td = shapeOf(target).length
  if (td !== 0 && td !== 1) throw new RuntimeError('0D or 1D target tensor expected, multi-target not supported')
  const want = td + 1
  if (shapeOf(input1).length !== want || shapeOf(input2).length !== want)
    throw new RuntimeError(
      `${td}D target tensor expects ${want}D input tensors, but found inputs with sizes ${sz(input1)} and ${sz(input2)}.`,
    )
  return td
}

/**
 * `1 − cos(x1, x2)` where target is 1, `max(0, cos(x1, x2) − margin)` where it is −1 (margin 0).
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * const l = F.cosine_embedding_loss(torch.tensor([[1, 0]]), torch.tensor([[0, 1]]), torch.tensor([1]))
 * assert.ok(Math.abs(l.item() - 1) < 1e-6)
 * @category torch @since 0.2.0
 */
export const cosine_embedding_loss = keywordForms(
  'cosine_embedding_loss',
  ['input1', 'input2', 'target'],
  (input1: T, input2: T, target: T, ...rest: MarginArgs): T => {
    const a = parseArgs('cosine_embedding_loss', rest, ['margin', 'size_average', 'reduce', 'reduction'])
    const reduction = reductionOf(a)
    const margin = (a.margin as number | undefined) ?? 0
    const axis = checkCosineEmbedding(input1, input2, target)
    const f = (x1: NdArray, x2: NdArray, y0: NdArray): NdArray => {
      const y = lax.reduceMax(y0, [axis])
      const sq = (u: NdArray): NdArray => lax.addScalar(lax.reduceSum(lax.mul(u, u), [axis]), 1e-12)
      const cos = lax.div(lax.reduceSum(lax.mul(x1, x2), [axis]), lax.sqrt(lax.mul(sq(x1), sq(x2))))
      const pos = lax.select(lax.eq(y, k(1, y)), lax.sub(k(1, cos), cos), k(0, cos))
      return lax.add(pos, lax.select(lax.eq(y, k(-1, y)), relu(lax.addScalar(cos, -margin)), k(0, cos)))
    }
    const t2 = axis === 0 ? target : target.unsqueeze(1)
    return elementLoss(reducedName('AddBackward0', reduction), [input1, input2, t2], f, reduction)
  },
)

/**
 * Multi-label one-versus-all logistic loss: `−mean_c(w_c·(y·log σ(x) + (1 − y)·log σ(−x)))` per
 * sample (class dimension last).
 * @example
 * import * as torch from 'wengert/torch'
 * const l = torch.nn.functional.multilabel_soft_margin_loss(torch.tensor([[0, 0]]), torch.tensor([[1, 0]]))
 * assert.ok(Math.abs(l.item() - Math.LN2) < 1e-6)
 * @category torch @since 0.2.0
 */
export const multilabel_soft_margin_loss = keywordForms(
  'multilabel_soft_margin_loss',
  ['input', 'target'],
  (
    input: T,
    target: T,
    ...rest: PyArgs<
      [weight: T | null, size_average: boolean | null, reduce: boolean | null, reduction: Reduction],
      LegacyKw & { readonly weight?: T | null }
    >
  ): T => {
    const a = parseArgs('multilabel_soft_margin_loss', rest, ['weight', 'size_average', 'reduce', 'reduction'])
    const reduction = reductionOf(a)
    const weight = (a.weight as T | null | undefined) ?? null
    const axis = shapeOf(input).length - 1
    const C = shapeOf(input)[axis] as number
    // log σ(x) = −softplus(−x), whose derivative at 0 is σ(0) = ½ as PyTorch's log_sigmoid's (the
    // max(−x, 0) + log1p(e^−|x|) form summed two kink derivatives there and gave 1)
    const logSig = (x: NdArray): NdArray => lax.neg(softplusOp(lax.neg(x)))
    const f = (x: NdArray, y: NdArray, w?: NdArray): NdArray => {
      let l = lax.neg(lax.add(lax.mul(y, logSig(x)), lax.mul(lax.sub(k(1, y), y), logSig(lax.neg(x)))))
      if (w !== undefined) l = lax.mul(l, w)
      return lax.mulScalar(lax.reduceSum(l, [axis]), 1 / C)
    }
    const inputs = weight === null ? [input, target] : [input, target, weight]
    // the per-sample loss is reduced after the class sum: reduce outside the element op
    const perSample = elementLoss('DivBackward0', inputs, f, 'none')
    return reduction === 'none' ? perSample : reduction === 'sum' ? perSample.sum() : perSample.mean()
  },
)

/** Keywords of `triplet_margin_loss` and `TripletMarginLoss`. */
export type TripletKw = LegacyKw & {
  readonly margin?: number
  readonly p?: number
  readonly eps?: number
  readonly swap?: boolean
}

/** The positional and keyword options of `triplet_margin_loss` and `TripletMarginLoss`. */
export type TripletArgs = PyArgs<
  [
    margin: number,
    p: number,
    eps: number,
    swap: boolean,
    size_average: boolean | null,
    reduce: boolean | null,
    reduction: Reduction,
  ],
  TripletKw
>

/**
 * `max(0, d(a, p) − d(a, n) + margin)` with `d` the pairwise p-norm distance (margin 1, p 2, eps
 * 1e-6); `swap` uses `min(d(a, n), d(p, n))`.
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * const l = F.triplet_margin_loss(torch.tensor([[0, 0]]), torch.tensor([[0, 1]]), torch.tensor([[0, 3]]), { eps: 0 })
 * assert.strictEqual(l.item(), 0)
 * @category torch @since 0.2.0
 */
export const triplet_margin_loss = keywordForms(
  'triplet_margin_loss',
  ['anchor', 'positive', 'negative'],
  (anchor: T, positive: T, negative: T, ...rest: TripletArgs): T => {
    const a = parseArgs('triplet_margin_loss', rest, [
      'margin',
      'p',
      'eps',
      'swap',
      'size_average',
      'reduce',
      'reduction',
    ])
    const reduction = reductionOf(a)
    const [margin, p, eps] = [(a.margin as number) ?? 1, (a.p as number) ?? 2, (a.eps as number) ?? 1e-6]
    const [da, dp, dn] = [anchor, positive, negative].map((t) => shapeOf(t).length)
    if (da !== dp || dp !== dn)
      throw new RuntimeError(`All inputs should have same dimension but got ${da}D, ${dp}D and ${dn}D inputs.`)
    const f = (x: NdArray, y: NdArray, z: NdArray): NdArray => {
      const dPos = pairwiseValue(x, y, p, eps, false)
      let dNeg = pairwiseValue(x, z, p, eps, false)
      if (a.swap === true) {
        const dSwap = pairwiseValue(y, z, p, eps, false)
        dNeg = lax.select(lax.lt(dSwap, dNeg), dSwap, dNeg)
      }
      return relu(lax.addScalar(lax.sub(dPos, dNeg), margin))
    }
    return elementLoss(reducedName('ClampMinBackward0', reduction), [anchor, positive, negative], f, reduction)
  },
)

/** Checks multi_margin_loss's input and target; returns the target classes and the class count. */
const multiMarginTargets = (input: T, target: T): { cls: number[]; C: number } => {
  const si = shapeOf(input)
  if (si.length > 2 || (si.length === 2 && si[1] === 0) || si.length === 0)
    throw new RuntimeError(
      `Expected non-empty vector or matrix with optional 0-dim batch size, but got: [${si.join(', ')}]`,
    )
  const C = si[si.length - 1] as number
  const N = si.length === 2 ? (si[0] as number) : 1
  const st = shapeOf(target)
  if (st.length > 1 || target._value().size !== N)
    throw new RuntimeError(`inconsistent target size, got: [${st.join(', ')}]`)
  const cls = Array.from(target._value()._values('multi_margin_loss') as ArrayLike<number>)
  if (cls.some((v) => v < 0 || v >= C)) throw new RuntimeError('target out of range')
  return { cls, C }
}

/**
 * multi_margin_loss per sample (`[N, C]` → `[N]`) with PyTorch's backward kernel as its VJP
 * (LossMultiMargin.cpp, the same in 1.13 and 2.x): a class i ≠ y with z = margin − x_y + x_i > 0
 * gets h = w_y·(p = 1 ? 1 : 2z)/C, any other +0, the target 0 − Σh (+0 when no class is past the
 * hinge), and the row is then scaled by its incoming gradient: so a zero incoming gradient keeps
 * its sign on every class (the derivative of the hinge's select would give +0 off the hinge).
 */
const multiMarginRows = (hot: NdArray, p: number, margin: number, C: number): ((x: NdArray, w: NdArray) => NdArray) => {
  const hinge = (x: NdArray): NdArray => {
    const xy = lax.reduceSum(lax.select(hot, x, k(0, x)), [1])
    return lax.add(lax.broadcastInDim(lax.addScalar(lax.neg(xy), margin), x.shape, [0]), x)
  }
  const past = (z: NdArray): NdArray => lax.and(lax.not(hot), lax.gt(z, k(0, z)))
  // w: the target classes' weights (ones without a weight; × 1 changes no value)
  const value = (x: NdArray, w: NdArray): NdArray => {
    const z = hinge(x)
    const zp = lax.select(past(z), z, k(0, z))
    const terms = lax.mul(p === 2 ? lax.mul(zp, zp) : zp, lax.broadcastInDim(w, x.shape, [0]))
    return lax.mulScalar(lax.reduceSum(terms, [1]), 1 / C)
  }
  return customVjp(
    (x: NdArray, w: NdArray) => value(x, w),
    (x: NdArray, w: NdArray) => [value(x, w), [x, w] as const] as const,
    ([x, w]: readonly [NdArray, NdArray], g: NdArray) => {
      const z = hinge(x)
      let h = p === 2 ? lax.mulScalar(z, 2 / C) : lax.broadcastLike(k(1 / C, z), z)
      h = lax.mul(h, lax.broadcastInDim(w, x.shape, [0]))
      const hs = lax.select(past(z), h, k(0, z))
      const target = lax.sub(k(0, g), lax.reduceSum(hs, [1]))
      const unit = lax.select(hot, lax.broadcastInDim(target, x.shape, [0]), hs)
      return [lax.mul(unit, lax.broadcastInDim(g, x.shape, [0])), lax.zerosLike(w)]
    },
  )
}

/**
 * Multi-class hinge loss: `Σ_{i≠y} w_y·max(0, margin − x_y + x_i)^p / C` per sample (p 1 or 2,
 * margin 1).
 * @example
 * import * as torch from 'wengert/torch'
 * const l = torch.nn.functional.multi_margin_loss(torch.tensor([[0, 1]]), torch.tensor([1], { dtype: torch.int64 }))
 * assert.strictEqual(l.item(), 0)
 * @category torch @since 0.2.0
 */
export const multi_margin_loss = keywordForms(
  'multi_margin_loss',
  ['input', 'target'],
  (
    input: T,
    target: T,
    ...rest: PyArgs<
      [
        p: number,
        margin: number,
        weight: T | null,
        size_average: boolean | null,
        reduce: boolean | null,
        reduction: Reduction,
      ],
      LegacyKw & { readonly p?: number; readonly margin?: number; readonly weight?: T | null }
    >
  ): T => {
    const a = parseArgs('multi_margin_loss', rest, ['p', 'margin', 'weight', 'size_average', 'reduce', 'reduction'])
    const p = (a.p as number | undefined) ?? 1
    if (p !== 1 && p !== 2) throw new TorchValueError('only p == 1 and p == 2 supported')
    const reduction = reductionOf(a)
    const margin = (a.margin as number | undefined) ?? 1
    const weight = (a.weight as T | null | undefined) ?? null
    if (weight !== null && weight.dim() !== 1) throw new TorchValueError('weight must be one-dimensional')
    refuseGradArg('multi_margin_loss', 'weight', weight)
    const { cls, C } = multiMarginTargets(input, target)
    const xs = shapeOf(input)
    const N = cls.length
    const hot = new NdArray(
      [N, C],
      'bool',
      Uint8Array.from({ length: N * C }, (_, j) => (cls[Math.floor(j / C)] === j % C ? 1 : 0)),
    )
    const wy = weight === null ? null : weight.reshape(-1).index_select(0, target.reshape(-1))
    const rows = multiMarginRows(hot, p, margin, C)
    const f = (x0: NdArray, w?: NdArray): NdArray => {
      const x = lax.reshape(x0, [N, C])
      const l = rows(x, w === undefined ? lax.broadcastTo(lax.scalar(1, x.dtype), [N]) : lax.cast(w, x.dtype))
      return reduction === 'none' && xs.length === 1 ? lax.reshape(l, []) : reduceValue(l, reduction)
    }
    const d = floatDtype(input)
    const inputs = wy === null ? [input] : [input, wy]
    return op('MultiMarginLossBackward0', inputs, (x, w) => f(lax.cast(x, d), w), { saves: [0] })
  },
)

/** A distance between two batches of embeddings (default {@link pairwise_distance}). */
export type DistanceFunction = (x1: T, x2: T) => T

/**
 * `max(0, d(a, p) − d(a, n) + margin)` for any `distance_function` (default pairwise
 * distance), recorded as PyTorch's Python composite; `swap` uses `min(d(a, n), d(p, n))`. Like
 * PyTorch 1.13 it checks neither the margin nor the dimensions (the distances broadcast).
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * const d = (x: torch.Tensor, y: torch.Tensor) => x.sub(y).abs().sum(-1)
 * const l = F.triplet_margin_with_distance_loss(torch.tensor([[0]]), torch.tensor([[2]]), torch.tensor([[1]]), { distance_function: d, margin: 0 })
 * assert.strictEqual(l.item(), 1)
 * @category torch @since 0.2.0
 */
export const triplet_margin_with_distance_loss = keywordForms(
  'triplet_margin_with_distance_loss',
  ['anchor', 'positive', 'negative'],
  (
    anchor: T,
    positive: T,
    negative: T,
    kw: {
      readonly distance_function?: DistanceFunction | null
      readonly margin?: number
      readonly swap?: boolean
      readonly reduction?: Reduction
    } = {},
  ): T => {
    const a = parseArgs('triplet_margin_with_distance_loss', [kw], ['distance_function', 'margin', 'swap', 'reduction'])
    const reduction = reductionOf(a)
    const margin = (a.margin as number | undefined) ?? 1
    const dist =
      (a.distance_function as DistanceFunction | null | undefined) ?? ((x: T, y: T) => pairwise_distance(x, y))
    const dPos = dist(anchor, positive)
    let dNeg = dist(anchor, negative)
    if (a.swap === true) dNeg = dNeg.minimum(dist(positive, negative))
    const l = dPos.sub(dNeg).add(margin).clamp({ min: 0 })
    return reduction === 'none' ? l : reduction === 'sum' ? l.sum() : l.mean()
  },
)
