/**
 * `lax.convGeneralDilatedPatches` and `lax.convGeneralDilatedLocal` (JAX:
 * `jax.lax.conv_general_dilated_patches`, `jax.lax.conv_general_dilated_local`): the windows a
 * convolution sees, as features, and the locally connected ("unshared") convolution built on
 * them. Both are compositions of `conv_general_dilated`, transposes and an element-wise
 * product-sum, so their derivatives and batching come from those primitives.
 *
 * @category ops
 * @since 0.7.0
 */
import { array } from '../ndarray/create'
import { DTypeError, ShapeError, fmtTuple } from '../ndarray/errors'
import { isFloat } from '../ndarray/dtype'
import type { NdArray } from '../ndarray/NdArray'
import * as lax from '../core/lax'
import { asArray, type ArrayLike } from './convert'
import { convGeneralDilated, permutations, type DimensionNumbers, type Padding } from './conv'
import { checkPrecision, type PrecisionLike } from './laxPrecision'

/** Options of {@link convGeneralDilatedPatches} and {@link convGeneralDilatedLocal}. @category ops @since 0.7.0 */
export interface ConvPatchesOptions {
  /** Input dilation per spatial axis. @defaultValue all 1 */
  readonly lhsDilation?: ReadonlyArray<number> | null
  /** Filter (atrous) dilation per spatial axis. @defaultValue all 1 */
  readonly rhsDilation?: ReadonlyArray<number> | null
  /** The layouts of lhs, filter and output, as for `convGeneralDilated`. @defaultValue canonical */
  readonly dimensionNumbers?: DimensionNumbers | null
  /** JAX's `precision`: accepted, no effect (see `lax.Precision`). */
  readonly precision?: PrecisionLike
}

const prod = (xs: ReadonlyArray<number>): number => xs.reduce((a, b) => a * b, 1)
/** The permutation p with p[spec[j]] = j: transposing a canonical array by it gives the `spec` layout. */
const fromCanonical = (spec: ReadonlyArray<number>): number[] => {
  const p: number[] = []
  spec.forEach((axis, j) => (p[axis] = j))
  return p
}

/**
 * Each output position's receptive field as features (JAX: `lax.conv_general_dilated_patches(lhs,
 * filter_shape, window_strides, padding, lhs_dilation=None, rhs_dilation=None,
 * dimension_numbers=None, precision=None)`): the output has the layout of a convolution's output
 * with C·∏filter_shape features, feature c·∏filter_shape + s holding input channel c at the
 * filter position s (row-major over `filterShape`). It is the convolution with a one-hot filter
 * per (channel, position), grouped by channel.
 * @example
 * import { lax, array } from 'wengert'
 * const x = array([[[1, 2, 3, 4]]], { dtype: 'float64' }) // N=1, C=1, W=4
 * const p = lax.convGeneralDilatedPatches(x, [2], [1], 'VALID')
 * assert.deepStrictEqual(p.toArray(), [[[1, 2, 3], [2, 3, 4]]])
 * @category ops
 * @since 0.7.0
 */
export const convGeneralDilatedPatches = (
  lhs: ArrayLike,
  filterShape: ReadonlyArray<number>,
  windowStrides: ReadonlyArray<number>,
  padding: Padding,
  options: ConvPatchesOptions = {},
): NdArray => {
  const op = 'conv_general_dilated_patches'
  const x = asArray(op, lhs)
  if (!isFloat(x.dtype)) throw new DTypeError(`${op}: expected a float lhs, got ${x.dtype}`)
  if (x.ndim < 2 || filterShape.length !== x.ndim - 2 || filterShape.some((k) => !Number.isInteger(k) || k < 1))
    throw new ShapeError(
      `${op}: filter_shape must hold one positive size per spatial axis of lhs, got filter_shape ${fmtTuple(filterShape)} for lhs of shape ${fmtTuple(x.shape)}`,
    )
  checkPrecision(op, options.precision)
  const dn = options.dimensionNumbers ?? undefined
  const [lhsSpec, rhsSpec] = permutations(op, dn, x.ndim)
  const c = x.shape[lhsSpec[1] as number] as number
  const s = prod(filterShape)
  // canonical filter [C·S, 1, ...filterShape]: output feature c·S + k reads position k of its group's channel
  const data = new Array<number>(c * s * s).fill(0)
  for (let f = 0; f < c * s; f++) data[f * s + (f % s)] = 1
  const kernel = array(data, { dtype: x.dtype, shape: [c * s, 1, ...filterShape] })
  const rhs = lax.transpose(kernel, fromCanonical(rhsSpec))
  return convGeneralDilated(x, rhs, windowStrides, padding, {
    ...(options.lhsDilation ? { lhsDilation: options.lhsDilation } : {}),
    ...(options.rhsDilation ? { rhsDilation: options.rhsDilation } : {}),
    ...(dn === undefined ? {} : { dimensionNumbers: dn }),
    featureGroupCount: c,
  })
}

/**
 * The locally connected convolution (JAX: `lax.conv_general_dilated_local(lhs, rhs,
 * window_strides, padding, filter_shape, lhs_dilation=None, rhs_dilation=None,
 * dimension_numbers=None, precision=None)`): a convolution whose filter differs at every output
 * position. `rhs` has, in its layout, shape (O, C·∏filter_shape, *output spatial): at each
 * position, out[n, o] = Σᵢ patches[n, i]·rhs[o, i] with the patches of
 * {@link convGeneralDilatedPatches} (feature i = c·∏filter_shape + s).
 * @example
 * import { lax, array } from 'wengert'
 * const x = array([[[1, 2, 3, 4]]], { dtype: 'float64' })
 * // 1 output feature, 2 inputs (C=1 × 2 taps), 3 output positions: a different filter at each
 * const w = array([[[1, 0, 1], [0, 1, 1]]], { dtype: 'float64' })
 * assert.deepStrictEqual(lax.convGeneralDilatedLocal(x, w, [1], 'VALID', [2]).toArray(), [[[1, 3, 7]]])
 * @category ops
 * @since 0.7.0
 */
export const convGeneralDilatedLocal = (
  lhs: ArrayLike,
  rhs: ArrayLike,
  windowStrides: ReadonlyArray<number>,
  padding: Padding,
  filterShape: ReadonlyArray<number>,
  options: ConvPatchesOptions = {},
): NdArray => {
  const op = 'conv_general_dilated_local'
  const x = asArray(op, lhs)
  const w = asArray(op, rhs)
  if (w.dtype !== x.dtype)
    throw new DTypeError(`${op}: expected lhs and rhs of one float dtype, got ${x.dtype} and ${w.dtype}`)
  const patches = convGeneralDilatedPatches(x, filterShape, windowStrides, padding, options)
  const [, rhsSpec, outSpec] = permutations(op, options.dimensionNumbers ?? undefined, x.ndim)
  const p = lax.transpose(patches, outSpec) // [N, C·S, ...out spatial]
  const wc = w.ndim === x.ndim ? lax.transpose(w, rhsSpec) : w // [O, C·S, ...out spatial]
  const want = [wc.shape[0] ?? 0, ...p.shape.slice(1)]
  if (w.ndim !== x.ndim || wc.shape.some((d, i) => d !== want[i]))
    throw new ShapeError(
      `${op}: rhs must have, in its layout, shape (O, ${p.shape[1]}, ${p.shape.slice(2).join(', ')}) — out features, C·prod(filter_shape) inputs and one filter per output position; got ${fmtTuple(w.shape)}`,
    )
  const [n, o] = [p.shape[0] as number, wc.shape[0] as number]
  const rest = p.shape.slice(1)
  const pe = lax.broadcastInDim(p, [n, o, ...rest], [0, ...rest.map((_, i) => i + 2)])
  const we = lax.broadcastInDim(wc, [n, o, ...rest], [1, ...rest.map((_, i) => i + 2)])
  const out = lax.reduceSum(lax.mul(pe, we), [2]) // [N, O, ...out spatial]
  return lax.transpose(out, fromCanonical(outSpec))
}
