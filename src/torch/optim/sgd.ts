/**
 * `torch.optim.SGD` with PyTorch's exact update (`torch/optim/sgd.py`, single-tensor path):
 *
 * ```
 * g ← ∇θ (−∇θ with maximize)
 * g ← g + λ·θ                       (weight_decay λ ≠ 0)
 * b ← g (first step) | μ·b + (1 − τ)·g   (momentum μ ≠ 0, dampening τ)
 * g ← g + μ·b (nesterov) | b
 * θ ← θ − γ·g
 * ```
 *
 * @category torch
 * @since 0.1.0
 */
import { TorchValueError } from '../errors'
import { leadingKeywords, parseArgs, type PyArgs } from '../kwargs'
import { pyClass } from '../nn/pyclass'
import type { Tensor } from '../tensor'
import { Optimizer, type ParamGroup, type ParamsInput } from './optimizer'
import { realParams } from './complexParams'
import { refuseFlags } from './options'

/** SGD's hyper-parameters. @category torch @since 0.1.0 */
export interface SGDOptions {
  lr: number
  momentum: number
  dampening: number
  weight_decay: number
  nesterov: boolean
  maximize: boolean
  foreach: boolean | null
  differentiable: boolean
  fused: boolean | null
}

/** SGD's state of one parameter. @category torch @since 0.1.0 */
export interface SGDState {
  momentum_buffer: Tensor | null
}

type SGDKw = Partial<Readonly<SGDOptions>>

const check = (o: SGDOptions): SGDOptions => {
  if (o.lr < 0) throw new TorchValueError(`Invalid learning rate: ${o.lr}`)
  if (o.momentum < 0) throw new TorchValueError(`Invalid momentum value: ${o.momentum}`)
  if (o.weight_decay < 0) throw new TorchValueError(`Invalid weight_decay value: ${o.weight_decay}`)
  if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0))
    throw new TorchValueError('Nesterov momentum requires a momentum and zero dampening')
  refuseFlags('SGD', o)
  return o
}

/** See {@link SGD}. */
class SGDImpl extends Optimizer<SGDOptions, SGDState> {
  constructor(
    params: ParamsInput<SGDOptions>,
    ...rest: PyArgs<[lr: number, momentum: number, dampening: number, weight_decay: number, nesterov: boolean], SGDKw>
  ) {
    const a = parseArgs('SGD.__init__', rest, [
      'lr',
      'momentum',
      'dampening',
      'weight_decay',
      'nesterov',
      'maximize',
      'foreach',
      'differentiable',
      'fused',
    ])
    const defaults = check({
      lr: (a.lr as number | undefined) ?? 1e-3,
      momentum: (a.momentum as number | undefined) ?? 0,
      dampening: (a.dampening as number | undefined) ?? 0,
      weight_decay: (a.weight_decay as number | undefined) ?? 0,
      nesterov: (a.nesterov as boolean | undefined) ?? false,
      maximize: (a.maximize as boolean | undefined) ?? false,
      foreach: (a.foreach as boolean | null | undefined) ?? null,
      differentiable: (a.differentiable as boolean | undefined) ?? false,
      fused: (a.fused as boolean | null | undefined) ?? null,
    })
    super(params, defaults)
  }

  /** @internal */
  _update(group: ParamGroup<SGDOptions>): void {
    const { lr, momentum, dampening, weight_decay: wd, nesterov, maximize } = group
    for (const p of realParams(group.params)) {
      const grad = p._grad
      if (grad === null) continue
      let d = maximize ? grad.neg() : grad
      if (wd !== 0) d = d.add(p, { alpha: wd })
      // PyTorch keeps a (None) momentum_buffer entry for every stepped parameter
      const st = this._stateOf(p, () => ({ momentum_buffer: null }))
      if (momentum !== 0) {
        let buf = st.momentum_buffer
        if (buf === null) {
          buf = d.clone().detach()
          st.momentum_buffer = buf
        } else buf.mul_(momentum).add_(d, { alpha: 1 - dampening })
        d = nesterov ? d.add(buf, { alpha: momentum }) : buf
      }
      p.add_(d, { alpha: -lr })
    }
  }
}

/**
 * Stochastic gradient descent with optional momentum (first step: buffer = gradient), dampening,
 * Nesterov momentum, L2 weight decay and maximize, exactly as PyTorch updates.
 * @example
 * import * as torch from 'wengert/torch'
 * const w = torch.tensor([1, 2], { requires_grad: true })
 * const opt = torch.optim.SGD([w], { lr: 0.1 })
 * w.pow(2).sum().backward()
 * opt.step()
 * assert.deepStrictEqual((w.tolist() as number[]).map((v) => Math.round(v * 100) / 100), [0.8, 1.6])
 * assert.strictEqual(w.is_leaf, true)
 * @category torch @since 0.1.0
 */
export const SGD = pyClass(SGDImpl, 'SGD', leadingKeywords('SGD.__init__', ['params']))
/** A `torch.optim.SGD` instance. @category torch @since 0.1.0 */
export type SGD = SGDImpl
