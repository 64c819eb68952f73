/**
 * More layers: `RReLU`, `ChannelShuffle`, `FeatureAlphaDropout`, `MultiLabelMarginLoss` and the
 * deprecated `NLLLoss2d` (an `NLLLoss` that warns), with PyTorch's arguments, defaults and
 * printed forms; each forward calls the matching `F.*` function.
 *
 * @category torch
 * @since 0.2.0
 */
import { parseArgs, type PyArgs } from '../kwargs'
import type { Tensor } from '../tensor'
import { warn } from '../warnings'
import * as F from './functional'
import { Dropout, pyFloat, required } from './layers'
import { LossBase, NLLLoss } from './loss'
import { inputTarget, type InputTargetArgs, type LegacyKw } from './lossUtils'
import { Module, type Reduction } from './module'
import { pyClass } from './pyclass'

/** See {@link RReLU}. */
class RReLUImpl extends Module {
  readonly lower: number
  readonly upper: number
  readonly inplace: boolean
  constructor(
    ...args: PyArgs<
      [lower: number, upper: number, inplace: boolean],
      { readonly lower?: number; readonly upper?: number; readonly inplace?: boolean }
    >
  ) {
    super()
    const a = parseArgs('RReLU.__init__', args, ['lower', 'upper', 'inplace'])
    this.lower = (a.lower as number | undefined) ?? 1 / 8
    this.upper = (a.upper as number | undefined) ?? 1 / 3
    this.inplace = (a.inplace as boolean | undefined) ?? false
  }
  /** `F.rrelu` with random slopes in training mode, their mean in eval mode. */
  forward(input: Tensor): Tensor {
    return F.rrelu(input, this.lower, this.upper, this.training, this.inplace)
  }
  override extra_repr(): string {
    return `lower=${pyFloat(this.lower)}, upper=${pyFloat(this.upper)}${this.inplace ? ', inplace=True' : ''}`
  }
}
/**
 * Randomized leaky ReLU layer (slopes drawn from [`lower`, `upper`] while training).
 * @example
 * import * as torch from 'wengert/torch'
 * const m = torch.nn.RReLU(0.1, 0.3).eval()
 * assert.ok(Math.abs(m.call(torch.tensor([-1])).item() + 0.2) < 1e-7)
 * assert.strictEqual(String(m), 'RReLU(lower=0.1, upper=0.3)')
 * @category torch @since 0.2.0
 */
export const RReLU = pyClass(RReLUImpl, 'RReLU')
/** An `nn.RReLU` instance. @category torch @since 0.2.0 */
export type RReLU = RReLUImpl

/** See {@link ChannelShuffle}. */
class ChannelShuffleImpl extends Module {
  readonly groups: number
  constructor(...args: PyArgs<[groups: number], { readonly groups?: number }>) {
    super()
    const a = parseArgs('ChannelShuffle.__init__', args, ['groups'])
    required('ChannelShuffle.__init__', a, ['groups'])
    this.groups = a.groups as number
  }
  /** `F.channel_shuffle(input, groups)`. */
  forward(input: Tensor): Tensor {
    return F.channel_shuffle(input, this.groups)
  }
  override extra_repr(): string {
    return `groups=${this.groups}`
  }
}
/**
 * Channel shuffle layer (ShuffleNet).
 * @example
 * import * as torch from 'wengert/torch'
 * const m = torch.nn.ChannelShuffle(2)
 * assert.deepStrictEqual(m.call(torch.arange(4, { dtype: torch.float32 }).reshape(1, 4, 1)).reshape(-1).tolist(), [0, 2, 1, 3])
 * assert.strictEqual(String(m), 'ChannelShuffle(groups=2)')
 * @category torch @since 0.2.0
 */
export const ChannelShuffle = pyClass(ChannelShuffleImpl, 'ChannelShuffle')
/** An `nn.ChannelShuffle` instance. @category torch @since 0.2.0 */
export type ChannelShuffle = ChannelShuffleImpl

/** See {@link FeatureAlphaDropout}. */
class FeatureAlphaDropoutImpl extends Dropout {
  /** Channel-wise alpha dropout in training mode; identity in eval mode. */
  override forward(input: Tensor): Tensor {
    return F.feature_alpha_dropout(input, this.p, this.training, this.inplace)
  }
}
/**
 * Channel-wise alpha dropout layer (SELU networks).
 * @example
 * import * as torch from 'wengert/torch'
 * const m = torch.nn.FeatureAlphaDropout(0.2)
 * assert.strictEqual(String(m), 'FeatureAlphaDropout(p=0.2, inplace=False)')
 * const x = torch.ones(2, 3, 4)
 * assert.strictEqual(m.eval().call(x), x)
 * @category torch @since 0.2.0
 */
export const FeatureAlphaDropout = pyClass(FeatureAlphaDropoutImpl, 'FeatureAlphaDropout')
/** An `nn.FeatureAlphaDropout` instance. @category torch @since 0.2.0 */
export type FeatureAlphaDropout = FeatureAlphaDropoutImpl

/** See {@link MultiLabelMarginLoss}. */
class MultiLabelMarginLossImpl extends LossBase {
  constructor(...args: PyArgs<[size_average: boolean | null, reduce: boolean | null, reduction: Reduction], LegacyKw>) {
    super(parseArgs('MultiLabelMarginLoss.__init__', args, ['size_average', 'reduce', 'reduction']))
  }
  /** `F.multilabel_margin_loss(input, target)`. */
  forward(...args: InputTargetArgs): Tensor {
    const [input, target] = inputTarget('MultiLabelMarginLoss', args)
    return F.multilabel_margin_loss(input, target, { reduction: this.reduction })
  }
}
/**
 * Multi-label hinge loss layer.
 * @example
 * import * as torch from 'wengert/torch'
 * const loss = torch.nn.MultiLabelMarginLoss()
 * const y = torch.tensor([[3, 0, -1, 1]], { dtype: torch.int64 })
 * assert.ok(Math.abs(loss.call(torch.tensor([[0.1, 0.2, 0.4, 0.8]]), y).item() - 0.85) < 1e-6)
 * @category torch @since 0.2.0
 */
export const MultiLabelMarginLoss = pyClass(MultiLabelMarginLossImpl, 'MultiLabelMarginLoss')
/** An `nn.MultiLabelMarginLoss` instance. @category torch @since 0.2.0 */
export type MultiLabelMarginLoss = MultiLabelMarginLossImpl

/** See {@link NLLLoss2d}. */
class NLLLoss2dImpl extends NLLLoss {
  constructor(...args: ConstructorParameters<typeof NLLLoss>) {
    // its own name in argument errors (NLLLoss2d defines __init__ with NLLLoss's parameters)
    parseArgs('NLLLoss2d.__init__', args, ['weight', 'size_average', 'ignore_index', 'reduce', 'reduction'])
    super(...args)
    warn(
      'NLLLoss2d has been deprecated. Please use NLLLoss instead as a drop-in replacement and see https://pytorch.org/docs/master/nn.html#torch.nn.NLLLoss for more details.',
    )
  }
}
/**
 * Deprecated alias of `NLLLoss` (warns when made).
 * @example
 * import * as torch from 'wengert/torch'
 * const [loss, ws] = torch.warnings.catch_warnings(() => torch.nn.NLLLoss2d())
 * assert.strictEqual(String(loss), 'NLLLoss2d()')
 * assert.strictEqual(ws.length, 1)
 * @category torch @since 0.2.0
 */
export const NLLLoss2d = pyClass(NLLLoss2dImpl, 'NLLLoss2d')
/** An `nn.NLLLoss2d` instance. @category torch @since 0.2.0 */
export type NLLLoss2d = NLLLoss2dImpl
