/**
 * Programs in the style of jax/examples, ported to the functional core with
 * exampleLibraries: mnist_classifier, mnist_vae, gaussian_process_regression,
 * differentially_private_sgd and advi — on small random data, each checked to learn.
 */
import { describe, expect, it } from 'vitest'
import {
  add,
  array,
  diag,
  div,
  exampleLibraries,
  exp,
  eye,
  grad,
  jit,
  linalg,
  log,
  mean,
  mul,
  neg,
  random,
  reshape,
  scipy,
  square,
  sub,
  sum,
  transpose,
  valueAndGrad,
  vmap,
  type NdArray,
} from 'wengert'

const { optimizers, stax } = exampleLibraries
type P = exampleLibraries.stax.StaxParams

describe('jax/examples ported', () => {
  it('mnist_classifier: stax MLP + optimizers.momentum under jit', () => {
    const [initRandomParams, predict] = stax.serial(stax.Dense(32), stax.Relu, stax.Dense(10), stax.LogSoftmax)
    const rng = random.key(0)
    const [kx, ky, kp] = random.split(rng, 3)
    const images = random.normal(kx, [64, 20])
    const labels = random.randint(ky, [64], 0, 10)
    const targets = array(
      (labels.toArray() as number[]).map((c) => Array.from({ length: 10 }, (_, k) => (k === c ? 1 : 0))),
    )
    const loss = (params: P, batch: [NdArray, NdArray]): NdArray => {
      const [inputs, t] = batch
      return neg(mean(sum(mul(predict(params, inputs), t), 1)))
    }
    const [optInit, optUpdate, getParams] = optimizers.momentum(0.1, { mass: 0.9 })
    const update = jit((i: NdArray, state: exampleLibraries.optimizers.OptimizerState<P>, batch: [NdArray, NdArray]) =>
      optUpdate(i, grad(loss)(getParams(state), batch), state),
    )
    const [, initParams] = initRandomParams(kp, [-1, 20])
    let state = optInit(initParams)
    const before = Number(loss(getParams(state), [images, targets]).item())
    for (let i = 0; i < 60; i++) state = update(array(i, { dtype: 'int32' }), state, [images, targets])
    const after = Number(loss(getParams(state), [images, targets]).item())
    expect(after).toBeLessThan(before * 0.5)
  })

  it('mnist_vae: stax encoder/decoder, random.split per step, optimizers.adam, jit', () => {
    const [encInit, encode] = stax.serial(
      stax.Dense(16),
      stax.Softplus,
      stax.FanOut(2),
      stax.parallel(stax.Dense(2), stax.serial(stax.Dense(2), stax.Softplus)),
    )
    const [decInit, decode] = stax.serial(stax.Dense(16), stax.Softplus, stax.Dense(12))
    const gaussianSample = (k: NdArray, mu: NdArray, sigmasq: NdArray): NdArray =>
      add(mu, mul(exp(mul(0.5, log(sigmasq))), random.normal(k, mu.shape)))
    const logpdf = (logits: NdArray, x: NdArray): NdArray => sum(sub(mul(x, logits), log(add(1, exp(logits)))))
    const gaussianKl = (mu: NdArray, sigmasq: NdArray): NdArray =>
      mul(-0.5, sum(sub(sub(add(1, log(sigmasq)), square(mu)), sigmasq)))
    const elbo = (k: NdArray, params: [P, P], images: NdArray): NdArray => {
      const [encParams, decParams] = params
      const [mu, sigmasq] = encode(encParams, images) as unknown as [NdArray, NdArray]
      const logits = decode(decParams, gaussianSample(k, mu, sigmasq))
      return sub(logpdf(logits, images), gaussianKl(mu, sigmasq))
    }
    const [k1, k2, kd] = random.split(random.key(1), 3)
    const images = random.bernoulli(kd, 0.3, [32, 12]).astype('float32')
    const [, encParams] = encInit(k1, [32, 12])
    const [, decParams] = decInit(k2, [32, 2])
    const [optInit, optUpdate, getParams] = optimizers.adam(0.01)
    const step = jit((i: NdArray, k: NdArray, s: exampleLibraries.optimizers.OptimizerState<[P, P]>) =>
      optUpdate(i, grad((p: [P, P]) => neg(div(elbo(k, p, images), 32)))(getParams(s)), s),
    )
    let state = optInit<[P, P]>([encParams, decParams])
    let key = random.key(2)
    const evalElbo = (s: typeof state): number => Number(elbo(random.key(9), getParams(s), images).item())
    const before = evalElbo(state)
    for (let i = 0; i < 80; i++) {
      const [next, sub1] = random.split(key)
      key = next
      state = step(array(i, { dtype: 'int32' }), sub1, state)
    }
    expect(evalElbo(state)).toBeGreaterThan(before)
  })

  it('gaussian_process_regression: grad of the marginal likelihood wrt kernel hyperparameters', () => {
    const x = reshape(array([-2, -1.2, -0.4, 0.3, 1.1, 1.9, 2.5], { dtype: 'float64' }), [7, 1])
    const y = array([0.9, 0.1, -0.4, -0.2, 0.5, 1.3, 1.5], { dtype: 'float64' })
    const cov = (amp: NdArray, ls: NdArray, a: NdArray, b: NdArray): NdArray => {
      const d = sub(a, transpose(b))
      return mul(exp(amp), exp(neg(div(square(d), mul(2, exp(mul(2, ls)))))))
    }
    const negLogMarginal = (params: { amp: NdArray; ls: NdArray; noise: NdArray }): NdArray => {
      const k = add(cov(params.amp, params.ls, x, x), mul(add(exp(params.noise), 1e-6), eye(7, { dtype: 'float64' })))
      const L = linalg.cholesky(k)
      const alpha = linalg.choSolve([L, true], y)
      return add(mul(0.5, sum(mul(y, alpha))), sum(log(diag(L))))
    }
    const p0 = {
      amp: array(0, { dtype: 'float64' }),
      ls: array(0, { dtype: 'float64' }),
      noise: array(-2, { dtype: 'float64' }),
    }
    const g = grad(negLogMarginal)(p0)
    // central differences in float64
    const h = 1e-6
    for (const k of ['amp', 'ls', 'noise'] as const) {
      const plus = Number(negLogMarginal({ ...p0, [k]: p0[k].add(h) }).item())
      const minus = Number(negLogMarginal({ ...p0, [k]: p0[k].sub(h) }).item())
      expect(Number(g[k].item())).toBeCloseTo((plus - minus) / (2 * h), 5)
    }
    const [optInit, optUpdate, getParams] = optimizers.adam(0.05)
    let s = optInit(p0)
    const before = Number(negLogMarginal(p0).item())
    for (let i = 0; i < 50; i++) s = optUpdate(i, grad(negLogMarginal)(getParams(s)), s)
    expect(Number(negLogMarginal(getParams(s)).item())).toBeLessThan(before)
  })

  it('differentially_private_sgd: vmap of per-example grads, clipping, Gaussian noise', () => {
    const [init, predict] = stax.serial(stax.Dense(8), stax.Tanh, stax.Dense(2), stax.LogSoftmax)
    const [kx, kp] = random.split(random.key(3))
    const xs = random.normal(kx, [16, 4])
    const t = array(Array.from({ length: 16 }, (_, i) => (i % 2 ? [1, 0] : [0, 1])))
    const xsSep = add(xs, mul(reshape(array(Array.from({ length: 16 }, (_, i) => (i % 2 ? 2 : -2))), [16, 1]), 1))
    const loss = (params: P, x: NdArray, target: NdArray): NdArray =>
      neg(sum(mul(predict(params, reshape(x, [1, 4])), target)))
    const privateGrad = (params: P, key: NdArray, l2NormClip: number, noiseMultiplier: number): P => {
      const perExample = vmap((x: NdArray, target: NdArray) => grad(loss)(params, x, target))(xsSep, t) as P
      const clipped = vmap((g: P) => optimizers.clipGrads(g, l2NormClip))(perExample) as P
      const summed = (clipped as NdArray[][]).map((layer) => (layer as NdArray[]).map((g) => sum(g, 0)))
      const keys = [...random.split(key, summed.flat().length)]
      let n = 0
      return summed.map((layer) =>
        layer.map((g) => div(add(g, mul(l2NormClip * noiseMultiplier, random.normal(keys[n++]!, g.shape))), 16)),
      )
    }
    const [, params0] = init(kp, [-1, 4])
    const [optInit, optUpdate, getParams] = optimizers.sgd(0.5)
    let s = optInit(params0)
    const total = (p: P): number =>
      Number(sum(vmap((x: NdArray, target: NdArray) => loss(p, x, target))(xsSep, t)).item())
    const before = total(getParams(s))
    let key = random.key(4)
    for (let i = 0; i < 30; i++) {
      const [next, sk] = random.split(key)
      key = next
      s = optUpdate(i, privateGrad(getParams(s), sk, 1.0, 0.1), s)
    }
    expect(total(getParams(s))).toBeLessThan(before)
  })

  it('advi: vmap over Monte-Carlo draws, grad of the ELBO, adam', () => {
    // target: a 2-D Gaussian with mean [1, -2], std [0.5, 2]
    const logdensity = (z: NdArray): NdArray =>
      sum(scipy.stats.norm.logpdf(z, array([1, -2], { dtype: 'float64' }), array([0.5, 2], { dtype: 'float64' })))
    const elbo = (params: { mean: NdArray; logStd: NdArray }, key: NdArray): NdArray => {
      const draws = vmap((k: NdArray) =>
        add(params.mean, mul(exp(params.logStd), random.normal(k, [2], { dtype: 'float64' }))),
      )(random.split(key, 64))
      const entropy = sum(params.logStd)
      return add(mean(vmap(logdensity)(draws)), entropy)
    }
    const [optInit, optUpdate, getParams] = optimizers.adam(0.1)
    let s = optInit({ mean: array([0, 0], { dtype: 'float64' }), logStd: array([0, 0], { dtype: 'float64' }) })
    let key = random.key(5)
    for (let i = 0; i < 200; i++) {
      const [next, sk] = random.split(key)
      key = next
      const [, g] = valueAndGrad((p: { mean: NdArray; logStd: NdArray }) => neg(elbo(p, sk)))(getParams(s))
      s = optUpdate(i, g, s)
    }
    const p = getParams(s)
    const m = p.mean.toArray() as number[]
    const sd = exp(p.logStd).toArray() as number[]
    expect(Math.abs(m[0]! - 1)).toBeLessThan(0.2)
    expect(Math.abs(m[1]! + 2)).toBeLessThan(0.6)
    expect(Math.abs(sd[0]! - 0.5)).toBeLessThan(0.2)
    expect(Math.abs(sd[1]! - 2)).toBeLessThan(0.8)
  })
})
