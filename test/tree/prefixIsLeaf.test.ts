/**
 * JAX's tree semantics a port relies on: `tree.map`'s other trees need only have the first tree
 * as a prefix (jax.tree.map's documented example), and `is_leaf` for flatten, leaves and structure.
 */
import { describe, expect, it } from 'vitest'
import { array, tree, TreeMismatchError, ValueError, type NdArray } from '../../src/index'

describe('tree.map with prefix trees', () => {
  it("JAX's documented example: [x] + y over [5, 6] and [[7, 9], [1, 2]]", () => {
    const out = tree.map(
      (x: number, y: number[]) => [x, ...y],
      [5, 6],
      [
        [7, 9],
        [1, 2],
      ],
    )
    expect(out).toEqual([
      [5, 7, 9],
      [6, 1, 2],
    ])
  })

  it('a leaf of the first tree takes a whole object, null or array subtree of the others', () => {
    const specs = { w: 0, b: 1 }
    const params = { w: { m: array([1, 2]), v: array([3, 4]) }, b: null }
    const out = tree.map((s: number, p: unknown) => [s, tree.leaves(p).length], specs, params)
    expect(out).toEqual({ w: [0, 2], b: [1, 0] })
  })

  it('object keys are matched by name, not by position', () => {
    expect(tree.map((a: number, b: number) => a + b, { a: 1, b: 2 }, { b: 20, a: 10 })).toEqual({ a: 11, b: 22 })
  })

  it('mapWithPath pairs prefixes too', () => {
    const out = tree.mapWithPath(
      (path, x: number, y: number[]) => `${tree.keystr(path)}:${x + y.length}`,
      [1],
      [[7, 8]],
    )
    expect(out).toEqual(['[0]:3'])
  })

  it('a registered class must match its class and static data', () => {
    class Pair {
      constructor(
        readonly a: unknown,
        readonly b: unknown,
        readonly tag: string,
      ) {}
    }
    tree.registerPytreeNode(
      Pair,
      (p: Pair) => [[p.a, p.b], p.tag],
      (tag, [a, b]) => new Pair(a, b, tag as string),
    )
    const out = tree.map((x, y: number[]) => (x as number) + y.length, new Pair(1, 2, 't'), new Pair([0], [0, 0], 't'))
    expect(out).toEqual(new Pair(2, 4, 't'))
    expect(() => tree.map((x) => x, new Pair(1, 2, 't'), new Pair(1, 2, 'u'))).toThrow(TreeMismatchError)
  })

  it('refuses trees that do not have the first as a prefix, naming the place', () => {
    expect(() => tree.map((a: number) => a, [1, null], [1, 2])).toThrow(TreeMismatchError)
    expect(() => tree.map((a: number) => a, [1, null], [1, 2])).toThrow(/at \[1\] expected null, got a leaf/)
    expect(() => tree.map((a: number) => a, [1, [2, 3]], [1, [2]])).toThrow(
      /tree.map: trees have different structures: \[\*, \[\*, \*\]\] and \[\*, \[\*\]\].*at \[1\] expected \[\*, \*\], got an array of length 1/,
    )
    expect(() => tree.map((a: number) => a, { a: 1 }, { a: 1, b: 2 })).toThrow(/at the root expected \{a: \*\}/)
    // the prefix goes one way: the first tree may not be deeper than the others
    expect(() => tree.map((a: number) => a, [[1, 2]], [3])).toThrow(TreeMismatchError)
  })
})

describe('isLeaf (JAX is_leaf)', () => {
  it('keeps null as a leaf when asked (jax.tree.leaves([None, None], is_leaf=lambda x: x is None))', () => {
    expect(tree.leaves([null, 1, null])).toEqual([1])
    expect(tree.leaves([null, 1, null], (x) => x === null)).toEqual([null, 1, null])
  })

  it('stops at the subtrees it accepts, in flatten, leaves and structure', () => {
    const t = {
      layers: [
        [array([1]), array([2])],
        [array([3]), array([4])],
      ],
      name: 'mlp',
    }
    const isPair = (x: unknown): boolean => Array.isArray(x) && x.length === 2 && x.every((v) => !Array.isArray(v))
    const [ls, def] = tree.flatten(t, isPair)
    expect(ls.length).toBe(3)
    expect(tree.describe(def)).toBe('{layers: [*, *], name: *}')
    expect(tree.describe(tree.structure(t, isPair))).toBe('{layers: [*, *], name: *}')
    const back = tree.unflatten(def, ls) as typeof t
    expect((back.layers[1]?.[0] as NdArray).item()).toBe(3)
    // the root itself may be a leaf
    expect(tree.leaves([1, 2], () => true)).toEqual([[1, 2]])
  })

  it('must be a function', () => {
    expect(() => tree.flatten([1], 3 as unknown as () => boolean)).toThrow(ValueError)
    expect(() => tree.flatten([1], 3 as unknown as () => boolean)).toThrow(/isLeaf must be a function/)
  })
})
