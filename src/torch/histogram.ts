/**
 * `torch.histogram` and `torch.histogramdd` (and `Tensor.histogram`): counts (or summed weights) of
 * samples in bins given by a count (equal widths over the data's or a given range) or by edge
 * tensors; bins are half-open except the last, which includes its right edge. As in PyTorch the
 * results are not differentiable.
 *
 * @category torch
 * @since 0.2.0
 */
import { withNotImplemented } from './autograd/notImplemented'
import * as lax from '../core/lax'
import { linspaceValues } from './linspace'
import { NdArray } from '../ndarray/NdArray'
import type { TorchDType } from './dtype'
import { RuntimeError, TorchTypeError } from './errors'
import { parseArgs, type PyArgs } from './kwargs'
import { namedTuple } from './linalgLu'
import { Tensor } from './tensor'
import { overloads, requireTensorArgs } from './pyTypeName'

type T = Tensor

/** The keyword arguments of {@link histogram}. @category torch @since 0.2.0 */
export type HistogramKw = {
  /** The number of equal-width bins, or a 1-D tensor of increasing bin edges. */
  readonly bins?: number | T
  /** `[min, max]` of the bins (default: the data's range); only with an integer `bins`. */
  readonly range?: ReadonlyArray<number> | null
  /** A weight per sample, summed instead of counting (same shape and dtype as the input). */
  readonly weight?: T | null
  /** Normalise to a probability density (the integral over the bins is 1). */
  readonly density?: boolean
}

/** The keyword arguments of {@link histogramdd}. @category torch @since 0.2.0 */
export type HistogramddKw = {
  /** Bins per dimension: one count for all, a count per dimension, or a 1-D edge tensor per dimension. */
  readonly bins?: number | ReadonlyArray<number> | ReadonlyArray<T>
  /** `[min0, max0, min1, max1, …]` (default: the data's range per dimension). */
  readonly range?: ReadonlyArray<number> | null
  /** A weight per sample (the input's shape without its last dimension). */
  readonly weight?: T | null
  /** Normalise to a probability density. */
  readonly density?: boolean
}

/** `torch.return_types.histogram`: `[hist, bin_edges]`, also by name. @category torch @since 0.2.0 */
export type HistogramResult = T[] & { readonly hist: T; readonly bin_edges: T }
/** `torch.return_types.histogramdd`: `[hist, bin_edges]` with one edge tensor per dimension. @category torch @since 0.2.0 */
export type HistogramddResult = [hist: T, bin_edges: T[]] & { readonly hist: T; readonly bin_edges: T[] }

/** A double as C++ streams print it (6 significant digits, `inf`, `nan`). */
const cNum = (v: number): string =>
  Number.isNaN(v) ? 'nan' : !Number.isFinite(v) ? (v > 0 ? 'inf' : '-inf') : String(Number(v.toPrecision(6)))

const flat = (t: T): number[] => t.detach().reshape(-1).tolist() as number[]

/** The edges of one dimension from a bin count: equal widths over `range` or the data's extent. */
const countEdges = (dtype: TorchDType, col: number[], bins: number, range: [number, number] | null, d: number): T => {
  let [lo, hi] = range ?? (col.length === 0 ? [0, 1] : [Math.min(...col), Math.max(...col)])
  if (range === null && col.some(Number.isNaN)) [lo, hi] = [NaN, NaN]
  if (lo > hi)
    throw new RuntimeError(
      `torch.histogramdd: min should not exceed max, but got min ${cNum(lo)} max ${cNum(hi)} for dimension ${d}`,
    )
  if (!Number.isFinite(lo) || !Number.isFinite(hi))
    throw new RuntimeError(`torch.histogramdd: dimension ${d}'s range [${cNum(lo)}, ${cNum(hi)}] is not finite`)
  if (lo === hi) [lo, hi] = [lo - 0.5, hi + 0.5]
  return edgeSpace(dtype, lo, hi, bins + 1)
}

/** PyTorch's CPU linspace of the bin edges in the dtype. */
const edgeSpace = (dtype: TorchDType, start: number, end: number, steps: number): T =>
  Tensor._fromValue(linspaceValues(start, end, steps, dtype.storage))

/** The index of the bin holding `v` (binary search; the last edge is inclusive), or −1 outside. */
const binOf = (edges: ArrayLike<number>, v: number): number => {
  const n = edges.length
  if (!(v >= (edges[0] as number) && v <= (edges[n - 1] as number))) return -1
  let [lo, hi] = [0, n]
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((edges[mid] as number) <= v) lo = mid + 1
    else hi = mid
  }
  return Math.min(lo - 1, n - 2)
}

type Prepared = { readonly points: number[][]; readonly edges: T[]; readonly weight: T | null }

/** Validates the bins of each dimension and returns their edge tensors. */
const binEdges = (
  input: T,
  points: number[][],
  bins: HistogramddKw['bins'],
  range: ReadonlyArray<number> | null,
): T[] => {
  const D = input.shape[input.dim() - 1] as number
  if (range !== null && range.length !== 2 * D)
    throw new RuntimeError(
      `torch.histogramdd: for a ${D}-dimensional histogram range should have ${2 * D} elements, but got ${range.length}`,
    )
  const list = typeof bins === 'number' ? Array.from({ length: D }, () => bins) : [...(bins ?? [])]
  return Array.from({ length: D }, (_, d) => {
    const b = list[d] ?? 0
    if (b instanceof Tensor) {
      if (b.dim() !== 1)
        throw new RuntimeError(
          `torch.histogramdd: bins tensor should have one dimension, but got ${b.dim()} dimensions in the bins tensor for dimension ${d}`,
        )
      if (b.numel() < 2)
        throw new RuntimeError(`torch.histogram(): bins must be > 0, but got ${b.numel() - 1} for dimension ${d}`)
      if (b.dtype !== input.dtype)
        throw new RuntimeError(
          `torch.histogramdd: input tensor and bins tensors should have the same dtype, but got input with dtype ${input.dtype.cName} and bins for dimension ${d} with dtype ${b.dtype.cName}`,
        )
      return b.detach()
    }
    if (typeof b !== 'number' || !Number.isInteger(b))
      throw new TorchTypeError('histogramdd(): bins must be an int, a list of ints or a list of 1-D tensors')
    if (b <= 0) throw new RuntimeError(`torch.histogram(): bins must be > 0, but got ${b} for dimension ${d}`)
    const r = range === null ? null : ([range[2 * d], range[2 * d + 1]] as [number, number])
    return countEdges(
      input.dtype,
      points.map((p) => p[d] as number),
      b,
      r,
      d,
    )
  })
}

/** PyTorch's checks of the input and weight, and the samples as rows of D coordinates. */
const prepare = (input: T, kw: HistogramddKw): Prepared => {
  if (!input.dtype.is_floating_point) throw new RuntimeError(`"histogramdd" not implemented for '${input.dtype.word}'`)
  if (input.dim() < 2) throw new RuntimeError('torch.histogramdd: input tensor should have at least 2 dimensions')
  const D = input.shape[input.dim() - 1] as number
  const values = flat(input)
  const points = Array.from({ length: values.length / Math.max(D, 1) }, (_, i) => values.slice(i * D, i * D + D))
  const weight = kw.weight ?? null
  if (weight !== null) {
    const want = input.shape.slice(0, -1)
    if (weight.shape.length !== want.length || weight.shape.some((s, i) => s !== want[i]))
      throw new RuntimeError(
        `torch.histogramdd: if weight tensor is provided it should have the same shape as the input tensor excluding its innermost dimension, but got input with shape [${input.shape.join(', ')}] and weight with shape [${weight.shape.join(', ')}]`,
      )
    if (weight.dtype !== input.dtype)
      throw new RuntimeError(
        `torch.histogramdd: if weight tensor is provided, input tensor and weight tensor should have the same dtype, but got input(${input.dtype.cName}), and weight(${weight.dtype.cName})`,
      )
  }
  return { points, edges: binEdges(input, points, kw.bins, kw.range ?? null), weight }
}

/** The histogram of prepared samples, normalised to a density on request. */
const accumulate = (input: T, p: Prepared, density: boolean): T => {
  const edgeValues = p.edges.map((e) => Float64Array.from(flat(e)))
  const sizes = edgeValues.map((e) => e.length - 1)
  const hist = new Float64Array(sizes.reduce((a, b) => a * b, 1))
  const w = p.weight === null ? null : flat(p.weight)
  const round = input.dtype.storage === 'float32' ? Math.fround : (v: number): number => v
  p.points.forEach((pt, i) => {
    let at = 0
    for (let d = 0; d < sizes.length; d++) {
      const b = binOf(edgeValues[d] as Float64Array, pt[d] as number)
      if (b < 0) return
      at = at * (sizes[d] as number) + b
    }
    hist[at] = round((hist[at] as number) + (w === null ? 1 : (w[i] as number)))
  })
  let out = Tensor._fromValue(lax.cast(new NdArray(sizes, 'float64', hist), input.dtype.storage))
  if (!density) return out
  out = out.div(out.sum().item())
  p.edges.forEach((e, d) => {
    out = out.div(e.diff().reshape(sizes.map((s, k) => (k === d ? s : 1))))
  })
  return out
}

/**
 * A histogram of the elements of `input` (PyTorch's
 * `torch.histogram(input, bins, *, range=None, weight=None, density=False)`): `bins` equal-width
 * bins over `range` (default the data's extent), or the bins between the edges of a 1-D tensor.
 * Returns `[hist, bin_edges]`, also as `.hist` and `.bin_edges`.
 * @example
 * import * as torch from 'wengert/torch'
 * const { hist, bin_edges } = torch.histogram(torch.tensor([1, 2, 1, 4, 2.5, 7]), 3)
 * assert.deepStrictEqual(hist.tolist(), [4, 1, 1])
 * assert.deepStrictEqual(bin_edges.tolist(), [1, 3, 5, 7])
 * const [h] = torch.histogram(torch.tensor([1, 2, 1]), torch.tensor([0, 1.5, 3]), { weight: torch.tensor([1, 2, 3]) })
 * assert.deepStrictEqual(h.tolist(), [4, 2])
 * @category torch @since 0.2.0
 */
export const histogram = (
  input: T,
  ...rest: PyArgs<[bins: number | T], HistogramKw & { readonly out?: null }>
): HistogramResult => {
  requireTensorArgs('histogram', ['input'], [input])
  const a = parseArgs('histogram', rest, ['bins', 'range', 'weight', 'density', 'out'], 1, 1) as HistogramKw & {
    out?: unknown
  }
  if (a.out !== undefined && a.out !== null) throw new TorchTypeError('histogram(): out= is not supported by wengert')
  if (a.range !== undefined && a.range !== null && a.range.length !== 2)
    throw new RuntimeError(
      `torch.histogramdd: for a 1-dimensional histogram range should have 2 elements, but got ${a.range.length}`,
    )
  const bins = a.bins ?? 100
  if (bins instanceof Tensor && a.range !== undefined && a.range !== null)
    throw new TorchTypeError('histogram(): range cannot be given with a tensor of bin edges')
  const x = input.reshape(-1, 1)
  const weight = a.weight === undefined || a.weight === null ? null : a.weight
  if (weight !== null && weight.numel() !== input.numel())
    throw new RuntimeError(
      `torch.histogramdd: if weight tensor is provided it should have the same shape as the input tensor excluding its innermost dimension, but got input with shape [${input.numel()}, 1] and weight with shape [${weight.shape.join(', ')}]`,
    )
  const p = prepare(x, {
    bins: bins instanceof Tensor ? [bins] : bins,
    range: a.range ?? null,
    weight: weight?.reshape(-1) ?? null,
  })
  const hist = accumulate(x, p, a.density ?? false)
  // no derivative in PyTorch: both results share a NotImplemented grad_fn whose backward raises
  const live = [input, ...(bins instanceof Tensor ? [bins] : []), ...(weight === null ? [] : [weight])]
  const [h, edges] = withNotImplemented('histogram', live, [hist.detach(), (p.edges[0] as T).detach()])
  return namedTuple({ hist: h as T, bin_edges: edges as T }) as HistogramResult
}

// PyTorch 2.x's signatures of torch.histogramdd
const HISTOGRAMDD = overloads('histogramdd', [
  '(Tensor input, int bins, tuple of floats range = None, Tensor weight = None, bool density = False)',
  '(Tensor input, tuple of ints bins, tuple of floats range = None, Tensor weight = None, bool density = False)',
  '(Tensor input, tuple of Tensors bins, tuple of floats range = None, Tensor weight = None, bool density = False)',
])

/**
 * A D-dimensional histogram of the rows of `input` `[…, D]` (PyTorch's
 * `torch.histogramdd(input, bins, *, range=None, weight=None, density=False)`): returns
 * `[hist, bin_edges]` with `hist` of shape `[bins_0, …, bins_{D−1}]` and one edge tensor per dimension.
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.tensor([[0, 0], [1, 1], [2, 2], [2, 0]])
 * const { hist, bin_edges } = torch.histogramdd(x, [2, 2])
 * assert.deepStrictEqual(hist.tolist(), [[1, 0], [1, 2]])
 * assert.deepStrictEqual(bin_edges[1].tolist(), [0, 1, 2])
 * @category torch @since 0.2.0
 */
export const histogramdd = (
  input: T,
  ...rest: PyArgs<[bins: number | ReadonlyArray<number> | ReadonlyArray<T>], HistogramddKw>
): HistogramddResult => {
  HISTOGRAMDD(input === undefined ? [] : [input, ...rest])
  const a = parseArgs('histogramdd', rest, ['bins', 'range', 'weight', 'density'], 1, 1) as HistogramddKw
  if (a.bins === undefined) throw new TorchTypeError("histogramdd() missing 1 required positional argument: 'bins'")
  const p = prepare(input, a)
  const live = [input, ...(Array.isArray(a.bins) ? a.bins.filter((b): b is T => b instanceof Tensor) : [])]
  if (a.weight !== undefined && a.weight !== null) live.push(a.weight)
  // no derivative in PyTorch: the edges share one NotImplemented grad_fn, the histogram another
  const edges = withNotImplemented(
    '_histogramdd_bin_edges',
    live,
    p.edges.map((e) => e.detach()),
  )
  const hist = withNotImplemented(
    live.length > 1 && Array.isArray(a.bins) && a.bins.some((b) => b instanceof Tensor)
      ? '_histogramdd_from_bin_tensors'
      : '_histogramdd_from_bin_cts',
    live,
    accumulate(input, p, a.density ?? false).detach(),
  )
  return Object.assign([hist, edges], { hist, bin_edges: edges }) as HistogramddResult
}

/** `Tensor.histogram`, installed on Tensor. */
export const histogramMethods = {
  /** {@link histogram} of this tensor. */
  histogram(this: T, ...rest: PyArgs<[bins: number | T], HistogramKw>): HistogramResult {
    return histogram(this, ...rest)
  },
}
