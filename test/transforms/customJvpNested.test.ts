/**
 * `customJvp` under nested transforms (issue 10 item 9): JAX's `log1pexp` example from its
 * custom_jvp documentation, written as JAX writes it (`f.defjvp(rule)`), under grad, jit,
 * vmap(grad), vmap(jit(grad)) and jit(vmap(grad)). Expected values are the logistic function
 * σ(x) = 1 − 1/(1 + eˣ), the derivative of log(1 + eˣ).
 */
import { describe, expect, it } from 'vitest'
import { add, array, customJvp, div, exp, grad, jit, log1p, mul, sub, vmap, ValueError, type NdArray } from '../../src'

const log1pexp = customJvp((x: NdArray) => log1p(exp(x)))
log1pexp.defjvp(([x], [xDot]) => {
  const ans = log1pexp(x)
  const ansDot = mul(sub(1, div(1, add(1, exp(x)))), xDot)
  return [ans, ansDot]
})

const sigma = (x: number): number => 1 - 1 / (1 + Math.exp(x))
const xs = [0, 1, 2, -3.5]
const batch = array(xs, { dtype: 'float64' })

describe("JAX's log1pexp under nested transforms", () => {
  it('grad at 100 is 1 (the naive derivative is NaN there), jit gives log1p(e³)', () => {
    expect(grad(log1pexp)(array(100, { dtype: 'float64' })).item()).toBe(1)
    expect(jit(log1pexp)(array(3, { dtype: 'float64' })).item()).toBeCloseTo(Math.log1p(Math.exp(3)), 14)
  })
  const g = grad(log1pexp)
  const gg = grad(g)
  const cases: ReadonlyArray<readonly [string, (x: NdArray) => NdArray]> = [
    ['vmap(grad(f))', vmap(g)],
    ['vmap(jit(grad(f)))', vmap(jit(g))],
    ['jit(vmap(grad(f)))', jit(vmap(g))],
    ['vmap(grad(grad(f)))', vmap(gg)],
  ]
  it.each(cases.slice(0, 3))('%s gives σ(x) per example', (_, f) => {
    const got = f(batch).toArray() as number[]
    expect(got.length).toBe(xs.length)
    got.forEach((g, i) => expect(g).toBeCloseTo(sigma(xs[i] as number), 14))
    // a second call (jit's cached program) agrees
    expect(f(batch).toArray()).toEqual(got)
  })
  it('vmap(grad(grad(f))) gives σ(x)(1 − σ(x)) per example', () => {
    const got = (cases[3] as [string, (x: NdArray) => NdArray])[1](batch).toArray() as number[]
    got.forEach((g, i) => {
      const s = sigma(xs[i] as number)
      expect(g).toBeCloseTo(s * (1 - s), 12)
    })
  })
  it('calling before defjvp raises a typed error naming the function', () => {
    const noRule = customJvp(function softplus(x: NdArray) {
      return log1p(exp(x))
    })
    expect(() => noRule(array(1))).toThrow(ValueError)
    expect(() => noRule(array(1))).toThrow(/No JVP defined for custom_jvp function softplus using defjvp/)
  })
})
