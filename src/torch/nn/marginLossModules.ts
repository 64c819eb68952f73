/**
 * Modules of the margin losses (./marginLosses): `MarginRankingLoss`, `HingeEmbeddingLoss`,
 * `CosineEmbeddingLoss`, `TripletMarginLoss`.
 *
 * @category torch
 * @since 0.2.0
 */
import { parseArgs, type PyArgs } from '../kwargs'
import type { Tensor } from '../tensor'
import { TorchValueError } from '../errors'
import { PairwiseDistance } from './distance'
import { LossBase, WeightedLossBase } from './loss'
import { forwardArgs, inputTarget, type InputTargetArgs, type LegacyKw } from './lossUtils'
import * as M from './marginLosses'
import { Module, type Reduction } from './module'
import { pyClass } from './pyclass'

type T = Tensor
/** The keyword forms of a three-input loss's `forward`. */
type Kw3 = { readonly input1?: T; readonly input2?: T; readonly target?: T }
/** `forward(anchor, positive, negative)`'s arguments, positional and/or by keyword. */
type TripletArgs = PyArgs<
  [anchor: T, positive: T, negative: T],
  { readonly anchor?: T; readonly positive?: T; readonly negative?: T }
>
const TRIPLET = ['anchor', 'positive', 'negative']
type MarginArgs = PyArgs<
  [margin: number, size_average: boolean | null, reduce: boolean | null, reduction: Reduction],
  LegacyKw & { readonly margin?: number }
>
const MARGIN_NAMES = ['margin', 'size_average', 'reduce', 'reduction'] as const

/** Base of the losses with a `margin`. */
abstract class MarginBase extends LossBase {
  /** The margin. */
  readonly margin: number
  constructor(name: string, dflt: number, args: ReadonlyArray<unknown>) {
    const a = parseArgs(`${name}.__init__`, args, MARGIN_NAMES)
    super(a)
    this.margin = (a.margin as number | undefined) ?? dflt
  }
}

/** See {@link MarginRankingLoss}. */
class MarginRankingLossImpl extends MarginBase {
  constructor(...args: MarginArgs) {
    super('MarginRankingLoss', 0, args)
  }
  /** `margin_ranking_loss(input1, input2, target)` (each also by keyword). */
  forward(...args: PyArgs<[input1: T, input2: T, target: T], Kw3>): T {
    const [input1, input2, target] = forwardArgs('MarginRankingLoss', args, ['input1', 'input2', 'target']) as [T, T, T]
    return M.margin_ranking_loss(input1, input2, target, { margin: this.margin, reduction: this.reduction })
  }
}
/**
 * `nn.MarginRankingLoss(margin=0.0, reduction='mean')`.
 * @example
 * import * as torch from 'wengert/torch'
 * const l = torch.nn.MarginRankingLoss(1).call(torch.tensor([2]), torch.tensor([0]), torch.tensor([1]))
 * assert.strictEqual(l.item(), 0)
 * @category torch @since 0.2.0
 */
export const MarginRankingLoss = pyClass(MarginRankingLossImpl, 'MarginRankingLoss')
/** An `nn.MarginRankingLoss` instance. @category torch @since 0.2.0 */
export type MarginRankingLoss = MarginRankingLossImpl

/** See {@link HingeEmbeddingLoss}. */
class HingeEmbeddingLossImpl extends MarginBase {
  constructor(...args: MarginArgs) {
    super('HingeEmbeddingLoss', 1, args)
  }
  /** `hinge_embedding_loss(input, target)` (each also by keyword). */
  forward(...args: PyArgs<[input: T, target: T], { readonly input?: T; readonly target?: T }>): T {
    const [input, target] = forwardArgs('HingeEmbeddingLoss', args, ['input', 'target']) as [T, T]
    return M.hinge_embedding_loss(input, target, { margin: this.margin, reduction: this.reduction })
  }
}
/**
 * `nn.HingeEmbeddingLoss(margin=1.0, reduction='mean')`.
 * @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(torch.nn.HingeEmbeddingLoss().call(torch.tensor([0.5]), torch.tensor([-1])).item(), 0.5)
 * @category torch @since 0.2.0
 */
export const HingeEmbeddingLoss = pyClass(HingeEmbeddingLossImpl, 'HingeEmbeddingLoss')
/** An `nn.HingeEmbeddingLoss` instance. @category torch @since 0.2.0 */
export type HingeEmbeddingLoss = HingeEmbeddingLossImpl

/** See {@link CosineEmbeddingLoss}. */
class CosineEmbeddingLossImpl extends MarginBase {
  constructor(...args: MarginArgs) {
    super('CosineEmbeddingLoss', 0, args)
  }
  /** `cosine_embedding_loss(input1, input2, target)` (each also by keyword). */
  forward(...args: PyArgs<[input1: T, input2: T, target: T], Kw3>): T {
    const [input1, input2, target] = forwardArgs('CosineEmbeddingLoss', args, ['input1', 'input2', 'target']) as [
      T,
      T,
      T,
    ]
    return M.cosine_embedding_loss(input1, input2, target, { margin: this.margin, reduction: this.reduction })
  }
}
/**
 * `nn.CosineEmbeddingLoss(margin=0.0, reduction='mean')`.
 * @example
 * import * as torch from 'wengert/torch'
 * const l = torch.nn.CosineEmbeddingLoss().call(torch.tensor([[1, 0]]), torch.tensor([[2, 0]]), torch.tensor([1]))
 * assert.ok(Math.abs(l.item()) < 1e-6)
 * @category torch @since 0.2.0
 */
export const CosineEmbeddingLoss = pyClass(CosineEmbeddingLossImpl, 'CosineEmbeddingLoss')
/** An `nn.CosineEmbeddingLoss` instance. @category torch @since 0.2.0 */
export type CosineEmbeddingLoss = CosineEmbeddingLossImpl

/** See {@link TripletMarginLoss}. */
class TripletMarginLossImpl extends LossBase {
  readonly margin: number
  readonly p: number
  readonly eps: number
  readonly swap: boolean
  constructor(...args: M.TripletArgs) {
    const a = parseArgs('TripletMarginLoss.__init__', args, [
      'margin',
      'p',
      'eps',
      'swap',
      'size_average',
      'reduce',
      'reduction',
    ])
    super(a)
    this.margin = (a.margin as number | undefined) ?? 1
    this.p = (a.p as number | undefined) ?? 2
    this.eps = (a.eps as number | undefined) ?? 1e-6
    this.swap = (a.swap as boolean | undefined) ?? false
  }
  /** `triplet_margin_loss(anchor, positive, negative)` (each also by keyword). */
  forward(...args: TripletArgs): T {
    const [anchor, positive, negative] = forwardArgs('TripletMarginLoss', args, TRIPLET) as [T, T, T]
    const kw = { margin: this.margin, p: this.p, eps: this.eps, swap: this.swap, reduction: this.reduction }
    return M.triplet_margin_loss(anchor, positive, negative, kw)
  }
}
/**
 * `nn.TripletMarginLoss(margin=1.0, p=2.0, eps=1e-6, swap=False, reduction='mean')`.
 * @example
 * import * as torch from 'wengert/torch'
 * const m = torch.nn.TripletMarginLoss({ margin: 0, eps: 0 })
 * assert.strictEqual(m.call(torch.tensor([[0]]), torch.tensor([[2]]), torch.tensor([[1]])).item(), 1)
 * @category torch @since 0.2.0
 */
export const TripletMarginLoss = pyClass(TripletMarginLossImpl, 'TripletMarginLoss')
/** An `nn.TripletMarginLoss` instance. @category torch @since 0.2.0 */
export type TripletMarginLoss = TripletMarginLossImpl

/** See {@link MultiMarginLoss}. */
class MultiMarginLossImpl extends WeightedLossBase {
  /** 1 or 2. */
  readonly p: number
  readonly margin: number
  constructor(
    ...args: PyArgs<
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
  ) {
    const a = parseArgs('MultiMarginLoss.__init__', args, ['p', 'margin', 'weight', ...MARGIN_NAMES.slice(1)])
    const p = (a.p as number | undefined) ?? 1
    if (p !== 1 && p !== 2) throw new TorchValueError('only p == 1 and p == 2 supported')
    super(a)
    this.p = p
    this.margin = (a.margin as number | undefined) ?? 1
  }
  /** `multi_margin_loss(input, target)`. */
  forward(...args: InputTargetArgs): T {
    const [input, target] = inputTarget('MultiMarginLoss', args)
    const kw = { p: this.p, margin: this.margin, weight: this.weight, reduction: this.reduction }
    return M.multi_margin_loss(input, target, kw)
  }
}
/**
 * `nn.MultiMarginLoss(p=1, margin=1.0, weight=None, reduction='mean')`.
 * @example
 * import * as torch from 'wengert/torch'
 * const l = torch.nn.MultiMarginLoss().call(torch.tensor([[1, 0]]), torch.tensor([1], { dtype: torch.int64 }))
 * assert.strictEqual(l.item(), 1)
 * @category torch @since 0.2.0
 */
export const MultiMarginLoss = pyClass(MultiMarginLossImpl, 'MultiMarginLoss')
/** An `nn.MultiMarginLoss` instance. @category torch @since 0.2.0 */
export type MultiMarginLoss = MultiMarginLossImpl

type WithDistanceKw = {
  readonly distance_function?: M.DistanceFunction | null
  readonly margin?: number
  readonly swap?: boolean
  readonly reduction?: Reduction
}

/** See {@link TripletMarginWithDistanceLoss}. */
class TripletMarginWithDistanceLossImpl extends LossBase {
  /** The distance (a `PairwiseDistance` submodule when none is given). */
  readonly distance_function: M.DistanceFunction | PairwiseDistance
  readonly margin: number
  readonly swap: boolean
  constructor(...args: PyArgs<[], WithDistanceKw>) {
    // keyword-only, as PyTorch's `*, distance_function=None, margin=1.0, swap=False, reduction='mean'`
    const a = parseArgs(
      'TripletMarginWithDistanceLoss.__init__',
      args,
      ['distance_function', 'margin', 'swap', 'reduction'],
      0,
    )
    super(a)
    this.distance_function = (a.distance_function as M.DistanceFunction | null | undefined) ?? PairwiseDistance()
    this.margin = (a.margin as number | undefined) ?? 1
    this.swap = a.swap === true
  }
  /** `triplet_margin_with_distance_loss(anchor, positive, negative)` (each also by keyword). */
  forward(...args: TripletArgs): T {
    const fa = forwardArgs('TripletMarginWithDistanceLoss', args, TRIPLET)
    const [anchor, positive, negative] = fa as [T, T, T]
    const d = this.distance_function
    const distance_function = d instanceof Module ? (x: T, y: T): T => d.call(x, y) : d
    const kw = { distance_function, margin: this.margin, swap: this.swap, reduction: this.reduction }
    return M.triplet_margin_with_distance_loss(anchor, positive, negative, kw)
  }
}
/**
 * `nn.TripletMarginWithDistanceLoss(*, distance_function=None, margin=1.0, swap=False, reduction='mean')`.
 * @example
 * import * as torch from 'wengert/torch'
 * const m = torch.nn.TripletMarginWithDistanceLoss({ margin: 0.5 })
 * const a = torch.tensor([[0, 0]])
 * assert.ok(Math.abs(m.call(a, a, a).item() - 0.5) < 1e-6)
 * @category torch @since 0.2.0
 */
export const TripletMarginWithDistanceLoss = pyClass(TripletMarginWithDistanceLossImpl, 'TripletMarginWithDistanceLoss')
/** An `nn.TripletMarginWithDistanceLoss` instance. @category torch @since 0.2.0 */
export type TripletMarginWithDistanceLoss = TripletMarginWithDistanceLossImpl
