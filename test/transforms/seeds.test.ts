/**
 * The PyTorch autograd examples of the seed articles, written functionally. Expected values come
 * from the articles' printed numbers and from closed-form derivatives.
 */
import { describe, expect, it } from 'vitest'
import { add, cos, grad, matmul, mean, mul, type NdArray, ones, sigmoid, softplus, sub, sum, vjp, zeros } from 'wengert'
import { expectClose, f64 } from './helpers'

describe('seed examples, functionally', () => {
  it('F = a·b at a = 10, b = 20: ∂F/∂a = 20, ∂F/∂b = 10', () => {
    const [dA, dB] = grad((a: NdArray, b: NdArray) => mul(a, b), { argnums: [0, 1] })(f64(10), f64(20))
    expect(dA.item()).toBe(20)
    expect(dB.item()).toBe(10)
  })

  it('F = a·b for vectors is not scalar: grad refuses, vjp with v = [1, 1] gives ∂F/∂a = b, ∂F/∂b = a', () => {
    const a = f64([10, 10])
    const b = f64([20, 20])
    expect(() => grad((x: NdArray, y: NdArray) => mul(x, y))(a, b)).toThrow(
      'Gradient only defined for scalar-output functions. Output had shape: (2,)',
    )
    const [F, vjpFn] = vjp((x: NdArray, y: NdArray) => mul(x, y), a, b)
    const [aBar, bBar] = vjpFn(f64([1, 1]))
    expectClose(F, [200, 200])
    expectClose(aBar, [20, 20])
    expectClose(bBar, [10, 10])
  })

  it('z = 3(x + 2)², out = mean(z) with x = ones(2, 2): the gradient is 4.5 everywhere', () => {
    const out = (x: NdArray) => {
      const y = add(x, 2)
      return mean(mul(mul(y, y), 3))
    }
    const x = ones([2, 2], { dtype: 'float64' })
    expectClose(out(x), 27)
    // d/dx mean(3(x+2)²) = 6(x+2)/4 = 4.5 at x = 1
    expectClose(grad(out)(x), [
      [4.5, 4.5],
      [4.5, 4.5],
    ])
  })

  it('y = 2x with v = [0.1, 1, 0.0001]: the vjp is [0.2, 2, 0.0002]', () => {
    const [, vjpFn] = vjp((x: NdArray) => mul(x, 2), f64([0.3, -1.2, 5]))
    expectClose(vjpFn(f64([0.1, 1, 0.0001]))[0], [0.2, 2, 0.0002], { atol: 1e-15 })
  })

  it('the gradient of sum(cos(a)) is −sin(a): at [1, 2, 3] it is [−0.8415, −0.9093, −0.1411]', () => {
    const g = grad((a: NdArray) => sum(cos(a)))(f64([1, 2, 3]))
    expectClose(g, [-0.8415, -0.9093, -0.1411], { atol: 5e-5 })
  })

  it('binary cross-entropy with logits of z = x·W + b (closed form: ∂L/∂z = (σ(z) − y)/n)', () => {
    // Arrange: the tutorial's shapes (x = ones(5), y = zeros(3), W: 5×3, b: 3) with fixed weights
    const x = ones([5], { dtype: 'float64' })
    const y = f64([0, 1, 0])
    const W = f64([
      [0.1, -0.2, 0.3],
      [0.4, 0.5, -0.6],
      [-0.7, 0.8, 0.9],
      [0.05, -0.15, 0.25],
      [0.2, 0.1, -0.3],
    ])
    const b = f64([0.01, -0.02, 0.03])
    // L = mean(log(1 + eᶻ) − y·z), the numerically stable form of BCE with logits
    const loss = (w: NdArray, bias: NdArray) => {
      const z = add(matmul(x, w), bias)
      return mean(sub(softplus(z), mul(y, z)))
    }
    // Act
    const [gW, gb] = grad(loss, { argnums: [0, 1] })(W, b)
    // Assert: z = colsum(W) + b; ∂L/∂b = (σ(z) − y)/3, ∂L/∂W = x ⊗ ∂L/∂b
    const Wv = W.toArray() as number[][]
    const z = [0, 1, 2].map((j) => Wv.reduce((s, r) => s + r[j]!, 0) + (b.toArray() as number[])[j]!)
    const dz = z.map((v, j) => (1 / (1 + Math.exp(-v)) - [0, 1, 0][j]!) / 3)
    expectClose(gb, dz, { atol: 1e-12 })
    expectClose(
      gW,
      Wv.map(() => dz),
      { atol: 1e-12 },
    )
  })

  it('the tutorial with y = zeros(3): ∂L/∂b = σ(z)/3 and every row of ∂L/∂W equals it', () => {
    // σ(z)/3 = [0.1814, 0.0460, 0.3266] as printed means z = logit(3·g); choose b so that x·W + b = z
    const printed = [0.1814, 0.046, 0.3266]
    const zs = printed.map((g) => Math.log((3 * g) / (1 - 3 * g)))
    const W = zeros([5, 3], { dtype: 'float64' })
    const loss = (w: NdArray, bias: NdArray) => {
      const z = add(matmul(ones([5], { dtype: 'float64' }), w), bias)
      return mean(softplus(z))
    }
    const [gW, gb] = grad(loss, { argnums: [0, 1] })(W, f64(zs))
    expectClose(gb, printed, { atol: 1e-12 })
    expectClose(gW, [printed, printed, printed, printed, printed], { atol: 1e-12 })
    expectClose(
      sigmoid(f64(zs)),
      printed.map((g) => 3 * g),
      { atol: 1e-12 },
    )
  })
})
