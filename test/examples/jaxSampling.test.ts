/**
 * A jax.random-heavy sampling program in the style of JAX's "Pseudorandom numbers" tutorial and
 * jax.random docs: per-step keys by fold_in (a loop, vmap and jit agree), the Gumbel-max trick
 * (categorical(k, logits, shape) is argmax(logits + gumbel(k, shape + logits.shape))), a
 * Dirichlet–categorical ancestral sampler batched by vmap over split keys, truncated_normal
 * against scipy.stats.truncnorm's moments, and the gradient of a Gumbel-softmax relaxation.
 * Expected values: SciPy moments (fixtures/jaxSampling.py → .json), mathematics, and float64
 * finite differences; statistical checks allow 5 standard errors.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as w from 'wengert'
import { array, checkGrads, grad, jit, nn, random, vmap, type NdArray } from 'wengert'

interface Fixture {
  truncnorm: { lower: number; upper: number; mean: number; var: number }[]
  dirichlet_alpha: number[]
  dirichlet_mean: number[]
  dirichlet_var: number[]
  gumbel_mean: number
  gumbel_var: number
}
const fx = JSON.parse(readFileSync(new URL('./fixtures/jaxSampling.json', import.meta.url), 'utf8')) as Fixture
const f64 = (x: number | number[]): NdArray => array(x, { dtype: 'float64' })
const vals = (x: NdArray): number[] => Array.from(x.toTypedArray() as ArrayLike<number>, Number)
const moments = (v: number[]): [number, number] => {
  const m = v.reduce((a, b) => a + b, 0) / v.length
  return [m, v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1)]
}
/** |sample mean − μ| within 5 standard errors, sample variance within 6 % of σ². */
const expectMoments = (v: number[], mean: number, variance: number): void => {
  const [m, s2] = moments(v)
  expect(Math.abs(m - mean)).toBeLessThan(5 * Math.sqrt(variance / v.length))
  expect(Math.abs(s2 / variance - 1)).toBeLessThan(0.06)
}
const N = 20000

describe('jax.random sampling program', () => {
  const key = random.key(1701)

  it('fold_in(key, i) per step: the loop, vmap over arange and jit give the same keys and draws', () => {
    const loop = Array.from({ length: 5 }, (_, i) => vals(random.foldIn(key, i)))
    const perStep = (i: NdArray): NdArray => random.foldIn(key, i)
    const steps = w.arange(5, { dtype: 'int32' })
    expect(vmap(perStep)(steps).toArray()).toEqual(loop)
    expect(jit(vmap(perStep))(steps).toArray()).toEqual(loop)
    const draws = vmap((k: NdArray) => random.normal(k, [], { dtype: 'float64' }))(vmap(perStep)(steps))
    loop.forEach((k, i) =>
      expect(vals(draws)[i]).toBe(random.normal(array(k, { dtype: 'int64' }), [], { dtype: 'float64' }).item()),
    )
    // distinct steps, distinct keys; with JAX's partitionable threefry (JAX ≥ 0.5), split(key, n)[i]
    // is threefry(key, [0, i]), which is fold_in(key, i)
    expect(new Set(loop.map((k) => k.join())).size).toBe(5)
    expect(random.split(key, 5).toArray()).toEqual(loop)
  })

  it('Gumbel noise has mean γ and variance π²/6; categorical is the Gumbel-max trick, bit for bit', () => {
    const [kg, kc] = random.split(key)
    expectMoments(vals(random.gumbel(kg, [N], { dtype: 'float64' })), fx.gumbel_mean, fx.gumbel_var)
    const logits = f64([Math.log(0.2), Math.log(0.5), Math.log(0.3)])
    const draws = random.categorical(kc, logits, { shape: [N] })
    const byHand = w.argmax(w.add(logits, random.gumbel(kc, [N, 3], { dtype: 'float64' })), -1)
    expect(vals(draws)).toEqual(vals(byHand))
    const p = [0.2, 0.5, 0.3]
    const d = vals(draws)
    p.forEach((pi, c) => {
      const freq = d.filter((x) => x === c).length / N
      expect(Math.abs(freq - pi)).toBeLessThan(5 * Math.sqrt((pi * (1 - pi)) / N))
    })
    // axis=0 with a batch of logits: one draw per column
    const batch = w.stack([logits, w.flip(logits, 0)], 1)
    expect(random.categorical(kc, batch, { axis: 0 }).shape).toEqual([2])
  })

  it('an ancestral Dirichlet → categorical sampler, vmapped over split keys', () => {
    const alpha = f64(fx.dirichlet_alpha)
    const sampleOne = (k: NdArray): [NdArray, NdArray] => {
      const [kw, kz] = random.split(k)
      const weights = random.dirichlet(kw, alpha, [], { dtype: 'float64' })
      return [weights, random.categorical(kz, w.log(weights))]
    }
    const keys = random.split(key, N)
    const [weights, z] = jit(vmap(sampleOne))(keys)
    expect(weights.shape).toEqual([N, 3])
    const wv = vals(weights)
    for (let c = 0; c < 3; c++) {
      const col = wv.filter((_, i) => i % 3 === c)
      expectMoments(col, fx.dirichlet_mean[c] as number, fx.dirichlet_var[c] as number)
    }
    vals(w.sum(weights, -1)).forEach((s) => expect(Math.abs(s - 1)).toBeLessThan(1e-12))
    // marginally z ~ Categorical(α / α₀)
    const zs = vals(z)
    fx.dirichlet_mean.forEach((pi, c) => {
      const freq = zs.filter((x) => x === c).length / N
      expect(Math.abs(freq - pi)).toBeLessThan(5 * Math.sqrt((pi * (1 - pi)) / N))
    })
    // vmap draws are the per-key draws
    const [w0] = sampleOne(keys.at(7).get())
    expect(vals(w0)).toEqual(wv.slice(21, 24))
  })

  it('truncated_normal(key, lower, upper, shape) has scipy.stats.truncnorm’s moments and stays in bounds', () => {
    fx.truncnorm.forEach(({ lower, upper, mean, var: variance }, i) => {
      const x = vals(random.truncatedNormal(random.foldIn(key, i), lower, upper, [N], { dtype: 'float64' }))
      expect(Math.min(...x)).toBeGreaterThanOrEqual(lower)
      expect(Math.max(...x)).toBeLessThanOrEqual(upper)
      expectMoments(x, mean, variance)
    })
    // broadcast bounds: one column per (lower, upper) pair
    const lo = f64(fx.truncnorm.map((t) => t.lower))
    const hi = f64(fx.truncnorm.map((t) => t.upper))
    const cols = random.truncatedNormal(key, lo, hi, [N, 3], { dtype: 'float64' })
    const cv = vals(cols)
    fx.truncnorm.forEach(({ mean, var: variance }, c) =>
      expectMoments(
        cv.filter((_, i) => i % 3 === c),
        mean,
        variance,
      ),
    )
  })

  it('Gumbel-softmax: a differentiable relaxed sample, its gradient checked by finite differences', () => {
    const g = random.gumbel(random.key(3), [64, 3], { dtype: 'float64' })
    const values = f64([1, -2, 0.5])
    const relaxed = (logits: NdArray, tau: NdArray): NdArray =>
      w.mean(w.sum(w.mul(nn.softmax(w.div(w.add(logits, g), tau), { axis: -1 }), values), -1))
    checkGrads(relaxed, [f64([0.1, 0.7, -0.3]), f64(0.5)], { order: 2, modes: ['fwd', 'rev'] })
    // as τ → 0 the relaxed mean approaches the mean under Gumbel-max sampling of the same noise
    const hard = w.mean(w.take(values, w.argmax(w.add(f64([0.1, 0.7, -0.3]), g), -1)))
    expect(
      Math.abs((relaxed(f64([0.1, 0.7, -0.3]), f64(1e-3)).item() as number) - (hard.item() as number)),
    ).toBeLessThan(1e-6)
    expect(grad(relaxed)(f64([0.1, 0.7, -0.3]), f64(0.5)).shape).toEqual([3])
  })
})
