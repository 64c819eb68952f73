/**
 * Moving a module's parameters and buffers between the CPU and the meta device: `Module.to('meta')`,
 * `Module.to_empty({ device })` (storage of the parameters' shapes and dtypes on a device, with
 * unspecified contents: zeros here) and the error of `Module.to('cpu')` on a meta module.
 *
 * @category torch
 * @since 0.3.0
 */
import { no_grad } from '../autograd/grad_mode'
import { META, type device } from '../device'
import { NotImplementedError } from '../errors'
import { ERR_META_COPY } from '../meta'
import { toMeta } from '../metaOps'
import type { Tensor } from '../tensor'
import { empty } from '../creation'
import type { Parameter } from './parameter'
import { is_lazy } from './uninitialized'

/** What this file needs of a module (the one in `./module.ts`). */
export interface DeviceMovable {
  _own_parameters(): Array<[string, Parameter]>
  _own_buffers(): Array<[string, Tensor, boolean]>
  _attrs(): Record<string, unknown>
}

/** PyTorch 2.x's text for `Module.to(device)` of a module with meta tensors. */
export const ERR_MODULE_META_COPY = `${ERR_META_COPY} Please use torch.nn.Module.to_empty() instead of torch.nn.Module.to() when moving module from meta to a different device.`

/** Replaces every parameter's data and every buffer of `modules` by `conv` of it (grads too, as `Module.to`). */
export const replaceAll = (modules: Iterable<DeviceMovable>, conv: (t: Tensor) => Tensor): void => {
  for (const m of modules) {
    for (const [, p] of m._own_parameters()) {
      no_grad(() => {
        p.data = conv(p.data)
        const g = p._grad
        if (g !== null) g.data = conv(g)
      })
    }
    for (const [k, b] of m._own_buffers()) {
      if (is_lazy(b)) b.data = conv(b.data)
      else m._attrs()[k] = conv(b)
    }
  }
}

/**
 * `Module.to(device)`: to the meta device, every tensor becomes a meta tensor of its shape and
 * dtype; from the meta device to the CPU it raises PyTorch's NotImplementedError.
 */
export const moveModule = (modules: ReadonlyArray<DeviceMovable>, d: device): void => {
  const conv =
    d === META
      ? toMeta
      : (t: Tensor): Tensor => {
          if (t.is_meta) throw new NotImplementedError(ERR_MODULE_META_COPY)
          return t
        }
  replaceAll(modules, conv)
}

/**
 * `Module.to_empty(device=…)`: every parameter and buffer replaced by a tensor of its shape and
 * dtype on `d` (PyTorch: uninitialised memory; zeros here), Parameter objects kept.
 */
export const toEmpty = (modules: Iterable<DeviceMovable>, d: device): void =>
  replaceAll(modules, (t) => empty([...t.shape], { dtype: t.dtype, device: d }))
