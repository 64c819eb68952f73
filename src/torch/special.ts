/**
 * `torch.special`: the special functions under PyTorch's names and node names (`gammaln` is
 * `LgammaBackward0`, `expit` is `SigmoidBackward0`, `i0e` is `SpecialI0EBackward0`, …), on the
 * same primitives as `wengert`'s `scipy.special`.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.tensor([0.5, 1, 2], { dtype: torch.float64, requires_grad: true })
 * const y = torch.special.gammaln(x)
 * assert.strictEqual(y.grad_fn?.name(), 'LgammaBackward0')
 * assert.ok(Math.abs((y.tolist() as number[])[0]! - 0.5723649429247001) < 1e-12)
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../core/lax'
import type { NdArray } from '../ndarray/NdArray'
import { op } from './autograd/op'
import { absFn, binary } from './methods/math'
import { floatOf, type TensorOrScalar } from './ops/convert'
import type { Tensor } from './tensor'

type T = Tensor

const unaryOp =
  (name: string, f: (x: NdArray) => NdArray) =>
  (input: T): T =>
    op(name, [input], (x) => f(floatOf(x)), { saves: [0] })

/** Φ(x), the standard normal CDF. */
const ndtrOf = (x: NdArray): NdArray => lax.mulScalar(lax.erfc(lax.mulScalar(x, -Math.SQRT1_2)), 0.5)

/** erf. */
export const erf = (input: T): T => input.erf()
/** 1 − erf. */
export const erfc = (input: T): T => input.erfc()
/** The inverse of erf. */
export const erfinv = (input: T): T => input.erfinv()
/**
 * exp(x²)·erfc(x): the product up to x = 25, beyond it the asymptotic series
 * 1/(x√π)·Σₖ (−1)ᵏ(2k−1)!!/(2x²)ᵏ (six terms: relative error below 1e-15 there), so it neither
 * overflows nor loses erfc's underflowing digits. Each branch sees a safe input, so the branch not
 * taken passes no NaN into the gradient.
 */
const erfcxOf = (x: NdArray): NdArray => {
  const far = lax.gt(x, lax.scalarLike(25, x))
  const near = lax.select(far, lax.scalarLike(0, x), x)
  const big = lax.select(far, x, lax.scalarLike(26, x))
  const product = lax.mul(lax.exp(lax.mul(near, near)), lax.erfc(near))
  const inv2 = lax.reciprocal(lax.mulScalar(lax.mul(big, big), 2))
  let term = lax.broadcastLike(lax.scalarLike(1, x), x)
  let sum = term
  for (let k = 1; k <= 6; k++) {
    term = lax.mul(term, lax.mulScalar(inv2, -(2 * k - 1)))
    sum = lax.add(sum, term)
  }
  const series = lax.div(sum, lax.mulScalar(big, Math.sqrt(Math.PI)))
  return lax.select(far, series, product)
}

/** exp(x²)·erfc(x), without overflow for large x. */
export const erfcx = unaryOp('SpecialErfcxBackward0', erfcxOf)
/** The logistic sigmoid. */
export const expit = (input: T): T => input.sigmoid()
/** log(p / (1 − p)) (with `eps`, p clamped into [eps, 1 − eps]). */
export const logit = (input: T, eps: number | null = null): T => input.logit(eps)
/** log|Γ(x)|. */
export const gammaln = (input: T): T => input.lgamma()
/** ψ(x). */
export const digamma = (input: T): T => input.digamma()
/** Alias of digamma. */
export const psi = digamma
/** The n-th derivative of ψ. */
export const polygamma = (n: number, input: T): T => input.polygamma(n)
/** The multivariate log-gamma function of dimension p. */
export const multigammaln = (input: T, p: number): T => input.mvlgamma(p)
/** I₀(x). */
export const i0 = (input: T): T => input.i0()
/** e^−|x|·I₀(x). */
export const i0e = unaryOp('SpecialI0EBackward0', lax.besselI0e)
/** e^−|x|·I₁(x). */
export const i1e = unaryOp('SpecialI1EBackward0', lax.besselI1e)
/** I₁(x). */
export const i1 = unaryOp('SpecialI1Backward0', (x) => lax.mul(lax.besselI1e(x), lax.exp(absFn(x))))
/** x·log(y), 0 where x = 0. */
export const xlogy = (input: T, other: TensorOrScalar): T => input.xlogy(other)
/** x·log1p(y), 0 where x = 0. */
export const xlog1py = (input: T, other: TensorOrScalar): T =>
  binary('SpecialXlog1PyBackward0', input, other, lax.xlog1py, { saves: [0, 1] }, true)
/** −x·log x (0 at 0, −∞ below 0). */
export const entr = unaryOp('SpecialEntrBackward0', lax.entr)
/** log Φ(x), accurate in both tails. */
export const log_ndtr = unaryOp('SpecialLogNdtrBackward0', lax.logNdtr)
/** Φ(x). */
export const ndtr = unaryOp('SpecialNdtrBackward0', ndtrOf)
/** Φ⁻¹(p). */
export const ndtri = unaryOp('SpecialNdtriBackward0', lax.ndtri)
/** sin(πx)/(πx). */
export const sinc = (input: T): T => input.sinc()
/** Rounds half to even. */
export const round = (input: T): T => input.round()
/** log(1 + x). */
export const log1p = (input: T): T => input.log1p()
/** 2ˣ. */
export const exp2 = (input: T): T => input.exp2()
/** eˣ − 1. */
export const expm1 = (input: T): T => input.expm1()
/** The Hurwitz zeta function ζ(x, q). */
export const zeta = (input: T, other: TensorOrScalar): T =>
  binary('SpecialZetaBackward0', input, other, lax.zeta, { saves: [0, 1] }, true)
/** The regularised lower incomplete gamma function P(a, x). */
export const gammainc = (input: T, other: TensorOrScalar): T =>
  binary('IgammaBackward0', input, other, lax.igamma, { saves: [0, 1] }, true)
/** The regularised upper incomplete gamma function Q(a, x). */
export const gammaincc = (input: T, other: TensorOrScalar): T =>
  binary('IgammacBackward0', input, other, lax.igammac, { saves: [0, 1] }, true)
/** log Σ exp over `dim`. */
export const logsumexp = (input: T, dim: number | ReadonlyArray<number>, keepdim = false): T =>
  input.logsumexp(dim as number, keepdim)
/** Softmax over `dim`. */
export const softmax = (input: T, dim: number): T => input.softmax(dim)
/** Log-softmax over `dim`. */
export const log_softmax = (input: T, dim: number): T => input.log_softmax(dim)
