/**
 * The reverse level's recording (src/core/reverse.ts): a primitive whose primal inputs are plain
 * arrays runs its impl at once, one whose primal inputs are tracers of a level below goes through
 * `bind` so that level records it too; and symbolic zeros of 0-d avals are shared (src/core/zero.ts).
 */
import { describe, expect, it } from 'vitest'
import { add, array, exp, grad, jvp, mul, neg, sin, vjp, Zero, type NdArray } from '../../src/index'
import { stopGradient } from '../../src/core/lax'

/** W3's step, x ↦ 0.99·x + exp(−0.5·x), applied `n` times. */
const chain =
  (n: number) =>
  (x: NdArray): NdArray => {
    let y = x
    for (let i = 0; i < n; i++) y = add(mul(y, 0.99), exp(mul(y, -0.5)))
    return y
  }

describe('reverse recording', () => {
  it('differentiates a scalar chain as the chain rule gives, in float64', () => {
    // Arrange: f'(x) = 0.99 − 0.5·exp(−0.5·x) per step, multiplied along the chain
    let x = 0.3
    let expected = 1
    for (let i = 0; i < 5; i++) {
      expected *= 0.99 - 0.5 * Math.exp(-0.5 * x)
      x = 0.99 * x + Math.exp(-0.5 * x)
    }
    // Act
    const g = grad(chain(5))(array(0.3, { dtype: 'float64' }))
    // Assert
    expect(g.item()).toBeCloseTo(expected, 14)
  })

  it('records on the level below when the primal inputs are its tracers (grad of grad)', () => {
    // Arrange: d²/dx² sin(x)·x = 2cos(x) − x·sin(x)
    const f = (x: NdArray): NdArray => mul(sin(x), x)
    const x = array(0.7, { dtype: 'float64' })
    // Act
    const g2 = grad(grad(f))(x)
    // Assert
    expect(g2.item()).toBeCloseTo(2 * Math.cos(0.7) - 0.7 * Math.sin(0.7), 14)
  })

  it('records on the level below when it is a jvp (forward over reverse)', () => {
    // Arrange: the tangent of f'(x) = cos(x)·x + sin(x) along 1 is f''(x)
    const f = (x: NdArray): NdArray => mul(sin(x), x)
    const x = array(0.7, { dtype: 'float64' })
    // Act
    const [, t] = jvp(grad(f), [x], [array(1, { dtype: 'float64' })])
    // Assert
    expect((t as NdArray).item()).toBeCloseTo(2 * Math.cos(0.7) - 0.7 * Math.sin(0.7), 14)
  })

  it('gives a symbolic zero cotangent to a constant operand without materialising it', () => {
    // Arrange
    const c = array(2.5, { dtype: 'float32' })
    // Act: the cotangent of x through mul(x, c), and of the constant (not an input: nothing flows)
    const [y, pull] = vjp((x: NdArray) => mul(x, c), array(3, { dtype: 'float32' }))
    const [xBar] = pull(array(1, { dtype: 'float32' }))
    // Assert
    expect(y.item()).toBe(7.5)
    expect((xBar as NdArray).item()).toBe(2.5)
  })
})

describe('symbolic zeros', () => {
  it('shares the zero of a 0-d aval per dtype, and keeps the aval', () => {
    const a = Zero.like({ shape: [], dtype: 'float32' })
    const b = Zero.like(array(1, { dtype: 'float32' }))
    const c = Zero.like({ shape: [], dtype: 'float64' })
    expect(a).toBe(b)
    expect(a).not.toBe(c)
    expect([a.shape, a.dtype, c.shape, c.dtype]).toEqual([[], 'float32', [], 'float64'])
    expect(Object.isFrozen(a.shape)).toBe(true)
  })

  it('still differentiates a bound primitive applied with stray extra arguments (`xs.map(lax.stopGradient)`)', () => {
    // Arrange: map passes the index and the list too, which the bound primitive records as inputs
    const f = (x: NdArray): NdArray => neg([x].map(stopGradient)[0] as NdArray)
    const x = array(0.2, { dtype: 'float32' })
    // Act
    const [, t] = jvp(f, [x], [array(1, { dtype: 'float32' })])
    const [xBar] = vjp(f, x)[1](array(1.5, { dtype: 'float32' }))
    // Assert
    expect([(t as NdArray).item(), (xBar as NdArray).item()]).toEqual([0, 0])
  })

  it('makes a zero per call for arrays with axes (their shape is the input aval’s own)', () => {
    const shape = [2, 3]
    const z = Zero.like({ shape, dtype: 'float32' })
    expect(z.shape).toBe(shape)
    expect(Zero.like({ shape, dtype: 'float32' })).not.toBe(z)
  })
})
