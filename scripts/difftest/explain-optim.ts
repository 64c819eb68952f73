/**
 * The rounding-noise class of optimizer differences (explain.ts): an adaptive optimizer (Adam,
 * AdamW, Adamax, RMSprop, Adagrad) divides each element's step by a running magnitude of that
 * element's own gradient, so an element whose gradient is rounding noise (a sum that cancels to
 * almost nothing: the two sides agree only within the difftest's absolute floor, not relatively)
 * moves by about ±lr whatever its size, and the two sides' parameters part. The optim programs
 * record every gradient that enters a step (gen-wide-nn.ts `recordGrads`; compare.ts does not
 * compare these records, STEP_GRADIENT); this classifier explains a `values @ .weight(<Optimizer>)`
 * difference only when those records prove it:
 *
 * - every gradient recorded before the difference agrees within the difftest tolerance (a
 *   gradient that does not is an upstream difference, left unexplained), and
 * - every differing element of the weight had, at some step before, a noise-dominated gradient:
 *   its two values differ relatively by more than the dtype's tolerance, so they agreed only
 *   through the absolute floor (rtol × the tensor's scale), i.e. it is tiny next to its tensor.
 *
 * docs/porting.md ("Checking the facade against PyTorch", NOISE_TITLE) documents it.
 */
import { RTOL, STEP_GRADIENT, asNumber, compareTensor, type Difference } from './compare'
import type { Event, Num, TensorInfo } from './record'

/** The optimizers whose per-element normalisation turns a gradient's relative noise into a step. */
const ADAPTIVE = new Set(['Adam', 'AdamW', 'Adamax', 'RMSprop', 'Adagrad'])

/** The bold title of the docs/porting.md paragraph this verdict cites. */
export const NOISE_TITLE = 'Adaptive optimizers amplify gradient rounding.'

/** Both runs of a program and the op of each statement id (what compareRuns saw). */
export interface Runs {
  readonly torch: ReadonlyArray<Event>
  readonly ours: ReadonlyArray<Event>
  readonly ops: ReadonlyMap<number, string>
}

type Rec = Extract<Event, { k: 'rec' }>

const KEY = /^values @ \.weight\((\w+)\)$/

const nums = (t: TensorInfo): number[] => (t?.values ?? []).map((x: Num) => asNumber(x))

/** Indices of the elements whose two values differ relatively by more than the dtype's tolerance. */
const noisy = (a: TensorInfo, b: TensorInfo): number[] => {
  const rho = RTOL[a?.dtype ?? ''] ?? Infinity
  const y = nums(b)
  return nums(a).flatMap((x, k) => {
    const z = y[k] as number
    return Number.isFinite(x) && Number.isFinite(z) && Math.abs(x - z) > rho * Math.max(Math.abs(x), Math.abs(z))
      ? [k]
      : []
  })
}

/** Indices of the elements outside the difftest tolerance (compare.ts's rule, element by element). */
const outside = (a: TensorInfo, b: TensorInfo): number[] => {
  const rtol = RTOL[a?.dtype ?? ''] ?? 0
  const x = nums(a)
  const y = nums(b)
  const scale = Math.max(1, ...x.map(Math.abs).filter(Number.isFinite))
  return x.flatMap((p, k) => {
    const q = y[k] as number
    return Math.abs(p - q) > rtol * (Math.max(Math.abs(p), Math.abs(q)) + scale) || Number.isNaN(p - q) ? [k] : []
  })
}

/**
 * The reason a `values @ .weight(<Optimizer>)` difference is an adaptive optimizer's amplified
 * gradient rounding, or null where the gradient records do not prove it.
 */
export const optimizerNoise = (d: Difference, runs: Runs | undefined): string | null => {
  const m = KEY.exec(d.key)
  if (m === null || runs === undefined || !ADAPTIVE.has(m[1] as string)) return null
  const grads: Array<readonly [Rec, Rec, boolean]> = []
  for (let k = 0; k < d.event; k++) {
    const a = runs.torch[k]
    const b = runs.ours[k]
    if (a?.k !== 'rec' || b?.k !== 'rec' || a.at === null) continue
    const op = runs.ops.get(a.at) ?? ''
    if (STEP_GRADIENT.test(op)) grads.push([a, b, op.startsWith('.weight.grad')])
  }
  // every gradient that entered a step agrees within the tolerance (a wrong gradient is not noise)
  if (grads.some(([a, b]) => compareTensor(a.t, b.t, false) !== null)) return null
  // each differing element of the weight had a noise-dominated gradient at some step
  const noise = grads.map(([a, b]) => noisy(a.t, b.t))
  const own = new Set(grads.flatMap(([, , w], j) => (w ? (noise[j] as number[]) : [])))
  const bad = outside((d.torch as Rec).t, (d.wengert as Rec).t)
  if (bad.length === 0 || bad.some((k) => !own.has(k))) return null
  return `${m[1]} normalises each element's step by its own gradient's magnitude: every gradient that entered a step agrees within the tolerance, but each differing weight element's gradient agreed only through the absolute floor (relatively further apart than the tolerance: rounding noise of a cancelling sum) at an earlier step, which the step turned into an up-to-±lr parameter difference (docs/porting.md, "${NOISE_TITLE}")`
}
