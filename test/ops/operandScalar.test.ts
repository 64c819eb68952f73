/**
 * Numbers the arithmetic ops turn into 0-d arrays (src/ops/convert.ts `withCoerced`) are shared
 * per dtype and value, so a literal applied in a loop makes, and a reverse tape keeps, one array;
 * the values, dtypes and signed zeros are those of a fresh array.
 */
import { describe, expect, it } from 'vitest'
import { add, array, makeTape, mul, sub, type NdArray } from '../../src'

describe('numbers as operands of the arithmetic ops', () => {
  it('share one array per dtype and value on a tape', () => {
    const tape = makeTape((x: NdArray) => mul(mul(x, 0.25), 0.25))(array(2, { dtype: 'float32' }))
    const [a, b] = tape.equations.map((eq) => eq.invars[1])
    expect(a).toBe(b)
    const t64 = makeTape((x: NdArray) => mul(x, 0.25))(array(2, { dtype: 'float64' }))
    const c = t64.equations[0]?.invars[1] as NdArray
    expect(c).not.toBe(a)
    expect([c.dtype, c.item()]).toEqual(['float64', 0.25])
  })

  it('keep -0 apart from 0 and round to the dtype', () => {
    const negZero = array(-0, { dtype: 'float32' })
    expect(Object.is(add(negZero, -0).item(), -0)).toBe(true)
    expect(Object.is(add(negZero, 0).item(), 0)).toBe(true)
    expect(Object.is(sub(0, 0).item(), 0)).toBe(true)
    expect(mul(array(1, { dtype: 'float32' }), 0.1).item()).toBe(Math.fround(0.1))
    expect(mul(array(1, { dtype: 'float64' }), 0.1).item()).toBe(0.1)
    expect(add(array([1, 2], { dtype: 'int32' }), 3).toArray()).toEqual([4, 5])
  })

  it('give the same values after many different numbers (the table is bounded)', () => {
    const x = array(1, { dtype: 'float32' })
    for (let i = 0; i < 300; i++) expect(mul(x, i + 0.5).item()).toBe(i + 0.5)
    expect(mul(x, 0.75).item()).toBe(0.75)
  })
})
