/**
 * Loss modules: `MSELoss`, `BCELoss`, `BCEWithLogitsLoss`, `NLLLoss`, `CrossEntropyLoss`, each
 * `forward(input, target)` calling its `nn.functional` counterpart with the module's options.
 * Class weights (and `pos_weight`) are registered buffers, as in PyTorch.
 *
 * @category torch
 * @since 0.1.0
 */
import { parseArgs, type PyArgs } from '../kwargs'
import type { Tensor } from '../tensor'
import * as F from './functional'
import { legacyReduction, Module, type Reduction } from './module'
import { inputTarget, type InputTargetArgs } from './lossUtils'
import { pyClass } from './pyclass'

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

type LegacyKw = {
  readonly size_average?: boolean | null
  readonly reduce?: boolean | null
  readonly reduction?: Reduction
}

/** The reduction of a loss module (legacy size_average/reduce, with PyTorch's warning). */
const reductionOf = (a: Record<string, unknown>): Reduction =>
  a.size_average !== undefined || a.reduce !== undefined
    ? legacyReduction(a.size_average as boolean | null | undefined, a.reduce as boolean | null | undefined)
    : ((a.reduction as Reduction | undefined) ?? 'mean')

/** Base of the losses: holds `reduction`. */
export abstract class LossBase extends Module {
  /** `'mean'` (default), `'sum'` or `'none'`. */
  reduction: Reduction
  constructor(a: Record<string, unknown>) {
    super()
    this.reduction = reductionOf(a)
  }
}

/** Base of the losses with a class `weight` buffer. */
export abstract class WeightedLossBase extends LossBase {
  /** Per-class (or per-element) weights, a buffer; null when not given. */
  declare weight: Tensor | null
  constructor(a: Record<string, unknown>) {
    super(a)
    this.register_buffer('weight', (a.weight as Tensor | null | undefined) ?? null)
  }
}

// -------------------------------------------------------------------------------------
// losses
// -------------------------------------------------------------------------------------

/** See {@link MSELoss}. */
class MSELossImpl extends LossBase {
  constructor(...args: PyArgs<[size_average: boolean | null, reduce: boolean | null, reduction: Reduction], LegacyKw>) {
    super(parseArgs('MSELoss.__init__', args, ['size_average', 'reduce', 'reduction']))
  }
  /** `mse_loss(input, target)`. */
  forward(...args: InputTargetArgs): Tensor {
    const [input, target] = inputTarget('MSELoss', args)
    return F.mse_loss(input, target, { reduction: this.reduction })
  }
}
/**
 * Mean squared error `(x − y)²` with `reduction` (`'mean'` default, `'sum'`, `'none'`).
 * @example
 * import * as torch from 'wengert/torch'
 * const loss = torch.nn.MSELoss({ reduction: 'sum' })
 * assert.strictEqual(loss.call(torch.tensor([1, 2]), torch.tensor([0, 0])).item(), 5)
 * @category torch @since 0.1.0
 */
export const MSELoss = pyClass(MSELossImpl, 'MSELoss')
/** An `nn.MSELoss` instance. @category torch @since 0.1.0 */
export type MSELoss = MSELossImpl

/** See {@link L1Loss}. */
class L1LossImpl extends LossBase {
  constructor(...args: PyArgs<[size_average: boolean | null, reduce: boolean | null, reduction: Reduction], LegacyKw>) {
    super(parseArgs('L1Loss.__init__', args, ['size_average', 'reduce', 'reduction']))
  }
  /** `l1_loss(input, target)`. */
  forward(...args: InputTargetArgs): Tensor {
    const [input, target] = inputTarget('L1Loss', args)
    return F.l1_loss(input, target, { reduction: this.reduction })
  }
}
/** Mean absolute error `|x − y|` with `reduction`. @category torch @since 0.1.0 */
export const L1Loss = pyClass(L1LossImpl, 'L1Loss')
/** An `nn.L1Loss` instance. @category torch @since 0.1.0 */
export type L1Loss = L1LossImpl

/** See {@link BCELoss}. */
class BCELossImpl extends WeightedLossBase {
  constructor(
    ...args: PyArgs<
      [weight: Tensor | null, size_average: boolean | null, reduce: boolean | null, reduction: Reduction],
      LegacyKw & { readonly weight?: Tensor | null }
    >
  ) {
    super(parseArgs('BCELoss.__init__', args, ['weight', 'size_average', 'reduce', 'reduction']))
  }
  /** `binary_cross_entropy(input, target)`. */
  forward(...args: InputTargetArgs): Tensor {
    const [input, target] = inputTarget('BCELoss', args)
    return F.binary_cross_entropy(input, target, { weight: this.weight, reduction: this.reduction })
  }
}
/** Binary cross entropy of probabilities in [0, 1]. @category torch @since 0.1.0 */
export const BCELoss = pyClass(BCELossImpl, 'BCELoss')
/** An `nn.BCELoss` instance. @category torch @since 0.1.0 */
export type BCELoss = BCELossImpl

/** See {@link BCEWithLogitsLoss}. */
class BCEWithLogitsLossImpl extends WeightedLossBase {
  /** Weight of positive examples per class (a buffer); null when not given. */
  declare pos_weight: Tensor | null
  constructor(
    ...args: PyArgs<
      [
        weight: Tensor | null,
        size_average: boolean | null,
        reduce: boolean | null,
        reduction: Reduction,
        pos_weight: Tensor | null,
      ],
      LegacyKw & { readonly weight?: Tensor | null; readonly pos_weight?: Tensor | null }
    >
  ) {
    const a = parseArgs('BCEWithLogitsLoss.__init__', args, [
      'weight',
      'size_average',
      'reduce',
      'reduction',
      'pos_weight',
    ])
    super(a)
    this.register_buffer('pos_weight', (a.pos_weight as Tensor | null | undefined) ?? null)
  }
  /** `binary_cross_entropy_with_logits(input, target)`. */
  forward(...args: InputTargetArgs): Tensor {
    const [input, target] = inputTarget('BCEWithLogitsLoss', args)
    return F.binary_cross_entropy_with_logits(input, target, {
      weight: this.weight,
      pos_weight: this.pos_weight,
      reduction: this.reduction,
    })
  }
}
/**
 * Sigmoid + binary cross entropy in one stable expression; `pos_weight` weighs positive targets.
 * @category torch @since 0.1.0
 */
export const BCEWithLogitsLoss = pyClass(BCEWithLogitsLossImpl, 'BCEWithLogitsLoss')
/** An `nn.BCEWithLogitsLoss` instance. @category torch @since 0.1.0 */
export type BCEWithLogitsLoss = BCEWithLogitsLossImpl

type NllKw = LegacyKw & { readonly weight?: Tensor | null; readonly ignore_index?: number }

/** See {@link NLLLoss}. */
class NLLLossImpl extends WeightedLossBase {
  /** Target value that contributes nothing (default −100). */
  ignore_index: number
  constructor(
    ...args: PyArgs<
      [
        weight: Tensor | null,
        size_average: boolean | null,
        ignore_index: number,
        reduce: boolean | null,
        reduction: Reduction,
      ],
      NllKw
    >
  ) {
    const a = parseArgs('NLLLoss.__init__', args, ['weight', 'size_average', 'ignore_index', 'reduce', 'reduction'])
    super(a)
    this.ignore_index = (a.ignore_index as number | undefined) ?? -100
  }
  /** `nll_loss(input, target)`. */
  forward(...args: InputTargetArgs): Tensor {
    const [input, target] = inputTarget('NLLLoss', args)
    return F.nll_loss(input, target, {
      weight: this.weight,
      ignore_index: this.ignore_index,
      reduction: this.reduction,
    })
  }
}
/** Negative log-likelihood of class indices given log-probabilities. @category torch @since 0.1.0 */
export const NLLLoss = pyClass(NLLLossImpl, 'NLLLoss')
/** An `nn.NLLLoss` instance. @category torch @since 0.1.0 */
export type NLLLoss = NLLLossImpl

/** See {@link CrossEntropyLoss}. */
class CrossEntropyLossImpl extends WeightedLossBase {
  /** Target value that contributes nothing (default −100). */
  ignore_index: number
  /** Label smoothing ε in [0, 1] (default 0). */
  label_smoothing: number
  constructor(
    ...args: PyArgs<
      [
        weight: Tensor | null,
        size_average: boolean | null,
        ignore_index: number,
        reduce: boolean | null,
        reduction: Reduction,
        label_smoothing: number,
      ],
      NllKw & { readonly label_smoothing?: number }
    >
  ) {
    const a = parseArgs('CrossEntropyLoss.__init__', args, [
      'weight',
      'size_average',
      'ignore_index',
      'reduce',
      'reduction',
      'label_smoothing',
    ])
    super(a)
    this.ignore_index = (a.ignore_index as number | undefined) ?? -100
    this.label_smoothing = (a.label_smoothing as number | undefined) ?? 0
  }
  /** `cross_entropy(input, target)`. */
  forward(...args: InputTargetArgs): Tensor {
    const [input, target] = inputTarget('CrossEntropyLoss', args)
    return F.cross_entropy(input, target, {
      weight: this.weight,
      ignore_index: this.ignore_index,
      reduction: this.reduction,
      label_smoothing: this.label_smoothing,
    })
  }
}
/**
 * Cross entropy of logits against class indices (int64) or class probabilities:
 * `nll_loss(log_softmax(x, 1), y)`, with `weight`, `ignore_index` and `label_smoothing`.
 * @example
 * import * as torch from 'wengert/torch'
 * const loss = torch.nn.CrossEntropyLoss()
 * const l = loss.call(torch.tensor([[2, 0, 0]]), torch.tensor([0], { dtype: torch.int64 }))
 * assert.ok(Math.abs((l.item() as number) - (Math.log(Math.exp(2) + 2) - 2)) < 1e-6)
 * @category torch @since 0.1.0
 */
export const CrossEntropyLoss = pyClass(CrossEntropyLossImpl, 'CrossEntropyLoss')
/** An `nn.CrossEntropyLoss` instance. @category torch @since 0.1.0 */
export type CrossEntropyLoss = CrossEntropyLossImpl
