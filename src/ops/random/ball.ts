/**
 * `random.generalizedNormal` and `random.ball` (JAX: `jax.random.generalized_normal`,
 * `jax.random.ball`): draws with density ∝ exp(−|x|ᵖ), and uniform draws from the unit p-ball.
 *
 * @category random
 * @since 0.2.0
 */
import { ValueError } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { add, div, mul, pow } from '../elementwise'
import { expandDims } from '../layout'
import { sum } from '../reduce'
import { abs } from '../unary'
import { checkSingleKey, type KeyArray } from './keys'
import { floatOptions, shapeOf, type DTypeOption } from './common'
import { gamma, split2 } from './gamma'
import { exponential, rademacher } from './samplers'

const checkP = (op: string, p: number): void => {
  if (typeof p !== 'number' || !(p > 0) || !Number.isFinite(p))
    throw new ValueError(`random.${op}: p must be a positive finite number, got ${String(p)}`)
}

/**
 * Draws of the generalized normal distribution, density ∝ exp(−|x|ᵖ) (JAX:
 * `jax.random.generalized_normal(key, p, shape, dtype)`), as s·G^(1/p) with G ~ Gamma(1/p) and a
 * random sign s. p = 2 is N(0, 1/2), p = 1 the Laplace distribution.
 * @example
 * import { random, mean, mul } from 'wengert'
 * const x = random.generalizedNormal(random.key(0), 2, [4000], { dtype: 'float64' })
 * assert.ok(Math.abs((mean(mul(x, x)).item() as number) - 0.5) < 0.05)
 * @category random
 * @since 0.2.0
 */
export const generalizedNormal = (
  key: KeyArray,
  p: number,
  shape: ReadonlyArray<number> = [],
  opts?: DTypeOption,
): NdArray => {
  const { dtype } = floatOptions('generalizedNormal', opts, ['dtype'])
  checkP('generalizedNormal', p)
  const s = shapeOf('generalizedNormal', shape)
  const [k1, k2] = split2(checkSingleKey('generalizedNormal', key))
  const g = gamma(k1, 1 / p, s, { dtype })
  const r = rademacher(k2, s, { dtype })
  return mul(r, pow(g, 1 / p))
}

/**
 * Points drawn uniformly from the unit p-ball in `d` dimensions (JAX: `jax.random.ball(key, d,
 * p=2, shape=(), dtype)`): shape `[...shape, d]`, each row with ‖x‖ₚ ≤ 1 (Barthe, Guédon,
 * Mendelson and Naor: g / (‖g‖ₚᵖ + e)^(1/p) with g generalized normal and e exponential).
 * @example
 * import { random, sum, mul } from 'wengert'
 * const x = random.ball(random.key(0), 3, 2, [100])
 * assert.deepStrictEqual(x.shape, [100, 3])
 * assert.ok((sum(mul(x, x), { axis: -1 }).toArray() as number[]).every((r) => r <= 1))
 * @category random
 * @since 0.2.0
 */
export const ball = (
  key: KeyArray,
  d: number,
  p = 2,
  shape: ReadonlyArray<number> = [],
  opts?: DTypeOption,
): NdArray => {
  const { dtype } = floatOptions('ball', opts, ['dtype'])
  if (!Number.isInteger(d) || d < 1) throw new ValueError(`random.ball: d must be a positive integer, got ${String(d)}`)
  checkP('ball', p)
  const s = shapeOf('ball', shape)
  const [k1, k2] = split2(checkSingleKey('ball', key))
  const g = generalizedNormal(k1, p, [...s, d], { dtype })
  const e = exponential(k2, s, { dtype })
  const radius = pow(add(sum(pow(abs(g), p), { axis: -1 }), e), 1 / p)
  return div(g, expandDims(radius, -1))
}
