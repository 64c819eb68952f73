/**
 * Normalisation layers without running statistics: `GroupNorm`, `RMSNorm`, `LocalResponseNorm`.
 *
 * @category torch
 * @since 0.2.0
 */
import { empty } from '../creation'
import type { TorchDType } from '../dtype'
import { TorchValueError } from '../errors'
import { parseArgs, type PyArgs } from '../kwargs'
import type { Tensor } from '../tensor'
import * as init from './init'
import { pyFloat, required } from './layers'
import { Module } from './module'
import * as N from './norm_functional'
import { Parameter } from './parameter'
import { pyClass } from './pyclass'

const pyBool = (b: boolean): string => (b ? 'True' : 'False')
type Factory = { readonly device?: string | null; readonly dtype?: TorchDType | null }
const factoryOpts = (a: Record<string, unknown>): { dtype?: TorchDType } =>
  a.dtype === undefined || a.dtype === null ? {} : { dtype: a.dtype as TorchDType }

// -------------------------------------------------------------------------------------
// GroupNorm
// -------------------------------------------------------------------------------------

/** See {@link GroupNorm}. */
class GroupNormImpl extends Module {
  readonly num_groups: number
  readonly num_channels: number
  readonly eps: number
  readonly affine: boolean
  /** `[num_channels]` scale (ones), null without affine. */
  weight: Parameter | null
  /** `[num_channels]` shift (zeros), null without affine. */
  bias: Parameter | null

  constructor(
    ...args: PyArgs<
      [
        num_groups: number,
        num_channels: number,
        eps: number,
        affine: boolean,
        device: string | null,
        dtype: TorchDType | null,
      ],
      Factory & {
        readonly num_groups?: number
        readonly num_channels?: number
        readonly eps?: number
        readonly affine?: boolean
      }
    >
  ) {
    super()
    const a = parseArgs('GroupNorm.__init__', args, ['num_groups', 'num_channels', 'eps', 'affine', 'device', 'dtype'])
    required('GroupNorm.__init__', a, ['num_groups', 'num_channels'])
    this.num_groups = a.num_groups as number
    this.num_channels = a.num_channels as number
    if (this.num_channels % this.num_groups !== 0)
      throw new TorchValueError('num_channels must be divisible by num_groups')
    this.eps = (a.eps as number | undefined) ?? 1e-5
    this.affine = (a.affine as boolean | undefined) ?? true
    const o = factoryOpts(a)
    this.weight = this.affine ? new Parameter(empty([this.num_channels], o)) : null
    this.bias = this.affine ? new Parameter(empty([this.num_channels], o)) : null
    this.reset_parameters()
  }

  /** Ones for the weight, zeros for the bias. */
  reset_parameters(): void {
    if (this.weight !== null) init.ones_(this.weight)
    if (this.bias !== null) init.zeros_(this.bias)
  }

  /** `F.group_norm` with this layer's parameters. */
  forward(input: Tensor): Tensor {
    return N.group_norm(input, this.num_groups, this.weight, this.bias, this.eps)
  }

  override extra_repr(): string {
    return `${this.num_groups}, ${this.num_channels}, eps=${pyFloat(this.eps)}, affine=${pyBool(this.affine)}`
  }
}

/**
 * Group normalisation: `num_channels` split into `num_groups` groups normalised separately,
 * then a per-channel affine map (ones and zeros initially).
 * @example
 * import * as torch from 'wengert/torch'
 * const gn = torch.nn.GroupNorm(2, 4)
 * assert.strictEqual(String(gn), 'GroupNorm(2, 4, eps=1e-05, affine=True)')
 * assert.strictEqual(String(gn(torch.randn(3, 4, 5)).shape), 'torch.Size([3, 4, 5])')
 * @category torch @since 0.2.0
 */
export const GroupNorm = pyClass(GroupNormImpl, 'GroupNorm')
/** An `nn.GroupNorm` instance. @category torch @since 0.2.0 */
export type GroupNorm = GroupNormImpl

// -------------------------------------------------------------------------------------
// RMSNorm
// -------------------------------------------------------------------------------------

/** See {@link RMSNorm}. */
class RMSNormImpl extends Module {
  readonly normalized_shape: ReadonlyArray<number>
  /** null: the input dtype's machine epsilon. */
  readonly eps: number | null
  readonly elementwise_affine: boolean
  /** Scale (ones), null without elementwise_affine. */
  weight: Parameter | null

  constructor(
    ...args: PyArgs<
      [
        normalized_shape: number | ReadonlyArray<number>,
        eps: number | null,
        elementwise_affine: boolean,
        device: string | null,
        dtype: TorchDType | null,
      ],
      Factory & {
        readonly normalized_shape?: number | ReadonlyArray<number>
        readonly eps?: number | null
        readonly elementwise_affine?: boolean
      }
    >
  ) {
    super()
    const a = parseArgs('RMSNorm.__init__', args, ['normalized_shape', 'eps', 'elementwise_affine', 'device', 'dtype'])
    required('RMSNorm.__init__', a, ['normalized_shape'])
    const ns = a.normalized_shape as number | ReadonlyArray<number>
    this.normalized_shape = typeof ns === 'number' ? [ns] : [...ns]
    this.eps = (a.eps as number | null | undefined) ?? null
    this.elementwise_affine = (a.elementwise_affine as boolean | undefined) ?? true
    this.weight = this.elementwise_affine ? new Parameter(empty([...this.normalized_shape], factoryOpts(a))) : null
    this.reset_parameters()
  }

  /** Ones for the weight. */
  reset_parameters(): void {
    if (this.weight !== null) init.ones_(this.weight)
  }

  /** `F.rms_norm` with this layer's weight and eps. */
  forward(input: Tensor): Tensor {
    return N.rms_norm(input, this.normalized_shape, this.weight, this.eps)
  }

  override extra_repr(): string {
    const s = this.normalized_shape
    const shape = s.length === 1 ? `(${s[0]},)` : `(${s.join(', ')})`
    const eps = this.eps === null ? 'None' : pyFloat(this.eps)
    return `${shape}, eps=${eps}, elementwise_affine=${pyBool(this.elementwise_affine)}`
  }
}

/**
 * Root-mean-square normalisation over the trailing `normalized_shape` dims (PyTorch ≥ 2.4's
 * `nn.RMSNorm`): `x / √(mean(x²) + eps) · weight`; eps null uses the dtype's machine epsilon.
 * @example
 * import * as torch from 'wengert/torch'
 * const n = torch.nn.RMSNorm(2)
 * assert.strictEqual(String(n), 'RMSNorm((2,), eps=None, elementwise_affine=True)')
 * assert.ok(n(torch.tensor([[3, 4]])).allclose(torch.tensor([[3, 4]]).div(Math.sqrt(12.5))))
 * @category torch @since 0.2.0
 */
export const RMSNorm = pyClass(RMSNormImpl, 'RMSNorm')
/** An `nn.RMSNorm` instance. @category torch @since 0.2.0 */
export type RMSNorm = RMSNormImpl

// -------------------------------------------------------------------------------------
// LocalResponseNorm
// -------------------------------------------------------------------------------------

/** The constructor arguments shared by {@link LocalResponseNorm} and `CrossMapLRN2d`. */
export type LrnArgs = PyArgs<
  [size: number, alpha: number, beta: number, k: number],
  { readonly size?: number; readonly alpha?: number; readonly beta?: number; readonly k?: number }
>

/** `size` (required), `alpha` (1e-4), `beta` (0.75) and `k` (1) of a cross-channel LRN layer `cls`. */
export const lrnSettings = (cls: string, args: LrnArgs): { size: number; alpha: number; beta: number; k: number } => {
  const a = parseArgs(`${cls}.__init__`, args, ['size', 'alpha', 'beta', 'k'])
  required(`${cls}.__init__`, a, ['size'])
  return {
    size: a.size as number,
    alpha: (a.alpha as number | undefined) ?? 1e-4,
    beta: (a.beta as number | undefined) ?? 0.75,
    k: (a.k as number | undefined) ?? 1,
  }
}

/** See {@link LocalResponseNorm}. */
class LocalResponseNormImpl extends Module {
  readonly size: number
  readonly alpha: number
  readonly beta: number
  readonly k: number

  constructor(...args: LrnArgs) {
    super()
    const o = lrnSettings('LocalResponseNorm', args)
    ;[this.size, this.alpha, this.beta, this.k] = [o.size, o.alpha, o.beta, o.k]
  }

  /** `F.local_response_norm` with this layer's settings. */
  forward(input: Tensor): Tensor {
    return N.local_response_norm(input, this.size, this.alpha, this.beta, this.k)
  }

  override extra_repr(): string {
    return `${this.size}, alpha=${pyFloat(this.alpha)}, beta=${pyFloat(this.beta)}, k=${pyFloat(this.k)}`
  }
}

/**
 * Local response normalisation across channels (AlexNet's): `x / (k + alpha/size · Σ x²)^beta`
 * over `size` neighbouring channels.
 * @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(String(torch.nn.LocalResponseNorm(2)), 'LocalResponseNorm(2, alpha=0.0001, beta=0.75, k=1.0)')
 * @category torch @since 0.2.0
 */
export const LocalResponseNorm = pyClass(LocalResponseNormImpl, 'LocalResponseNorm')
/** An `nn.LocalResponseNorm` instance. @category torch @since 0.2.0 */
export type LocalResponseNorm = LocalResponseNormImpl
