/**
 * `CosineAnnealingWarmRestarts`, `CyclicLR` and `OneCycleLR`: schedules that cycle the learning
 * rate (and, for the last two, the momentum or Adam's β₁ in the opposite direction).
 *
 * @category torch
 * @since 0.2.0
 */
import { TorchValueError } from '../errors'
import type { PyArgs } from '../kwargs'
import { pyClass } from '../nn/pyclass'
import { groupsOf, LRScheduler, required, type AnyOptimizer, type LRGroup, schedulerArgs } from './lr_scheduler'
import { type DeprecatedVerbose, verboseAround } from './lr_verbose'
import { parseOptions } from './options'

/** Reads or writes a group's momentum: `momentum`, or β₁ of `betas`. */
const momentumIO = (name: string, o: AnyOptimizer): ((g: LRGroup, m?: number) => number) => {
  const d = o.defaults as Record<string, unknown>
  if (!('momentum' in d) && !('betas' in d))
    throw new TorchValueError('optimizer must support momentum or beta1 with `cycle_momentum` option enabled')
  void name
  if ('betas' in d)
    return (g, m) => {
      const b = g.betas as readonly [number, number]
      if (m !== undefined) g.betas = [m, b[1]]
      return (g.betas as readonly [number, number])[0]
    }
  return (g, m) => {
    if (m !== undefined) g.momentum = m
    return g.momentum as number
  }
}

/** One value per group from a number or a list (PyTorch's `_format_param`). */
const perGroup = (name: string, o: AnyOptimizer, v: number | ReadonlyArray<number>): number[] => {
  const n = o.param_groups.length
  if (typeof v === 'number') return Array<number>(n).fill(v)
  if (v.length !== n) throw new TorchValueError(`expected ${n} values for ${name}, got ${v.length}`)
  return [...v]
}

// -------------------------------------------------------------------------------------
// CosineAnnealingWarmRestarts
// -------------------------------------------------------------------------------------

/** See {@link CosineAnnealingWarmRestarts}. */
class CosineAnnealingWarmRestartsImpl extends LRScheduler {
  readonly T_0: number
  readonly T_mult: number
  readonly eta_min: number
  /** Length of the current cycle. */
  T_i: number
  /** Steps since the last restart. */
  T_cur: number
  constructor(
    optimizer: AnyOptimizer,
    ...rest: PyArgs<
      [T_0: number, T_mult: number, eta_min: number, last_epoch: number],
      {
        readonly T_0?: number
        readonly T_mult?: number
        readonly eta_min?: number
        readonly last_epoch?: number
        readonly verbose?: DeprecatedVerbose
      }
    >
  ) {
    const o = parseOptions('CosineAnnealingWarmRestarts.__init__', rest, {
      T_0: undefined as number | undefined,
      T_mult: 1,
      eta_min: 0,
      last_epoch: -1,
    })
    const T0 = required('CosineAnnealingWarmRestarts.__init__', 'T_0', o.T_0)
    if (!Number.isInteger(T0) || T0 <= 0) throw new TorchValueError(`Expected positive integer T_0, but got ${T0}`)
    if (!Number.isInteger(o.T_mult) || o.T_mult < 1)
      throw new TorchValueError(`Expected integer T_mult >= 1, but got ${o.T_mult}`)
    super(optimizer, o.last_epoch)
    this.T_0 = T0
    this.T_i = T0
    this.T_mult = o.T_mult
    this.eta_min = o.eta_min
    this.T_cur = o.last_epoch
    this._initial_step()
  }
  get_lr(): number[] {
    const c = (1 + Math.cos((Math.PI * this.T_cur) / this.T_i)) / 2
    return this.base_lrs.map((b) => this.eta_min + (b - this.eta_min) * c)
  }
  /** Advances one step, or sets the (possibly fractional) `epoch` directly, as PyTorch's. */
  override step(epoch?: number | null): void {
    this._step_count += 1
    let e = epoch ?? undefined
    if (e === undefined && this.last_epoch < 0) e = 0
    if (e === undefined) {
      e = this.last_epoch + 1
      this.T_cur += 1
      if (this.T_cur >= this.T_i) {
        this.T_cur -= this.T_i
        this.T_i *= this.T_mult
      }
    } else {
      if (e < 0) throw new TorchValueError(`Expected non-negative epoch, but got ${e}`)
      if (e >= this.T_0) {
        if (this.T_mult === 1) this.T_cur = e % this.T_0
        else {
          const n = Math.floor(Math.log((e / this.T_0) * (this.T_mult - 1) + 1) / Math.log(this.T_mult))
          this.T_cur = e - (this.T_0 * (this.T_mult ** n - 1)) / (this.T_mult - 1)
          this.T_i = this.T_0 * this.T_mult ** n
        }
      } else {
        this.T_i = this.T_0
        this.T_cur = e
      }
    }
    this.last_epoch = Math.floor(e)
    this._apply(this.get_lr(), e)
  }
}
/**
 * Cosine annealing restarted every `T_i` steps, `T_i` growing by `T_mult` after each restart
 * (SGDR). `step(epoch)` accepts fractional epochs.
 * @example
 * import * as torch from 'wengert/torch'
 * const opt = torch.optim.SGD([torch.zeros(1, { requires_grad: true })], { lr: 1 })
 * const s = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, 2)
 * const lrs = [0, 1].map(() => (opt.step(), s.step(), s.get_last_lr()[0]!))
 * assert.ok(Math.abs(lrs[0]! - 0.5) < 1e-12 && lrs[1] === 1)
 * @category torch @since 0.2.0
 */
export const CosineAnnealingWarmRestarts = pyClass(
  CosineAnnealingWarmRestartsImpl,
  'CosineAnnealingWarmRestarts',
  schedulerArgs('CosineAnnealingWarmRestarts'),
  verboseAround,
)
/** A `CosineAnnealingWarmRestarts` instance. @category torch @since 0.2.0 */
export type CosineAnnealingWarmRestarts = CosineAnnealingWarmRestartsImpl

// -------------------------------------------------------------------------------------
// CyclicLR
// -------------------------------------------------------------------------------------

/** CyclicLR's keyword arguments. @category torch @since 0.2.0 */
export interface CyclicLRKw {
  readonly base_lr?: number | ReadonlyArray<number>
  readonly max_lr?: number | ReadonlyArray<number>
  readonly step_size_up?: number
  readonly step_size_down?: number | null
  readonly mode?: 'triangular' | 'triangular2' | 'exp_range'
  readonly gamma?: number
  readonly scale_fn?: ((x: number) => number) | null
  readonly scale_mode?: 'cycle' | 'iterations'
  readonly cycle_momentum?: boolean
  readonly base_momentum?: number | ReadonlyArray<number>
  readonly max_momentum?: number | ReadonlyArray<number>
  readonly last_epoch?: number
  readonly verbose?: DeprecatedVerbose
}

/** See {@link CyclicLR}. */
class CyclicLRImpl extends LRScheduler {
  readonly max_lrs: number[]
  readonly total_size: number
  readonly step_ratio: number
  readonly mode: string
  readonly gamma: number
  readonly scale_mode: 'cycle' | 'iterations'
  readonly cycle_momentum: boolean
  readonly base_momentums: number[] = []
  readonly max_momentums: number[] = []
  private readonly _scale: (x: number) => number
  private readonly _momentum: ((g: LRGroup, m?: number) => number) | null = null
  constructor(
    optimizer: AnyOptimizer,
    ...rest: PyArgs<[base_lr: number | ReadonlyArray<number>, max_lr: number | ReadonlyArray<number>], CyclicLRKw>
  ) {
    const o = parseOptions('CyclicLR.__init__', rest, {
      base_lr: undefined as number | ReadonlyArray<number> | undefined,
      max_lr: undefined as number | ReadonlyArray<number> | undefined,
      step_size_up: 2000,
      step_size_down: null as number | null,
      mode: 'triangular' as string,
      gamma: 1.0,
      scale_fn: null as ((x: number) => number) | null,
      scale_mode: 'cycle' as 'cycle' | 'iterations',
      cycle_momentum: true,
      base_momentum: 0.8 as number | ReadonlyArray<number>,
      max_momentum: 0.9 as number | ReadonlyArray<number>,
      last_epoch: -1,
    })
    const baseLrs = perGroup('base_lr', optimizer, required('CyclicLR.__init__', 'base_lr', o.base_lr))
    if (o.last_epoch === -1) groupsOf(optimizer).forEach((g, i) => (g.lr = baseLrs[i] as number))
    const modes: Record<string, [(x: number) => number, 'cycle' | 'iterations']> = {
      triangular: [() => 1, 'cycle'],
      triangular2: [(x) => 1 / 2 ** (x - 1), 'cycle'],
      exp_range: [(x) => o.gamma ** x, 'iterations'],
    }
    const builtIn = modes[o.mode]
    if (builtIn === undefined && o.scale_fn === null) throw new TorchValueError('mode is invalid and scale_fn is None')
    const momentum = o.cycle_momentum ? momentumIO('CyclicLR', optimizer) : null
    super(optimizer, o.last_epoch)
    this.base_lrs = baseLrs
    this.max_lrs = perGroup('max_lr', optimizer, required('CyclicLR.__init__', 'max_lr', o.max_lr))
    const up = o.step_size_up
    const down = o.step_size_down ?? up
    this.total_size = up + down
    this.step_ratio = up / this.total_size
    this.mode = o.mode
    this.gamma = o.gamma
    this._scale = o.scale_fn ?? (builtIn as [(x: number) => number, 'cycle'])[0]
    this.scale_mode = o.scale_fn !== null ? o.scale_mode : (builtIn as [unknown, 'cycle' | 'iterations'])[1]
    this.cycle_momentum = o.cycle_momentum
    if (momentum !== null) {
      this._momentum = momentum
      this.base_momentums = perGroup('base_momentum', optimizer, o.base_momentum)
      this.max_momentums = perGroup('max_momentum', optimizer, o.max_momentum)
      if (o.last_epoch === -1) groupsOf(optimizer).forEach((g, i) => momentum(g, this.max_momentums[i] as number))
    }
    this._initial_step()
  }
  get_lr(): number[] {
    const t = this.last_epoch
    const cycle = Math.floor(1 + t / this.total_size)
    const x = 1 + t / this.total_size - cycle
    const factor = x <= this.step_ratio ? x / this.step_ratio : (x - 1) / (this.step_ratio - 1)
    const scale = this._scale(this.scale_mode === 'cycle' ? cycle : t)
    const lrs = this.base_lrs.map((b, i) => b + ((this.max_lrs[i] as number) - b) * factor * scale)
    if (this._momentum !== null) {
      const io = this._momentum
      groupsOf(this.optimizer).forEach((g, i) => {
        const [lo, hi] = [this.base_momentums[i] as number, this.max_momentums[i] as number]
        io(g, hi - (hi - lo) * factor * scale)
      })
    }
    return lrs
  }
}
/**
 * The cyclical learning rate policy: the rate goes from `base_lr` to `max_lr` in `step_size_up`
 * steps and back in `step_size_down`, scaled per `mode` (`triangular`, `triangular2`,
 * `exp_range`) or by `scale_fn`; momentum (or Adam's β₁) cycles the other way.
 * @example
 * import * as torch from 'wengert/torch'
 * const opt = torch.optim.SGD([torch.zeros(1, { requires_grad: true })], { lr: 1, momentum: 0.9 })
 * const s = torch.optim.lr_scheduler.CyclicLR(opt, 0, 1, { step_size_up: 2 })
 * const lrs = [0, 1, 2, 3].map(() => (opt.step(), s.step(), s.get_last_lr()[0]))
 * assert.deepStrictEqual(lrs, [0.5, 1, 0.5, 0])
 * @category torch @since 0.2.0
 */
export const CyclicLR = pyClass(CyclicLRImpl, 'CyclicLR', schedulerArgs('CyclicLR'), verboseAround)
/** A `CyclicLR` instance. @category torch @since 0.2.0 */
export type CyclicLR = CyclicLRImpl
