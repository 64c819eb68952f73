/**
 * Trees matched against a prefix structure (JAX's `flatten_up_to`): where the prefix has a
 * leaf, the other tree's whole subtree stands for it. This is how `tree.map` pairs the leaves of
 * its first tree with the other trees, which need only have the first as a prefix.
 */
import { TreeMismatchError } from '../ndarray/errors'
import { isPlainObject } from '../internal/options'
import { hashKey } from './hashKey'
import { nodeTypeOf } from './registry'
import { describe, structure, type TreeDef } from './treedef'

/** What a value is at the top, for messages: `[…] of 2`, `{a, b}`, `null`, `a leaf`. */
const shapeOf = (u: unknown): string => {
  if (u === null || u === undefined) return String(u)
  if (Array.isArray(u)) return `an array of length ${u.length}`
  if (isPlainObject(u)) return `an object with keys {${Object.keys(u).join(', ')}}`
  const type = typeof u === 'object' ? nodeTypeOf(u) : undefined
  return type !== undefined ? `a ${type.name}` : 'a leaf'
}

/**
 * The subtrees of `t` at the leaves of `def`, in `def`'s leaf order. `t` must have `def`'s
 * containers (same array lengths, same object keys, same registered classes and static data)
 * down to `def`'s leaves; below them it may be any pytree.
 */
export const flattenUpTo = (op: string, def: TreeDef, t: unknown): unknown[] => {
  const out: unknown[] = []
  const fail = (d: TreeDef, u: unknown, path: string): never => {
    throw new TreeMismatchError(
      `${op}: trees have different structures: ${describe(def)} and ${describe(structure(t))} (the first tree's structure must be a prefix of the others': at ${path || 'the root'} expected ${describe(d)}, got ${shapeOf(u)})`,
    )
  }
  const rec = (d: TreeDef, u: unknown, path: string): void => {
    switch (d.kind) {
      case 'leaf':
        out.push(u)
        return
      case 'none':
        if (u !== null && u !== undefined) fail(d, u, path)
        return
      case 'array':
        if (!Array.isArray(u) || u.length !== d.children.length) fail(d, u, path)
        d.children.forEach((c, i) => rec(c, (u as unknown[])[i], `${path}[${i}]`))
        return
      case 'object': {
        if (!isPlainObject(u)) return fail(d, u, path)
        const o = u as Readonly<Record<string, unknown>>
        const keys = Object.keys(o)
        if (keys.length !== d.keys.length || !d.keys.every((k) => Object.hasOwn(o, k))) fail(d, u, path)
        d.keys.forEach((k, i) => rec(d.children[i] as TreeDef, o[k], `${path}.${k}`))
        return
      }
      case 'node': {
        const type = typeof u === 'object' && u !== null ? nodeTypeOf(u) : undefined
        if (type !== d.type) return fail(d, u, path)
        const { children, aux } = type.flatten(u)
        if (children.length !== d.children.length || hashKey(aux, op) !== d.auxKey) fail(d, u, path)
        d.children.forEach((c, i) => rec(c, children[i], `${path}[${i}]`))
        return
      }
    }
  }
  rec(def, t, '')
  return out
}
