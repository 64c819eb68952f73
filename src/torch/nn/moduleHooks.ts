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
import { warn } from '../warnings'
import {
  BackwardHook,
  setupNonFullHooks,
  warnNonTensorOutput,
  type ModuleBackwardHook,
  type ModuleBackwardPreHook,
} from './backwardHook'
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

/** A global forward hook and whether it runs also when the call raises (`always_call`). */
interface GlobalForwardHook {
  readonly hook: ForwardHook
  readonly always: boolean
}

/**
 * The global module hooks (`torch.nn.modules.module`'s): run for every module, before the
 * module's own hooks of the same kind.
 */
export const globalHooks = {
  forwardPre: [] as ForwardPreHook[],
  forward: [] as GlobalForwardHook[],
  backwardPre: [] as Array<ModuleBackwardPreHook<Module>>,
  backward: [] as Array<ModuleBackwardHook<Module>>,
  buffer: [] as Array<RegistrationHook<unknown>>,
  module: [] as Array<RegistrationHook<unknown>>,
  parameter: [] as Array<RegistrationHook<unknown>>,
}

/** A registration hook: `(module, name, value) => replacement value | undefined`. @category torch @since 0.4.0 */
export type RegistrationHook<V> = (module: Module, name: string, value: V) => V | undefined | null | void

/** Runs the global registration hooks of one kind: each non-null result replaces the value. */
export const runRegistrationHooks = <V>(kind: 'buffer' | 'module' | 'parameter', m: Module, name: string, v: V): V => {
  let value = v
  for (const hook of [...globalHooks[kind]] as Array<RegistrationHook<V>>) {
    const r = hook(m, name, value)
    if (r !== undefined && r !== null) value = r as V
  }
  return value
}

/** The forward pre-hooks of a call (global ones first), applied to its arguments. */
const runPreHooks = (m: Module, args: ReadonlyArray<unknown>): ReadonlyArray<unknown> => {
  let input = args
  for (const hook of [...globalHooks.forwardPre, ...m._forward_pre_hooks]) {
    const r = hook(m, input)
    if (r !== undefined) input = Array.isArray(r) ? r : [r]
  }
  return input
}

/** The backward hook state of a call: global full backward (pre-)hooks first, then the module's. */
const backwardHookOf = (m: Module): BackwardHook<Module> | null => {
  const own = m._is_full_backward_hook === true ? m._backward_hooks : []
  const full = [...globalHooks.backward, ...own]
  const pre = [...globalHooks.backwardPre, ...m._backward_pre_hooks]
  return full.length > 0 || pre.length > 0 ? new BackwardHook<Module>(m, full, pre) : null
}

/**
 * The forward hooks (as stored) registered with `always_call`: they run also when the call raises.
 * Registration wraps each in a fresh closure, so one function registered twice is two entries.
 */
export const alwaysCalledHooks = new WeakSet<ForwardHook>()

/** Whether a call of `m` has `always_call` forward hooks (global or its own) to run if it raises. */
const hasAlwaysCalled = (m: Module): boolean =>
  globalHooks.forward.some((h) => h.always) || m._forward_hooks.some((h) => alwaysCalledHooks.has(h))

/** Runs one `always_call` hook after a raise; its own error becomes a warning (`scope` names its kind). */
const runSilenced = (scope: string, run: () => unknown, result: unknown): unknown => {
  try {
    const r = run()
    return r !== undefined && r !== null ? r : result
  } catch (e) {
    warn(
      `${scope} with \`\`always_call=True\`\` raised an exception that was silenced as another error was raised in forward: ${String((e as Error).message ?? e)}`,
    )
    return result
  }
}

/**
 * After a call raised: the `always_call` forward hooks not yet run — global ones, then the
 * module's — see the call's result so far (`null` if `forward` itself raised); the call's own
 * error is the one raised.
 */
const runAlwaysCalled = (
  m: Module,
  input: ReadonlyArray<unknown>,
  called: ReadonlySet<unknown>,
  out: unknown,
): void => {
  let result = out
  for (const h of [...globalHooks.forward])
    if (h.always && !called.has(h))
      result = runSilenced('global module forward hook', () => h.hook(m, input, result), result)
  for (const hook of [...m._forward_hooks])
    if (alwaysCalledHooks.has(hook) && !called.has(hook))
      result = runSilenced('module forward hook', () => hook(m, input, result), result)
}

/** `Module._call_impl`: pre-hooks, backward-hook setup, `forward`, forward hooks (global ones first). */
export const callImpl = (m: Module, args: ReadonlyArray<unknown>): unknown => {
  const fwd = (m as { forward?: unknown }).forward
  if (typeof fwd !== 'function')
    throw new NotImplementedError(`Module [${m._get_name()}] is missing the required "forward" function`)
  let input = args
  let out: unknown = null
  const called = new Set<unknown>()
  try {
    input = runPreHooks(m, args)
    const bwHook = backwardHookOf(m)
    if (bwHook !== null) {
      // only positional arguments are hooked (a trailing kwargs object passes unchanged)
      const [pos, kw] = splitKwargs(input)
      const hooked = bwHook.setupInputHook(pos)
      input = input.length > pos.length ? [...hooked, kw] : hooked
    }
    out = (fwd as (...a: unknown[]) => unknown).apply(m, [...input])
    for (const h of [...globalHooks.forward]) {
      called.add(h)
      const r = h.hook(m, input, out)
      if (r !== undefined) out = r
    }
    for (const hook of [...m._forward_hooks]) {
      called.add(hook)
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
  } catch (e) {
    if (hasAlwaysCalled(m)) runAlwaysCalled(m, input, called, out)
    throw e
  }
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
