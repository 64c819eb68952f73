/**
 * `torch.jit` for code that uses TorchScript as an optimisation, not as a file format: scripted
 * and traced functions and modules run as the eager code they came from (the same values and
 * gradients), the decorators (`ignore`, `unused`, `export`) return their function, and
 * `is_scripting()` / `is_tracing()` are false, so the eager branch of such code runs.
 *
 * What differs from PyTorch, by design: `trace` does not freeze control flow that depends on
 * tensor values (PyTorch's traced graph replays the branch taken on the example inputs and warns
 * about it; here every call takes the branch its inputs choose). TorchScript archives
 * (`torch.jit.save` / `torch.jit.load`) are not supported: save a `state_dict`, or export to ONNX.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const gelu = torch.jit.script((x: torch.Tensor) => x.mul(torch.sigmoid(x.mul(1.702))))
 * assert.strictEqual(torch.jit.is_scripting(), false)
 * const model = torch.jit.trace(torch.nn.Linear(2, 3), torch.ones(1, 2))
 * assert.deepStrictEqual([...model(torch.ones(4, 2)).shape], [4, 3])
 * assert.ok(gelu(torch.ones(2)).allclose(torch.tensor([0.8458, 0.8458]), { atol: 1e-4 }))
 * @category torch
 * @since 0.2.0
 */
import { RuntimeError, TorchTypeError } from './errors'
import { markNotSupported } from './notSupported'
import { Tensor } from './tensor'

type Fn = (...args: never[]) => unknown

const callable = (what: string, obj: unknown): void => {
  if (typeof obj !== 'function')
    throw new TorchTypeError(`torch.jit.${what}: expected a function or an nn.Module, got ${typeof obj}`)
}

/**
 * PyTorch's `torch.jit.script(obj)`: here `obj` itself (a function or a module), which computes
 * what the scripted version computes. Options (`optimize`, `example_inputs`) change nothing.
 * @category torch @since 0.2.0
 */
export const script = <T>(obj: T, ..._options: unknown[]): T => {
  callable('script', obj)
  return obj
}

/** Positional example inputs of `trace`: one tensor, or an array of arguments. @category torch @since 0.2.0 */
export type TraceExample = Tensor | ReadonlyArray<unknown>

const runExample = (fn: Fn, example: TraceExample): void => {
  const args = example instanceof Tensor ? [example] : [...example]
  ;(fn as (...a: unknown[]) => unknown)(...args)
}

/**
 * PyTorch's `torch.jit.trace(func, example_inputs)`: runs `func` once on the example inputs (so
 * an error surfaces where PyTorch's tracer would raise it) and returns `func`. Unlike PyTorch's
 * trace, branches on tensor values are not frozen (see the module doc).
 * @category torch @since 0.2.0
 */
export const trace = <T>(func: T, example_inputs: TraceExample, ..._options: unknown[]): T => {
  callable('trace', func)
  runExample(func as unknown as Fn, example_inputs)
  return func
}

/**
 * PyTorch's `torch.jit.trace_module(mod, inputs)`: runs each named method on its example inputs
 * and returns the module.
 * @category torch @since 0.2.0
 */
export const trace_module = <T extends object>(mod: T, inputs: Readonly<Record<string, TraceExample>>): T => {
  for (const [name, example] of Object.entries(inputs)) {
    const m = (mod as Record<string, unknown>)[name]
    if (typeof m !== 'function') throw new RuntimeError(`trace_module: the module has no method '${name}'`)
    runExample(m.bind(mod) as Fn, example)
  }
  return mod
}

/**
 * `@torch.jit.ignore` / `@torch.jit.ignore(drop=True)`: the function unchanged (nothing is
 * compiled, so nothing is left to Python).
 * @category torch @since 0.2.0
 */
export function ignore<F extends Fn>(fn: F): F
export function ignore(options?: { readonly drop?: boolean } | boolean): <F extends Fn>(fn: F) => F
export function ignore<F extends Fn>(
  arg?: F | { readonly drop?: boolean } | boolean,
): F | (<G extends Fn>(fn: G) => G) {
  return typeof arg === 'function' ? arg : <G extends Fn>(fn: G): G => fn
}

/** `@torch.jit.unused`: the function unchanged. @category torch @since 0.2.0 */
export const unused = <F extends Fn>(fn: F): F => fn

/** `@torch.jit.export`: the method unchanged. @category torch @since 0.2.0 */
export { unused as export }

/** False: code never runs under TorchScript here, so its eager branch is taken. @category torch @since 0.2.0 */
export const is_scripting = (): boolean => false

/** False: no tracer is recording (see {@link trace}). @category torch @since 0.2.0 */
export const is_tracing = (): boolean => false

/** `torch.jit.annotate(the_type, the_value)`: `the_value` (a type hint for the compiler). @category torch @since 0.2.0 */
export const annotate = <T>(_the_type: unknown, the_value: T): T => the_value

/** The handle `torch.jit.fork` returns: `wait()` gives the result. @category torch @since 0.2.0 */
export interface Future<T> {
  wait(): T
  done(): boolean
  value(): T
}

/**
 * `torch.jit.fork(fn, ...args)`: runs `fn(...args)` (at once, in this thread; PyTorch may run it
 * in parallel) and returns a future holding its result or its error.
 * @category torch @since 0.2.0
 */
export const fork = <A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Future<R> => {
  let result: { ok: true; value: R } | { ok: false; error: unknown }
  try {
    result = { ok: true, value: fn(...args) }
  } catch (error) {
    result = { ok: false, error }
  }
  const get = (): R => {
    if (!result.ok) throw result.error
    return result.value
  }
  return { wait: get, value: get, done: () => true }
}

/** `torch.jit.wait(future)`: the future's result (raising its error). @category torch @since 0.2.0 */
export const wait = <T>(future: Future<T>): T => future.wait()

const inEval = (what: string, mod: unknown): void => {
  if ((mod as { training?: unknown }).training === true)
    throw new RuntimeError(
      `${what}: Freezing is currently only implemented for modules in eval mode. Please call .eval() on your module before freezing.`,
    )
}

/** `torch.jit.freeze(mod)`: the module (which must be in eval mode, as PyTorch requires). @category torch @since 0.2.0 */
export const freeze = <T>(mod: T, ..._options: unknown[]): T => {
  inEval('freeze', mod)
  return mod
}

/** `torch.jit.optimize_for_inference(mod)`: the module, switched to eval mode if it is not. @category torch @since 0.2.0 */
export const optimize_for_inference = <T>(mod: T, ..._options: unknown[]): T => {
  const m = mod as { training?: unknown; eval?: () => unknown }
  if (m.training === true && typeof m.eval === 'function') m.eval()
  return mod
}

const noArchives = (what: string) =>
  markNotSupported((..._args: unknown[]): never => {
    throw new TorchTypeError(
      `torch.jit.${what}: TorchScript archives are not supported by wengert; save the state_dict with torch.save, or export the model with torch.onnx.export`,
    )
  })

/** Not supported: TorchScript archives (see the module doc). @category torch @since 0.2.0 */
export const save = noArchives('save')
/** Not supported: TorchScript archives (see the module doc). @category torch @since 0.2.0 */
export const load = noArchives('load')
