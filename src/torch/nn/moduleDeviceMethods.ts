/**
 * A module's dtype and device methods (`to`, `cpu`, `to_empty`, `cuda`, `double`, `float`):
 * their types, which `Module` gains by declaration merging, and their implementations, which
 * `./module.ts` installs on `Module.prototype`. The moves themselves are `./moduleDevice.ts`.
 *
 * @category torch
 * @since 0.1.0
 */
import { cast } from '../../core/lax'
import { checkOptions } from '../../internal/options'
import { checkDevice, CPU, parseTo, targetDevice, type device, type ToArg } from '../device'
import { float32, float64 } from '../dtype'
import { TorchTypeError } from '../errors'
import { Tensor } from '../tensor'
import type { Module } from './module'
import { moveModule, replaceAll, toEmpty } from './moduleDevice'

/** The dtype and device methods of {@link Module}. */
export interface ModuleDeviceMethods {
  /**
   * Converts floating-point parameters and buffers to a dtype in place (`param.data` is
   * replaced, so the Parameter objects — and optimizers holding them — stay the same):
   * `to(torch.float64)`, `to({ dtype })`. Devices (`'cpu'`, `torch.device('cpu')`,
   * `{ device }`) must be the CPU or the meta device (see `moveModule`): CUDA raises PyTorch's
   * AssertionError.
   */
  to(...args: ReadonlyArray<ToArg>): this
  /** Itself on the CPU (a module with meta tensors raises: they have no data). */
  cpu(): this
  /**
   * PyTorch's `to_empty(*, device, recurse=True)`: every parameter and buffer replaced by one of
   * the same shape and dtype on `device`, contents unspecified (zeros here): how a model built on
   * the meta device gets storage before its weights are loaded or initialised.
   */
  to_empty(kw: { readonly device: string | device | null; readonly recurse?: boolean }): this
  /** Raises PyTorch's `AssertionError: Torch not compiled with CUDA enabled`. */
  cuda(_device?: number | string | device): this
  /** Casts floating-point parameters and buffers to float64. */
  double(): this
  /** Casts floating-point parameters and buffers to float32. */
  float(): this
}

/** The implementations, installed on `Module.prototype` by `./module.ts`. */
export const deviceMethods = {
  to(this: Module, ...args: ReadonlyArray<ToArg>): Module {
    const r = parseTo('Module.to', args)
    if (r.device !== undefined) moveModule([...this.modules()], r.device)
    const dtype = r.dtype
    if (dtype === undefined) return this
    if (!dtype.is_floating_point) {
      throw new TorchTypeError(
        `nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=${dtype}`,
      )
    }
    const d = dtype
    const conv = (t: Tensor): Tensor => (t.is_floating_point() ? Tensor._fromValue(cast(t._value(), d.storage)) : t)
    replaceAll(this.modules(), conv)
    return this
  },

  cpu(this: Module): Module {
    moveModule([...this.modules()], CPU)
    return this
  },

  to_empty(this: Module, kw: { readonly device: string | device | null; readonly recurse?: boolean }): Module {
    const o = checkOptions('to_empty', kw, ['device', 'recurse'])
    if (!('device' in o))
      throw new TorchTypeError("Module.to_empty() missing 1 required keyword-only argument: 'device'")
    const d = o.device === null || o.device === undefined ? CPU : targetDevice(o.device)
    toEmpty(o.recurse === false ? [this] : this.modules(), d)
    return this
  },

  cuda(this: Module, _device?: number | string | device): Module {
    checkDevice('cuda')
    return this
  },

  double(this: Module): Module {
    return this.to(float64)
  },

  float(this: Module): Module {
    return this.to(float32)
  },
}
