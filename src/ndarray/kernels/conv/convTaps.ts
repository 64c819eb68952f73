/**
 * Convolution lowered to gemm over the kernel taps: for each group, out[o, (n, q)] =
 * Σ_(i, t) rhs[o, i, t] · lhs[image n, channel i, position read by output q at tap t] — one gemm
 * whose columns are every image's output positions and whose depth is the group's channels ×
 * kernel taps, in chunks of whole channels so a panel stays under the size limit.
 *
 * It wins where the output has few positions and the kernel many taps: the filter gradient
 * (the kernel there is the cotangent, the output the filter), whose positions-lowered gemm would
 * be a few columns wide. Same result as the positions lowering (`convGeneral.ts`).
 *
 * @category kernels
 * @since 0.2.0
 */
import { sizeOf } from '../../shape'
import { gemm } from '../gemm'
import type { ConvBuffers, ConvPlan } from './convGeneral'
import { tapRows, transposeTaps } from './im2col'

/** Runs the convolution of `plan` over kernel taps; panels hold at most `panelMax` elements (≥ one channel's). */
export const runConvTaps = ({ lhs, rhs, out }: ConvBuffers, plan: ConvPlan, panelMax: number): void => {
  const { nOut, c, o, i, featureGroups, groups, oPerGroup, inSpatial, kSpatial, outSpatial } = plan
  const taps = sizeOf(kSpatial)
  const q = sizeOf(outSpatial)
  const rows = nOut * q
  const inPlane = sizeOf(inSpatial)
  const perChunk = Math.max(1, Math.min(i, Math.floor(panelMax / Math.max(1, rows * taps))))
  const alloc = (n: number) => (out instanceof Float64Array ? new Float64Array(n) : new Float32Array(n))
  const panel = alloc(rows * perChunk * taps)
  const acc = alloc(oPerGroup * rows)
  const aTile = perChunk < i ? alloc(oPerGroup * perChunk * taps) : undefined
  const byPos = transposeTaps(plan)
  for (let g = 0; g < groups; g++) {
    for (let i0 = 0; i0 < i; i0 += perChunk) {
      const ic = Math.min(perChunk, i - i0)
      const depth = ic * taps
      for (let n = 0; n < nOut; n++) {
        // feature groups pick channels; batch groups pick images (one of the two is 1).
        const image = featureGroups > 1 ? n : g * nOut + n
        const chan0 = (featureGroups > 1 ? g * i : 0) + i0
        tapRows(lhs, (image * c + chan0) * inPlane, inPlane, ic, plan, byPos, panel, n * q * depth, depth)
      }
      // the group's filters, channels i0 … i0+ic: rows o of rhs, `depth` wide at column i0·taps
      const rowOff = (r: number) => ((g * oPerGroup + r) * i + i0) * taps
      let a: Float32Array | Float64Array = rhs
      let aOff = rowOff(0)
      if (aTile !== undefined) {
        for (let r = 0; r < oPerGroup; r++) aTile.set(rhs.subarray(rowOff(r), rowOff(r) + depth), r * depth)
        a = aTile
        aOff = 0
      }
      gemm(false, true, oPerGroup, rows, depth, a, aOff, panel, 0, acc, 0, i0 === 0 ? 0 : 1)
    }
    // acc[r, (n, q)] -> out[n, g·O_g + r, q]
    for (let r = 0; r < oPerGroup; r++) {
      for (let n = 0; n < nOut; n++) {
        const from = r * rows + n * q
        out.set(acc.subarray(from, from + q), (n * o + g * oPerGroup + r) * q)
      }
    }
  }
}
