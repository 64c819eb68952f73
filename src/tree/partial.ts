/**
 * `tree.Partial` (JAX's `tree_util.Partial`): a partial application that is a pytree, so it can
 * be passed through `jit`, `vmap` and `grad` as an argument or result. Its bound arguments are
 * its children (their leaves are traced); the function itself is static (the tree's aux data).
 *
 * @category tree
 * @since 0.6.0
 */
import { ValueError } from '../ndarray/errors'
import { registerPytreeNode } from './registry'

/** The class of every {@link Partial} (a callable: its prototype chain ends in Function's). */
class PartialFunction extends Function {}

/**
 * A callable `func` with its first arguments bound, registered as a pytree node.
 * @category tree
 * @since 0.6.0
 */
export interface Partial<B extends readonly unknown[], R, F = (...args: never[]) => R> {
  (...rest: never[]): R
  /** The function applied (a bound `Partial` is unwrapped: its function and arguments are merged). */
  readonly func: F
  /** The bound leading arguments (the pytree children). */
  readonly args: B
}

const make = <B extends readonly unknown[], R>(
  func: (...args: never[]) => R,
  args: B,
): Partial<B, R, (...args: never[]) => R> => {
  const f = (...rest: unknown[]): R => (func as (...a: unknown[]) => R)(...args, ...rest)
  Object.setPrototypeOf(f, PartialFunction.prototype)
  Object.defineProperties(f, { func: { value: func, enumerable: true }, args: { value: args, enumerable: true } })
  return f as unknown as Partial<B, R, (...args: never[]) => R>
}

/**
 * `func` with `args` bound in front (JAX's `tree_util.Partial`). The bound arguments are the
 * pytree's children, so a `Partial` holding arrays can be an argument or a result of a transform.
 * Binding a `Partial` again merges into one (as JAX does).
 * @example
 * import { tree, array, jit, mul, type NdArray } from 'wengert'
 * const scale = tree.Partial((s: NdArray, x: NdArray) => mul(s, x), array(3))
 * assert.deepStrictEqual(scale(array([1, 2])).toArray(), [3, 6])
 * assert.strictEqual(tree.leaves(scale).length, 1)
 * const call = jit((p: typeof scale, x: NdArray) => p(x))
 * assert.deepStrictEqual(call(scale, array([2])).toArray(), [6])
 * @category tree
 * @since 0.6.0
 */
export const Partial = <A extends readonly unknown[], R>(
  func: (...args: [...A, ...never[]]) => R,
  ...args: A
): Partial<A, R, (...args: [...A, ...never[]]) => R> & ((...rest: unknown[]) => R) => {
  if (typeof func !== 'function')
    throw new ValueError(`tree.Partial: the function to bind must be callable, got ${typeof func}`)
  if (func instanceof PartialFunction) {
    const inner = func as unknown as Partial<readonly unknown[], R>
    return make(inner.func, [...inner.args, ...args]) as never
  }
  return make(func as unknown as (...a: never[]) => R, args) as never
}

registerPytreeNode(
  PartialFunction,
  (p) => {
    const q = p as unknown as Partial<readonly unknown[], unknown>
    return [[...q.args], q.func] as const
  },
  (func, children) => make(func, children) as unknown as PartialFunction,
)
