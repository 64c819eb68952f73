import { describe, expect, it } from 'vitest'
import { array, type NdArray, tree, TreeMismatchError } from 'wengert'

describe('tree', () => {
  const x = array([1, 2])
  const t = { w: x, layers: [{ b: 3 }, [4, null]], name: undefined }

  it('flatten lists leaves depth first (object keys in insertion order); null/undefined are structure', () => {
    const [leaves, def] = tree.flatten(t)
    expect(leaves).toEqual([x, 3, 4])
    expect(leaves[0]).toBe(x)
    expect(tree.describe(def)).toBe('{w: *, layers: [{b: *}, [*, null]], name: undefined}')
    expect(tree.numLeaves(def)).toBe(3)
  })

  it('unflatten rebuilds the same structure with new leaves', () => {
    const [, def] = tree.flatten(t)
    expect(tree.unflatten(def, ['a', 'b', 'c'])).toEqual({ w: 'a', layers: [{ b: 'b' }, ['c', null]], name: undefined })
    expect(() => tree.unflatten(def, [1])).toThrow(
      new TreeMismatchError('tree.unflatten: the structure holds 3 leaves but 1 were given'),
    )
  })

  it('leaves', () => {
    expect(tree.leaves([1, [2, { a: 3 }]])).toEqual([1, 2, 3])
    expect(tree.leaves(x)).toEqual([x])
    expect(tree.leaves([])).toEqual([])
  })

  it('map applies to every leaf, with matching leaves of other trees', () => {
    expect(tree.map((v) => (v as number) * 10, { a: 1, b: [2, 3] })).toEqual({ a: 10, b: [20, 30] })
    expect(tree.map((a, b) => (a as number) + (b as number), [1, { c: 2 }], [10, { c: 20 }])).toEqual([11, { c: 22 }])
    expect(() => tree.map((a) => a, [1, 2], [1])).toThrow(TreeMismatchError)
    expect(() => tree.map((a) => a, { a: 1 }, { b: 1 })).toThrow(
      'tree.map: trees have different structures: {a: *} and {b: *}',
    )
  })

  it('arrays, class instances and strings are leaves; only plain objects and arrays are nodes', () => {
    class Point {
      constructor(readonly x: number) {}
    }
    const p = new Point(1)
    expect(tree.leaves({ a: p, s: 'str', n: x as NdArray })).toEqual([p, 'str', x])
  })

  it('sameStructure', () => {
    const [, a] = tree.flatten({ a: [1, 2] })
    const [, b] = tree.flatten({ a: [x, 'y'] })
    const [, c] = tree.flatten({ a: [1] })
    expect(tree.sameStructure(a, b)).toBe(true)
    expect(tree.sameStructure(a, c)).toBe(false)
  })
})
