/**
 * Window geometry shared by convolution and the windowed reductions: output sizes and, per
 * spatial axis, which input element each (output position, window tap) reads — with padding
 * (negative padding crops), input ("base" / lhs) dilation and window (rhs) dilation folded in.
 *
 * Along one axis of input size `n`, dilated input size is (n − 1)·baseDil + 1, the padded size
 * that plus lo + hi, and output position o with window tap k reads dilated position
 * o·stride + k·winDil − lo, which is a real input element when it is ≥ 0, a multiple of baseDil
 * and below the dilated size (XLA's convolution and reduce-window semantics).
 *
 * @category kernels
 * @since 0.2.0
 */
import { ShapeError, ValueError, fmtShape } from '../../errors'

/** Per-axis window parameters, canonical (one entry per windowed axis). */
export interface WindowGeometry {
  readonly strides: ReadonlyArray<number>
  readonly padding: ReadonlyArray<readonly [number, number]>
  readonly baseDilation: ReadonlyArray<number>
  readonly windowDilation: ReadonlyArray<number>
}

/** Output size along one axis (0 when the padded input is shorter than the dilated window). */
export const windowOutSize = (
  n: number,
  k: number,
  stride: number,
  lo: number,
  hi: number,
  bd: number,
  wd: number,
): number => {
  const dilatedIn = n === 0 ? 0 : (n - 1) * bd + 1
  const dilatedWin = k === 0 ? 0 : (k - 1) * wd + 1
  const span = dilatedIn + lo + hi - dilatedWin
  return span < 0 ? 0 : Math.floor(span / stride) + 1
}

/**
 * For one axis: taps[k·outN + o] = the input index read by output o at window tap k, or −1
 * where that lands on padding or a dilation hole.
 */
export const axisTaps = (
  n: number,
  k: number,
  outN: number,
  stride: number,
  lo: number,
  bd: number,
  wd: number,
): Int32Array => {
  const taps = new Int32Array(k * outN)
  for (let t = 0; t < k; t++) {
    for (let o = 0; o < outN; o++) {
      const pos = o * stride + t * wd - lo
      const idx = pos / bd
      taps[t * outN + o] = pos >= 0 && pos % bd === 0 && idx < n ? idx : -1
    }
  }
  return taps
}

/** Throws unless `geo` has `rank` entries of positive integers (padding: integer pairs). */
export const checkGeometry = (op: string, geo: WindowGeometry, rank: number): void => {
  const lists: Array<[string, ReadonlyArray<number>]> = [
    ['window strides', geo.strides],
    ['base (lhs) dilation', geo.baseDilation],
    ['window (rhs) dilation', geo.windowDilation],
  ]
  for (const [name, xs] of lists) {
    if (xs.length !== rank) {
      throw new ShapeError(`${op}: expected ${rank} ${name}, one per windowed axis, got ${fmtShape(xs)}`)
    }
    if (!xs.every((x) => Number.isInteger(x) && x >= 1)) {
      throw new ValueError(`${op}: ${name} must be positive integers, got ${fmtShape(xs)}`)
    }
  }
  if (geo.padding.length !== rank || !geo.padding.every((p) => p.length === 2 && p.every(Number.isInteger))) {
    throw new ShapeError(
      `${op}: expected ${rank} (low, high) integer padding pairs, got [${geo.padding.map((p) => `(${p.join(',')})`).join(',')}]`,
    )
  }
}
