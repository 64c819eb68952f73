/**
 * `torch.optim.Adamax`, `NAdam` and `RAdam`: Adam's relatives (infinity-norm second moment,
 * Nesterov momentum, rectified variance), with PyTorch 2.x's single-tensor updates.
 *
 * @category torch
 * @since 0.2.0
 */
import { zeros_like } from '../creation'
import { leadingKeywords, type PyArgs } from '../kwargs'
import { pyClass } from '../nn/pyclass'
import type { Tensor } from '../tensor'
import { Optimizer, type ParamGroup, type ParamsInput } from './optimizer'
import { realParams } from './complexParams'
import {
  checkBetas,
  gradOf,
  nonNegative,
  parseOptions,
  refuseFlags,
  scalarState,
  withDecay,
  type ExecutionFlags,
} from './options'

/** Options shared by Adamax, NAdam and RAdam. */
interface AdamLike extends ExecutionFlags {
  lr: number
  betas: readonly [number, number]
  eps: number
  weight_decay: number
  maximize: boolean
}

const checkAdamLike = (fn: string, o: AdamLike): void => {
  nonNegative('learning rate', o.lr)
  nonNegative('epsilon value', o.eps)
  checkBetas(o.betas)
  nonNegative('weight_decay value', o.weight_decay)
  refuseFlags(fn, o)
}

/** The gradient after weight decay: L2 (added to g) or decoupled (`θ ← θ·(1 − γλ)` first). */
const decayed = (g: Tensor, p: Tensor, lr: number, wd: number, decoupled: boolean): Tensor => {
  if (wd === 0) return g
  if (!decoupled) return withDecay(g, p, wd)
  p.mul_(1 - lr * wd)
  return g
}

type AdamLikeArgs<O> = PyArgs<[lr: number, betas: readonly [number, number], eps: number, weight_decay: number], O>

// -------------------------------------------------------------------------------------
// Adamax
// -------------------------------------------------------------------------------------

/** Adamax's hyper-parameters. @category torch @since 0.2.0 */
export type AdamaxOptions = AdamLike
/** Adamax's state of one parameter. @category torch @since 0.2.0 */
export interface AdamaxState {
  step: number
  exp_avg: Tensor
  exp_inf: Tensor
}

/** See {@link Adamax}. */
class AdamaxImpl extends Optimizer<AdamaxOptions, AdamaxState> {
  constructor(params: ParamsInput<AdamaxOptions>, ...rest: AdamLikeArgs<Partial<Readonly<AdamaxOptions>>>) {
    const o = parseOptions('Adamax.__init__', rest, {
      lr: 2e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weight_decay: 0,
      foreach: null,
      maximize: false,
      differentiable: false,
      capturable: false,
    } as AdamaxOptions)
    checkAdamLike('Adamax', o)
    super(params, o)
  }

  /** @internal */
  _update(group: ParamGroup<AdamaxOptions>): void {
    const [beta1, beta2] = group.betas
    for (const p of realParams(group.params)) {
      const g0 = gradOf(p, group.maximize)
      if (g0 === null) continue
      const st = this._stateOf(p, () => ({ step: 0, exp_avg: zeros_like(p), exp_inf: zeros_like(p) }))
      st.step += 1
      const grad = withDecay(g0, p, group.weight_decay)
      st.exp_avg.lerp_(grad, 1 - beta1)
      st.exp_inf.mul_(beta2).maximum_(grad.abs().add(group.eps))
      const clr = group.lr / (1 - beta1 ** st.step)
      p.addcdiv_(st.exp_avg, st.exp_inf, { value: -clr })
    }
  }
}

/**
 * Adamax: Adam with the infinity norm, `u ← max(β₂·u, |g| + ε)`, `θ ← θ − γ/(1 − β₁ᵗ)·m/u`.
 * @example
 * import * as torch from 'wengert/torch'
 * const w = torch.tensor([1, -1], { requires_grad: true })
 * const opt = torch.optim.Adamax([w], { lr: 0.1 })
 * w.pow(2).sum().backward()
 * opt.step()
 * assert.deepStrictEqual((w.tolist() as number[]).map((v) => Math.round(v * 1e6) / 1e6), [0.9, -0.9])
 * @category torch @since 0.2.0
 */
export const Adamax = pyClass(AdamaxImpl, 'Adamax', leadingKeywords('Adamax.__init__', ['params']))
/** A `torch.optim.Adamax` instance. @category torch @since 0.2.0 */
export type Adamax = AdamaxImpl

// -------------------------------------------------------------------------------------
// NAdam
// -------------------------------------------------------------------------------------

/** NAdam's hyper-parameters. @category torch @since 0.2.0 */
export interface NAdamOptions extends AdamLike {
  momentum_decay: number
  decoupled_weight_decay: boolean
}
/** NAdam's state of one parameter. @category torch @since 0.2.0 */
export interface NAdamState {
  step: number
  mu_product: number
  exp_avg: Tensor
  exp_avg_sq: Tensor
}

/** See {@link NAdam}. */
class NAdamImpl extends Optimizer<NAdamOptions, NAdamState> {
  constructor(params: ParamsInput<NAdamOptions>, ...rest: AdamLikeArgs<Partial<Readonly<NAdamOptions>>>) {
    const o = parseOptions('NAdam.__init__', rest, {
      lr: 2e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weight_decay: 0,
      momentum_decay: 4e-3,
      decoupled_weight_decay: false,
      foreach: null,
      maximize: false,
      capturable: false,
      differentiable: false,
    } as NAdamOptions)
    checkAdamLike('NAdam', o)
    nonNegative('momentum_decay value', o.momentum_decay)
    super(params, o)
  }

  /** @internal */
  _update(group: ParamGroup<NAdamOptions>): void {
    const { lr, eps, momentum_decay: psi } = group
    const [beta1, beta2] = group.betas
    for (const p of realParams(group.params)) {
      const g0 = gradOf(p, group.maximize)
      if (g0 === null) continue
      const st = this._stateOf(p, () => ({
        step: 0,
        mu_product: 1,
        exp_avg: zeros_like(p),
        exp_avg_sq: zeros_like(p),
      }))
      st.step += 1
      const t = st.step
      const grad = decayed(g0, p, lr, group.weight_decay, group.decoupled_weight_decay)
      const mu = beta1 * (1 - 0.5 * 0.96 ** (t * psi))
      const muNext = beta1 * (1 - 0.5 * 0.96 ** ((t + 1) * psi))
      // mu_product is a float32 0-d tensor in PyTorch (scalarState)
      st.mu_product = scalarState(st.mu_product * scalarState(mu))
      st.exp_avg.lerp_(grad, 1 - beta1)
      st.exp_avg_sq.mul_(beta2).addcmul_(grad, grad, { value: 1 - beta2 })
      const denom = st.exp_avg_sq
        .div(1 - beta2 ** t)
        .sqrt()
        .add(eps)
      // NOTE: PyTorch 2.x; 1.13 multiplied mu into mu_product_next a second time
      p.addcdiv_(grad, denom, { value: (-lr * (1 - mu)) / (1 - st.mu_product) })
      p.addcdiv_(st.exp_avg, denom, { value: (-lr * muNext) / (1 - st.mu_product * muNext) })
    }
  }
}

/**
 * NAdam: Adam with Nesterov momentum and the momentum schedule
 * `μₜ = β₁·(1 − ½·0.96^(t·ψ))`; `decoupled_weight_decay` applies AdamW-style decay (PyTorch 2.x).
 * @example
 * import * as torch from 'wengert/torch'
 * const w = torch.tensor([1], { requires_grad: true })
 * const opt = torch.optim.NAdam([w], { lr: 0.1 })
 * w.pow(2).sum().backward()
 * opt.step()
 * assert.ok((w.item() as number) < 1)
 * @category torch @since 0.2.0
 */
export const NAdam = pyClass(NAdamImpl, 'NAdam', leadingKeywords('NAdam.__init__', ['params']))
/** A `torch.optim.NAdam` instance. @category torch @since 0.2.0 */
export type NAdam = NAdamImpl

// -------------------------------------------------------------------------------------
// RAdam
// -------------------------------------------------------------------------------------

/** RAdam's hyper-parameters. @category torch @since 0.2.0 */
export interface RAdamOptions extends AdamLike {
  decoupled_weight_decay: boolean
}
/** RAdam's state of one parameter. @category torch @since 0.2.0 */
export interface RAdamState {
  step: number
  exp_avg: Tensor
  exp_avg_sq: Tensor
}

/** See {@link RAdam}. */
class RAdamImpl extends Optimizer<RAdamOptions, RAdamState> {
  constructor(params: ParamsInput<RAdamOptions>, ...rest: AdamLikeArgs<Partial<Readonly<RAdamOptions>>>) {
    const o = parseOptions('RAdam.__init__', rest, {
      lr: 1e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weight_decay: 0,
      decoupled_weight_decay: false,
      foreach: null,
      maximize: false,
      capturable: false,
      differentiable: false,
    } as RAdamOptions)
    checkAdamLike('RAdam', o)
    super(params, o)
  }

  /** @internal */
  _update(group: ParamGroup<RAdamOptions>): void {
    const { lr, eps } = group
    const [beta1, beta2] = group.betas
    const rhoInf = 2 / (1 - beta2) - 1
    for (const p of realParams(group.params)) {
      const g0 = gradOf(p, group.maximize)
      if (g0 === null) continue
      const st = this._stateOf(p, () => ({ step: 0, exp_avg: zeros_like(p), exp_avg_sq: zeros_like(p) }))
      st.step += 1
      const t = st.step
      const grad = decayed(g0, p, lr, group.weight_decay, group.decoupled_weight_decay)
      st.exp_avg.lerp_(grad, 1 - beta1)
      st.exp_avg_sq.mul_(beta2).addcmul_(grad, grad, { value: 1 - beta2 })
      const bc1 = 1 - beta1 ** t
      const bc2 = 1 - beta2 ** t
      const m = st.exp_avg.div(bc1)
      const rhoT = rhoInf - (2 * t * beta2 ** t) / bc2
      if (rhoT > 5) {
        // the variance is tractable: rectified adaptive step
        const rect = Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT))
        const adaptive = st.exp_avg_sq.sqrt().add(eps).reciprocal().mul(Math.sqrt(bc2))
        p.sub_(m.mul(lr).mul(adaptive).mul(rect))
      } else p.sub_(m.mul(lr))
    }
  }
}

/**
 * RAdam: Adam whose adaptive term is switched on (and rectified) once the variance of the
 * second moment is tractable (`ρₜ > 5`); before that, SGD with momentum.
 * @example
 * import * as torch from 'wengert/torch'
 * const w = torch.tensor([1], { requires_grad: true })
 * const opt = torch.optim.RAdam([w], { lr: 0.1 })
 * w.pow(2).sum().backward()
 * opt.step()
 * // first step: ρ₁ ≤ 5, so the step is lr · m̂ = 0.1 · 2
 * assert.ok(Math.abs((w.item() as number) - 0.8) < 1e-6)
 * @category torch @since 0.2.0
 */
export const RAdam = pyClass(RAdamImpl, 'RAdam', leadingKeywords('RAdam.__init__', ['params']))
/** A `torch.optim.RAdam` instance. @category torch @since 0.2.0 */
export type RAdam = RAdamImpl
