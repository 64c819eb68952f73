/**
 * The general case of panel packing:
 * one panel of `width` columns (the last `width − w` zero-padded), `depth` rows, from a source
 * with element strides `xs` along the panel and `ps` along depth. Returns the next write index.
 */
const packPanelPadded = (
  src: ArrayLike<number>,
  base: number,
  xs: number,
  ps: number,
  depth: number,
  w: number,
  width: number,
  dst: { [i: number]: number },
  d: number,
): number => {
  let k = d
  for (let p = 0; p < depth; p++) {
    const s = base + p * ps
    for (let x = 0; x < width; x++) dst[k + x] = x < w ? (src[s + x * xs] as number) : 0
    k += width
  }
  return k
}

/**
 * Packs `count` (x) × `depth` (p) of a strided matrix — element (x, p) at src[off + x*xs + p*ps] —
 * into width-wide panels at dst[d0 + (x/width)*depth*width + p*width + x%width], zero-padding the
 * last panel. The TS gemm packs with it, and the WebAssembly gemm's staging for operands too
 * large to copy whole and for edge panels.
 */
export function packPanels(
  src: ArrayLike<number>,
  off: number,
  xs: number,
  ps: number,
  count: number,
  depth: number,
  dst: { [i: number]: number },
  d0: number,
  width: number,
): void {
  let d = d0
  for (let x0 = 0; x0 < count; x0 += width) {
    const w = count - x0 < width ? count - x0 : width
    const base = off + x0 * xs
    if (w === width && xs === 1) {
      // The panel's values for one p are contiguous in the source.
      let s = base
      for (let p = 0; p < depth; p++) {
        for (let x = 0; x < width; x++) dst[d + x] = src[s + x] as number
        d += width
        s += ps
      }
    } else if (w === width && ps === 1) {
      // Each row x of the panel is contiguous along p: stream the rows one by one.
      for (let x = 0; x < width; x++) {
        let s = base + x * xs
        let dd = d + x
        for (let p = 0; p < depth; p++) {
          dst[dd] = src[s] as number
          dd += width
          s++
        }
      }
      d += depth * width
    } else {
      d = packPanelPadded(src, base, xs, ps, depth, w, width, dst, d)
    }
  }
}

/** `x` rounded up to a multiple of `to` (whole tiles and panels). */
export const roundUp = (x: number, to: number): number => Math.ceil(x / to) * to
