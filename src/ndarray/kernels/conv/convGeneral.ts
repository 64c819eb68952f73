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
import { axisTaps, checkGeometry, windowOutSize } from './window'

/** Largest im2col panel, in elements (4 MB of float32). */
let panelMax = 1 << 20

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
interface ConvPlan {
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
}

/** out[n, o, …] = Σ lhs[·, channel, window…] · rhs[o, channel, tap…] (see the module comment). */
export const convGeneralDilated = (lhs: NdArray, rhs: NdArray, params: ConvParams): NdArray => {
  const plan = planConv(lhs, rhs, params)
  const { nOut, o, outSpatial } = plan
  const p = sizeOf(outSpatial)
  const out = lhs.dtype === 'float64' ? new Float64Array(nOut * o * p) : new Float32Array(nOut * o * p)
  if (out.length > 0) runConv(lhs, rhs, plan, out)
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

/** The gemm loop: per output image and group, im2col panels (in column chunks) times the filters. */
const runConv = (lhs: NdArray, rhs: NdArray, plan: ConvPlan, out: Float32Array | Float64Array): void => {
  const { nOut, c, o, i, featureGroups, groups, oPerGroup, inSpatial, kSpatial, outSpatial } = plan
  const kTaps = sizeOf(kSpatial)
  const kDim = i * kTaps
  const p = sizeOf(outSpatial)
  const chunk = Math.max(1, Math.min(p, Math.floor(panelMax / Math.max(1, kDim))))
  const panel = out instanceof Float64Array ? new Float64Array(kDim * chunk) : new Float32Array(kDim * chunk)
  const tile =
    chunk < p
      ? out instanceof Float64Array
        ? new Float64Array(oPerGroup * chunk)
        : new Float32Array(oPerGroup * chunk)
      : undefined
  const lhsData = lhs._data as Float32Array | Float64Array
  const rhsData = rhs._data as Float32Array | Float64Array
  const inPlane = sizeOf(inSpatial)
  for (let n = 0; n < nOut; n++) {
    for (let g = 0; g < groups; g++) {
      // feature groups pick channels; batch groups pick images (one of the two is 1).
      const image = featureGroups > 1 ? n : g * nOut + n
      const chan0 = featureGroups > 1 ? g * i : 0
      const src = (image * c + chan0) * inPlane
      const wOff = g * oPerGroup * kDim
      const outOff = (n * o + g * oPerGroup) * p
      for (let p0 = 0; p0 < p; p0 += chunk) {
        const pc = Math.min(chunk, p - p0)
        im2col(lhsData, src, plan, p0, pc, panel)
        if (tile === undefined) {
          gemm(false, false, oPerGroup, pc, kDim, rhsData, wOff, panel, 0, out, outOff, 0)
        } else {
          gemm(false, false, oPerGroup, pc, kDim, rhsData, wOff, panel, 0, tile, 0, 0)
          for (let r = 0; r < oPerGroup; r++) out.set(tile.subarray(r * pc, (r + 1) * pc), outOff + r * p + p0)
        }
      }
    }
  }
}

/**
 * Fills panel[K × pc] (row = (channel, kernel tap), column = output position p0 … p0+pc) with the
 * input element each pair reads, or 0 on padding and dilation holes.
 */
const im2col = (
  x: Float32Array | Float64Array,
  src: number,
  plan: ConvPlan,
  p0: number,
  pc: number,
  panel: Float32Array | Float64Array,
): void => {
  const { i, inSpatial, kSpatial, outSpatial } = plan
  const nsp = inSpatial.length
  const inPlane = sizeOf(inSpatial)
  const kTaps = sizeOf(kSpatial)
  const inStrides = stridesOf(inSpatial)
  const tap = new Array<number>(nsp).fill(0)
  const outIdx = new Array<number>(nsp).fill(0)
  for (let ch = 0; ch < i; ch++) {
    for (let t = 0; t < kTaps; t++) {
      // tap index per axis (row-major over the kernel's spatial shape)
      let rem = t
      for (let d = nsp - 1; d >= 0; d--) {
        tap[d] = rem % (kSpatial[d] as number)
        rem = Math.floor(rem / (kSpatial[d] as number))
      }
      const row = (ch * kTaps + t) * pc
      const base = src + ch * inPlane
      if (pc === sizeOf(outSpatial)) {
        fillAxis(x, base, 0, row, panel, plan, tap, inStrides)
      } else {
        fillChunk(x, base, row, panel, plan, tap, inStrides, outIdx, p0, pc)
      }
    }
  }
}

/** Whole output plane, recursively over axes: the innermost axis is one tight loop. */
const fillAxis = (
  x: Float32Array | Float64Array,
  off: number,
  d: number,
  dst: number,
  panel: Float32Array | Float64Array,
  plan: ConvPlan,
  tap: ReadonlyArray<number>,
  inStrides: ReadonlyArray<number>,
): number => {
  const outN = plan.outSpatial[d] as number
  const taps = plan.taps[d] as Int32Array
  const tOff = (tap[d] as number) * outN
  const last = d === plan.outSpatial.length - 1
  const stride = inStrides[d] as number
  const inner = last ? 1 : sizeOf(plan.outSpatial.slice(d + 1))
  for (let o = 0; o < outN; o++) {
    const s = taps[tOff + o] as number
    if (last) {
      panel[dst++] = s < 0 ? 0 : (x[off + s] as number)
    } else if (s < 0) {
      panel.fill(0, dst, dst + inner)
      dst += inner
    } else {
      dst = fillAxis(x, off + s * stride, d + 1, dst, panel, plan, tap, inStrides)
    }
  }
  return dst
}

/** A chunk of output positions p0 … p0+pc (flat, row-major), element by element. */
const fillChunk = (
  x: Float32Array | Float64Array,
  base: number,
  row: number,
  panel: Float32Array | Float64Array,
  plan: ConvPlan,
  tap: ReadonlyArray<number>,
  inStrides: ReadonlyArray<number>,
  outIdx: number[],
  p0: number,
  pc: number,
): void => {
  const { outSpatial, taps } = plan
  const nsp = outSpatial.length
  for (let q = 0; q < pc; q++) {
    let rem = p0 + q
    for (let d = nsp - 1; d >= 0; d--) {
      outIdx[d] = rem % (outSpatial[d] as number)
      rem = Math.floor(rem / (outSpatial[d] as number))
    }
    let off = base
    let hole = false
    for (let d = 0; d < nsp && !hole; d++) {
      const s = (taps[d] as Int32Array)[
        (tap[d] as number) * (outSpatial[d] as number) + (outIdx[d] as number)
      ] as number
      if (s < 0) hole = true
      else off += s * (inStrides[d] as number)
    }
    panel[row + q] = hole ? 0 : (x[off] as number)
  }
}
