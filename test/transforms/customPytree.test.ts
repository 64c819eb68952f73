/**
 * customVjp / customJvp over pytrees: arguments that are objects or tuples of arrays, and tuple
 * outputs. Expected derivatives come from the closed forms of the functions (the custom rules
 * here are the true derivatives, except where a test uses a deliberately scaled rule to prove the
 * user's rule is the one used).
 */
import { describe, expect, it } from 'vitest'
import { array, customJvp, customVjp, grad, jvp, mul, sin, cos, sum, add, type NdArray } from '../../src/index'

const f64 = (v: number | number[]): NdArray => array(v, { dtype: 'float64' })

describe('customVjp over pytrees', () => {
  // f({w, b}, x) = Σ sin(w·x + b); rule scaled by 2 so the test sees the custom rule
  type P = { w: NdArray; b: NdArray }
  const f = customVjp(
    (p: P, x: NdArray) => sum(sin(add(mul(p.w, x), p.b))),
    (p: P, x: NdArray) => [sum(sin(add(mul(p.w, x), p.b))), { p, x }] as const,
    (res: { p: P; x: NdArray }, g: NdArray) => {
      const c = mul(mul(cos(add(mul(res.p.w, res.x), res.p.b)), g), 2)
      return [{ w: mul(c, res.x), b: c }, mul(c, res.p.w)]
    },
  )

  it('gives one cotangent pytree per argument, from the user rule', () => {
    // Arrange
    const p = { w: f64([1, 2]), b: f64([0.5, -0.5]) }
    const x = f64([0.3, 0.7])
    // Act
    const [gp, gx] = grad(f, { argnums: [0, 1] })(p, x)
    // Assert: 2·cos(w x + b)·x, 2·cos(w x + b), 2·cos(w x + b)·w
    const z = [1 * 0.3 + 0.5, 2 * 0.7 - 0.5]
    expect((gp.w.toArray() as number[])[1]).toBeCloseTo(2 * Math.cos(z[1]!) * 0.7, 12)
    expect((gp.b.toArray() as number[])[0]).toBeCloseTo(2 * Math.cos(z[0]!), 12)
    expect((gx.toArray() as number[])[1]).toBeCloseTo(2 * Math.cos(z[1]!) * 2, 12)
  })

  it('tuple outputs: the cotangent reaches bwd as a tuple', () => {
    // g(x) = [sin x, cos x] with the true rule
    const g = customVjp(
      (x: NdArray) => [sin(x), cos(x)] as const,
      (x: NdArray) => [[sin(x), cos(x)] as const, x] as const,
      (x: NdArray, ct: readonly [NdArray, NdArray]) => [add(mul(ct[0], cos(x)), mul(ct[1], mul(sin(x), -1)))],
    )
    const d = grad((x: NdArray) => {
      const [s, c] = g(x)
      return sum(add(mul(s, 3), c))
    })(f64(0.4))
    expect(d.item()).toBeCloseTo(3 * Math.cos(0.4) - Math.sin(0.4), 12)
  })
})

describe('customJvp over pytrees', () => {
  it('rule over an object argument, used by jvp and by grad (transposed)', () => {
    type P = { a: NdArray; b: NdArray }
    const h = customJvp(
      (p: P) => mul(p.a, p.b),
      // JAX's convention: the rule receives the tuple of primals and the tuple of tangents
      ([p]: readonly [P], [t]: readonly [P]) => [mul(p.a, p.b), add(mul(t.a, p.b), mul(p.a, t.b))] as const,
    )
    const p = { a: f64(3), b: f64(5) }
    const [, yDot] = jvp(h, [p], [{ a: f64(1), b: f64(0) }])
    expect(yDot.item()).toBe(5)
    const gp = grad(h)(p)
    expect([gp.a.item(), gp.b.item()]).toEqual([5, 3])
  })
})
