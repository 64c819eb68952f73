/**
 * `torch.optim.Adam` and `torch.optim.AdamW` with PyTorch's update (`torch/optim/adam.py`,
 * single-tensor path). At step t:
 *
 * ```
 * g ← ∇θ (−∇θ with maximize)
 * Adam:  g ← g + λ·θ            AdamW:  θ ← θ·(1 − γ·λ)
 * m ← β₁·m + (1 − β₁)·g          v ← β₂·v + (1 − β₂)·g²
 * v̂ ← max(v̂, v) (amsgrad; else v̂ = v)
 * θ ← θ − (γ / (1 − β₁ᵗ)) · m / (√v̂ / √(1 − β₂ᵗ) + ε)
 * ```
 *
 * @category torch
 * @since 0.1.0
 */
import { zeros_like } from '../creation'
import { TorchValueError } from '../errors'
import { leadingKeywords, parseArgs, type PyArgs } from '../kwargs'
import { pyClass } from '../nn/pyclass'
import type { Tensor } from '../tensor'
import { Optimizer, type ParamGroup, type ParamsInput } from './optimizer'
import { realParams } from './complexParams'
import { refuseFlags } from './options'

/** Adam's and AdamW's hyper-parameters. @category torch @since 0.1.0 */
export interface AdamOptions {
  lr: number
  betas: readonly [number, number]
  eps: number
  weight_decay: number
  amsgrad: boolean
  maximize: boolean
  foreach: boolean | null
  capturable: boolean
  differentiable: boolean
  fused: boolean | null
  /** AdamW's decay θ ← θ·(1 − γλ) instead of Adam's L2 term (true for AdamW). */
  decoupled_weight_decay: boolean
}

/** Adam's state of one parameter: the step count and the moment estimates. @category torch @since 0.1.0 */
export interface AdamState {
  /** Number of steps taken (PyTorch keeps it in a 0-d tensor; here a number). */
  step: number
  exp_avg: Tensor
  exp_avg_sq: Tensor
  /** Running maximum of exp_avg_sq (amsgrad only). */
  max_exp_avg_sq?: Tensor
}

type AdamKw = Partial<Readonly<AdamOptions>>
type AdamArgs = PyArgs<
  [lr: number, betas: readonly [number, number], eps: number, weight_decay: number, amsgrad: boolean],
  AdamKw
>

const NAMES = [
  'lr',
  'betas',
  'eps',
  'weight_decay',
  'amsgrad',
  'maximize',
  'foreach',
  'capturable',
  'differentiable',
  'fused',
  'decoupled_weight_decay',
]

const options = (fn: string, rest: ReadonlyArray<unknown>, defaultDecay: number, decoupled: boolean): AdamOptions => {
  const a = parseArgs(fn, rest, NAMES)
  const o: AdamOptions = {
    lr: (a.lr as number | undefined) ?? 1e-3,
    betas: (a.betas as readonly [number, number] | undefined) ?? [0.9, 0.999],
    eps: (a.eps as number | undefined) ?? 1e-8,
    weight_decay: (a.weight_decay as number | undefined) ?? defaultDecay,
    amsgrad: (a.amsgrad as boolean | undefined) ?? false,
    maximize: (a.maximize as boolean | undefined) ?? false,
    foreach: (a.foreach as boolean | null | undefined) ?? null,
    capturable: (a.capturable as boolean | undefined) ?? false,
    differentiable: (a.differentiable as boolean | undefined) ?? false,
    fused: (a.fused as boolean | null | undefined) ?? null,
    decoupled_weight_decay: (a.decoupled_weight_decay as boolean | undefined) ?? decoupled,
  }
  if (!(o.lr >= 0)) throw new TorchValueError(`Invalid learning rate: ${o.lr}`)
  if (!(o.eps >= 0)) throw new TorchValueError(`Invalid epsilon value: ${o.eps}`)
  if (!(o.betas[0] >= 0 && o.betas[0] < 1))
    throw new TorchValueError(`Invalid beta parameter at index 0: ${o.betas[0]}`)
  if (!(o.betas[1] >= 0 && o.betas[1] < 1))
    throw new TorchValueError(`Invalid beta parameter at index 1: ${o.betas[1]}`)
  if (!(o.weight_decay >= 0)) throw new TorchValueError(`Invalid weight_decay value: ${o.weight_decay}`)
  refuseFlags(fn.split('.')[0] as string, o)
  return o
}

/** See {@link Adam}. */
class AdamImpl extends Optimizer<AdamOptions, AdamState> {
  constructor(params: ParamsInput<AdamOptions>, ...rest: AdamArgs) {
    super(params, options('Adam.__init__', rest, 0, false))
  }

  /** @internal */
  _update(group: ParamGroup<AdamOptions>): void {
    const { lr, eps, weight_decay: wd, amsgrad, maximize, decoupled_weight_decay: decoupled } = group
    const [beta1, beta2] = group.betas
    for (const p of realParams(group.params)) {
      const g0 = p._grad
      if (g0 === null) continue
      let grad = maximize ? g0.neg() : g0
      const st = this._stateOf(p, () => ({
        step: 0,
        exp_avg: zeros_like(p),
        exp_avg_sq: zeros_like(p),
        ...(amsgrad ? { max_exp_avg_sq: zeros_like(p) } : {}),
      }))
      st.step += 1
      if (wd !== 0) {
        if (decoupled) p.mul_(1 - lr * wd)
        else grad = grad.add(p, { alpha: wd })
      }
      st.exp_avg.lerp_(grad, 1 - beta1)
      st.exp_avg_sq.mul_(beta2).addcmul_(grad, grad, { value: 1 - beta2 })
      const bc1 = 1 - beta1 ** st.step
      const bc2 = 1 - beta2 ** st.step
      const stepSize = lr / bc1
      const bc2Sqrt = Math.sqrt(bc2)
      let second = st.exp_avg_sq
      if (amsgrad) {
        if (st.max_exp_avg_sq === undefined) st.max_exp_avg_sq = zeros_like(p)
        second = st.max_exp_avg_sq.maximum_(st.exp_avg_sq)
      }
      const denom = second.sqrt().div(bc2Sqrt).add(eps)
      p.addcdiv_(st.exp_avg, denom, { value: -stepSize })
    }
  }
}

/**
 * Adam with bias-corrected moments, optional L2 `weight_decay` (added to the gradient),
 * `amsgrad` and `maximize` — PyTorch's update rule.
 * @example
 * import * as torch from 'wengert/torch'
 * const w = torch.tensor([1, -1], { requires_grad: true })
 * const opt = torch.optim.Adam([w], { lr: 0.1 })
 * w.pow(2).sum().backward()
 * opt.step()
 * // the first Adam step moves each coordinate by lr against the gradient's sign
 * assert.deepStrictEqual((w.tolist() as number[]).map((v) => Math.round(v * 1e6) / 1e6), [0.9, -0.9])
 * @category torch @since 0.1.0
 */
export const Adam = pyClass(AdamImpl, 'Adam', leadingKeywords('Adam.__init__', ['params']))
/** A `torch.optim.Adam` instance. @category torch @since 0.1.0 */
export type Adam = AdamImpl

/** See {@link AdamW}. */
class AdamWImpl extends AdamImpl {
  constructor(params: ParamsInput<AdamOptions>, ...rest: AdamArgs) {
    super(params, { ...options('AdamW.__init__', rest, 1e-2, true) })
  }
}

/**
 * AdamW: Adam with decoupled weight decay `θ ← θ·(1 − lr·weight_decay)` (default 0.01)
 * applied before the moment update, instead of an L2 term in the gradient.
 * @category torch @since 0.1.0
 */
export const AdamW = pyClass(AdamWImpl, 'AdamW', leadingKeywords('AdamW.__init__', ['params']))
/** A `torch.optim.AdamW` instance. @category torch @since 0.1.0 */
export type AdamW = AdamWImpl
