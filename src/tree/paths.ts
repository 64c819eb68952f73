/**
 * Leaves with their paths (JAX's `tree_flatten_with_path`, `tree_leaves_with_path`) and
 * `transpose` (JAX's `tree_transpose`).
 */
import { TreeMismatchError } from '../ndarray/errors'
import { DictKey, SequenceKey, type KeyPath, type PathKey } from './keys'
import { describe, flatten, numLeaves, sameStructure, unflatten, type TreeDef } from './treedef'

/**
 * The path of every leaf of a structure, in `flatten`'s order: `DictKey`s for plain objects,
 * `SequenceKey`s for arrays, a registered class's own keys.
 * @example
 * import { tree } from 'wengert'
 * const paths = tree.keyPaths(tree.structure({ a: [1, 2], b: null }))
 * assert.deepStrictEqual(paths.map((p) => tree.keystr(p)), ["['a'][0]", "['a'][1]"])
 * @category tree @since 0.2.0
 */
export const keyPaths = (def: TreeDef): KeyPath[] => {
  const out: KeyPath[] = []
  const walk = (d: TreeDef, path: PathKey[]): void => {
    switch (d.kind) {
      case 'leaf':
        out.push(path)
        return
      case 'none':
        return
      case 'array':
        return d.children.forEach((c, i) => walk(c, [...path, new SequenceKey(i)]))
      case 'object':
        return d.children.forEach((c, i) => walk(c, [...path, new DictKey(d.keys[i] as string)]))
      case 'node':
        return d.children.forEach((c, i) => walk(c, [...path, d.keys[i] as PathKey]))
    }
  }
  walk(def, [])
  return out
}

/**
 * The leaves with their paths, and the structure (JAX's `tree_util.tree_flatten_with_path`).
 * @example
 * import { tree } from 'wengert'
 * const [pairs, def] = tree.flattenWithPath({ w: 1, b: [2] })
 * assert.deepStrictEqual(pairs.map(([p, l]) => [tree.keystr(p), l]), [["['w']", 1], ["['b'][0]", 2]])
 * assert.strictEqual(tree.numLeaves(def), 2)
 * @category tree @since 0.2.0
 */
export const flattenWithPath = (t: unknown): [Array<[KeyPath, unknown]>, TreeDef] => {
  const [ls, def] = flatten(t)
  const paths = keyPaths(def)
  return [ls.map((l, i) => [paths[i] as KeyPath, l]), def]
}

/**
 * The leaves with their paths (JAX's `tree_util.tree_leaves_with_path`).
 * @example
 * import { tree } from 'wengert'
 * const [[path, leaf]] = tree.leavesWithPath([{ x: 5 }])
 * assert.strictEqual(tree.keystr(path), "[0]['x']")
 * assert.strictEqual(leaf, 5)
 * @category tree @since 0.2.0
 */
export const leavesWithPath = (t: unknown): Array<[KeyPath, unknown]> => flattenWithPath(t)[0]

/**
 * Swaps the outer and inner levels of a tree of structure `outer` whose leaves are trees of
 * structure `inner` (JAX's `tree_util.tree_transpose`): a list of pairs becomes a pair of lists.
 * @example
 * import { tree } from 'wengert'
 * const t = [{ a: 1, b: 2 }, { a: 3, b: 4 }]
 * const out = tree.transpose(tree.structure([0, 0]), tree.structure({ a: 0, b: 0 }), t)
 * assert.deepStrictEqual(out, { a: [1, 3], b: [2, 4] })
 * @category tree @since 0.2.0
 */
export const transpose = (outer: TreeDef, inner: TreeDef, t: unknown): unknown => {
  const [ls, def] = flatten(t)
  const nOuter = numLeaves(outer)
  const nInner = numLeaves(inner)
  const innerFill = (): unknown => unflatten(inner, new Array<number>(nInner).fill(0))
  const expected = flatten(unflatten(outer, Array.from({ length: nOuter }, innerFill)))[1]
  if (!sameStructure(def, expected))
    throw new TreeMismatchError(
      `tree.transpose: the tree has structure ${describe(def)}, expected ${describe(expected)} (outer of inner)`,
    )
  const perInner = Array.from({ length: nInner }, (_, j) =>
    unflatten(
      outer,
      Array.from({ length: nOuter }, (_, i) => ls[i * nInner + j]),
    ),
  )
  return unflatten(inner, perInner)
}
