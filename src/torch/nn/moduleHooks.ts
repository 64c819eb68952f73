/**
 * Calling a module and its forward hooks: the hook types, how a call runs the forward pre-hooks,
 * `forward`, the forward hooks and the full backward hooks (`Module._call_impl`), and the
 * `with_kwargs` forms of the forward hooks. `./module.ts` holds the registration methods.
 *
 * @category torch
 * @since 0.1.0
 */
import { RemovableHandle } from '../autograd/node'
import { NotImplementedError, RuntimeError } from '../errors'
import { isKwargs } from '../kwargs'
import { BackwardHook, setupNonFullHooks, warnNonTensorOutput } from './backwardHook'
import type { Module } from './module'

/** A forward hook: `(module, args, output) => replacement output | undefined`. @category torch @since 0.1.0 */
export type ForwardHook<M extends Module = Module> = (
  module: M,
  args: ReadonlyArray<unknown>,
  output: unknown,
) => unknown

/** A forward pre-hook: `(module, args) => replacement args (array, or a single value) | undefined`. @category torch @since 0.1.0 */
export type ForwardPreHook<M extends Module = Module> = (module: M, args: ReadonlyArray<unknown>) => unknown

/** A forward hook registered `with_kwargs`: `(module, args, kwargs, output)`. @category torch @since 0.2.0 */
export type ForwardHookWithKwargs<M extends Module = Module> = (
  module: M,
  args: ReadonlyArray<unknown>,
  kwargs: Record<string, unknown>,
  output: unknown,
) => unknown

/** A forward pre-hook registered `with_kwargs`: returns `[args, kwargs]` or undefined. @category torch @since 0.2.0 */
export type ForwardPreHookWithKwargs<M extends Module = Module> = (
  module: M,
  args: ReadonlyArray<unknown>,
  kwargs: Record<string, unknown>,
) => readonly [ReadonlyArray<unknown>, Record<string, unknown>] | undefined | null

/** Splits a call's arguments into positional ones and the trailing keyword object. */
export const splitKwargs = (args: ReadonlyArray<unknown>): [unknown[], Record<string, unknown>] => {
  const last = args[args.length - 1]
  return args.length > 0 && isKwargs(last) ? [args.slice(0, -1), last] : [[...args], {}]
}

/** Adds a hook to a list (first with `prepend`) and returns its handle. */
export const addHook = (list: unknown[], hook: unknown, prepend: boolean): RemovableHandle => {
  if (prepend) list.unshift(hook)
  else list.push(hook)
  return new RemovableHandle(list, hook)
}

export const MIXED_BACKWARD_HOOKS =
  'Cannot use both regular backward hooks and full backward hooks on a single Module. Please use only one of them.'

/** `Module._call_impl`: pre-hooks, backward-hook setup, `forward`, forward hooks. */
export const callImpl = (m: Module, args: ReadonlyArray<unknown>): unknown => {
  const fwd = (m as { forward?: unknown }).forward
  if (typeof fwd !== 'function')
    throw new NotImplementedError(`Module [${m._get_name()}] is missing the required "forward" function`)
  let input = args
  for (const hook of [...m._forward_pre_hooks]) {
    const r = hook(m, input)
    if (r !== undefined) input = Array.isArray(r) ? r : [r]
  }
  const full = m._is_full_backward_hook === true ? [...m._backward_hooks] : []
  const pre = [...m._backward_pre_hooks]
  const bwHook = full.length > 0 || pre.length > 0 ? new BackwardHook<Module>(m, full, pre) : null
  if (bwHook !== null) {
    // only positional arguments are hooked (a trailing kwargs object passes unchanged)
    const [pos, kw] = splitKwargs(input)
    const hooked = bwHook.setupInputHook(pos)
    input = input.length > pos.length ? [...hooked, kw] : hooked
  }
  let out = (fwd as (...a: unknown[]) => unknown).apply(m, [...input])
  for (const hook of [...m._forward_hooks]) {
    const r = hook(m, input, out)
    if (r !== undefined) out = r
  }
  if (bwHook !== null) {
    warnNonTensorOutput(out)
    out = bwHook.setupOutputHook(out)
  }
  if (m._is_full_backward_hook === false && m._backward_hooks.length > 0)
    setupNonFullHooks<Module>(m, [...m._backward_hooks], splitKwargs(input)[0], out)
  return out
}

/** A forward hook as stored: a `with_kwargs` one gets the trailing options object split off. */
export const forwardHookFn = <M extends Module>(
  hook: ForwardHook<M> | ForwardHookWithKwargs<M>,
  withKwargs: boolean | undefined,
): ForwardHook<M> =>
  withKwargs
    ? (m, args, out) => {
        const [pos, kw] = splitKwargs(args)
        return (hook as ForwardHookWithKwargs<M>)(m, pos, kw, out)
      }
    : (hook as ForwardHook<M>)

/** A forward pre-hook as stored: a `with_kwargs` one returns `[args, kwargs]`, joined back into one list. */
export const forwardPreHookFn = <M extends Module>(
  hook: ForwardPreHook<M> | ForwardPreHookWithKwargs<M>,
  withKwargs: boolean | undefined,
): ForwardPreHook<M> =>
  withKwargs
    ? (m, args) => {
        const [pos, kw] = splitKwargs(args)
        const r = (hook as ForwardPreHookWithKwargs<M>)(m, pos, kw)
        if (r === undefined || r === null) return undefined
        if (!Array.isArray(r) || r.length !== 2 || !Array.isArray(r[0]))
          throw new RuntimeError(
            `forward pre-hook must return None or a tuple of (new_args, new_kwargs), but got ${String(r)}.`,
          )
        const [a, k] = r as [unknown[], Record<string, unknown>]
        return Object.keys(k).length > 0 ? [...a, k] : [...a]
      }
    : (hook as ForwardPreHook<M>)
