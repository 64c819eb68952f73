/**
 * Normalisation layers: `BatchNorm1d/2d/3d`, `InstanceNorm1d/2d/3d`, `GroupNorm`, `RMSNorm`,
 * `LocalResponseNorm` (PyTorch's arguments, defaults, buffers, reprs and input checks).
 *
 * @category torch
 * @since 0.2.0
 */
import { empty, ones, zeros } from '../creation'
import { int64, type TorchDType } from '../dtype'
import { TorchValueError } from '../errors'
import { parseArgs, type PyArgs } from '../kwargs'
import type { Tensor } from '../tensor'
import { warn } from '../warnings'
import * as init from './init'
import { pyFloat, required } from './layers'
import { Module } from './module'
import * as N from './norm_functional'
import { Parameter } from './parameter'
import { pyClass } from './pyclass'

// -------------------------------------------------------------------------------------
// _NormBase
// -------------------------------------------------------------------------------------

type NormKw = {
  readonly num_features?: number
  readonly eps?: number
  readonly momentum?: number | null
  readonly affine?: boolean
  readonly track_running_stats?: boolean
  readonly device?: string | null
  readonly dtype?: TorchDType | null
}
type NormArgs = PyArgs<
  [
    num_features: number,
    eps: number,
    momentum: number | null,
    affine: boolean,
    track_running_stats: boolean,
    device: string | null,
    dtype: TorchDType | null,
  ],
  NormKw
>
const NORM_NAMES = ['num_features', 'eps', 'momentum', 'affine', 'track_running_stats', 'device', 'dtype']

const pyBool = (b: boolean): string => (b ? 'True' : 'False')

/** Shared state of batch and instance norm (PyTorch's `_NormBase`). */
abstract class NormBase extends Module {
  readonly num_features: number
  readonly eps: number
  /** Running-average factor; null is the cumulative average. */
  momentum: number | null
  readonly affine: boolean
  readonly track_running_stats: boolean
  /** `[num_features]` scale (ones), null without affine. */
  weight: Parameter | null
  /** `[num_features]` shift (zeros), null without affine. */
  bias: Parameter | null
  declare running_mean: Tensor | null
  declare running_var: Tensor | null
  declare num_batches_tracked: Tensor | null

  constructor(name: string, args: ReadonlyArray<unknown>, defaults: { affine: boolean; track: boolean }) {
    super()
    const a = parseArgs(`${name}.__init__`, args, NORM_NAMES)
    required(`${name}.__init__`, a, ['num_features'])
    this.num_features = a.num_features as number
    this.eps = (a.eps as number | undefined) ?? 1e-5
    this.momentum = a.momentum === null ? null : ((a.momentum as number | undefined) ?? 0.1)
    this.affine = (a.affine as boolean | undefined) ?? defaults.affine
    this.track_running_stats = (a.track_running_stats as boolean | undefined) ?? defaults.track
    const dtype = (a.dtype as TorchDType | null | undefined) ?? undefined
    const opts = dtype === undefined ? {} : { dtype }
    const c = this.num_features
    this.weight = this.affine ? new Parameter(empty([c], opts)) : null
    this.bias = this.affine ? new Parameter(empty([c], opts)) : null
    const track = this.track_running_stats
    this.register_buffer('running_mean', track ? zeros([c], opts) : null)
    this.register_buffer('running_var', track ? ones([c], opts) : null)
    this.register_buffer('num_batches_tracked', track ? zeros([], { dtype: int64 }) : null)
    this.reset_parameters()
  }

  /** Zeros the running mean, ones the running variance, resets the batch count. */
  reset_running_stats(): void {
    this.running_mean?.zero_()
    this.running_var?.fill_(1)
    this.num_batches_tracked?.zero_()
  }

  /** Resets the running statistics, ones the weight and zeros the bias. */
  reset_parameters(): void {
    this.reset_running_stats()
    if (this.weight !== null) init.ones_(this.weight)
    if (this.bias !== null) init.zeros_(this.bias)
  }

  override extra_repr(): string {
    const m = this.momentum === null ? 'None' : pyFloat(this.momentum)
    return `${this.num_features}, eps=${pyFloat(this.eps)}, momentum=${m}, affine=${pyBool(this.affine)}, track_running_stats=${pyBool(this.track_running_stats)}`
  }
}

// -------------------------------------------------------------------------------------
// BatchNorm
// -------------------------------------------------------------------------------------

/** @internal `BatchNorm{1,2,3}d` and `SyncBatchNorm`: differ only in the accepted input ranks. */
export abstract class BatchNormBase extends NormBase {
  abstract readonly ranks: ReadonlyArray<number>

  /**
   * Training: batch statistics, running statistics updated (momentum null: cumulative average
   * over `num_batches_tracked`); eval: the running statistics (batch ones without tracking).
   */
  forward(input: Tensor): Tensor {
    if (!this.ranks.includes(input.dim())) {
      const want = this.ranks.map((r) => `${r}D`).join(' or ')
      throw new TorchValueError(`expected ${want} input (got ${input.dim()}D input)`)
    }
    const counting = this.training && this.track_running_stats && this.num_batches_tracked !== null
    const count = counting ? (this.num_batches_tracked as Tensor).item() + 1 : 0
    const factor = this.momentum === null ? (counting ? 1 / count : 0) : this.momentum
    const useBatch = this.training || (this.running_mean === null && this.running_var === null)
    const keep = !this.training || this.track_running_stats
    const y = N.batch_norm(
      input,
      keep ? this.running_mean : null,
      keep ? this.running_var : null,
      this.weight,
      this.bias,
      useBatch,
      factor,
      this.eps,
    )
    if (counting) (this.num_batches_tracked as Tensor).add_(1)
    return y
  }
}

/** @internal True for every batch-norm layer (PyTorch's `isinstance(m, _BatchNorm)`). */
export const isBatchNorm = (m: unknown): m is BatchNormBase => m instanceof BatchNormBase

class BatchNorm1dImpl extends BatchNormBase {
  readonly ranks = [2, 3]
  constructor(...args: NormArgs) {
    super('_BatchNorm', args, { affine: true, track: true })
  }
}
class BatchNorm2dImpl extends BatchNormBase {
  readonly ranks = [4]
  constructor(...args: NormArgs) {
    super('_BatchNorm', args, { affine: true, track: true })
  }
}
class BatchNorm3dImpl extends BatchNormBase {
  readonly ranks = [5]
  constructor(...args: NormArgs) {
    super('_BatchNorm', args, { affine: true, track: true })
  }
}

/**
 * Batch normalisation over `[N, C]` or `[N, C, L]` inputs (`num_features` = C), with learnable
 * `weight`/`bias` (affine) and running statistics (`running_mean`, `running_var`,
 * `num_batches_tracked` buffers) updated in training with `momentum` (null: cumulative average).
 * @example
 * import * as torch from 'wengert/torch'
 * const bn = torch.nn.BatchNorm1d(2)
 * bn(torch.tensor([[1, 10], [3, 30]]))
 * assert.ok(bn.running_mean?.allclose(torch.tensor([0.2, 2])))
 * assert.strictEqual(bn.num_batches_tracked?.item(), 1)
 * assert.strictEqual(String(bn), 'BatchNorm1d(2, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)')
 * @category torch @since 0.2.0
 */
export const BatchNorm1d = pyClass(BatchNorm1dImpl, 'BatchNorm1d')
/** An `nn.BatchNorm1d` instance. @category torch @since 0.2.0 */
export type BatchNorm1d = BatchNorm1dImpl
/**
 * Batch normalisation over `[N, C, H, W]` inputs (see {@link BatchNorm1d}).
 * @example
 * import * as torch from 'wengert/torch'
 * const bn = torch.nn.BatchNorm2d(3).eval()
 * const x = torch.randn(2, 3, 4, 4)
 * assert.ok(bn(x).sub(x.div(Math.sqrt(1 + 1e-5))).abs().max().item() < 1e-6)
 * @category torch @since 0.2.0
 */
export const BatchNorm2d = pyClass(BatchNorm2dImpl, 'BatchNorm2d')
/** An `nn.BatchNorm2d` instance. @category torch @since 0.2.0 */
export type BatchNorm2d = BatchNorm2dImpl
/**
 * Batch normalisation over `[N, C, D, H, W]` inputs (see {@link BatchNorm1d}).
 * @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(String(torch.nn.BatchNorm3d(3)(torch.randn(2, 3, 2, 2, 2)).shape), 'torch.Size([2, 3, 2, 2, 2])')
 * @category torch @since 0.2.0
 */
export const BatchNorm3d = pyClass(BatchNorm3dImpl, 'BatchNorm3d')
/** An `nn.BatchNorm3d` instance. @category torch @since 0.2.0 */
export type BatchNorm3d = BatchNorm3dImpl

// -------------------------------------------------------------------------------------
// InstanceNorm
// -------------------------------------------------------------------------------------

/** `InstanceNorm{1,2,3}d`: unbatched input has rank `noBatch`. */
abstract class InstanceNormBase extends NormBase {
  abstract readonly noBatch: number

  /** Per-instance statistics in training or without tracking; the running ones otherwise. */
  forward(input: Tensor): Tensor {
    const nb = this.noBatch
    if (input.dim() !== nb && input.dim() !== nb + 1)
      throw new TorchValueError(`expected ${nb}D or ${nb + 1}D input (got ${input.dim()}D input)`)
    const fd = input.dim() - nb
    const size = input.shape[fd] as number
    if (size !== this.num_features) {
      if (this.affine)
        throw new TorchValueError(
          `expected input's size at dim=${fd} to match num_features (${this.num_features}), but got: ${size}.`,
        )
      warn(
        `input's size at dim=${fd} does not match num_features. You can silence this warning by not passing in num_features, which is not used because affine=False`,
      )
    }
    if (input.dim() === nb) return this.forward(input.unsqueeze(0)).squeeze(0)
    return N.instance_norm(
      input,
      this.running_mean,
      this.running_var,
      this.weight,
      this.bias,
      this.training || !this.track_running_stats,
      // PyTorch 2.x: momentum None keeps the running statistics (1.13 raised a TypeError)
      this.momentum ?? 0,
      this.eps,
    )
  }
}

class InstanceNorm1dImpl extends InstanceNormBase {
  readonly noBatch = 2
  constructor(...args: NormArgs) {
    super('_InstanceNorm', args, { affine: false, track: false })
  }
}
class InstanceNorm2dImpl extends InstanceNormBase {
  readonly noBatch = 3
  constructor(...args: NormArgs) {
    super('_InstanceNorm', args, { affine: false, track: false })
  }
}
class InstanceNorm3dImpl extends InstanceNormBase {
  readonly noBatch = 4
  constructor(...args: NormArgs) {
    super('_InstanceNorm', args, { affine: false, track: false })
  }
}

/**
 * Instance normalisation of `[N, C, L]` (or unbatched `[C, L]`) inputs: each sample's channel
 * over its positions. No affine parameters and no running statistics by default.
 * @example
 * import * as torch from 'wengert/torch'
 * const y = torch.nn.InstanceNorm1d(2)(torch.tensor([[[1, 3], [0, 4]]]))
 * assert.ok(y.mean(-1).abs().max().item() < 1e-6)
 * @category torch @since 0.2.0
 */
export const InstanceNorm1d = pyClass(InstanceNorm1dImpl, 'InstanceNorm1d')
/** An `nn.InstanceNorm1d` instance. @category torch @since 0.2.0 */
export type InstanceNorm1d = InstanceNorm1dImpl
/**
 * Instance normalisation of `[N, C, H, W]` (or `[C, H, W]`) inputs (see {@link InstanceNorm1d}).
 * @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(String(torch.nn.InstanceNorm2d(3, { affine: true })), 'InstanceNorm2d(3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=False)')
 * @category torch @since 0.2.0
 */
export const InstanceNorm2d = pyClass(InstanceNorm2dImpl, 'InstanceNorm2d')
/** An `nn.InstanceNorm2d` instance. @category torch @since 0.2.0 */
export type InstanceNorm2d = InstanceNorm2dImpl
/**
 * Instance normalisation of `[N, C, D, H, W]` (or `[C, D, H, W]`) inputs.
 * @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(torch.nn.InstanceNorm3d(2)(torch.randn(1, 2, 2, 2, 2)).dim(), 5)
 * @category torch @since 0.2.0
 */
export const InstanceNorm3d = pyClass(InstanceNorm3dImpl, 'InstanceNorm3d')
/** An `nn.InstanceNorm3d` instance. @category torch @since 0.2.0 */
export type InstanceNorm3d = InstanceNorm3dImpl
