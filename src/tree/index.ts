/**
 * Pytrees: nested arrays, tuples, plain objects and instances of registered classes
 * (`registerPytreeNode`, `registerDataclass`, …) whose leaves are arrays or numbers. Transforms
 * flatten arguments and results to lists of leaves and rebuild them.
 *
 * @example
 * import { tree, array } from 'wengert'
 * const [leaves, def] = tree.flatten({ w: array([1, 2]), b: [3, 4] })
 * assert.strictEqual(leaves.length, 3)
 * const back = tree.unflatten(def, leaves) as { b: number[] }
 * assert.deepStrictEqual(back.b, [3, 4])
 * @category tree
 * @since 0.1.0
 */
import { ValueError } from '../ndarray/errors'
import { flatten, unflatten, type IsLeaf, type TreeDef } from './treedef'
import { flattenUpTo } from './prefix'
import { keyPaths } from './paths'
import type { KeyPath } from './keys'
import type { NdArray } from '../ndarray/NdArray'

export * from './treedef'
export * from './keys'
export {
  registerDataclass,
  registerPytreeNode,
  registerPytreeWithKeys,
  registerStatic,
  type Constructor,
  type NodeType,
} from './registry'
export * from './paths'

/** The leaves of a pytree, in `flatten`'s order (`isLeaf` as in `flatten`). */
export const leaves = <T>(t: T, isLeaf?: IsLeaf): Array<Leaf<T>> => flatten(t, isLeaf)[0] as Array<Leaf<T>>

/**
 * Folds the leaves left to right (JAX's `tree.reduce`): `f(f(initial, l0), l1)…`; without
 * `initial` the first leaf starts (an empty tree then raises).
 * @example
 * import { tree } from 'wengert'
 * assert.strictEqual(tree.reduce((a: number, b: number) => a + b, { x: 1, y: [2, 3] }), 6)
 * assert.strictEqual(tree.reduce((a: number, b: number) => a + b, [], 10), 10)
 * @category tree @since 0.2.0
 */
export const reduce = <T, A>(f: (acc: A, leaf: Leaf<T>) => A, t: T, ...initial: [] | [A]): A => {
  const ls = leaves(t)
  if (initial.length === 0) {
    if (ls.length === 0) throw new ValueError('tree.reduce: an empty tree and no initial value')
    return (ls.slice(1) as Array<Leaf<T>>).reduce(f, ls[0] as unknown as A)
  }
  return ls.reduce(f, initial[0] as A)
}

/**
 * True when every leaf is truthy (JAX's `tree.all`); an array leaf counts by its values.
 * @example
 * import { tree, array } from 'wengert'
 * assert.strictEqual(tree.all({ a: true, b: [1, array([1, 2])] }), true)
 * assert.strictEqual(tree.all([true, array([1, 0])]), false)
 * @category tree @since 0.2.0
 */
export const all = (t: unknown): boolean =>
  leaves(t).every((l) =>
    isNdArrayLeaf(l) ? Array.from(l._values('tree.all') as ArrayLike<number>).every((v) => v !== 0) : Boolean(l),
  )

const isNdArrayLeaf = (l: unknown): l is NdArray =>
  typeof l === 'object' && l !== null && '_values' in l && typeof (l as NdArray)._values === 'function'

/** The values a pytree of type `T` holds as leaves (not arrays, plain objects, null or undefined). */
export type Leaf<T> = T extends null | undefined
  ? never
  : T extends readonly (infer E)[]
    ? Leaf<E>
    : T extends NdArray | number | boolean | string | bigint | symbol | ((...args: never[]) => unknown)
      ? T
      : T extends object
        ? Leaf<T[keyof T]>
        : T

/** The type of `tree.map(f, t)` when `f` returns `R`: `T` with every leaf replaced by `R`. */
export type MapLeaves<T, R> = T extends null | undefined
  ? T
  : T extends NdArray | number | boolean | string | bigint | symbol | ((...args: never[]) => unknown)
    ? R
    : T extends readonly unknown[]
      ? { -readonly [K in keyof T]: MapLeaves<T[K], R> }
      : T extends object
        ? { -readonly [K in keyof T]: MapLeaves<T[K], R> }
        : R

/**
 * The other trees' subtrees at `def`'s leaves (JAX: the other trees need only have the first
 * tree's structure as a prefix; `op` names the caller).
 */
const leavesLike = (op: string, def: TreeDef, trees: ReadonlyArray<unknown>): unknown[][] =>
  trees.map((r) => flattenUpTo(op, def, r))

/**
 * Options of {@link map} and {@link mapWithPath}, given as a trailing argument (JAX's keyword
 * `is_leaf`).
 * @category tree
 * @since 0.7.0
 */
export interface MapOptions {
  /** Asked of every subtree of the first tree: true makes it a leaf that `f` receives whole. */
  readonly isLeaf?: IsLeaf
}

/**
 * `rest` without a trailing `{ isLeaf }` options object, and that option. A trailing plain
 * object whose only key is `isLeaf`, holding a function or undefined, is the options object.
 */
const splitMapOptions = (op: string, rest: ReadonlyArray<unknown>): [ReadonlyArray<unknown>, IsLeaf | undefined] => {
  const last = rest[rest.length - 1]
  if (last === null || typeof last !== 'object' || Object.getPrototypeOf(last) !== Object.prototype)
    return [rest, undefined]
  const keys = Object.keys(last)
  if (keys.length !== 1 || keys[0] !== 'isLeaf') return [rest, undefined]
  const isLeaf = (last as MapOptions).isLeaf
  if (isLeaf !== undefined && typeof isLeaf !== 'function')
    throw new ValueError(`${op}: isLeaf must be a function or undefined, got ${typeof isLeaf}`)
  return [rest.slice(0, -1), isLeaf]
}

/**
 * Applies `f` to every leaf of the first tree, with the matching parts of the others; the result
 * has the first tree's structure. As in JAX, the other trees need only have the first tree's
 * structure as a prefix: where the first tree has a leaf, `f` receives their whole subtree. A
 * trailing `{ isLeaf }` (JAX's `is_leaf`) decides which subtrees of the first tree are leaves.
 *
 * @example
 * import { tree, array } from 'wengert'
 * const params = { w: array([1, 2]), b: 3 }
 * const doubled = tree.map((x) => (typeof x === 'number' ? 2 * x : x.mul(2)), params)
 * assert.strictEqual(doubled.b, 6)
 * assert.deepStrictEqual(tree.map((x, y) => [x, y], [1, 2], [3, 4]), [[1, 3], [2, 4]])
 * // JAX's example: the second tree has the first as a prefix
 * assert.deepStrictEqual(tree.map((x: number, y: number[]) => [x, ...y], [5, 6], [[7, 9], [1, 2]]), [[5, 7, 9], [6, 1, 2]])
 * // JAX's is_leaf, as a trailing { isLeaf }: null is a leaf here instead of an empty node
 * assert.deepStrictEqual(tree.map((x: unknown) => x === null, [1, null], { isLeaf: (x: unknown) => x === null }), [false, true])
 * @category tree
 * @since 0.1.0
 */
export const map = <T, R>(
  // the leaf type written so that T is inferred from the tree, not from f (TypeScript 5.4's NoInfer)
  f: (leaf: [Leaf<T>][Leaf<T> extends unknown ? 0 : never], ...others: never[]) => R,
  t: T,
  ...rest: ReadonlyArray<unknown>
): MapLeaves<T, R> => {
  const [trees, isLeaf] = splitMapOptions('tree.map', rest)
  const [ls, def] = flatten(t, isLeaf)
  const others = leavesLike('tree.map', def, trees)
  const g = f as (...leaves: unknown[]) => R
  return unflatten(
    def,
    ls.map((l, i) => g(l, ...others.map((o) => o[i]))),
  ) as MapLeaves<T, R>
}

/**
 * Applies `f` to every leaf and its path (JAX's `tree_util.tree_map_with_path`), with the
 * matching leaves of the other trees, which must have the same structure; a trailing `{ isLeaf }`
 * as in {@link map}.
 *
 * @example
 * import { tree } from 'wengert'
 * const out = tree.mapWithPath((path, x) => `${tree.keystr(path)}=${x}`, { a: 1, b: [2] })
 * assert.deepStrictEqual(out, { a: "['a']=1", b: ["['b'][0]=2"] })
 * @category tree
 * @since 0.2.0
 */
export const mapWithPath = <T, R>(
  f: (path: KeyPath, leaf: [Leaf<T>][Leaf<T> extends unknown ? 0 : never], ...others: never[]) => R,
  t: T,
  ...rest: ReadonlyArray<unknown>
): MapLeaves<T, R> => {
  const [trees, isLeaf] = splitMapOptions('tree.mapWithPath', rest)
  const [ls, def] = flatten(t, isLeaf)
  const others = leavesLike('tree.mapWithPath', def, trees)
  const paths = keyPaths(def)
  const g = f as (path: KeyPath, ...leaves: unknown[]) => R
  return unflatten(
    def,
    ls.map((l, i) => g(paths[i] as KeyPath, l, ...others.map((o) => o[i]))),
  ) as MapLeaves<T, R>
}
export * from './treedefUtil'
export { Partial } from './partial'
