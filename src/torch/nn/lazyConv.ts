/**
 * Lazy convolutions: `LazyConv1d/2d/3d`, `LazyConvTranspose1d/2d/3d` (PyTorch's
 * `_LazyConvXdMixin`): `in_channels` is the channel size of the first input (axis 1 batched,
 * axis 0 unbatched); the module then becomes the ordinary convolution.
 *
 * @category torch
 * @since 0.2.0
 */
import { RuntimeError, TorchValueError } from '../errors'
import type { TorchDType } from '../dtype'
import { parseArgs, type PyArgs } from '../kwargs'
import type { Tensor } from '../tensor'
import { Conv1d, Conv2d, Conv3d, type ConvBase, type ConvOptions, type PaddingMode } from './convLayers'
import { ConvTranspose1d, ConvTranspose2d, ConvTranspose3d, type ConvTransposeOptions } from './convTransposeLayers'
import type { IntOrTuple } from './convUtils'
import { required } from './layers'
import { lazyClass, lazyParam, lazySetup, type LazyMembers } from './lazy'
import type { PyClass } from './pyclass'
import type { Parameter } from './parameter'
import type { UninitializedParameter } from './uninitialized'

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

type Fac = [device: string | null, dtype: TorchDType | null]
type LazyConvArgs = PyArgs<
  [
    out_channels: number,
    kernel_size: IntOrTuple,
    stride: IntOrTuple,
    padding: IntOrTuple | 'same' | 'valid',
    dilation: IntOrTuple,
    groups: number,
    bias: boolean,
    padding_mode: PaddingMode,
    ...Fac,
  ],
  Omit<ConvOptions, 'in_channels'>
>
type LazyConvTransposeArgs = PyArgs<
  [
    out_channels: number,
    kernel_size: IntOrTuple,
    stride: IntOrTuple,
    padding: IntOrTuple,
    output_padding: IntOrTuple,
    groups: number,
    bias: boolean,
    dilation: IntOrTuple,
    padding_mode: PaddingMode,
    ...Fac,
  ],
  Omit<ConvTransposeOptions, 'in_channels'>
>

const CONV = ['out_channels', 'kernel_size', 'stride', 'padding', 'dilation', 'groups', 'bias', 'padding_mode']
const CONVT = ['out_channels', 'kernel_size', 'stride', 'padding', 'output_padding', 'groups', 'bias', 'dilation']
const NAMES = { conv: [...CONV, 'device', 'dtype'], convT: [...CONVT, 'padding_mode', 'device', 'dtype'] }

/**
 * The ordinary layer's keywords for a lazy one's arguments: no input or output channels yet and
 * no bias (nothing is allocated or drawn from the RNG before the first forward).
 */
const baseKwargs = (cls: string, args: ReadonlyArray<unknown>, transposed: boolean): Record<string, unknown> => {
  const a = parseArgs(`${cls}.__init__`, args, transposed ? NAMES.convT : NAMES.conv)
  required(`${cls}.__init__`, a, ['out_channels', 'kernel_size'])
  const kw: Record<string, unknown> = { in_channels: 0, out_channels: 0 }
  for (const [k, v] of Object.entries(a)) if (v !== undefined && k !== 'out_channels') kw[k] = v
  kw.bias = false
  return kw
}

/** A lazy convolution: its arguments, then its uninitialised weight (and bias). */
const setupConv = (m: ConvBase & LazyConv, cls: string, args: ReadonlyArray<unknown>, transposed: boolean): void => {
  const a = parseArgs(`${cls}.__init__`, args, transposed ? NAMES.convT : NAMES.conv)
  const self = m as unknown as { out_channels: number; weight: Parameter; bias: Parameter | null }
  self.weight = lazyParam(a)
  self.out_channels = a.out_channels as number
  if ((a.bias as boolean | undefined) ?? true) self.bias = lazyParam(a)
  lazySetup(m)
}

/** The lazy members of a convolution (PyTorch's `_LazyConvXdMixin`). */
interface LazyConv extends LazyMembers {
  initialize_parameters(input: Tensor): void
}

/** `_LazyConvXdMixin.initialize_parameters`: channels from the input, weight/bias shapes, initialisation. */
function initializeConv(this: ConvBase & LazyConv, input: Tensor): void {
  if (!this.has_uninitialized_params()) return
  const nsp = this.kernel_size.length
  if (input.dim() !== nsp + 1 && input.dim() !== nsp + 2) {
    throw new RuntimeError(
      `Expected ${nsp + 1}D (unbatched) or ${nsp + 2}D (batched) input to ${this._get_name()}, but got input of size: ${String(input.shape)}`,
    )
  }
  const c = input.shape[input.dim() === nsp + 2 ? 1 : 0] as number
  ;(this as { in_channels: number }).in_channels = c
  if (c % this.groups !== 0) throw new TorchValueError('in_channels must be divisible by groups')
  const [o, i] = this.transposed ? [c, this.out_channels] : [this.out_channels, c]
  ;(this.weight as UninitializedParameter).materialize([o, i / this.groups, ...this.kernel_size])
  if (this.bias !== null) (this.bias as UninitializedParameter).materialize([this.out_channels])
  this.reset_parameters()
}

/**
 * The lazy class of convolution `base` (`transposed`: a ConvTranspose), printed `name`, with
 * constructor arguments `A`; it becomes `base` after the first forward.
 */
const lazyConv = <B extends abstract new (...args: never) => ConvBase, A extends ReadonlyArray<unknown>>(
  base: B,
  name: string,
  transposed: boolean,
): PyClass<new (...args: A) => InstanceType<B> & LazyConv> => {
  const Base = base as unknown as new (kw: Record<string, unknown>) => ConvBase
  class Lazy extends Base implements LazyConv {
    declare readonly has_uninitialized_params: () => boolean
    declare readonly cls_to_become: LazyConv['cls_to_become']
    constructor(...args: A) {
      super(baseKwargs(name, args, transposed))
      setupConv(this, name, args, transposed)
    }
    override reset_parameters(): void {
      if (!this.has_uninitialized_params() && this.in_channels !== 0) super.reset_parameters()
    }
    initialize_parameters(input: Tensor): void {
      initializeConv.call(this, input)
    }
  }
  const cls = lazyClass(Lazy as unknown as new (...args: A) => ConvBase & LazyConv, name, base)
  return cls as unknown as PyClass<new (...args: A) => InstanceType<B> & LazyConv>
}

// -------------------------------------------------------------------------------------
// classes
// -------------------------------------------------------------------------------------

/**
 * `nn.Conv1d` whose `in_channels` comes from its first input; it is an `nn.Conv1d` afterwards.
 * @example
 * import * as torch from 'wengert/torch'
 * const m = torch.nn.LazyConv1d(4, 3)
 * assert.strictEqual(String(m(torch.ones(2, 5, 7)).shape), 'torch.Size([2, 4, 5])')
 * assert.strictEqual(String(m), 'Conv1d(5, 4, kernel_size=(3,), stride=(1,))')
 * @category torch @since 0.2.0
 */
export const LazyConv1d = lazyConv<typeof Conv1d, LazyConvArgs>(Conv1d, 'LazyConv1d', false)
/** An `nn.LazyConv1d` instance. @category torch @since 0.2.0 */
export type LazyConv1d = InstanceType<typeof LazyConv1d>

/**
 * `nn.Conv2d` whose `in_channels` comes from its first input; it is an `nn.Conv2d` afterwards.
 * @example
 * import * as torch from 'wengert/torch'
 * const m = torch.nn.LazyConv2d(8, 3, { padding: 1 })
 * m(torch.ones(1, 3, 5, 5))
 * assert.ok(m instanceof torch.nn.Conv2d)
 * assert.strictEqual(String(m.weight.shape), 'torch.Size([8, 3, 3, 3])')
 * @category torch @since 0.2.0
 */
export const LazyConv2d = lazyConv<typeof Conv2d, LazyConvArgs>(Conv2d, 'LazyConv2d', false)
/** An `nn.LazyConv2d` instance. @category torch @since 0.2.0 */
export type LazyConv2d = InstanceType<typeof LazyConv2d>

/**
 * `nn.Conv3d` whose `in_channels` comes from its first input; it is an `nn.Conv3d` afterwards.
 * @example
 * import * as torch from 'wengert/torch'
 * const m = torch.nn.LazyConv3d(2, 2, { bias: false })
 * m(torch.ones(1, 3, 2, 2, 2))
 * assert.strictEqual(String(m), 'Conv3d(3, 2, kernel_size=(2, 2, 2), stride=(1, 1, 1), bias=False)')
 * @category torch @since 0.2.0
 */
export const LazyConv3d = lazyConv<typeof Conv3d, LazyConvArgs>(Conv3d, 'LazyConv3d', false)
/** An `nn.LazyConv3d` instance. @category torch @since 0.2.0 */
export type LazyConv3d = InstanceType<typeof LazyConv3d>

/**
 * `nn.ConvTranspose1d` whose `in_channels` comes from its first input.
 * @example
 * import * as torch from 'wengert/torch'
 * const m = torch.nn.LazyConvTranspose1d(3, 2)
 * assert.strictEqual(String(m(torch.ones(2, 4, 3)).shape), 'torch.Size([2, 3, 4])')
 * assert.ok(m instanceof torch.nn.ConvTranspose1d)
 * @category torch @since 0.2.0
 */
export const LazyConvTranspose1d = lazyConv<typeof ConvTranspose1d, LazyConvTransposeArgs>(
  ConvTranspose1d,
  'LazyConvTranspose1d',
  true,
)
/** An `nn.LazyConvTranspose1d` instance. @category torch @since 0.2.0 */
export type LazyConvTranspose1d = InstanceType<typeof LazyConvTranspose1d>

/**
 * `nn.ConvTranspose2d` whose `in_channels` comes from its first input.
 * @example
 * import * as torch from 'wengert/torch'
 * const m = torch.nn.LazyConvTranspose2d(2, 3, { stride: 2 })
 * m(torch.ones(3, 3, 3))
 * assert.strictEqual(String(m.weight.shape), 'torch.Size([3, 2, 3, 3])')
 * @category torch @since 0.2.0
 */
export const LazyConvTranspose2d = lazyConv<typeof ConvTranspose2d, LazyConvTransposeArgs>(
  ConvTranspose2d,
  'LazyConvTranspose2d',
  true,
)
/** An `nn.LazyConvTranspose2d` instance. @category torch @since 0.2.0 */
export type LazyConvTranspose2d = InstanceType<typeof LazyConvTranspose2d>

/**
 * `nn.ConvTranspose3d` whose `in_channels` comes from its first input.
 * @example
 * import * as torch from 'wengert/torch'
 * const m = torch.nn.LazyConvTranspose3d(2, 2)
 * assert.strictEqual(String(m(torch.ones(1, 1, 2, 2, 2)).shape), 'torch.Size([1, 2, 3, 3, 3])')
 * @category torch @since 0.2.0
 */
export const LazyConvTranspose3d = lazyConv<typeof ConvTranspose3d, LazyConvTransposeArgs>(
  ConvTranspose3d,
  'LazyConvTranspose3d',
  true,
)
/** An `nn.LazyConvTranspose3d` instance. @category torch @since 0.2.0 */
export type LazyConvTranspose3d = InstanceType<typeof LazyConvTranspose3d>
