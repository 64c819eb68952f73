/**
 * `ConstantLR`, `LinearLR`, `PolynomialLR` and `CosineAnnealingLR`: warm-up and decay schedules
 * over a fixed number of steps (PyTorch 2.x's chainable updates).
 *
 * @category torch
 * @since 0.2.0
 */
import { TorchValueError } from '../errors'
import { pyClass } from '../nn/pyclass'
import { groupsOf, LRScheduler, pyMod, required, type AnyOptimizer, schedulerArgs } from './lr_scheduler'
import { type DeprecatedVerbose, verboseAround } from './lr_verbose'
import { parseOptions } from './options'
import type { PyArgs } from '../kwargs'

const currentLrs = (s: LRScheduler): number[] => groupsOf(s.optimizer).map((g) => g.lr)

/** See {@link ConstantLR}. */
class ConstantLRImpl extends LRScheduler {
  readonly factor: number
  readonly total_iters: number
  constructor(
    optimizer: AnyOptimizer,
    ...rest: PyArgs<
      [factor: number, total_iters: number, last_epoch: number],
      {
        readonly factor?: number
        readonly total_iters?: number
        readonly last_epoch?: number
        readonly verbose?: DeprecatedVerbose
      }
    >
  ) {
    const o = parseOptions('ConstantLR.__init__', rest, { factor: 1 / 3, total_iters: 5, last_epoch: -1 })
    if (o.factor > 1 || o.factor < 0)
      throw new TorchValueError('Constant multiplicative factor expected to be between 0 and 1.')
    super(optimizer, o.last_epoch)
    this.factor = o.factor
    this.total_iters = o.total_iters
    this._initial_step()
  }
  get_lr(): number[] {
    const lrs = currentLrs(this)
    if (this.last_epoch === 0) return lrs.map((lr) => lr * this.factor)
    if (this.last_epoch !== this.total_iters) return lrs
    return lrs.map((lr) => lr * (1 / this.factor))
  }
  override _get_closed_form_lr(): number[] {
    const done = this.last_epoch >= this.total_iters ? 1 : 0
    return this.base_lrs.map((b) => b * (this.factor + done * (1 - this.factor)))
  }
}
/**
 * Scales the learning rate by `factor` (default 1/3) for the first `total_iters` (default 5) steps.
 * @example
 * import * as torch from 'wengert/torch'
 * const opt = torch.optim.SGD([torch.zeros(1, { requires_grad: true })], { lr: 1 })
 * const s = torch.optim.lr_scheduler.ConstantLR(opt, { factor: 0.5, total_iters: 2 })
 * const lrs = [s.get_last_lr()[0], ...[0, 1].map(() => (opt.step(), s.step(), s.get_last_lr()[0]))]
 * assert.deepStrictEqual(lrs, [0.5, 0.5, 1])
 * @category torch @since 0.2.0
 */
export const ConstantLR = pyClass(ConstantLRImpl, 'ConstantLR', schedulerArgs('ConstantLR'), verboseAround)
/** A `ConstantLR` instance. @category torch @since 0.2.0 */
export type ConstantLR = ConstantLRImpl

/** See {@link LinearLR}. */
class LinearLRImpl extends LRScheduler {
  readonly start_factor: number
  readonly end_factor: number
  readonly total_iters: number
  constructor(
    optimizer: AnyOptimizer,
    ...rest: PyArgs<
      [start_factor: number, end_factor: number, total_iters: number, last_epoch: number],
      {
        readonly start_factor?: number
        readonly end_factor?: number
        readonly total_iters?: number
        readonly last_epoch?: number
        readonly verbose?: DeprecatedVerbose
      }
    >
  ) {
    const o = parseOptions('LinearLR.__init__', rest, {
      start_factor: 1 / 3,
      end_factor: 1.0,
      total_iters: 5,
      last_epoch: -1,
    })
    if (o.start_factor > 1 || o.start_factor <= 0)
      throw new TorchValueError('Starting multiplicative factor expected to be greater than 0 and less or equal to 1.')
    if (o.end_factor > 1 || o.end_factor < 0)
      throw new TorchValueError('Ending multiplicative factor expected to be between 0 and 1.')
    super(optimizer, o.last_epoch)
    this.start_factor = o.start_factor
    this.end_factor = o.end_factor
    this.total_iters = o.total_iters
    this._initial_step()
  }
  get_lr(): number[] {
    const lrs = currentLrs(this)
    const [s, e, n, t] = [this.start_factor, this.end_factor, this.total_iters, this.last_epoch]
    if (t === 0) return lrs.map((lr) => lr * s)
    if (t > n) return lrs
    return lrs.map((lr) => lr * (1 + (e - s) / (n * s + (t - 1) * (e - s))))
  }
  override _get_closed_form_lr(): number[] {
    const [s, e, n] = [this.start_factor, this.end_factor, this.total_iters]
    return this.base_lrs.map((b) => b * (s + ((e - s) * Math.min(n, this.last_epoch)) / n))
  }
}
/**
 * Scales the learning rate linearly from `start_factor` to `end_factor` over `total_iters` steps.
 * @example
 * import * as torch from 'wengert/torch'
 * const opt = torch.optim.SGD([torch.zeros(1, { requires_grad: true })], { lr: 1 })
 * const s = torch.optim.lr_scheduler.LinearLR(opt, { start_factor: 0.5, total_iters: 2 })
 * const lrs = [s.get_last_lr()[0], ...[0, 1].map(() => (opt.step(), s.step(), s.get_last_lr()[0]))]
 * assert.deepStrictEqual(lrs, [0.5, 0.75, 1])
 * @category torch @since 0.2.0
 */
export const LinearLR = pyClass(LinearLRImpl, 'LinearLR', schedulerArgs('LinearLR'), verboseAround)
/** A `LinearLR` instance. @category torch @since 0.2.0 */
export type LinearLR = LinearLRImpl

/** See {@link PolynomialLR}. */
class PolynomialLRImpl extends LRScheduler {
  readonly total_iters: number
  readonly power: number
  constructor(
    optimizer: AnyOptimizer,
    ...rest: PyArgs<
      [total_iters: number, power: number, last_epoch: number],
      {
        readonly total_iters?: number
        readonly power?: number
        readonly last_epoch?: number
        readonly verbose?: DeprecatedVerbose
      }
    >
  ) {
    const o = parseOptions('PolynomialLR.__init__', rest, { total_iters: 5, power: 1.0, last_epoch: -1 })
    super(optimizer, o.last_epoch)
    this.total_iters = o.total_iters
    this.power = o.power
    this._initial_step()
  }
  get_lr(): number[] {
    const lrs = currentLrs(this)
    const [n, t] = [this.total_iters, this.last_epoch]
    if (t === 0 || t > n) return lrs
    const decay = ((1 - t / n) / (1 - (t - 1) / n)) ** this.power
    return lrs.map((lr) => lr * decay)
  }
  override _get_closed_form_lr(): number[] {
    const n = this.total_iters
    return this.base_lrs.map((b) => b * (1 - Math.min(n, this.last_epoch) / n) ** this.power)
  }
}
/**
 * Decays the learning rate as `(1 − t/total_iters)^power`, reaching 0 at `total_iters`.
 * @example
 * import * as torch from 'wengert/torch'
 * const opt = torch.optim.SGD([torch.zeros(1, { requires_grad: true })], { lr: 1 })
 * const s = torch.optim.lr_scheduler.PolynomialLR(opt, { total_iters: 2 })
 * const lrs = [0, 1].map(() => (opt.step(), s.step(), s.get_last_lr()[0]))
 * assert.deepStrictEqual(lrs, [0.5, 0])
 * @category torch @since 0.2.0
 */
export const PolynomialLR = pyClass(PolynomialLRImpl, 'PolynomialLR', schedulerArgs('PolynomialLR'), verboseAround)
/** A `PolynomialLR` instance. @category torch @since 0.2.0 */
export type PolynomialLR = PolynomialLRImpl

/** See {@link CosineAnnealingLR}. */
class CosineAnnealingLRImpl extends LRScheduler {
  readonly T_max: number
  readonly eta_min: number
  constructor(
    optimizer: AnyOptimizer,
    ...rest: PyArgs<
      [T_max: number, eta_min: number, last_epoch: number],
      {
        readonly T_max?: number
        readonly eta_min?: number
        readonly last_epoch?: number
        readonly verbose?: DeprecatedVerbose
      }
    >
  ) {
    const o = parseOptions('CosineAnnealingLR.__init__', rest, {
      T_max: undefined as number | undefined,
      eta_min: 0,
      last_epoch: -1,
    })
    super(optimizer, o.last_epoch)
    this.T_max = required('CosineAnnealingLR.__init__', 'T_max', o.T_max)
    this.eta_min = o.eta_min
    this._initial_step()
  }
  get_lr(): number[] {
    const [t, T, lo] = [this.last_epoch, this.T_max, this.eta_min]
    const lrs = currentLrs(this)
    if (t === 0) return lrs
    if (this._step_count === 1 && t > 0)
      return this.base_lrs.map((b) => lo + ((b - lo) * (1 + Math.cos((t * Math.PI) / T))) / 2)
    if (pyMod(t - 1 - T, 2 * T) === 0)
      return lrs.map((lr, i) => lr + (((this.base_lrs[i] as number) - lo) * (1 - Math.cos(Math.PI / T))) / 2)
    return lrs.map(
      (lr) => ((1 + Math.cos((Math.PI * t) / T)) / (1 + Math.cos((Math.PI * (t - 1)) / T))) * (lr - lo) + lo,
    )
  }
  override _get_closed_form_lr(): number[] {
    const [t, T, lo] = [this.last_epoch, this.T_max, this.eta_min]
    return this.base_lrs.map((b) => lo + ((b - lo) * (1 + Math.cos((Math.PI * t) / T))) / 2)
  }
}
/**
 * Cosine annealing from the initial learning rate to `eta_min` over `T_max` steps (and back up,
 * periodically, as PyTorch's recursive form does).
 * @example
 * import * as torch from 'wengert/torch'
 * const opt = torch.optim.SGD([torch.zeros(1, { requires_grad: true })], { lr: 1 })
 * const s = torch.optim.lr_scheduler.CosineAnnealingLR(opt, 2)
 * const lrs = [0, 1].map(() => (opt.step(), s.step(), s.get_last_lr()[0]!))
 * assert.ok(Math.abs(lrs[0]! - 0.5) < 1e-12 && Math.abs(lrs[1]!) < 1e-12)
 * @category torch @since 0.2.0
 */
export const CosineAnnealingLR = pyClass(
  CosineAnnealingLRImpl,
  'CosineAnnealingLR',
  schedulerArgs('CosineAnnealingLR'),
  verboseAround,
)
/** A `CosineAnnealingLR` instance. @category torch @since 0.2.0 */
export type CosineAnnealingLR = CosineAnnealingLRImpl
