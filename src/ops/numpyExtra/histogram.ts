/**
 * `jax.numpy`'s histograms: histogram_bin_edges, histogram, histogram2d and histogramdd, built as
 * JAX builds them (searchsorted into the edges, then a scatter-add of the weights), so the counts
 * are differentiable in the weights and the functions work under vmap and jit (with `bins` given
 * as a count or as edges).
 *
 * @category ops
 * @since 0.2.0
 */
import { checkOptions } from '../../internal/options'
import { arange, ones } from '../../ndarray/create'
import { ValueError } from '../../ndarray/errors'
import { NdArray } from '../../ndarray/NdArray'
import { at } from '../at'
import { asArray, toFloat, type ArrayLike } from '../convert'
import * as ew from '../elementwise'
import { astype, reshape, slice, stack, take } from '../layout'
import { max, min, sum } from '../reduce'
import { bincount } from '../scatterOps'
import { searchsorted } from '../sorting'
import { ravelMultiIndex } from './indices'

/** A bin specification: a number of equal-width bins, or the 1-D array of bin edges. */
export type HistogramBins = number | NdArray

/** A `range`: the lower and upper edge of the bins (default the data's min and max). */
export type HistogramRange = readonly [ArrayLike, ArrayLike] | NdArray

/** Options of {@link histogramBinEdges}. @category ops @since 0.2.0 */
export interface HistogramBinEdgesOptions {
  /** The bins: a count of equal-width bins or their edges (default 10). */
  readonly bins?: HistogramBins
  /** The lower and upper edge (default the data's min and max). */
  readonly range?: HistogramRange | null
  /** Accepted for NumPy compatibility; not used to place the edges (as in JAX). */
  readonly weights?: ArrayLike | null
}

/** Options of {@link histogram}. @category ops @since 0.2.0 */
export interface HistogramOptions extends HistogramBinEdgesOptions {
  /** Normalise so that the integral over the range is 1 (default false). */
  readonly density?: boolean | null
}

const EDGE_KEYS = ['bins', 'range', 'weights'] as const

/** The second argument: bins, or an options object holding them. */
const splitArgs = <O extends HistogramBinEdgesOptions>(
  op: string,
  bins: HistogramBins | O | undefined,
  options: O | undefined,
  keys: ReadonlyArray<string>,
): O => {
  if (bins === undefined || typeof bins === 'number' || bins instanceof NdArray)
    return { ...checkOptions(op, options, keys as never), ...(bins === undefined ? {} : { bins }) } as O
  if (options !== undefined) throw new ValueError(`${op}: pass bins either positionally or in the options, not both`)
  return checkOptions(op, bins, keys as never) as O
}

/** The (lower, upper) edge of the range, widened by ±0.5 where it is empty (JAX's rule). */
const rangeEnds = (op: string, a: NdArray, range: HistogramRange | null | undefined): [NdArray, NdArray] => {
  let lo: NdArray
  let hi: NdArray
  if (range === null || range === undefined) [lo, hi] = [min(a), max(a)]
  else {
    const r = range instanceof NdArray ? range : stack(range.map((v) => asArray(op, v, a.dtype)))
    if (r.ndim !== 1 || r.shape[0] !== 2)
      throw new ValueError(`${op}: \`range\` must be either None or a sequence of scalars, got shape [${r.shape}]`)
    ;[lo, hi] = [take(astype(r, a.dtype), 0), take(astype(r, a.dtype), 1)]
  }
  const empty = ew.equal(lo, hi)
  return [ew.where(empty, ew.sub(lo, 0.5), lo), ew.where(empty, ew.add(hi, 0.5), hi)]
}

/** The edges of `a`'s bins (a float array). */
const binEdges = (op: string, a: NdArray, bins: HistogramBins, range: HistogramRange | null | undefined): NdArray => {
  if (bins instanceof NdArray) {
    if (bins.ndim !== 1)
      throw new ValueError(`${op}: bins must be an integer or a 1-D array, got shape [${bins.shape}]`)
    return astype(bins, a.dtype)
  }
  if (!Number.isInteger(bins) || bins < 1)
    throw new ValueError(`${op}: \`bins\` must be a positive integer or a 1-D array of edges, got ${bins}`)
  const [lo, hi] = rangeEnds(op, a, range)
  const k = astype(arange(bins + 1), a.dtype)
  // NumPy's linspace: k·step + lo, with the last edge exactly hi
  const edges = ew.add(ew.mul(k, ew.div(ew.sub(hi, lo), bins)), lo)
  return ew.where(ew.equal(k, bins), hi, edges)
}

/**
 * The edges of the bins {@link histogram} would use (jnp.histogram_bin_edges): `bins + 1`
 * equally spaced edges over `range` (default the data's min and max, widened by ±0.5 when they
 * are equal), or the given edges.
 * @example
 * import { histogramBinEdges, array } from 'wengert'
 * assert.deepStrictEqual(histogramBinEdges(array([1, 2, 5]), 4).toArray(), [1, 2, 3, 4, 5])
 * assert.deepStrictEqual(histogramBinEdges(array([3, 3]), 2).toArray(), [2.5, 3, 3.5])
 * assert.deepStrictEqual(histogramBinEdges(array([1]), { bins: 2, range: [0, 1] }).toArray(), [0, 0.5, 1])
 * @category ops
 * @since 0.2.0
 */
export const histogramBinEdges = (
  a: ArrayLike,
  bins?: HistogramBins | HistogramBinEdgesOptions,
  options?: HistogramBinEdgesOptions,
): NdArray => {
  const o = splitArgs('histogramBinEdges', bins, options, EDGE_KEYS)
  return binEdges('histogramBinEdges', toFloat(asArray('histogramBinEdges', a)), o.bins ?? 10, o.range)
}

/** `a` and its weights as floats of one dtype, checked to have one shape. */
const withWeights = (op: string, a: ArrayLike, weights: ArrayLike | null | undefined): [NdArray, NdArray] => {
  const x = toFloat(asArray(op, a))
  if (weights === null || weights === undefined) return [x, ew.add(ew.mul(x, 0), 1)]
  const w = toFloat(asArray(op, weights))
  const dt = x.dtype === 'float64' || w.dtype === 'float64' ? 'float64' : x.dtype
  if (w.shape.join() !== x.shape.join())
    throw new ValueError(`${op}: weights should have the same shape as a, got [${w.shape}] and [${x.shape}]`)
  return [astype(x, dt), astype(w, dt)]
}

/**
 * The histogram of `a` (flattened) (jnp.histogram): the summed weights (default 1) of the values
 * in each bin, and the bin edges. Every bin but the last is half-open [e_i, e_i+1); the last
 * includes its right edge; values outside the edges are not counted. With `density` the counts
 * are divided by the bin widths and the total. Differentiable in the weights.
 * @example
 * import { histogram, array } from 'wengert'
 * const [counts, edges] = histogram(array([0, 0.5, 1, 2, 2]), 2)
 * assert.deepStrictEqual(counts.toArray(), [2, 3])
 * assert.deepStrictEqual(edges.toArray(), [0, 1, 2])
 * const [w] = histogram(array([0, 1, 3]), array([0, 2, 4]), { weights: array([1, 2, 5]) })
 * assert.deepStrictEqual(w.toArray(), [3, 5])
 * const [d] = histogram(array([0, 1, 3, 3]), { bins: 2, range: [0, 4], density: true })
 * assert.deepStrictEqual(d.toArray(), [0.25, 0.25])
 * @category ops
 * @since 0.2.0
 */
export const histogram = (
  a: ArrayLike,
  bins?: HistogramBins | HistogramOptions,
  options?: HistogramOptions,
): [NdArray, NdArray] => {
  const o = splitArgs('histogram', bins, options, [...EDGE_KEYS, 'density'])
  const [x0, w0] = withWeights('histogram', a, o.weights)
  const [x, w] = [reshape(x0, [x0.size]), reshape(w0, [w0.size])]
  const edges = binEdges('histogram', x, o.bins ?? 10, o.range)
  const n = edges.shape[0] as number
  let idx = searchsorted(edges, x, { side: 'right' })
  idx = ew.where(ew.equal(x, take(edges, n - 1)), n - 1, idx)
  let counts = slice(at(ew.mul(edges, 0), idx).add(w, { mode: 'drop' }), [[1, n]])
  if (o.density === true) counts = ew.div(ew.div(counts, widths(edges)), sum(counts))
  return [counts, edges]
}

/** The widths of the bins between consecutive edges. */
const widths = (edges: NdArray): NdArray => {
  const n = edges.shape[0] as number
  return ew.sub(slice(edges, [[1, n]]), slice(edges, [[0, n - 1]]))
}

/** The cell sums of the per-dimension bin indices (0 and n+1 are the outside cells, dropped). */
const scatterAddBins = (idx: ReadonlyArray<NdArray>, edges: ReadonlyArray<NdArray>, w: NdArray): NdArray => {
  const nbins = edges.map((e) => (e.shape[0] as number) + 1)
  const flat = ravelMultiIndex(idx, nbins, { mode: 'clip' })
  const hist = reshape(bincount(flat, { weights: w, length: nbins.reduce((p, q) => p * q, 1) }), nbins)
  return slice(
    hist,
    nbins.map((n) => [1, n - 1] as [number, number]),
  )
}

/** Options of {@link histogramdd} and {@link histogram2d}. @category ops @since 0.2.0 */
export interface HistogramddOptions {
  /** Per dimension, the (lower, upper) edge or null (the data's min and max). */
  readonly range?: ReadonlyArray<HistogramRange | null> | null
  /** One weight per sample (default 1). */
  readonly weights?: ArrayLike | null
  /** Normalise so that the integral over the range is 1 (default false). */
  readonly density?: boolean | null
}

/**
 * The D-dimensional histogram of N samples given as an (N, D) array (jnp.histogramdd): the
 * summed weights in each cell (shape: the number of bins of each dimension) and the edges of each
 * dimension. `bins` is one count for every dimension or one count or edge array per dimension.
 * @example
 * import { histogramdd, array } from 'wengert'
 * const sample = array([[0, 0], [1, 1], [1, 0], [2, 2]])
 * const [h, edges] = histogramdd(sample, 2)
 * assert.deepStrictEqual(h.toArray(), [[1, 0], [1, 2]])
 * assert.deepStrictEqual(edges[1]!.toArray(), [0, 1, 2])
 * @category ops
 * @since 0.2.0
 */
export const histogramdd = (
  sample: ArrayLike,
  bins: number | ReadonlyArray<HistogramBins> = 10,
  options?: HistogramddOptions,
): [NdArray, NdArray[]] => {
  const o = checkOptions('histogramdd', options, ['range', 'weights', 'density'])
  const s = toFloat(asArray('histogramdd', sample))
  if (s.ndim !== 2) throw new ValueError(`histogramdd: sample must be a 2-D (N, D) array, got shape [${s.shape}]`)
  const [N, D] = s.shape as [number, number]
  const w = o.weights === null || o.weights === undefined ? null : astype(asArray('histogramdd', o.weights), s.dtype)
  if (w !== null && (w.ndim !== 1 || w.shape[0] !== N))
    throw new ValueError(`histogramdd: should have one weight for each sample, got weights of shape [${w.shape}]`)
  if (o.range !== null && o.range !== undefined && o.range.length !== D)
    throw new ValueError(`histogramdd: For sample.shape=[${s.shape}], range must be a sequence of ${D} pairs or Nones`)
  if (typeof bins !== 'number' && bins.length !== D)
    throw new ValueError(`histogramdd: should be a bin for each dimension, got ${bins.length} for ${D}`)
  const edges: NdArray[] = []
  const idx: NdArray[] = []
  for (let d = 0; d < D; d++) {
    const col = reshape(slice(s, [null, [d, d + 1]]), [N])
    const e = binEdges('histogramdd', col, typeof bins === 'number' ? bins : (bins[d] as HistogramBins), o.range?.[d])
    const last = take(e, (e.shape[0] as number) - 1)
    const i = searchsorted(e, col, { side: 'right' })
    idx.push(ew.where(ew.equal(col, last), ew.sub(i, 1), i))
    edges.push(e)
  }
  let hist = scatterAddBins(idx, edges, w ?? ones([N], { dtype: s.dtype }))
  if (o.density === true) {
    hist = ew.div(hist, sum(hist))
    edges.forEach((e, d) => {
      const shape = edges.map((f, k) => (k === d ? (f.shape[0] as number) - 1 : 1))
      hist = ew.div(hist, reshape(widths(e), shape))
    })
  }
  return [hist, edges]
}

/**
 * The 2-D histogram of the points (x, y) (jnp.histogram2d): the cell sums, the x edges and the y
 * edges. `bins` is a count, one edge array shared by both axes, or a pair of counts/edge arrays.
 * @example
 * import { histogram2d, array } from 'wengert'
 * const [h, xe, ye] = histogram2d(array([0, 1, 1, 2]), array([0, 1, 0, 2]), 2)
 * assert.deepStrictEqual(h.toArray(), [[1, 0], [1, 2]])
 * assert.deepStrictEqual([xe.toArray(), ye.toArray()], [[0, 1, 2], [0, 1, 2]])
 * @category ops
 * @since 0.2.0
 */
export const histogram2d = (
  x: ArrayLike,
  y: ArrayLike,
  bins: HistogramBins | readonly [HistogramBins, HistogramBins] = 10,
  options?: HistogramddOptions,
): [NdArray, NdArray, NdArray] => {
  const perAxis = typeof bins === 'number' ? bins : bins instanceof NdArray ? [bins, bins] : bins
  const [xa, ya] = [toFloat(asArray('histogram2d', x)), toFloat(asArray('histogram2d', y))]
  const dt = xa.dtype === 'float64' || ya.dtype === 'float64' ? 'float64' : xa.dtype
  const sample = stack([astype(xa, dt), astype(ya, dt)], 1)
  const [h, [xe, ye]] = histogramdd(sample, perAxis, options) as [NdArray, [NdArray, NdArray]]
  return [h, xe, ye]
}
