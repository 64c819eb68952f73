/**
 * PyTorch's other spellings of element-wise methods (`arccos` for `acos`, …: the same op and
 * node), `acosh`/`atanh`, and the in-place forms PyTorch has for the unary and binary math
 * methods (`cosh_`, `erfinv_`, `fmod_`, `addmm_`, …). Every in-place form computes the op out of
 * place and commits it with `commitInplace`, which applies PyTorch's checks (leaf, overlap,
 * broadcast growth, dtype category) and rebases the graph.
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import type { NdArray } from '../../ndarray/NdArray'
import { customVjp } from '../../transforms/custom'
import { checkInplace, commitInplace, op } from '../autograd/op'
import { float64 } from '../dtype'
import { NotImplementedError, RuntimeError } from '../errors'
import { floatOf, type TensorOrScalar } from '../ops/convert'
import type { Tensor } from '../tensor'
import { addmmMethods } from './addmm'
import { checkNoPartialOverlap } from './memOverlap'
import { floorDivide, mathMethods, unaryF } from './math'
import { mathExtraMethods } from './mathExtra'
import { reduceMethods } from './reduce'

type T = Tensor

/** The in-place form of a method that returns a tensor of `this`'s shape. */
export const inplaceForm = <A extends unknown[]>(f: (this: T, ...a: A) => T) =>
  function (this: T, ...args: A): T {
    checkInplace(this)
    // TensorIterator's check: an input partly overlapping the written-to tensor
    for (const a of args)
      if (typeof a === 'object' && a !== null && '_storage' in a) checkNoPartialOverlap(this, a as T)
    return commitInplace(this, f.call(this, ...args))
  }

const m = mathMethods
const x = mathExtraMethods
const acosh = unaryF('AcoshBackward0', lax.acosh, { saves: [0] })
const atanh = unaryF('AtanhBackward0', lax.atanh, { saves: [0] })

/**
 * PyTorch has no derivative for the in-place inverse hyperbolic functions: their node
 * (`AsinhBackward1`, …) raises at backward. `f` with a VJP that raises the same error.
 */
const noInplaceDerivative = (name: string, f: (x: NdArray) => NdArray) =>
  customVjp(
    f,
    (x: NdArray) => [f(x), null] as const,
    (): never => {
      throw new NotImplementedError(`the derivative for 'inplace version of ${name}' is not implemented.`)
    },
  )

/** `x.asinh_()` and its kin: the op under node `<Name>Backward1`, whose backward raises as PyTorch's. */
const inverseHyperbolic_ = (name: 'asinh' | 'acosh' | 'atanh', f: (x: NdArray) => NdArray) =>
  inplaceForm(unaryF(`${name[0]?.toUpperCase()}${name.slice(1)}Backward1`, noInplaceDerivative(name, f)))

/** The element-wise methods under their other names, and acosh/atanh. */
export const aliasMethods = {
  /** Inverse hyperbolic cosine (AcoshBackward0): real for x ≥ 1, NaN below. */
  acosh,
  /** Inverse hyperbolic tangent (AtanhBackward0): real for |x| < 1, ±inf at ±1. */
  atanh,
  arccos: m.acos,
  arcsin: m.asin,
  arctan: m.atan,
  arcsinh: m.asinh,
  arccosh: acosh,
  arctanh: atanh,
  arctan2: m.atan2,
}

/** The in-place forms of the element-wise, cumulative and fused multiply-add methods. */
export const inplaceMoreMethods = {
  acos_: inplaceForm(m.acos),
  arccos_: inplaceForm(m.acos),
  asin_: inplaceForm(m.asin),
  arcsin_: inplaceForm(m.asin),
  atan_: inplaceForm(m.atan),
  arctan_: inplaceForm(m.atan),
  asinh_: inverseHyperbolic_('asinh', lax.asinh),
  arcsinh_: inverseHyperbolic_('asinh', lax.asinh),
  acosh_: inverseHyperbolic_('acosh', lax.acosh),
  arccosh_: inverseHyperbolic_('acosh', lax.acosh),
  atanh_: inverseHyperbolic_('atanh', lax.atanh),
  arctanh_: inverseHyperbolic_('atanh', lax.atanh),
  atan2_: inplaceForm(m.atan2),
  arctan2_: inplaceForm(m.atan2),
  sinh_: inplaceForm(m.sinh),
  cosh_: inplaceForm(m.cosh),
  tan_: inplaceForm(m.tan),
  erf_: inplaceForm(m.erf),
  expm1_: inplaceForm(m.expm1),
  log1p_: inplaceForm(m.log1p),
  log2_: inplaceForm(m.log2),
  log10_: inplaceForm(m.log10),
  trunc_: inplaceForm(m.trunc),
  negative_: inplaceForm(m.negative),
  absolute_: inplaceForm(m.absolute),
  remainder_: inplaceForm(m.remainder),
  floor_divide_: inplaceForm(function (this: T, other: TensorOrScalar): T {
    return floorDivide(this, other, 'floor_divide_')
  }),
  true_divide_: inplaceForm(m.true_divide),
  erfc_: inplaceForm(x.erfc),
  erfinv_: inplaceForm(x.erfinv),
  exp2_: inplaceForm(x.exp2),
  frac_: inplaceForm(x.frac),
  fix_: inplaceForm(x.fix),
  lgamma_: inplaceForm(x.lgamma),
  digamma_: inplaceForm(x.digamma),
  /** In-place polygamma (PyTorch's in-place overload is a node of its own, PolygammaBackward1). */
  polygamma_(this: T, n: number): T {
    x.polygamma.call(this, n) // its argument checks
    checkInplace(this)
    return commitInplace(
      this,
      op('PolygammaBackward1', [this], (v) => lax.polygamma(floatOf(v), n), { saves: [0] }),
    )
  },
  mvlgamma_: inplaceForm(x.mvlgamma),
  i0_: inplaceForm(x.i0),
  sinc_: inplaceForm(x.sinc),
  logit_: inplaceForm(x.logit),
  nan_to_num_: inplaceForm(x.nan_to_num),
  fmod_: inplaceForm(x.fmod),
  hypot_: inplaceForm(x.hypot),
  copysign_: inplaceForm(x.copysign),
  xlogy_: inplaceForm(x.xlogy),
  heaviside_: inplaceForm(x.heaviside),
  deg2rad_: inplaceForm(x.deg2rad),
  rad2deg_: inplaceForm(x.rad2deg),
  sgn_: inplaceForm(x.sgn),
  cumsum_: inplaceForm(reduceMethods.cumsum),
  addmm_: inplaceForm(addmmMethods.addmm),
  addbmm_: inplaceForm(addmmMethods.addbmm),
  baddbmm_: inplaceForm(addmmMethods.baddbmm),
  addmv_: inplaceForm(addmmMethods.addmv),
  addr_: inplaceForm(addmmMethods.addr),
  /** In-place float_power: the result is float64, so `this` must be float64 already (PyTorch's error otherwise). */
  float_power_(this: T, exponent: TensorOrScalar): T {
    if (this.dtype !== float64)
      throw new RuntimeError(
        `the base given to float_power_ has dtype ${this.dtype.word} but the operation's result requires dtype Double`,
      )
    checkInplace(this)
    return commitInplace(this, x.float_power.call(this, exponent))
  },
}
