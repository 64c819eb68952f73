/**
 * More element-wise Tensor methods with PyTorch's names and node names: log-sum pairs
 * (`logaddexp`, `logaddexp2`), `hypot`, `fmod`, `copysign`, `frac`, `fix`, angle conversions,
 * `exp2`, the special functions PyTorch has as methods (`erfc`, `erfinv`, `lgamma`, `digamma`,
 * `polygamma`, `mvlgamma`, `i0`, `sinc`, `logit`, `xlogy`), `nan_to_num`, `float_power` and the
 * sign tests (`signbit`, `isposinf`, `isneginf`, `heaviside`).
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { isFloat } from '../../ndarray/dtype'
import type { NdArray } from '../../ndarray/NdArray'
import { withNotImplemented } from '../autograd/notImplemented'
import { op, type OpOptions } from '../autograd/op'
import { zeroGrad } from '../autograd/zeroGrad'
import { bool, float64 } from '../dtype'
import { RuntimeError } from '../errors'
import { asTensor, floatOf, resultType, type TensorOrScalar } from '../ops/convert'
import { Tensor } from '../tensor'
import * as integer from '../../ops/integer'
import { binaryWithGrad, xlogyWithGrad } from './gradKernels'
import { absFn, binary, signZerosAsDividend, unary, unaryF } from './math'
import { signFn } from './selecting'
import { torchIntegerDivision } from './intDivision'
import { requireTensor } from '../pyTypeName'
import { compositionGrads } from './pointwiseFused'
import { torchTrigamma } from './trigamma'

type T = Tensor

/** sgn's derivative for real input: an efficient zero tensor (../autograd/zeroGrad.ts). */
const SGN_GRAD: OpOptions = {
  grads: (_g, [x]) => [zeroGrad(x as NdArray)],
  formula: (_g, [x]) => [zeroGrad((x as Tensor)._value())],
}

const c = (v: number, like: NdArray): NdArray => lax.scalarLike(v, like)

/** π where x < 0, NaN where x is, else +0 (−0 included): a real number's argument. */
const angleOf = (x: NdArray): NdArray =>
  lax.select(
    lax.lt(x, c(0, x)),
    lax.broadcastLike(c(Math.PI, x), x),
    lax.select(lax.ne(x, x), x, lax.broadcastLike(c(0, x), x)),
  )

/**
 * PyTorch's `logit_backward(grad, self, eps)` (CPU kernel, 1.13 and 2.x): grad / (x·(1 − x)),
 * grad · ∞ at x = 0 or 1; outside [0, 1] NaN without `eps`, and 0 outside [eps, 1 − eps] with it
 * (the clamped elements' gradient). A create_graph backward keeps the rule (PyTorch's
 * `infinitely_differentiable_logit_backward`).
 */
const logitBackward = (g: NdArray, x: NdArray, eps: number | null): Tensor => {
  const full = (v: number): NdArray => lax.broadcastLike(c(v, x), x)
  const edge = lax.or(lax.eq(x, full(0)), lax.eq(x, full(1)))
  const inner = lax.select(edge, lax.mul(g, full(Infinity)), lax.div(g, lax.mul(x, lax.sub(full(1), x))))
  const [lo, hi] = eps === null ? [0, 1] : [eps, 1 - eps]
  const out = lax.or(lax.lt(x, full(lo)), lax.gt(x, full(hi)))
  return Tensor._fromValue(lax.select(out, full(eps === null ? NaN : 0), inner))
}

/** x rounded toward zero (floats; integers are returned as they are). */
const truncOf = (x: NdArray): NdArray =>
  isFloat(x.dtype) ? lax.select(lax.lt(x, c(0, x)), lax.ceil(x), lax.floor(x)) : x

/** log(eˣ + eʸ) (or base 2) without overflow: max + log1p(b^−|x−y|), and x where both are the same infinity. */
const logAddExpIn =
  (base2: boolean) =>
  (x: NdArray, y: NdArray): NdArray => {
    const m = lax.max(x, y)
    const d = lax.neg(lax.abs(lax.sub(x, y)))
    const tail = base2
      ? lax.mulScalar(lax.log1p(lax.exp(lax.mulScalar(d, Math.LN2))), Math.LOG2E)
      : lax.log1p(lax.exp(d))
    const sameInf = lax.and(lax.eq(x, y), lax.not(lax.isFinite(x)))
    return lax.select(sameInf, x, lax.add(m, tail))
  }

/** √(x² + y²) scaled by max(|x|, |y|) so that it neither overflows nor underflows. */
const hypotOf = (x: NdArray, y: NdArray): NdArray => {
  const ax = lax.abs(x)
  const ay = lax.abs(y)
  const big = lax.max(ax, ay)
  const small = lax.neg(lax.max(lax.neg(ax), lax.neg(ay)))
  const safe = lax.select(lax.eq(big, c(0, big)), c(1, big), big)
  const r = lax.div(small, safe)
  const h = lax.mul(big, lax.sqrt(lax.addScalar(lax.mul(r, r), 1)))
  // an infinite operand gives +∞ even when the other is NaN (C's hypot)
  return lax.select(lax.or(lax.eq(ax, c(Infinity, ax)), lax.eq(ay, c(Infinity, ay))), c(Infinity, h), h)
}

/** hypot with PyTorch's gradients `grad · self / result` and `grad · other / result`. */
const hypotWithGrad = binaryWithGrad(
  hypotOf,
  (g, a, _, out) => lax.div(lax.mul(g, a), out),
  (g, _, b, out) => lax.div(lax.mul(g, b), out),
)

/** The remainder of x / y truncated toward zero (C's fmod): the sign of the dividend. */
const fmodOf = (x: NdArray, y: NdArray): NdArray => {
  if (!isFloat(x.dtype)) return lax.sub(x, lax.mul(torchIntegerDivision(integer.truncDivide)(x, y), y))
  return lax.sub(x, lax.mul(truncOf(lax.div(x, y)), y))
}

/** True where a float is below 0 or is −0 (1/−0 = −∞); NaN counts as positive. */
const negativeSign = (y: NdArray): NdArray => lax.or(lax.lt(y, c(0, y)), lax.lt(lax.div(c(1, y), y), c(0, y)))

/** copysign(x, y) as x·(±1), with the signed zero as a constant where x = 0 (so d/dx is 0 there). */
const copysignOf = (x: NdArray, y: NdArray): NdArray => {
  const flip = lax.ne(negativeSign(x), negativeSign(y))
  const r = lax.mul(x, lax.select(flip, c(-1, x), c(1, x)))
  const zero = lax.select(negativeSign(y), c(-0, x), c(0, x))
  return lax.select(lax.eq(x, c(0, x)), lax.broadcastLike(zero, r), r)
}

/** sin(πx)/(πx), 1 at 0. */
const sincOf = (x: NdArray): NdArray => {
  const zero = lax.eq(x, c(0, x))
  const px = lax.mulScalar(lax.select(zero, c(1, x), x), Math.PI)
  return lax.select(zero, c(1, x), lax.div(lax.sin(px), px))
}

/** The largest finite value of a float storage dtype. */
const maxFinite = (x: NdArray): number => (x.dtype === 'float32' ? 3.4028234663852886e38 : Number.MAX_VALUE)

/** log Γₚ(x) = p(p−1)/4·log π + Σⱼ log Γ(x − j/2), j = 0…p−1. */
const mvlgammaOf = (x: NdArray, p: number): NdArray => {
  let s = c((p * (p - 1) * Math.log(Math.PI)) / 4, x)
  for (let j = 0; j < p; j++) s = lax.add(s, lax.lgamma(lax.addScalar(x, -j / 2)))
  return lax.broadcastLike(s, x)
}

/** The element-wise methods of this module (installed on Tensor). */
/**
 * polygamma(1, x) (`PolygammaBackward0`): PyTorch's kernel's values (./trigamma), the core's
 * derivative ψ⁽²⁾; also digamma's gradient, grad · ψ′(x).
 */
const trigammaOp = (x: T): T =>
  op('PolygammaBackward0', [x], (v) => torchTrigamma(floatOf(v)), {
    saves: [0],
    grads: compositionGrads((v) => lax.polygamma(floatOf(v), 1)),
  })

/** digamma's gradient grad · ψ′(self) with PyTorch's trigamma kernel (./trigamma: finite near the poles in float32). */
const DIGAMMA_GRAD: OpOptions = {
  saves: [0],
  grads: (g, [x]) => [Tensor._fromValue(lax.mul(g, torchTrigamma(floatOf(x as NdArray))))],
  formula: (g, [x]) => [g.mul(trigammaOp(x as T))],
}

export const mathExtraMethods = {
  /** log(eˢᵉˡᶠ + eᵒᵗʰᵉʳ), without overflow. */
  logaddexp(this: T, other: TensorOrScalar): T {
    requireTensor('logaddexp', 'other', other) // no Python-number overload (TypeError in PyTorch)
    return binary('LogaddexpBackward0', this, other, logAddExpIn(false), { saves: [0, 1] }, true)
  },
  /** log₂(2ˢᵉˡᶠ + 2ᵒᵗʰᵉʳ), without overflow. */
  logaddexp2(this: T, other: TensorOrScalar): T {
    requireTensor('logaddexp2', 'other', other) // no Python-number overload (TypeError in PyTorch)
    return binary('Logaddexp2Backward0', this, other, logAddExpIn(true), { saves: [0, 1] }, true)
  },
  /** √(self² + other²), without overflow. */
  hypot(this: T, other: T): T {
    requireTensor('hypot', 'other', other) // no Python-number overload (TypeError in PyTorch)
    return binary('HypotBackward0', this, other, hypotWithGrad, { saves: [0, 1], savesOutput: true }, true)
  },
  /** The remainder of self / other with the sign of self (C's fmod; `remainder` takes the divisor's sign). */
  fmod(this: T, other: TensorOrScalar): T {
    const scalar = typeof other === 'number'
    // FmodBackward1 saves self and other for other's gradient, -grad * self.div(other, rounding_mode='trunc')
    const opts = scalar ? { scalars: [1] } : { saves: (n: ReadonlyArray<boolean>) => (n[1] === true ? [0, 1] : []) }
    const out = binary(scalar ? 'FmodBackward0' : 'FmodBackward1', this, other, fmodOf, opts)
    return signZerosAsDividend(out, this)
  },
  /**
   * |self| with the sign of other (also of −0); PyTorch's derivative: ±1 in self, 0 where self
   * is 0, and 0 in other.
   */
  copysign(this: T, other: TensorOrScalar): T {
    // PyTorch's nodes: CopysignBackward0 for copysign.Tensor, CopysignBackward1 for copysign.Scalar
    const scalar = typeof other === 'number'
    // copysign_tensor_self_backward(grad, self, result): the result is saved too
    const opts = scalar ? { saves: [0, 1], scalars: [1], savesOutput: true } : { saves: [0, 1], savesOutput: true }
    return binary(scalar ? 'CopysignBackward1' : 'CopysignBackward0', this, other, copysignOf, opts, true)
  },
  /**
   * The sign (PyTorch's `sgn`, the same as `sign` for real tensors: +0 for ±0 and NaN). Its
   * derivative for a real input is PyTorch's efficient zero tensor, which adds nothing where it
   * meets another gradient (../autograd/zeroGrad.ts).
   */
  sgn: unary('SgnBackward0', signFn, SGN_GRAD),
  /**
   * The angle of each element in radians: for real input π below zero (−∞ included), 0 at and
   * above it (−0 included), NaN at NaN; integers give the default float dtype. Its derivative for
   * real input is zero everywhere, NaN included (AngleBackward0), as sgn's.
   */
  angle: unaryF('AngleBackward0', angleOf, SGN_GRAD),
  /** self − trunc(self). */
  frac: unary('FracBackward0', (x) => lax.sub(x, truncOf(x))),
  /** Alias of trunc. */
  fix: unary('TruncBackward0', truncOf),
  /** Degrees to radians. */
  deg2rad: unaryF('Deg2RadBackward0', (x) => lax.mulScalar(x, Math.PI / 180)),
  /** Radians to degrees. */
  rad2deg: unaryF('Rad2DegBackward0', (x) => lax.mulScalar(x, 180 / Math.PI)),
  /** 2ˢᵉˡᶠ. */
  exp2: unaryF('Exp2Backward0', (x) => lax.pow(lax.broadcastLike(c(2, x), x), x), { savesOutput: true }),
  /** 1 − erf(self). */
  erfc: unaryF('ErfcBackward0', lax.erfc, { saves: [0] }),
  /** The inverse of erf on (−1, 1). */
  erfinv: unaryF('ErfinvBackward0', lax.erfInv, { saves: [0] }),
  /** log|Γ(self)|. */
  lgamma: unaryF('LgammaBackward0', lax.lgamma, { saves: [0] }),
  /** ψ(self) = d/dx log Γ(x). */
  digamma: unaryF('DigammaBackward0', lax.digamma, DIGAMMA_GRAD),
  /** The n-th derivative of the digamma function (`x.polygamma(n)`; the function form is `torch.polygamma(n, x)`). */
  polygamma(this: T, n: number): T {
    if (!Number.isInteger(n) || n < 0)
      throw new RuntimeError(`polygamma(n, x) does not support negative n. (got n = ${n})`)
    if (n !== 1) return op('PolygammaBackward0', [this], (x) => lax.polygamma(floatOf(x), n), { saves: [0] })
    return trigammaOp(this)
  },
  /** The multivariate log-gamma function of dimension p. */
  mvlgamma(this: T, p: number | { readonly p: number }): T {
    const d = typeof p === 'number' ? p : p.p
    // NOTE: PyTorch 2.x checks no domain (elements ≤ (p−1)/2 give ±inf or log|Γ| of negative
    // arguments, as lgamma does), only the dtype and p (UnaryOps.cpp mvlgamma_check)
    if (this.dtype.name === 'bool') throw new RuntimeError('The input tensor may not be a boolean tensor.')
    if (!Number.isInteger(d) || d < 1) throw new RuntimeError('p has to be greater than or equal to 1')
    return op('MvlgammaBackward0', [this], (x) => mvlgammaOf(floatOf(x), d), { saves: [0] })
  },
  /** The modified Bessel function of the first kind, order 0 (e^|x| with |x|'s PyTorch derivative, 0 at 0, so I₀'(0) = I₁(0) = 0). */
  i0: unaryF('I0Backward0', (x) => lax.mul(lax.besselI0e(x), lax.exp(absFn(x))), { saves: [0] }),
  /** sin(πx)/(πx), 1 at 0. */
  sinc: unaryF('SincBackward0', sincOf, { saves: [0] }),
  /** log(p / (1 − p)); with `eps`, p is clamped into [eps, 1 − eps] first (the gradient is 0 outside). */
  logit(this: T, eps: number | null | { readonly eps?: number | null } = null): T {
    const e = typeof eps === 'object' && eps !== null ? (eps.eps ?? null) : eps
    return op(
      'LogitBackward0',
      [this],
      (x) => {
        const p = floatOf(x)
        if (e === null) return lax.logit(p)
        const lo = c(e, p)
        const hi = c(1 - e, p)
        return lax.logit(
          lax.select(lax.lt(p, lo), lax.broadcastLike(lo, p), lax.select(lax.gt(p, hi), lax.broadcastLike(hi, p), p)),
        )
      },
      { saves: [0], grads: (g, [x]) => [logitBackward(g, floatOf(x as NdArray), e)] },
    )
  },
  /**
   * self·log(other), 0 where self = 0 (NaN where other is NaN). PyTorch's nodes: XlogyBackward0
   * (two tensors), XlogyBackward2 (a number other: the `xlogy.Scalar_Other` overload).
   */
  xlogy(this: T, other: TensorOrScalar): T {
    const scalar = typeof other === 'number'
    return binary(
      scalar ? 'XlogyBackward2' : 'XlogyBackward0',
      this,
      other,
      xlogyWithGrad,
      scalar ? { saves: [0], scalars: [1] } : { saves: [0, 1] },
      true,
    )
  },
  /** NaN → `nan` (0), +∞ → `posinf`, −∞ → `neginf` (default: the dtype's largest finite values). */
  nan_to_num(
    this: T,
    nan: number | { readonly nan?: number; readonly posinf?: number | null; readonly neginf?: number | null } = 0,
    posinf: number | null = null,
    neginf: number | null = null,
  ): T {
    const kw = typeof nan === 'object' ? nan : { nan, posinf, neginf }
    return op('NanToNumBackward0', [this], (x) => {
      if (!isFloat(x.dtype)) return x
      const big = maxFinite(x)
      const hi = c(kw.posinf ?? big, x)
      const lo = c(kw.neginf ?? -big, x)
      const b = (v: NdArray): NdArray => lax.broadcastLike(v, x)
      const y = lax.select(lax.eq(x, c(Infinity, x)), b(hi), lax.select(lax.eq(x, c(-Infinity, x)), b(lo), x))
      return lax.select(lax.isNan(x), b(c(kw.nan ?? 0, x)), y)
    })
  },
  /** self itself (PyTorch's unary plus; no node). */
  positive(this: T): T {
    if (this.dtype === bool) throw new RuntimeError('The `+` operator, on a bool tensor is not supported.')
    return this
  },
  /** self ** exponent computed in float64 (PowBackward0 for a number exponent, PowBackward1 for a tensor). */
  float_power(this: T, exponent: TensorOrScalar): T {
    const x = this.dtype === float64 ? this : this.to(float64)
    if (typeof exponent !== 'object') return x.pow(exponent)
    return x.pow(exponent.dtype === float64 ? exponent : exponent.to(float64))
  },
  /** True where the sign bit is set: below 0 and at −0 (NaN counts as positive: JavaScript cannot read its sign bit). */
  signbit(this: T): T {
    return op('signbit', [this], (x) => (isFloat(x.dtype) ? negativeSign(x) : lax.lt(x, c(0, x))), {
      differentiable: false,
    })
  },
  /** True at +∞. */
  isposinf(this: T): T {
    return op('isposinf', [this], (x) => (isFloat(x.dtype) ? lax.eq(x, c(Infinity, x)) : lax.ne(x, x)), {
      differentiable: false,
    })
  },
  /** True at −∞. */
  isneginf(this: T): T {
    return op('isneginf', [this], (x) => (isFloat(x.dtype) ? lax.eq(x, c(-Infinity, x)) : lax.ne(x, x)), {
      differentiable: false,
    })
  },
  /** The Heaviside step: 0 below 0, 1 above, `values` at 0 (not differentiable, as in PyTorch). */
  heaviside(this: T, values: T): T {
    const rt = resultType([this, values])
    if (this.dtype !== values.dtype)
      throw new RuntimeError(
        `heaviside is not yet implemented for tensors with different dtypes (got ${this.dtype} and ${values.dtype})`,
      )
    const vt = asTensor(values, rt.storage)
    const out = op(
      'heaviside',
      [this, vt],
      (x, v) => {
        const one = lax.broadcastLike(c(1, x), x)
        const zero = lax.broadcastLike(c(0, x), x)
        const b = lax.broadcastLike(v, lax.add(x, v))
        return lax.select(lax.eq(x, c(0, x)), b, lax.select(lax.gt(x, c(0, x)), one, zero))
      },
      { differentiable: false },
    )
    // no derivative in PyTorch: a NotImplemented grad_fn whose backward raises
    return withNotImplemented('heaviside', [this, vt], out)
  },
}
