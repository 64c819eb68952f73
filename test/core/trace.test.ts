import { describe, expect, it } from 'vitest'
import {
  add,
  customJvp,
  customVjp,
  grad,
  hessian,
  jacfwd,
  jacrev,
  jvp,
  linearize,
  makeTape,
  mul,
  type NdArray,
  sin,
  sum,
  valueAndGrad,
  vjp,
  UnexpectedTracerError,
} from 'wengert'
import { concrete, levelDepth, Tracer } from '../../src/core/trace'
import { expectClose, f64 } from '../transforms/helpers'

describe('perturbation confusion (nested derivatives keep their levels apart)', () => {
  // d/dx [x · d/dy (x + y)] = d/dx [x · 1] = 1 — a confused implementation gives 2
  it('grad inside grad', () => {
    const g = grad((x: NdArray) => mul(x, grad((y: NdArray) => add(x, y))(f64(2))))
    expectClose(g(f64(3)), 1)
  })

  it('jvp inside jvp (Autodidax nth_order_derivative)', () => {
    const dy = (x: NdArray) => jvp((y: NdArray) => add(x, y), [f64(2)], [f64(1)])[1]
    expectClose(jvp((x: NdArray) => mul(x, dy(x)), [f64(3)], [f64(1)])[1], 1)
  })

  it('mixed: jvp inside grad and grad inside jvp', () => {
    const dyJvp = (x: NdArray) => jvp((y: NdArray) => add(x, y), [f64(2)], [f64(1)])[1]
    expectClose(grad((x: NdArray) => mul(x, dyJvp(x)))(f64(3)), 1)
    const dyGrad = (x: NdArray) => grad((y: NdArray) => add(x, y))(f64(2))
    expectClose(jvp((x: NdArray) => mul(x, dyGrad(x)), [f64(3)], [f64(1)])[1], 1)
  })

  it('the inner derivative of a product with the outer variable: d/dx [d/dy (x·y)] = 1, d/dx [x·d/dy(x·y)] = 2x', () => {
    expectClose(grad((x: NdArray) => grad((y: NdArray) => mul(x, y))(f64(5)))(f64(3)), 1)
    expectClose(grad((x: NdArray) => mul(x, grad((y: NdArray) => mul(x, y))(f64(5))))(f64(3)), 6)
  })

  it('an inner transform of a function closing over the outer variable only', () => {
    // d/dx jvp(y ↦ sin(x), …) tangent = 0
    expectClose(grad((x: NdArray) => add(sum(jvp((_y: NdArray) => sin(x), [f64(1)], [f64(1)])[1]), x))(f64(0.3)), 1)
  })
})

describe('traced values are concrete arrays', () => {
  it('under every transform a traced value holds its value', () => {
    const seen: number[] = []
    const f = (x: NdArray) => {
      seen.push(x.item() as number)
      expect(x).toBeInstanceOf(Tracer)
      return mul(x, x)
    }
    grad(f)(f64(2))
    jvp(f, [f64(3)], [f64(1)])
    vjp(f, f64(4))
    linearize(f, f64(5))
    grad(grad(f))(f64(6))
    expect(seen).toEqual([2, 3, 4, 5, 6])
  })

  it('concrete() strips every level', () => {
    grad(
      grad((x: NdArray) => {
        expect(concrete(x)).not.toBeInstanceOf(Tracer)
        expect(concrete(x).item()).toBe(7)
        return x
      }),
    )(f64(7))
  })
})

describe('levels are always closed', () => {
  const boom = (x: NdArray): NdArray => {
    if ((x.item() as number) > -Infinity) throw new Error('boom')
    return x
  }
  const cvjp = customVjp(
    boom,
    (x) => [boom(x), null],
    (_, g) => [g],
  )
  const cjvp = customJvp(
    (x) => x,
    ([x], [t]) => [boom(x!), t!],
  )

  it.each([
    ['grad', () => grad(boom)(f64(1))],
    ['valueAndGrad', () => valueAndGrad(boom)(f64(1))],
    ['vjp', () => vjp(boom, f64(1))],
    ['jvp', () => jvp(boom, [f64(1)], [f64(1)])],
    ['linearize', () => linearize(boom, f64(1))],
    ['jacfwd', () => jacfwd(boom)(f64(1))],
    ['jacrev', () => jacrev(boom)(f64(1))],
    ['hessian', () => hessian(boom)(f64(1))],
    ['makeTape', () => makeTape(boom)(f64(1))],
    ['grad(grad)', () => grad(grad(boom))(f64(1))],
    ['jvp(grad)', () => jvp(grad(boom), [f64(1)], [f64(1)])],
    ['customVjp under grad', () => grad(cvjp)(f64(1))],
    ['customJvp under jvp', () => jvp(cjvp, [f64(1)], [f64(1)])],
    ['customJvp under grad', () => grad(cjvp)(f64(1))],
    ['an error after f returned (non-scalar output)', () => grad((x: NdArray) => mul(x, f64([1, 2])))(f64(1))],
  ])('when f throws under %s', (_, run) => {
    expect(run).toThrow()
    expect(levelDepth()).toBe(0)
  })

  it('a caught error inside an inner transform leaves the outer one working', () => {
    const g = grad((x: NdArray) => {
      try {
        grad(boom)(x)
      } catch {
        // ignored
      }
      expect(levelDepth()).toBe(1)
      return mul(x, x)
    })
    expectClose(g(f64(3)), 6)
    expect(levelDepth()).toBe(0)
  })

  it('a value traced by an inner transform that closed, returned from the outer function, raises (JAX: UnexpectedTracerError)', () => {
    // the inner grad's level has closed when f returns `leak` = x·y: it escaped the inner grad
    const f = (x: NdArray) => {
      let leak: NdArray = x
      grad((y: NdArray) => {
        leak = mul(x, y)
        return leak
      })(f64(2))
      return leak
    }
    expect(() => grad(f)(f64(3))).toThrow(UnexpectedTracerError)
    expect(() => grad(f)(f64(3))).toThrow('value traced by grad escaped')
    expect(() => jvp(f, [f64(3)], [f64(1)])).toThrow(UnexpectedTracerError)
    expect(() => vjp(f, f64(3))).toThrow(UnexpectedTracerError)
    expect(() => jacfwd(f)(f64(3))).toThrow(UnexpectedTracerError)
    expect(levelDepth()).toBe(0)
  })

  it('a tracer that escapes its transform raises when used afterwards, also inside a later transform', () => {
    let leaked: NdArray | undefined
    grad((x: NdArray) => {
      leaked = mul(x, 2)
      return sum(leaked)
    })(f64(3))
    expect(() => add(leaked!, 1)).toThrow(UnexpectedTracerError)
    expect(() => grad((y: NdArray) => mul(y, leaked!))(f64(1))).toThrow(UnexpectedTracerError)
    expect(levelDepth()).toBe(0)
  })
})
