/**
 * The general case of panel packing shared by the TS gemm and the WebAssembly gemm's staging:
 * one panel of `width` columns (the last `width − w` zero-padded), `depth` rows, from a source
 * with element strides `xs` along the panel and `ps` along depth. Returns the next write index.
 */
export const packPanelPadded = (
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
