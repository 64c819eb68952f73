/**
 * The strong-Wolfe line search of `torch.optim.LBFGS` (bracketing, then zooming with cubic
 * interpolation), on plain float64 vectors.
 *
 * @category torch
 * @since 0.2.0
 */

/** A flat float64 vector. */
export type Vec = number[]

/** Loss and gradient at `x + t·d`. */
export type DirectionalObjective<X> = (x: X, t: number, d: Vec) => [number, Vec]

/** Result of the line search: the accepted step `t`, its loss and gradient, and the evaluations used. */
export interface LineSearchResult {
  readonly f: number
  readonly g: Vec
  readonly t: number
  readonly evals: number
}

const dot = (a: Vec, b: Vec): number => a.reduce((s, v, i) => s + v * (b[i] as number), 0)

/**
 * The minimiser of the cubic through (x1, f1, g1) and (x2, f2, g2), clamped to `bounds` (default:
 * the interval between x1 and x2); the midpoint when the cubic has no minimum.
 */
export const cubicInterpolate = (
  x1: number,
  f1: number,
  g1: number,
  x2: number,
  f2: number,
  g2: number,
  bounds?: readonly [number, number],
): number => {
  const [lo, hi] = bounds ?? (x1 <= x2 ? [x1, x2] : [x2, x1])
  const d1 = g1 + g2 - (3 * (f1 - f2)) / (x1 - x2)
  const d2sq = d1 * d1 - g1 * g2
  if (d2sq < 0) return (lo + hi) / 2
  const d2 = Math.sqrt(d2sq)
  const m =
    x1 <= x2
      ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
      : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
  return Math.min(Math.max(m, lo), hi)
}

/** One bracket end: step, loss, gradient, directional derivative. */
interface Point {
  t: number
  f: number
  g: Vec
  gtd: number
}

/**
 * Strong-Wolfe line search along `d` from `x` (loss `f`, gradient `g`, slope `gtd`), starting at
 * step `t`: sufficient decrease `c1 = 1e-4`, curvature `c2 = 0.9`, at most 25 evaluations.
 */
export const strongWolfe = <X>(
  obj: DirectionalObjective<X>,
  x: X,
  t0: number,
  d: Vec,
  f: number,
  g: Vec,
  gtd: number,
  tolChange = 1e-9,
  c1 = 1e-4,
  c2 = 0.9,
  maxLs = 25,
): LineSearchResult => {
  const dNorm = d.reduce((m, v) => Math.max(m, Math.abs(v)), 0)
  let t = t0
  let [fNew, gNew] = obj(x, t, d)
  let evals = 1
  let gtdNew = dot(gNew, d)
  let prev: Point = { t: 0, f, g: [...g], gtd }
  let bracket: Point[] | undefined
  let done = false
  let iter = 0
  // phase 1: find an interval containing a point that satisfies the conditions
  while (iter < maxLs) {
    const cur: Point = { t, f: fNew, g: gNew, gtd: gtdNew }
    if (fNew > f + c1 * t * gtd || (iter > 1 && fNew >= prev.f)) {
      bracket = [prev, cur]
      break
    }
    if (Math.abs(gtdNew) <= -c2 * gtd) {
      bracket = [cur]
      done = true
      break
    }
    if (gtdNew >= 0) {
      bracket = [prev, cur]
      break
    }
    const tNext = cubicInterpolate(prev.t, prev.f, prev.gtd, t, fNew, gtdNew, [t + 0.01 * (t - prev.t), t * 10])
    prev = cur
    t = tNext
    ;[fNew, gNew] = obj(x, t, d)
    evals += 1
    gtdNew = dot(gNew, d)
    iter += 1
  }
  if (iter === maxLs || bracket === undefined)
    bracket = [
      { t: 0, f, g, gtd },
      { t, f: fNew, g: gNew, gtd: gtdNew },
    ]
  // phase 2: zoom into the bracket
  let insufProgress = false
  let [low, high] = (bracket[0] as Point).f <= (bracket[bracket.length - 1] as Point).f ? [0, 1] : [1, 0]
  while (!done && iter < maxLs && bracket.length === 2) {
    const [b0, b1] = bracket as [Point, Point]
    if (Math.abs(b1.t - b0.t) * dNorm < tolChange) break
    t = cubicInterpolate(b0.t, b0.f, b0.gtd, b1.t, b1.f, b1.gtd)
    const bMax = Math.max(b0.t, b1.t)
    const bMin = Math.min(b0.t, b1.t)
    const eps = 0.1 * (bMax - bMin)
    if (Math.min(bMax - t, t - bMin) < eps) {
      // too close to an end: move away from it unless progress was fine last time
      if (insufProgress || t >= bMax || t <= bMin) {
        t = Math.abs(t - bMax) < Math.abs(t - bMin) ? bMax - eps : bMin + eps
        insufProgress = false
      } else insufProgress = true
    } else insufProgress = false
    ;[fNew, gNew] = obj(x, t, d)
    evals += 1
    gtdNew = dot(gNew, d)
    iter += 1
    const cur: Point = { t, f: fNew, g: gNew, gtd: gtdNew }
    const lowP = bracket[low] as Point
    if (fNew > f + c1 * t * gtd || fNew >= lowP.f) {
      bracket[high] = cur
      ;[low, high] = (bracket[0] as Point).f <= (bracket[1] as Point).f ? [0, 1] : [1, 0]
    } else {
      if (Math.abs(gtdNew) <= -c2 * gtd) done = true
      else if (gtdNew * ((bracket[high] as Point).t - lowP.t) >= 0) bracket[high] = lowP
      bracket[low] = cur
    }
  }
  const best = bracket[bracket.length === 1 ? 0 : low] as Point
  return { f: best.f, g: best.g, t: best.t, evals }
}
