/**
 * Path keys: one step from a pytree node to a child, as JAX's `tree_util` names them. A leaf's
 * path is the list of keys from the root to it; {@link keystr} writes it.
 */
import { ValueError } from '../ndarray/errors'

/**
 * The key of a plain object's entry (JAX's `DictKey`); printed `['name']`.
 * @example
 * import { tree } from 'wengert'
 * assert.strictEqual(String(new tree.DictKey('w')), "['w']")
 * @category tree @since 0.2.0
 */
export class DictKey {
  constructor(readonly key: string) {}
  toString(): string {
    return `[${quote(this.key)}]`
  }
}

/**
 * The position of an array's element (JAX's `SequenceKey`); printed `[i]`.
 * @example
 * import { tree } from 'wengert'
 * assert.strictEqual(String(new tree.SequenceKey(2)), '[2]')
 * @category tree @since 0.2.0
 */
export class SequenceKey {
  constructor(readonly idx: number) {}
  toString(): string {
    return `[${this.idx}]`
  }
}

/**
 * A field of a registered class (JAX's `GetAttrKey`, used by `registerDataclass`); printed `.name`.
 * @example
 * import { tree } from 'wengert'
 * assert.strictEqual(String(new tree.GetAttrKey('x')), '.x')
 * @category tree @since 0.2.0
 */
export class GetAttrKey {
  constructor(readonly name: string) {}
  toString(): string {
    return `.${this.name}`
  }
}

/**
 * The position of a child of a class registered without keys (JAX's `FlattenedIndexKey`);
 * printed `[<flat index i>]`.
 * @example
 * import { tree } from 'wengert'
 * assert.strictEqual(String(new tree.FlattenedIndexKey(1)), '[<flat index 1>]')
 * @category tree @since 0.2.0
 */
export class FlattenedIndexKey {
  constructor(readonly key: number) {}
  toString(): string {
    return `[<flat index ${this.key}>]`
  }
}

/** One step of a leaf's path. */
export type PathKey = DictKey | SequenceKey | GetAttrKey | FlattenedIndexKey

/** A leaf's path: the keys from the root to it. */
export type KeyPath = ReadonlyArray<PathKey>

const quote = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`

/** A key's bare name (`simple` mode of {@link keystr}): the entry, index or field name alone. */
const simpleKey = (k: PathKey): string =>
  k instanceof DictKey
    ? k.key
    : k instanceof SequenceKey
      ? String(k.idx)
      : k instanceof GetAttrKey
        ? k.name
        : String(k.key)

/** Options of {@link keystr}. */
export interface KeystrOptions {
  /** Write each key by its bare name (`w`, `0`, `x`) instead of `['w']`, `[0]`, `.x` (default false). */
  readonly simple?: boolean
  /** Put between keys (default `''`). */
  readonly separator?: string
}

/**
 * A leaf's path as a string (JAX's `jax.tree_util.keystr`): `['params']['w'][0]` by default;
 * with `simple: true` each key is its bare name, joined by `separator` (`params/w/0`).
 * @example
 * import { tree } from 'wengert'
 * const [[path]] = tree.leavesWithPath({ params: { w: [1] } })
 * assert.strictEqual(tree.keystr(path), "['params']['w'][0]")
 * assert.strictEqual(tree.keystr(path, { simple: true, separator: '/' }), 'params/w/0')
 * @category tree @since 0.2.0
 */
export const keystr = (path: KeyPath, options: KeystrOptions = {}): string => {
  if (!Array.isArray(path)) throw new ValueError(`keystr: expected a key path (an array of keys), got ${typeof path}`)
  const sep = options.separator ?? ''
  return path.map((k) => (options.simple === true ? simpleKey(k) : String(k))).join(sep)
}
