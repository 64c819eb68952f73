/**
 * The continuous and Bernoulli samplers of `jax.random`, each JAX's transform of uniform draws
 * (the same formulas and the same uniform intervals), written with differentiable primitives:
 * gradients flow to the distribution parameters (reparameterisation).
 *
 * @category random
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { checkOptions } from '../../internal/options'
import { NdArray } from '../../ndarray/NdArray'
import { broadcastShapes } from '../../ndarray/shape'
import type { ArrayLike } from '../convert'
import { abs, log, log1p, neg, sign, tan } from '../unary'
import { div, less, mul, sub, minimum, maximum } from '../elementwise'
import { checkSingleKey, type KeyArray } from './keys'
import { finfo, floatOptions, param, scaleUnit, shapeOf, unit, type DTypeOption, type FloatDType } from './common'

/** Options of {@link uniform}. @category random @since 0.2.0 */
export interface UniformOptions extends DTypeOption {
  /** Inclusive lower bound (default 0); an array broadcasts against the shape. */
  readonly minval?: ArrayLike
  /** Exclusive upper bound (default 1). */
  readonly maxval?: ArrayLike
}

/** Uniform draws on [minval, maxval) in the dtype (JAX's `uniform`). */
const uniformIn = (
  k: NdArray,
  shape: ReadonlyArray<number>,
  dtype: FloatDType,
  lo: ArrayLike,
  hi: ArrayLike,
  op: string,
): NdArray => scaleUnit(unit(k, shape, dtype), lo, hi, op)

/**
 * Uniform draws on [minval, maxval) (JAX: `jax.random.uniform`, the same numbers for a key:
 * `uniform(key(0))` is 0.947667 as in JAX's documentation). Differentiable in minval and maxval.
 * @example
 * import { random, grad, array, type NdArray } from 'wengert'
 * const k = random.key(0)
 * assert.ok(Math.abs((random.uniform(k).item() as number) - 0.947667) < 1e-6)
 * const u = random.uniform(k, [100], { minval: 2, maxval: 3 })
 * assert.ok((u.toArray() as number[]).every((v) => v >= 2 && v < 3))
 * // d/dmaxval of minval + u·(maxval − minval) is u
 * const g = grad((hi: NdArray) => random.uniform(k, [], { maxval: hi, dtype: 'float64' }))(array(2, { dtype: 'float64' }))
 * assert.ok(Number(g.item()) > 0 && Number(g.item()) < 1)
 * @category random @since 0.2.0
 */
export const uniform = (key: KeyArray, shape: ReadonlyArray<number> = [], opts?: UniformOptions): NdArray => {
  const o = floatOptions('uniform', opts, ['dtype', 'minval', 'maxval'])
  return uniformIn(
    checkSingleKey('uniform', key),
    shapeOf('uniform', shape),
    o.dtype,
    o.minval ?? 0,
    o.maxval ?? 1,
    'uniform',
  )
}

/**
 * Standard normal draws (JAX: `jax.random.normal`): √2·erfinv(u) with u uniform on
 * (−1, 1), as JAX computes them.
 * @example
 * import { random } from 'wengert'
 * const z = random.normal(random.key(0), [2, 3], { dtype: 'float64' })
 * assert.deepStrictEqual([z.shape, z.dtype], [[2, 3], 'float64'])
 * @category random @since 0.2.0
 */
export const normal = (key: KeyArray, shape: ReadonlyArray<number> = [], opts?: DTypeOption): NdArray => {
  const { dtype } = floatOptions('normal', opts, ['dtype'])
  const lo = -1 + finfo(dtype).epsneg // nextafter(−1, 0) in the dtype
  const u = uniformIn(checkSingleKey('normal', key), shapeOf('normal', shape), dtype, lo, 1, 'normal')
  return lax.mulScalar(lax.erfInv(u), Math.SQRT2)
}

/**
 * Booleans that are true with probability p (JAX: `jax.random.bernoulli`, `uniform < p`); the
 * shape defaults to p's.
 * @example
 * import { random } from 'wengert'
 * assert.deepStrictEqual(random.bernoulli(random.key(0), 1, [3]).toArray(), [true, true, true])
 * @category random @since 0.2.0
 */
export const bernoulli = (key: KeyArray, p: ArrayLike = 0.5, shape?: ReadonlyArray<number>): NdArray => {
  const k = checkSingleKey('bernoulli', key)
  const pa = param('bernoulli', p, p instanceof NdArray && p.dtype === 'float64' ? 'float64' : 'float32')
  const s = shape === undefined ? pa.shape : shapeOf('bernoulli', shape)
  broadcastShapes('random.bernoulli', s, pa.shape)
  return less(unit(k, s, pa.dtype as FloatDType), pa)
}

/**
 * Exponential(1) draws (JAX: `jax.random.exponential`): −log1p(−u).
 * @example
 * import { random, mean } from 'wengert'
 * const x = random.exponential(random.key(1), [4000], { dtype: 'float64' })
 * assert.ok(Math.abs((mean(x).item() as number) - 1) < 0.05)
 * @category random @since 0.2.0
 */
export const exponential = (key: KeyArray, shape: ReadonlyArray<number> = [], opts?: DTypeOption): NdArray => {
  const { dtype } = floatOptions('exponential', opts, ['dtype'])
  return neg(log1p(neg(unit(checkSingleKey('exponential', key), shapeOf('exponential', shape), dtype))))
}

/**
 * Standard Gumbel draws (JAX: `jax.random.gumbel`): −log(−log u), u uniform on [tiny, 1).
 * @example
 * import { random } from 'wengert'
 * assert.deepStrictEqual(random.gumbel(random.key(0), [3]).shape, [3])
 * @category random @since 0.2.0
 */
export const gumbel = (key: KeyArray, shape: ReadonlyArray<number> = [], opts?: DTypeOption): NdArray => {
  const { dtype } = floatOptions('gumbel', opts, ['dtype'])
  const u = uniformIn(checkSingleKey('gumbel', key), shapeOf('gumbel', shape), dtype, finfo(dtype).tiny, 1, 'gumbel')
  return neg(log(neg(log(u))))
}

/**
 * Standard Laplace draws (JAX: `jax.random.laplace`): sign(u)·log1p(−|u|), u uniform on (−1, 1).
 * @example
 * import { random } from 'wengert'
 * assert.deepStrictEqual(random.laplace(random.key(0), [2]).shape, [2])
 * @category random @since 0.2.0
 */
export const laplace = (key: KeyArray, shape: ReadonlyArray<number> = [], opts?: DTypeOption): NdArray => {
  const { dtype } = floatOptions('laplace', opts, ['dtype'])
  const lo = -1 + finfo(dtype).epsneg
  const u = uniformIn(checkSingleKey('laplace', key), shapeOf('laplace', shape), dtype, lo, 1, 'laplace')
  return mul(sign(u), log1p(neg(abs(u))))
}

/**
 * Standard logistic draws (JAX: `jax.random.logistic`): log(u/(1 − u)), u uniform on [tiny, 1).
 * @example
 * import { random } from 'wengert'
 * assert.deepStrictEqual(random.logistic(random.key(0), [2]).shape, [2])
 * @category random @since 0.2.0
 */
export const logistic = (key: KeyArray, shape: ReadonlyArray<number> = [], opts?: DTypeOption): NdArray => {
  const { dtype } = floatOptions('logistic', opts, ['dtype'])
  const u = uniformIn(
    checkSingleKey('logistic', key),
    shapeOf('logistic', shape),
    dtype,
    finfo(dtype).tiny,
    1,
    'logistic',
  )
  return log(div(u, sub(lax.scalarLike(1, u), u)))
}

/**
 * Standard Cauchy draws (JAX: `jax.random.cauchy`): tan(π(u − ½)), u uniform on [eps, 1).
 * @example
 * import { random } from 'wengert'
 * assert.deepStrictEqual(random.cauchy(random.key(0), [2]).shape, [2])
 * @category random @since 0.2.0
 */
export const cauchy = (key: KeyArray, shape: ReadonlyArray<number> = [], opts?: DTypeOption): NdArray => {
  const { dtype } = floatOptions('cauchy', opts, ['dtype'])
  const u = uniformIn(checkSingleKey('cauchy', key), shapeOf('cauchy', shape), dtype, finfo(dtype).eps, 1, 'cauchy')
  return tan(lax.mulScalar(lax.addScalar(u, -0.5), Math.PI))
}

/** Options of {@link rademacher}. @category random @since 0.2.0 */
export interface RademacherOptions {
  /** The dtype of the ±1 values (default int32, as JAX). */
  readonly dtype?: 'int32' | 'float32' | 'float64'
}

/**
 * ±1 with equal probability (JAX: `jax.random.rademacher`): 2·bernoulli(½) − 1.
 * @example
 * import { random } from 'wengert'
 * assert.ok((random.rademacher(random.key(0), [20]).toArray() as number[]).every((v) => v === 1 || v === -1))
 * @category random @since 0.2.0
 */
export const rademacher = (key: KeyArray, shape: ReadonlyArray<number> = [], opts?: RademacherOptions): NdArray => {
  const o = checkOptions('random.rademacher', opts, ['dtype'])
  const b = lax.cast(bernoulli(key, 0.5, shape), o.dtype ?? 'int32')
  return lax.sub(lax.mulScalar(b, 2), lax.scalarLike(1, b))
}

/**
 * Normal draws truncated to [lower, upper] (JAX: `jax.random.truncated_normal`): √2·erfinv(u)
 * with u uniform between erf(lower/√2) and erf(upper/√2), clipped to the bounds.
 * Differentiable in the bounds. (JAX clips to the next floats inside the bounds.)
 * @example
 * import { random } from 'wengert'
 * const x = random.truncatedNormal(random.key(0), -1, 2, [100]).toArray() as number[]
 * assert.ok(x.every((v) => v >= -1 && v <= 2))
 * @category random @since 0.2.0
 */
export const truncatedNormal = (
  key: KeyArray,
  lower: ArrayLike,
  upper: ArrayLike,
  shape?: ReadonlyArray<number>,
  opts?: DTypeOption,
): NdArray => {
  const { dtype } = floatOptions('truncatedNormal', opts, ['dtype'])
  const lo = param('truncatedNormal', lower, dtype)
  const hi = param('truncatedNormal', upper, dtype)
  const s =
    shape === undefined
      ? broadcastShapes('random.truncatedNormal', lo.shape, hi.shape)
      : shapeOf('truncatedNormal', shape)
  const a = lax.erf(lax.mulScalar(lo, Math.SQRT1_2))
  const b = lax.erf(lax.mulScalar(hi, Math.SQRT1_2))
  const u = uniformIn(checkSingleKey('truncatedNormal', key), s, dtype, a, b, 'truncatedNormal')
  const out = lax.mulScalar(lax.erfInv(u), Math.SQRT2)
  return minimum(maximum(out, lax.stopGradient(lo)), lax.stopGradient(hi))
}
