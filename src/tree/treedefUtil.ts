/**
 * The rest of `jax.tree_util`: tests and builders on structures (`allLeaves`, `treedefIsLeaf`,
 * `treedefChildren`, `treedefTuple`, `buildTree`) and the class-method registrations
 * (`registerPytreeNodeClass`, `registerPytreeWithKeysClass`).
 *
 * @category tree
 * @since 0.3.0
 */
import { TreeMismatchError, ValueError } from '../ndarray/errors'
import type { PathKey } from './keys'
import { registerPytreeNode, registerPytreeWithKeys, type Constructor } from './registry'
import { flatten, type IsLeaf, type TreeDef } from './treedef'

/**
 * True when every element of `iterable` is a leaf (JAX: `tree_util.all_leaves(iterable, is_leaf)`);
 * `null` is an empty node, not a leaf.
 * @example
 * import { tree, array } from 'wengert'
 * assert.strictEqual(tree.allLeaves([array(1), 2]), true)
 * assert.strictEqual(tree.allLeaves([1, [2]]), false)
 * @category tree @since 0.3.0
 */
export const allLeaves = (iterable: Iterable<unknown>, isLeaf?: IsLeaf): boolean =>
  [...iterable].every((x) => flatten(x, isLeaf)[1].kind === 'leaf')

/**
 * True when the structure is a single leaf (JAX: `tree_util.treedef_is_leaf`).
 * @example
 * import { tree } from 'wengert'
 * assert.strictEqual(tree.treedefIsLeaf(tree.structure(3)), true)
 * assert.strictEqual(tree.treedefIsLeaf(tree.structure([3])), false)
 * @category tree @since 0.3.0
 */
export const treedefIsLeaf = (def: TreeDef): boolean => def.kind === 'leaf'

/**
 * The structures of a node's children (JAX: `tree_util.treedef_children`): none for a leaf or
 * an empty node.
 * @example
 * import { tree } from 'wengert'
 * const kids = tree.treedefChildren(tree.structure({ a: 1, b: [2, 3] }))
 * assert.deepStrictEqual(kids.map(tree.numLeaves), [1, 2])
 * @category tree @since 0.3.0
 */
export const treedefChildren = (def: TreeDef): ReadonlyArray<TreeDef> =>
  def.kind === 'leaf' || def.kind === 'none' ? [] : def.children

/**
 * The structure of an array (JAX's tuple) whose children have the given structures (JAX:
 * `tree_util.treedef_tuple`).
 * @example
 * import { tree } from 'wengert'
 * const def = tree.treedefTuple([tree.structure(1), tree.structure({ a: 2 })])
 * assert.deepStrictEqual(tree.unflatten(def, [5, 6]), [5, { a: 6 }])
 * @category tree @since 0.3.0
 */
export const treedefTuple = (defs: Iterable<TreeDef>): TreeDef => ({ kind: 'array', children: [...defs] })

/**
 * Builds a pytree of structure `def` from a nested list that mirrors its nodes (JAX:
 * `tree_util.build_tree(treedef, xs)`): a leaf takes the item as it is, every other node takes a
 * list with one item per child (an empty node takes anything and stays empty).
 * @example
 * import { tree } from 'wengert'
 * const def = tree.structure({ a: 0, b: [0, 0] })
 * assert.deepStrictEqual(tree.buildTree(def, [1, [2, 3]]), { a: 1, b: [2, 3] })
 * @category tree @since 0.3.0
 */
export const buildTree = (def: TreeDef, xs: unknown): unknown => {
  const rec = (d: TreeDef, x: unknown): unknown => {
    if (d.kind === 'leaf') return x
    if (d.kind === 'none') return d.value
    if (!Array.isArray(x) || x.length !== d.children.length)
      throw new TreeMismatchError(
        `tree.buildTree: a node with ${d.children.length} children needs a list of ${d.children.length} items, got ${Array.isArray(x) ? `a list of ${x.length}` : typeof x}`,
      )
    const kids = d.children.map((c, i) => rec(c, x[i]))
    if (d.kind === 'array') return kids
    if (d.kind === 'node') return d.type.unflatten(d.aux, kids)
    return Object.fromEntries(d.keys.map((k, i) => [k, kids[i]]))
  }
  return rec(def, xs)
}

/** A class whose instances flatten themselves (JAX's `tree_flatten` / `tree_unflatten` methods). */
export interface PytreeNodeClass<T, A> extends Constructor<T> {
  treeUnflatten(aux: A, children: unknown[]): T
}

const methodOf = (op: string, cls: { readonly name: string; readonly prototype: unknown }, name: string): void => {
  const m = (cls.prototype as Record<string, unknown> | undefined)?.[name]
  if (typeof m !== 'function') throw new ValueError(`tree.${op}: class ${cls.name} has no ${name} method`)
}

/**
 * Registers a class through its own methods (JAX: `register_pytree_node_class`): instances
 * have `treeFlatten()` → `[children, aux]`, the class has a static `treeUnflatten(aux,
 * children)`. Returns the class, so it also works as a decorator.
 * @example
 * import { tree } from 'wengert'
 * class Box {
 *   constructor(readonly v: number, readonly tag: string) {}
 *   treeFlatten(): [[number], string] { return [[this.v], this.tag] }
 *   static treeUnflatten(tag: string, [v]: unknown[]): Box { return new Box(v as number, tag) }
 * }
 * tree.registerPytreeNodeClass(Box)
 * assert.deepStrictEqual(tree.leaves(new Box(4, 'x')), [4])
 * @category tree @since 0.3.0
 */
export const registerPytreeNodeClass = <T extends { treeFlatten(): readonly [unknown[], A] }, A>(
  cls: PytreeNodeClass<T, A>,
): PytreeNodeClass<T, A> => {
  methodOf('registerPytreeNodeClass', cls, 'treeFlatten')
  registerPytreeNode(
    cls,
    (x: T) => x.treeFlatten(),
    (aux: A, children: unknown[]) => cls.treeUnflatten(aux, children),
  )
  return cls
}

/**
 * Registers a class through its own methods, children with keys (JAX:
 * `register_pytree_with_keys_class`): instances have `treeFlattenWithKeys()` →
 * `[[[key, child], …], aux]`, the class a static `treeUnflatten(aux, children)`.
 * @example
 * import { tree } from 'wengert'
 * class Pair {
 *   constructor(readonly a: number, readonly b: number) {}
 *   treeFlattenWithKeys(): [[tree.GetAttrKey, number][], null] {
 *     return [[[new tree.GetAttrKey('a'), this.a], [new tree.GetAttrKey('b'), this.b]], null]
 *   }
 *   static treeUnflatten(_: null, [a, b]: unknown[]): Pair { return new Pair(a as number, b as number) }
 * }
 * tree.registerPytreeWithKeysClass(Pair)
 * assert.deepStrictEqual(tree.leavesWithPath(new Pair(1, 2)).map(([p]) => tree.keystr(p)), ['.a', '.b'])
 * @category tree @since 0.3.0
 */
export const registerPytreeWithKeysClass = <
  T extends { treeFlattenWithKeys(): readonly [ReadonlyArray<readonly [PathKey, unknown]>, A] },
  A,
>(
  cls: PytreeNodeClass<T, A>,
): PytreeNodeClass<T, A> => {
  methodOf('registerPytreeWithKeysClass', cls, 'treeFlattenWithKeys')
  registerPytreeWithKeys(
    cls,
    (x: T) => x.treeFlattenWithKeys(),
    (aux: A, children: unknown[]) => cls.treeUnflatten(aux, children),
  )
  return cls
}
