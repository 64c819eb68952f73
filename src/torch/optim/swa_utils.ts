/**
 * `torch.optim.swa_utils`: weight averaging of a training run — `AveragedModel` (stochastic weight
 * averaging, Izmailov et al., "Averaging Weights Leads to Wider Optima and Better Generalization",
 * UAI 2018; or an exponential moving average with `get_ema_avg_fn`), `update_bn` (recomputes the
 * batch-norm statistics of the averaged weights in one pass over the data) and the `SWALR`
 * schedule, with PyTorch 2.x's signatures, update order and messages.
 *
 * @category torch
 * @since 0.3.0
 */
import { no_grad } from '../autograd/grad_mode'
import { deepcopy } from '../copy'
import { AssertionError, TorchTypeError, TorchValueError } from '../errors'
import { pyTypeName } from '../pyType'
import { leadingKeywords, parseArgs, type PyArgs } from '../kwargs'
import { Module } from '../nn/module'
import { pyClass } from '../nn/pyclass'
import { isBatchNorm } from '../nn/norm'
import { zeros } from '../creation'
import { int64 } from '../dtype'
import { Tensor } from '../tensor'
import { groupsOf, LRScheduler, required, type AnyOptimizer } from './lr_scheduler'

/** `avg_fn(averaged, current, num_averaged)`: the new averaged value of one tensor. @category torch @since 0.3.0 */
export type AvgFn = (averaged: Tensor, current: Tensor, num_averaged: Tensor) => Tensor
/** `multi_avg_fn(averaged, current, num_averaged)`: updates a list of averaged tensors in place. @category torch @since 0.3.0 */
export type MultiAvgFn = (averaged: Tensor[], current: Tensor[], num_averaged: Tensor) => void

const checkDecay = (decay: number): void => {
  if (!(decay >= 0 && decay <= 1))
    throw new TorchValueError(`Invalid decay value ${decay} provided. Please provide a value in [0,1] range.`)
}

/**
 * The exponential moving average of one tensor: `decay · averaged + (1 − decay) · current`.
 * @example
 * import * as torch from 'wengert/torch'
 * const ema = torch.optim.swa_utils.get_ema_avg_fn(0.75)
 * assert.strictEqual(ema(torch.tensor(4), torch.tensor(8), torch.tensor(1)).item(), 5)
 * @category torch @since 0.3.0
 */
export const get_ema_avg_fn = (decay = 0.999): AvgFn => {
  checkDecay(decay)
  return (averaged, current) => no_grad(() => averaged.mul(decay).add(current.mul(1 - decay)))
}

/**
 * The equal-weight average of one tensor: `averaged + (current − averaged) / (num_averaged + 1)`.
 * @category torch @since 0.3.0
 */
export const get_swa_avg_fn =
  (): AvgFn =>
  (averaged, current, n): Tensor =>
    no_grad(() => averaged.add(current.sub(averaged).div(n.add(1))))

/**
 * The in-place exponential moving average of a list: floating tensors `lerp_` toward the current
 * values by `1 − decay`; others are overwritten with `decay · averaged + (1 − decay) · current`.
 * @category torch @since 0.3.0
 */
export const get_ema_multi_avg_fn = (decay = 0.999): MultiAvgFn => {
  checkDecay(decay)
  return (averaged, current) =>
    no_grad(() => {
      const float = averaged[0]?.is_floating_point() ?? false
      averaged.forEach((a, i) => {
        const c = current[i] as Tensor
        if (float) a.lerp_(c, 1 - decay)
        else a.copy_(a.mul(decay).add(c.mul(1 - decay)))
      })
    })
}

/**
 * The in-place equal-weight average of a list: floating tensors `lerp_` toward the current values
 * by `1 / (num_averaged + 1)`; others add `(current − averaged) / (num_averaged + 1)`.
 * @category torch @since 0.3.0
 */
export const get_swa_multi_avg_fn =
  (): MultiAvgFn =>
  (averaged, current, n): void =>
    no_grad(() => {
      const float = averaged[0]?.is_floating_point() ?? false
      const w = 1 / (Number(n.item()) + 1)
      averaged.forEach((a, i) => {
        const c = current[i] as Tensor
        if (float) a.lerp_(c, w)
        else a.addcdiv_(c.sub(a), n.add(1))
      })
    })

type AveragedModelKw = {
  readonly device?: unknown
  readonly avg_fn?: AvgFn | null
  readonly multi_avg_fn?: MultiAvgFn | null
  readonly use_buffers?: boolean
}

/** Splits `pairs` into groups of one dtype, in order of first appearance (PyTorch groups by device and dtype). */
const byDtype = (pairs: Array<[Tensor, Tensor]>): Array<[Tensor[], Tensor[]]> => {
  const groups = new Map<string, [Tensor[], Tensor[]]>()
  for (const [a, c] of pairs) {
    const key = String(a.dtype)
    const g = groups.get(key) ?? [[], []]
    groups.set(key, g)
    g[0].push(a)
    g[1].push(c)
  }
  return [...groups.values()]
}

/** See {@link AveragedModel}. */
class AveragedModelImpl extends Module {
  /** The averaged copy of the model. */
  module: Module
  declare n_averaged: Tensor
  avg_fn: AvgFn | null
  multi_avg_fn: MultiAvgFn | null
  use_buffers: boolean

  constructor(
    model: Module,
    ...rest: PyArgs<
      [device: unknown, avg_fn: AvgFn | null, multi_avg_fn: MultiAvgFn | null, use_buffers: boolean],
      AveragedModelKw
    >
  ) {
    super()
    const a = parseArgs('AveragedModel.__init__', rest, ['device', 'avg_fn', 'multi_avg_fn', 'use_buffers'])
    const avg = (a.avg_fn as AvgFn | null | undefined) ?? null
    const multi = (a.multi_avg_fn as MultiAvgFn | null | undefined) ?? null
    if (avg !== null && multi !== null)
      throw new AssertionError('Only one of avg_fn and multi_avg_fn should be provided')
    if (!(model instanceof Module))
      throw new TorchTypeError(`AveragedModel(): argument 'model' must be Module, not ${pyTypeName(model)}`)
    this.module = deepcopy(model)
    const device = a.device ?? null
    if (device !== null) this.module.to(device as string)
    this.register_buffer('n_averaged', zeros([], { dtype: int64 }))
    this.avg_fn = avg
    this.multi_avg_fn = multi
    this.use_buffers = (a.use_buffers as boolean | undefined) ?? false
  }

  /** Runs the averaged module. */
  forward(...args: unknown[]): unknown {
    return this.module._call_impl(args)
  }

  /**
   * Folds `model`'s current parameters (and buffers with `use_buffers`) into the average: the first
   * call copies them; later calls apply `multi_avg_fn`, `avg_fn` or the equal-weight average. Without
   * `use_buffers` the buffers are copied from `model`. Then `n_averaged` grows by one.
   */
  update_parameters(model: Module): void {
    const mine = this.use_buffers ? [...this.module.parameters(), ...this.module.buffers()] : [...this.parameters()]
    const theirs = this.use_buffers ? [...model.parameters(), ...model.buffers()] : [...model.parameters()]
    const n = Math.min(mine.length, theirs.length)
    const pairs: Array<[Tensor, Tensor]> = []
    const first = Number(this.n_averaged.item()) === 0
    no_grad(() => {
      for (let i = 0; i < n; i++) {
        const [p, q] = [(mine[i] as Tensor).detach(), (theirs[i] as Tensor).detach()]
        pairs.push([p, q])
        if (first) p.copy_(q)
      }
      if (!first) this._average(pairs)
      if (!this.use_buffers) {
        const [bs, bm] = [[...this.module.buffers()], [...model.buffers()]]
        for (let i = 0; i < Math.min(bs.length, bm.length); i++)
          (bs[i] as Tensor).detach().copy_((bm[i] as Tensor).detach())
      }
      this.n_averaged.add_(1)
    })
  }

  /** Averages each `[averaged, current]` pair as the options say. */
  private _average(pairs: Array<[Tensor, Tensor]>): void {
    const n = this.n_averaged
    if (this.multi_avg_fn !== null) {
      for (const [avg, cur] of byDtype(pairs)) this.multi_avg_fn(avg, cur, n)
      return
    }
    const fn = this.avg_fn ?? get_swa_avg_fn()
    for (const [p, q] of pairs) p.copy_(fn(p, q, n))
  }
}
/**
 * A running average of a model's weights (stochastic weight averaging by default, or an exponential
 * moving average with `avg_fn: get_ema_avg_fn(decay)` / `multi_avg_fn: get_ema_multi_avg_fn(decay)`).
 * Holds a deep copy of the model in `module` and the count `n_averaged` (an int64 buffer, saved in
 * `state_dict`); `update_parameters(model)` folds in the model's current weights.
 * @example
 * import * as torch from 'wengert/torch'
 * const model = torch.nn.Linear(1, 1, { bias: false })
 * const swa = torch.optim.swa_utils.AveragedModel(model)
 * for (const w of [1, 2, 6]) {
 *   torch.no_grad(() => model.weight.fill_(w))
 *   swa.update_parameters(model)
 * }
 * assert.strictEqual(swa.module.get_parameter('weight').item(), 3)
 * assert.strictEqual(swa.n_averaged.item(), 3)
 * @category torch @since 0.3.0
 */
export const AveragedModel = pyClass(
  AveragedModelImpl,
  'AveragedModel',
  leadingKeywords('AveragedModel.__init__', ['model']),
)
/** An `AveragedModel` instance. @category torch @since 0.3.0 */
export type AveragedModel = AveragedModelImpl

/**
 * Recomputes the running statistics of every batch-norm layer of `model` by one pass over `loader`
 * (each batch a tensor, or an array whose first element is the input): the statistics are reset,
 * `momentum` is set to null (the cumulative average) during the pass and restored after, and the
 * model's training flag is restored. Runs without recording gradients.
 * @example
 * import * as torch from 'wengert/torch'
 * const model = torch.nn.Sequential(torch.nn.Linear(1, 1), torch.nn.BatchNorm1d(1))
 * torch.optim.swa_utils.update_bn([torch.ones(4, 1), [torch.ones(4, 1)]], model)
 * assert.strictEqual((model.at(1) as torch.nn.BatchNorm1d).num_batches_tracked?.item(), 2)
 * @category torch @since 0.3.0
 */
export const update_bn = (
  loader: Iterable<unknown>,
  model: Module,
  ...rest: PyArgs<[device: unknown], { readonly device?: unknown }>
): void => {
  const a = parseArgs('update_bn', rest, ['device'])
  const device = (a.device as string | null | undefined) ?? null
  no_grad(() => {
    const momenta = new Map<Module & { momentum: number | null; reset_running_stats(): void }, number | null>()
    for (const m of model.modules()) {
      if (!isBatchNorm(m)) continue
      m.reset_running_stats()
      momenta.set(m, m.momentum)
    }
    if (momenta.size === 0) return
    const wasTraining = model.training
    model.train()
    for (const m of momenta.keys()) m.momentum = null
    for (const batch of loader) {
      let input = Array.isArray(batch) ? (batch[0] as unknown) : batch
      if (device !== null && input instanceof Tensor) input = input.to(device)
      model._call_impl([input])
    }
    for (const [m, mom] of momenta) m.momentum = mom
    model.train(wasTraining)
  })
}

const cosineAnneal = (t: number): number => (1 - Math.cos(Math.PI * t)) / 2
const linearAnneal = (t: number): number => t

type SWALRKw = {
  readonly swa_lr?: number | ReadonlyArray<number>
  readonly anneal_epochs?: number
  readonly anneal_strategy?: 'cos' | 'linear'
  readonly last_epoch?: number
}

/** PyTorch's `_format_param`: one value per parameter group. */
const perGroup = (name: string, o: AnyOptimizer, v: number | ReadonlyArray<number>): number[] => {
  const n = o.param_groups.length
  if (typeof v === 'number') return Array.from({ length: n }, () => v)
  if (v.length !== n)
    throw new TorchValueError(
      `${name} must have the same length as optimizer.param_groups. ${name} has ${v.length} values, param_groups has ${n}.`,
    )
  return [...v]
}

/** See {@link SWALR}. */
class SWALRImpl extends LRScheduler {
  readonly anneal_epochs: number
  _anneal_strategy: 'cos' | 'linear'
  constructor(
    optimizer: AnyOptimizer,
    ...rest: PyArgs<
      [
        swa_lr: number | ReadonlyArray<number>,
        anneal_epochs: number,
        anneal_strategy: 'cos' | 'linear',
        last_epoch: number,
      ],
      SWALRKw
    >
  ) {
    const a = parseArgs('SWALR.__init__', rest, ['swa_lr', 'anneal_epochs', 'anneal_strategy', 'last_epoch'])
    const swa = required('SWALR.__init__', 'swa_lr', a.swa_lr as number | ReadonlyArray<number> | undefined)
    const lrs = perGroup('swa_lr', optimizer, swa)
    groupsOf(optimizer).forEach((g, i) => (g.swa_lr = lrs[i]))
    const strategy = (a.anneal_strategy as string | undefined) ?? 'cos'
    if (strategy !== 'cos' && strategy !== 'linear')
      throw new TorchValueError(`anneal_strategy must by one of 'cos' or 'linear', instead got ${strategy}`)
    const epochs = (a.anneal_epochs as number | undefined) ?? 10
    if (!Number.isInteger(epochs) || epochs < 0)
      throw new TorchValueError(`anneal_epochs must be equal or greater than 0, got ${epochs}`)
    super(optimizer, (a.last_epoch as number | undefined) ?? -1)
    this._anneal_strategy = strategy
    this.anneal_epochs = epochs
    this._initial_step()
  }

  /** The annealing curve of the strategy: `(1 − cos πt)/2` or `t`. */
  anneal_func(t: number): number {
    return this._anneal_strategy === 'cos' ? cosineAnneal(t) : linearAnneal(t)
  }

  get_lr(): number[] {
    let step = this._step_count - 1
    if (this.anneal_epochs === 0) step = Math.max(1, step)
    const span = Math.max(1, this.anneal_epochs)
    const prevAlpha = this.anneal_func(Math.max(0, Math.min(1, (step - 1) / span)))
    const alpha = this.anneal_func(Math.max(0, Math.min(1, step / span)))
    return groupsOf(this.optimizer).map((g) => {
      const swa = g.swa_lr as number
      const start = prevAlpha === 1 ? swa : (g.lr - prevAlpha * swa) / (1 - prevAlpha)
      return swa * alpha + start * (1 - alpha)
    })
  }
}
/**
 * Anneals each group's learning rate to its `swa_lr` over `anneal_epochs` steps (`'cos'` or
 * `'linear'`), then holds it there — the schedule of the averaging phase of SWA.
 * @example
 * import * as torch from 'wengert/torch'
 * const opt = torch.optim.SGD([torch.zeros(1, { requires_grad: true })], { lr: 1 })
 * const s = torch.optim.swa_utils.SWALR(opt, { swa_lr: 0.5, anneal_epochs: 2, anneal_strategy: 'linear' })
 * const lrs = [0, 1, 2].map(() => (opt.step(), s.step(), s.get_last_lr()[0]))
 * assert.deepStrictEqual(lrs, [0.75, 0.5, 0.5])
 * @category torch @since 0.3.0
 */
export const SWALR = pyClass(SWALRImpl, 'SWALR', leadingKeywords('SWALR.__init__', ['optimizer']))
/** A `SWALR` instance. @category torch @since 0.3.0 */
export type SWALR = SWALRImpl
