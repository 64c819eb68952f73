/**
 * Direct loops for windows over the last two axes only (2-D pooling, the common case): each
 * output reads its window's elements straight from the input, without the per-axis passes'
 * float64 intermediates. Same results as the passes in `reduceWindow.ts`: the maximum propagates
 * NaN, and the selection combines the row winners (last axis first) with the passes' rule, so it
 * picks the same element even with ties and NaN.
 *
 * Windows that tile each plane (window = stride on both axes, no padding, no dilation: max
 * pooling's usual geometry) take tiled loops that write the result's storage directly: the
 * maximum without a float64 intermediate, and select-and-scatter-add in one pass over the operand
 * (no selection array, no zero fill of the covered part). Same comparisons in the same order, so
 * the same bits as the general loops.
 *
 * @category kernels
 * @since 0.2.0
 */

/** One windowed axis: its `axisTaps` and sizes. */
export interface AxisPass {
  readonly axis: number
  readonly n: number
  readonly k: number
  readonly outN: number
  readonly taps: Int32Array
}

/** A windowed reduction over the last two axes: `outer` planes of h.n × w.n. */
export interface Pool2d {
  readonly outer: number
  readonly h: AxisPass
  readonly w: AxisPass
}

/** The identity pass over an axis of `n` elements (window 1, stride 1). */
const identity = (axis: number, n: number): AxisPass => ({
  axis,
  n,
  k: 1,
  outN: n,
  taps: Int32Array.from({ length: n }, (_, i) => i),
})

/** The 2-D plan when every pass is on one of the last two axes of `shape` (rank ≥ 2), else null. */
export const pool2dOf = (passes: ReadonlyArray<AxisPass>, shape: ReadonlyArray<number>): Pool2d | null => {
  const r = shape.length
  if (r < 2 || passes.length === 0 || passes.some((p) => p.axis < r - 2)) return null
  const h = passes.find((p) => p.axis === r - 2) ?? identity(r - 2, shape[r - 2] as number)
  const w = passes.find((p) => p.axis === r - 1) ?? identity(r - 1, shape[r - 1] as number)
  let outer = 1
  for (let d = 0; d < r - 2; d++) outer *= shape[d] as number
  return { outer, h, w }
}

/** Each window's maximum of sign·x (−∞ for a window of padding only; NaN propagates). */
export const maxPool2d = (x: ArrayLike<number>, p: Pool2d, sign: number): Float64Array => {
  const { outer, h, w } = p
  const out = new Float64Array(outer * h.outN * w.outN)
  let dst = 0
  for (let a = 0; a < outer; a++) {
    const plane = a * h.n * w.n
    for (let oi = 0; oi < h.outN; oi++) {
      for (let oj = 0; oj < w.outN; oj++) {
        let acc = -Infinity
        for (let ti = 0; ti < h.k; ti++) {
          const i = h.taps[ti * h.outN + oi] as number
          if (i < 0) continue
          const row = plane + i * w.n
          for (let tj = 0; tj < w.k; tj++) {
            const j = w.taps[tj * w.outN + oj] as number
            if (j < 0) continue
            const v = sign * (x[row + j] as number)
            if (v > acc || v !== v) acc = v
          }
        }
        out[dst++] = acc
      }
    }
  }
  return out
}

/**
 * Each window's selected flat index into x (−1: padding only): per window row the first maximum
 * over the last axis, then the first maximum of those rows, a candidate replacing the choice
 * unless the choice is ≥ it (XLA's select with `ge`, as the passes apply it).
 */
export const argmaxPool2d = (x: ArrayLike<number>, p: Pool2d): Int32Array => {
  const { outer, h, w } = p
  const out = new Int32Array(outer * h.outN * w.outN)
  let dst = 0
  for (let a = 0; a < outer; a++) {
    const plane = a * h.n * w.n
    for (let oi = 0; oi < h.outN; oi++) {
      for (let oj = 0; oj < w.outN; oj++) {
        let best = -1
        let bestV = 0
        for (let ti = 0; ti < h.k; ti++) {
          const i = h.taps[ti * h.outN + oi] as number
          if (i < 0) continue
          const row = plane + i * w.n
          let rowBest = -1
          let rowV = 0
          for (let tj = 0; tj < w.k; tj++) {
            const j = w.taps[tj * w.outN + oj] as number
            if (j < 0) continue
            const v = x[row + j] as number
            if (rowBest < 0 || !(rowV >= v)) {
              rowBest = row + j
              rowV = v
            }
          }
          if (rowBest >= 0 && (best < 0 || !(bestV >= rowV))) {
            best = rowBest
            bestV = rowV
          }
        }
        out[dst++] = best
      }
    }
  }
  return out
}

/** Whether `p`'s window taps are o·k + t for every tap t of every output o (window = stride, no padding or dilation). */
const tiledAxis = (p: AxisPass): boolean => {
  for (let t = 0; t < p.k; t++)
    for (let o = 0; o < p.outN; o++) if (p.taps[t * p.outN + o] !== o * p.k + t) return false
  return true
}

/** Whether the windows of `p` tile each plane (see the module comment). */
export const isTiled = (p: Pool2d): boolean => tiledAxis(p.h) && tiledAxis(p.w)

/** Writable element storage of any numeric dtype. */
type Storage = { [i: number]: number; readonly length: number }

/** `out[o] = sign · max(sign · window o)` for tiled windows (as `maxPool2d` then the sign, same bits). */
export const maxPoolTiled = (x: ArrayLike<number>, p: Pool2d, sign: number, out: Storage): void => {
  const { outer, h, w } = p
  const wn = w.n
  let dst = 0
  for (let a = 0; a < outer; a++) {
    const plane = a * h.n * wn
    for (let oi = 0; oi < h.outN; oi++) {
      const top = plane + oi * h.k * wn
      for (let oj = 0; oj < w.outN; oj++) {
        let acc = -Infinity
        for (let ti = 0; ti < h.k; ti++) {
          const row = top + ti * wn + oj * w.k
          for (let tj = 0; tj < w.k; tj++) {
            const v = sign * (x[row + tj] as number)
            if (v > acc || v !== v) acc = v
          }
        }
        out[dst++] = sign * acc
      }
    }
  }
}

/**
 * Select-and-scatter-add for tiled windows into `out` (the operand's size, contents arbitrary):
 * each window's elements are 0 but the one `argmaxPool2d` selects, which gets 0 + source (as
 * the general kernel adds into zeros: −0 becomes +0); elements outside every window are 0.
 */
export const scatterTiled = (source: ArrayLike<number>, x: ArrayLike<number>, p: Pool2d, out: Storage): void => {
  const { outer, h, w } = p
  const wn = w.n
  const covH = h.outN * h.k
  const covW = w.outN * w.k
  let k = 0
  for (let a = 0; a < outer; a++) {
    const plane = a * h.n * wn
    for (let oi = 0; oi < h.outN; oi++) {
      const top = plane + oi * h.k * wn
      for (let oj = 0; oj < w.outN; oj++) {
        let best = -1
        let bestV = 0
        for (let ti = 0; ti < h.k; ti++) {
          const row = top + ti * wn + oj * w.k
          let rowBest = -1
          let rowV = 0
          for (let tj = 0; tj < w.k; tj++) {
            const v = x[row + tj] as number
            out[row + tj] = 0
            if (rowBest < 0 || !(rowV >= v)) {
              rowBest = row + tj
              rowV = v
            }
          }
          if (best < 0 || !(bestV >= rowV)) {
            best = rowBest
            bestV = rowV
          }
        }
        out[best] = 0 + (source[k++] as number)
      }
    }
    // rows and columns that no window covers
    for (let i = 0; i < h.n; i++) {
      const row = plane + i * wn
      if (i >= covH) for (let j = 0; j < wn; j++) out[row + j] = 0
      else for (let j = covW; j < wn; j++) out[row + j] = 0
    }
  }
}
