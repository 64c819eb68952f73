/**
 * `torch.optim.ASGD` (averaged SGD) and `torch.optim.Rprop` (resilient backpropagation), with
 * PyTorch's single-tensor updates.
 *
 * @category torch
 * @since 0.2.0
 */
import { full_like, ones_like, zeros_like } from '../creation'
import { TorchValueError } from '../errors'
import { leadingKeywords, type PyArgs } from '../kwargs'
import { pyClass } from '../nn/pyclass'
import type { Tensor } from '../tensor'
import { Optimizer, type ParamGroup, type ParamsInput } from './optimizer'
import { realParams } from './complexParams'
import { gradOf, nonNegative, parseOptions, refuseFlags, scalarState, withDecay, type ExecutionFlags } from './options'

// -------------------------------------------------------------------------------------
// ASGD
// -------------------------------------------------------------------------------------

/** ASGD's hyper-parameters. @category torch @since 0.2.0 */
export interface ASGDOptions extends ExecutionFlags {
  lr: number
  lambd: number
  alpha: number
  t0: number
  weight_decay: number
  maximize: boolean
}
/** ASGD's state of one parameter: step, current step size `eta`, averaging rate `mu`, average `ax`. @category torch @since 0.2.0 */
export interface ASGDState {
  step: number
  eta: number
  mu: number
  ax: Tensor
}

/** See {@link ASGD}. */
class ASGDImpl extends Optimizer<ASGDOptions, ASGDState> {
  constructor(
    params: ParamsInput<ASGDOptions>,
    ...rest: PyArgs<
      [lr: number, lambd: number, alpha: number, t0: number, weight_decay: number],
      Partial<Readonly<ASGDOptions>>
    >
  ) {
    const o = parseOptions('ASGD.__init__', rest, {
      lr: 1e-2,
      lambd: 1e-4,
      alpha: 0.75,
      t0: 1e6,
      weight_decay: 0,
      foreach: null,
      maximize: false,
      differentiable: false,
      capturable: false,
    } as ASGDOptions)
    nonNegative('learning rate', o.lr)
    nonNegative('weight_decay value', o.weight_decay)
    refuseFlags('ASGD', o)
    super(params, o)
  }

  /** @internal */
  _update(group: ParamGroup<ASGDOptions>): void {
    const { lr, lambd, alpha, t0 } = group
    for (const p of realParams(group.params)) {
      const g0 = gradOf(p, group.maximize)
      if (g0 === null) continue
      const st = this._stateOf(p, () => ({ step: 0, eta: scalarState(lr), mu: 1, ax: zeros_like(p) }))
      st.step += 1
      const grad = withDecay(g0, p, group.weight_decay)
      p.mul_(1 - lambd * st.eta)
      p.add_(grad, { alpha: -st.eta })
      if (st.mu !== 1) st.ax.add_(p.sub(st.ax).mul(st.mu))
      else st.ax.copy_(p)
      // eta and mu are float32 0-d tensors in PyTorch (scalarState)
      st.eta = scalarState(lr / (1 + lambd * lr * st.step) ** alpha)
      st.mu = scalarState(1 / Math.max(1, st.step - t0))
    }
  }
}

/**
 * Averaged SGD: `θ ← θ·(1 − λη) − η·g` with `η = γ / (1 + λγt)^α`, and the running average
 * `ax` of the iterates once `t > t0` (read it from `optimizer.state.get(p).ax`).
 * @example
 * import * as torch from 'wengert/torch'
 * const w = torch.tensor([1], { requires_grad: true })
 * const opt = torch.optim.ASGD([w], { lr: 0.1, lambd: 0 })
 * w.pow(2).sum().backward()
 * opt.step()
 * assert.ok(Math.abs((w.item() as number) - 0.8) < 1e-6)
 * @category torch @since 0.2.0
 */
export const ASGD = pyClass(ASGDImpl, 'ASGD', leadingKeywords('ASGD.__init__', ['params']))
/** A `torch.optim.ASGD` instance. @category torch @since 0.2.0 */
export type ASGD = ASGDImpl

// -------------------------------------------------------------------------------------
// Rprop
// -------------------------------------------------------------------------------------

/** Rprop's hyper-parameters. @category torch @since 0.2.0 */
export interface RpropOptions extends ExecutionFlags {
  lr: number
  etas: readonly [number, number]
  step_sizes: readonly [number, number]
  maximize: boolean
}
/** Rprop's state of one parameter. @category torch @since 0.2.0 */
export interface RpropState {
  step: number
  prev: Tensor
  step_size: Tensor
}

/** See {@link Rprop}. */
class RpropImpl extends Optimizer<RpropOptions, RpropState> {
  constructor(
    params: ParamsInput<RpropOptions>,
    ...rest: PyArgs<
      [lr: number, etas: readonly [number, number], step_sizes: readonly [number, number]],
      Partial<Readonly<RpropOptions>>
    >
  ) {
    const o = parseOptions('Rprop.__init__', rest, {
      lr: 1e-2,
      etas: [0.5, 1.2],
      step_sizes: [1e-6, 50],
      capturable: false,
      foreach: null,
      maximize: false,
      differentiable: false,
    } as RpropOptions)
    nonNegative('learning rate', o.lr)
    const [minus, plus] = o.etas
    if (!(minus > 0 && minus < 1 && plus > 1)) throw new TorchValueError(`Invalid eta values: ${minus}, ${plus}`)
    refuseFlags('Rprop', o)
    super(params, o)
  }

  /** @internal */
  _update(group: ParamGroup<RpropOptions>): void {
    const [etaminus, etaplus] = group.etas
    const [smin, smax] = group.step_sizes
    for (const p of realParams(group.params)) {
      const g0 = gradOf(p, group.maximize)
      if (g0 === null) continue
      const st = this._stateOf(p, () => ({ step: 0, prev: zeros_like(p), step_size: full_like(p, group.lr) }))
      st.step += 1
      const sign = g0.mul(st.prev).sign()
      const factor = ones_like(p).masked_fill(sign.gt(0), etaplus).masked_fill(sign.lt(0), etaminus)
      st.step_size.mul_(factor).clamp_(smin, smax)
      // a sign change skips this coordinate's step and forgets its gradient
      const grad = g0.masked_fill(sign.lt(0), 0)
      p.addcmul_(grad.sign(), st.step_size, { value: -1 })
      st.prev.copy_(grad)
    }
  }
}

/**
 * Rprop: per-coordinate step sizes grown by `etas[1]` while the gradient keeps its sign and cut
 * by `etas[0]` when it flips (clamped to `step_sizes`); the step uses only the gradient's sign.
 * @example
 * import * as torch from 'wengert/torch'
 * const w = torch.tensor([1, -1], { requires_grad: true })
 * const opt = torch.optim.Rprop([w], { lr: 0.1 })
 * w.pow(2).sum().backward()
 * opt.step()
 * assert.deepStrictEqual((w.tolist() as number[]).map((v) => Math.round(v * 1e6) / 1e6), [0.9, -0.9])
 * @category torch @since 0.2.0
 */
export const Rprop = pyClass(RpropImpl, 'Rprop', leadingKeywords('Rprop.__init__', ['params']))
/** A `torch.optim.Rprop` instance. @category torch @since 0.2.0 */
export type Rprop = RpropImpl
