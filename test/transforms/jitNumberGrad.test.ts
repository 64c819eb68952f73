/**
 * `jax.jit(jax.grad(f))(3.)` ported is `jit(grad(f))(3)`: JavaScript has one number type, so a
 * number argument is differentiated as the float32 0-d array it is eagerly, also when `jit`
 * traces it as a weak scalar (it used to be refused as an int32 input).
 */
import { describe, expect, it } from 'vitest'
import {
  add,
  array,
  DTypeError,
  div,
  exp,
  grad,
  hessian,
  jit,
  log1p,
  mul,
  sub,
  tanh,
  valueAndGrad,
  type NdArray,
} from '../../src/index'

describe('jit of grad called with JavaScript numbers', () => {
  it('agrees with the eager gradient, integral or fractional, in value and dtype', () => {
    // Arrange
    const f = (x: NdArray | number): NdArray => log1p(exp(x))
    const eager = grad(f)
    const staged = jit(grad(f))
    for (const x of [3, 0, -2, 2.5]) {
      // Act
      const got = staged(x)
      // Assert: σ(x), computed in float32 as eagerly
      const want = eager(x)
      expect(got.dtype).toBe('float32')
      expect(got.dtype).toBe(want.dtype)
      expect(got.item()).toBe(want.item())
      expect(got.item()).toBeCloseTo(1 / (1 + Math.exp(-x)), 6)
    }
  })

  it('works for several number arguments, valueAndGrad and hessian', () => {
    const g = (x: NdArray | number, y: NdArray | number): NdArray => add(mul(x, x), mul(3, y))
    const [dx, dy] = jit(grad(g, { argnums: [0, 1] }))(2, 5)
    expect([dx.item(), dy.item()]).toEqual([4, 3])
    const [v, d] = jit(valueAndGrad(tanh))(1)
    expect(v.item()).toBeCloseTo(Math.tanh(1), 6)
    expect(d.item()).toBeCloseTo(1 - Math.tanh(1) ** 2, 6)
    // d²/dx² of x³/6 at 4 is 4
    expect(jit(hessian((x: NdArray | number) => div(mul(mul(x, x), x), 6)))(4).item()).toBeCloseTo(4, 5)
  })

  it('still refuses an integer array', () => {
    const h = jit(grad((x: NdArray) => sub(x, 1)))
    expect(() => h(array(1, { dtype: 'int32' }))).toThrow(DTypeError)
    expect(() => h(array(1, { dtype: 'int32' }))).toThrow(
      /grad: grad requires real- or complex-valued inputs .*but got int32/,
    )
  })
})
