import { describe, expect, it } from 'vitest'
import { add, grad, hessian, jacfwd, jvp, makeTape, mul, type NdArray, sin, stopGradient, sum, vjp } from 'wengert'
import { expectClose, f64 } from './helpers'

describe('stopGradient', () => {
  it('keeps the value and blocks every derivative through it', () => {
    const f = (x: NdArray) => mul(x, stopGradient(mul(x, x)))
    // value x³, derivative x² (only the first factor is differentiated)
    expectClose(f(f64(2)), 8)
    expectClose(grad(f)(f64(2)), 4)
    expectClose(jvp(f, [f64(2)], [f64(1)])[1], 4)
    expectClose(vjp(f, f64(2))[1](f64(1))[0], 4)
    expectClose(jacfwd(f)(f64(2)), 4)
    // second derivative of x·c with c constant is 0
    expectClose(grad(grad(f))(f64(2)), 0)
    expectClose(hessian(f)(f64(2)), 0)
  })

  it('of a whole function gives zero gradients', () => {
    expectClose(grad((x: NdArray) => sum(stopGradient(sin(x))))(f64([1, 2])), [0, 0])
  })

  it('applies to the level it is used in only: stopping the inner derivative leaves the outer one', () => {
    // d/dx [ x · stopGradient(d/dy (x·y)) ] where d/dy (x·y) = x: the stopped factor is constant, so 1·x
    const g = grad((x: NdArray) => mul(x, stopGradient(grad((y: NdArray) => mul(x, y))(f64(5)))))
    expectClose(g(f64(3)), 3)
  })

  it('accepts numbers and is printed as stop_gradient', () => {
    expectClose(stopGradient(2), 2)
    expect(String(makeTape((x: NdArray) => add(x, stopGradient(x)))(f64(1)))).toMatchInlineSnapshot(`
      "{ lambda a:f64[] .
        let b:f64[] = stop_gradient a
            c:f64[] = add a b
        in ( c ) }"
    `)
  })
})
