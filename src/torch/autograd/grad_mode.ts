/**
 * Grad mode: whether facade ops record the graph. PyTorch's context managers take a callback
 * here (`torch.no_grad(() => …)`) and restore the previous mode however the callback ends;
 * called without one they return the context object (`enter()`/`exit()`, or a decorator:
 * `torch.no_grad()(fn)`), and `set_grad_enabled(b)` also works as a plain switch.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.ones(2, { requires_grad: true })
 * const y = torch.no_grad(() => x.mul(2))
 * assert.strictEqual(y.requires_grad, false)
 * assert.strictEqual(torch.is_grad_enabled(), true)
 * const g = torch.no_grad() // with torch.no_grad(): …
 * g.enter()
 * try {
 *   assert.strictEqual(x.mul(2).requires_grad, false)
 * } finally {
 *   g.exit()
 * }
 * const double = torch.no_grad()((t: torch.Tensor) => t.mul(2)) // @torch.no_grad()
 * assert.strictEqual(double(x).requires_grad, false)
 * @category torch
 * @since 0.1.0
 */
import { TorchTypeError } from '../errors'

let enabled = true
let inference = false

/** True when ops record the graph (PyTorch's `torch.is_grad_enabled()`). @category torch @since 0.1.0 */
export const is_grad_enabled = (): boolean => enabled

/** True inside `inference_mode`. @category torch @since 0.1.0 */
export const is_inference_mode_enabled = (): boolean => inference

const withMode = <R>(mode: boolean, body: () => R, inf = inference): R => {
  const prev = enabled
  const prevInf = inference
  enabled = mode
  inference = inf
  try {
    return body()
  } finally {
    enabled = prev
    inference = prevInf
  }
}

/**
 * The object form of a grad-mode context manager (`torch.no_grad()`, `torch.enable_grad()`,
 * `torch.set_grad_enabled(mode)`, `torch.inference_mode()`): Python's `with` is
 * `const g = torch.no_grad(); g.enter(); try { … } finally { g.exit() }` (`__enter__`/`__exit__`
 * are the same), and calling it on a function is Python's decorator `@torch.no_grad()`: the
 * returned function runs in the mode.
 */
export interface GradModeContext {
  /** Decorates `fn` (Python's `@torch.no_grad()`): each call of the result runs in this mode. */
  <F extends (...args: never[]) => unknown>(fn: F): F
  /** Enters the mode, remembering the mode it found (Python's `__enter__`). */
  enter(): void
  /** Restores the mode `enter` found (Python's `__exit__`). */
  exit(): void
  /** Python's name of `enter`. */
  __enter__(): void
  /** Python's name of `exit` (exception arguments are accepted and ignored; exceptions propagate). */
  __exit__(...excInfo: unknown[]): void
}

/**
 * A context object switching grad mode to `mode` (and inference mode to `inf`, when given) on
 * enter. `switched`: the mode was already switched at creation (set_grad_enabled), from `prev`.
 */
const context = (mode: boolean, inf: boolean | undefined, switched?: readonly [boolean, boolean]): GradModeContext => {
  const saved: Array<readonly [boolean, boolean]> = switched === undefined ? [] : [switched]
  let pending = switched !== undefined
  const restore = (p: readonly [boolean, boolean]): void => {
    enabled = p[0]
    inference = p[1]
  }
  const decorate = <F extends (...args: never[]) => unknown>(fn: F): F => {
    // set_grad_enabled(mode) switched at creation; used as a decorator it switches back (PyTorch)
    if (pending) {
      pending = false
      restore(saved.pop() as readonly [boolean, boolean])
    }
    return function (this: unknown, ...args: unknown[]) {
      return withMode(mode, () => (fn as unknown as (...a: unknown[]) => unknown).apply(this, args), inf ?? inference)
    } as unknown as F
  }
  const enter = (): void => {
    // set_grad_enabled's mode is already on: its first enter only keeps it (PyTorch's __enter__)
    if (pending) {
      pending = false
      return
    }
    saved.push([enabled, inference])
    enabled = mode
    inference = inf ?? inference
  }
  const exit = (): void => {
    pending = false
    const p = saved.pop()
    if (p !== undefined) restore(p)
  }
  return Object.assign(decorate, { enter, exit, __enter__: enter, __exit__: (..._: unknown[]) => exit() })
}

/**
 * Runs `body` without recording (PyTorch: `with torch.no_grad():`); without a body, the context
 * object (`torch.no_grad().enter()`, decorator `torch.no_grad()(fn)`).
 * @category torch @since 0.1.0
 */
/** The body a grad-mode function runs, or a TypeError naming the mode (PyTorch's context managers take no positional argument). */
const requireBody = <R>(mode: string, body: unknown): (() => R) => {
  if (typeof body === 'function') return body as () => R
  throw new TorchTypeError(
    `${mode}(): expected a function to run or no argument (the context object), not ${body === null ? 'None' : typeof body}`,
  )
}

export function no_grad(): GradModeContext
export function no_grad<R>(body: () => R): R
export function no_grad<R>(body?: () => R): R | GradModeContext {
  return body === undefined ? context(false, undefined) : withMode(false, requireBody('no_grad', body))
}

/**
 * Runs `body` with recording on, e.g. inside `no_grad` (PyTorch: `with torch.enable_grad():`);
 * without a body, the context object.
 * @category torch @since 0.1.0
 */
export function enable_grad(): GradModeContext
export function enable_grad<R>(body: () => R): R
export function enable_grad<R>(body?: () => R): R | GradModeContext {
  return body === undefined ? context(true, undefined) : withMode(true, requireBody('enable_grad', body))
}

/**
 * Like `no_grad` (PyTorch's `inference_mode`; wengert does not mark inference tensors):
 * `inference_mode(() => …)`, or the context object `inference_mode()`. With mode false
 * (`inference_mode(() => …, false)`, `inference_mode(false)`) inference mode is off and grad
 * mode on inside, as PyTorch's `InferenceMode(false)`.
 * @category torch @since 0.1.0
 */
export function inference_mode(mode?: boolean): GradModeContext
export function inference_mode<R>(body: () => R, mode?: boolean): R
export function inference_mode<R>(body?: (() => R) | boolean, mode = true): R | GradModeContext {
  if (typeof body !== 'function') {
    const m = body ?? true
    return context(!m, m)
  }
  return withMode(!mode, body, mode)
}

/**
 * `set_grad_enabled(mode)` switches grad mode at once (as in PyTorch) and returns the context
 * object, whose `exit()` restores the previous mode; with a callback it is a context:
 * `set_grad_enabled(false, () => …)`.
 * @category torch @since 0.1.0
 */
export function set_grad_enabled(mode: boolean): GradModeContext
export function set_grad_enabled<R>(mode: boolean, body: () => R): R
export function set_grad_enabled<R>(mode: boolean, body?: () => R): R | GradModeContext {
  if (body === undefined) {
    const ctx = context(mode, undefined, [enabled, inference])
    enabled = mode
    return ctx
  }
  return withMode(mode, body)
}
