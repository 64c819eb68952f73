/**
 * The structure of a pytree (`TreeDef`), `flatten` and `unflatten`. Nodes are JS arrays, plain
 * objects and instances of registered classes (./registry.ts); null and undefined are empty
 * nodes; everything else is a leaf.
 */
import { TreeMismatchError, ValueError } from '../ndarray/errors'
import { isPlainObject } from '../internal/options'
import { hashKey } from './hashKey'
import type { PathKey } from './keys'
import { nodeTypeOf, type NodeType } from './registry'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The structure of a pytree with its leaves taken out. */
export type TreeDef =
  | { readonly kind: 'leaf' }
  | { readonly kind: 'none'; readonly value: null | undefined }
  | { readonly kind: 'array'; readonly children: ReadonlyArray<TreeDef> }
  | { readonly kind: 'object'; readonly keys: ReadonlyArray<string>; readonly children: ReadonlyArray<TreeDef> }
  | {
      /** An instance of a registered class: its registration, static data and children. */
      readonly kind: 'node'
      readonly type: NodeType
      readonly aux: unknown
      /** `aux` as a string: equal for equal static data (what structures are compared by). */
      readonly auxKey: string
      readonly keys: ReadonlyArray<PathKey>
      readonly children: ReadonlyArray<TreeDef>
    }

const LEAF: TreeDef = { kind: 'leaf' }

/** JAX's `is_leaf`: true for a subtree that flattening keeps whole, as one leaf. */
export type IsLeaf = (subtree: unknown) => boolean

// -------------------------------------------------------------------------------------
// functions
// -------------------------------------------------------------------------------------

/** The deepest nesting of containers a pytree may have. */
const MAX_DEPTH = 1000

/** A registered instance's structure, its children walked by `rec`. */
const nodeDef = (type: NodeType, u: object, rec: (c: unknown) => TreeDef): TreeDef => {
  const { children, keys, aux } = type.flatten(u)
  const auxKey = hashKey(aux, `tree.flatten (the static data of ${type.name})`)
  return { kind: 'node', type, aux, auxKey, keys, children: children.map(rec) }
}

/**
 * Leaves in order (depth first; object keys in insertion order) and the structure. A cycle, or
 * nesting deeper than 1000 containers, is a ValueError. `isLeaf` (JAX's `is_leaf`) is asked of
 * every subtree, null included, before it is walked: where it returns true the subtree is one leaf.
 */
export const flatten = (t: unknown, isLeaf?: IsLeaf): [unknown[], TreeDef] => {
  if (isLeaf !== undefined && typeof isLeaf !== 'function')
    throw new ValueError(`tree.flatten: isLeaf must be a function or undefined, got ${typeof isLeaf}`)
  const leaves: unknown[] = []
  // the containers being walked: meeting one again is a cycle
  const open = new Set<unknown>()
  const rec = (u: unknown): TreeDef => {
    // JAX's is_leaf: asked of every subtree (null included) before it is walked
    if (isLeaf?.(u) === true) {
      leaves.push(u)
      return LEAF
    }
    if (u === null || u === undefined) return { kind: 'none', value: u }
    const list = Array.isArray(u)
    const type =
      list || (typeof u !== 'object' && typeof u !== 'function') || isPlainObject(u) ? undefined : nodeTypeOf(u)
    if (!list && type === undefined && !isPlainObject(u)) {
      leaves.push(u)
      return LEAF
    }
    if (open.has(u)) throw new ValueError('tree.flatten: the pytree contains a cycle (a container holds itself)')
    if (open.size >= MAX_DEPTH)
      throw new ValueError(`tree.flatten: the pytree is nested more than ${MAX_DEPTH} levels deep`)
    open.add(u)
    try {
      if (list) return { kind: 'array', children: u.map(rec) }
      if (type !== undefined) return nodeDef(type, u as object, rec)
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

/** The structure of a pytree (JAX's `tree.structure`), `isLeaf` as in {@link flatten}. */
export const structure = (t: unknown, isLeaf?: IsLeaf): TreeDef => flatten(t, isLeaf)[1]

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
      case 'node':
        return d.type.unflatten(d.aux, d.children.map(rec))
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

const sameChildren = (a: ReadonlyArray<TreeDef>, b: ReadonlyArray<TreeDef>): boolean =>
  a.length === b.length && a.every((c, i) => sameStructure(c, b[i] as TreeDef))

/** True when two structures are the same. */
export const sameStructure = (a: TreeDef, b: TreeDef): boolean => {
  if (a.kind === 'leaf' || a.kind === 'none') return a.kind === b.kind
  if (a.kind === 'array') return b.kind === 'array' && sameChildren(a.children, b.children)
  if (a.kind === 'node')
    return b.kind === 'node' && a.type === b.type && a.auxKey === b.auxKey && sameChildren(a.children, b.children)
  return (
    b.kind === 'object' &&
    a.keys.length === b.keys.length &&
    a.keys.every((k, i) => b.keys[i] === k) &&
    sameChildren(a.children, b.children)
  )
}

/** Writes a structure with `*` for leaves, object keys as `key` writes them, static data as `aux` does. */
const render = (def: TreeDef, key: (k: string) => string, aux: (d: TreeDef & { kind: 'node' }) => string): string => {
  const r = (d: TreeDef): string => render(d, key, aux)
  switch (def.kind) {
    case 'leaf':
      return '*'
    case 'none':
      return String(def.value)
    case 'array':
      return `[${def.children.map(r).join(', ')}]`
    case 'node':
      return `${def.type.name}${aux(def)}(${def.children.map(r).join(', ')})`
    case 'object':
      return `{${def.keys.map((k, i) => `${key(k)}: ${r(def.children[i] as TreeDef)}`).join(', ')}}`
  }
}

/** A short text of a node's static data for messages: `[relu]` (nothing when it is null). */
const auxText = (d: TreeDef & { kind: 'node' }): string =>
  d.aux === null || d.aux === undefined ? '' : `[${d.auxKey.length > 40 ? `${d.auxKey.slice(0, 39)}…` : d.auxKey}]`

/** A compact description of a structure for messages: `{w: *, b: [*, *]}`, `Point(*, *)`. */
export const describe = (def: TreeDef): string => render(def, (k) => k, auxText)

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
export const structureKey = (def: TreeDef): string =>
  render(
    def,
    (k) => JSON.stringify(k),
    (d) => `#${nodeId(d.type)}[${d.auxKey}]`,
  )

const typeIds = new Map<NodeType, number>()
/** A number per registration: two classes of one name get different structure keys. */
const nodeId = (t: NodeType): number => {
  let id = typeIds.get(t)
  if (id === undefined) {
    id = typeIds.size + 1
    typeIds.set(t, id)
  }
  return id
}
