/**
 * rayleigh, wald, f and doubleSidedMaxwell with a fixed key: the Kolmogorov–Smirnov distance to
 * the closed-form CDF below the 0.1 % critical value, sample means, JAX's shape rules, float-only
 * dtypes, the reparameterised gradient; and the key helpers clone, wrapKeyData, keyImpl.
 */
import { describe, expect, it } from 'vitest'
import { array, grad, random, scipy, DTypeError, ShapeError, ValueError, type NdArray } from '../../../src/index'
import { f64, ks, ksCritical, moments, vals } from './sampleStats'

const N = 4000
const key = random.key(11)
const map = (x: NdArray, fn: (v: number) => number): NdArray => array(vals(x).map(fn), f64)
const Phi = (v: number): number => vals(scipy.special.ndtr(array([v], f64)))[0] as number

describe('samplers: distribution', () => {
  it('rayleigh(scale 2): CDF 1 − exp(−x²/8), mean 2√(π/2)', () => {
    const x = random.rayleigh(key, 2, [N], f64)
    expect(ks(vals(x), (a) => map(a, (v) => 1 - Math.exp(-(v * v) / 8)))).toBeLessThan(ksCritical(N))
    expect(Math.abs((moments(vals(x))[0] as number) - 2 * Math.sqrt(Math.PI / 2))).toBeLessThan(0.06)
  })

  it('wald(mean 1.5): the inverse Gaussian CDF with λ = 1', () => {
    const mu = 1.5
    const cdf = (v: number): number =>
      Phi(Math.sqrt(1 / v) * (v / mu - 1)) + Math.exp(2 / mu) * Phi(-Math.sqrt(1 / v) * (v / mu + 1))
    const x = random.wald(key, mu, [N], f64)
    expect(ks(vals(x), (a) => map(a, cdf))).toBeLessThan(ksCritical(N))
    expect(vals(x).every((v) => v > 0)).toBe(true)
  })

  it('f(5, 10): CDF I_{5x/(5x+10)}(5/2, 5)', () => {
    const x = random.f(key, 5, 10, [N], f64)
    const cdf = (a: NdArray): NdArray =>
      scipy.special.betainc(
        2.5,
        5,
        map(a, (v) => (5 * v) / (5 * v + 10)),
      )
    expect(ks(vals(x), cdf)).toBeLessThan(ksCritical(N))
  })

  it('doubleSidedMaxwell(loc 1, scale 2): |x − 1|/2 is Maxwell (χ with 3 degrees), symmetric', () => {
    const x = vals(random.doubleSidedMaxwell(key, 1, 2, [N], f64))
    const r = x.map((v) => Math.abs(v - 1) / 2)
    expect(
      ks(r, (a) =>
        scipy.stats.chi2.cdf(
          map(a, (v) => v * v),
          3,
        ),
      ),
    ).toBeLessThan(ksCritical(N))
    expect(Math.abs((moments(x)[0] as number) - 1)).toBeLessThan(0.15)
  })
})

describe('samplers: shapes, dtypes, gradients', () => {
  it("follow JAX's shape rules", () => {
    expect(random.rayleigh(key, array([1, 2, 3])).shape).toEqual([3])
    expect(random.wald(key, array([1, 2]), [4, 2]).shape).toEqual([4, 2])
    expect(random.f(key, array([1, 2]), 3).shape).toEqual([2])
    // JAX prepends shape to the parameters' shape; an empty shape stands for the parameters' shape
    expect(random.doubleSidedMaxwell(key, array([0, 1, 2]), 1).shape).toEqual([3, 3])
    expect(random.doubleSidedMaxwell(key, array([0, 1, 2]), 1, [2]).shape).toEqual([2, 3])
    expect(() => random.rayleigh(key, array([1, 2, 3]), [2])).toThrow(ShapeError)
  })

  it('are float32 by default, float64 on request, and refuse integer dtypes', () => {
    expect(random.rayleigh(key, 1, [2]).dtype).toBe('float32')
    expect(random.wald(key, 1, [2], f64).dtype).toBe('float64')
    expect(() => random.f(key, 1, 1, [2], { dtype: 'int32' as 'float32' })).toThrow(DTypeError)
  })

  it('rayleigh is reparameterised: d x/d scale = x/scale', () => {
    const g = grad((s: NdArray) => random.rayleigh(key, s, [], f64))(array(3, f64))
    const x = random.rayleigh(key, 3, [], f64)
    expect(g.item()).toBeCloseTo((x.item() as number) / 3, 12)
  })

  it('are the same for the same key and differ for another', () => {
    expect(vals(random.wald(key, 2, [3]))).toEqual(vals(random.wald(key, 2, [3])))
    expect(vals(random.wald(key, 2, [3]))).not.toEqual(vals(random.wald(random.key(12), 2, [3])))
  })
})

describe('key helpers', () => {
  it('clone and wrapKeyData return the checked key data; keyImpl names threefry2x32', () => {
    expect(vals(random.clone(key))).toEqual([0, 11])
    expect(vals(random.wrapKeyData(random.keyData(key)))).toEqual([0, 11])
    expect(random.keyImpl(key)).toBe('threefry2x32')
    expect(() => random.wrapKeyData(array([1, 2, 3], { dtype: 'int64' }))).toThrow(ShapeError)
    expect(() => random.wrapKeyData(array([1, 2]))).toThrow(DTypeError)
    expect(() => random.wrapKeyData(random.keyData(key), { impl: 'rbg' })).toThrow(
      new ValueError("random.wrapKeyData: impl 'rbg' is not supported (only 'threefry2x32')"),
    )
  })
})
