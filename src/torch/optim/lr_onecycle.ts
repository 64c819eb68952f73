/**
 * `OneCycleLR`: the 1cycle policy (warm up to `max_lr`, anneal far below the start), with the
 * momentum (or Adam's β₁) moving the opposite way.
 *
 * @category torch
 * @since 0.2.0
 */
import { TorchValueError } from '../errors'
import type { PyArgs } from '../kwargs'
import { pyClass } from '../nn/pyclass'
import { groupsOf, LRScheduler, required, type AnyOptimizer, schedulerArgs } from './lr_scheduler'
import { type DeprecatedVerbose, verboseAround } from './lr_verbose'
import { parseOptions } from './options'

/** OneCycleLR's keyword arguments. @category torch @since 0.2.0 */
export interface OneCycleLRKw {
  readonly max_lr?: number | ReadonlyArray<number>
  readonly total_steps?: number | null
  readonly epochs?: number | null
  readonly steps_per_epoch?: number | null
  readonly pct_start?: number
  readonly anneal_strategy?: 'cos' | 'linear'
  readonly cycle_momentum?: boolean
  readonly base_momentum?: number | ReadonlyArray<number>
  readonly max_momentum?: number | ReadonlyArray<number>
  readonly div_factor?: number
  readonly final_div_factor?: number
  readonly three_phase?: boolean
  readonly last_epoch?: number
  readonly verbose?: DeprecatedVerbose
}

/** One phase: the step it ends at and the group keys it goes from and to. */
interface Phase {
  readonly end_step: number
  readonly start_lr: string
  readonly end_lr: string
  readonly start_momentum: string
  readonly end_momentum: string
}

const positiveInt = (name: string, v: number | null | undefined): number => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0)
    throw new TorchValueError(`Expected positive integer ${name}, but got ${String(v)}`)
  return v
}

const totalSteps = (o: {
  total_steps: number | null
  epochs: number | null
  steps_per_epoch: number | null
}): number => {
  if (o.total_steps !== null) return positiveInt('total_steps', o.total_steps)
  if (o.epochs === null || o.steps_per_epoch === null)
    throw new TorchValueError('You must define either total_steps OR (epochs AND steps_per_epoch)')
  return positiveInt('epochs', o.epochs) * positiveInt('steps_per_epoch', o.steps_per_epoch)
}

const phasesOf = (total: number, pct: number, threePhase: boolean): Phase[] => {
  const p = (end_step: number, a: string, b: string, ma: string, mb: string): Phase => ({
    end_step,
    start_lr: a,
    end_lr: b,
    start_momentum: ma,
    end_momentum: mb,
  })
  if (threePhase)
    return [
      p(pct * total - 1, 'initial_lr', 'max_lr', 'max_momentum', 'base_momentum'),
      p(2 * pct * total - 2, 'max_lr', 'initial_lr', 'base_momentum', 'max_momentum'),
      p(total - 1, 'initial_lr', 'min_lr', 'max_momentum', 'max_momentum'),
    ]
  return [
    p(pct * total - 1, 'initial_lr', 'max_lr', 'max_momentum', 'base_momentum'),
    p(total - 1, 'max_lr', 'min_lr', 'base_momentum', 'max_momentum'),
  ]
}

/** See {@link OneCycleLR}. */
class OneCycleLRImpl extends LRScheduler {
  readonly total_steps: number
  readonly anneal_strategy: 'cos' | 'linear'
  readonly cycle_momentum: boolean
  readonly use_beta1: boolean
  private readonly _phases: Phase[]
  constructor(optimizer: AnyOptimizer, ...rest: PyArgs<[max_lr: number | ReadonlyArray<number>], OneCycleLRKw>) {
    const o = parseOptions('OneCycleLR.__init__', rest, {
      max_lr: undefined as number | ReadonlyArray<number> | undefined,
      total_steps: null as number | null,
      epochs: null as number | null,
      steps_per_epoch: null as number | null,
      pct_start: 0.3,
      anneal_strategy: 'cos' as string,
      cycle_momentum: true,
      base_momentum: 0.85 as number | ReadonlyArray<number>,
      max_momentum: 0.95 as number | ReadonlyArray<number>,
      div_factor: 25,
      final_div_factor: 1e4,
      three_phase: false,
      last_epoch: -1,
    })
    const total = totalSteps(o)
    if (!(o.pct_start >= 0 && o.pct_start <= 1))
      throw new TorchValueError(`Expected float between 0 and 1 pct_start, but got ${o.pct_start}`)
    if (o.anneal_strategy !== 'cos' && o.anneal_strategy !== 'linear')
      throw new TorchValueError(`anneal_strategy must by one of 'cos' or 'linear', instead got ${o.anneal_strategy}`)
    const groups = groupsOf(optimizer)
    const each = (name: string, v: number | ReadonlyArray<number>): number[] => {
      if (typeof v === 'number') return groups.map(() => v)
      if (v.length !== groups.length)
        throw new TorchValueError(`expected ${groups.length} values for ${name}, got ${v.length}`)
      return [...v]
    }
    const maxLrs = each('max_lr', required('OneCycleLR.__init__', 'max_lr', o.max_lr))
    if (o.last_epoch === -1)
      groups.forEach((g, i) => {
        g.initial_lr = (maxLrs[i] as number) / o.div_factor
        g.max_lr = maxLrs[i]
        g.min_lr = (g.initial_lr as number) / o.final_div_factor
      })
    const d = optimizer.defaults as Record<string, unknown>
    const useBeta1 = 'betas' in d
    if (o.cycle_momentum) {
      if (!('momentum' in d) && !useBeta1)
        throw new TorchValueError('optimizer must support momentum or beta1 with `cycle_momentum` option enabled')
      if (o.last_epoch === -1) {
        const [lo, hi] = [each('base_momentum', o.base_momentum), each('max_momentum', o.max_momentum)]
        groups.forEach((g, i) => {
          if (useBeta1) g.betas = [hi[i] as number, (g.betas as readonly [number, number])[1]]
          else g.momentum = hi[i]
          g.max_momentum = hi[i]
          g.base_momentum = lo[i]
        })
      }
    }
    super(optimizer, o.last_epoch)
    this.total_steps = total
    this.anneal_strategy = o.anneal_strategy
    this.cycle_momentum = o.cycle_momentum
    this.use_beta1 = useBeta1
    this._phases = phasesOf(total, o.pct_start, o.three_phase)
    this._initial_step()
  }

  private _anneal(start: number, end: number, pct: number): number {
    return this.anneal_strategy === 'cos'
      ? end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1)
      : (end - start) * pct + start
  }

  get_lr(): number[] {
    const t = this.last_epoch
    if (t > this.total_steps)
      throw new TorchValueError(`Tried to step ${t} times. The specified number of total steps is ${this.total_steps}`)
    return groupsOf(this.optimizer).map((g) => {
      let start = 0
      for (let i = 0; i < this._phases.length; i++) {
        const ph = this._phases[i] as Phase
        if (t <= ph.end_step || i === this._phases.length - 1) {
          const pct = (t - start) / (ph.end_step - start)
          if (this.cycle_momentum) {
            const m = this._anneal(g[ph.start_momentum] as number, g[ph.end_momentum] as number, pct)
            if (this.use_beta1) g.betas = [m, (g.betas as readonly [number, number])[1]]
            else g.momentum = m
          }
          return this._anneal(g[ph.start_lr] as number, g[ph.end_lr] as number, pct)
        }
        start = ph.end_step
      }
      return g.lr
    })
  }
}
/**
 * The 1cycle policy over `total_steps` (or `epochs · steps_per_epoch`): from `max_lr/div_factor`
 * up to `max_lr` during `pct_start` of the steps, then down to `initial_lr/final_div_factor`
 * (cosine or linear; `three_phase` adds a symmetric descent first).
 * @example
 * import * as torch from 'wengert/torch'
 * const opt = torch.optim.SGD([torch.zeros(1, { requires_grad: true })], { lr: 1, momentum: 0.9 })
 * const s = torch.optim.lr_scheduler.OneCycleLR(opt, 1, { total_steps: 10 })
 * assert.ok(Math.abs(s.get_last_lr()[0]! - 0.04) < 1e-12)
 * @category torch @since 0.2.0
 */
export const OneCycleLR = pyClass(OneCycleLRImpl, 'OneCycleLR', schedulerArgs('OneCycleLR'), verboseAround)
/** A `OneCycleLR` instance. @category torch @since 0.2.0 */
export type OneCycleLR = OneCycleLRImpl
