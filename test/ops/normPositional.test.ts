/**
 * `jnp.linalg.norm(x, ord, axis, keepdims)` ported with a positional ord: `linalg.norm(x, 2)`,
 * `linalg.norm(x, 'fro')`, `linalg.norm(x, 1, { axis })`, the same values as the options form.
 */
import { describe, expect, it } from 'vitest'
import { array, linalg, ValueError } from '../../src/index'

const a = array(
  [
    [3, -4],
    [1, 2],
  ],
  { dtype: 'float64' },
)

describe('linalg.norm with a positional ord', () => {
  it('equals the options form for vectors and matrices', () => {
    const v = array([3, -4, 12], { dtype: 'float64' })
    expect(linalg.norm(v, 1).item()).toBe(19)
    expect(linalg.norm(v, Infinity).item()).toBe(12)
    expect(linalg.norm(v, null).item()).toBe(13)
    expect(linalg.norm(a, 'fro').item()).toBe(Math.sqrt(30))
    expect(linalg.norm(a, 1).item()).toBe(6) // max column sum of |a|
    expect(linalg.norm(a, 2).item()).toBe(linalg.norm(a, { ord: 2 }).item())
    expect(linalg.norm(a, 'nuc').item()).toBe(linalg.norm(a, { ord: 'nuc' }).item())
  })

  it('takes axis and keepdims after it', () => {
    expect(linalg.norm(a, 1, { axis: 1 }).toArray()).toEqual([7, 3])
    expect(linalg.norm(a, 2, { axis: 0, keepdims: true }).shape).toEqual([1, 2])
  })

  it('refuses ord twice and options after an options object', () => {
    expect(() => linalg.norm(a, 1, { ord: 2 } as never)).toThrow(ValueError)
    expect(() => linalg.norm(a, { ord: 1 }, { axis: 0 })).toThrow(/norm: a third argument/)
  })
})
