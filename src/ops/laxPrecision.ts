/**
 * `lax.Precision`, `lax.ConvDimensionNumbers` and `lax.broadcastShapes` (JAX: `jax.lax.Precision`,
 * `jax.lax.ConvDimensionNumbers`, `jax.lax.broadcast_shapes`): the values JAX's contraction and
 * convolution signatures take, and lax's shape broadcasting.
 *
 * @category ops
 * @since 0.7.0
 */
import { ShapeError, ValueError } from '../ndarray/errors'

/**
 * JAX's `lax.Precision` values: how an accelerator may trade accuracy for speed in a contraction
 * or convolution. wengert computes every product in the result dtype (float64 work for float64,
 * exact float32 products for float32), which is what JAX's CPU backend does for all three, so
 * each is accepted and none changes a result.
 * @example
 * import { lax, array } from 'wengert'
 * const y = lax.dot(array([1, 2]), array([3, 4]), { precision: lax.Precision.HIGHEST })
 * assert.strictEqual(y.item(), 11)
 * @category ops
 * @since 0.7.0
 */
export const Precision = Object.freeze({ DEFAULT: 'DEFAULT', HIGH: 'HIGH', HIGHEST: 'HIGHEST' } as const)

/** One of {@link Precision}'s values. @category ops @since 0.7.0 */
export type PrecisionValue = (typeof Precision)[keyof typeof Precision]

/**
 * What JAX's `precision=` accepts: null, a {@link Precision} value, one of its string names
 * (`'default'`, `'high'`, `'highest'`, or the aliases `'bfloat16'`, `'tensorfloat32'`,
 * `'float32'`), or a pair of them (one per operand). @category ops @since 0.7.0
 */
export type PrecisionLike =
  | null
  | PrecisionValue
  | 'default'
  | 'high'
  | 'highest'
  | 'bfloat16'
  | 'tensorfloat32'
  | 'float32'
  | readonly [PrecisionLike, PrecisionLike]

const NAMES = new Set([
  'DEFAULT',
  'HIGH',
  'HIGHEST',
  'default',
  'high',
  'highest',
  'bfloat16',
  'tensorfloat32',
  'float32',
])

/** Throws unless `p` is a value JAX's `precision=` accepts (see {@link PrecisionLike}). */
export const checkPrecision = (op: string, p: unknown, pair = true): void => {
  if (p === undefined || p === null) return
  if (typeof p === 'string' && NAMES.has(p)) return
  if (pair && Array.isArray(p) && p.length === 2) {
    p.forEach((q) => checkPrecision(op, q, false))
    return
  }
  throw new ValueError(
    `${op}: precision argument must be None, a string in ['bfloat16', 'tensorfloat32', 'float32'] or a lax.Precision value (DEFAULT, HIGH, HIGHEST), or a tuple of two of them; got ${String(p)}`,
  )
}

/** JAX's `lax.ConvDimensionNumbers`: each operand's canonical permutation. @category ops @since 0.7.0 */
export interface ConvDimensionNumbers {
  readonly lhsSpec: ReadonlyArray<number>
  readonly rhsSpec: ReadonlyArray<number>
  readonly outSpec: ReadonlyArray<number>
}

/**
 * Builds JAX's `ConvDimensionNumbers(lhs_spec, rhs_spec, out_spec)`: for each operand the axes
 * that hold (batch or out-feature, feature or in-feature, spatial…), as `lax.convDimensionNumbers`
 * returns; accepted as `dimensionNumbers` by the convolutions. Each spec must be a permutation of
 * one rank ≥ 2.
 * @example
 * import { lax } from 'wengert'
 * const dn = lax.ConvDimensionNumbers([0, 3, 1, 2], [3, 2, 0, 1], [0, 3, 1, 2])
 * assert.deepStrictEqual(dn, lax.convDimensionNumbers([1, 5, 5, 3], [3, 3, 3, 8], ['NHWC', 'HWIO', 'NHWC']))
 * @category ops
 * @since 0.7.0
 */
export const ConvDimensionNumbers = (
  lhsSpec: ReadonlyArray<number>,
  rhsSpec: ReadonlyArray<number>,
  outSpec: ReadonlyArray<number>,
): ConvDimensionNumbers => {
  const specs = [lhsSpec, rhsSpec, outSpec]
  const n = lhsSpec.length
  const isPerm = (s: ReadonlyArray<number>): boolean =>
    s.length === n && [...s].sort((a, b) => a - b).every((v, i) => v === i)
  if (n < 2 || !specs.every(isPerm))
    throw new ValueError(
      `ConvDimensionNumbers: lhs_spec, rhs_spec and out_spec must be permutations of one rank >= 2, got ${specs.map((s) => `[${s.join(', ')}]`).join(', ')}`,
    )
  return { lhsSpec: [...lhsSpec], rhsSpec: [...rhsSpec], outSpec: [...outSpec] }
}

const fmt = (s: ReadonlyArray<number>): string => `(${s.join(', ')}${s.length === 1 ? ',' : ''})`

/**
 * The shape NumPy broadcasting gives `shapes` (JAX: `lax.broadcast_shapes(*shapes)`): shorter
 * shapes are padded with leading 1s; each axis is the one size other than 1 (or 1).
 * @example
 * import { lax } from 'wengert'
 * assert.deepStrictEqual(lax.broadcastShapes([2, 1], [3]), [2, 3])
 * assert.throws(() => lax.broadcastShapes([3], [4]), /Incompatible shapes for broadcasting/)
 * @category ops
 * @since 0.7.0
 */
export const broadcastShapes = (...shapes: ReadonlyArray<ReadonlyArray<number>>): number[] => {
  shapes.forEach((s) => {
    if (!Array.isArray(s) || s.some((d) => !Number.isInteger(d) || d < 0))
      throw new ValueError(`broadcast_shapes: each shape must be a list of non-negative integers, got ${String(s)}`)
  })
  const rank = Math.max(0, ...shapes.map((s) => s.length))
  const padded = shapes.map((s) => [...Array.from({ length: rank - s.length }, () => 1), ...s])
  return Array.from({ length: rank }, (_, i) => {
    const sizes = new Set(padded.map((s) => s[i] as number).filter((d) => d !== 1))
    if (sizes.size > 1)
      throw new ShapeError(`Incompatible shapes for broadcasting: shapes=[${shapes.map(fmt).join(', ')}]`)
    return sizes.size === 1 ? ([...sizes][0] as number) : 1
  })
}
