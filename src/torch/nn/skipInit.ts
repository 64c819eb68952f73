/**
 * `torch.nn.utils.skip_init`: a module built without running its parameter initialisation.
 *
 * @category torch
 * @since 0.3.0
 */
import type { device } from '../device'
import { RuntimeError, TorchTypeError } from '../errors'
import { isKwargs, metaInitCount } from '../kwargs'
import { Module } from './module'

/** PyTorch's error for a module class whose constructor takes no `device`. */
const ERR_NO_DEVICE = "Module must support a 'device' arg to skip initialization"

/**
 * PyTorch's `torch.nn.utils.skip_init(module_cls, *args, **kwargs)`: constructs `module_cls` on
 * the meta device (no data, no random numbers drawn), then gives its parameters and buffers
 * empty storage on `device` (default the CPU) with `to_empty`. The class's constructor must take
 * a `device` keyword, as PyTorch's `nn` modules do.
 * @example
 * import * as torch from 'wengert/torch'
 * const lin = torch.nn.utils.skip_init(torch.nn.Linear, 3, 4)
 * assert.deepStrictEqual([...lin.weight.shape], [4, 3])
 * assert.strictEqual(lin.weight.is_meta, false)
 * @category torch @since 0.3.0
 */
export const skip_init = <M extends Module>(module_cls: new (...args: never) => M, ...args: unknown[]): M => {
  if (typeof module_cls !== 'function') throw new TorchTypeError('issubclass() arg 1 must be a class')
  if (!(module_cls.prototype instanceof Module)) throw new RuntimeError(`Expected a Module; got ${String(module_cls)}`)
  const last = args[args.length - 1]
  const kw: Record<string, unknown> = isKwargs(last) ? { ...last } : {}
  const positional = isKwargs(last) ? args.slice(0, -1) : args
  const final = (kw.device ?? 'cpu') as string | device
  kw.device = 'meta'
  const before = metaInitCount()
  let m: M
  try {
    m = new module_cls(...([...positional, kw] as never))
  } catch (e) {
    if (e instanceof TorchTypeError && e.message.endsWith("unexpected keyword argument 'device'"))
      throw new RuntimeError(ERR_NO_DEVICE)
    throw e
  }
  // JavaScript cannot read a constructor's parameter names (PyTorch's check): a constructor that
  // took `device` passed it to a module constructor, or made meta tensors itself
  const tensors = [...m.parameters(), ...m.buffers()]
  const tookDevice = metaInitCount() > before || (tensors.length > 0 && tensors.every((t) => t.is_meta))
  if (!tookDevice || tensors.some((t) => !t.is_meta)) throw new RuntimeError(ERR_NO_DEVICE)
  return m.to_empty({ device: final })
}
