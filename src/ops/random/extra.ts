/**
 * The last `jax.random` samplers and key helpers: `rayleigh`, `wald`, `f`, `doubleSidedMaxwell`
 * (each JAX's formula over the existing uniform, normal, chi-square, Maxwell and Rademacher
 * draws, with JAX's key splits, so differentiable in their parameters as JAX's are), and `clone`,
 * `wrapKeyData`, `keyImpl` for wengert's raw threefry2x32 keys.
 *
 * @category random
 * @since 0.3.0
 */
import { ValueError } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { broadcastShapes, type Shape } from '../../ndarray/shape'
import { checkOptions } from '../../internal/options'
import type { ArrayLike } from '../convert'
import { add, div, lessEqual, mul, sub, where } from '../elementwise'
import { broadcastTo } from '../layout'
import { log, sqrt, square } from '../unary'
import { checkKey, checkSingleKey, type KeyArray } from './keys'
import { floatOptions, param, shapeOf, type DTypeOption } from './common'
import { normal, rademacher, uniform } from './samplers'
import { split2 } from './gamma'
import { chisquare, maxwell } from './more'

/** JAX's `shape=None` rule: the parameters' broadcast shape; a given shape must contain it. */
const drawShape = (op: string, shape: ReadonlyArray<number> | undefined, ...params: NdArray[]): Shape => {
  const own = params.reduce<Shape>((s, p) => broadcastShapes(`random.${op}`, s, p.shape), [])
  if (shape === undefined) return own
  const s = shapeOf(op, shape)
  broadcastShapes(`random.${op}`, s, own)
  return s
}

/**
 * Rayleigh draws scale·√(−2·log u), u uniform on [0, 1) (JAX: `jax.random.rayleigh(key, scale,
 * shape=None, dtype)`); differentiable in `scale`.
 * @example
 * import { random, mean } from 'wengert'
 * const x = random.rayleigh(random.key(0), 2, [4000], { dtype: 'float64' })
 * assert.ok(Math.abs((mean(x).item() as number) - 2 * Math.sqrt(Math.PI / 2)) < 0.1)
 * @category random @since 0.3.0
 */
export const rayleigh = (
  key: KeyArray,
  scale: ArrayLike,
  shape?: ReadonlyArray<number>,
  opts?: DTypeOption,
): NdArray => {
  const { dtype } = floatOptions('rayleigh', opts, ['dtype'])
  const s = param('rayleigh', scale, dtype)
  const u = uniform(checkSingleKey('rayleigh', key), drawShape('rayleigh', shape, s), { dtype })
  return mul(broadcastTo(s, u.shape), sqrt(mul(log(u), -2)))
}

/**
 * Wald (inverse Gaussian) draws with the given mean, by the transformation with one normal and one
 * uniform draw (Michael, Schucany and Haas 1976, "Generating random variates using transformations
 * with multiple roots"), as JAX's `jax.random.wald(key, mean, shape=None, dtype)`.
 * @example
 * import { random, mean } from 'wengert'
 * const x = random.wald(random.key(0), 1.5, [4000], { dtype: 'float64' })
 * assert.ok(Math.abs((mean(x).item() as number) - 1.5) < 0.15)
 * @category random @since 0.3.0
 */
export const wald = (key: KeyArray, mean: ArrayLike, shape?: ReadonlyArray<number>, opts?: DTypeOption): NdArray => {
  const { dtype } = floatOptions('wald', opts, ['dtype'])
  const m0 = param('wald', mean, dtype)
  const s = drawShape('wald', shape, m0)
  const [k1, k2] = split2(checkSingleKey('wald', key))
  const m = broadcastTo(m0, s)
  const y = square(normal(k1, s, { dtype }))
  const z = uniform(k2, s, { dtype })
  const m2 = square(m)
  const root = sqrt(add(mul(mul(m, 4), y), mul(m2, square(y))))
  const x = sub(add(m, div(mul(m2, y), 2)), mul(div(m, 2), root))
  return where(lessEqual(z, div(m, add(m, x))), x, div(m2, x))
}

/**
 * F-distribution draws (χ²(dfnum)/dfnum)/(χ²(dfden)/dfden) (JAX: `jax.random.f(key, dfnum, dfden,
 * shape=None, dtype)`, with JAX's key split).
 * @example
 * import { random, mean } from 'wengert'
 * const x = random.f(random.key(0), 5, 10, [4000], { dtype: 'float64' })
 * assert.ok(Math.abs((mean(x).item() as number) - 10 / 8) < 0.1)
 * @category random @since 0.3.0
 */
export const f = (
  key: KeyArray,
  dfnum: ArrayLike,
  dfden: ArrayLike,
  shape?: ReadonlyArray<number>,
  opts?: DTypeOption,
): NdArray => {
  const { dtype } = floatOptions('f', opts, ['dtype'])
  const num = param('f', dfnum, dtype)
  const den = param('f', dfden, dtype)
  const s = drawShape('f', shape, den, num)
  const [kDen, kNum] = split2(checkSingleKey('f', key))
  const chiNum = chisquare(kNum, num, s, { dtype })
  const chiDen = chisquare(kDen, den, s, { dtype })
  return div(div(chiNum, broadcastTo(num, s)), div(chiDen, broadcastTo(den, s)))
}

/**
 * Double-sided Maxwell draws loc + scale·(±1)·Maxwell (JAX: `jax.random.double_sided_maxwell(key,
 * loc, scale, shape=(), dtype)`). As JAX, `shape` is prepended to the parameters' broadcast shape
 * (an empty `shape` counts as that shape, so scalar parameters give `shape`).
 * @example
 * import { random } from 'wengert'
 * assert.deepStrictEqual(random.doubleSidedMaxwell(random.key(0), 0, 1, [2, 3]).shape, [2, 3])
 * @category random @since 0.3.0
 */
export const doubleSidedMaxwell = (
  key: KeyArray,
  loc: ArrayLike,
  scale: ArrayLike,
  shape: ReadonlyArray<number> = [],
  opts?: DTypeOption,
): NdArray => {
  const { dtype } = floatOptions('doubleSidedMaxwell', opts, ['dtype'])
  const l = param('doubleSidedMaxwell', loc, dtype)
  const sc = param('doubleSidedMaxwell', scale, dtype)
  const own = broadcastShapes('random.doubleSidedMaxwell', l.shape, sc.shape)
  const given = shapeOf('doubleSidedMaxwell', shape)
  const s = [...(given.length === 0 ? own : given), ...own]
  const [kMaxwell, kSign] = split2(checkSingleKey('doubleSidedMaxwell', key))
  const sign = rademacher(kSign, s, { dtype })
  return add(mul(mul(sign, maxwell(kMaxwell, s, { dtype })), sc), l)
}

/**
 * A copy of a key (JAX: `jax.random.clone`, which exists for key-reuse checking; wengert's keys
 * are immutable arrays, so this checks the key and returns it).
 * @example
 * import { random } from 'wengert'
 * assert.deepStrictEqual(random.clone(random.key(1)).toArray(), [0, 1])
 * @category random @since 0.3.0
 */
export const clone = (key: KeyArray): KeyArray => checkKey('clone', key)

/** Options of {@link wrapKeyData}. @category random @since 0.3.0 */
export interface WrapKeyDataOptions {
  /** The PRNG implementation: only `'threefry2x32'` (JAX's default). */
  readonly impl?: string
}

/**
 * Keys from raw key data (JAX: `jax.random.wrap_key_data(key_bits_array, impl=None)`): wengert's
 * keys are raw key data, so this checks the data (integer dtype, last axis 2) and returns it.
 * @example
 * import { random } from 'wengert'
 * const k = random.wrapKeyData(random.keyData(random.key(7)))
 * assert.deepStrictEqual(k.toArray(), [0, 7])
 * @category random @since 0.3.0
 */
export const wrapKeyData = (keyBitsArray: NdArray, opts?: WrapKeyDataOptions): KeyArray => {
  const o = checkOptions('random.wrapKeyData', opts, ['impl'])
  if (o.impl !== undefined && o.impl !== 'threefry2x32')
    throw new ValueError(`random.wrapKeyData: impl '${String(o.impl)}' is not supported (only 'threefry2x32')`)
  return checkKey('wrapKeyData', keyBitsArray)
}

/**
 * The name of a key's PRNG implementation (JAX: `jax.random.key_impl`): always
 * `'threefry2x32'`, the one wengert has.
 * @example
 * import { random } from 'wengert'
 * assert.strictEqual(random.keyImpl(random.key(0)), 'threefry2x32')
 * @category random @since 0.3.0
 */
export const keyImpl = (key: KeyArray): 'threefry2x32' => {
  checkKey('keyImpl', key)
  return 'threefry2x32'
}
