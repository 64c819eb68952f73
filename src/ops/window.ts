/**
 * Windowed reductions (JAX `lax.reduce_window` for max, min and sum) and NumPy's 1-D
 * `convolve`/`correlate`, on the conv family's primitives.
 *
 * @category ops
 * @since 0.2.0
 */
import * as lax from '../core/lax'
import { ShapeError, ValueError, fmtShape, fmtTuple } from '../ndarray/errors'
import type { NdArray } from '../ndarray/NdArray'
import { asArray, requireNumeric, toFloat, type ArrayLike } from './convert'
import { convGeneralDilated, padtypeToPads, type Padding } from './conv'

/** Options of {@link reduceWindow}. @category ops @since 0.2.0 */
export interface ReduceWindowOptions {
  /** Input dilation per axis. @defaultValue all 1 */
  readonly baseDilation?: ReadonlyArray<number>
  /** Window dilation per axis. @defaultValue all 1 */
  readonly windowDilation?: ReadonlyArray<number>
}

/** The reductions {@link reduceWindow} computes. @category ops @since 0.2.0 */
export type WindowComputation = 'max' | 'min' | 'sum'

const identities: Record<WindowComputation, number> = { max: -Infinity, min: Infinity, sum: 0 }

const perAxis = (op: string, name: string, xs: ReadonlyArray<number> | undefined, n: number): number[] => {
  const v = xs === undefined ? new Array<number>(n).fill(1) : xs.slice()
  if (v.length !== n)
    throw new ShapeError(
      `${op}: reduce_window got the wrong number of ${name} for operand array of rank ${n}: got ${fmtTuple(v)}.`,
    )
  if (!v.every((x) => Number.isInteger(x) && x >= 1))
    throw new ShapeError(`${op}: ${name} must be ${n} positive integers (one per axis), got ${fmtShape(v)}`)
  return v
}

/**
 * Reduces each window of `operand` (JAX `lax.reduce_window` with `lax.max`, `lax.min` or
 * `lax.add`). `initValue` must be the computation's identity (−∞, +∞, 0), which is also what
 * padding holds; every axis is windowed (give 1 for axes not pooled).
 * @example
 * import { lax, array } from 'wengert'
 * const x = array([1, 3, 2, 5, 4])
 * assert.deepStrictEqual(lax.reduceWindow(x, -Infinity, 'max', [2], [1], 'VALID').toArray(), [3, 3, 5, 5])
 * assert.deepStrictEqual(lax.reduceWindow(x, 0, 'sum', [2], [2], 'SAME').toArray(), [4, 7, 4])
 * @category ops @since 0.2.0
 */
export const reduceWindow = (
  operand: ArrayLike,
  initValue: number,
  computation: WindowComputation,
  windowDimensions: ReadonlyArray<number>,
  windowStrides: ReadonlyArray<number>,
  padding: Padding,
  options: ReduceWindowOptions = {},
): NdArray => {
  const op = 'reduce_window'
  const x = requireNumeric(op, asArray(op, operand))
  if (!(computation in identities)) {
    throw new ValueError(`${op}: unsupported computation '${String(computation)}': expected 'max', 'min' or 'sum'`)
  }
  if (initValue !== identities[computation]) {
    throw new ValueError(
      `${op}: only the identity init value of ${computation} (${identities[computation]}) is supported, got ${initValue}`,
    )
  }
  const n = x.ndim
  const windowDims = perAxis(op, 'window_dimensions', windowDimensions, n)
  const strides = perAxis(op, 'window_strides', windowStrides, n)
  const baseDilation = perAxis(op, 'base_dilation', options.baseDilation, n)
  const windowDilation = perAxis(op, 'window_dilation', options.windowDilation, n)
  const dilatedIn = x.shape.map((d, i) => (d === 0 ? 0 : 1 + (baseDilation[i] as number) * (d - 1)))
  const dilatedWin = windowDims.map((k, i) => 1 + (windowDilation[i] as number) * (k - 1))
  const params = {
    windowDimensions: windowDims,
    strides,
    padding: padtypeToPads(op, dilatedIn, dilatedWin, strides, padding),
    baseDilation,
    windowDilation,
  }
  if (computation === 'sum') return lax.reduceWindowSum(x, params)
  return computation === 'max' ? lax.reduceWindowMax(x, params) : lax.reduceWindowMin(x, params)
}

/** Modes of {@link convolve} and {@link correlate}. @category ops @since 0.2.0 */
export type ConvolveMode = 'full' | 'same' | 'valid'

/** NumPy's correlate of 1-D `a` (at least as long as `v`) with `v`. */
const correlateLong = (a: NdArray, v: NdArray, mode: ConvolveMode): NdArray => {
  const m = v.shape[0] as number
  const pads: [number, number] =
    mode === 'valid' ? [0, 0] : mode === 'full' ? [m - 1, m - 1] : [Math.floor(m / 2), m - Math.floor(m / 2) - 1]
  const y = convGeneralDilated(lax.reshape(a, [1, 1, a.size]), lax.reshape(v, [1, 1, m]), [1], [pads])
  return lax.reshape(y, [y.size])
}

/** Checks and converts the operands of convolve/correlate. */
const operands = (op: string, a: ArrayLike, v: ArrayLike, mode: ConvolveMode): [NdArray, NdArray] => {
  const x = toFloat(requireNumeric(op, asArray(op, a)))
  const y = toFloat(requireNumeric(op, asArray(op, v)))
  if (x.ndim !== 1 || y.ndim !== 1) {
    throw new ShapeError(`${op}: expected 1-D arrays, got shapes ${fmtShape(x.shape)} and ${fmtShape(y.shape)}`)
  }
  if (x.size === 0 || y.size === 0) throw new ValueError(`${op}: inputs cannot be empty`)
  if (mode !== 'full' && mode !== 'same' && mode !== 'valid') {
    throw new ValueError(`${op}: mode must be one of 'full', 'same' or 'valid', got '${String(mode)}'`)
  }
  const dtype = x.dtype === 'float64' || y.dtype === 'float64' ? 'float64' : 'float32'
  return [lax.cast(x, dtype), lax.cast(y, dtype)]
}

/**
 * Cross-correlation of two 1-D sequences (NumPy `correlate`: c[k] = Σₙ a[n + k]·v[n]; default
 * mode `'valid'`). Integer inputs are computed in float32 (the kernels are float).
 * @example
 * import { correlate, array } from 'wengert'
 * assert.deepStrictEqual(correlate(array([1, 2, 3]), array([0, 1, 0.5])).toArray(), [3.5])
 * assert.deepStrictEqual(correlate(array([1, 2, 3]), array([0, 1, 0.5]), 'full').toArray(), [0.5, 2, 3.5, 3, 0])
 * @category ops @since 0.2.0
 */
export const correlate = (a: ArrayLike, v: ArrayLike, mode: ConvolveMode = 'valid'): NdArray => {
  const [x, y] = operands('correlate', a, v, mode)
  // NumPy: a shorter first operand is swapped in and the result reversed
  return x.size >= y.size ? correlateLong(x, y, mode) : lax.flip(correlateLong(y, x, mode), [0])
}

/**
 * Discrete linear convolution of two 1-D sequences (NumPy `convolve`; default mode `'full'`).
 * Integer inputs are computed in float32 (the kernels are float).
 * @example
 * import { convolve, array } from 'wengert'
 * assert.deepStrictEqual(convolve(array([1, 2, 3]), array([0, 1, 0.5])).toArray(), [0, 1, 2.5, 4, 1.5])
 * assert.deepStrictEqual(convolve(array([1, 2, 3]), array([0, 1, 0.5]), 'same').toArray(), [1, 2.5, 4])
 * @category ops @since 0.2.0
 */
export const convolve = (a: ArrayLike, v: ArrayLike, mode: ConvolveMode = 'full'): NdArray => {
  const [x0, y0] = operands('convolve', a, v, mode)
  const [x, y] = x0.size >= y0.size ? [x0, y0] : [y0, x0]
  return correlateLong(x, lax.flip(y, [0]), mode)
}
