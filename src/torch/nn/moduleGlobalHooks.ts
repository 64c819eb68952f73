/**
 * PyTorch's global module hooks, `torch.nn.modules.module.register_module_*` (PyTorch 2.x):
 * hooks run for every module, before the module's own hooks of the same kind. Each returns a
 * `RemovableHandle`. The registration hooks run in `register_buffer`, `register_module` /
 * `add_module` and `register_parameter`; an assignment (`this.fc = …`) registers without them
 * (PyTorch runs them from `__setattr__`, which has no counterpart here).
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const seen: string[] = []
 * const h = torch.nn.modules.module.register_module_forward_pre_hook((m) => {
 *   seen.push(m.constructor.name)
 * })
 * torch.nn.Linear(2, 1)(torch.ones(1, 2))
 * h.remove()
 * torch.nn.Linear(2, 1)(torch.ones(1, 2))
 * assert.deepStrictEqual(seen, ['Linear'])
 * @category torch
 * @since 0.4.0
 */
import { RemovableHandle } from '../autograd/node'
import { checkOptions } from '../../internal/options'
import type { ModuleBackwardHook, ModuleBackwardPreHook } from './backwardHook'
import type { Module } from './module'
import { addHook, globalHooks, type ForwardHook, type ForwardPreHook, type RegistrationHook } from './moduleHooks'

/**
 * `hook(module, args)` before every module's `forward`, before the module's own pre-hooks; a
 * non-undefined result replaces the arguments (an array, or a single value).
 * @category torch @since 0.4.0
 */
export const register_module_forward_pre_hook = (hook: ForwardPreHook): RemovableHandle =>
  addHook(globalHooks.forwardPre, hook, false)

/**
 * `hook(module, args, output)` after every module's `forward`, before the module's own forward
 * hooks; a non-undefined result replaces the output. With `always_call` it runs also when the
 * call raises (output null), its own error then only a warning.
 * @category torch @since 0.4.0
 */
export const register_module_forward_hook = (
  hook: ForwardHook,
  opts: { readonly always_call?: boolean } = {},
): RemovableHandle => {
  checkOptions('register_module_forward_hook', opts, ['always_call'])
  return addHook(globalHooks.forward, { hook, always: opts.always_call ?? false }, false)
}

/**
 * `hook(module, grad_output)` in every module's backward, before the module's own backward
 * pre-hooks; a returned array replaces `grad_output`.
 * @category torch @since 0.4.0
 */
export const register_module_full_backward_pre_hook = (hook: ModuleBackwardPreHook<Module>): RemovableHandle =>
  addHook(globalHooks.backwardPre, hook, false)

/**
 * `hook(module, grad_input, grad_output)` in every module's backward, before the module's own
 * full backward hooks; a returned array replaces `grad_input`.
 * @category torch @since 0.4.0
 */
export const register_module_full_backward_hook = (hook: ModuleBackwardHook<Module>): RemovableHandle =>
  addHook(globalHooks.backward, hook, false)

/**
 * `hook(module, name, buffer)` in every `register_buffer`, before the buffer is stored; a
 * non-null result is stored instead.
 * @category torch @since 0.4.0
 */
export const register_module_buffer_registration_hook = (hook: RegistrationHook<unknown>): RemovableHandle =>
  addHook(globalHooks.buffer, hook, false)

/**
 * `hook(module, name, submodule)` in every `register_module` / `add_module`, before the submodule
 * is stored; a non-null result is stored instead.
 * @category torch @since 0.4.0
 */
export const register_module_module_registration_hook = (hook: RegistrationHook<unknown>): RemovableHandle =>
  addHook(globalHooks.module, hook, false)

/**
 * `hook(module, name, param)` in every `register_parameter`, before the parameter is stored; a
 * non-null result is stored instead.
 * @category torch @since 0.4.0
 */
export const register_module_parameter_registration_hook = (hook: RegistrationHook<unknown>): RemovableHandle =>
  addHook(globalHooks.parameter, hook, false)

/** The functions above as `torch.nn.modules.module`'s members. */
export const moduleHooks = {
  register_module_forward_pre_hook,
  register_module_forward_hook,
  register_module_full_backward_pre_hook,
  register_module_full_backward_hook,
  register_module_buffer_registration_hook,
  register_module_module_registration_hook,
  register_module_parameter_registration_hook,
} as const
