/**
 * `scipy.signal` (JAX: `jax.scipy.signal`): N-dimensional linear convolution and correlation
 * (`convolve`, `correlate`) and their 2-D forms (`convolve2d`, `correlate2d`), with SciPy's
 * `mode` ('full', 'same', 'valid'). Each is one `conv_general_dilated` (a cross-correlation) of
 * the full output, sliced for 'same' and 'valid'; differentiable through the conv primitive.
 *
 * @category scipy
 * @since 0.3.0
 */
import { ShapeError, ValueError, fmtTuple } from '../../ndarray/errors'
import { isFloat, promoteTypes } from '../../ndarray/dtype'
import type { NdArray } from '../../ndarray/NdArray'
import * as lax from '../../core/lax'
import { convGeneralDilated } from '../conv'
import { asArray, type ArrayLike } from '../convert'
import { mul } from '../elementwise'
import { flip } from '../layout'
import { slice } from '../laxNamed'

/** SciPy's output modes. */
export type SignalMode = 'full' | 'same' | 'valid'
/** SciPy's methods (every one computes the same linear convolution here, directly). */
export type SignalMethod = 'auto' | 'direct' | 'fft'

/** Options of {@link convolve} and {@link correlate}. */
export interface ConvolveOptions {
  /** 'full' (every overlap), 'same' (in1's shape, centred on 'full') or 'valid' (complete overlaps). Default 'full'. */
  readonly mode?: SignalMode
  /** 'auto', 'direct' or 'fft': the same result here (computed directly). Default 'auto'. */
  readonly method?: SignalMethod
}

const MODES: ReadonlyArray<string> = ['full', 'same', 'valid']

/** Both operands in one inexact dtype (ints and bools to float32, as JAX). */
const operands = (op: string, x: ArrayLike, y: ArrayLike): readonly [NdArray, NdArray] => {
  const [a, b] = [asArray(op, x), asArray(op, y)]
  const dt = [a, b].some((v) => isFloat(v.dtype))
    ? [a, b].filter((v) => isFloat(v.dtype)).reduce((t, v) => promoteTypes(t, v.dtype), 'float32' as NdArray['dtype'])
    : 'float32'
  const to = (v: NdArray): NdArray => (v.dtype === dt ? v : lax.convertElementType(v, dt))
  return [to(a), to(b)]
}

/** SciPy's linear convolution of two arrays of one rank, sliced for `mode`. */
const convolveNd = (op: string, a: NdArray, b: NdArray, mode: string): NdArray => {
  if (!MODES.includes(mode)) throw new ValueError(`${op}: mode must be one of ['full', 'same', 'valid'], got '${mode}'`)
  if (a.ndim !== b.ndim)
    throw new ValueError(
      `${op}: in1 and in2 should have the same dimensionality, got shapes ${fmtTuple(a.shape)} and ${fmtTuple(b.shape)}`,
    )
  if (a.size === 0 || b.size === 0)
    throw new ValueError(
      `${op}: zero-size arrays not supported in convolutions, got shapes ${fmtTuple(a.shape)} and ${fmtTuple(b.shape)}.`,
    )
  if (a.ndim === 0) return mul(a, b)
  const bigA = a.shape.every((s, i) => s >= (b.shape[i] as number))
  const bigB = a.shape.every((s, i) => s <= (b.shape[i] as number))
  if (!bigA && !bigB)
    throw new ValueError(
      `${op}: One input must be smaller than the other in every dimension, got shapes ${fmtTuple(a.shape)} and ${fmtTuple(b.shape)}.`,
    )
  // full output: the larger operand cross-correlated with the flipped smaller, both padded by k−1
  const [big, small] = bigA ? [a, b] : [b, a]
  const axes = big.shape.map((_, i) => i)
  const kernel = flip(small, axes)
  const pads = small.shape.map((k) => [k - 1, k - 1] as const)
  const full = lax.reshape(
    convGeneralDilated(
      lax.reshape(big, [1, 1, ...big.shape]),
      lax.reshape(kernel, [1, 1, ...kernel.shape]),
      axes.map(() => 1),
      pads,
    ),
    axes.map((i) => (a.shape[i] as number) + (b.shape[i] as number) - 1),
  )
  if (mode === 'full') return full
  const n1 = a.shape
  const n2 = b.shape
  const start = axes.map((i) =>
    mode === 'same' ? Math.floor(((n2[i] as number) - 1) / 2) : Math.min(n1[i] as number, n2[i] as number) - 1,
  )
  const len = axes.map((i) =>
    mode === 'same' ? (n1[i] as number) : Math.abs((n1[i] as number) - (n2[i] as number)) + 1,
  )
  return slice(
    full,
    start,
    start.map((s, i) => s + (len[i] as number)),
  )
}

const checkMethod = (op: string, method: string | undefined): void => {
  if (method !== undefined && !['auto', 'direct', 'fft'].includes(method))
    throw new ValueError(`${op}: acceptable method flags are 'auto', 'direct', or 'fft', got '${method}'`)
}

/**
 * N-dimensional linear convolution (JAX: `jax.scipy.signal.convolve(in1, in2, mode='full',
 * method='auto')`); int inputs compute in float32.
 * @example
 * import { scipy, array } from 'wengert'
 * const y = scipy.signal.convolve(array([1, 2, 3], { dtype: 'float64' }), array([0, 1, 0.5], { dtype: 'float64' }))
 * assert.deepStrictEqual(y.toArray(), [0, 1, 2.5, 4, 1.5])
 * @category scipy
 * @since 0.3.0
 */
export const convolve = (in1: ArrayLike, in2: ArrayLike, options: ConvolveOptions = {}): NdArray => {
  checkMethod('convolve', options.method)
  const [a, b] = operands('convolve', in1, in2)
  return convolveNd('convolve', a, b, options.mode ?? 'full')
}

/**
 * N-dimensional cross-correlation (JAX: `jax.scipy.signal.correlate(in1, in2, mode='full',
 * method='auto')`): `z[k] = Σₗ in1[l]·in2[l − k + …]`, i.e. the convolution with `in2` reversed.
 * @example
 * import { scipy, array } from 'wengert'
 * const y = scipy.signal.correlate(array([1, 2, 3], { dtype: 'float64' }), array([0, 1, 0.5], { dtype: 'float64' }))
 * assert.deepStrictEqual(y.toArray(), [0.5, 2, 3.5, 3, 0])
 * @category scipy
 * @since 0.3.0
 */
export const correlate = (in1: ArrayLike, in2: ArrayLike, options: ConvolveOptions = {}): NdArray => {
  checkMethod('correlate', options.method)
  const [a, b] = operands('correlate', in1, in2)
  return convolveNd(
    'correlate',
    a,
    flip(
      b,
      b.shape.map((_, i) => i),
    ),
    options.mode ?? 'full',
  )
}

/** Options of {@link convolve2d} and {@link correlate2d}. */
export interface Convolve2dOptions {
  /** As {@link ConvolveOptions.mode}. Default 'full'. */
  readonly mode?: SignalMode
  /** Only 'fill' is supported, as JAX. Default 'fill'. */
  readonly boundary?: 'fill' | 'wrap' | 'symm'
  /** Only 0 is supported, as JAX. Default 0. */
  readonly fillvalue?: number
}

const twoD = (op: string, in1: ArrayLike, in2: ArrayLike, options: Convolve2dOptions): readonly [NdArray, NdArray] => {
  if ((options.boundary ?? 'fill') !== 'fill' || (options.fillvalue ?? 0) !== 0)
    throw new ValueError(`${op}() only supports boundary='fill', fillvalue=0`)
  const [a, b] = operands(op, in1, in2)
  if (a.ndim !== 2 || b.ndim !== 2)
    throw new ShapeError(
      `${op}() only supports 2-dimensional inputs, got shapes ${fmtTuple(a.shape)} and ${fmtTuple(b.shape)}`,
    )
  return [a, b]
}

/**
 * 2-D convolution (JAX: `jax.scipy.signal.convolve2d(in1, in2, mode='full', boundary='fill',
 * fillvalue=0)`).
 * @example
 * import { scipy, array } from 'wengert'
 * const y = scipy.signal.convolve2d(array([[1, 2], [3, 4]], { dtype: 'float64' }), array([[1, 1]], { dtype: 'float64' }))
 * assert.deepStrictEqual(y.toArray(), [[1, 3, 2], [3, 7, 4]])
 * @category scipy
 * @since 0.3.0
 */
export const convolve2d = (in1: ArrayLike, in2: ArrayLike, options: Convolve2dOptions = {}): NdArray => {
  const [a, b] = twoD('convolve2d', in1, in2, options)
  return convolveNd('convolve2d', a, b, options.mode ?? 'full')
}

/**
 * 2-D cross-correlation (JAX: `jax.scipy.signal.correlate2d(in1, in2, mode='full',
 * boundary='fill', fillvalue=0)`).
 * @example
 * import { scipy, array } from 'wengert'
 * const y = scipy.signal.correlate2d(array([[1, 2], [3, 4]], { dtype: 'float64' }), array([[1, 0]], { dtype: 'float64' }))
 * assert.deepStrictEqual(y.toArray(), [[0, 1, 2], [0, 3, 4]])
 * @category scipy
 * @since 0.3.0
 */
export const correlate2d = (in1: ArrayLike, in2: ArrayLike, options: Convolve2dOptions = {}): NdArray => {
  const [a, b] = twoD('correlate2d', in1, in2, options)
  const mode = options.mode ?? 'full'
  // SciPy's 2-D 'same' centres the window from the other end (an even-sized in2 shifts by one):
  // the reversed convolution of reversed in1
  if (mode === 'same') return flip(convolveNd('correlate2d', flip(a, [0, 1]), b, mode), [0, 1])
  return convolveNd('correlate2d', a, flip(b, [0, 1]), mode)
}
