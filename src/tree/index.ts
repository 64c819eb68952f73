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

/** The leaves of a pytree. */
export const leaves = (t: unknown): unknown[] => flatten(t)[0]

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

/** Applies `f` to every leaf (of the first tree, with matching leaves of the others). */
export const map = (f: (...leaves: unknown[]) => unknown, t: unknown, ...rest: ReadonlyArray<unknown>): unknown => {
  const [ls, def] = flatten(t)
  const others = rest.map((r) => {
    const [rl, rdef] = flatten(r)
    if (!sameStructure(def, rdef)) {
      throw new TreeMismatchError(`tree.map: trees have different structures: ${describe(def)} and ${describe(rdef)}`)
    }
    return rl
  })
  return unflatten(
    def,
    ls.map((l, i) => f(l, ...others.map((o) => o[i]))),
  )
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
