/**
 * User classes as pytree nodes (JAX's `register_pytree_node`, `register_pytree_with_keys`,
 * `register_dataclass` and `register_static`): a registered class's instances are flattened into
 * children (pytrees themselves) and auxiliary data (static, part of the structure), and rebuilt
 * from them, by every transform and `tree` function.
 */
import { ValueError } from '../ndarray/errors'
import { NdArray } from '../ndarray/NdArray'
import { FlattenedIndexKey, GetAttrKey, type PathKey } from './keys'

/** A class (anything `new` makes instances of). */
export type Constructor<T> = abstract new (...args: never[]) => T

/** How the instances of a registered class are taken apart and rebuilt. */
export interface NodeType {
  /** The class. */
  readonly cls: Constructor<unknown>
  /** The class's name, for messages. */
  readonly name: string
  /** Children (each a pytree), their keys, and the auxiliary (static) data. */
  readonly flatten: (x: unknown) => { children: unknown[]; keys: PathKey[]; aux: unknown }
  /** The instance with these auxiliary data and children. */
  readonly unflatten: (aux: unknown, children: unknown[]) => unknown
}

const registry = new Map<unknown, NodeType>()

/** The registration of `u`'s class (its exact class, as in JAX: subclasses register separately). */
export const nodeTypeOf = (u: object): NodeType | undefined =>
  registry.size === 0
    ? undefined
    : registry.get((Object.getPrototypeOf(u) as { constructor?: unknown } | null)?.constructor)

const register = (op: string, cls: Constructor<unknown>, t: NodeType): void => {
  if (typeof cls !== 'function') throw new ValueError(`${op}: expected a class, got ${typeof cls}`)
  if (cls === Object || cls === Array || cls === NdArray || cls.prototype instanceof NdArray)
    throw new ValueError(`${op}: ${cls.name} is built in (arrays, plain objects and NdArrays are handled already)`)
  if (registry.has(cls)) throw new ValueError(`${op}: Duplicate custom pytree node registration for class ${cls.name}`)
  registry.set(cls, t)
}

const checkPair = (op: string, name: string, r: unknown): readonly [unknown, unknown] => {
  if (!Array.isArray(r) || r.length !== 2)
    throw new ValueError(`${op}: the flatten function of ${name} must return a pair [children, aux]`)
  if (!Array.isArray(r[0]))
    throw new ValueError(`${op}: the flatten function of ${name} must return its children as an array`)
  return r as unknown as readonly [unknown, unknown]
}

/**
 * Registers a class as a pytree node (JAX's `jax.tree_util.register_pytree_node`): `flatten(x)`
 * returns `[children, aux]` — the children are pytrees (their leaves are traced and
 * differentiated), `aux` is static data kept in the structure (compared by value for numbers,
 * strings, arrays and plain objects of them, by identity otherwise; `jit` retraces when it
 * changes) — and `unflatten(aux, children)` rebuilds an instance. Children's paths are
 * `FlattenedIndexKey`s; use {@link registerPytreeWithKeys} to name them.
 * @example
 * import { tree, grad, array, mul, sum, type NdArray } from 'wengert'
 * class Point { constructor(readonly x: NdArray, readonly y: NdArray) {} }
 * tree.registerPytreeNode(Point, (p) => [[p.x, p.y], null], (_aux, [x, y]) => new Point(x, y))
 * const g = grad((p: Point) => sum(mul(p.x, p.y)))(new Point(array([1, 2]), array([3, 4])))
 * assert.ok(g instanceof Point)
 * assert.deepStrictEqual(g.x.toArray(), [3, 4])
 * @category tree @since 0.2.0
 */
export const registerPytreeNode = <T, C extends readonly unknown[] | [], A>(
  cls: Constructor<T>,
  // `| []` has tuples inferred for the children, so unflatten's destructuring is typed
  flatten: (x: T) => readonly [C, A],
  unflatten: (aux: A, children: C) => T,
): void => {
  const op = 'registerPytreeNode'
  register(op, cls, {
    cls,
    name: cls.name,
    flatten: (x) => {
      const [children, aux] = checkPair(op, cls.name, flatten(x as T))
      return {
        children: children as unknown[],
        keys: (children as unknown[]).map((_, i) => new FlattenedIndexKey(i)),
        aux,
      }
    },
    unflatten: (aux, children) => unflatten(aux as A, children as C),
  })
}

/**
 * Registers a class as a pytree node whose children have keys (JAX's
 * `register_pytree_with_keys`): `flattenWithKeys(x)` returns `[[[key, child], …], aux]`, the
 * keys appear in the paths of `tree.flattenWithPath` and friends.
 * @example
 * import { tree } from 'wengert'
 * class Pair { constructor(readonly a: number, readonly b: number) {} }
 * tree.registerPytreeWithKeys(
 *   Pair,
 *   (p) => [[[new tree.GetAttrKey('a'), p.a], [new tree.GetAttrKey('b'), p.b]], null],
 *   (_aux, [a, b]) => new Pair(a as number, b as number),
 * )
 * assert.deepStrictEqual(tree.leavesWithPath(new Pair(1, 2)).map(([p]) => tree.keystr(p)), ['.a', '.b'])
 * @category tree @since 0.2.0
 */
export const registerPytreeWithKeys = <T, A>(
  cls: Constructor<T>,
  flattenWithKeys: (x: T) => readonly [ReadonlyArray<readonly [PathKey, unknown]>, A],
  unflatten: (aux: A, children: unknown[]) => T,
): void => {
  const op = 'registerPytreeWithKeys'
  register(op, cls, {
    cls,
    name: cls.name,
    flatten: (x) => {
      const [pairs, aux] = checkPair(op, cls.name, flattenWithKeys(x as T))
      const ps = pairs as ReadonlyArray<readonly [PathKey, unknown]>
      return { children: ps.map((p) => p[1]), keys: ps.map((p) => p[0]), aux }
    },
    unflatten: (aux, children) => unflatten(aux as A, children),
  })
}

/**
 * Registers a class with named fields as a pytree node (JAX's `register_dataclass`): the
 * `dataFields` are children (traced), the `metaFields` static (part of the structure: `jit`
 * retraces when one changes). Instances are rebuilt without calling the constructor (JS
 * constructors take positional arguments): an object with the class's prototype gets the fields
 * assigned, so the class must keep its state in those public fields.
 * @example
 * import { tree, jit, array, mul, type NdArray } from 'wengert'
 * class Params { w!: NdArray; scale!: number }
 * tree.registerDataclass(Params, ['w'], ['scale'])
 * const p = Object.assign(new Params(), { w: array([1, 2]), scale: 3 })
 * assert.deepStrictEqual(tree.leaves(p), [p.w])
 * const f = jit((q: Params) => mul(q.w, q.scale))
 * assert.deepStrictEqual(f(p).toArray(), [3, 6])
 * @category tree @since 0.2.0
 */
export const registerDataclass = <T extends object>(
  cls: Constructor<T>,
  dataFields: ReadonlyArray<keyof T & string>,
  metaFields: ReadonlyArray<keyof T & string>,
): void => {
  const op = 'registerDataclass'
  const both = [...dataFields, ...metaFields]
  const dup = both.find((f, i) => both.indexOf(f) !== i)
  if (dup !== undefined) throw new ValueError(`${op}: the field '${dup}' of ${cls.name} is listed twice`)
  const keys = dataFields.map((f) => new GetAttrKey(f))
  register(op, cls, {
    cls,
    name: cls.name,
    flatten: (x) => {
      const o = x as Record<string, unknown>
      return { children: dataFields.map((f) => o[f]), keys, aux: metaFields.map((f) => o[f]) }
    },
    unflatten: (aux, children) => {
      const out = Object.create((cls as unknown as { prototype: object }).prototype) as Record<string, unknown>
      dataFields.forEach((f, i) => (out[f] = children[i]))
      metaFields.forEach((f, i) => (out[f] = (aux as unknown[])[i]))
      return out
    },
  })
}

/**
 * Registers a class whose instances are static (JAX's `register_static`): an instance has no
 * leaves and is itself part of the structure, compared by identity (`jit` retraces for another
 * instance, transforms pass it through untouched).
 * @example
 * import { tree } from 'wengert'
 * class Config { constructor(readonly act: string) {} }
 * tree.registerStatic(Config)
 * const c = new Config('relu')
 * assert.deepStrictEqual(tree.leaves({ c, n: 1 }), [1])
 * assert.strictEqual(tree.map((v) => (typeof v === 'number' ? v + 1 : v), { c, n: 1 }).c, c)
 * @category tree @since 0.2.0
 */
export const registerStatic = <T>(cls: Constructor<T>): void => {
  register('registerStatic', cls, {
    cls,
    name: cls.name,
    flatten: (x) => ({ children: [], keys: [], aux: x }),
    unflatten: (aux) => aux,
  })
}

/**
 * The type of a leaf that transforms cannot use, for messages: `string`, or for an instance of an
 * unregistered class `Point (an instance of a class that is not a registered pytree node: …)`.
 */
export const describeLeaf = (l: unknown): string => {
  if (l === null || typeof l !== 'object') return typeof l
  const ctor = (Object.getPrototypeOf(l) as { constructor?: { name?: string } } | null)?.constructor
  const name = ctor?.name
  if (name === undefined || name === '' || name === 'Object') return 'object'
  return (
    `${name} (an instance of a class that is not a registered pytree node: ` +
    `register it with tree.registerPytreeNode, tree.registerDataclass or tree.registerStatic)`
  )
}
