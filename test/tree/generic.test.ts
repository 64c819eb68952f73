/** tree.map/leaves typed by the tree, tree.reduce, tree.all, tree.structure. */
import { describe, expect, it } from 'vitest'
import { array, tree, ValueError, type NdArray } from '../../src'

describe('pytree helpers', () => {
  it('map keeps the structure and types the leaves', () => {
    const params = { w: array([1, 2]), b: [3, 4] }
    const out = tree.map((x: NdArray | number) => (typeof x === 'number' ? x + 1 : x.sum().item()), params)
    expect(out).toEqual({ w: 3, b: [4, 5] })
    expect(tree.map((x: number, y: number) => x * y, [1, [2]], [3, [4]])).toEqual([3, [8]])
    expect(() => tree.map((x: number) => x, [1], [1, 2])).toThrow(/tree.map: trees have different structures/)
  })
  it('reduce folds left to right; all checks every leaf; structure is what flatten gives', () => {
    expect(tree.reduce((a: string, l: string) => a + l, { x: 'a', y: ['b', 'c'] })).toBe('abc')
    expect(tree.reduce((a: number, l: number) => a - l, [1, 2], 10)).toBe(7)
    expect(() => tree.reduce((a: number, l: number) => a + l, [])).toThrow(ValueError)
    expect(tree.all([true, 1, array([1, 2])])).toBe(true)
    expect(tree.all({ a: array([0, 1]) })).toBe(false)
    expect(tree.structure({ a: 1, b: [2] })).toEqual(tree.flatten({ a: 'x', b: ['y'] })[1])
  })
})
