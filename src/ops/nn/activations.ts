/**
 * `jax.nn`'s element-wise activations, composed from `jnp` ops so that their derivatives are
 * JAX's, kinks included: relu'(0) = 0, relu6' is 0 at 0 and 6, leaky_relu'(0) = 1,
 * hard_tanh'(±1) = 1, elu'(0) = α, sparse_plus'(−1) = 0 and sparse_plus'(1) = 1.
 *
 * @category nn
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import type { NdArray } from '../../ndarray/NdArray'
import { asFloat, type ArrayLike } from '../convert'
import {
  add,
  clip,
  div,
  greater,
  greaterEqual,
  less,
  lessEqual,
  maximum,
  minimum,
  mul,
  pow,
  where,
} from '../elementwise'
import {
  abs,
  expm1,
  neg,
  relu as jnpRelu,
  sigmoid as jnpSigmoid,
  softplus as jnpSoftplus,
  sqrt,
  square,
  tanh,
} from '../unary'
import { paramOr } from './args'

/**
 * `max(x, 0)` (JAX: `jax.nn.relu`); its derivative at 0 is 0, as JAX's.
 * @example
 * import { nn, array, grad } from 'wengert'
 * assert.deepStrictEqual(nn.relu(array([-1, 0, 2])).toArray(), [0, 0, 2])
 * assert.strictEqual(grad(nn.relu)(array(0)).item(), 0)
 * @category nn
 * @since 0.2.0
 */
export const relu = (x: ArrayLike): NdArray => jnpRelu(x)

/**
 * `min(max(x, 0), 6)` (JAX: `jax.nn.relu6`); its derivative is 0 at both 0 and 6, as JAX's.
 * @example
 * import { nn, array, grad } from 'wengert'
 * assert.deepStrictEqual(nn.relu6(array([-1, 3, 7])).toArray(), [0, 3, 6])
 * assert.strictEqual(grad(nn.relu6)(array(6)).item(), 0)
 * @category nn
 * @since 0.2.0
 */
export const relu6 = (x: ArrayLike): NdArray => {
  const a = asFloat('relu6', x)
  return where(greater(a, 0), where(less(a, 6), a, 6), 0)
}

/**
 * `1 / (1 + e⁻ˣ)` (JAX: `jax.nn.sigmoid`, the `logistic` primitive).
 * @example
 * import { nn, array } from 'wengert'
 * assert.strictEqual(nn.sigmoid(array(0)).item(), 0.5)
 * @category nn
 * @since 0.2.0
 */
export const sigmoid = (x: ArrayLike): NdArray => jnpSigmoid(x)

/**
 * `log(1 + eˣ)` without overflow (JAX: `jax.nn.softplus`); derivative ½ at 0.
 * @example
 * import { nn, array } from 'wengert'
 * assert.ok(Math.abs(Number(nn.softplus(array(0, { dtype: 'float64' })).item()) - Math.LN2) < 1e-15)
 * @category nn
 * @since 0.2.0
 */
export const softplus = (x: ArrayLike): NdArray => jnpSoftplus(x)

/**
 * `x / (|x| + 1)` (JAX: `jax.nn.soft_sign`).
 * @example
 * import { nn, array } from 'wengert'
 * assert.deepStrictEqual(nn.softSign(array([-3, 1])).toArray(), [-0.75, 0.5])
 * @category nn
 * @since 0.2.0
 */
export const softSign = (x: ArrayLike): NdArray => {
  const a = asFloat('softSign', x)
  return div(a, add(abs(a), 1))
}

/**
 * `x·σ(x)` (JAX: `jax.nn.silu`, also `swish`).
 * @example
 * import { nn, array } from 'wengert'
 * assert.ok(Math.abs(Number(nn.silu(array(1, { dtype: 'float64' })).item()) - 1 / (1 + Math.exp(-1))) < 1e-15)
 * @category nn
 * @since 0.2.0
 */
export const silu = (x: ArrayLike): NdArray => {
  const a = asFloat('silu', x)
  return mul(a, jnpSigmoid(a))
}

/**
 * The same function as {@link silu} (JAX: `jax.nn.swish`).
 * @example
 * import { nn } from 'wengert'
 * assert.strictEqual(nn.swish, nn.silu)
 * @category nn
 * @since 0.2.0
 */
export const swish = silu

/**
 * `x·tanh(softplus(x))` (JAX: `jax.nn.mish`).
 * @example
 * import { nn, array } from 'wengert'
 * assert.strictEqual(nn.mish(array(0)).item(), 0)
 * @category nn
 * @since 0.2.0
 */
export const mish = (x: ArrayLike): NdArray => {
  const a = asFloat('mish', x)
  return mul(a, tanh(jnpSoftplus(a)))
}

/**
 * `log σ(x) = −softplus(−x)` (JAX: `jax.nn.log_sigmoid`), finite for large |x|.
 * @example
 * import { nn, array } from 'wengert'
 * assert.deepStrictEqual(nn.logSigmoid(array([-1000])).toArray(), [-1000])
 * @category nn
 * @since 0.2.0
 */
export const logSigmoid = (x: ArrayLike): NdArray => neg(jnpSoftplus(neg(asFloat('logSigmoid', x))))

/** Options of {@link elu} and {@link celu}. @category nn @since 0.2.0 */
export interface AlphaOptions {
  /** α (default 1). */
  readonly alpha?: ArrayLike
}

/**
 * `x` for x > 0, `α(eˣ − 1)` otherwise (JAX: `jax.nn.elu(x, alpha=1.0)`); derivative α at 0.
 * @example
 * import { nn, array } from 'wengert'
 * assert.deepStrictEqual(nn.elu(array([2, 0])).toArray(), [2, 0])
 * assert.ok(Math.abs(Number(nn.elu(array(-1, { dtype: 'float64' }), { alpha: 2 }).item()) - 2 * Math.expm1(-1)) < 1e-15)
 * @category nn
 * @since 0.2.0
 */
export const elu = (x: ArrayLike, alpha?: ArrayLike | AlphaOptions): NdArray => {
  const al = paramOr<'alpha', ArrayLike>('elu', alpha, 'alpha', 1)
  const a = asFloat('elu', x)
  const pos = greater(a, 0)
  // the exponential is fed 0 where x > 0, so a large positive x neither overflows nor leaks NaN
  return where(pos, a, mul(al, expm1(where(pos, 0, a))))
}

/** SELU's α. */
const SELU_ALPHA = 1.6732632423543772848170429916717
/** SELU's λ. */
const SELU_SCALE = 1.0507009873554804934193349852946

/**
 * `λ·elu(x, α)` with λ ≈ 1.0507, α ≈ 1.6733 (JAX: `jax.nn.selu`).
 * @example
 * import { nn, array } from 'wengert'
 * assert.ok(Math.abs(Number(nn.selu(array(1, { dtype: 'float64' })).item()) - 1.0507009873554805) < 1e-15)
 * @category nn
 * @since 0.2.0
 */
export const selu = (x: ArrayLike): NdArray => mul(SELU_SCALE, elu(asFloat('selu', x), SELU_ALPHA))

/**
 * `max(x, 0) + α(e^(min(x, 0)/α) − 1)` (JAX: `jax.nn.celu(x, alpha=1.0)`).
 * @example
 * import { nn, array } from 'wengert'
 * assert.ok(Math.abs(Number(nn.celu(array(-1, { dtype: 'float64' }), 2).item()) - 2 * Math.expm1(-0.5)) < 1e-15)
 * @category nn
 * @since 0.2.0
 */
export const celu = (x: ArrayLike, alpha?: ArrayLike | AlphaOptions): NdArray => {
  const al = paramOr<'alpha', ArrayLike>('celu', alpha, 'alpha', 1)
  const a = asFloat('celu', x)
  return add(maximum(a, 0), mul(al, expm1(div(minimum(a, 0), al))))
}

/** Options of {@link leakyRelu}. @category nn @since 0.2.0 */
export interface LeakyReluOptions {
  /** Slope for x < 0 (default 0.01). */
  readonly negativeSlope?: ArrayLike
}

/**
 * `x` for x ≥ 0, `negativeSlope·x` otherwise (JAX: `jax.nn.leaky_relu(x, negative_slope=0.01)`);
 * derivative 1 at 0.
 * @example
 * import { nn, array } from 'wengert'
 * assert.deepStrictEqual(nn.leakyRelu(array([-2, 3], { dtype: 'float64' })).toArray(), [-0.02, 3])
 * assert.deepStrictEqual(nn.leakyRelu(array([-2]), { negativeSlope: 0.5 }).toArray(), [-1])
 * @category nn
 * @since 0.2.0
 */
export const leakyRelu = (x: ArrayLike, negativeSlope?: ArrayLike | LeakyReluOptions): NdArray => {
  const s = paramOr<'negativeSlope', ArrayLike>('leakyRelu', negativeSlope, 'negativeSlope', 0.01)
  const a = asFloat('leakyRelu', x)
  return where(greaterEqual(a, 0), a, mul(s, a))
}

/**
 * `x` clipped to [−1, 1] (JAX: `jax.nn.hard_tanh`); derivative 1 at ±1.
 * @example
 * import { nn, array } from 'wengert'
 * assert.deepStrictEqual(nn.hardTanh(array([-3, 0.5, 2])).toArray(), [-1, 0.5, 1])
 * @category nn
 * @since 0.2.0
 */
export const hardTanh = (x: ArrayLike): NdArray => {
  const a = asFloat('hardTanh', x)
  return where(greater(a, 1), 1, where(less(a, -1), -1, a))
}

/**
 * `relu6(x + 3) / 6` (JAX: `jax.nn.hard_sigmoid`).
 * @example
 * import { nn, array } from 'wengert'
 * assert.deepStrictEqual(nn.hardSigmoid(array([-4, 0, 4])).toArray(), [0, 0.5, 1])
 * @category nn
 * @since 0.2.0
 */
export const hardSigmoid = (x: ArrayLike): NdArray => div(relu6(add(asFloat('hardSigmoid', x), 3)), 6)

/**
 * `x·hard_sigmoid(x)` (JAX: `jax.nn.hard_silu`, also `hard_swish`).
 * @example
 * import { nn, array } from 'wengert'
 * assert.deepStrictEqual(nn.hardSilu(array([-4, 0, 4])).toArray(), [-0, 0, 4])
 * @category nn
 * @since 0.2.0
 */
export const hardSilu = (x: ArrayLike): NdArray => {
  const a = asFloat('hardSilu', x)
  return mul(a, hardSigmoid(a))
}

/**
 * The same function as {@link hardSilu} (JAX: `jax.nn.hard_swish`).
 * @example
 * import { nn } from 'wengert'
 * assert.strictEqual(nn.hardSwish, nn.hardSilu)
 * @category nn
 * @since 0.2.0
 */
export const hardSwish = hardSilu

/** Options of {@link gelu}. @category nn @since 0.2.0 */
export interface GeluOptions {
  /** The tanh approximation (default true, as JAX) or the exact erf form. */
  readonly approximate?: boolean
}

/**
 * Gaussian error linear unit (JAX: `jax.nn.gelu(x, approximate=True)`): with `approximate`
 * (the default) `x/2·(1 + tanh(√(2/π)(x + 0.044715x³)))`, else `x/2·erfc(−x/√2)`.
 * @example
 * import { nn, array } from 'wengert'
 * const x = array(1, { dtype: 'float64' })
 * assert.ok(Math.abs(Number(nn.gelu(x, { approximate: false }).item()) - 0.8413447460685429) < 1e-15)
 * assert.ok(Math.abs(Number(nn.gelu(x).item()) - 0.8411919906082768) < 1e-15)
 * @category nn
 * @since 0.2.0
 */
export const gelu = (x: ArrayLike, approximate?: boolean | GeluOptions): NdArray => {
  const approx = paramOr<'approximate', boolean>('gelu', approximate, 'approximate', true)
  const a = asFloat('gelu', x)
  if (approx) {
    const inner = mul(Math.sqrt(2 / Math.PI), add(a, mul(0.044715, pow(a, 3))))
    return mul(a, mul(0.5, add(1, tanh(inner))))
  }
  return mul(mul(0.5, a), lax.erfc(mul(neg(a), Math.SQRT1_2)))
}

/** Options of {@link squareplus}. @category nn @since 0.2.0 */
export interface SquareplusOptions {
  /** Smoothness b (default 4). */
  readonly b?: ArrayLike
}

/**
 * `(x + √(x² + b)) / 2` (JAX: `jax.nn.squareplus(x, b=4)`).
 * @example
 * import { nn, array } from 'wengert'
 * assert.deepStrictEqual(nn.squareplus(array([0, 1.5])).toArray(), [1, 2])
 * @category nn
 * @since 0.2.0
 */
export const squareplus = (x: ArrayLike, b?: ArrayLike | SquareplusOptions): NdArray => {
  const bb = paramOr<'b', ArrayLike>('squareplus', b, 'b', 4)
  const a = asFloat('squareplus', x)
  return div(add(a, sqrt(add(square(a), bb))), 2)
}

/**
 * 0 for x ≤ −1, `(x + 1)²/4` between, `x` for x ≥ 1 (JAX: `jax.nn.sparse_plus`).
 * @example
 * import { nn, array } from 'wengert'
 * assert.deepStrictEqual(nn.sparsePlus(array([-2, 0, 2])).toArray(), [0, 0.25, 2])
 * @category nn
 * @since 0.2.0
 */
export const sparsePlus = (x: ArrayLike): NdArray => {
  const a = asFloat('sparsePlus', x)
  return where(lessEqual(a, -1), 0, where(greaterEqual(a, 1), a, div(square(add(a, 1)), 4)))
}

/**
 * `clip(x + 1, 0, 2) / 2` (JAX: `jax.nn.sparse_sigmoid`), the derivative of {@link sparsePlus}.
 * @example
 * import { nn, array } from 'wengert'
 * assert.deepStrictEqual(nn.sparseSigmoid(array([-2, 0, 2])).toArray(), [0, 0.5, 1])
 * @category nn
 * @since 0.2.0
 */
export const sparseSigmoid = (x: ArrayLike): NdArray => mul(0.5, clip(add(asFloat('sparseSigmoid', x), 1), 0, 2))
