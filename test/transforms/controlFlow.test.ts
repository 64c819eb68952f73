/** Traced values hold concrete values, so JavaScript control flow works under every transform. */
import { describe, expect, it } from 'vitest'
import {
  abs,
  add,
  div,
  grad,
  hessian,
  item,
  jacfwd,
  jacrev,
  jvp,
  linearize,
  mul,
  type NdArray,
  sin,
  sub,
  sum,
  vjp,
} from 'wengert'
import { expectClose, f64 } from './helpers'

// a piecewise function: x² for x > 0, else sin x
const piecewise = (x: NdArray): NdArray => (item(x) > 0 ? mul(x, x) : sin(x))

// √a by Newton's method, iterating until convergence (a data-dependent number of steps)
const newtonSqrt = (a: NdArray): NdArray => {
  let y = a
  for (let i = 0; i < 100; i++) {
    const next = mul(add(y, div(a, y)), 0.5)
    if (Math.abs(item(next) - item(y)) < 1e-15) return next // early return
    y = next
  }
  throw new Error('did not converge')
}

describe('control flow on traced values', () => {
  it('item() gives the concrete number under every transform', () => {
    expect(item(f64(2.5))).toBe(2.5)
    expect(item(3)).toBe(3)
    expect(() => item(f64([1, 2]))).toThrow(
      'item: can only convert an array of size 1 to a number, got shape [2] (size 2)',
    )
    grad((x: NdArray) => {
      expect(item(x)).toBe(2)
      jvp(
        (y: NdArray) => {
          expect(item(y)).toBe(3)
          expect(item(mul(x, y))).toBe(6)
          return y
        },
        [f64(3)],
        [f64(1)],
      )
      return x
    })(f64(2))
  })

  it('if on a traced value: both branches, every transform', () => {
    for (const [x, d, d2] of [
      [1.5, 3, 2],
      [-0.5, Math.cos(-0.5), -Math.sin(-0.5)],
    ] as const) {
      expectClose(grad(piecewise)(f64(x)), d)
      expectClose(jvp(piecewise, [f64(x)], [f64(1)])[1], d)
      expectClose(vjp(piecewise, f64(x))[1](f64(1))[0], d)
      expectClose(linearize(piecewise, f64(x))[1](f64(1)), d)
      expectClose(jacfwd(piecewise)(f64(x)), d)
      expectClose(jacrev(piecewise)(f64(x)), d)
      expectClose(grad(grad(piecewise))(f64(x)), d2)
      expectClose(hessian(piecewise)(f64(x)), d2)
    }
  })

  it('a loop until convergence with an early return: d√a/da = 1/(2√a), d²√a/da² = −1/(4a^{3/2})', () => {
    const a = 2
    expectClose(newtonSqrt(f64(a)), Math.SQRT2, { atol: 1e-15 })
    expectClose(grad(newtonSqrt)(f64(a)), 1 / (2 * Math.SQRT2), { atol: 1e-12 })
    expectClose(jvp(newtonSqrt, [f64(a)], [f64(1)])[1], 1 / (2 * Math.SQRT2), { atol: 1e-12 })
    expectClose(grad(grad(newtonSqrt))(f64(a)), -1 / (4 * a ** 1.5), { atol: 1e-9 })
  })

  it('per-element branching inside a vector function (loop over elements)', () => {
    // f(x) = Σᵢ (xᵢ > 0 ? xᵢ³ : −xᵢ), decided element by element
    const f = (x: NdArray) => {
      let total: NdArray = f64(0)
      const values = x.toArray() as number[]
      values.forEach((v, i) => {
        const xi = sum(mul(x, f64(values.map((_, j) => (j === i ? 1 : 0)))))
        total = add(total, v > 0 ? mul(mul(xi, xi), xi) : sub(0, xi))
      })
      return total
    }
    expectClose(grad(f)(f64([2, -1, 0.5])), [12, -1, 0.75])
  })

  it('a recursion whose depth depends on the value', () => {
    // halve until |x| < 1 then square: f(x) = (x / 2ᵏ)², k the number of halvings
    const f = (x: NdArray): NdArray => (item(abs(x)) < 1 ? mul(x, x) : f(mul(x, 0.5)))
    expectClose(grad(f)(f64(5)), (2 * 5) / 64) // k = 3: (x/8)², derivative 2x/64
    expectClose(grad(f)(f64(0.5)), 1)
  })
})
