/**
 * `torch.distributions.VonMises`: the circular distribution with density
 * exp(κ·cos(x − μ)) / (2π·I₀(κ)), with PyTorch's polynomial approximations of log I₀ and log I₁
 * and its rejection sampler (Best and Fisher, 1979), run in double precision as PyTorch 2.x does.
 *
 * @category torch
 * @since 0.2.0
 */
import { pyClass } from '../nn/pyclass'
import { no_grad } from '../autograd/grad_mode'
import { rand } from '../creation'
import { float64 } from '../dtype'
import type { PyArgs } from '../kwargs'
import type { Tensor } from '../tensor'
import * as constraints from './constraints'
import { Distribution, type ArgConstraints, type Param, type SampleShape, type ValidateKw } from './distribution'

type T = Tensor
const LOG_2PI = Math.log(2 * Math.PI)

// Abramowitz and Stegun 9.8.1–9.8.4: I0 and I1 for x < 3.75 (in (x/3.75)²) and for x ≥ 3.75 (in 3.75/x)
const I0_SMALL = [1.0, 3.5156229, 3.0899424, 1.2067492, 0.2659732, 0.0360768, 0.0045813]
const I0_LARGE = [
  0.39894228, 0.01328592, 0.00225319, -0.00157565, 0.00916281, -0.02057706, 0.02635537, -0.01647633, 0.00392377,
]
const I1_SMALL = [0.5, 0.87890594, 0.51498869, 0.15084934, 0.02658733, 0.00301532, 0.00032411]
const I1_LARGE = [
  0.39894228, -0.03988024, -0.00362018, 0.00163801, -0.01031555, 0.02282967, -0.02895312, 0.01787654, -0.00420059,
]

/** Σ cₖ·yᵏ by Horner's rule. */
const poly = (y: T, coef: ReadonlyArray<number>): T => {
  let r = y.mul(0).add(coef[coef.length - 1] as number)
  for (let k = coef.length - 2; k >= 0; k--) r = r.mul(y).add(coef[k] as number)
  return r
}

/** log I_order(x) for x > 0 and order 0 or 1 (PyTorch's `_log_modified_bessel_fn`). */
export const logModifiedBessel = (x: T, order: 0 | 1): T => {
  const ys = x.div(3.75).pow(2)
  let small = poly(ys, order === 0 ? I0_SMALL : I1_SMALL)
  if (order === 1) small = x.abs().mul(small)
  const yl = x.reciprocal().mul(3.75)
  const large = x.sub(x.log().mul(0.5)).add(poly(yl, order === 0 ? I0_LARGE : I1_LARGE).log())
  return small.log().where(x.lt(3.75), large)
}

/** Keywords of VonMises. */
export interface VonMisesKw extends ValidateKw {
  readonly loc?: Param
  readonly concentration?: Param
}

/** Best and Fisher's envelope parameter r for concentration κ (its Taylor form 1/κ + κ below 1e-5). */
const proposalR = (kappa: T): T => {
  const tau = kappa.pow(2).mul(4).add(1).sqrt().add(1)
  const rho = tau.sub(tau.mul(2).sqrt()).div(kappa.mul(2))
  const r = rho.pow(2).add(1).div(rho.mul(2))
  return r.where(kappa.ge(1e-5), kappa.reciprocal().add(kappa))
}

/** Rejection sampling of angles around `loc` (all double precision), drawing three uniforms per round. */
const rejectionSample = (loc: T, kappa: T, r: T, shape: ReadonlyArray<number>): T => {
  let x = loc.new_zeros([...shape])
  let done = x.ne(0)
  while (!(done.all().item() as boolean)) {
    const [u1, u2, u3] = rand([3, ...shape], { dtype: float64 }).unbind() as [T, T, T]
    const z = u1.mul(Math.PI).cos()
    const f = r.mul(z).add(1).div(r.add(z))
    const c = kappa.mul(r.sub(f))
    const accept = c.mul(c.neg().add(2)).sub(u2).gt(0).logical_or(c.div(u2).log().add(1).sub(c).ge(0))
    if (accept.any().item() as boolean) {
      x = u3.sub(0.5).sign().mul(f.acos()).where(accept, x)
      done = done.logical_or(accept)
    }
  }
  return x
    .add(Math.PI)
    .add(loc)
    .remainder(2 * Math.PI)
    .sub(Math.PI)
}

/** See {@link VonMises}. */
class VonMisesImpl extends Distribution {
  declare readonly loc: T
  declare readonly concentration: T
  constructor(...args: PyArgs<[loc: Param, concentration: Param, validate_args: boolean | null], VonMisesKw>) {
    super()
    this._scalarParams(args, ['loc', 'concentration'])
  }
  get arg_constraints(): ArgConstraints {
    return { loc: constraints.real, concentration: constraints.positive }
  }
  get support(): constraints.Constraint {
    return constraints.real
  }
  override get mean(): T {
    return this.loc
  }
  override get mode(): T {
    return this.loc
  }
  override get variance(): T {
    const k = this.concentration
    return logModifiedBessel(k, 1).sub(logModifiedBessel(k, 0)).exp().neg().add(1)
  }
  override log_prob(value: T): T {
    this._validate_sample(value)
    const k = this.concentration
    return k.mul(value.sub(this.loc).cos()).sub(LOG_2PI).sub(logModifiedBessel(k, 0))
  }
  override sample(sample_shape: SampleShape = []): T {
    return no_grad(() => {
      const loc = this.loc.to(float64)
      const kappa = this.concentration.to(float64)
      const out = rejectionSample(loc, kappa, proposalR(kappa), this._extended_shape(sample_shape))
      return out.to(this.loc.dtype)
    })
  }
}

/**
 * PyTorch's `torch.distributions.VonMises(loc, concentration)`: a distribution of angles (radians)
 * concentrated around `loc`; `mean` and `variance` are the circular ones. `sample` draws from the
 * facade's generator in double precision as PyTorch 2.x does (the same numbers as PyTorch for
 * float64 parameters).
 * @example
 * import * as torch from 'wengert/torch'
 * const d = new torch.distributions.VonMises(torch.tensor([0.0]), torch.tensor([1e-6]))
 * // near-zero concentration: the uniform density 1/(2π)
 * assert.ok(Math.abs(d.log_prob(torch.tensor([2.0])).item() + Math.log(2 * Math.PI)) < 1e-5)
 * torch.manual_seed(0)
 * const s = new torch.distributions.VonMises(1, 4).sample([500])
 * assert.ok(Math.abs(s.mean().item() - 1) < 0.1)
 * @category torch
 * @since 0.2.0
 */
export const VonMises = pyClass(VonMisesImpl, 'VonMises')
/** A `VonMises` instance. @category torch @since 0.2.0 */
export type VonMises = VonMisesImpl
