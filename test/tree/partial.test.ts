/** tree.Partial: a callable pytree whose bound arguments are its children (through jit, vmap and grad). */
import { describe, expect, it } from 'vitest'
import { array, grad, jit, mul, sum, tree, ValueError, vmap, type NdArray } from '../../src/index'

describe('tree.Partial', () => {
  const f = (s: NdArray, x: NdArray): NdArray => mul(s, x)
  it('binds leading arguments; nested Partials merge', () => {
    const p = tree.Partial(f, array(2))
    expect(p(array([1, 2])).toArray()).toEqual([2, 4])
    const add3 = (a: number, b: number, c: number): number => a + 10 * b + 100 * c
    const q = tree.Partial(tree.Partial(add3, 1), 2)
    expect(q(3)).toBe(321)
    expect(q.func).toBe(add3)
    expect(q.args).toEqual([1, 2])
    expect(() => tree.Partial(3 as never)).toThrow(ValueError)
  })
  it('is a pytree: its arguments are the leaves, the function is static', () => {
    const p = tree.Partial(f, array(2))
    const [leaves, def] = tree.flatten(p)
    expect(leaves.length).toBe(1)
    const back = tree.unflatten(def, [array(5)]) as typeof p
    expect(back(array([1])).toArray()).toEqual([5])
    expect(tree.leaves([(x: number) => x, 1]).length).toBe(2)
  })
  it('passes through jit, vmap and grad as an argument', () => {
    const p = tree.Partial(f, array(3, { dtype: 'float64' }))
    expect(jit((g: typeof p, x: NdArray) => g(x))(p, array([2], { dtype: 'float64' })).toArray()).toEqual([6])
    const gp = grad((g: typeof p) => sum(g(array([1, 2], { dtype: 'float64' }))))(p) as typeof p
    expect((gp.args[0] as NdArray).item()).toBe(3)
    const v = vmap((x: NdArray) => p(x))(array([1, 2], { dtype: 'float64' }))
    expect(v.toArray()).toEqual([3, 6])
  })
})
