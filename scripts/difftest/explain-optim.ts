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
 * The same noise reaches a BatchNorm1d's running statistics (and its outputs) through the Linear
 * layer before it: {@link batchNormNoise} explains those differences channel by channel.
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

/** Differences a Linear → BatchNorm1d optim program shows first when the Linear's parameters part (its bias itself included). */
const BN_KEY = /^values @ (\.bias|\.running_mean|\.running_var|BatchNorm1d\(\)|BatchNorm1d\(eval\))$/

/**
 * The step gradients of a Linear → BatchNorm1d program before event `end`, one group per step:
 * the Linear weight's (`.weight.grad`), then, when the optimizer holds it, the Linear bias's (a
 * group of four: Linear weight and bias, BatchNorm weight and bias), and the BatchNorm's two.
 */
const linearGroups = (
  runs: Runs,
  end: number,
): Array<{ readonly w: [Rec, Rec]; readonly b: [Rec, Rec] | null; readonly norm: Array<[Rec, Rec]> }> => {
  const groups: Array<Array<[Rec, Rec]>> = []
  for (let k = 0; k < end; k++) {
    const a = runs.torch[k]
    const b = runs.ours[k]
    if (a?.k !== 'rec' || b?.k !== 'rec' || a.at === null) continue
    const op = runs.ops.get(a.at) ?? ''
    if (!STEP_GRADIENT.test(op)) continue
    if (op.startsWith('.weight.grad')) groups.push([])
    groups[groups.length - 1]?.push([a, b])
  }
  return groups.map((g) => ({
    w: g[0] as [Rec, Rec],
    b: g.length === 4 ? (g[1] as [Rec, Rec]) : null,
    norm: g.length >= 3 ? g.slice(-2) : [],
  }))
}

/**
 * The reason a BatchNorm1d running statistic or output differs through amplified gradient rounding
 * of the Linear before it, or null where the records do not prove it. Training BatchNorm1d removes
 * each channel's shift, so the Linear bias's gradient is exactly zero in exact arithmetic (both
 * sides' values are rounding), and an adaptive optimizer turns such values (or a Linear weight
 * row's noise-dominated gradient) into steps of up to ±lr that move that channel's batch mean and
 * spread: explained when every step gradient agrees within the tolerance and each differing
 * channel had a noise-dominated gradient in its Linear weight row or bias (for an output, also in
 * the BatchNorm's own weight or bias, e.g. a bias gradient that cancels) at an earlier step.
 */
export const batchNormNoise = (d: Difference, runs: Runs | undefined): string | null => {
  const m = BN_KEY.exec(d.key)
  if (m === null || runs === undefined) return null
  const steps: string[] = []
  for (let k = 0; k < d.event; k++) {
    const a = runs.torch[k]
    if (a?.k === 'rec' && a.at !== null) {
      const s = STEP_GRADIENT.exec(runs.ops.get(a.at) ?? '')
      if (s !== null) steps.push(s[2] as string)
      if (s !== null && compareTensor(a.t, (runs.ours[k] as Rec).t, false) !== null) return null
    }
  }
  const opt = steps[0]
  if (opt === undefined || !ADAPTIVE.has(opt)) return null
  const noisyChannels = new Set<number>()
  for (const g of linearGroups(runs, d.event)) {
    const cols = (g.w[0].t?.shape ?? [])[1] ?? 1
    for (const k of noisy(g.w[0].t, g.w[1].t)) noisyChannels.add(Math.floor(k / cols))
    if (g.b !== null) for (const k of noisy(g.b[0].t, g.b[1].t)) noisyChannels.add(k)
    // the BatchNorm's own weight and bias move its outputs, not its running statistics
    if (!(m[1] as string).startsWith('.running'))
      for (const [a, b] of g.norm) for (const k of noisy(a.t, b.t)) noisyChannels.add(k)
  }
  const t = (d.torch as Rec).t
  const channels = (t?.shape ?? []).length === 2 ? ((t?.shape ?? [])[1] as number) : Infinity
  const bad = outside(t, (d.wengert as Rec).t).map((k) => (channels === Infinity ? k : k % channels))
  if (bad.length === 0 || bad.some((k) => !noisyChannels.has(k))) return null
  return `${opt} normalises each element's step by its own gradient's magnitude: every gradient that entered a step agrees within the tolerance, but each differing channel of ${m[1]} had a noise-dominated gradient (relatively further apart than the tolerance; the Linear bias's is zero in exact arithmetic under a training BatchNorm1d) in the Linear weight row or bias feeding it at an earlier step, which the step turned into an up-to-±lr difference of that channel's inputs (docs/porting.md, "${NOISE_TITLE}")`
}
