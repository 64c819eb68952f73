/**
 * Python-style class objects: a class that can be called with or without `new`, so ported code
 * can write `nn.Linear(1, 3)` as in Python, and TypeScript code `new nn.Linear(1, 3)`. The result
 * is the class itself behind a Proxy that only adds a call trap (and an optional argument rewrite): `extends`, `instanceof`,
 * statics and the prototype are the class's own.
 *
 * @category torch
 * @since 0.1.0
 */

/** A class constructor. */
type Ctor = abstract new (...args: never) => object

/** A class that may also be called without `new` (same arguments, same instance). @category torch @since 0.1.0 */
export type PyClass<C extends Ctor> = C & ((...args: ConstructorParameters<C>) => InstanceType<C>)

/**
 * Runs one construction: receives the prepared arguments and `build`, which constructs from the
 * arguments it is given (a hook for state that must hold only while a constructor runs).
 * @category torch @since 0.2.0
 */
export type ConstructAround = (args: unknown[], build: (args: unknown[]) => object) => object

/**
 * Makes `cls` callable without `new`; `name` is the class's printed name (its `name` property).
 * `prepare` rewrites the arguments of every construction first (e.g. `leadingKeywords`, so that
 * `optim.SGD({ params, lr })` works as Python's `SGD(params=…, lr=…)`); `around` wraps each
 * construction (see {@link ConstructAround}).
 * @category torch @since 0.1.0
 */
export const pyClass = <C extends new (...args: never) => object>(
  cls: C,
  name: string,
  prepare: (args: ReadonlyArray<unknown>) => unknown[] = (args) => [...args],
  around: ConstructAround = (args, build) => build(args),
): PyClass<C> => {
  Object.defineProperty(cls, 'name', { value: name })
  const callable = new Proxy(cls, {
    apply: (target, _this, args: unknown[]) =>
      constructing(() => around(prepare(args), (a) => Reflect.construct(target, a))),
    construct: (target, args: unknown[], newTarget) =>
      constructing(() => around(prepare(args), (a) => Reflect.construct(target, a, newTarget) as object)),
  }) as PyClass<C>
  wrapped.set(callable, cls)
  return callable
}

/** Per running construction (innermost last): what to undo when it ends (see {@link atConstructionEnd}). */
const pending: Array<Array<() => void>> = []

/** Runs one construction, then its cleanups (latest first), however it ends. */
const constructing = <R>(build: () => R): R => {
  const mine: Array<() => void> = []
  pending.push(mine)
  try {
    return build()
  } finally {
    pending.pop()
    for (let i = mine.length - 1; i >= 0; i--) (mine[i] as () => void)()
  }
}

/**
 * Schedules `undo` for the end of the innermost running construction of a class made by
 * {@link pyClass} (state that must hold while one constructor runs: a module's `device='meta'`);
 * false, and nothing scheduled, outside any.
 * @category torch @since 0.3.0
 */
export const atConstructionEnd = (undo: () => void): boolean => {
  const top = pending[pending.length - 1]
  if (top === undefined) return false
  top.push(undo)
  return true
}

/** Each callable class made by {@link pyClass}, to the class behind it. */
const wrapped = new WeakMap<object, object>()

/**
 * The class behind a callable class (`pyClass`'s result), or `c` itself: instances' `constructor`
 * is the class behind, so tables keyed by class (e.g. `register_kl`) key by this.
 * @category torch @since 0.2.0
 */
export const classBehind = <T extends object>(c: T): T => (wrapped.get(c) as T | undefined) ?? c
