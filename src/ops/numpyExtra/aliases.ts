/**
 * NumPy's other names of existing ops (`jnp.power`, `jnp.arcsin`, `jnp.concatenate`, …), so
 * ported programs find them.
 *
 * @category ops
 * @since 0.2.0
 */
import { atan2, div, pow, mul, sub } from '../elementwise'
import { remainder } from '../integer'
import { concat } from '../layout'
import { max, min } from '../reduce'
import { abs, acos, acosh, asin, asinh, atan, atanh, neg } from '../unary'
import { deg2rad, rad2deg } from './math'

/**
 * `xʸ` (jnp.power; the same function as `pow`).
 * @example
 * import { power, pow } from 'wengert'
 * assert.strictEqual(power, pow)
 * @category ops
 * @since 0.2.0
 */
export const power = pow
/**
 * `x − y` (jnp.subtract).
 * @example
 * import { subtract, sub } from 'wengert'
 * assert.strictEqual(subtract, sub)
 * @category ops
 * @since 0.2.0
 */
export const subtract = sub
/**
 * `x·y` (jnp.multiply).
 * @example
 * import { multiply, mul } from 'wengert'
 * assert.strictEqual(multiply, mul)
 * @category ops
 * @since 0.2.0
 */
export const multiply = mul
/**
 * `x / y` (jnp.divide).
 * @example
 * import { divide, div } from 'wengert'
 * assert.strictEqual(divide, div)
 * @category ops
 * @since 0.2.0
 */
export const divide = div
/**
 * `x / y` (jnp.true_divide).
 * @example
 * import { trueDivide, div } from 'wengert'
 * assert.strictEqual(trueDivide, div)
 * @category ops
 * @since 0.2.0
 */
export const trueDivide = div
/**
 * `−x` (jnp.negative).
 * @example
 * import { negative, neg } from 'wengert'
 * assert.strictEqual(negative, neg)
 * @category ops
 * @since 0.2.0
 */
export const negative = neg
/**
 * `|x|` (jnp.absolute).
 * @example
 * import { absolute, abs } from 'wengert'
 * assert.strictEqual(absolute, abs)
 * @category ops
 * @since 0.2.0
 */
export const absolute = abs
/**
 * Python's modulo, the sign of the divisor (jnp.mod; the same function as `remainder`).
 * @example
 * import { mod, array } from 'wengert'
 * assert.deepStrictEqual(mod(array([-7, 7]), 3).toArray(), [2, 1])
 * @category ops
 * @since 0.2.0
 */
export const mod = remainder
/**
 * arcsin (jnp.arcsin).
 * @example
 * import { arcsin, asin } from 'wengert'
 * assert.strictEqual(arcsin, asin)
 * @category ops
 * @since 0.2.0
 */
export const arcsin = asin
/**
 * arccos (jnp.arccos).
 * @example
 * import { arccos, acos } from 'wengert'
 * assert.strictEqual(arccos, acos)
 * @category ops
 * @since 0.2.0
 */
export const arccos = acos
/**
 * arctan (jnp.arctan).
 * @example
 * import { arctan, atan } from 'wengert'
 * assert.strictEqual(arctan, atan)
 * @category ops
 * @since 0.2.0
 */
export const arctan = atan
/**
 * arctan2 (jnp.arctan2).
 * @example
 * import { arctan2, atan2 } from 'wengert'
 * assert.strictEqual(arctan2, atan2)
 * @category ops
 * @since 0.2.0
 */
export const arctan2 = atan2
/**
 * arcsinh (jnp.arcsinh).
 * @example
 * import { arcsinh, asinh } from 'wengert'
 * assert.strictEqual(arcsinh, asinh)
 * @category ops
 * @since 0.2.0
 */
export const arcsinh = asinh
/**
 * arccosh (jnp.arccosh).
 * @example
 * import { arccosh, acosh } from 'wengert'
 * assert.strictEqual(arccosh, acosh)
 * @category ops
 * @since 0.2.0
 */
export const arccosh = acosh
/**
 * arctanh (jnp.arctanh).
 * @example
 * import { arctanh, atanh } from 'wengert'
 * assert.strictEqual(arctanh, atanh)
 * @category ops
 * @since 0.2.0
 */
export const arctanh = atanh
/**
 * Joins arrays along an existing axis (jnp.concatenate; the same function as `concat`).
 * @example
 * import { concatenate, concat } from 'wengert'
 * assert.strictEqual(concatenate, concat)
 * @category ops
 * @since 0.2.0
 */
export const concatenate = concat
/**
 * Maximum over axes (jnp.amax).
 * @example
 * import { amax, max } from 'wengert'
 * assert.strictEqual(amax, max)
 * @category ops
 * @since 0.2.0
 */
export const amax = max
/**
 * Minimum over axes (jnp.amin).
 * @example
 * import { amin, min } from 'wengert'
 * assert.strictEqual(amin, min)
 * @category ops
 * @since 0.2.0
 */
export const amin = min
/**
 * Degrees to radians (jnp.radians).
 * @example
 * import { radians, deg2rad } from 'wengert'
 * assert.strictEqual(radians, deg2rad)
 * @category ops
 * @since 0.2.0
 */
export const radians = deg2rad
/**
 * Radians to degrees (jnp.degrees).
 * @example
 * import { degrees, rad2deg } from 'wengert'
 * assert.strictEqual(degrees, rad2deg)
 * @category ops
 * @since 0.2.0
 */
export const degrees = rad2deg
