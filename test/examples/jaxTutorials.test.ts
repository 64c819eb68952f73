/**
 * JAX documentation tutorials ported to the functional core: "Training a simple neural network"
 * (vmap'd predict, one-hot, jit'd SGD step), "The Autodiff Cookbook" (grad/value_and_grad/argnums,
 * three Hessian-vector products, jacfwd/jacrev, per-example gradients, vmap of vjp/jvp) and
 * "Custom derivative rules" (log1pexp, f(x) = x / (1 + √x), clip_gradient, a fixed point with
 * custom_vjp). Expected values are closed forms or float64 finite differences.
 */
import { describe, expect, it } from 'vitest'
import * as w from 'wengert'
import {
  array,
  checkGrads,
  customJvp,
  customVjp,
  grad,
  hessian,
  jacfwd,
  jacrev,
  jit,
  jvp,
  lax,
  nn,
  random,
  scipy,
  tree,
  valueAndGrad,
  vjp,
  vmap,
  type NdArray,
} from 'wengert'

const f64 = (x: number | number[] | number[][]): NdArray => array(x, { dtype: 'float64' })
const num = (x: NdArray): number => x.item() as number
const close = (got: NdArray, want: NdArray, tol = 1e-10): void => {
  const g = (got.reshape([-1]).toArray() as number[]).map(Number)
  const e = (want.reshape([-1]).toArray() as number[]).map(Number)
  expect(got.shape).toEqual(want.shape)
  g.forEach((v, i) => expect(Math.abs(v - (e[i] as number))).toBeLessThanOrEqual(tol))
}

describe('JAX tutorial: training a simple neural network', () => {
  type Params = Array<[NdArray, NdArray]>
  const randomLayerParams = (m: number, n: number, key: NdArray, scale = 1e-2): [NdArray, NdArray] => {
    const [wKey, bKey] = random.split(key)
    return [w.mul(scale, random.normal(wKey, [n, m])), w.mul(scale, random.normal(bKey, [n]))]
  }
  const initNetworkParams = (sizes: number[], key: NdArray): Params => {
    const keys = [...random.split(key, sizes.length)]
    return sizes.slice(0, -1).map((m, i) => randomLayerParams(m, sizes[i + 1] as number, keys[i] as NdArray))
  }
  const predict = (params: Params, image: NdArray): NdArray => {
    let activations = image
    for (const [wt, b] of params.slice(0, -1)) activations = nn.relu(w.add(w.dot(wt, activations), b))
    const [finalW, finalB] = params[params.length - 1] as [NdArray, NdArray]
    const logits = w.add(w.dot(finalW, activations), finalB)
    return w.sub(logits, scipy.special.logsumexp(logits))
  }
  // jax.vmap(predict, in_axes=(None, 0))
  const batchedPredict = vmap(predict, { inAxes: [null, 0] })
  // one_hot(x, k) = jnp.array(x[:, None] == jnp.arange(k), dtype)
  const oneHot = (x: NdArray, k: number): NdArray => w.equal(w.expandDims(x, -1), w.arange(k)).astype('float32')
  const accuracy = (params: Params, images: NdArray, targets: NdArray): number =>
    num(w.mean(w.equal(w.argmax(batchedPredict(params, images), { axis: 1 }), w.argmax(targets, { axis: 1 }))))
  const loss = (params: Params, images: NdArray, targets: NdArray): NdArray =>
    w.neg(w.mean(w.mul(batchedPredict(params, images), targets)))

  it('learns a small labelled set with the jit-compiled SGD update', () => {
    // Arrange: 40 points in 8-D, 4 classes separated by their means
    const [kData, kParams] = random.split(random.key(0))
    const labels = random.randint(kData, [40], 0, 4)
    const means = w.mul(3, random.normal(random.key(11), [4, 8]))
    const images = w.add(w.take(means, labels, { axis: 0 }), random.normal(random.key(12), [40, 8]))
    const targets = oneHot(labels, 4)
    expect(targets.toArray()).toEqual(nn.oneHot(labels, 4).toArray())
    const update = jit((params: Params, x: NdArray, y: NdArray): Params => {
      const grads = grad(loss)(params, x, y)
      return tree.map((p: NdArray, g: NdArray) => w.sub(p, w.mul(0.5, g)), params, grads) as Params
    })
    let params = initNetworkParams([8, 32, 4], kParams)
    // Act
    const before = num(loss(params, images, targets))
    for (let epoch = 0; epoch < 150; epoch++) params = update(params, images, targets)
    // Assert
    expect(num(loss(params, images, targets))).toBeLessThan(before / 4)
    expect(accuracy(params, images, targets)).toBeGreaterThanOrEqual(0.95)
    // the batched prediction is the per-example prediction
    close(batchedPredict(params, images).at(3).get(), predict(params, images.at(3).get()), 1e-6)
  })
})

describe('JAX tutorial: the Autodiff Cookbook', () => {
  it('grad of tanh and its third derivative', () => {
    const t = Math.tanh(2)
    expect(num(grad(w.tanh)(f64(2)))).toBeCloseTo(1 - t * t, 14)
    // d³ tanh = (1 - t²)(6t² - 2)
    expect(num(grad(grad(grad(w.tanh)))(f64(2)))).toBeCloseTo((1 - t * t) * (6 * t * t - 2), 12)
  })

  const sigmoid = (x: NdArray): NdArray => w.mul(0.5, w.add(w.tanh(w.div(x, 2)), 1))
  const inputs = f64([
    [0.52, 1.12, 0.77],
    [0.88, -1.08, 0.15],
    [0.52, 0.06, -1.3],
    [0.74, -2.49, 1.39],
  ])
  const targets = array([true, true, false, true])
  const predict = (W: NdArray, b: NdArray): NdArray => sigmoid(w.add(w.dot(inputs, W), b))
  const loss = (W: NdArray, b: NdArray): NdArray => {
    const preds = predict(W, b)
    const labelProbs = w.add(w.mul(preds, targets), w.mul(w.sub(1, preds), w.logicalNot(targets)))
    return w.neg(w.sum(w.log(labelProbs)))
  }
  const [k1, k2] = random.split(random.key(0))
  const W = random.normal(k1, [3], { dtype: 'float64' })
  const b = random.normal(k2, [], { dtype: 'float64' })

  it('logistic regression: argnums, value_and_grad, a pytree argument and finite differences', () => {
    const wGrad = grad(loss, { argnums: 0 })(W, b)
    const [wGrad2, bGrad] = grad(loss, { argnums: [0, 1] })(W, b)
    close(wGrad2, wGrad, 0)
    const [value, wGrad3] = valueAndGrad(loss)(W, b)
    expect(num(value)).toBe(num(loss(W, b)))
    close(wGrad3, wGrad, 0)
    const dict = grad((p: { W: NdArray; b: NdArray }) => loss(p.W, p.b))({ W, b })
    close(dict.b, bGrad, 0)
    // the Cookbook's numerical check of b's gradient
    const eps = 1e-4
    const bNumerical = (num(loss(W, w.add(b, eps / 2))) - num(loss(W, w.sub(b, eps / 2)))) / eps
    expect(num(bGrad)).toBeCloseTo(bNumerical, 7)
    checkGrads(loss, [W, b], { order: 2 })
  })

  it('Hessian-vector products: grad of vdot, forward-over-reverse, reverse-over-reverse', () => {
    const f = (x: NdArray): NdArray => w.sum(w.mul(w.sin(x), w.exp(w.mul(0.3, x))))
    const x = f64([0.1, 0.5, -1.2])
    const v = f64([1, -2, 0.5])
    const hvpVdot = grad((y: NdArray) => w.vdot(grad(f)(y), v))(x)
    const hvpFwdRev = jvp(grad(f), [x], [v])[1]
    const hvpRevRev = (vjp(grad(f), x)[1](v) as NdArray[])[0] as NdArray
    // f is separable: H = diag(f''), f''(x) = e^{0.3x}((0.09 - 1) sin x + 0.6 cos x)
    const exact = f64(
      [0.1, 0.5, -1.2].map((a, i) => Math.exp(0.3 * a) * (-0.91 * Math.sin(a) + 0.6 * Math.cos(a)) * [1, -2, 0.5][i]!),
    )
    for (const h of [hvpVdot, hvpFwdRev, hvpRevRev, w.matmul(hessian(f)(x), v)]) close(h, exact, 1e-12)
  })

  it('jacfwd and jacrev agree; jacfwd(jacrev) is the Hessian; per-example gradients by vmap(grad)', () => {
    const J = jacfwd(predict)(W, b)
    expect(J.shape).toEqual([4, 3])
    close(jacrev(predict)(W, b), J, 1e-14)
    // ∂σ(xᵢ·W + b)/∂W = σ'·xᵢ
    const s = predict(W, b)
    close(J, w.mul(w.expandDims(w.mul(s, w.sub(1, s)), 1), inputs), 1e-14)
    expect(jacfwd(jacrev(predict))(W, b).shape).toEqual([4, 3, 3])
    const exampleLoss = (Wt: NdArray, x: NdArray, t: NdArray): NdArray => {
      const p = sigmoid(w.dot(x, Wt))
      return w.neg(w.log(w.where(t, p, w.sub(1, p))))
    }
    const perExample = vmap(grad(exampleLoss), { inAxes: [null, 0, 0] })(W, inputs, targets)
    expect(perExample.shape).toEqual([4, 3])
    for (let i = 0; i < 4; i++)
      close(perExample.at(i).get(), grad(exampleLoss)(W, inputs.at(i).get(), targets.at(i).get()))
  })

  it('Jacobian-matrix and matrix-Jacobian products by vmap of jvp and vjp', () => {
    const f = (Wt: NdArray): NdArray => predict(Wt, b)
    const J = jacfwd(f)(W)
    const [, pullback] = vjp(f, W)
    const M = random.normal(random.key(7), [2, 4], { dtype: 'float64' })
    const MJ = vmap((m: NdArray) => (pullback(m) as NdArray[])[0] as NdArray)(M)
    close(MJ, w.matmul(M, J), 1e-14)
    const S = random.normal(random.key(8), [3, 2], { dtype: 'float64' })
    const JS = vmap((s: NdArray) => jvp(f, [W], [s])[1], { inAxes: 1, outAxes: 1 })(S)
    close(JS, w.matmul(J, S), 1e-14)
  })
})

describe('JAX tutorial: custom derivative rules', () => {
  it('custom_jvp log1pexp keeps the gradient finite at 100 under jit and vmap', () => {
    const log1pexp = customJvp((x: NdArray) => w.log(w.add(1, w.exp(x))))
    log1pexp.defjvp(([x], [t]) => [
      log1pexp(x as NdArray),
      w.mul(w.sub(1, w.div(1, w.add(1, w.exp(x as NdArray)))), t as NdArray),
    ])
    // in float32, as in the tutorial: exp(100) overflows
    expect(num(grad(log1pexp)(array(100)))).toBe(1)
    expect(num(jit(grad(log1pexp))(f64(3)))).toBeCloseTo(1 / (1 + Math.exp(-3)), 14)
    close(vmap(jit(grad(log1pexp)))(f64([0, 1, 2])), f64([0, 1, 2].map((x) => 1 / (1 + Math.exp(-x)))), 1e-14)
    // the naive function's gradient is NaN at 100 (∞/∞), as the tutorial shows
    expect(Number.isNaN(num(grad((x: NdArray) => w.log(w.add(1, w.exp(x))))(array(100))))).toBe(true)
  })

  it('custom_jvp f(x) = x / (1 + √x): grad at 0 is 1', () => {
    const f = customJvp((x: NdArray) => w.div(x, w.add(1, w.sqrt(x))))
    f.defjvp(([x], [xDot]) => {
      const r = w.sqrt(x as NdArray)
      return [f(x as NdArray), w.mul(w.div(w.add(r, 2), w.mul(2, w.square(w.add(r, 1)))), xDot as NdArray)]
    })
    expect(num(grad(f)(f64(0)))).toBe(1)
    expect(num(grad(f)(f64(4)))).toBeCloseTo(4 / 18, 14)
  })

  it('custom_jvp of two arguments: f(x, y) = sin(x)·y', () => {
    const f = customJvp((x: NdArray, y: NdArray) => w.mul(w.sin(x), y))
    f.defjvp(([x, y], [xDot, yDot]) => [
      f(x as NdArray, y as NdArray),
      w.add(
        w.mul(w.mul(w.cos(x as NdArray), xDot as NdArray), y as NdArray),
        w.mul(w.sin(x as NdArray), yDot as NdArray),
      ),
    ])
    expect(num(grad(f)(f64(2), f64(3)))).toBeCloseTo(3 * Math.cos(2), 14)
    expect(num(grad(f, { argnums: 1 })(f64(2), f64(3)))).toBeCloseTo(Math.sin(2), 14)
  })

  it('custom_vjp clip_gradient(lo, hi, x)', () => {
    const clipGradient = customVjp(
      (_lo: number, _hi: number, x: NdArray) => x,
      (lo: number, hi: number, x: NdArray) => [x, [lo, hi]] as const,
      (res: readonly [number, number], g: NdArray) => [null, null, w.clip(g, res[0], res[1])],
    )
    const clipSin = (x: NdArray): NdArray => clipGradient(-0.75, 0.75, w.sin(x))
    const xs = f64([0, 1, 2, 3])
    close(vmap(grad(clipSin))(xs), f64([0, 1, 2, 3].map((x) => 0.75 * Math.cos(x))), 1e-14)
    expect(num(clipSin(f64(2)))).toBe(Math.sin(2))
  })

  it('custom_vjp fixed point: Newton sqrt through while_loop, reverse mode by the implicit function theorem', () => {
    type Pair = [NdArray, NdArray]
    const fixedPoint = (f: (a: NdArray, x: NdArray) => NdArray, a: NdArray, x0: NdArray): NdArray =>
      lax.whileLoop(
        ([prev, x]: Pair) => w.greater(w.abs(w.sub(prev, x)), 1e-12),
        ([, x]: Pair): Pair => [x, f(a, x)],
        [x0, f(a, x0)] as Pair,
      )[1]
    const update = (a: NdArray, x: NdArray): NdArray => w.mul(0.5, w.add(x, w.div(a, x)))
    const fp = customVjp(
      (a: NdArray, x0: NdArray) => fixedPoint(update, a, x0),
      (a: NdArray, x0: NdArray) => {
        const z = fixedPoint(update, a, x0)
        return [z, [a, z]] as const
      },
      ([a, z]: readonly [NdArray, NdArray], zBar: NdArray) => {
        const [, vjpA] = vjp((s: NdArray) => update(s, z), a)
        const [, vjpZ] = vjp((s: NdArray) => update(a, s), z)
        const u = fixedPoint((p: NdArray, s: NdArray) => w.add((vjpZ(s) as NdArray[])[0] as NdArray, p), zBar, zBar)
        return [(vjpA(u) as NdArray[])[0], w.zerosLike(z)]
      },
    )
    const newtonSqrt = (a: NdArray): NdArray => fp(a, a)
    expect(num(newtonSqrt(f64(2)))).toBeCloseTo(Math.SQRT2, 14)
    expect(num(grad(newtonSqrt)(f64(2)))).toBeCloseTo(0.5 / Math.SQRT2, 12)
    close(vmap(grad(newtonSqrt))(f64([1, 4, 9])), f64([1 / 2, 1 / 4, 1 / 6]), 1e-12)
  })
})
