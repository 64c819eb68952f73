/**
 * `torch.optim.RMSprop`, `Adagrad` and `Adadelta`: per-coordinate step sizes from running
 * squared gradients, with PyTorch's single-tensor updates (see each class).
 *
 * @category torch
 * @since 0.2.0
 */
import { full_like, zeros_like } from '../creation'
import { TorchValueError } from '../errors'
import { leadingKeywords, type PyArgs } from '../kwargs'
import { pyClass } from '../nn/pyclass'
import type { Tensor } from '../tensor'
import { Optimizer, type ParamGroup, type ParamsInput } from './optimizer'
import { realParams } from './complexParams'
import { gradOf, nonNegative, parseOptions, refuseFlags, withDecay, type ExecutionFlags } from './options'

// -------------------------------------------------------------------------------------
// RMSprop
// -------------------------------------------------------------------------------------

/** RMSprop's hyper-parameters. @category torch @since 0.2.0 */
export interface RMSpropOptions extends ExecutionFlags {
  lr: number
  alpha: number
  eps: number
  weight_decay: number
  momentum: number
  centered: boolean
  maximize: boolean
}
/** RMSprop's state of one parameter. @category torch @since 0.2.0 */
export interface RMSpropState {
  step: number
  square_avg: Tensor
  momentum_buffer?: Tensor
  grad_avg?: Tensor
}

/** See {@link RMSprop}. */
class RMSpropImpl extends Optimizer<RMSpropOptions, RMSpropState> {
  constructor(
    params: ParamsInput<RMSpropOptions>,
    ...rest: PyArgs<
      [lr: number, alpha: number, eps: number, weight_decay: number, momentum: number, centered: boolean],
      Partial<Readonly<RMSpropOptions>>
    >
  ) {
    const o = parseOptions('RMSprop.__init__', rest, {
      lr: 1e-2,
      alpha: 0.99,
      eps: 1e-8,
      weight_decay: 0,
      momentum: 0,
      centered: false,
      capturable: false,
      foreach: null,
      maximize: false,
      differentiable: false,
    } as RMSpropOptions)
    nonNegative('learning rate', o.lr)
    nonNegative('epsilon value', o.eps)
    nonNegative('momentum value', o.momentum)
    nonNegative('weight_decay value', o.weight_decay)
    nonNegative('alpha value', o.alpha)
    refuseFlags('RMSprop', o)
    super(params, o)
  }

  /** @internal */
  _update(group: ParamGroup<RMSpropOptions>): void {
    const { lr, alpha, eps, momentum, centered } = group
    for (const p of realParams(group.params)) {
      const g0 = gradOf(p, group.maximize)
      if (g0 === null) continue
      const st = this._stateOf(p, () => ({ step: 0, square_avg: zeros_like(p) }))
      st.step += 1
      const grad = withDecay(g0, p, group.weight_decay)
      st.square_avg.mul_(alpha).addcmul_(grad, grad, { value: 1 - alpha })
      let avg: Tensor
      if (centered) {
        st.grad_avg ??= zeros_like(p)
        st.grad_avg.lerp_(grad, 1 - alpha)
        avg = st.square_avg.addcmul(st.grad_avg, st.grad_avg, { value: -1 }).sqrt()
      } else avg = st.square_avg.sqrt()
      avg = avg.add(eps)
      if (momentum > 0) {
        st.momentum_buffer ??= zeros_like(p)
        st.momentum_buffer.mul_(momentum).addcdiv_(grad, avg)
        p.add_(st.momentum_buffer, { alpha: -lr })
      } else p.addcdiv_(grad, avg, { value: -lr })
    }
  }
}

/**
 * RMSprop: `v ← α·v + (1 − α)·g²`, `θ ← θ − γ·g / (√v + ε)`; `centered` subtracts the squared
 * running mean of g; `momentum` accumulates the scaled steps.
 * @example
 * import * as torch from 'wengert/torch'
 * const w = torch.tensor([1, -1], { requires_grad: true })
 * const opt = torch.optim.RMSprop([w], { lr: 0.01 })
 * w.pow(2).sum().backward()
 * opt.step()
 * // first step: g / √(0.01·g²) = ±10, so each coordinate moves by 0.1
 * assert.deepStrictEqual((w.tolist() as number[]).map((v) => Math.round(v * 1e4) / 1e4), [0.9, -0.9])
 * @category torch @since 0.2.0
 */
export const RMSprop = pyClass(RMSpropImpl, 'RMSprop', leadingKeywords('RMSprop.__init__', ['params']))
/** A `torch.optim.RMSprop` instance. @category torch @since 0.2.0 */
export type RMSprop = RMSpropImpl

// -------------------------------------------------------------------------------------
// Adagrad
// -------------------------------------------------------------------------------------

/** Adagrad's hyper-parameters. @category torch @since 0.2.0 */
export interface AdagradOptions extends ExecutionFlags {
  lr: number
  lr_decay: number
  weight_decay: number
  initial_accumulator_value: number
  eps: number
  maximize: boolean
}
/** Adagrad's state of one parameter. @category torch @since 0.2.0 */
export interface AdagradState {
  step: number
  sum: Tensor
}

/** See {@link Adagrad}. */
class AdagradImpl extends Optimizer<AdagradOptions, AdagradState> {
  constructor(
    params: ParamsInput<AdagradOptions>,
    ...rest: PyArgs<
      [lr: number, lr_decay: number, weight_decay: number, initial_accumulator_value: number, eps: number],
      Partial<Readonly<AdagradOptions>>
    >
  ) {
    const o = parseOptions('Adagrad.__init__', rest, {
      lr: 1e-2,
      lr_decay: 0,
      weight_decay: 0,
      initial_accumulator_value: 0,
      eps: 1e-10,
      foreach: null,
      maximize: false,
      differentiable: false,
      fused: null,
    } as AdagradOptions)
    nonNegative('learning rate', o.lr)
    nonNegative('lr_decay value', o.lr_decay)
    nonNegative('weight_decay value', o.weight_decay)
    nonNegative('initial_accumulator_value value', o.initial_accumulator_value)
    nonNegative('epsilon value', o.eps)
    refuseFlags('Adagrad', o)
    super(params, o)
    // PyTorch creates Adagrad's state eagerly
    for (const g of this.param_groups)
      for (const p of realParams(g.params))
        this._stateOf(p, () => ({ step: 0, sum: full_like(p, g.initial_accumulator_value) }))
  }

  /** @internal */
  _update(group: ParamGroup<AdagradOptions>): void {
    for (const p of realParams(group.params)) {
      const g0 = gradOf(p, group.maximize)
      if (g0 === null) continue
      const st = this._stateOf(p, () => ({ step: 0, sum: full_like(p, group.initial_accumulator_value) }))
      st.step += 1
      const grad = withDecay(g0, p, group.weight_decay)
      const clr = group.lr / (1 + (st.step - 1) * group.lr_decay)
      st.sum.addcmul_(grad, grad, { value: 1 })
      p.addcdiv_(grad, st.sum.sqrt().add(group.eps), { value: -clr })
    }
  }
}

/**
 * Adagrad: `s ← s + g²`, `θ ← θ − γₜ·g / (√s + ε)` with `γₜ = γ / (1 + (t − 1)·lr_decay)`.
 * @example
 * import * as torch from 'wengert/torch'
 * const w = torch.tensor([2], { requires_grad: true })
 * const opt = torch.optim.Adagrad([w], { lr: 0.5 })
 * w.pow(2).sum().backward()
 * opt.step()
 * assert.ok(Math.abs((w.item() as number) - 1.5) < 1e-6)
 * @category torch @since 0.2.0
 */
export const Adagrad = pyClass(AdagradImpl, 'Adagrad', leadingKeywords('Adagrad.__init__', ['params']))
/** A `torch.optim.Adagrad` instance. @category torch @since 0.2.0 */
export type Adagrad = AdagradImpl

// -------------------------------------------------------------------------------------
// Adadelta
// -------------------------------------------------------------------------------------

/** Adadelta's hyper-parameters. @category torch @since 0.2.0 */
export interface AdadeltaOptions extends ExecutionFlags {
  lr: number
  rho: number
  eps: number
  weight_decay: number
  maximize: boolean
}
/** Adadelta's state of one parameter. @category torch @since 0.2.0 */
export interface AdadeltaState {
  step: number
  square_avg: Tensor
  acc_delta: Tensor
}

/** See {@link Adadelta}. */
class AdadeltaImpl extends Optimizer<AdadeltaOptions, AdadeltaState> {
  constructor(
    params: ParamsInput<AdadeltaOptions>,
    ...rest: PyArgs<[lr: number, rho: number, eps: number, weight_decay: number], Partial<Readonly<AdadeltaOptions>>>
  ) {
    const o = parseOptions('Adadelta.__init__', rest, {
      lr: 1.0,
      rho: 0.9,
      eps: 1e-6,
      weight_decay: 0,
      foreach: null,
      capturable: false,
      maximize: false,
      differentiable: false,
    } as AdadeltaOptions)
    nonNegative('learning rate', o.lr)
    if (!(o.rho >= 0 && o.rho <= 1)) throw new TorchValueError(`Invalid rho value: ${o.rho}`)
    nonNegative('epsilon value', o.eps)
    nonNegative('weight_decay value', o.weight_decay)
    refuseFlags('Adadelta', o)
    super(params, o)
  }

  /** @internal */
  _update(group: ParamGroup<AdadeltaOptions>): void {
    const { lr, rho, eps } = group
    for (const p of realParams(group.params)) {
      const g0 = gradOf(p, group.maximize)
      if (g0 === null) continue
      const st = this._stateOf(p, () => ({ step: 0, square_avg: zeros_like(p), acc_delta: zeros_like(p) }))
      st.step += 1
      const grad = withDecay(g0, p, group.weight_decay)
      st.square_avg.mul_(rho).addcmul_(grad, grad, { value: 1 - rho })
      const std = st.square_avg.add(eps).sqrt()
      const delta = st.acc_delta.add(eps).sqrt().div(std).mul(grad)
      st.acc_delta.mul_(rho).addcmul_(delta, delta, { value: 1 - rho })
      p.add_(delta, { alpha: -lr })
    }
  }
}

/**
 * Adadelta: `v ← ρ·v + (1 − ρ)·g²`, `Δ = √(u + ε) / √(v + ε) · g`, `u ← ρ·u + (1 − ρ)·Δ²`,
 * `θ ← θ − γ·Δ`.
 * @example
 * import * as torch from 'wengert/torch'
 * const w = torch.tensor([1], { requires_grad: true })
 * const opt = torch.optim.Adadelta([w])
 * w.pow(2).sum().backward()
 * opt.step()
 * assert.ok((w.item() as number) < 1)
 * @category torch @since 0.2.0
 */
export const Adadelta = pyClass(AdadeltaImpl, 'Adadelta', leadingKeywords('Adadelta.__init__', ['params']))
/** A `torch.optim.Adadelta` instance. @category torch @since 0.2.0 */
export type Adadelta = AdadeltaImpl
