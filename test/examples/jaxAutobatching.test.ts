/**
 * JAX's "Autobatching for Bayesian inference" tutorial ported: a Bayesian logistic-regression
 * log joint written for one beta (jax.scipy.stats.norm.logpdf, no axis arguments), which fails
 * on a batch, is batched by hand and by vmap, then jit(vmap(log_joint)) inside a
 * reparameterised ELBO fitted by jit(value_and_grad(elbo, argnums=(0, 1))) with a jitted
 * normal_sample(key, shape) whose shape is static. Data, log joints, their gradients, the MAP and
 * mean-field scales: fixtures/jaxAutobatching.py (the tutorial's NumPy seed 10009, SciPy's norm.logpdf, float64).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as w from 'wengert'
import { array, jit, random, scipy, valueAndGrad, vmap, ShapeError, type NdArray } from 'wengert'

interface Fixture {
  true_beta: number[]
  x: number[][]
  y: number[]
  batched_test_beta: number[][]
  log_joint: number[]
  grad_log_joint: number[][]
  map: number[]
  mean_field_scale: number[]
}
const fx = JSON.parse(readFileSync(new URL('./fixtures/jaxAutobatching.json', import.meta.url), 'utf8')) as Fixture
const f64 = (x: number[] | number[][]): NdArray => array(x, { dtype: 'float64' })
const flat = (x: NdArray): number[] => Array.from(x.toTypedArray() as Float64Array)
const closeTo = (got: NdArray | number[], want: number[], tol: number): void => {
  const g = Array.isArray(got) ? got : flat(got)
  expect(g.length).toBe(want.length)
  g.forEach((v, i) =>
    expect(Math.abs(v - (want[i] as number))).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want[i] as number))),
  )
}

describe('JAX tutorial: Autobatching for Bayesian inference', () => {
  const allX = f64(fx.x)
  const y = f64(fx.y)
  const numFeatures = 10
  const logJoint = (beta: NdArray): NdArray => {
    let result: NdArray = f64([0]).reshape([])
    // Note that no `axis` parameter is provided to `jnp.sum`.
    result = w.add(result, w.sum(scipy.stats.norm.logpdf(beta, 0, 1)))
    const margin = w.mul(w.neg(w.sub(w.mul(2, y), 1)), w.dot(allX, beta))
    result = w.add(result, w.sum(w.neg(w.log(w.add(1, w.exp(margin))))))
    return result
  }
  const batchedTestBeta = f64(fx.batched_test_beta)

  it('log_joint of one beta is SciPy’s; it fails on a batch with a broadcasting error', () => {
    closeTo([logJoint(f64(fx.batched_test_beta[0] as number[])).item() as number], [fx.log_joint[0] as number], 1e-12)
    expect(() => logJoint(batchedTestBeta)).toThrow(ShapeError)
    expect(() => logJoint(batchedTestBeta)).toThrow(/shapes=\[\(100,\), \(100, 10\)\]/)
  })

  it('manual batching (axis=-1, dot with beta.T) and vmap(log_joint) agree with SciPy', () => {
    const batchedLogJoint = (beta: NdArray): NdArray => {
      let result: NdArray = f64([0]).reshape([])
      result = w.add(result, w.sum(scipy.stats.norm.logpdf(beta, 0, 1), { axis: -1 }))
      const margin = w.mul(w.neg(w.sub(w.mul(2, y), 1)), w.transpose(w.dot(allX, w.transpose(beta))))
      result = w.add(result, w.sum(w.neg(w.log(w.add(1, w.exp(margin)))), { axis: -1 }))
      return result
    }
    closeTo(batchedLogJoint(batchedTestBeta), fx.log_joint, 1e-12)
    closeTo(vmap(logJoint)(batchedTestBeta), fx.log_joint, 1e-12)
    closeTo(jit(vmap(logJoint))(batchedTestBeta), fx.log_joint, 1e-12)
  })

  // elbo(beta_loc, beta_log_scale, epsilon): the reparameterisation trick over a batch of draws
  const batchedLogJoint = jit(vmap(logJoint))
  const elbo = (betaLoc: NdArray, betaLogScale: NdArray, epsilon: NdArray): NdArray => {
    const betaSample = w.add(betaLoc, w.mul(w.exp(betaLogScale), epsilon))
    return w.add(w.mean(batchedLogJoint(betaSample), 0), w.sum(w.sub(betaLogScale, 0.5 * Math.log(2 * Math.PI))))
  }
  const elboValAndGrad = jit(valueAndGrad(jit(elbo), { argnums: [0, 1] }))

  it('value_and_grad(elbo, argnums=(0, 1)) at loc 0, log-scale 0 is the mean log joint and its score', () => {
    const zeros = w.zeros([numFeatures], { dtype: 'float64' })
    const [val, [gLoc, gLogScale]] = elboValAndGrad(zeros, zeros, batchedTestBeta) as [NdArray, [NdArray, NdArray]]
    const n = fx.log_joint.length
    const meanLj = fx.log_joint.reduce((a, b) => a + b, 0) / n
    closeTo([val.item() as number], [meanLj - numFeatures * 0.5 * Math.log(2 * Math.PI)], 1e-12)
    const wantLoc = Array.from(
      { length: numFeatures },
      (_, j) => fx.grad_log_joint.reduce((a, g) => a + (g[j] as number), 0) / n,
    )
    // d/d log-scale: mean of ∇log_joint(β)·ε (β = ε here) plus 1 from the entropy term
    const wantLogScale = Array.from(
      { length: numFeatures },
      (_, j) =>
        fx.grad_log_joint.reduce(
          (a, g, i) => a + (g[j] as number) * ((fx.batched_test_beta[i] as number[])[j] as number),
          0,
        ) /
          n +
        1,
    )
    closeTo(gLoc, wantLoc, 1e-10)
    closeTo(gLogScale, wantLogScale, 1e-10)
  })

  it('fits the variational posterior with jitted normal_sample(key, shape) (static shape) and SGA', () => {
    // Convenience function for quasi-stateful RNG.
    const normalSample = jit(
      (key: NdArray, shape: number[]): [NdArray, NdArray] => {
        const [newKey, subKey] = random.split(key)
        return [newKey, random.normal(subKey, shape, { dtype: 'float64' })]
      },
      { staticArgnums: 1 },
    )
    let key = random.key(10003)
    let betaLoc = w.zeros([numFeatures], { dtype: 'float64' })
    let betaLogScale = w.zeros([numFeatures], { dtype: 'float64' })
    const stepSize = 0.01
    const epsilonShape = [128, numFeatures]
    const elbos: number[] = []
    for (let i = 0; i < 300; i++) {
      let epsilon: NdArray
      ;[key, epsilon] = normalSample(key, epsilonShape)
      const [elboVal, [gLoc, gLogScale]] = elboValAndGrad(betaLoc, betaLogScale, epsilon) as [
        NdArray,
        [NdArray, NdArray],
      ]
      betaLoc = w.add(betaLoc, w.mul(stepSize, gLoc))
      betaLogScale = w.add(betaLogScale, w.mul(stepSize, gLogScale))
      elbos.push(elboVal.item() as number)
    }
    const early = elbos.slice(0, 10).reduce((a, b) => a + b) / 10
    const late = elbos.slice(-50).reduce((a, b) => a + b) / 50
    expect(late).toBeGreaterThan(early + 25)
    // the posterior means track the true coefficients, and the posterior narrows from the prior's 1
    const loc = flat(betaLoc)
    const t = fx.true_beta
    const mean = (v: number[]): number => v.reduce((a, b) => a + b) / v.length
    const [ml, mt] = [mean(loc), mean(t)]
    const cov = loc.reduce((a, v, i) => a + (v - ml) * ((t[i] as number) - mt), 0)
    const corr = cov / Math.sqrt(loc.reduce((a, v) => a + (v - ml) ** 2, 0) * t.reduce((a, v) => a + (v - mt) ** 2, 0))
    expect(corr).toBeGreaterThan(0.8)
    // the fitted Gaussian sits at the posterior mode (NumPy's Newton MAP), and its scales are the
    // mean-field ones there, 1/√diag(H)
    loc.forEach((v, i) => expect(Math.abs(v - (fx.map[i] as number))).toBeLessThan(0.2))
    flat(w.exp(betaLogScale)).forEach((s, i) => {
      expect(s / (fx.mean_field_scale[i] as number)).toBeGreaterThan(0.85)
      expect(s / (fx.mean_field_scale[i] as number)).toBeLessThan(1.2)
    })
  })
})
