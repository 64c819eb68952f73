/**
 * `Tensor.cfloat()`, `Tensor.cdouble()` and `Tensor.chalf()`: `to(torch.complex64)`,
 * `to(torch.complex128)`, and a typed refusal for complex32 (wengert has no half-precision
 * complex dtype). `memory_format` sets the strides of a converted copy (seen through
 * `view_as_real`): `torch.preserve_format` (the default) keeps a dense input's strides,
 * `torch.contiguous_format` is row-major, `torch.channels_last`/`channels_last_3d` are
 * channels-last (for rank-4/5 inputs, else PyTorch's RuntimeError); a tensor already of the
 * target dtype is returned as is, whatever the format (as PyTorch's `to`).
 *
 * @category torch
 * @since 0.7.0
 */
import { Tensor } from '../tensor'
import { NotImplementedError, RuntimeError, TorchTypeError } from '../errors'
import { pyTypeName } from '../pyType'
import {
  channels_last,
  channels_last_3d,
  contiguous_format,
  copyStrides,
  memory_format,
  preserve_format,
} from '../memoryFormat'
import type { TorchDType } from '../dtype'
import { complex128, complex64 } from '../dtypeUnsupported'
import { defineKindMethods } from '../tensorKindMethods'
import { ComplexTensor } from './tensor'
import { preservedStrides } from '../autograd/iterLayout'

/** The keywords of the complex casts. @category torch @since 0.7.0 */
export interface ComplexCastKw {
  /** The strides of the converted copy. @defaultValue torch.preserve_format */
  readonly memory_format?: memory_format
}

declare module '../tensor.js' {
  interface Tensor {
    /** `to(torch.complex64)`. */
    cfloat(kw?: ComplexCastKw): Tensor
    /** `to(torch.complex128)`. */
    cdouble(kw?: ComplexCastKw): Tensor
    /** complex32 is not modelled: raises NotImplementedError. */
    chalf(kw?: ComplexCastKw): Tensor
  }
}

/** Channels-last strides of `shape` (rank 4, or rank 5 for the 3-D format): the channel axis innermost. */
const channelsLastStrides = (shape: ReadonlyArray<number>): number[] => {
  const c = shape[1] as number
  const out = new Array<number>(shape.length).fill(0)
  out[1] = 1
  let step = c
  for (let i = shape.length - 1; i >= 2; i--) {
    out[i] = step
    step *= shape[i] as number
  }
  out[0] = step
  return out
}

/**
 * `preserve_format` strides of a complex tensor's copy: those of its (real, imaginary) pairs —
 * its real tensor's strides without the last dimension, in complex elements.
 */
const complexPreservedStrides = (self: ComplexTensor): number[] | null => {
  const st = self._ri._strides
  return preservedStrides({ shape: [...self.shape], strides: st.slice(0, -1).map((v) => v / 2) })
}

/** The dense strides the converted copy of `self` takes in format `f` (null: row-major). */
const formatStrides = (name: string, self: Tensor, f: unknown): number[] | null => {
  if (f === undefined || f === preserve_format)
    return self instanceof ComplexTensor ? complexPreservedStrides(self) : copyStrides(self, preserve_format)
  if (!(f instanceof memory_format))
    throw new TorchTypeError(`${name}(): argument 'memory_format' must be torch.memory_format, not ${pyTypeName(f)}`)
  if (f === contiguous_format) return null
  const rank = f === channels_last ? 4 : 5
  if (f !== channels_last && f !== channels_last_3d) return null
  if (self.dim() !== rank) throw new RuntimeError(`required rank ${rank} tensor to use ${f.name} format`)
  return channelsLastStrides(self.shape)
}

/** `self.to(dt)` with the strides of `kw.memory_format` on a converted copy. */
const castTo = (name: string, self: Tensor, dt: TorchDType, kw: ComplexCastKw | undefined): Tensor => {
  const extra = Object.keys(kw ?? {}).find((k) => k !== 'memory_format')
  if (extra !== undefined) throw new TorchTypeError(`${name}() got an unexpected keyword argument '${extra}'`)
  const strides = formatStrides(name, self, kw?.memory_format)
  const out = self.to(dt)
  if (out !== self && strides !== null && out instanceof ComplexTensor)
    out._ri._strides = [...strides.map((v) => 2 * v), 1]
  return out
}

const casts = {
  cfloat(this: Tensor, kw?: ComplexCastKw): Tensor {
    return castTo('cfloat', this, complex64, kw)
  },
  cdouble(this: Tensor, kw?: ComplexCastKw): Tensor {
    return castTo('cdouble', this, complex128, kw)
  },
  chalf(this: Tensor): Tensor {
    throw new NotImplementedError(
      'chalf: complex32 (torch.chalf / torch.complex32) is not supported in wengert (complex64 and complex128 are)',
    )
  },
}

/** Installs the casts on real and complex tensors. @internal */
export const installComplexCasts = (): void => {
  defineKindMethods(Tensor.prototype, casts)
  defineKindMethods(ComplexTensor.prototype, casts)
}
