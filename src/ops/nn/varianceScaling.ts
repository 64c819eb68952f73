/**
 * `jax.nn.initializers.variance_scaling` and its named specialisations (Glorot/Xavier, LeCun,
 * He/Kaiming).
 *
 * @category nn
 * @since 0.2.0
 */
import { checkOptions } from '../../internal/options'
import { ValueError } from '../../ndarray/errors'
import { normalizeAxis, sizeOf } from '../../ndarray/shape'
import { mul } from '../elementwise'
import type { FloatDType } from '../random/common'
import * as random from '../random/index'
import type { Initializer } from './initializers'

/** How the variance's denominator is counted. @category nn @since 0.2.0 */
export type FanMode = 'fan_in' | 'fan_out' | 'fan_avg'
/** The distribution drawn from. @category nn @since 0.2.0 */
export type FanDistribution = 'truncated_normal' | 'normal' | 'uniform'

/** Options of {@link varianceScaling} and the named initializers. @category nn @since 0.2.0 */
export interface FanOptions {
  /** Axis or axes of the input dimension (default −2). */
  readonly inAxis?: number | ReadonlyArray<number>
  /** Axis or axes of the output dimension (default −1). */
  readonly outAxis?: number | ReadonlyArray<number>
  /** Axes ignored in the fans (default none). */
  readonly batchAxis?: number | ReadonlyArray<number>
  /** The initializer's default dtype (float32). */
  readonly dtype?: FloatDType
}
const FAN_KEYS: ReadonlyArray<keyof FanOptions> = ['inAxis', 'outAxis', 'batchAxis', 'dtype']

/** The standard deviation of a standard normal truncated to (−2, 2). */
const TRUNCATED_STD = 0.87962566103423978

/** The product of the sizes of `axes` of `shape`. */
const sizeAlong = (shape: ReadonlyArray<number>, axes: number | ReadonlyArray<number>): number =>
  (typeof axes === 'number' ? [axes] : axes).reduce(
    (n, a) => n * (shape[normalizeAxis('nn.initializers.varianceScaling', a, shape.length)] as number),
    1,
  )

/** [fan_in, fan_out]: the in/out sizes times the receptive field (the axes in none of the three). */
export const computeFans = (shape: ReadonlyArray<number>, o: FanOptions): [number, number] => {
  if (shape.length <= 1) {
    throw new ValueError(
      `nn.initializers.varianceScaling: can't compute input and output sizes of a ${shape.length}-dimensional weights tensor; it must be at least 2D`,
    )
  }
  const inSize = sizeAlong(shape, o.inAxis ?? -2)
  const outSize = sizeAlong(shape, o.outAxis ?? -1)
  const batchSize = sizeAlong(shape, o.batchAxis ?? [])
  const receptive = sizeOf(shape) / inSize / outSize / batchSize
  return [inSize * receptive, outSize * receptive]
}

/**
 * An initializer whose draws have variance `scale / n`, n being fan_in, fan_out or their mean
 * (JAX: `jax.nn.initializers.variance_scaling(scale, mode, distribution, in_axis=-2,
 * out_axis=-1, batch_axis=(), dtype)`). 'truncated_normal' truncates at 2 standard deviations
 * (and rescales so the variance is as asked); 'uniform' draws from [−√(3v), √(3v)).
 * @example
 * import { nn, random } from 'wengert'
 * const init = nn.initializers.varianceScaling(2, 'fan_in', 'uniform')
 * const w = init(random.key(0), [50, 4]).toArray() as number[][]
 * assert.ok(w.flat().every((v) => Math.abs(v) <= Math.sqrt(3 * 2 / 50)))
 * @category nn
 * @since 0.2.0
 */
export const varianceScaling = (
  scale: number,
  mode: FanMode,
  distribution: FanDistribution,
  opts?: FanOptions,
): Initializer => {
  const o = checkOptions('nn.initializers.varianceScaling', opts, FAN_KEYS)
  if (!['fan_in', 'fan_out', 'fan_avg'].includes(mode))
    throw new ValueError(`nn.initializers.varianceScaling: invalid mode for variance scaling initializer: ${mode}`)
  if (!['truncated_normal', 'normal', 'uniform'].includes(distribution)) {
    throw new ValueError(
      `nn.initializers.varianceScaling: invalid distribution for variance scaling initializer: ${distribution}`,
    )
  }
  return (key, shape, dtype) => {
    const d = dtype ?? o.dtype ?? 'float32'
    const [fanIn, fanOut] = computeFans(shape, o)
    const denominator = mode === 'fan_in' ? fanIn : mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2
    const variance = scale / denominator
    if (distribution === 'truncated_normal')
      return mul(random.truncatedNormal(key, -2, 2, shape, { dtype: d }), Math.sqrt(variance) / TRUNCATED_STD)
    if (distribution === 'normal') return mul(random.normal(key, shape, { dtype: d }), Math.sqrt(variance))
    return mul(random.uniform(key, shape, { dtype: d, minval: -1 }), Math.sqrt(3 * variance))
  }
}

/** A named specialisation of variance scaling. */
const named =
  (scale: number, mode: FanMode, distribution: FanDistribution) =>
  (opts?: FanOptions): Initializer =>
    varianceScaling(scale, mode, distribution, opts)

/**
 * Glorot (Xavier) uniform: variance scaling with scale 1, 'fan_avg', 'uniform'
 * (JAX: `jax.nn.initializers.glorot_uniform(in_axis=-2, out_axis=-1, batch_axis=(), dtype)`).
 * @example
 * import { nn, random } from 'wengert'
 * const w = nn.initializers.glorotUniform()(random.key(0), [3, 5]).toArray() as number[][]
 * assert.ok(w.flat().every((v) => Math.abs(v) <= Math.sqrt(6 / 8)))
 * @category nn
 * @since 0.2.0
 */
export const glorotUniform: (opts?: FanOptions) => Initializer = named(1, 'fan_avg', 'uniform')
/**
 * Glorot (Xavier) normal: variance scaling with scale 1, 'fan_avg', 'truncated_normal'
 * (JAX: `jax.nn.initializers.glorot_normal`).
 * @example
 * import { nn, random } from 'wengert'
 * const w = nn.initializers.glorotNormal()(random.key(0), [3, 5]).toArray() as number[][]
 * assert.ok(w.flat().every((v) => Math.abs(v) <= 2 * Math.sqrt(1 / 4) / 0.87962566103423978 + 1e-6))
 * @category nn
 * @since 0.2.0
 */
export const glorotNormal: (opts?: FanOptions) => Initializer = named(1, 'fan_avg', 'truncated_normal')
/**
 * The same builder as {@link glorotUniform} (JAX: `jax.nn.initializers.xavier_uniform`).
 * @example
 * import { nn } from 'wengert'
 * assert.strictEqual(nn.initializers.xavierUniform, nn.initializers.glorotUniform)
 * @category nn
 * @since 0.2.0
 */
export const xavierUniform = glorotUniform
/**
 * The same builder as {@link glorotNormal} (JAX: `jax.nn.initializers.xavier_normal`).
 * @example
 * import { nn } from 'wengert'
 * assert.strictEqual(nn.initializers.xavierNormal, nn.initializers.glorotNormal)
 * @category nn
 * @since 0.2.0
 */
export const xavierNormal = glorotNormal
/**
 * LeCun uniform: variance scaling with scale 1, 'fan_in', 'uniform' (JAX: `jax.nn.initializers.lecun_uniform`).
 * @example
 * import { nn, random } from 'wengert'
 * const w = nn.initializers.lecunUniform()(random.key(0), [12, 2]).toArray() as number[][]
 * assert.ok(w.flat().every((v) => Math.abs(v) <= 0.5))
 * @category nn
 * @since 0.2.0
 */
export const lecunUniform: (opts?: FanOptions) => Initializer = named(1, 'fan_in', 'uniform')
/**
 * LeCun normal: variance scaling with scale 1, 'fan_in', 'truncated_normal' (JAX: `jax.nn.initializers.lecun_normal`).
 * @example
 * import { nn, random } from 'wengert'
 * assert.deepStrictEqual(nn.initializers.lecunNormal()(random.key(0), [4, 2]).shape, [4, 2])
 * @category nn
 * @since 0.2.0
 */
export const lecunNormal: (opts?: FanOptions) => Initializer = named(1, 'fan_in', 'truncated_normal')
/**
 * He (Kaiming) uniform: variance scaling with scale 2, 'fan_in', 'uniform' (JAX: `jax.nn.initializers.he_uniform`).
 * @example
 * import { nn, random } from 'wengert'
 * const w = nn.initializers.heUniform()(random.key(0), [24, 2]).toArray() as number[][]
 * assert.ok(w.flat().every((v) => Math.abs(v) <= 0.5))
 * @category nn
 * @since 0.2.0
 */
export const heUniform: (opts?: FanOptions) => Initializer = named(2, 'fan_in', 'uniform')
/**
 * He (Kaiming) normal: variance scaling with scale 2, 'fan_in', 'truncated_normal' (JAX: `jax.nn.initializers.he_normal`).
 * @example
 * import { nn, random } from 'wengert'
 * assert.deepStrictEqual(nn.initializers.heNormal()(random.key(0), [3, 3, 4, 8]).shape, [3, 3, 4, 8])
 * @category nn
 * @since 0.2.0
 */
export const heNormal: (opts?: FanOptions) => Initializer = named(2, 'fan_in', 'truncated_normal')
/**
 * The same builder as {@link heUniform} (JAX: `jax.nn.initializers.kaiming_uniform`).
 * @example
 * import { nn } from 'wengert'
 * assert.strictEqual(nn.initializers.kaimingUniform, nn.initializers.heUniform)
 * @category nn
 * @since 0.2.0
 */
export const kaimingUniform = heUniform
/**
 * The same builder as {@link heNormal} (JAX: `jax.nn.initializers.kaiming_normal`).
 * @example
 * import { nn } from 'wengert'
 * assert.strictEqual(nn.initializers.kaimingNormal, nn.initializers.heNormal)
 * @category nn
 * @since 0.2.0
 */
export const kaimingNormal = heNormal
