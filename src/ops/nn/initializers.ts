/**
 * `jax.nn.initializers`: functions `(key, shape, dtype?)` that draw initial weights from the
 * threefry stream of `random`, with JAX's formulas (so a key gives JAX's draws up to float
 * rounding, as the samplers do).
 *
 * @category nn
 * @since 0.2.0
 */
import type { DType } from '../../ndarray/dtype'
import { ValueError } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { normalizeAxis, sizeOf } from '../../ndarray/shape'
import { full as fullArray } from '../../ndarray/create'
import { checkOptions, isPlainObject } from '../../internal/options'
import { mul } from '../elementwise'
import { expandDims, reshape } from '../layout'
import { transpose } from '../linalg'
import { qr } from '../linalg/decompositions'
import { diagonal } from '../linalg/matrix'
import { sign } from '../unary'
import type { FloatDType } from '../random/common'
import type { KeyArray } from '../random/keys'
import * as random from '../random/index'

/** A weight initializer: `(key, shape, dtype?)` → an array of that shape (JAX's `Initializer`). @category nn @since 0.2.0 */
export type Initializer = (key: KeyArray, shape: ReadonlyArray<number>, dtype?: FloatDType) => NdArray

/** The dtype option of the initializer builders. @category nn @since 0.2.0 */
export interface InitDTypeOption {
  /** The default dtype of the built initializer (float32, as JAX without x64). */
  readonly dtype?: FloatDType
}

/**
 * Zeros of `shape` (JAX: `jax.nn.initializers.zeros(key, shape, dtype)`; the key is unused).
 * @example
 * import { nn, random } from 'wengert'
 * assert.deepStrictEqual(nn.initializers.zeros(random.key(0), [2]).toArray(), [0, 0])
 * @category nn
 * @since 0.2.0
 */
export const zeros = (_key: KeyArray, shape: ReadonlyArray<number>, dtype: DType = 'float32'): NdArray =>
  fullArray(shape, 0, { dtype })

/**
 * Ones of `shape` (JAX: `jax.nn.initializers.ones(key, shape, dtype)`; the key is unused).
 * @example
 * import { nn, random } from 'wengert'
 * assert.deepStrictEqual(nn.initializers.ones(random.key(0), [2], 'float64').toArray(), [1, 1])
 * @category nn
 * @since 0.2.0
 */
export const ones = (_key: KeyArray, shape: ReadonlyArray<number>, dtype: DType = 'float32'): NdArray =>
  fullArray(shape, 1, { dtype })

/**
 * An initializer filling with `value` (JAX: `jax.nn.initializers.constant(value, dtype)`).
 * @example
 * import { nn, random } from 'wengert'
 * assert.deepStrictEqual(nn.initializers.constant(-0.5)(random.key(0), [2]).toArray(), [-0.5, -0.5])
 * @category nn
 * @since 0.2.0
 */
export const constant =
  (value: number, dtypeOrOpts?: FloatDType | InitDTypeOption): Initializer =>
  (_key, shape, dtype) =>
    fullArray(shape, value, { dtype: dtype ?? builderDType('constant', dtypeOrOpts) })

/** The default dtype of a builder given a dtype or `{ dtype }`. */
const builderDType = (op: string, d: FloatDType | InitDTypeOption | undefined): FloatDType =>
  (typeof d === 'string' ? d : checkOptions(`nn.initializers.${op}`, d, ['dtype']).dtype) ?? 'float32'

/** Options of {@link uniform}. @category nn @since 0.2.0 */
export interface UniformInitOptions extends InitDTypeOption {
  /** Upper bound: draws lie in [0, scale) (default 1e-2). */
  readonly scale?: number
}

/** A builder's first parameter, given positionally or in its options object. */
const firstParam = <O extends InitDTypeOption>(
  op: string,
  arg: number | O | undefined,
  key: keyof O,
  keys: ReadonlyArray<keyof O>,
): O => {
  if (arg === undefined) return {} as O
  if (!isPlainObject(arg)) return { [key]: arg } as unknown as O
  return checkOptions(`nn.initializers.${op}`, arg as O, keys)
}

/**
 * An initializer drawing uniformly from [0, scale) (JAX: `jax.nn.initializers.uniform(scale=1e-2, dtype)`).
 * @example
 * import { nn, random } from 'wengert'
 * const w = nn.initializers.uniform(0.5)(random.key(0), [100]).toArray() as number[]
 * assert.ok(w.every((v) => v >= 0 && v < 0.5))
 * @category nn
 * @since 0.2.0
 */
export const uniform = (scale?: number | UniformInitOptions, dtypeArg?: FloatDType): Initializer => {
  const o = firstParam<UniformInitOptions>('uniform', scale, 'scale', ['scale', 'dtype'])
  return (key, shape, dtype) =>
    mul(random.uniform(key, shape, { dtype: dtype ?? o.dtype ?? dtypeArg ?? 'float32' }), o.scale ?? 1e-2)
}

/** Options of {@link normal}. @category nn @since 0.2.0 */
export interface NormalInitOptions extends InitDTypeOption {
  /** Standard deviation (default 1e-2). */
  readonly stddev?: number
}

/**
 * An initializer drawing from N(0, stddev²) (JAX: `jax.nn.initializers.normal(stddev=1e-2, dtype)`).
 * @example
 * import { nn, random } from 'wengert'
 * const k = random.key(1)
 * const w = nn.initializers.normal(2)(k, [3]).toArray() as number[]
 * const z = random.normal(k, [3]).toArray() as number[]
 * assert.ok(w.every((v, i) => Math.abs(v - 2 * z[i]!) < 1e-6))
 * @category nn
 * @since 0.2.0
 */
export const normal = (stddev?: number | NormalInitOptions, dtypeArg?: FloatDType): Initializer => {
  const o = firstParam<NormalInitOptions>('normal', stddev, 'stddev', ['stddev', 'dtype'])
  return (key, shape, dtype) =>
    mul(random.normal(key, shape, { dtype: dtype ?? o.dtype ?? dtypeArg ?? 'float32' }), o.stddev ?? 1e-2)
}

/** Options of {@link truncatedNormal}. @category nn @since 0.2.0 */
export interface TruncatedNormalInitOptions extends NormalInitOptions {
  /** Lower bound before scaling (default −2). */
  readonly lower?: number
  /** Upper bound before scaling (default 2). */
  readonly upper?: number
}

/**
 * An initializer drawing `stddev·z` with z standard normal truncated to [lower, upper]
 * (JAX: `jax.nn.initializers.truncated_normal(stddev=1e-2, dtype, lower=-2.0, upper=2.0)`).
 * @example
 * import { nn, random } from 'wengert'
 * const w = nn.initializers.truncatedNormal(1)(random.key(0), [200]).toArray() as number[]
 * assert.ok(w.every((v) => Math.abs(v) <= 2))
 * @category nn
 * @since 0.2.0
 */
export const truncatedNormal = (stddev?: number | TruncatedNormalInitOptions, dtypeArg?: FloatDType): Initializer => {
  const keys: ReadonlyArray<keyof TruncatedNormalInitOptions> = ['stddev', 'dtype', 'lower', 'upper']
  const o = firstParam<TruncatedNormalInitOptions>('truncatedNormal', stddev, 'stddev', keys)
  return (key, shape, dtype) => {
    const d = dtype ?? o.dtype ?? dtypeArg ?? 'float32'
    return mul(random.truncatedNormal(key, o.lower ?? -2, o.upper ?? 2, shape, { dtype: d }), o.stddev ?? 1e-2)
  }
}

export {
  varianceScaling,
  glorotUniform,
  glorotNormal,
  xavierUniform,
  xavierNormal,
  lecunUniform,
  lecunNormal,
  heUniform,
  heNormal,
  kaimingUniform,
  kaimingNormal,
  type FanMode,
  type FanDistribution,
  type FanOptions,
} from './varianceScaling'

/** Options of {@link orthogonal}. @category nn @since 0.2.0 */
export interface OrthogonalInitOptions extends InitDTypeOption {
  /** Multiplies the result (default 1). */
  readonly scale?: number
  /** The axis holding the orthonormal vectors' components' count ("columns"; default −1). */
  readonly columnAxis?: number
}

/**
 * An initializer drawing (semi-)orthogonal matrices: the Q factor of a normal matrix with its
 * columns signed by R's diagonal, reshaped so that `columnAxis` holds the columns
 * (JAX: `jax.nn.initializers.orthogonal(scale=1.0, column_axis=-1, dtype)`).
 * @example
 * import { nn, random, matmul, transpose } from 'wengert'
 * const w = nn.initializers.orthogonal()(random.key(0), [4, 3], 'float64')
 * const g = matmul(transpose(w), w).toArray() as number[][]
 * assert.ok(g.every((row, i) => row.every((v, j) => Math.abs(v - (i === j ? 1 : 0)) < 1e-12)))
 * @category nn
 * @since 0.2.0
 */
export const orthogonal = (scale?: number | OrthogonalInitOptions, columnAxisArg?: number): Initializer => {
  const o = firstParam<OrthogonalInitOptions>('orthogonal', scale, 'scale', ['scale', 'columnAxis', 'dtype'])
  return (key, shape, dtype) => {
    if (shape.length < 2) throw new ValueError('nn.initializers.orthogonal: requires at least a 2D shape')
    const ax = normalizeAxis('nn.initializers.orthogonal', o.columnAxis ?? columnAxisArg ?? -1, shape.length)
    const nCols = shape[ax] as number
    const nRows = sizeOf(shape) / nCols
    const wide = nRows < nCols
    const a = random.normal(key, wide ? [nCols, nRows] : [nRows, nCols], { dtype: dtype ?? o.dtype ?? 'float32' })
    const [q, r] = qr(a)
    let m = mul(q, expandDims(sign(diagonal(r)), 0))
    if (wide) m = transpose(m)
    const rest = shape.filter((_, i) => i !== ax)
    const y = reshape(m, [...rest, nCols])
    // move the last axis to `ax`
    const perm = [...rest.map((_, i) => i).slice(0, ax), rest.length, ...rest.map((_, i) => i).slice(ax)]
    return mul(transpose(y, perm), o.scale ?? 1)
  }
}
