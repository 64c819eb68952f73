/**
 * Filling the convolution kernels' gemm panels from the input: every panel row is a box of input
 * elements read through per-axis index tables (`axisTaps`: −1 marks padding and dilation holes,
 * which read as 0).
 *
 * - Positions layout (`im2colRows`): one row per (channel, kernel tap), one column per output
 *   position — the forward convolution's im2col.
 * - Taps layout (`tapRows`): one row per (image, output position), one column per (channel,
 *   kernel tap) — the same elements transposed, for convolutions with few output positions and a
 *   large kernel (a filter gradient), whose gemm then runs over the kernel taps.
 *
 * @category kernels
 * @since 0.2.0
 */
import type { FloatBuffer } from '../gemmArgs'

/**
 * Where a panel's rows read from: per spatial axis, an index table, each row's box extent along
 * the axis, and the input's element stride.
 */
export interface BoxSource {
  /** Per axis, the table the box reads (entries −1 are holes). */
  readonly tables: ReadonlyArray<Int32Array>
  /** Per axis, the box's extent (entries `offs[d] … offs[d] + lens[d]` of the table). */
  readonly lens: ReadonlyArray<number>
  /** Per axis, the input's stride in elements. */
  readonly strides: ReadonlyArray<number>
  /**
   * Optional, for the last axis: entry t0 is 1 when that axis's box row from table entry t0 reads
   * consecutive input elements (no hole), which is then copied without the table.
   */
  readonly contiguous?: Uint8Array | undefined
}

/**
 * For a table of rows `len` long (row r at entries r·len …), 1 per row start whose entries are
 * consecutive input indices without a hole (a stride-1 axis away from the padding), else 0.
 */
export const contiguousRows = (table: Int32Array, len: number): Uint8Array => {
  const out = new Uint8Array(table.length)
  for (let t0 = 0; t0 + len <= table.length; t0 += len) {
    const s0 = table[t0] as number
    let j = 0
    while (j < len && s0 >= 0 && table[t0 + j] === s0 + j) j++
    out[t0] = j === len ? 1 : 0
  }
  return out
}

/**
 * Writes the box ∏ lens of x[off + Σ_d tables[d][offs[d] + j_d] · strides[d]] to `panel` from
 * `dst` in row-major order (0 where a table entry is −1) and returns the index after it.
 */
export const gatherBox = (
  x: FloatBuffer,
  off: number,
  src: BoxSource,
  offs: ArrayLike<number>,
  d: number,
  panel: FloatBuffer,
  dst: number,
): number => {
  const table = src.tables[d] as Int32Array
  const len = src.lens[d] as number
  const t0 = offs[d] as number
  if (d === src.lens.length - 1) {
    if (src.contiguous !== undefined && src.contiguous[t0] === 1) {
      const base = off + (table[t0] as number)
      for (let j = 0; j < len; j++) panel[dst + j] = x[base + j] as number
      return dst + len
    }
    for (let j = 0; j < len; j++) {
      const s = table[t0 + j] as number
      panel[dst + j] = s < 0 ? 0 : (x[off + s] as number)
    }
    return dst + len
  }
  const stride = src.strides[d] as number
  let inner = 1
  for (let e = d + 1; e < src.lens.length; e++) inner *= src.lens[e] as number
  for (let j = 0; j < len; j++) {
    const s = table[t0 + j] as number
    if (s < 0) {
      panel.fill(0, dst, dst + inner)
      dst += inner
    } else {
      dst = gatherBox(x, off + s * stride, src, offs, d + 1, panel, dst)
    }
  }
  return dst
}

/** Row-major multi-index of `flat` in `shape`, written to `idx`, scaled per axis by `scale[d]`. */
const unravelScaled = (flat: number, shape: ReadonlyArray<number>, scale: ReadonlyArray<number>, idx: number[]) => {
  for (let d = shape.length - 1; d >= 0; d--) {
    const n = shape[d] as number
    idx[d] = (flat % n) * (scale[d] as number)
    flat = Math.floor(flat / n)
  }
}

/** The geometry the fills need (a subset of the convolution plan). */
export interface PanelGeometry {
  readonly kSpatial: ReadonlyArray<number>
  readonly outSpatial: ReadonlyArray<number>
  /** Per axis, taps[t·outN + o] = the input index output o reads at kernel tap t, −1 for a hole. */
  readonly taps: ReadonlyArray<Int32Array>
  readonly inStrides: ReadonlyArray<number>
}

const prod = (xs: ReadonlyArray<number>): number => xs.reduce((a, b) => a * b, 1)

/**
 * Positions layout, whole output plane: panel[(ch·T + t)·P + p] = input element that output p
 * reads at tap t of channel ch (channels `channels` from `src`, planes `inPlane` apart).
 */
export const im2colRows = (
  x: FloatBuffer,
  src: number,
  inPlane: number,
  channels: number,
  geo: PanelGeometry,
  panel: FloatBuffer,
): void => {
  const lastAxis = geo.taps.length - 1
  const contiguous =
    lastAxis >= 0 ? contiguousRows(geo.taps[lastAxis] as Int32Array, geo.outSpatial[lastAxis] as number) : undefined
  const box: BoxSource = { tables: geo.taps, lens: geo.outSpatial, strides: geo.inStrides, contiguous }
  const kTaps = prod(geo.kSpatial)
  const offs = new Array<number>(geo.kSpatial.length).fill(0)
  let dst = 0
  for (let ch = 0; ch < channels; ch++) {
    for (let t = 0; t < kTaps; t++) {
      unravelScaled(t, geo.kSpatial, geo.outSpatial, offs)
      dst = gatherBox(x, src + ch * inPlane, box, offs, 0, panel, dst)
    }
  }
}

/**
 * Positions layout, columns p0 … p0+pc of the output plane only (element by element): the
 * chunked path for outputs too wide for one panel.
 */
export const im2colChunk = (
  x: FloatBuffer,
  src: number,
  inPlane: number,
  channels: number,
  geo: PanelGeometry,
  p0: number,
  pc: number,
  panel: FloatBuffer,
): void => {
  const { kSpatial, outSpatial, taps, inStrides } = geo
  const nsp = outSpatial.length
  const kTaps = prod(kSpatial)
  const tap = new Array<number>(nsp).fill(0)
  const outIdx = new Array<number>(nsp).fill(0)
  const ones = new Array<number>(nsp).fill(1)
  for (let ch = 0; ch < channels; ch++) {
    for (let t = 0; t < kTaps; t++) {
      unravelScaled(t, kSpatial, ones, tap)
      const row = (ch * kTaps + t) * pc
      for (let q = 0; q < pc; q++) {
        unravelScaled(p0 + q, outSpatial, ones, outIdx)
        let off = src + ch * inPlane
        let hole = false
        for (let d = 0; d < nsp && !hole; d++) {
          const s = (taps[d] as Int32Array)[(tap[d] as number) * (outSpatial[d] as number) + (outIdx[d] as number)]
          if (s === undefined || s < 0) hole = true
          else off += s * (inStrides[d] as number)
        }
        panel[row + q] = hole ? 0 : (x[off] as number)
      }
    }
  }
}

/** Per axis, the taps tables transposed: out[o·k + t] = taps[t·outN + o] (rows by output position). */
export const transposeTaps = (geo: PanelGeometry): Int32Array[] =>
  geo.taps.map((taps, d) => {
    const k = geo.kSpatial[d] as number
    const outN = geo.outSpatial[d] as number
    const out = new Int32Array(k * outN)
    for (let t = 0; t < k; t++) for (let o = 0; o < outN; o++) out[o * k + t] = taps[t * outN + o] as number
    return out
  })

/**
 * Taps layout for one image: rows q = 0 … Q−1 (output positions), each `rowLen` long, from `dst`;
 * row q holds, for the `channels` channels from `src` one after the other, the T input elements
 * output q reads at each kernel tap. `byPos` is {@link transposeTaps} of the geometry.
 */
export const tapRows = (
  x: FloatBuffer,
  src: number,
  inPlane: number,
  channels: number,
  geo: PanelGeometry,
  byPos: ReadonlyArray<Int32Array>,
  panel: FloatBuffer,
  dst: number,
  rowLen: number,
): void => {
  const box: BoxSource = { tables: byPos, lens: geo.kSpatial, strides: geo.inStrides }
  const q = prod(geo.outSpatial)
  const offs = new Array<number>(geo.kSpatial.length).fill(0)
  for (let p = 0; p < q; p++) {
    unravelScaled(p, geo.outSpatial, geo.kSpatial, offs)
    let at = dst + p * rowLen
    for (let ch = 0; ch < channels; ch++) at = gatherBox(x, src + ch * inPlane, box, offs, 0, panel, at)
  }
}
