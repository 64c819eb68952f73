/**
 * Lazy normalisation layers: `LazyBatchNorm1d/2d/3d`, `LazyInstanceNorm1d/2d/3d` (PyTorch's
 * `_LazyNormBase`): `num_features` is the size of axis 1 of the first input; the module then
 * becomes the ordinary layer. Both families default to `affine` and `track_running_stats` true
 * (as PyTorch's lazy instance norms do, unlike `InstanceNorm*d`).
 *
 * @category torch
 * @since 0.2.0
 */
import { zeros } from '../creation'
import { int64, type TorchDType } from '../dtype'
import { parseArgs, type PyArgs } from '../kwargs'
import type { Tensor } from '../tensor'
import { lazyClass, lazyParam, lazySetup, type LazyMembers } from './lazy'
import type { Module } from './module'
import { BatchNorm1d, BatchNorm2d, BatchNorm3d, InstanceNorm1d, InstanceNorm2d, InstanceNorm3d } from './norm'
import type { Parameter } from './parameter'
import type { PyClass } from './pyclass'
import { UninitializedBuffer, type UninitializedParameter } from './uninitialized'

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

type LazyNormKw = {
  readonly eps?: number
  readonly momentum?: number | null
  readonly affine?: boolean
  readonly track_running_stats?: boolean
  readonly device?: string | null
  readonly dtype?: TorchDType | null
}
type LazyNormArgs = PyArgs<
  [
    eps: number,
    momentum: number | null,
    affine: boolean,
    track_running_stats: boolean,
    device: string | null,
    dtype: TorchDType | null,
  ],
  LazyNormKw
>
const NAMES = ['eps', 'momentum', 'affine', 'track_running_stats', 'device', 'dtype']

/** What a norm layer holds (PyTorch's `_NormBase` attributes). */
interface NormLike extends Module {
  readonly num_features: number
  readonly affine: boolean
  readonly track_running_stats: boolean
  weight: Parameter | null
  bias: Parameter | null
  running_mean: Tensor | null
  running_var: Tensor | null
  num_batches_tracked: Tensor | null
  reset_parameters(): void
}

/** The lazy members of a norm layer. */
interface LazyNorm extends LazyMembers {
  initialize_parameters(input: Tensor): void
}

/** The ordinary layer's keywords: no features, no affine or running statistics yet. */
const baseKwargs = (a: Record<string, unknown>): Record<string, unknown> => {
  const kw: Record<string, unknown> = { num_features: 0, affine: false, track_running_stats: false }
  for (const k of ['eps', 'momentum', 'dtype']) if (a[k] !== undefined) kw[k] = a[k]
  return kw
}

/** The uninitialised weight, bias and running statistics (PyTorch's `_LazyNormBase.__init__`). */
const setupNorm = (m: NormLike & LazyNorm, a: Record<string, unknown>): void => {
  const self = m as { affine: boolean; track_running_stats: boolean }
  self.affine = (a.affine as boolean | undefined) ?? true
  self.track_running_stats = (a.track_running_stats as boolean | undefined) ?? true
  if (m.affine) {
    m.weight = lazyParam(a)
    m.bias = lazyParam(a)
  }
  if (m.track_running_stats) {
    const dtype = (a.dtype as TorchDType | null | undefined) ?? null
    m.running_mean = new UninitializedBuffer({ dtype })
    m.running_var = new UninitializedBuffer({ dtype })
    m.num_batches_tracked = zeros([], { dtype: int64 })
  }
  lazySetup(m)
}

/** `_LazyNormBase.initialize_parameters`: `num_features` from axis 1, materialise, initialise. */
function initializeNorm(this: NormLike & LazyNorm, input: Tensor): void {
  if (!this.has_uninitialized_params()) return
  const c = input.shape[1] as number
  ;(this as { num_features: number }).num_features = c
  const lazy = [this.weight, this.bias, this.running_mean, this.running_var]
  for (const t of lazy) if (t !== null) (t as UninitializedParameter).materialize([c])
  this.reset_parameters()
}

/** The lazy class of norm layer `base`, printed `name`; it becomes `base` after the first forward. */
const lazyNorm = <B extends abstract new (...args: never) => Module>(
  base: B,
  name: string,
): PyClass<new (...args: LazyNormArgs) => InstanceType<B> & LazyNorm> => {
  const Base = base as unknown as new (kw: Record<string, unknown>) => NormLike
  class Lazy extends Base implements LazyNorm {
    declare readonly has_uninitialized_params: () => boolean
    declare readonly cls_to_become: LazyNorm['cls_to_become']
    constructor(...args: LazyNormArgs) {
      const a = parseArgs('_LazyNormBase.__init__', args, NAMES)
      super(baseKwargs(a))
      setupNorm(this, a)
    }
    override reset_parameters(): void {
      if (!this.has_uninitialized_params() && this.num_features !== 0) super.reset_parameters()
    }
    initialize_parameters(input: Tensor): void {
      initializeNorm.call(this, input)
    }
  }
  const cls = lazyClass(Lazy, name, base)
  return cls as unknown as PyClass<new (...args: LazyNormArgs) => InstanceType<B> & LazyNorm>
}

// -------------------------------------------------------------------------------------
// classes
// -------------------------------------------------------------------------------------

/**
 * `nn.BatchNorm1d` whose `num_features` is the size of axis 1 of its first input.
 * @example
 * import * as torch from 'wengert/torch'
 * const bn = torch.nn.LazyBatchNorm1d()
 * assert.strictEqual(String(bn.running_mean), '<UninitializedBuffer>')
 * bn(torch.tensor([[1, 10], [3, 30]]))
 * assert.ok(bn instanceof torch.nn.BatchNorm1d)
 * assert.ok(bn.running_mean?.allclose(torch.tensor([0.2, 2])))
 * @category torch @since 0.2.0
 */
export const LazyBatchNorm1d = lazyNorm(BatchNorm1d, 'LazyBatchNorm1d')
/** An `nn.LazyBatchNorm1d` instance. @category torch @since 0.2.0 */
export type LazyBatchNorm1d = InstanceType<typeof LazyBatchNorm1d>
/**
 * `nn.BatchNorm2d` whose `num_features` is the size of axis 1 of its first input.
 * @example
 * import * as torch from 'wengert/torch'
 * const bn = torch.nn.LazyBatchNorm2d({ momentum: 0.5 })
 * bn(torch.ones(2, 3, 2, 2))
 * assert.strictEqual(String(bn), 'BatchNorm2d(3, eps=1e-05, momentum=0.5, affine=True, track_running_stats=True)')
 * @category torch @since 0.2.0
 */
export const LazyBatchNorm2d = lazyNorm(BatchNorm2d, 'LazyBatchNorm2d')
/** An `nn.LazyBatchNorm2d` instance. @category torch @since 0.2.0 */
export type LazyBatchNorm2d = InstanceType<typeof LazyBatchNorm2d>
/**
 * `nn.BatchNorm3d` whose `num_features` is the size of axis 1 of its first input.
 * @example
 * import * as torch from 'wengert/torch'
 * const bn = torch.nn.LazyBatchNorm3d({ affine: false })
 * bn(torch.ones(2, 2, 2, 2, 2))
 * assert.strictEqual(bn.weight, null)
 * assert.strictEqual(String(bn.running_var?.shape), 'torch.Size([2])')
 * @category torch @since 0.2.0
 */
export const LazyBatchNorm3d = lazyNorm(BatchNorm3d, 'LazyBatchNorm3d')
/** An `nn.LazyBatchNorm3d` instance. @category torch @since 0.2.0 */
export type LazyBatchNorm3d = InstanceType<typeof LazyBatchNorm3d>
/**
 * `nn.InstanceNorm1d` whose `num_features` is the size of axis 1 of its first input (affine and
 * tracking running statistics by default, as PyTorch's lazy instance norms).
 * @example
 * import * as torch from 'wengert/torch'
 * const m = torch.nn.LazyInstanceNorm1d()
 * m(torch.randn(2, 3, 4))
 * assert.strictEqual(String(m), 'InstanceNorm1d(3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)')
 * @category torch @since 0.2.0
 */
export const LazyInstanceNorm1d = lazyNorm(InstanceNorm1d, 'LazyInstanceNorm1d')
/** An `nn.LazyInstanceNorm1d` instance. @category torch @since 0.2.0 */
export type LazyInstanceNorm1d = InstanceType<typeof LazyInstanceNorm1d>
/**
 * `nn.InstanceNorm2d` whose `num_features` is the size of axis 1 of its first input.
 * @example
 * import * as torch from 'wengert/torch'
 * const m = torch.nn.LazyInstanceNorm2d()
 * m(torch.randn(2, 3, 2, 2))
 * assert.strictEqual(String(m.weight?.shape), 'torch.Size([3])')
 * @category torch @since 0.2.0
 */
export const LazyInstanceNorm2d = lazyNorm(InstanceNorm2d, 'LazyInstanceNorm2d')
/** An `nn.LazyInstanceNorm2d` instance. @category torch @since 0.2.0 */
export type LazyInstanceNorm2d = InstanceType<typeof LazyInstanceNorm2d>
/**
 * `nn.InstanceNorm3d` whose `num_features` is the size of axis 1 of its first input.
 * @example
 * import * as torch from 'wengert/torch'
 * const m = torch.nn.LazyInstanceNorm3d()
 * m(torch.randn(1, 2, 2, 2, 2))
 * assert.ok(m instanceof torch.nn.InstanceNorm3d)
 * @category torch @since 0.2.0
 */
export const LazyInstanceNorm3d = lazyNorm(InstanceNorm3d, 'LazyInstanceNorm3d')
/** An `nn.LazyInstanceNorm3d` instance. @category torch @since 0.2.0 */
export type LazyInstanceNorm3d = InstanceType<typeof LazyInstanceNorm3d>
