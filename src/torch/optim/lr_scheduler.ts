/**
 * `torch.optim.lr_scheduler`: the `LRScheduler` base class and the multiplicative schedules
 * (`LambdaLR`, `MultiplicativeLR`, `StepLR`, `MultiStepLR`, `ConstantLR`, `LinearLR`,
 * `ExponentialLR`, `PolynomialLR`, `CosineAnnealingLR`), with PyTorch 2.x's chainable updates:
 * construction sets each group's `initial_lr` and takes step 0; each `step()` advances
 * `last_epoch` and rewrites every group's `lr`. Call `optimizer.step()` before
 * `scheduler.step()`; the other order emits PyTorch's warning.
 *
 * @category torch
 * @since 0.2.0
 */
import { KeyError, TorchTypeError, TorchValueError } from '../errors'
import { pyClass } from '../nn/pyclass'
import { warn } from '../warnings'
import { leadingKeywords, required, type PyArgs } from '../kwargs'
import { Optimizer } from './optimizer'
import { constructingVerbose, printLr, type DeprecatedVerbose, verboseAround } from './lr_verbose'
import { parseOptions } from './options'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Any optimizer a scheduler can drive. @category torch @since 0.2.0 */
export type AnyOptimizer = Optimizer<object, object>

/** A parameter group as schedulers see it: `lr` plus whatever else it holds. */
export type LRGroup = Record<string, unknown> & { lr: number }

/** The groups of an optimizer, as schedulers read and write them. */
export const groupsOf = (o: AnyOptimizer): LRGroup[] => o.param_groups as unknown as LRGroup[]

/** PyTorch's warning when `scheduler.step()` runs before any `optimizer.step()`. */
export const ORDER_WARNING =
  'Detected call of `lr_scheduler.step()` before `optimizer.step()`. In PyTorch 1.1.0 and later, you should call them in the opposite order: `optimizer.step()` before `lr_scheduler.step()`.  Failure to do this will result in PyTorch skipping the first value of the learning rate schedule. See more details at https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate'

/** PyTorch's warning when `scheduler.step(epoch)` is given an epoch. */
export const EPOCH_DEPRECATION_WARNING =
  'The epoch parameter in `scheduler.step()` was not necessary and is being deprecated where possible. Please use `scheduler.step()` to step the scheduler. During the deprecation, if epoch is different from None, the closed form is used instead of the new chainable form, where available. Please open an issue if you are unable to replicate your use case: https://github.com/pytorch/pytorch/issues/new/choose.'

/** A scheduler's `state_dict()`: its attributes except the optimizer (functions saved as null). @category torch @since 0.2.0 */
export type SchedulerStateDict = Record<string, unknown>

/**
 * Base class of the schedulers (PyTorch's `LRScheduler`). A subclass sets its fields, then calls
 * `this._initial_step()` at the end of its constructor, and implements `get_lr()` (the chainable
 * form, from the groups' current `lr`) and optionally `_get_closed_form_lr()`.
 * @category torch @since 0.2.0
 */
export abstract class LRScheduler {
  readonly optimizer: AnyOptimizer
  /** Each group's `initial_lr`. */
  base_lrs: number[]
  /** The index of the last step taken (−1 before the first). */
  last_epoch: number
  /** @internal */ _step_count = 0
  /** @internal */ _last_lr: number[] = []
  /** Whether each update is printed (the deprecated `verbose` keyword). */
  verbose: boolean = constructingVerbose()

  constructor(optimizer: AnyOptimizer, last_epoch = -1) {
    if (!(optimizer instanceof Optimizer))
      throw new TorchTypeError(
        `${(optimizer as object | null)?.constructor?.name ?? typeof optimizer} is not an Optimizer`,
      )
    this.optimizer = optimizer
    const groups = groupsOf(optimizer)
    if (last_epoch === -1) for (const g of groups) g.initial_lr ??= g.lr
    else
      groups.forEach((g, i) => {
        if (g.initial_lr === undefined)
          throw new KeyError(`param 'initial_lr' is not specified in param_groups[${i}] when resuming an optimizer`)
      })
    this.base_lrs = groups.map((g) => g.initial_lr as number)
    this.last_epoch = last_epoch
  }

  /** @internal Resets the step counters and takes the first step (end of every constructor). */
  _initial_step(): void {
    this.optimizer._step_count = 0
    this._step_count = 0
    this.step()
  }

  /** The learning rates of the next step, from the current ones (PyTorch's chainable form). */
  abstract get_lr(): number[]

  /** The learning rates at `last_epoch` from `base_lrs` alone (used when `step(epoch)` is given an epoch). */
  _get_closed_form_lr?(): number[]

  /** The learning rates set by the last step. */
  get_last_lr(): number[] {
    return [...this._last_lr]
  }

  /** Advances one step (or jumps to `epoch`, deprecated) and writes each group's `lr`. */
  step(epoch?: number | null): void {
    if (this._step_count === 1 && this.optimizer._step_count < 1) warn(ORDER_WARNING)
    this._step_count += 1
    let values: number[]
    if (epoch === undefined || epoch === null) {
      this.last_epoch += 1
      values = this.get_lr()
    } else {
      warn(EPOCH_DEPRECATION_WARNING)
      values = this._stepTo(epoch)
    }
    this._apply(values, epoch)
  }

  /** @internal Jumps to `epoch` without the deprecation warning (SequentialLR's restarts). */
  _stepTo(epoch: number): number[] {
    this.last_epoch = epoch
    return this._get_closed_form_lr?.() ?? this.get_lr()
  }

  /** @internal Writes `values` into the groups (printing them if verbose) and remembers them. */
  _apply(values: ReadonlyArray<number>, epoch?: number | null): void {
    const groups = groupsOf(this.optimizer)
    groups.forEach((g, i) => {
      g.lr = values[i] as number
      if (this.verbose) printLr(i, g.lr, epoch)
    })
    this._last_lr = groups.map((g) => g.lr)
  }

  /** Every attribute except the optimizer (functions become null, as PyTorch drops plain lambdas). */
  state_dict(): SchedulerStateDict {
    const out: SchedulerStateDict = {}
    for (const [k, v] of Object.entries(this)) {
      if (k === 'optimizer') continue
      out[k] =
        typeof v === 'function' ? null : Array.isArray(v) ? v.map((e) => (typeof e === 'function' ? null : e)) : v
    }
    return out
  }

  /** Restores attributes saved by `state_dict` (null functions keep the current ones). */
  load_state_dict(state_dict: SchedulerStateDict): void {
    const self = this as unknown as Record<string, unknown>
    for (const [k, v] of Object.entries(state_dict)) {
      if (v === null && typeof self[k] === 'function') continue
      if (Array.isArray(v) && v.some((e) => e === null) && Array.isArray(self[k])) continue
      self[k] = Array.isArray(v) ? [...(v as unknown[])] : v
    }
  }
}

/** A required scheduler argument, or Python's TypeError for a missing one. */
export { required }

/**
 * The argument rewrite of every scheduler class: `optimizer` may be given by keyword. (The
 * deprecated `verbose` keyword is taken off by `verboseAround`, see ./lr_verbose.)
 */
export const schedulerArgs = (name: string): ((args: ReadonlyArray<unknown>) => unknown[]) =>
  leadingKeywords(`${name}.__init__`, ['optimizer'])

/** The current `lr` of every group. */
const currentLrs = (s: LRScheduler): number[] => groupsOf(s.optimizer).map((g) => g.lr)

/** Python's `a % b` (the sign of b). */
export const pyMod = (a: number, b: number): number => ((a % b) + b) % b

// -------------------------------------------------------------------------------------
// LambdaLR, MultiplicativeLR
// -------------------------------------------------------------------------------------

/** A function of the epoch, or one per group. */
type Lambdas = ((epoch: number) => number) | ReadonlyArray<(epoch: number) => number>

const lambdasFor = (o: AnyOptimizer, f: Lambdas): Array<(epoch: number) => number> => {
  const n = o.param_groups.length
  if (typeof f === 'function') return Array.from({ length: n }, () => f)
  if (f.length !== n) throw new TorchValueError(`Expected ${n} lr_lambdas, but got ${f.length}`)
  return [...f]
}

/** See {@link LambdaLR}. */
class LambdaLRImpl extends LRScheduler {
  lr_lambdas: Array<(epoch: number) => number>
  constructor(
    optimizer: AnyOptimizer,
    ...rest: PyArgs<
      [lr_lambda: Lambdas, last_epoch: number],
      { readonly lr_lambda?: Lambdas; readonly last_epoch?: number; readonly verbose?: DeprecatedVerbose }
    >
  ) {
    const o = parseOptions('LambdaLR.__init__', rest, { lr_lambda: undefined as Lambdas | undefined, last_epoch: -1 })
    super(optimizer, o.last_epoch)
    this.lr_lambdas = lambdasFor(optimizer, required('LambdaLR.__init__', 'lr_lambda', o.lr_lambda))
    this._initial_step()
  }
  get_lr(): number[] {
    return this.base_lrs.map((b, i) => b * (this.lr_lambdas[i] as (e: number) => number)(this.last_epoch))
  }
}
/**
 * `lr = initial_lr · lr_lambda(epoch)` (one function, or one per group).
 * @example
 * import * as torch from 'wengert/torch'
 * const opt = torch.optim.SGD([torch.zeros(1, { requires_grad: true })], { lr: 1 })
 * const s = torch.optim.lr_scheduler.LambdaLR(opt, (e) => 1 / (e + 1))
 * opt.step(); s.step()
 * assert.deepStrictEqual(s.get_last_lr(), [0.5])
 * @category torch @since 0.2.0
 */
export const LambdaLR = pyClass(LambdaLRImpl, 'LambdaLR', schedulerArgs('LambdaLR'), verboseAround)
/** A `LambdaLR` instance. @category torch @since 0.2.0 */
export type LambdaLR = LambdaLRImpl

/** See {@link MultiplicativeLR}. */
class MultiplicativeLRImpl extends LRScheduler {
  lr_lambdas: Array<(epoch: number) => number>
  constructor(
    optimizer: AnyOptimizer,
    ...rest: PyArgs<
      [lr_lambda: Lambdas, last_epoch: number],
      { readonly lr_lambda?: Lambdas; readonly last_epoch?: number; readonly verbose?: DeprecatedVerbose }
    >
  ) {
    const o = parseOptions('MultiplicativeLR.__init__', rest, {
      lr_lambda: undefined as Lambdas | undefined,
      last_epoch: -1,
    })
    super(optimizer, o.last_epoch)
    this.lr_lambdas = lambdasFor(optimizer, required('MultiplicativeLR.__init__', 'lr_lambda', o.lr_lambda))
    this._initial_step()
  }
  get_lr(): number[] {
    const lrs = currentLrs(this)
    if (this.last_epoch <= 0) return lrs
    return lrs.map((lr, i) => lr * (this.lr_lambdas[i] as (e: number) => number)(this.last_epoch))
  }
}
/**
 * `lr ← lr · lr_lambda(epoch)` at every step after the first.
 * @example
 * import * as torch from 'wengert/torch'
 * const opt = torch.optim.SGD([torch.zeros(1, { requires_grad: true })], { lr: 1 })
 * const s = torch.optim.lr_scheduler.MultiplicativeLR(opt, () => 0.5)
 * opt.step(); s.step(); s.step()
 * assert.deepStrictEqual(s.get_last_lr(), [0.25])
 * @category torch @since 0.2.0
 */
export const MultiplicativeLR = pyClass(
  MultiplicativeLRImpl,
  'MultiplicativeLR',
  schedulerArgs('MultiplicativeLR'),
  verboseAround,
)
/** A `MultiplicativeLR` instance. @category torch @since 0.2.0 */
export type MultiplicativeLR = MultiplicativeLRImpl

// -------------------------------------------------------------------------------------
// StepLR, MultiStepLR, ExponentialLR
// -------------------------------------------------------------------------------------

/** See {@link StepLR}. */
class StepLRImpl extends LRScheduler {
  readonly step_size: number
  readonly gamma: number
  constructor(
    optimizer: AnyOptimizer,
    ...rest: PyArgs<
      [step_size: number, gamma: number, last_epoch: number],
      {
        readonly step_size?: number
        readonly gamma?: number
        readonly last_epoch?: number
        readonly verbose?: DeprecatedVerbose
      }
    >
  ) {
    const o = parseOptions('StepLR.__init__', rest, {
      step_size: undefined as number | undefined,
      gamma: 0.1,
      last_epoch: -1,
    })
    super(optimizer, o.last_epoch)
    this.step_size = required('StepLR.__init__', 'step_size', o.step_size)
    this.gamma = o.gamma
    this._initial_step()
  }
  get_lr(): number[] {
    const lrs = currentLrs(this)
    if (this.last_epoch === 0 || this.last_epoch % this.step_size !== 0) return lrs
    return lrs.map((lr) => lr * this.gamma)
  }
  override _get_closed_form_lr(): number[] {
    return this.base_lrs.map((b) => b * this.gamma ** Math.floor(this.last_epoch / this.step_size))
  }
}
/**
 * Multiplies the learning rate by `gamma` every `step_size` steps.
 * @example
 * import * as torch from 'wengert/torch'
 * const opt = torch.optim.SGD([torch.zeros(1, { requires_grad: true })], { lr: 1 })
 * const s = torch.optim.lr_scheduler.StepLR(opt, 2, 0.5)
 * const lrs = [0, 1, 2, 3].map(() => (opt.step(), s.step(), s.get_last_lr()[0]))
 * assert.deepStrictEqual(lrs, [1, 0.5, 0.5, 0.25])
 * @category torch @since 0.2.0
 */
export const StepLR = pyClass(StepLRImpl, 'StepLR', schedulerArgs('StepLR'), verboseAround)
/** A `StepLR` instance. @category torch @since 0.2.0 */
export type StepLR = StepLRImpl

/** See {@link MultiStepLR}. */
class MultiStepLRImpl extends LRScheduler {
  readonly milestones: number[]
  readonly gamma: number
  constructor(
    optimizer: AnyOptimizer,
    ...rest: PyArgs<
      [milestones: Iterable<number>, gamma: number, last_epoch: number],
      {
        readonly milestones?: Iterable<number>
        readonly gamma?: number
        readonly last_epoch?: number
        readonly verbose?: DeprecatedVerbose
      }
    >
  ) {
    const o = parseOptions('MultiStepLR.__init__', rest, {
      milestones: undefined as Iterable<number> | undefined,
      gamma: 0.1,
      last_epoch: -1,
    })
    super(optimizer, o.last_epoch)
    this.milestones = [...required('MultiStepLR.__init__', 'milestones', o.milestones)].sort((a, b) => a - b)
    this.gamma = o.gamma
    this._initial_step()
  }
  get_lr(): number[] {
    const count = this.milestones.filter((m) => m === this.last_epoch).length
    return currentLrs(this).map((lr) => lr * this.gamma ** count)
  }
  override _get_closed_form_lr(): number[] {
    const passed = this.milestones.filter((m) => m <= this.last_epoch).length
    return this.base_lrs.map((b) => b * this.gamma ** passed)
  }
}
/**
 * Multiplies the learning rate by `gamma` at each milestone (a repeated milestone counts twice).
 * @example
 * import * as torch from 'wengert/torch'
 * const opt = torch.optim.SGD([torch.zeros(1, { requires_grad: true })], { lr: 1 })
 * const s = torch.optim.lr_scheduler.MultiStepLR(opt, [1, 3], 0.1)
 * const lrs = [0, 1, 2].map(() => (opt.step(), s.step(), s.get_last_lr()[0]))
 * assert.deepStrictEqual(lrs.map((v) => Number(v!.toPrecision(6))), [0.1, 0.1, 0.01])
 * @category torch @since 0.2.0
 */
export const MultiStepLR = pyClass(MultiStepLRImpl, 'MultiStepLR', schedulerArgs('MultiStepLR'), verboseAround)
/** A `MultiStepLR` instance. @category torch @since 0.2.0 */
export type MultiStepLR = MultiStepLRImpl

/** See {@link ExponentialLR}. */
class ExponentialLRImpl extends LRScheduler {
  readonly gamma: number
  constructor(
    optimizer: AnyOptimizer,
    ...rest: PyArgs<
      [gamma: number, last_epoch: number],
      { readonly gamma?: number; readonly last_epoch?: number; readonly verbose?: DeprecatedVerbose }
    >
  ) {
    const o = parseOptions('ExponentialLR.__init__', rest, { gamma: undefined as number | undefined, last_epoch: -1 })
    super(optimizer, o.last_epoch)
    this.gamma = required('ExponentialLR.__init__', 'gamma', o.gamma)
    this._initial_step()
  }
  get_lr(): number[] {
    const lrs = currentLrs(this)
    return this.last_epoch === 0 ? lrs : lrs.map((lr) => lr * this.gamma)
  }
  override _get_closed_form_lr(): number[] {
    return this.base_lrs.map((b) => b * this.gamma ** this.last_epoch)
  }
}
/**
 * Multiplies the learning rate by `gamma` every step.
 * @example
 * import * as torch from 'wengert/torch'
 * const opt = torch.optim.SGD([torch.zeros(1, { requires_grad: true })], { lr: 1 })
 * const s = torch.optim.lr_scheduler.ExponentialLR(opt, 0.5)
 * opt.step(); s.step()
 * assert.deepStrictEqual(s.get_last_lr(), [0.5])
 * @category torch @since 0.2.0
 */
export const ExponentialLR = pyClass(ExponentialLRImpl, 'ExponentialLR', schedulerArgs('ExponentialLR'), verboseAround)
/** An `ExponentialLR` instance. @category torch @since 0.2.0 */
export type ExponentialLR = ExponentialLRImpl
