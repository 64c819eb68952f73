/**
 * A module's hook registration methods (`register_forward_hook`, `register_forward_pre_hook`,
 * `register_full_backward_hook`, `register_full_backward_pre_hook`, `register_backward_hook`):
 * their types, which `Module` gains by declaration merging, and their implementations, which
 * `./module.ts` installs on `Module.prototype`. How a call runs the hooks is `./moduleHooks.ts`.
 *
 * @category torch
 * @since 0.1.0
 */
import type { RemovableHandle } from '../autograd/node'
import { RuntimeError } from '../errors'
import { checkOptions } from '../../internal/options'
import type { ModuleBackwardHook, ModuleBackwardPreHook } from './backwardHook'
import type { Module } from './module'
import {
  addHook,
  alwaysCalledHooks,
  forwardHookFn,
  forwardPreHookFn,
  MIXED_BACKWARD_HOOKS,
  type ForwardHook,
  type ForwardHookWithKwargs,
  type ForwardPreHook,
  type ForwardPreHookWithKwargs,
} from './moduleHooks'

/** The hook registration methods of {@link Module}. */
export interface ModuleHookMethods {
  /**
   * Registers `hook(module, args, output)`, run after every call; a non-undefined result replaces
   * the output. With `with_kwargs` the hook is `hook(module, args, kwargs, output)` (kwargs: the
   * trailing options object, `{}` when none). With `always_call` the hook runs also when the call
   * raises (after `forward` or an earlier hook raised; `output` is then the result so far, `null` if
   * `forward` raised), an error of its own becoming a warning. Returns a removable handle.
   */
  register_forward_hook<M extends Module>(
    this: M,
    hook: ForwardHook<M>,
    opts?: { readonly prepend?: boolean; readonly with_kwargs?: false; readonly always_call?: boolean },
  ): RemovableHandle
  register_forward_hook<M extends Module>(
    this: M,
    hook: ForwardHookWithKwargs<M>,
    opts: { readonly prepend?: boolean; readonly with_kwargs: true; readonly always_call?: boolean },
  ): RemovableHandle

  /**
   * Registers `hook(module, args)`, run before every `forward` in a call; it may return new args
   * (an array, or a single value). With `with_kwargs`: `hook(module, args, kwargs)` returning
   * `undefined` or `[args, kwargs]`.
   */
  register_forward_pre_hook<M extends Module>(
    this: M,
    hook: ForwardPreHook<M>,
    opts?: { readonly prepend?: boolean; readonly with_kwargs?: false },
  ): RemovableHandle
  register_forward_pre_hook<M extends Module>(
    this: M,
    hook: ForwardPreHookWithKwargs<M>,
    opts: { readonly prepend?: boolean; readonly with_kwargs: true },
  ): RemovableHandle

  /**
   * Registers `hook(module, grad_input, grad_output)`, called in backward once the gradients with
   * respect to this call's positional tensor arguments are computed (`grad_input`: one entry per
   * argument, null for non-tensor ones; `grad_output`: one per output, null where no gradient
   * arrived). A returned array replaces `grad_input`. If no argument requires grad, the hook runs
   * when the outputs' gradients are known, with `grad_input` all null (and may not replace it).
   * The forward's arguments and outputs are views: in-place ops on them raise, as in PyTorch.
   *
   * @example
   * import * as torch from 'wengert/torch'
   * const lin = torch.nn.Linear(2, 1)
   * const seen: number[][] = []
   * lin.register_full_backward_hook((_m, grad_input, grad_output) => {
   *   seen.push([...grad_input[0]!.shape], [...grad_output[0]!.shape])
   *   return [grad_input[0]!.mul(0)]
   * })
   * const x = torch.ones(3, 2, { requires_grad: true })
   * lin(x).sum().backward()
   * assert.deepStrictEqual(seen, [[3, 2], [3, 1]])
   * // zeroed by the hook (−0 where the random weight is negative, as in PyTorch)
   * assert.ok(x.grad!.eq(0).all().item())
   */
  register_full_backward_hook<M extends Module>(
    this: M,
    hook: ModuleBackwardHook<M>,
    opts?: { readonly prepend?: boolean },
  ): RemovableHandle

  /**
   * Registers `hook(module, grad_output)`, called in backward when the gradients with respect to
   * this call's outputs are known, before the module's own backward; a returned array (one entry
   * per output) replaces `grad_output`.
   */
  register_full_backward_pre_hook<M extends Module>(
    this: M,
    hook: ModuleBackwardPreHook<M>,
    opts?: { readonly prepend?: boolean },
  ): RemovableHandle

  /**
   * Deprecated (use {@link Module.register_full_backward_hook}): `hook(module, grad_input,
   * grad_output)` on the node producing the output's first tensor, seeing that node's gradients;
   * PyTorch's warnings are emitted when those are not the module's.
   */
  register_backward_hook<M extends Module>(this: M, hook: ModuleBackwardHook<M>): RemovableHandle
}

type HookOpts = { readonly prepend?: boolean; readonly with_kwargs?: boolean; readonly always_call?: boolean }

/** The implementations, installed on `Module.prototype` by `./module.ts`. */
export const hookMethods = {
  register_forward_hook(this: Module, hook: ForwardHook | ForwardHookWithKwargs, opts: HookOpts = {}): RemovableHandle {
    checkOptions('register_forward_hook', opts, ['prepend', 'with_kwargs', 'always_call'])
    const inner = forwardHookFn(hook, opts.with_kwargs)
    const fn: ForwardHook = opts.always_call === true ? (m, args, out) => inner(m, args, out) : inner
    if (fn !== inner) alwaysCalledHooks.add(fn)
    return addHook(this._forward_hooks, fn, opts.prepend ?? false)
  },

  register_forward_pre_hook(
    this: Module,
    hook: ForwardPreHook | ForwardPreHookWithKwargs,
    opts: HookOpts = {},
  ): RemovableHandle {
    checkOptions('register_forward_pre_hook', opts, ['prepend', 'with_kwargs'])
    const fn = forwardPreHookFn(hook, opts.with_kwargs)
    return addHook(this._forward_pre_hooks, fn, opts.prepend ?? false)
  },

  register_full_backward_hook(
    this: Module,
    hook: ModuleBackwardHook<Module>,
    opts: { readonly prepend?: boolean } = {},
  ): RemovableHandle {
    checkOptions('register_full_backward_hook', opts, ['prepend'])
    if (this._is_full_backward_hook === false) throw new RuntimeError(MIXED_BACKWARD_HOOKS)
    this._is_full_backward_hook = true
    return addHook(this._backward_hooks, hook, opts.prepend ?? false)
  },

  register_full_backward_pre_hook(
    this: Module,
    hook: ModuleBackwardPreHook<Module>,
    opts: { readonly prepend?: boolean } = {},
  ): RemovableHandle {
    checkOptions('register_full_backward_pre_hook', opts, ['prepend'])
    return addHook(this._backward_pre_hooks, hook, opts.prepend ?? false)
  },

  register_backward_hook(this: Module, hook: ModuleBackwardHook<Module>): RemovableHandle {
    if (this._is_full_backward_hook === true) throw new RuntimeError(MIXED_BACKWARD_HOOKS)
    this._is_full_backward_hook = false
    return addHook(this._backward_hooks, hook, false)
  },
}
