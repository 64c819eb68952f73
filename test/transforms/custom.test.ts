import { describe, expect, it } from 'vitest'
import {
  add,
  array,
  customJvp,
  customVjp,
  div,
  DTypeError,
  TreeMismatchError,
  exp,
  grad,
  hessian,
  jacfwd,
  jacrev,
  jvp,
  log,
  mul,
  type NdArray,
  pow,
  ShapeError,
  sin,
  sub,
  sum,
  vjp,
} from 'wengert'
import { levelDepth } from '../../src/core/trace'
import { expectClose, f64 } from './helpers'

// x³ with a deliberately "wrong" VJP 5x²·ȳ, so every test can tell the user's rule was used
const cubeVjp = customVjp(
  (x) => mul(mul(x, x), x),
  (x) => [mul(mul(x, x), x), x],
  (x, g) => [mul(g, mul(mul(x as NdArray, x as NdArray), 5))],
)
// x³ with a deliberately "wrong" JVP 5x²·ẋ
const cubeJvp = customJvp(
  (x) => mul(mul(x, x), x),
  ([x], [t]) => [mul(mul(x!, x!), x!), mul(t!, mul(mul(x!, x!), 5))],
)

describe('customVjp', () => {
  it('grad uses bwd', () => {
    expectClose(grad(cubeVjp)(f64(2)), 20)
    expectClose(grad((x: NdArray) => sum(cubeVjp(x)))(f64([1, 2])), [5, 20])
  })

  it('vjp uses bwd, and the residuals fwd saved', () => {
    const [y, vjpFn] = vjp(cubeVjp, f64(3))
    expectClose(y, 27)
    expectClose(vjpFn(f64(2))[0], 90)
  })

  it('grad of grad differentiates bwd (and fwd through the residuals)', () => {
    // d/dx 5x² = 10x
    expectClose(grad(grad(cubeVjp))(f64(3)), 30)
    // jvp of grad (forward over reverse) likewise
    expectClose(jvp(grad(cubeVjp), [f64(3)], [f64(1)])[1], 30)
    expectClose(hessian(cubeVjp)(f64(3)), 30)
  })

  it('under forward mode (jvp, jacfwd) it differentiates f itself (JAX refuses; documented)', () => {
    expectClose(jvp(cubeVjp, [f64(2)], [f64(1)])[1], 12)
    expectClose(jacfwd((x: NdArray) => cubeVjp(x))(f64([1, 2])), [
      [3, 0],
      [0, 12],
    ])
    // jacrev is reverse mode: bwd
    expectClose(jacrev((x: NdArray) => cubeVjp(x))(f64([1, 2])), [
      [5, 0],
      [0, 20],
    ])
  })

  it('several arguments; null means a zero cotangent; numbers are accepted', () => {
    const scaled = customVjp(
      (x, s) => mul(x, s),
      (x, s) => [mul(x, s), s],
      (s, g) => [mul(g, s as NdArray), null],
    )
    const [gx, gs] = grad((x: NdArray, s: NdArray) => sum(scaled(x, s)), { argnums: [0, 1] })(f64([1, 2]), f64([3, 4]))
    expectClose(gx, [3, 4])
    expectClose(gs, [0, 0])
    expectClose(grad((x: NdArray) => scaled(x, 2))(array(1)), 2)
  })

  it('f need not be element-wise (a sum)', () => {
    const total = customVjp(
      function total(x) {
        return sum(x)
      },
      (x) => [sum(x), x.shape],
      (shape, g) => [mul(g, f64(new Array<number>((shape as number[])[0] ?? 0).fill(1)))],
    )
    expectClose(grad(total)(f64([1, 2, 3])), [1, 1, 1])
  })

  it('checks what bwd returns', () => {
    const bad = (bwd: (r: unknown, g: NdArray) => ReadonlyArray<NdArray | number | null>) =>
      customVjp(
        (x) => mul(x, 2),
        (x) => [mul(x, 2), null],
        bwd,
      )
    expect(() => grad(bad(() => []))(f64(1))).toThrow(TreeMismatchError)
    expect(() => grad(bad(() => []))(f64(1))).toThrow(
      /Custom VJP bwd rule must produce an output with the same container \(pytree\) structure as the args tuple of the primal function.*but got an array of length 0 for 1 argument/,
    )
    expect(() => grad(bad(() => [f64([1, 2])]))(f64(1))).toThrow(
      new ShapeError(
        'customVjp: Custom VJP bwd rule must produce an output with the same shape/dtypes as the args tuple of the primal function, but at output[0] the bwd rule produced an output of shape/dtype float64[2] corresponding to an input of shape/dtype float64[]',
      ),
    )
    expect(() => grad(bad(() => [array(1)]))(f64(1))).toThrow(DTypeError)
    expect(() =>
      grad(
        bad(() => {
          throw new Error('boom')
        }),
      )(f64(1)),
    ).toThrow('boom')
    expect(levelDepth()).toBe(0)
  })
})

describe('customJvp', () => {
  it('jvp and jacfwd use the rule', () => {
    expectClose(jvp(cubeJvp, [f64(2)], [f64(1)])[1], 20)
    expectClose(jacfwd((x: NdArray) => cubeJvp(x))(f64([1, 2])), [
      [5, 0],
      [0, 20],
    ])
  })

  it('reverse mode transposes the rule: grad, vjp, jacrev', () => {
    expectClose(grad(cubeJvp)(f64(2)), 20)
    expectClose(vjp(cubeJvp, f64(2))[1](f64(3))[0], 60)
    expectClose(jacrev((x: NdArray) => cubeJvp(x))(f64([1, 2])), [
      [5, 0],
      [0, 20],
    ])
  })

  it('higher order differentiates the rule: grad of grad, jvp of grad, hessian', () => {
    expectClose(grad(grad(cubeJvp))(f64(3)), 30)
    expectClose(jvp(grad(cubeJvp), [f64(3)], [f64(1)])[1], 30)
    expectClose(grad((x: NdArray) => jvp(cubeJvp, [x], [f64(1)])[1])(f64(3)), 30)
    expectClose(hessian(cubeJvp)(f64(3)), 30)
  })

  it('makes log(1 + eˣ) differentiable at large x (JAX custom_jvp tutorial)', () => {
    const naive = (x: NdArray) => log(add(exp(x), 1))
    const log1pexp = customJvp(naive, ([x], [t]) => [naive(x!), mul(t!, div(1, add(exp(mul(x!, -1)), 1)))])
    const x = array(100)
    expect(grad(naive)(x).item()).toBeNaN()
    expectClose(grad(log1pexp)(x), 1)
    expectClose(jvp(log1pexp, [x], [array(1)])[1], 1)
    expectClose(grad(log1pexp)(f64(0)), 0.5)
  })

  it('several arguments', () => {
    // f(x, y) = x·sin(y) with its true rule
    const f = customJvp(
      (x, y) => mul(x, sin(y)),
      ([x, y], [tx, ty]) => [mul(x!, sin(y!)), add(mul(tx!, sin(y!)), mul(mul(x!, ty!), sin(add(y!, Math.PI / 2))))],
    )
    const [gx, gy] = grad(f, { argnums: [0, 1] })(f64(2), f64(0.5))
    expectClose(gx, Math.sin(0.5))
    expectClose(gy, 2 * Math.cos(0.5), { atol: 1e-12 })
  })

  it('an integer argument is not differentiated', () => {
    // f(x, n) = x·n with its rule; n is an int32 array
    const scale = customJvp(
      (x, n) => mul(x, n),
      ([x, n], [t]) => [mul(x!, n!), mul(t!, n!)],
    )
    const n = array(3, { dtype: 'int32' })
    expectClose(grad((x: NdArray) => scale(x, n))(array(2)), 3)
    expectClose(jvp((x: NdArray) => scale(x, n), [array(2)], [array(1)])[1], 3)
  })

  it('checks the tangent the rule returns', () => {
    const bad = customJvp(
      (x) => mul(x, 2),
      ([x]) => [x!, f64([1, 2])],
    )
    expect(() => jvp(bad, [f64(1)], [f64(1)])).toThrow(
      new ShapeError(
        'customJvp: Custom JVP rule must produce primal and tangent outputs with corresponding shapes and dtypes, but got tangent float64[2] for primal output float64[]',
      ),
    )
    expect(levelDepth()).toBe(0)
  })
})

describe('customVjp under jvp: an argument with a zero tangent is a constant', () => {
  it('a rule term of the constant argument is not evaluated (x ** y at x < 0, y constant)', () => {
    const f = customVjp(
      (x: NdArray, y: NdArray) => pow(x, y),
      (x: NdArray, y: NdArray) => [pow(x, y), [x, y]] as const,
      ([x, y]: readonly [NdArray, NdArray], g: NdArray) => [mul(g, mul(y, pow(x, sub(y, 1)))), g],
    )
    const y = array([3, 3])
    const [, t] = jvp((x: NdArray) => f(x, y), [array([0.5, -1.2])], [array([1, 0])])
    // d/dx x³ = 3x²: [0.75, 0] (the exponent's term log(x)·x³·0 would be NaN at x = −1.2)
    expect(t.tolist()).toEqual([0.75, 0])
  })
})
