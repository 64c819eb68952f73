/**
 * Python context managers as the facade spells them: a function that, given a callback, runs it
 * inside the context and returns its result; called without one, the context object (`enter()` /
 * `exit()`, also `__enter__` / `__exit__`, and calling it on a function is the decorator form).
 * Shared by `parametrize.cached`, `autograd.graph.saved_tensors_hooks` and the like.
 *
 * @category torch
 * @since 0.2.0
 */
import { TorchTypeError } from './errors'

/**
 * A context object: `enter()` / `exit()` stand for Python's `with`; calling it on a function
 * returns a function that runs inside the context (the decorator form).
 * @category torch @since 0.2.0
 */
export interface ContextManager {
  /** Decorates `fn`: each call of the result runs inside the context. */
  <F extends (...args: never[]) => unknown>(fn: F): F
  /** Enters the context (Python's `__enter__`). */
  enter(): void
  /** Leaves the context (Python's `__exit__`). */
  exit(): void
  /** Python's name of `enter`. */
  __enter__(): void
  /** Python's name of `exit` (exception arguments are accepted and ignored; exceptions propagate). */
  __exit__(...excInfo: unknown[]): void
}

/** Runs `body` between `enter` and `exit`; `exit` runs however `body` ends. */
export const runInside = <R>(enter: () => void, exit: () => void, body: () => R): R => {
  enter()
  try {
    return body()
  } finally {
    exit()
  }
}

/**
 * A context object from its `enter` and `exit` (made fresh for each `with`: one object entered
 * twice nests, and each exit undoes the latest enter).
 */
export const contextManager = (enter: () => void, exit: () => void): ContextManager => {
  let depth = 0
  const decorate = <F extends (...args: never[]) => unknown>(fn: F): F => {
    if (typeof fn !== 'function') throw new TorchTypeError(`'${typeof fn}' object is not callable`)
    return function (this: unknown, ...args: unknown[]) {
      return runInside(enter, exit, () => (fn as unknown as (...a: unknown[]) => unknown).apply(this, args))
    } as unknown as F
  }
  const enterOnce = (): void => {
    enter()
    depth++
  }
  const exitOnce = (): void => {
    if (depth === 0) return
    depth--
    exit()
  }
  return Object.assign(decorate, {
    enter: enterOnce,
    exit: exitOnce,
    __enter__: enterOnce,
    __exit__: (..._: unknown[]) => exitOnce(),
  })
}
