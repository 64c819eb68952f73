/**
 * General dilated convolution (XLA ConvGeneralDilated, JAX `lax.conv_general_dilated`) in the
 * canonical layout lhs [N, C, spatial…], rhs [O, I, spatial…], out [N / batchGroups, O,
 * out-spatial…], with any number of spatial axes (1-, 2- and 3-D in practice).
 *
 * Implementation: im2col into one K×P panel per (image, group) — K = I·∏kernel rows, P output
 * positions — then one gemm with that group's filters (a contiguous O_g×K block of rhs), written
 * straight into the output. A panel never holds more than `panelMax` elements: wider outputs
 * are done in column chunks through a scratch tile. Like the dot kernels, it computes in the
 * array's dtype on the gemm kernel (the WebAssembly float32 path accumulates in float32).
 *
 * Groups: with feature_group_count G, input channels split into G groups of I = C/G and output
 * channels into G groups of O/G; group g of the output reads group g of the input. With
 * batch_group_count B (used by the filter gradient of grouped convolutions), output channel
 * group b = o / (O/B) reads the images b·(N/B) + n of the input for output image n.
 *
 * @category kernels
 * @since 0.2.0
 */
import { DTypeError, ShapeError, ValueError, fmtShape } from '../../errors'
import { NdArray } from '../../NdArray'
import { sizeOf, stridesOf } from '../../shape'
import { gemm } from '../gemm'
import { im2colChunk, im2colRows, type PanelGeometry } from './im2col'
import { runConvScatter } from './convScatter'
import { runConvTaps } from './convTaps'
import { axisTaps, checkGeometry, windowOutSize } from './window'

/** Largest im2col panel, in elements (4 MB of float32). */
let panelMax = 1 << 20

/**
 * How the convolution is lowered to gemm: over output positions (im2col, one gemm per image and
 * group), over kernel taps (one gemm per group over every image at once: for few output positions
 * and a large kernel, e.g. a filter gradient), over input positions then scattered (col2im: for
 * outputs larger than the input, e.g. an input gradient), or chosen by shape.
 */
export type ConvAlgorithm = 'auto' | 'positions' | 'taps' | 'scatter'

let algorithm: ConvAlgorithm = 'auto'

/**
 * Selects the lowering (see {@link ConvAlgorithm}) and returns the previous choice. A testing
 * hook: both give the same result; 'auto' picks the faster by shape.
 */
export const setConvAlgorithm = (a: ConvAlgorithm): ConvAlgorithm => {
  const prev = algorithm
  algorithm = a
  return prev
}

/**
 * Sets the largest im2col panel in elements and returns the previous value. A testing hook (so
 * tests reach the chunked path on small inputs): the default suits every size.
 */
export const setConvPanelMax = (elements: number): number => {
  const prev = panelMax
  panelMax = elements
  return prev
}

/** Parameters of {@link convGeneralDilated}, canonical (one entry per spatial axis). */
export interface ConvParams {
  readonly windowStrides: ReadonlyArray<number>
  /** (low, high) per spatial axis; negative values crop. */
  readonly padding: ReadonlyArray<readonly [number, number]>
  readonly lhsDilation: ReadonlyArray<number>
  readonly rhsDilation: ReadonlyArray<number>
  readonly featureGroupCount: number
  readonly batchGroupCount: number
}

/** The sizes of one convolution, checked. */
export interface ConvPlan extends PanelGeometry {
  readonly nOut: number
  readonly c: number
  readonly o: number
  readonly i: number
  readonly featureGroups: number
  readonly groups: number
  readonly oPerGroup: number
  readonly inSpatial: ReadonlyArray<number>
  readonly kSpatial: ReadonlyArray<number>
  readonly outSpatial: ReadonlyArray<number>
  /** Per spatial axis, `axisTaps`. */
  readonly taps: ReadonlyArray<Int32Array>
  readonly inStrides: ReadonlyArray<number>
}

/** out[n, o, …] = Σ lhs[·, channel, window…] · rhs[o, channel, tap…] (see the module comment). */
export const convGeneralDilated = (lhs: NdArray, rhs: NdArray, params: ConvParams): NdArray => {
  const plan = planConv(lhs, rhs, params)
  const { nOut, o, outSpatial } = plan
  const p = sizeOf(outSpatial)
  const out = lhs.dtype === 'float64' ? new Float64Array(nOut * o * p) : new Float32Array(nOut * o * p)
  if (out.length > 0) {
    const data = { lhs: lhs._data as Float32Array | Float64Array, rhs: rhs._data as Float32Array | Float64Array, out }
    const lowering = loweringOf(plan)
    if (lowering === 'taps') runConvTaps(data, plan, panelMax)
    else if (lowering === 'scatter') runConvScatter(data, plan, params, panelMax)
    else runConv(data, plan)
  }
  return new NdArray([nOut, o, ...outSpatial], lhs.dtype, out)
}

/** Checks shapes, dtypes and params, and works out the output geometry. */
const planConv = (lhs: NdArray, rhs: NdArray, params: ConvParams): ConvPlan => {
  const op = 'conv_general_dilated'
  if (!(lhs.dtype === 'float32' || lhs.dtype === 'float64') || rhs.dtype !== lhs.dtype) {
    throw new DTypeError(`${op}: expected lhs and rhs of one float dtype, got ${lhs.dtype} and ${rhs.dtype}`)
  }
  if (lhs.ndim < 3 || rhs.ndim !== lhs.ndim) {
    throw new ShapeError(
      `${op}: expected lhs [N,C,spatial…] and rhs [O,I,spatial…] of equal rank ≥ 3, got shapes ${fmtShape(lhs.shape)} and ${fmtShape(rhs.shape)}`,
    )
  }
  const nsp = lhs.ndim - 2
  checkGeometry(op, geometry(params), nsp)
  const [n, c] = lhs.shape as [number, number]
  const [o, i] = rhs.shape as [number, number]
  const { featureGroupCount: fg, batchGroupCount: bg } = params
  if (!Number.isInteger(fg) || !Number.isInteger(bg) || fg < 1 || bg < 1 || (fg > 1 && bg > 1)) {
    throw new ValueError(
      `${op}: feature_group_count and batch_group_count must be positive integers, at most one of them above 1; got ${fg} and ${bg}`,
    )
  }
  const shapes = `lhs ${fmtShape(lhs.shape)}, rhs ${fmtShape(rhs.shape)}`
  if (c % fg !== 0 || c / fg !== i || o % fg !== 0) {
    throw new ShapeError(
      `${op}: with feature_group_count ${fg}, lhs features (${c}) must equal rhs input features (${i}) × ${fg} and rhs output features (${o}) must be a multiple of ${fg}; got ${shapes}`,
    )
  }
  if (n % bg !== 0 || o % bg !== 0) {
    throw new ShapeError(
      `${op}: with batch_group_count ${bg}, lhs batch (${n}) and rhs output features (${o}) must be multiples of ${bg}; got ${shapes}`,
    )
  }
  const inSpatial = lhs.shape.slice(2)
  const kSpatial = rhs.shape.slice(2)
  const outSpatial = inSpatial.map((sz, d) => axisOut(params, d, sz, kSpatial[d] as number))
  const taps = inSpatial.map((sz, d) => axisTapsFor(params, d, sz, kSpatial[d] as number, outSpatial[d] as number))
  const groups = fg * bg
  return {
    nOut: n / bg,
    c,
    o,
    i,
    featureGroups: fg,
    groups,
    oPerGroup: o / groups,
    inSpatial,
    kSpatial,
    outSpatial,
    taps,
    inStrides: stridesOf(inSpatial),
  }
}

const geometry = (p: ConvParams) => ({
  strides: p.windowStrides,
  padding: p.padding,
  baseDilation: p.lhsDilation,
  windowDilation: p.rhsDilation,
})

const axisOut = (p: ConvParams, d: number, n: number, k: number): number => {
  const [lo, hi] = p.padding[d] as readonly [number, number]
  return windowOutSize(
    n,
    k,
    p.windowStrides[d] as number,
    lo,
    hi,
    p.lhsDilation[d] as number,
    p.rhsDilation[d] as number,
  )
}

const axisTapsFor = (p: ConvParams, d: number, n: number, k: number, outN: number): Int32Array => {
  const [lo] = p.padding[d] as readonly [number, number]
  return axisTaps(n, k, outN, p.windowStrides[d] as number, lo, p.lhsDilation[d] as number, p.rhsDilation[d] as number)
}

/** The buffers of one convolution. */
export interface ConvBuffers {
  readonly lhs: Float32Array | Float64Array
  readonly rhs: Float32Array | Float64Array
  readonly out: Float32Array | Float64Array
}

/**
 * The lowering by shape: few output positions and more kernel taps (the filter gradient's shape)
 * over taps — the positions gemm would be a few columns wide; fewer input than output elements
 * per filter (an input gradient, a transposed convolution) scattered — the positions panel would
 * repeat the zeros of padding and dilation holes; else over output positions.
 */
const loweringOf = (plan: ConvPlan): Exclude<ConvAlgorithm, 'auto'> => {
  if (algorithm !== 'auto') return algorithm
  const q = sizeOf(plan.outSpatial)
  const taps = sizeOf(plan.kSpatial)
  if (q < 64 && q < taps && plan.nOut * q * taps <= panelMax) return 'taps'
  return plan.oPerGroup * sizeOf(plan.inSpatial) < plan.i * q ? 'scatter' : 'positions'
}

/** Over output positions: per output image and group, im2col panels (in column chunks) times the filters. */
const runConv = ({ lhs, rhs, out }: ConvBuffers, plan: ConvPlan): void => {
  const { nOut, c, o, i, featureGroups, groups, oPerGroup, inSpatial, kSpatial, outSpatial } = plan
  const kDim = i * sizeOf(kSpatial)
  const p = sizeOf(outSpatial)
  const chunk = Math.max(1, Math.min(p, Math.floor(panelMax / Math.max(1, kDim))))
  const alloc = (n: number) => (out instanceof Float64Array ? new Float64Array(n) : new Float32Array(n))
  const panel = alloc(kDim * chunk)
  const tile = chunk < p ? alloc(oPerGroup * chunk) : undefined
  const inPlane = sizeOf(inSpatial)
  for (let n = 0; n < nOut; n++) {
    for (let g = 0; g < groups; g++) {
      // feature groups pick channels; batch groups pick images (one of the two is 1).
      const image = featureGroups > 1 ? n : g * nOut + n
      const chan0 = featureGroups > 1 ? g * i : 0
      const src = (image * c + chan0) * inPlane
      const wOff = g * oPerGroup * kDim
      const outOff = (n * o + g * oPerGroup) * p
      if (tile === undefined) {
        im2colRows(lhs, src, inPlane, i, plan, panel)
        gemm(false, false, oPerGroup, p, kDim, rhs, wOff, panel, 0, out, outOff, 0)
        continue
      }
      for (let p0 = 0; p0 < p; p0 += chunk) {
        const pc = Math.min(chunk, p - p0)
        im2colChunk(lhs, src, inPlane, i, plan, p0, pc, panel)
        gemm(false, false, oPerGroup, pc, kDim, rhs, wOff, panel, 0, tile, 0, 0)
        for (let r = 0; r < oPerGroup; r++) out.set(tile.subarray(r * pc, (r + 1) * pc), outOff + r * p + p0)
      }
    }
  }
}
