import { describe, expect, it } from 'vitest'
import {
  add,
  array,
  cos,
  DTypeError,
  exp,
  grad,
  item,
  log,
  matmul,
  mul,
  type NdArray,
  ShapeError,
  sin,
  sum,
  tanh,
  ValueError,
  valueAndGrad,
} from 'wengert'
import { expectClose, f64 } from './helpers'

describe('grad', () => {
  it('differentiates a scalar function of a vector', () => {
    // Arrange: f(x) = Σ sin(x)·x, ∇f = cos(x)·x + sin(x)
    const xs = [0.1, -0.7, 2.3]
    // Act
    const g = grad((x: NdArray) => sum(mul(sin(x), x)))(f64(xs))
    // Assert
    expectClose(
      g,
      xs.map((v) => Math.cos(v) * v + Math.sin(v)),
      { shape: [3] },
    )
  })

  it('grad⁴(sin) = sin', () => {
    const g4 = grad(grad(grad(grad((x: NdArray) => sin(x)))))
    for (const v of [-2, -0.3, 0, 0.7, 3]) expectClose(g4(f64(v)), Math.sin(v), { atol: 1e-12 })
  })

  it('keeps the dtype of the argument and turns numbers into float32 scalars', () => {
    expect(grad((x: NdArray) => mul(x, x))(array(3)).dtype).toBe('float32')
    expect(grad((x: NdArray) => mul(x, x))(f64(3)).dtype).toBe('float64')
    const g = grad((x: NdArray) => mul(x, x))(3 as unknown as NdArray)
    expect(g.dtype).toBe('float32')
    expect(g.item()).toBe(6)
  })

  it('argnums: a number gives one gradient, a list a tuple', () => {
    const f = (a: NdArray, b: NdArray, c: NdArray) => sum(mul(mul(a, b), c))
    const [a, b, c] = [f64([1, 2]), f64([3, 4]), f64([5, 6])]
    expectClose(grad(f, { argnums: 1 })(a, b, c), [5, 12])
    const [ga, gc] = grad(f, { argnums: [0, 2] })(a, b, c)
    expectClose(ga, [15, 24])
    expectClose(gc, [3, 8])
    expectClose(grad(f, { argnums: -1 })(a, b, c), [3, 8])
    expect(() => grad(f, { argnums: [0, 0] })(a, b, c)).toThrow(
      new ValueError('grad: argnums must not repeat an argument, got (0, 0)'),
    )
    expect(() => grad(f, { argnums: 3 })(a, b, c)).toThrow(
      new ValueError(
        'grad: differentiating with respect to argnums=3 requires at least 4 positional arguments to be passed by the caller, but got only 3 positional arguments',
      ),
    )
  })

  it('differentiates pytrees of parameters and returns the same structure', () => {
    // Arrange: a linear model with squared loss; ∂L/∂w = 2·xᵀ(xw + b − y), ∂L/∂b = 2·Σ(xw + b − y)
    const x = f64([
      [1, 2],
      [3, 4],
      [5, 6],
    ])
    const y = f64([[1], [0], [2]])
    const params = { w: f64([[0.5], [-0.25]]), b: [f64(0.1)], lr: 0.5 }
    const loss = (p: { w: NdArray; b: NdArray[]; lr: number }) => {
      const r = add(add(matmul(x, p.w), p.b[0] as NdArray), mul(y, -1))
      return sum(mul(r, r))
    }
    // Act
    const g = grad(loss)(params)
    // Assert: residuals r = [0.1-1, 0.6-0, 1.1-2] = [-0.9, 0.6, -0.9]
    const r = [-0.9, 0.6, -0.9]
    expectClose(g.w, [[2 * (1 * r[0]! + 3 * r[1]! + 5 * r[2]!)], [2 * (2 * r[0]! + 4 * r[1]! + 6 * r[2]!)]])
    expectClose(g.b[0]!, 2 * (r[0]! + r[1]! + r[2]!))
    // numbers inside a differentiated pytree are differentiated too (here: not used, so zero)
    expectClose(g.lr, 0)
  })

  it('a function that does not depend on its argument has a zero gradient', () => {
    expectClose(grad((_: NdArray) => f64(3))(f64([1, 2])), [0, 0])
    expectClose(grad((_x: NdArray) => 3)(f64(1)), 0)
  })

  it('a gradient of the identity is one', () => {
    expectClose(grad((x: NdArray) => x)(f64(4)), 1)
  })

  it('hasAux returns [grad, aux]; aux holds concrete values', () => {
    const [g, aux] = grad((x: NdArray) => [sum(mul(x, x)), { sq: mul(x, x), n: 2 }] as const, { hasAux: true })(
      f64([1, 2]),
    )
    expectClose(g, [2, 4])
    expectClose(aux.sq, [1, 4])
    expect(aux.n).toBe(2)
  })
})

describe('valueAndGrad', () => {
  it('returns [value, grad]', () => {
    const [v, g] = valueAndGrad((x: NdArray) => sum(exp(x)))(f64([0, 1]))
    expectClose(v, 1 + Math.E)
    expectClose(g, [1, Math.E])
  })

  it('with hasAux returns [[value, aux], grad]', () => {
    const [[v, aux], g] = valueAndGrad((x: NdArray) => [sum(tanh(x)), cos(x)] as const, { hasAux: true })(f64([0.5]))
    expectClose(v, Math.tanh(0.5))
    expectClose(aux, [Math.cos(0.5)])
    expectClose(g, [1 - Math.tanh(0.5) ** 2])
  })

  it('with argnums tuple', () => {
    const [v, [ga, gb]] = valueAndGrad((a: NdArray, b: NdArray) => mul(a, log(b)), { argnums: [0, 1] })(f64(2), f64(3))
    expectClose(v, 2 * Math.log(3))
    expectClose(ga, Math.log(3))
    expectClose(gb, 2 / 3)
  })
})

describe('grad errors', () => {
  it('refuses a non-scalar output, naming its shape as JAX does', () => {
    expect(() => grad((x: NdArray) => sin(x))(f64([1, 2, 3]))).toThrow(ShapeError)
    expect(() => grad((x: NdArray) => sin(x))(f64([1, 2, 3]))).toThrow(
      'Gradient only defined for scalar-output functions. Output had shape: (3,)',
    )
    expect(() =>
      grad((x: NdArray) => matmul(x, x))(
        f64([
          [1, 2],
          [3, 4],
        ]),
      ),
    ).toThrow('Output had shape: (2, 2)')
    expect(() => grad((x: NdArray) => [x, x])(f64(1))).toThrow(ShapeError)
  })

  it('refuses integer and bool inputs and outputs', () => {
    expect(() => grad((x: NdArray) => sum(x))(array([1, 2], { dtype: 'int32' }))).toThrow(DTypeError)
    expect(() => grad((x: NdArray) => sum(x))(array([1, 2], { dtype: 'int32' }))).toThrow('but got int32 (argument 0)')
    expect(() => grad((x: NdArray) => x)(array(true))).toThrow('but got bool (argument 0)')
    expect(() =>
      grad((x: NdArray, _n: NdArray) => sum(x), { argnums: [0, 1] })(f64(1), array(2, { dtype: 'int32' })),
    ).toThrow('but got int32 (argument 1)')
    // integer data as a non-differentiated argument is fine
    expectClose(grad((x: NdArray, n: NdArray) => mul(x, item(n)))(f64(1), array(3, { dtype: 'int32' })), 3)
    expect(() => grad((_x: NdArray) => sum(array([1, 2], { dtype: 'int32' })))(f64(1))).toThrow(
      'grad: grad requires real-valued outputs (output dtype that is a sub-dtype of np.floating), but got int32',
    )
  })

  it('hasAux requires a pair', () => {
    expect(() => grad((x: NdArray) => x, { hasAux: true })(f64(1))).toThrow(ValueError)
  })

  it('refuses leaves that are not arrays or numbers', () => {
    expect(() => grad((p: { s: string }) => f64(p.s.length))({ s: 'abc' })).toThrow(
      'argument 0 of type string is not a valid JAX type: it must be an array or a number, got string',
    )
  })
})
