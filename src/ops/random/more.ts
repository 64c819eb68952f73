/**
 * More `jax.random` samplers, each a transform of the existing uniform, normal, exponential and
 * Gamma draws: `lognormal`, `pareto`, `weibullMin`, `maxwell`, `chisquare`, `loggamma`,
 * `triangular`, `geometric`, and the deprecated `shuffle`. They follow JAX's formulas, so they
 * are differentiable in their parameters where JAX's are (reparameterisation), but the exact
 * numbers need not equal JAX's bit for bit: the statistical tests check the distributions.
 *
 * @category random
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { DTypeError } from '../../ndarray/errors'
import { NdArray } from '../../ndarray/NdArray'
import { checkOptions } from '../../internal/options'
import { broadcastShapes, type Shape } from '../../ndarray/shape'
import type { ArrayLike } from '../convert'
import { add, div, less, mul, sub, where } from '../elementwise'
import { sum } from '../reduce'
import { exp, floor, log, log1p, neg, sqrt, square } from '../unary'
import { checkSingleKey, type KeyArray } from './keys'
import { floatOptions, param, shapeOf, unit, type DTypeOption } from './common'
import { exponential, normal } from './samplers'
import { gamma, split2 } from './gamma'
import { permutation } from './discrete'

/** The draw shape: given, or the parameters' broadcast shape (JAX's `shape=None`). */
const drawShape = (op: string, shape: ReadonlyArray<number> | undefined, ...params: NdArray[]): Shape =>
  shape === undefined
    ? params.reduce<Shape>((s, p) => broadcastShapes(`random.${op}`, s, p.shape), [])
    : shapeOf(op, shape)

/**
 * Log-normal draws exp(σ·z), z standard normal (JAX: `jax.random.lognormal(key, sigma=1.0, shape=None)`).
 * @example
 * import { random, mean } from 'wengert'
 * const x = random.lognormal(random.key(0), 0.5, [4000], { dtype: 'float64' })
 * assert.ok(Math.abs((mean(x).item() as number) - Math.exp(0.125)) < 0.03)
 * @category random @since 0.2.0
 */
export const lognormal = (
  key: KeyArray,
  sigma: ArrayLike = 1,
  shape?: ReadonlyArray<number>,
  opts?: DTypeOption,
): NdArray => {
  const { dtype } = floatOptions('lognormal', opts, ['dtype'])
  const s = param('lognormal', sigma, dtype)
  return exp(mul(normal(checkSingleKey('lognormal', key), drawShape('lognormal', shape, s), { dtype }), s))
}

/**
 * Pareto draws with shape b on [1, ∞): exp(e/b), e standard exponential (JAX: `jax.random.pareto`).
 * @example
 * import { random } from 'wengert'
 * const x = random.pareto(random.key(0), 3, [100])
 * assert.ok((x.toArray() as number[]).every((v) => v >= 1))
 * @category random @since 0.2.0
 */
export const pareto = (key: KeyArray, b: ArrayLike, shape?: ReadonlyArray<number>, opts?: DTypeOption): NdArray => {
  const { dtype } = floatOptions('pareto', opts, ['dtype'])
  const bb = param('pareto', b, dtype)
  return exp(div(exponential(checkSingleKey('pareto', key), drawShape('pareto', shape, bb), { dtype }), bb))
}

/**
 * Weibull draws scale·(−log(1 − u))^(1/concentration) by inversion (JAX:
 * `jax.random.weibull_min(key, scale, concentration, shape=())`).
 * @example
 * import { random, mean } from 'wengert'
 * const x = random.weibullMin(random.key(0), 2, 1, [4000], { dtype: 'float64' })
 * assert.ok(Math.abs((mean(x).item() as number) - 2) < 0.15)
 * @category random @since 0.2.0
 */
export const weibullMin = (
  key: KeyArray,
  scale: ArrayLike,
  concentration: ArrayLike,
  shape: ReadonlyArray<number> = [],
  opts?: DTypeOption,
): NdArray => {
  const { dtype } = floatOptions('weibullMin', opts, ['dtype'])
  const u = unit(checkSingleKey('weibullMin', key), shapeOf('weibullMin', shape), dtype)
  const c = param('weibullMin', concentration, dtype)
  const e = neg(log1p(neg(u)))
  return mul(param('weibullMin', scale, dtype), exp(div(log(e), c)))
}

/**
 * Maxwell–Boltzmann draws: the length of a 3-vector of standard normals (JAX: `jax.random.maxwell`).
 * @example
 * import { random } from 'wengert'
 * const x = random.maxwell(random.key(0), [2, 5])
 * assert.deepStrictEqual(x.shape, [2, 5])
 * @category random @since 0.2.0
 */
export const maxwell = (key: KeyArray, shape: ReadonlyArray<number> = [], opts?: DTypeOption): NdArray => {
  const { dtype } = floatOptions('maxwell', opts, ['dtype'])
  const z = normal(checkSingleKey('maxwell', key), [...shapeOf('maxwell', shape), 3], { dtype })
  return sqrt(sum(square(z), { axis: -1 }))
}

/**
 * log of Gamma(a, 1) draws, accurate for small a where the draw itself underflows: for a < 1,
 * log G(a + 1) + log(u)/a (Marsaglia and Tsang 2000, "A simple method for generating gamma
 * variables", §6's boost), as JAX's `jax.random.loggamma`. Differentiable in a.
 * @example
 * import { random } from 'wengert'
 * const x = random.loggamma(random.key(0), 0.001, [100], { dtype: 'float64' })
 * assert.ok((x.toArray() as number[]).every((v) => Number.isFinite(v)))
 * @category random @since 0.2.0
 */
export const loggamma = (key: KeyArray, a: ArrayLike, shape?: ReadonlyArray<number>, opts?: DTypeOption): NdArray => {
  const { dtype } = floatOptions('loggamma', opts, ['dtype'])
  const alpha = param('loggamma', a, dtype)
  const s = drawShape('loggamma', shape, alpha)
  const [kg, ku] = split2(checkSingleKey('loggamma', key))
  const small = less(alpha, 1)
  const g = gamma(kg, where(small, add(alpha, 1), alpha), s, { dtype })
  const boost = where(small, div(log(unit(ku, s, dtype)), alpha), 0)
  return add(log(g), boost)
}

/**
 * Chi-squared draws with df degrees of freedom: 2·Gamma(df/2) (JAX: `jax.random.chisquare`),
 * differentiable in df through the Gamma draw.
 * @example
 * import { random, mean } from 'wengert'
 * const x = random.chisquare(random.key(0), 4, [4000], { dtype: 'float64' })
 * assert.ok(Math.abs((mean(x).item() as number) - 4) < 0.2)
 * @category random @since 0.2.0
 */
export const chisquare = (key: KeyArray, df: ArrayLike, shape?: ReadonlyArray<number>, opts?: DTypeOption): NdArray => {
  const { dtype } = floatOptions('chisquare', opts, ['dtype'])
  const d = param('chisquare', df, dtype)
  return mul(gamma(checkSingleKey('chisquare', key), mul(d, 0.5), drawShape('chisquare', shape, d), { dtype }), 2)
}

/**
 * Triangular draws on [left, right] with the given mode, by inverting the CDF (JAX:
 * `jax.random.triangular(key, left, mode, right, shape=None)`).
 * @example
 * import { random } from 'wengert'
 * const x = random.triangular(random.key(0), 0, 1, 4, [200]).toArray() as number[]
 * assert.ok(x.every((v) => v >= 0 && v <= 4))
 * @category random @since 0.2.0
 */
export const triangular = (
  key: KeyArray,
  left: ArrayLike,
  mode: ArrayLike,
  right: ArrayLike,
  shape?: ReadonlyArray<number>,
  opts?: DTypeOption,
): NdArray => {
  const { dtype } = floatOptions('triangular', opts, ['dtype'])
  const [l, m, r] = [left, mode, right].map((v) => param('triangular', v, dtype)) as [NdArray, NdArray, NdArray]
  const u = unit(checkSingleKey('triangular', key), drawShape('triangular', shape, l, m, r), dtype)
  const w = sub(r, l)
  const lower = add(l, sqrt(mul(mul(u, w), sub(m, l))))
  const upper = sub(r, sqrt(mul(mul(sub(1, u), w), sub(r, m))))
  return where(less(u, div(sub(m, l), w)), lower, upper)
}

/** Options of {@link geometric}. @category random @since 0.2.0 */
export interface GeometricOptions {
  /** The integer dtype of the draws (default int32). */
  readonly dtype?: 'int32' | 'int64'
}

/**
 * Geometric draws on 1, 2, …: the trial of the first success, ⌊log(1 − u)/log(1 − p)⌋ + 1
 * (JAX: `jax.random.geometric(key, p, shape=None, dtype=int)`).
 * @example
 * import { random } from 'wengert'
 * const x = random.geometric(random.key(0), 0.3, [100])
 * assert.ok(x.dtype === 'int32' && (x.toArray() as number[]).every((v) => v >= 1))
 * @category random @since 0.2.0
 */
export const geometric = (
  key: KeyArray,
  p: ArrayLike,
  shape?: ReadonlyArray<number>,
  opts?: GeometricOptions,
): NdArray => {
  const o = checkOptions('random.geometric', opts, ['dtype'])
  const out = o.dtype ?? 'int32'
  if (out !== 'int32' && out !== 'int64')
    throw new DTypeError(`random.geometric: dtype must be int32 or int64, got ${String(out)}`)
  // the uniform draws take p's float dtype, as JAX's
  const fdt = p instanceof NdArray && p.dtype === 'float64' ? 'float64' : 'float32'
  const pp = param('geometric', p, fdt)
  const u = unit(checkSingleKey('geometric', key), drawShape('geometric', shape, pp), fdt)
  return lax.cast(add(floor(div(log1p(neg(u)), log1p(neg(pp)))), 1), out)
}

/**
 * Shuffles an array along an axis (JAX's deprecated `jax.random.shuffle(key, x, axis=0)`): every
 * slice along the axis is shuffled on its own, as `permutation(key, x, { axis, independent: true })`.
 * @example
 * import { random, array } from 'wengert'
 * const x = random.shuffle(random.key(0), array([1, 2, 3, 4])).toArray() as number[]
 * assert.deepStrictEqual([...x].sort(), [1, 2, 3, 4])
 * @category random @since 0.2.0
 */
export const shuffle = (key: KeyArray, x: NdArray, axis = 0): NdArray =>
  permutation(key, x, { axis, independent: true })
