/**
 * Cyclic or absurdly deep pytrees raise a typed error instead of overflowing the stack (issue 10
 * "Bad input"), in `tree.flatten` and in every transform that flattens its arguments.
 */
import { describe, expect, it } from 'vitest'
import { array, grad, jit, sum, tree, ValueError, type NdArray } from '../../src'

describe('pytrees with cycles or absurd depth', () => {
  it('a cycle is a ValueError', () => {
    const a: { x: NdArray; self?: unknown } = { x: array(1) }
    a.self = a
    expect(() => tree.flatten(a)).toThrow(ValueError)
    expect(() => tree.flatten(a)).toThrow(/contains a cycle/)
    const l: unknown[] = [array(1)]
    l.push(l)
    expect(() => grad((t: unknown[]) => sum(t[0] as NdArray))(l)).toThrow(/contains a cycle/)
  })
  it('a shared (not cyclic) subtree is fine', () => {
    const s = { v: array(2) }
    expect(tree.flatten([s, s])[0].length).toBe(2)
  })
  it('nesting past 1000 levels is a ValueError, 999 is fine', () => {
    const nest = (n: number): unknown => {
      let t: unknown = array(1)
      for (let i = 0; i < n; i++) t = [t]
      return t
    }
    expect(tree.flatten(nest(999))[0].length).toBe(1)
    expect(() => tree.flatten(nest(5000))).toThrow(/nested more than 1000 levels deep/)
    expect(() => jit((t: unknown) => t)(nest(5000))).toThrow(ValueError)
  })
})
