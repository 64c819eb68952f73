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
import { floatOf, resultType, type TensorOrScalar } from './ops/convert'
import { tensor } from './creation'
import type { Tensor } from './tensor'
import type { TorchDType } from './dtype'
import { specialEntry } from './namespaceSignatures'

type T = Tensor

const unaryOp =
  (name: string, f: (x: NdArray) => NdArray) =>
  (input: T): T =>
    op(name, [input], (x) => f(floatOf(x)), { saves: [0] })

const S = specialEntry

/** The `self` of a `(Number self, Tensor other)` call as a 0-d tensor promoting as the number would (PyTorch's wrapped number). */
const selfTensor = (u: T | number, other: TensorOrScalar): T =>
  typeof u === 'number' ? tensor(u, { dtype: resultType([other, u]) }) : u

/** erf. */
export const erf = S('erf', (input: T): T => input.erf())
/** 1 − erf. */
export const erfc = S('erfc', (input: T): T => input.erfc())
/** The inverse of erf. */
export const erfinv = S('erfinv', (input: T): T => input.erfinv())
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
export const erfcx = S('erfcx', unaryOp('SpecialErfcxBackward0', erfcxOf))
/** The logistic sigmoid. */
export const expit = S('expit', (input: T): T => input.sigmoid())
/** log(p / (1 − p)) (with `eps`, p clamped into [eps, 1 − eps]). */
export const logit = S('logit', (input: T, eps: number | null = null): T => input.logit(eps))
/** log|Γ(x)|. */
export const gammaln = S('gammaln', (input: T): T => input.lgamma())
/** ψ(x). */
export const digamma = S('digamma', (input: T): T => input.digamma())
/** Alias of digamma. */
export const psi = S('psi', (input: T): T => input.digamma())
/** The n-th derivative of ψ. */
export const polygamma = S('polygamma', (n: number, input: T): T => input.polygamma(n))
/** The multivariate log-gamma function of dimension p. */
export const multigammaln = S('multigammaln', (input: T, p: number): T => input.mvlgamma(p))
/** I₀(x). */
export const i0 = S('i0', (input: T): T => input.i0())
/** e^−|x|·I₀(x). */
export const i0e = S('i0e', unaryOp('SpecialI0EBackward0', lax.besselI0e))
/** e^−|x|·I₁(x). */
export const i1e = S('i1e', unaryOp('SpecialI1EBackward0', lax.besselI1e))
/** I₁(x). */
export const i1 = S(
  'i1',
  unaryOp('SpecialI1Backward0', (x) => lax.mul(lax.besselI1e(x), lax.exp(absFn(x)))),
)
/** x·log(y), 0 where x = 0. */
export const xlogy = S('xlogy', (input: T | number, other: TensorOrScalar): T => selfTensor(input, other).xlogy(other))
/** x·log1p(y), 0 where x = 0. */
export const xlog1py = S('xlog1py', (input: T | number, other: TensorOrScalar): T =>
  binary('SpecialXlog1PyBackward0', selfTensor(input, other), other, lax.xlog1py, { saves: [0, 1] }, true),
)
/** −x·log x (0 at 0, −∞ below 0). */
export const entr = S('entr', unaryOp('SpecialEntrBackward0', lax.entr))
/** log Φ(x), accurate in both tails. */
export const log_ndtr = S('log_ndtr', unaryOp('SpecialLogNdtrBackward0', lax.logNdtr))
/**
 * Φ(x), composed as PyTorch composes it (aten UnaryOps.cpp `calc_ndtr`, 1.13 and 2.x): (1 +
 * erf(x·√½))·0.5, so its node is `MulBackward1` over `AddBackward1`, `ErfBackward0`, `MulBackward1`.
 */
export const ndtr = S('ndtr', (input: T): T => {
  const scaled = op('MulBackward1', [input], (x) => lax.mulScalar(floatOf(x), Math.SQRT1_2))
  const shifted = op('AddBackward1', [scaled.erf()], (x) => lax.addScalar(x, 1))
  return op('MulBackward1', [shifted], (x) => lax.mulScalar(x, 0.5))
})
/** Φ⁻¹(p). */
export const ndtri = S('ndtri', unaryOp('SpecialNdtriBackward0', lax.ndtri))
/** sin(πx)/(πx). */
export const sinc = S('sinc', (input: T): T => input.sinc())
/** Rounds half to even, at `decimals` decimal places. */
export const round = S('round', (input: T, kw: { readonly decimals?: number } = {}): T =>
  input.round({ decimals: kw.decimals ?? 0 }),
)
/** log(1 + x). */
export const log1p = S('log1p', (input: T): T => input.log1p())
/** 2ˣ. */
export const exp2 = S('exp2', (input: T): T => input.exp2())
/** eˣ − 1. */
export const expm1 = S('expm1', (input: T): T => input.expm1())
/** The Hurwitz zeta function ζ(x, q). */
export const zeta = S('zeta', (input: T | number, other: TensorOrScalar): T =>
  binary('SpecialZetaBackward0', selfTensor(input, other), other, lax.zeta, { saves: [0, 1] }, true),
)
/** The regularised lower incomplete gamma function P(a, x). */
export const gammainc = S('gammainc', (input: T, other: TensorOrScalar): T =>
  binary('IgammaBackward0', input, other, lax.igamma, { saves: [0, 1] }, true),
)
/** The regularised upper incomplete gamma function Q(a, x). */
export const gammaincc = S('gammaincc', (input: T, other: TensorOrScalar): T =>
  binary('IgammacBackward0', input, other, lax.igammac, { saves: [0, 1] }, true),
)
/** log Σ exp over `dim`. */
export const logsumexp = S('logsumexp', (input: T, dim: number | ReadonlyArray<number>, keepdim = false): T =>
  input.logsumexp(dim as number, keepdim),
)
/** Softmax over `dim` (computed in `dtype` when given). */
export const softmax = S('softmax', (input: T, dim: number, dtype: TorchDType | null = null): T =>
  input.softmax(dim, dtype === null ? {} : { dtype }),
)
/** Log-softmax over `dim` (computed in `dtype` when given). */
export const log_softmax = S(
  'log_softmax',
  (input: T, dim: number, kw: { readonly dtype?: TorchDType | null } = {}): T =>
    input.log_softmax(dim, kw.dtype == null ? {} : { dtype: kw.dtype }),
)
