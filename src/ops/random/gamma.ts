/**
 * The samplers built on Gamma draws (JAX: `gamma`, `beta`, `dirichlet`, `t`) and `poisson`.
 * `gamma` is differentiable in its shape parameter by implicit reparameterisation (the
 * `random_gamma` primitive's rule, Figurnov et al. 2018), and the others inherit it.
 *
 * @category random
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { checkOptions } from '../../internal/options'
import { ShapeError } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { broadcastShapes, type Shape } from '../../ndarray/shape'
import type { ArrayLike } from '../convert'
import { div, mul } from '../elementwise'
import { broadcastTo } from '../layout'
import { sum } from '../reduce'
import { sqrt } from '../unary'
import { checkSingleKey, type KeyArray } from './keys'
import { floatOptions, param, shapeOf, type DTypeOption } from './common'
import { normal } from './samplers'

/** The two halves of split(key). */
export const split2 = (k: NdArray): [NdArray, NdArray] => {
  const ks = lax.randomSplit(k, [2])
  const row = (i: number): NdArray => lax.reshape(lax.slice(ks, [i, 0], [i + 1, 2], [1, 1]), [2])
  return [row(0), row(1)]
}

/** The draw shape: given, or the parameters' broadcast shape. */
const drawShape = (op: string, shape: ReadonlyArray<number> | undefined, ...params: NdArray[]): Shape =>
  shape === undefined
    ? params.reduce<Shape>((s, p) => broadcastShapes(`random.${op}`, s, p.shape), [])
    : shapeOf(op, shape)

/**
 * Gamma(a, 1) draws (JAX: `jax.random.gamma`; Marsaglia–Tsang), differentiable in a by implicit
 * reparameterisation: d(draw)/da = −(∂F/∂a)/(∂F/∂x) with F the Gamma CDF (Figurnov, Mohamed
 * and Mnih 2018, "Implicit Reparameterization Gradients").
 * @example
 * import { random, grad, mean, array, type NdArray } from 'wengert'
 * const k = random.key(0)
 * const x = random.gamma(k, 3, [2000], { dtype: 'float64' })
 * assert.ok(Math.abs((mean(x).item() as number) - 3) < 0.15)
 * // E[x] = a, so the mean of the implicit gradients is close to 1
 * const g = grad((a: NdArray) => mean(random.gamma(k, a, [2000], { dtype: 'float64' })))(array(3, { dtype: 'float64' }))
 * assert.ok(Math.abs((g.item() as number) - 1) < 0.1)
 * @category random @since 0.2.0
 */
export const gamma = (key: KeyArray, a: ArrayLike, shape?: ReadonlyArray<number>, opts?: DTypeOption): NdArray => {
  const { dtype } = floatOptions('gamma', opts, ['dtype'])
  const alpha = param('gamma', a, dtype)
  const s = drawShape('gamma', shape, alpha)
  return lax.randomGamma(checkSingleKey('gamma', key), broadcastTo(alpha, s))
}

/**
 * Beta(a, b) draws (JAX: `jax.random.beta`) as Gₐ/(Gₐ + G_b) of two Gamma draws, so
 * differentiable in a and b. (JAX divides in log space, which keeps very small a and b finite.)
 * @example
 * import { random, mean } from 'wengert'
 * const x = random.beta(random.key(0), 2, 6, [2000], { dtype: 'float64' })
 * assert.ok(Math.abs((mean(x).item() as number) - 0.25) < 0.02)
 * @category random @since 0.2.0
 */
export const beta = (
  key: KeyArray,
  a: ArrayLike,
  b: ArrayLike,
  shape?: ReadonlyArray<number>,
  opts?: DTypeOption,
): NdArray => {
  const { dtype } = floatOptions('beta', opts, ['dtype'])
  const [pa, pb] = [param('beta', a, dtype), param('beta', b, dtype)]
  const s = drawShape('beta', shape, pa, pb)
  const [ka, kb] = split2(checkSingleKey('beta', key))
  const ga = lax.randomGamma(ka, broadcastTo(pa, s))
  const gb = lax.randomGamma(kb, broadcastTo(pb, s))
  return div(ga, lax.add(ga, gb))
}

/**
 * Dirichlet(α) draws (JAX: `jax.random.dirichlet`): Gamma(αᵢ) draws normalised along the last
 * axis; the shape defaults to alpha's batch shape (all but the last axis).
 * @example
 * import { random, sum, array } from 'wengert'
 * const x = random.dirichlet(random.key(0), array([1, 2, 3]), [4])
 * assert.deepStrictEqual(x.shape, [4, 3])
 * assert.ok((sum(x, -1).toArray() as number[]).every((v) => Math.abs(v - 1) < 1e-5))
 * @category random @since 0.2.0
 */
export const dirichlet = (
  key: KeyArray,
  alpha: ArrayLike,
  shape?: ReadonlyArray<number>,
  opts?: DTypeOption,
): NdArray => {
  const { dtype } = floatOptions('dirichlet', opts, ['dtype'])
  const al = param('dirichlet', alpha, dtype)
  if (al.ndim < 1)
    throw new ShapeError(`random.dirichlet: alpha must have at least one axis, got shape [${al.shape.join(',')}]`)
  const k = al.shape[al.ndim - 1] as number
  const s = [...(shape === undefined ? al.shape.slice(0, -1) : shapeOf('dirichlet', shape)), k]
  const g = lax.randomGamma(checkSingleKey('dirichlet', key), broadcastTo(al, s))
  return div(g, sum(g, { axis: -1, keepdims: true }))
}

/**
 * Student's t draws with df degrees of freedom (JAX: `jax.random.t`): n·√(df/2 / g) with n
 * normal and g Gamma(df/2).
 * @example
 * import { random } from 'wengert'
 * assert.deepStrictEqual(random.t(random.key(0), 5, [3]).shape, [3])
 * @category random @since 0.2.0
 */
export const t = (key: KeyArray, df: ArrayLike, shape?: ReadonlyArray<number>, opts?: DTypeOption): NdArray => {
  const { dtype } = floatOptions('t', opts, ['dtype'])
  const d = param('t', df, dtype)
  const s = drawShape('t', shape, d)
  const [kn, kg] = split2(checkSingleKey('t', key))
  const n = normal(kn, s, { dtype })
  const half = lax.mulScalar(d, 0.5)
  const g = lax.randomGamma(kg, broadcastTo(half, s))
  return mul(n, sqrt(div(half, g)))
}

/** Options of {@link poisson}. @category random @since 0.2.0 */
export interface PoissonOptions {
  /** The integer dtype of the counts (default int32, as JAX). */
  readonly dtype?: 'int32' | 'int64'
}

/**
 * Poisson(λ) counts (JAX: `jax.random.poisson`: Knuth's method below λ = 10, Hörmann's
 * transformed rejection above); −1 where λ is negative or NaN, as JAX.
 * @example
 * import { random, mean } from 'wengert'
 * const x = random.poisson(random.key(0), 4, [2000])
 * assert.ok(Math.abs((mean(x).item() as number) - 4) < 0.2)
 * @category random @since 0.2.0
 */
export const poisson = (
  key: KeyArray,
  lam: ArrayLike,
  shape?: ReadonlyArray<number>,
  opts?: PoissonOptions,
): NdArray => {
  const o = checkOptions('random.poisson', opts, ['dtype'])
  const l = param('poisson', lam, 'float64')
  const s = drawShape('poisson', shape, l)
  const out = lax.randomPoisson(checkSingleKey('poisson', key), broadcastTo(l, s))
  return (o.dtype ?? 'int32') === 'int32' ? out : lax.cast(out, 'int64')
}
