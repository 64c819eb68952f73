/**
 * Loss modules over {@link smooth_l1_loss} and the other losses of ./losses2 and
 * ./marginLosses: each `forward` calls its functional counterpart with the module's options.
 *
 * @category torch
 * @since 0.2.0
 */
import { parseArgs, type PyArgs } from '../kwargs'
import type { Tensor } from '../tensor'
import { LossBase, WeightedLossBase } from './loss'
import * as L from './losses2'
import { forwardArgs, inputTarget, reductionOf, type InputTargetArgs, type LegacyKw } from './lossUtils'
import * as M from './marginLosses'
import { Module, type Reduction } from './module'
import { pyClass } from './pyclass'

type T = Tensor
type Legacy = [size_average: boolean | null, reduce: boolean | null, reduction: Reduction]
const LEGACY = ['size_average', 'reduce', 'reduction'] as const
const num = (a: Record<string, unknown>, key: string, dflt: number): number => (a[key] as number | undefined) ?? dflt

/** See {@link SmoothL1Loss}. */
class SmoothL1LossImpl extends LossBase {
  /** Threshold between the quadratic and linear parts (1). */
  readonly beta: number
  constructor(...args: PyArgs<[...legacy: Legacy, beta: number], LegacyKw & { readonly beta?: number }>) {
    const a = parseArgs('SmoothL1Loss.__init__', args, [...LEGACY, 'beta'])
    super(a)
    this.beta = num(a, 'beta', 1)
  }
  /** `smooth_l1_loss(input, target)`. */
  forward(...args: InputTargetArgs): T {
    const [input, target] = inputTarget('SmoothL1Loss', args)
    return L.smooth_l1_loss(input, target, { reduction: this.reduction, beta: this.beta })
  }
}
/**
 * `nn.SmoothL1Loss(reduction='mean', beta=1.0)`.
 * @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(torch.nn.SmoothL1Loss().call(torch.tensor([3]), torch.tensor([0])).item(), 2.5)
 * @category torch @since 0.2.0
 */
export const SmoothL1Loss = pyClass(SmoothL1LossImpl, 'SmoothL1Loss')
/** An `nn.SmoothL1Loss` instance. @category torch @since 0.2.0 */
export type SmoothL1Loss = SmoothL1LossImpl

/** See {@link HuberLoss}. */
class HuberLossImpl extends LossBase {
  /** Threshold between the quadratic and linear parts (1). */
  readonly delta: number
  constructor(
    ...args: PyArgs<[reduction: Reduction, delta: number], { readonly reduction?: Reduction; readonly delta?: number }>
  ) {
    const a = parseArgs('HuberLoss.__init__', args, ['reduction', 'delta'])
    super(a)
    this.delta = num(a, 'delta', 1)
  }
  /** `huber_loss(input, target)`. */
  forward(...args: InputTargetArgs): T {
    const [input, target] = inputTarget('HuberLoss', args)
    return L.huber_loss(input, target, { reduction: this.reduction, delta: this.delta })
  }
}
/**
 * `nn.HuberLoss(reduction='mean', delta=1.0)`.
 * @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(torch.nn.HuberLoss({ delta: 2 }).call(torch.tensor([3]), torch.tensor([0])).item(), 4)
 * @category torch @since 0.2.0
 */
export const HuberLoss = pyClass(HuberLossImpl, 'HuberLoss')
/** An `nn.HuberLoss` instance. @category torch @since 0.2.0 */
export type HuberLoss = HuberLossImpl

type KlRed = Reduction | 'batchmean'

/** See {@link KLDivLoss}. */
class KLDivLossImpl extends Module {
  /** The target holds log-probabilities (false). */
  readonly log_target: boolean
  /** `'mean'` (default), `'batchmean'`, `'sum'` or `'none'`, as given (legacy arguments give theirs). */
  reduction: KlRed
  constructor(
    ...args: PyArgs<
      [size_average: boolean | null, reduce: boolean | null, reduction: KlRed, log_target: boolean],
      Omit<LegacyKw, 'reduction'> & { readonly reduction?: KlRed; readonly log_target?: boolean }
    >
  ) {
    super()
    const a = parseArgs('KLDivLoss.__init__', args, [...LEGACY, 'log_target'])
    const legacy = a.size_average !== undefined || a.reduce !== undefined
    this.reduction = a.reduction === 'batchmean' && !legacy ? 'batchmean' : reductionOf(a)
    this.log_target = (a.log_target as boolean | undefined) ?? false
  }
  /** `kl_div(input, target)`. */
  forward(...args: InputTargetArgs): T {
    const [input, target] = inputTarget('KLDivLoss', args)
    return L.kl_div(input, target, { reduction: this.reduction, log_target: this.log_target })
  }
}
/**
 * `nn.KLDivLoss(reduction='mean', log_target=False)`; use `reduction: 'batchmean'` for the true KL.
 * @example
 * import * as torch from 'wengert/torch'
 * const l = torch.nn.KLDivLoss({ reduction: 'sum', log_target: true }).call(torch.zeros(2), torch.zeros(2))
 * assert.strictEqual(l.item(), 0)
 * assert.strictEqual(torch.nn.KLDivLoss({ reduction: 'batchmean' }).reduction, 'batchmean')
 * @category torch @since 0.2.0
 */
export const KLDivLoss = pyClass(KLDivLossImpl, 'KLDivLoss')
/** An `nn.KLDivLoss` instance. @category torch @since 0.2.0 */
export type KLDivLoss = KLDivLossImpl

type PoissonKw = LegacyKw & { readonly log_input?: boolean; readonly full?: boolean; readonly eps?: number }

/** See {@link PoissonNLLLoss}. */
class PoissonNLLLossImpl extends LossBase {
  readonly log_input: boolean
  readonly full: boolean
  readonly eps: number
  constructor(
    ...args: PyArgs<
      [
        log_input: boolean,
        full: boolean,
        size_average: boolean | null,
        eps: number,
        reduce: boolean | null,
        reduction: Reduction,
      ],
      PoissonKw
    >
  ) {
    const a = parseArgs('PoissonNLLLoss.__init__', args, [
      'log_input',
      'full',
      'size_average',
      'eps',
      'reduce',
      'reduction',
    ])
    super(a)
    this.log_input = (a.log_input as boolean | undefined) ?? true
    this.full = (a.full as boolean | undefined) ?? false
    this.eps = num(a, 'eps', 1e-8)
  }
  /** `poisson_nll_loss(log_input, target)` (each also by keyword). */
  forward(...args: PyArgs<[log_input: T, target: T], { readonly log_input?: T; readonly target?: T }>): T {
    const [log_input, target] = forwardArgs('PoissonNLLLoss', args, ['log_input', 'target']) as [T, T]
    const kw = { log_input: this.log_input, full: this.full, eps: this.eps, reduction: this.reduction }
    return L.poisson_nll_loss(log_input, target, kw)
  }
}
/**
 * `nn.PoissonNLLLoss(log_input=True, full=False, eps=1e-8, reduction='mean')`.
 * @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(torch.nn.PoissonNLLLoss().call(torch.tensor([0]), torch.tensor([1])).item(), 1)
 * @category torch @since 0.2.0
 */
export const PoissonNLLLoss = pyClass(PoissonNLLLossImpl, 'PoissonNLLLoss')
/** An `nn.PoissonNLLLoss` instance. @category torch @since 0.2.0 */
export type PoissonNLLLoss = PoissonNLLLossImpl

/** See {@link GaussianNLLLoss}. */
class GaussianNLLLossImpl extends LossBase {
  readonly full: boolean
  readonly eps: number
  constructor(...args: PyArgs<[], { readonly full?: boolean; readonly eps?: number; readonly reduction?: Reduction }>) {
    // keyword-only, as PyTorch's `*, full=False, eps=1e-06, reduction='mean'`
    const a = parseArgs('GaussianNLLLoss.__init__', args, ['full', 'eps', 'reduction'], 0)
    super(a)
    this.full = (a.full as boolean | undefined) ?? false
    this.eps = num(a, 'eps', 1e-6)
  }
  /** `gaussian_nll_loss(input, target, var)` (each also by keyword). */
  forward(
    ...args: PyArgs<[input: T, target: T, variance: T], { readonly input?: T; readonly target?: T; readonly var?: T }>
  ): T {
    const [input, target, variance] = forwardArgs('GaussianNLLLoss', args, ['input', 'target', 'var']) as [T, T, T]
    return L.gaussian_nll_loss(input, target, variance, { full: this.full, eps: this.eps, reduction: this.reduction })
  }
}
/**
 * `nn.GaussianNLLLoss(*, full=False, eps=1e-6, reduction='mean')`; `forward(input, target, var)`.
 * @example
 * import * as torch from 'wengert/torch'
 * const l = torch.nn.GaussianNLLLoss().call(torch.tensor([2]), torch.tensor([0]), torch.tensor([4]))
 * assert.ok(Math.abs(l.item() - 0.5 * (Math.log(4) + 1)) < 1e-6)
 * @category torch @since 0.2.0
 */
export const GaussianNLLLoss = pyClass(GaussianNLLLossImpl, 'GaussianNLLLoss')
/** An `nn.GaussianNLLLoss` instance. @category torch @since 0.2.0 */
export type GaussianNLLLoss = GaussianNLLLossImpl

/** See {@link SoftMarginLoss}. */
class SoftMarginLossImpl extends LossBase {
  constructor(...args: PyArgs<Legacy, LegacyKw>) {
    super(parseArgs('SoftMarginLoss.__init__', args, LEGACY))
  }
  /** `soft_margin_loss(input, target)`. */
  forward(...args: InputTargetArgs): T {
    const [input, target] = inputTarget('SoftMarginLoss', args)
    return L.soft_margin_loss(input, target, { reduction: this.reduction })
  }
}
/**
 * `nn.SoftMarginLoss(reduction='mean')`.
 * @example
 * import * as torch from 'wengert/torch'
 * assert.ok(Math.abs(torch.nn.SoftMarginLoss().call(torch.tensor([0]), torch.tensor([-1])).item() - Math.LN2) < 1e-6)
 * @category torch @since 0.2.0
 */
export const SoftMarginLoss = pyClass(SoftMarginLossImpl, 'SoftMarginLoss')
/** An `nn.SoftMarginLoss` instance. @category torch @since 0.2.0 */
export type SoftMarginLoss = SoftMarginLossImpl

/** See {@link MultiLabelSoftMarginLoss}. */
class MultiLabelSoftMarginLossImpl extends WeightedLossBase {
  constructor(...args: PyArgs<[weight: T | null, ...legacy: Legacy], LegacyKw & { readonly weight?: T | null }>) {
    super(parseArgs('MultiLabelSoftMarginLoss.__init__', args, ['weight', ...LEGACY]))
  }
  /** `multilabel_soft_margin_loss(input, target)`. */
  forward(...args: InputTargetArgs): T {
    const [input, target] = inputTarget('MultiLabelSoftMarginLoss', args)
    return M.multilabel_soft_margin_loss(input, target, { weight: this.weight, reduction: this.reduction })
  }
}
/**
 * `nn.MultiLabelSoftMarginLoss(weight=None, reduction='mean')`.
 * @example
 * import * as torch from 'wengert/torch'
 * const l = torch.nn.MultiLabelSoftMarginLoss().call(torch.tensor([[0]]), torch.tensor([[1]]))
 * assert.ok(Math.abs(l.item() - Math.LN2) < 1e-6)
 * @category torch @since 0.2.0
 */
export const MultiLabelSoftMarginLoss = pyClass(MultiLabelSoftMarginLossImpl, 'MultiLabelSoftMarginLoss')
/** An `nn.MultiLabelSoftMarginLoss` instance. @category torch @since 0.2.0 */
export type MultiLabelSoftMarginLoss = MultiLabelSoftMarginLossImpl
