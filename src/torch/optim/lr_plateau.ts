/**
 * `ReduceLROnPlateau` (cut the learning rate when a metric stops improving), `SequentialLR`
 * (one scheduler after another at milestones) and `ChainedScheduler` (several at once).
 *
 * @category torch
 * @since 0.2.0
 */
import { TorchTypeError, TorchValueError } from '../errors'
import { isKwargs, leadingKeywords, type PyArgs } from '../kwargs'
import { pyClass } from '../nn/pyclass'
import type { Tensor } from '../tensor'
import { warn } from '../warnings'
import {
  EPOCH_DEPRECATION_WARNING,
  groupsOf,
  LRScheduler,
  type AnyOptimizer,
  schedulerArgs,
  type SchedulerStateDict,
} from './lr_scheduler'
import { constructingVerbose, printReduction, type DeprecatedVerbose, verboseAround } from './lr_verbose'
import { parseOptions } from './options'

// -------------------------------------------------------------------------------------
// ReduceLROnPlateau
// -------------------------------------------------------------------------------------

/** ReduceLROnPlateau's keyword arguments. @category torch @since 0.2.0 */
export interface ReduceLROnPlateauKw {
  readonly mode?: 'min' | 'max'
  readonly factor?: number
  readonly patience?: number
  readonly threshold?: number
  readonly threshold_mode?: 'rel' | 'abs'
  readonly cooldown?: number
  readonly min_lr?: number | ReadonlyArray<number>
  readonly eps?: number
  readonly verbose?: DeprecatedVerbose
}

/** See {@link ReduceLROnPlateau}. */
class ReduceLROnPlateauImpl {
  readonly optimizer: AnyOptimizer
  readonly mode: 'min' | 'max'
  readonly factor: number
  readonly patience: number
  readonly threshold: number
  readonly threshold_mode: 'rel' | 'abs'
  readonly cooldown: number
  readonly min_lrs: number[]
  readonly eps: number
  best: number
  num_bad_epochs = 0
  cooldown_counter = 0
  last_epoch = 0
  /** Whether each reduction is printed (the deprecated `verbose` keyword). */
  verbose: boolean = constructingVerbose()
  /** @internal */ _last_lr: number[]
  constructor(optimizer: AnyOptimizer, ...rest: PyArgs<[mode: 'min' | 'max', factor: number], ReduceLROnPlateauKw>) {
    const o = parseOptions('ReduceLROnPlateau.__init__', rest, {
      mode: 'min' as string,
      factor: 0.1,
      patience: 10,
      threshold: 1e-4,
      threshold_mode: 'rel' as string,
      cooldown: 0,
      min_lr: 0 as number | ReadonlyArray<number>,
      eps: 1e-8,
    })
    if (o.factor >= 1) throw new TorchValueError('Factor should be < 1.0.')
    const n = optimizer.param_groups.length
    if (typeof o.min_lr !== 'number' && o.min_lr.length !== n)
      throw new TorchValueError(`expected ${n} min_lrs, got ${o.min_lr.length}`)
    if (o.mode !== 'min' && o.mode !== 'max') throw new TorchValueError(`mode ${o.mode} is unknown!`)
    if (o.threshold_mode !== 'rel' && o.threshold_mode !== 'abs')
      throw new TorchValueError(`threshold mode ${o.threshold_mode} is unknown!`)
    this.optimizer = optimizer
    this.min_lrs = typeof o.min_lr === 'number' ? Array<number>(n).fill(o.min_lr) : [...o.min_lr]
    this.mode = o.mode
    this.factor = o.factor
    this.patience = o.patience
    this.threshold = o.threshold
    this.threshold_mode = o.threshold_mode
    this.cooldown = o.cooldown
    this.eps = o.eps
    this.best = o.mode === 'min' ? Infinity : -Infinity
    this._last_lr = groupsOf(optimizer).map((g) => g.lr)
  }

  /** True while cooling down after a reduction. */
  get in_cooldown(): boolean {
    return this.cooldown_counter > 0
  }

  /** Whether `a` improves on `best` by more than the threshold. */
  is_better(a: number, best: number): boolean {
    const t = this.threshold
    if (this.mode === 'min') return this.threshold_mode === 'rel' ? a < best * (1 - t) : a < best - t
    return this.threshold_mode === 'rel' ? a > best * (t + 1) : a > best + t
  }

  /** Records `metrics` (a number or a one-element tensor) and reduces the rates after `patience` bad epochs. */
  step(metrics: number | Tensor, epoch?: number): void {
    const current = typeof metrics === 'number' ? metrics : (metrics.item() as number)
    if (epoch === undefined) this.last_epoch += 1
    else {
      warn(EPOCH_DEPRECATION_WARNING)
      this.last_epoch = epoch
    }
    if (this.is_better(current, this.best)) {
      this.best = current
      this.num_bad_epochs = 0
    } else this.num_bad_epochs += 1
    if (this.in_cooldown) {
      this.cooldown_counter -= 1
      this.num_bad_epochs = 0
    }
    if (this.num_bad_epochs > this.patience) {
      groupsOf(this.optimizer).forEach((g, i) => {
        const next = Math.max(g.lr * this.factor, this.min_lrs[i] as number)
        if (g.lr - next > this.eps) {
          g.lr = next
          if (this.verbose) printReduction(this.last_epoch, i, next)
        }
      })
      this.cooldown_counter = this.cooldown
      this.num_bad_epochs = 0
    }
    this._last_lr = groupsOf(this.optimizer).map((g) => g.lr)
  }

  /** The learning rates after the last step. */
  get_last_lr(): number[] {
    return [...this._last_lr]
  }

  /** Every attribute except the optimizer. */
  state_dict(): SchedulerStateDict {
    return Object.fromEntries(Object.entries(this).filter(([k]) => k !== 'optimizer'))
  }

  /** Restores attributes saved by `state_dict`. */
  load_state_dict(state_dict: SchedulerStateDict): void {
    Object.assign(this, state_dict)
  }
}
/**
 * Multiplies the learning rate by `factor` once the metric passed to `step(metric)` has not
 * improved (by `threshold`, `rel` or `abs`) for more than `patience` steps, then waits `cooldown`
 * steps; never below `min_lr`.
 * @example
 * import * as torch from 'wengert/torch'
 * const opt = torch.optim.SGD([torch.zeros(1, { requires_grad: true })], { lr: 1 })
 * const s = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, { patience: 1 })
 * for (const loss of [1, 1, 1]) s.step(loss)
 * assert.deepStrictEqual(s.get_last_lr(), [0.1])
 * @category torch @since 0.2.0
 */
export const ReduceLROnPlateau = pyClass(
  ReduceLROnPlateauImpl,
  'ReduceLROnPlateau',
  schedulerArgs('ReduceLROnPlateau'),
  verboseAround,
)
/** A `ReduceLROnPlateau` instance. @category torch @since 0.2.0 */
export type ReduceLROnPlateau = ReduceLROnPlateauImpl

// -------------------------------------------------------------------------------------
// SequentialLR, ChainedScheduler
// -------------------------------------------------------------------------------------

/**
 * `SequentialLR(optimizer, schedulers, milestones, last_epoch)` by position or keyword; any other
 * keyword but `verbose` (verboseAround's) is Python's TypeError.
 */
const SEQUENTIAL_PARAMS = ['optimizer', 'schedulers', 'milestones', 'last_epoch']
const sequentialArgs = (args: ReadonlyArray<unknown>): unknown[] => {
  const out = leadingKeywords('SequentialLR.__init__', SEQUENTIAL_PARAMS)(args)
  const last = out[out.length - 1]
  const keys = isKwargs(last) ? Object.keys(last) : []
  const extra = keys.find((k) => k !== 'verbose' && !SEQUENTIAL_PARAMS.includes(k))
  if (extra !== undefined)
    throw new TorchTypeError(`SequentialLR.__init__() got an unexpected keyword argument '${extra}'`)
  // a parameter left as a keyword: one before it (the first not given) is missing
  if (keys.some((k) => SEQUENTIAL_PARAMS.includes(k))) {
    const given = out.length - 1
    throw new TorchTypeError(
      `SequentialLR.__init__() missing 1 required positional argument: '${SEQUENTIAL_PARAMS[given] ?? ''}'`,
    )
  }
  return out
}

/** See {@link SequentialLR}. */
class SequentialLRImpl {
  readonly optimizer: AnyOptimizer
  readonly _schedulers: LRScheduler[]
  readonly _milestones: number[]
  last_epoch: number
  /** @internal */ _last_lr: number[]
  constructor(
    optimizer: AnyOptimizer,
    schedulers: ReadonlyArray<LRScheduler>,
    milestones: ReadonlyArray<number>,
    last_epoch = -1,
  ) {
    if (schedulers.length < 1)
      throw new TorchValueError('SequentialLR expects at least one scheduler, but got no scheduler.')
    schedulers.forEach((s, i) => {
      if (s.optimizer !== optimizer)
        throw new TorchValueError(
          `Sequential Schedulers expects all schedulers to belong to the same optimizer, but got schedulers at index ${i} to be different than the optimizer passed in.`,
        )
    })
    if (milestones.length !== schedulers.length - 1)
      throw new TorchValueError(
        `Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers ${schedulers.length} and the number of milestones to be equal to ${milestones.length}`,
      )
    this.optimizer = optimizer
    this._schedulers = [...schedulers]
    this._milestones = [...milestones]
    this.last_epoch = last_epoch + 1
    // undo the schedulers' own first steps, then let only the first one start
    for (const g of groupsOf(optimizer)) g.lr = g.initial_lr as number
    for (const s of this._schedulers) s.last_epoch -= 1
    ;(this._schedulers[0] as LRScheduler)._initial_step()
    this._last_lr = (this._schedulers[0] as LRScheduler).get_last_lr()
  }

  /** Steps the scheduler whose milestone range holds the new epoch (restarting it at its milestone). */
  step(): void {
    this.last_epoch += 1
    const idx = this._milestones.filter((m) => m <= this.last_epoch).length
    const s = this._schedulers[idx] as LRScheduler
    if (idx > 0 && this._milestones[idx - 1] === this.last_epoch) {
      // PyTorch calls scheduler.step(0) here (and warns about the epoch argument); same update, no warning
      s._step_count += 1
      s._apply(s._stepTo(0), 0)
    } else s.step()
    this._last_lr = s.get_last_lr()
  }

  get_last_lr(): number[] {
    return [...this._last_lr]
  }

  /** The milestones and epoch, and each scheduler's state. */
  state_dict(): SchedulerStateDict {
    return {
      _milestones: [...this._milestones],
      last_epoch: this.last_epoch,
      _last_lr: [...this._last_lr],
      _schedulers: this._schedulers.map((s) => s.state_dict()),
    }
  }

  load_state_dict(state_dict: SchedulerStateDict): void {
    const subs = state_dict._schedulers as SchedulerStateDict[]
    this.last_epoch = state_dict.last_epoch as number
    this._last_lr = [...(state_dict._last_lr as number[])]
    subs.forEach((sd, i) => this._schedulers[i]?.load_state_dict(sd))
  }
}
/**
 * Runs `schedulers[0]` until `milestones[0]`, then `schedulers[1]` (restarted at its milestone),
 * and so on.
 * @example
 * import * as torch from 'wengert/torch'
 * const { SequentialLR, ConstantLR, ExponentialLR } = torch.optim.lr_scheduler
 * const opt = torch.optim.SGD([torch.zeros(1, { requires_grad: true })], { lr: 1 })
 * const s = SequentialLR(opt, [ConstantLR(opt, { factor: 0.1, total_iters: 2 }), ExponentialLR(opt, 0.5)], [2])
 * const lrs = [s.get_last_lr()[0], ...[0, 1, 2].map(() => (opt.step(), s.step(), s.get_last_lr()[0]))]
 * assert.deepStrictEqual(lrs, [0.1, 0.1, 1, 0.5])
 * @category torch @since 0.2.0
 */
export const SequentialLR = pyClass(SequentialLRImpl, 'SequentialLR', sequentialArgs, verboseAround)
/** A `SequentialLR` instance. @category torch @since 0.2.0 */
export type SequentialLR = SequentialLRImpl

/** See {@link ChainedScheduler}. */
class ChainedSchedulerImpl {
  readonly optimizer: AnyOptimizer
  readonly _schedulers: LRScheduler[]
  /** @internal */ _last_lr: number[]
  constructor(schedulers: ReadonlyArray<LRScheduler>, optimizer?: AnyOptimizer) {
    if (schedulers.length < 1)
      throw new TorchValueError('ChainedScheduler expects at least one scheduler to be chained, but got no scheduler.')
    const opt = optimizer ?? (schedulers[0] as LRScheduler).optimizer
    schedulers.forEach((s, i) => {
      if (s.optimizer !== opt)
        throw new TorchValueError(
          `ChainedScheduler expects all schedulers to belong to the same optimizer, but got scheduler ${s.constructor.name} at index ${i} has ${s.optimizer.constructor.name}, which is different from ${opt.constructor.name}.`,
        )
    })
    this.optimizer = opt
    this._schedulers = [...schedulers]
    this._last_lr = groupsOf(opt).map((g) => g.lr)
  }

  /** Steps every scheduler, in order. */
  step(): void {
    for (const s of this._schedulers) s.step()
    this._last_lr = groupsOf(this.optimizer).map((g) => g.lr)
  }

  get_last_lr(): number[] {
    return [...this._last_lr]
  }

  state_dict(): SchedulerStateDict {
    return { _last_lr: [...this._last_lr], _schedulers: this._schedulers.map((s) => s.state_dict()) }
  }

  load_state_dict(state_dict: SchedulerStateDict): void {
    this._last_lr = [...(state_dict._last_lr as number[])]
    ;(state_dict._schedulers as SchedulerStateDict[]).forEach((sd, i) => this._schedulers[i]?.load_state_dict(sd))
  }
}
/**
 * Steps several schedulers together, so their factors multiply.
 * @example
 * import * as torch from 'wengert/torch'
 * const { ChainedScheduler, ConstantLR, ExponentialLR } = torch.optim.lr_scheduler
 * const opt = torch.optim.SGD([torch.zeros(1, { requires_grad: true })], { lr: 1 })
 * const s = ChainedScheduler([ConstantLR(opt, { factor: 0.5, total_iters: 1 }), ExponentialLR(opt, 0.5)])
 * opt.step(); s.step()
 * assert.deepStrictEqual(s.get_last_lr(), [0.5])
 * @category torch @since 0.2.0
 */
export const ChainedScheduler = pyClass(ChainedSchedulerImpl, 'ChainedScheduler')
/** A `ChainedScheduler` instance. @category torch @since 0.2.0 */
export type ChainedScheduler = ChainedSchedulerImpl
