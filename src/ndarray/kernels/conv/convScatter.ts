/**
 * Convolution lowered to gemm over the input positions, then scattered (col2im): for each image
 * and group, Z[(o, t), u] = Σ_i rhs[o, i, t] · lhs[i, u] (one gemm, the input plane as it is
 * stored), then out[o, p] += Z[(o, t), u] for every (tap t, input position u) that output p
 * reads — per axis p·stride = u·lhsDilation + padLow − t·rhsDilation.
 *
 * It wins where the output has more positions than the input, or lhs dilation spreads the input
 * with holes: the input gradient of a convolution (its padded, stride-dilated cotangent would
 * fill the positions lowering's panel with zeros). Same result as the other lowerings.
 *
 * @category kernels
 * @since 0.2.0
 */
import { sizeOf, stridesOf } from '../../shape'
import { gemm } from '../gemm'
import type { FloatBuffer } from '../gemmArgs'
import type { ConvBuffers, ConvParams, ConvPlan } from './convGeneral'

/** Per axis: table[t·n + u] = the output index input u reaches through tap t, or −1. */
const scatterTables = (plan: ConvPlan, p: ConvParams): Int32Array[] =>
  plan.inSpatial.map((n, d) => {
    const k = plan.kSpatial[d] as number
    const outN = plan.outSpatial[d] as number
    const ws = p.windowStrides[d] as number
    const [lo] = p.padding[d] as readonly [number, number]
    const table = new Int32Array(k * n)
    for (let t = 0; t < k; t++) {
      for (let u = 0; u < n; u++) {
        const pos = u * (p.lhsDilation[d] as number) + lo - t * (p.rhsDilation[d] as number)
        const q = pos / ws
        table[t * n + u] = pos >= 0 && pos % ws === 0 && q < outN ? q : -1
      }
    }
    return table
  })

/** Adds the box z[zOff …] (extent inSpatial, row-major) into out through the tables at tap offsets `offs`. */
const scatterBox = (
  z: FloatBuffer,
  zOff: number,
  out: FloatBuffer,
  off: number,
  tables: ReadonlyArray<Int32Array>,
  offs: ArrayLike<number>,
  lens: ReadonlyArray<number>,
  outStrides: ReadonlyArray<number>,
  d: number,
): number => {
  const table = tables[d] as Int32Array
  const len = lens[d] as number
  const t0 = offs[d] as number
  if (d === lens.length - 1) {
    for (let u = 0; u < len; u++) {
      const q = table[t0 + u] as number
      if (q >= 0) out[off + q] = (out[off + q] as number) + (z[zOff + u] as number)
    }
    return zOff + len
  }
  let inner = 1
  for (let e = d + 1; e < lens.length; e++) inner *= lens[e] as number
  for (let u = 0; u < len; u++) {
    const q = table[t0 + u] as number
    if (q < 0) zOff += inner
    else zOff = scatterBox(z, zOff, out, off + q * (outStrides[d] as number), tables, offs, lens, outStrides, d + 1)
  }
  return zOff
}

/** rhs [O, I, T] as [O, T, I] (the gemm's A: rows (o, t)). */
const filtersByTap = (rhs: FloatBuffer, o: number, i: number, taps: number): FloatBuffer => {
  const out = rhs instanceof Float64Array ? new Float64Array(rhs.length) : new Float32Array(rhs.length)
  for (let r = 0; r < o; r++)
    for (let c = 0; c < i; c++)
      for (let t = 0; t < taps; t++) out[(r * taps + t) * i + c] = rhs[(r * i + c) * taps + t] as number
  return out
}

/** Runs the convolution of `plan` as gemm + col2im; Z holds at most `panelMax` elements (≥ one filter's). */
export const runConvScatter = ({ lhs, rhs, out }: ConvBuffers, plan: ConvPlan, p: ConvParams, panelMax: number) => {
  const { nOut, c, o, i, featureGroups, groups, oPerGroup, inSpatial, kSpatial, outSpatial } = plan
  const taps = sizeOf(kSpatial)
  const u = sizeOf(inSpatial)
  const q = sizeOf(outSpatial)
  const tables = scatterTables(plan, p)
  const outStrides = stridesOf(outSpatial)
  const a = filtersByTap(rhs, o, i, taps)
  const perChunk = Math.max(1, Math.min(oPerGroup, Math.floor(panelMax / Math.max(1, taps * u))))
  const z = out instanceof Float64Array ? new Float64Array(perChunk * taps * u) : new Float32Array(perChunk * taps * u)
  const offs = new Array<number>(kSpatial.length).fill(0)
  out.fill(0)
  for (let n = 0; n < nOut; n++) {
    for (let g = 0; g < groups; g++) {
      // feature groups pick channels; batch groups pick images (one of the two is 1).
      const image = featureGroups > 1 ? n : g * nOut + n
      const src = (image * c + (featureGroups > 1 ? g * i : 0)) * u
      for (let r0 = 0; r0 < oPerGroup; r0 += perChunk) {
        const rc = Math.min(perChunk, oPerGroup - r0)
        const oc = g * oPerGroup + r0
        gemm(false, false, rc * taps, u, i, a, oc * taps * i, lhs, src, z, 0, 0)
        let zOff = 0
        for (let r = 0; r < rc; r++) {
          for (let t = 0; t < taps; t++) {
            let rem = t
            for (let d = kSpatial.length - 1; d >= 0; d--) {
              const k = kSpatial[d] as number
              offs[d] = (rem % k) * (inSpatial[d] as number)
              rem = Math.floor(rem / k)
            }
            zOff = scatterBox(z, zOff, out, (n * o + oc + r) * q, tables, offs, inSpatial, outStrides, 0)
          }
        }
      }
    }
  }
}
