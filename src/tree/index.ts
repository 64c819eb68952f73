/**
 * Pytrees: nested arrays, tuples and plain objects whose leaves are arrays or numbers. Transforms
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
import { TreeMismatchError, ValueError } from '../ndarray/errors'
import { isPlainObject } from '../internal/options'
import type { NdArray } from '../ndarray/NdArray'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The structure of a pytree with its leaves taken out. */
export type TreeDef =
  | { readonly kind: 'leaf' }
  | { readonly kind: 'none'; readonly value: null | undefined }
  | { readonly kind: 'array'; readonly children: ReadonlyArray<TreeDef> }
  | { readonly kind: 'object'; readonly keys: ReadonlyArray<string>; readonly children: ReadonlyArray<TreeDef> }

const LEAF: TreeDef = { kind: 'leaf' }

// -------------------------------------------------------------------------------------
// functions
// -------------------------------------------------------------------------------------

/** The deepest nesting of containers a pytree may have. */
const MAX_DEPTH = 1000

/**
 * Leaves in order (depth first; object keys in insertion order) and the structure. A cycle, or
 * nesting deeper than 1000 containers, is a ValueError.
 */
export const flatten = (t: unknown): [unknown[], TreeDef] => {
  const leaves: unknown[] = []
  // the containers being walked: meeting one again is a cycle
  const open = new Set<unknown>()
  const rec = (u: unknown): TreeDef => {
    if (u === null || u === undefined) return { kind: 'none', value: u }
    const list = Array.isArray(u)
    if (!list && !isPlainObject(u)) {
      leaves.push(u)
      return LEAF
    }
    if (open.has(u)) throw new ValueError('tree.flatten: the pytree contains a cycle (a container holds itself)')
    if (open.size >= MAX_DEPTH)
      throw new ValueError(`tree.flatten: the pytree is nested more than ${MAX_DEPTH} levels deep`)
    open.add(u)
    try {
      if (list) return { kind: 'array', children: u.map(rec) }
      const o = u as Readonly<Record<string, unknown>>
      const keys = Object.keys(o)
      return { kind: 'object', keys, children: keys.map((k) => rec(o[k])) }
    } finally {
      open.delete(u)
    }
  }
  const def = rec(t)
  return [leaves, def]
}

/** The leaves of a pytree, in `flatten`'s order. */
export const leaves = <T>(t: T): Array<Leaf<T>> => flatten(t)[0] as Array<Leaf<T>>

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

/** The structure of a pytree (JAX's `tree.structure`). */
export const structure = (t: unknown): TreeDef => flatten(t)[1]

/** Number of leaves a structure holds. */
export const numLeaves = (def: TreeDef): number =>
  def.kind === 'leaf' ? 1 : def.kind === 'none' ? 0 : def.children.reduce((s, c) => s + numLeaves(c), 0)

/** Rebuilds a pytree from its structure and leaves. */
export const unflatten = (def: TreeDef, ls: ReadonlyArray<unknown>): unknown => {
  if (numLeaves(def) !== ls.length) {
    throw new TreeMismatchError(
      `tree.unflatten: the structure holds ${numLeaves(def)} leaves but ${ls.length} were given`,
    )
  }
  let i = 0
  const rec = (d: TreeDef): unknown => {
    switch (d.kind) {
      case 'leaf':
        return ls[i++]
      case 'none':
        return d.value
      case 'array':
        return d.children.map(rec)
      case 'object': {
        const out: Record<string, unknown> = {}
        d.keys.forEach((k, j) => {
          out[k] = rec(d.children[j] as TreeDef)
        })
        return out
      }
    }
  }
  return rec(def)
}

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

/** The leaves of the other trees, checked to have `def`'s structure (`op` names the caller). */
const leavesLike = (op: string, def: TreeDef, trees: ReadonlyArray<unknown>): unknown[][] =>
  trees.map((r) => {
    const [rl, rdef] = flatten(r)
    if (!sameStructure(def, rdef))
      throw new TreeMismatchError(`${op}: trees have different structures: ${describe(def)} and ${describe(rdef)}`)
    return rl
  })

/**
 * Applies `f` to every leaf (of the first tree, with the matching leaves of the others, which
 * must have the same structure); the result has the first tree's structure.
 *
 * @example
 * import { tree, array } from 'wengert'
 * const params = { w: array([1, 2]), b: 3 }
 * const doubled = tree.map((x) => (typeof x === 'number' ? 2 * x : x.mul(2)), params)
 * assert.strictEqual(doubled.b, 6)
 * assert.deepStrictEqual(tree.map((x, y) => [x, y], [1, 2], [3, 4]), [[1, 3], [2, 4]])
 * @category tree
 * @since 0.1.0
 */
export const map = <T, R>(
  // the leaf type written so that T is inferred from the tree, not from f (TypeScript 5.4's NoInfer)
  f: (leaf: [Leaf<T>][Leaf<T> extends unknown ? 0 : never], ...others: never[]) => R,
  t: T,
  ...rest: ReadonlyArray<unknown>
): MapLeaves<T, R> => {
  const [ls, def] = flatten(t)
  const others = leavesLike('tree.map', def, rest)
  const g = f as (...leaves: unknown[]) => R
  return unflatten(
    def,
    ls.map((l, i) => g(l, ...others.map((o) => o[i]))),
  ) as MapLeaves<T, R>
}

/** True when two structures are the same. */
export const sameStructure = (a: TreeDef, b: TreeDef): boolean => {
  if (a.kind !== b.kind) return false
  if (a.kind === 'leaf' || a.kind === 'none') return true
  if (a.kind === 'array' && b.kind === 'array') {
    return (
      a.children.length === b.children.length && a.children.every((c, i) => sameStructure(c, b.children[i] as TreeDef))
    )
  }
  if (a.kind === 'object' && b.kind === 'object') {
    return (
      a.keys.length === b.keys.length &&
      a.keys.every((k, i) => b.keys[i] === k) &&
      a.children.every((c, i) => sameStructure(c, b.children[i] as TreeDef))
    )
  }
  return false
}

/** Writes a structure with `*` for leaves, object keys as `key` writes them. */
const render = (def: TreeDef, key: (k: string) => string): string => {
  switch (def.kind) {
    case 'leaf':
      return '*'
    case 'none':
      return String(def.value)
    case 'array':
      return `[${def.children.map((c) => render(c, key)).join(', ')}]`
    case 'object':
      return `{${def.keys.map((k, i) => `${key(k)}: ${render(def.children[i] as TreeDef, key)}`).join(', ')}}`
  }
}

/** A compact description of a structure for messages: `{w: *, b: [*, *]}`. */
export const describe = (def: TreeDef): string => render(def, (k) => k)

/**
 * A string that identifies a structure exactly (keys quoted), e.g. for caches keyed by structure:
 * equal strings for equal structures and only for them.
 *
 * @example
 * import { tree } from 'wengert'
 * const key = (t: unknown) => tree.structureKey(tree.flatten(t)[1])
 * assert.strictEqual(key({ a: 1, b: [2, 3] }), key({ a: 'x', b: [null, 4] }).replace('null', '*'))
 * assert.notStrictEqual(key({ 'a, b': 1 }), key({ a: 1, b: 2 }))
 * @category tree
 * @since 0.1.0
 */
export const structureKey = (def: TreeDef): string => render(def, (k) => JSON.stringify(k))
