/**
 * Special-function primitives (JAX: the `lax` special functions `lgamma`, `digamma`,
 * `polygamma`, `erfc`, `erf_inv`, `igamma`, `igammac`, `igamma_grad_a`, `random_gamma_grad`,
 * `zeta`, `bessel_i0e`, `bessel_i1e`, `regularized_incomplete_beta`; plus `ndtri`, `log_ndtr`, `logit`, `entr`, `xlogy`,
 * `xlog1py`, which JAX writes as composites or custom JVPs). Each evaluates the float64 kernels
 * of `src/ndarray/kernels/special` element by element; derivatives are closed forms in these
 * primitives, never derivatives of the series loops.
 *
 * Where JAX has no derivative (the order of a Hurwitz zeta, `igamma_grad_a`,
 * `random_gamma_grad`), the rule raises {@link NotDifferentiableError} instead of returning zeros.
 *
 * @category primitives
 * @since 0.2.0
 */
import { NotDifferentiableError } from '../../ndarray/errors'
import * as k from '../../ndarray/kernels/special'
import {
  igammaGradA as igammaGradAKernel,
  randomGammaGrad as gammaGradKernel,
} from '../../ndarray/kernels/special/gammaGrad'
import { mapBinary, mapTernary, mapUnary } from '../../ndarray/kernels/specialMap'
import type { NdArray } from '../../ndarray/NdArray'
import { broadcastShapes } from '../../ndarray/shape'
import * as lax from '../lax'
import type { OnnxRule } from '../onnxRule'
import { bound, definePrimitive, vectorized, type BoundPrimitive, type NoParams } from '../primitive'
import { isZero, type Aval, type Linear } from '../zero'
import { digammaOnnx, lgammaOnnx, polygammaOnnx, zetaOnnx } from './onnxGamma'
import { betaincOnnx } from './onnxBeta'
import { igammacOnnx, igammaOnnx } from './onnxIgamma'
import { igammaGradAOnnx, randomGammaGradOnnx } from './onnxIgammaGrad'
import { erfcOnnx, erfInvOnnx, logNdtrOnnx, ndtriOnnx } from './onnxErf'
import { besselI0eOnnx, besselI1eOnnx, entrOnnx, logitOnnx, xlog1pyOnnx, xlogyOnnx } from './onnxSpecial'

type X = readonly [NdArray]
type XY = readonly [NdArray, NdArray]

const SQRT_PI = Math.sqrt(Math.PI)
const SQRT_2PI = Math.sqrt(2 * Math.PI)

/** A smooth unary special function whose derivative is `d(x, y)` (y = output). */
const specialUnary = <N extends string>(
  name: N,
  f: (x: number) => number,
  d: (x: NdArray, y: NdArray) => NdArray,
  onnx?: OnnxRule<NoParams>,
): BoundPrimitive<N, X> =>
  bound(
    definePrimitive<N, X, NoParams>({
      name,
      ...(onnx === undefined ? {} : { onnx }),
      impl: ([x]) => mapUnary(f, x),
      shape: ([x]) => x,
      batch: vectorized,
      jvp: ({ inputs: [x], output }, [xDot]) => lax.mul(xDot as NdArray, d(x, output)),
      vjp: ({ inputs: [x], output }, yBar) => [lax.mul(yBar, d(x, output))],
      ...(onnx === undefined ? {} : { onnx }),
    }),
  )

/** The rule for an input without a derivative (JAX raises as well). */
const noDerivative = (prim: string, input: string): never => {
  throw new NotDifferentiableError(
    `${prim}: differentiation with respect to ${input} is not implemented (JAX does not define it either)`,
  )
}

/**
 * A binary special function (broadcasting); `d0`/`d1` give ∂out/∂input, or undefined where the
 * input has no derivative (differentiating it raises).
 */
const specialBinary = <N extends string>(
  name: N,
  f: (x: number, y: number) => number,
  d0: ((x: NdArray, y: NdArray, out: NdArray) => NdArray) | string,
  d1: ((x: NdArray, y: NdArray, out: NdArray) => NdArray) | string,
  onnx?: OnnxRule<NoParams>,
): BoundPrimitive<N, XY> => {
  const times = (
    d: ((x: NdArray, y: NdArray, out: NdArray) => NdArray) | string,
    t: NdArray,
    x: NdArray,
    y: NdArray,
    out: NdArray,
  ): NdArray => (typeof d === 'string' ? noDerivative(name, d) : lax.mul(t, d(x, y, out)))
  return bound(
    definePrimitive<N, XY, NoParams>({
      name,
      ...(onnx === undefined ? {} : { onnx }),
      impl: ([x, y]) => mapBinary(name, f, x, y),
      shape: ([x, y]): Aval => ({ shape: broadcastShapes(name, x.shape, y.shape), dtype: x.dtype }),
      batch: vectorized,
      jvp: ({ inputs: [x, y], output }, [xDot, yDot]: readonly [Linear, Linear]) => {
        const a = isZero(xDot) ? undefined : times(d0, xDot, x, y, output)
        const b = isZero(yDot) ? undefined : times(d1, yDot, x, y, output)
        return lax.broadcastLike(a === undefined ? (b as NdArray) : b === undefined ? a : lax.add(a, b), output)
      },
      vjp: ({ inputs: [x, y], output, needs }, yBar) => [
        needs[0] ? lax.unbroadcast(times(d0, yBar, x, y, output), x.shape) : lax.zeroOf(x),
        needs[1] ? lax.unbroadcast(times(d1, yBar, x, y, output), y.shape) : lax.zeroOf(y),
      ],
    }),
  )
}

const c = (v: number, like: NdArray): NdArray => lax.scalarLike(v, like)

// -------------------------------------------------------------------------------------
// gamma family
// -------------------------------------------------------------------------------------

/** log|Γ(x)| (JAX: `lax.lgamma`): d = ψ(x). @category primitives @since 0.2.0 */
export const lgamma: BoundPrimitive<'lgamma', X> = specialUnary('lgamma', k.gammaln, (x) => lax.digamma(x), lgammaOnnx)

/** ψ(x) = d/dx log Γ(x) (JAX: `lax.digamma`): d = ψ⁽¹⁾(x). @category primitives @since 0.2.0 */
export const digamma: BoundPrimitive<'digamma', X> = specialUnary(
  'digamma',
  k.digamma,
  (x) => lax.polygamma(x, 1),
  digammaOnnx,
)

/** Params of polygamma: the order m (a non-negative integer). */
export interface PolygammaParams {
  readonly m: number
}

/**
 * ψ⁽ᵐ⁾(x) (JAX: `lax.polygamma`, with the order as a param): d = ψ⁽ᵐ⁺¹⁾(x).
 * @category primitives @since 0.2.0
 */
export const polygamma: BoundPrimitive<'polygamma', X, PolygammaParams, (x: NdArray, m: number) => NdArray> = bound(
  definePrimitive({
    name: 'polygamma',
    onnx: polygammaOnnx,
    impl: ([x]: X, { m }: PolygammaParams) => mapUnary((v) => k.polygamma(m, v), x),
    shape: ([x]) => x,
    batch: vectorized,
    jvp: ({ inputs: [x], params: { m } }, [xDot]) => lax.mul(xDot as NdArray, lax.polygamma(x, m + 1)),
    vjp: ({ inputs: [x], params: { m } }, yBar) => [lax.mul(yBar, lax.polygamma(x, m + 1))],
  }),
  (bind) => (x, m) => bind([x], { m }),
)

/** P(a, x)·Γ(a)/… the density xᵃ⁻¹e⁻ˣ/Γ(a) = ∂P/∂x, in primitives. */
const gammaDensity = (a: NdArray, x: NdArray): NdArray =>
  lax.exp(lax.sub(lax.sub(lax.mul(lax.addScalar(a, -1), lax.log(x)), x), lax.lgamma(a)))

/**
 * The regularised lower incomplete gamma P(a, x) (JAX: `lax.igamma`): ∂/∂a = `igamma_grad_a`,
 * ∂/∂x = xᵃ⁻¹e⁻ˣ/Γ(a).
 * @category primitives @since 0.2.0
 */
export const igamma: BoundPrimitive<'igamma', XY> = specialBinary(
  'igamma',
  k.gammainc,
  (a, x) => lax.igammaGradA(a, x),
  (a, x) => gammaDensity(a, x),
  igammaOnnx,
)

/** Q(a, x) = 1 − P(a, x) (JAX: `lax.igammac`): the negated derivatives of igamma. @category primitives @since 0.2.0 */
export const igammac: BoundPrimitive<'igammac', XY> = specialBinary(
  'igammac',
  k.gammaincc,
  (a, x) => lax.neg(lax.igammaGradA(a, x)),
  (a, x) => lax.neg(gammaDensity(a, x)),
  igammacOnnx,
)

/**
 * ∂P(a, x)/∂a (JAX: `lax.igamma_grad_a`): ∂/∂x = ∂²P/∂a∂x = (∂P/∂x)·(log x − ψ(a)); ∂/∂a has no
 * rule (JAX has none).
 * @category primitives @since 0.2.0
 */
export const igammaGradA: BoundPrimitive<'igamma_grad_a', XY> = specialBinary(
  'igamma_grad_a',
  igammaGradAKernel,
  'a',
  (a, x) => lax.mul(gammaDensity(a, x), lax.sub(lax.log(x), lax.digamma(a))),
  igammaGradAOnnx,
)

/**
 * dx/da of a Gamma(a, 1) sample x held at its CDF value (JAX: `lax.random_gamma_grad`): the
 * implicit reparameterisation gradient r = −(∂P/∂a)/(∂P/∂x) (Figurnov, Mohamed and Mnih 2018).
 * ∂r/∂x = −(log x − ψ(a)) − r·((a − 1)/x − 1), from ∂²P/∂a∂x = (∂P/∂x)(log x − ψ(a)) and
 * ∂²P/∂x² = (∂P/∂x)((a − 1)/x − 1); ∂r/∂a has no rule (JAX has none).
 * @category primitives @since 0.2.0
 */
export const randomGammaGrad: BoundPrimitive<'random_gamma_grad', XY> = specialBinary(
  'random_gamma_grad',
  gammaGradKernel,
  'a',
  (a, x, r) =>
    lax.neg(
      lax.add(lax.sub(lax.log(x), lax.digamma(a)), lax.mul(r, lax.addScalar(lax.div(lax.addScalar(a, -1), x), -1))),
    ),
  randomGammaGradOnnx,
)

/**
 * The Hurwitz zeta ζ(s, q) (JAX: `lax.zeta`): ∂/∂q = −s·ζ(s + 1, q); the order s has no rule
 * (JAX raises too).
 * @category primitives @since 0.2.0
 */
export const zeta: BoundPrimitive<'zeta', XY> = specialBinary(
  'zeta',
  k.zeta,
  's',
  (s, q) => lax.neg(lax.mul(s, lax.zeta(lax.addScalar(s, 1), q))),
  zetaOnnx,
)

type ABX = readonly [NdArray, NdArray, NdArray]

/**
 * The regularised incomplete beta I_x(a, b) (JAX: `lax.betainc`, primitive
 * `regularized_incomplete_beta`; inputs broadcast): ∂/∂x = x^(a−1)(1 − x)^(b−1)/B(a, b), the
 * beta density; a and b have no rule (JAX raises too).
 * @category primitives @since 0.2.0
 */
export const betainc: BoundPrimitive<'regularized_incomplete_beta', ABX> = bound(
  definePrimitive<'regularized_incomplete_beta', ABX, NoParams>({
    name: 'regularized_incomplete_beta',
    onnx: betaincOnnx,
    impl: ([a, b, x]) => mapTernary('regularized_incomplete_beta', k.betainc, a, b, x),
    shape: ([a, b, x]): Aval => ({
      shape: broadcastShapes('regularized_incomplete_beta', broadcastShapes('betainc', a.shape, b.shape), x.shape),
      dtype: x.dtype,
    }),
    batch: vectorized,
    jvp: ({ inputs: [a, b, x], output }, [aDot, bDot, xDot]: readonly [Linear, Linear, Linear]) => {
      if (!isZero(aDot) || !isZero(bDot)) noDerivative('regularized_incomplete_beta', isZero(aDot) ? 'b' : 'a')
      return lax.broadcastLike(lax.mul(xDot as NdArray, betaDensity(a, b, x)), output)
    },
    vjp: ({ inputs: [a, b, x], needs }, yBar) => {
      if (needs[0] || needs[1]) noDerivative('regularized_incomplete_beta', needs[0] ? 'a' : 'b')
      return [lax.zeroOf(a), lax.zeroOf(b), lax.unbroadcast(lax.mul(yBar, betaDensity(a, b, x)), x.shape)]
    },
  }),
)

/** x^(a−1)(1 − x)^(b−1)/B(a, b) = ∂I_x(a, b)/∂x, in primitives (log space). */
const betaDensity = (a: NdArray, b: NdArray, x: NdArray): NdArray => {
  const logB = lax.sub(lax.add(lax.lgamma(a), lax.lgamma(b)), lax.lgamma(lax.add(a, b)))
  const logX = lax.mul(lax.addScalar(a, -1), lax.log(x))
  const log1mX = lax.mul(lax.addScalar(b, -1), lax.log1p(lax.neg(x)))
  return lax.exp(lax.sub(lax.add(logX, log1mX), logB))
}

// -------------------------------------------------------------------------------------
// error function family
// -------------------------------------------------------------------------------------

/** erfc x = 1 − erf x, accurate in the tail (JAX: `lax.erfc`): d = −2e^(−x²)/√π. @category primitives @since 0.2.0 */
export const erfc: BoundPrimitive<'erfc', X> = specialUnary(
  'erfc',
  k.erfc,
  (x) => lax.mulScalar(lax.exp(lax.neg(lax.mul(x, x))), -2 / SQRT_PI),
  erfcOnnx,
)

/** The inverse error function (JAX: `lax.erf_inv`): d = (√π/2)·e^(y²). @category primitives @since 0.2.0 */
export const erfInv: BoundPrimitive<'erf_inv', X> = specialUnary(
  'erf_inv',
  k.erfinv,
  (_, y) => lax.mulScalar(lax.exp(lax.mul(y, y)), SQRT_PI / 2),
  erfInvOnnx,
)

/** The standard normal quantile Φ⁻¹(p): d = √(2π)·e^(y²/2). @category primitives @since 0.2.0 */
export const ndtri: BoundPrimitive<'ndtri', X> = specialUnary(
  'ndtri',
  k.ndtri,
  (_, y) => lax.mulScalar(lax.exp(lax.mulScalar(lax.mul(y, y), 0.5)), SQRT_2PI),
  ndtriOnnx,
)

/** log Φ(x), accurate far into both tails: d = φ(x)/Φ(x) = e^(−x²/2 − y)/√(2π). @category primitives @since 0.2.0 */
export const logNdtr: BoundPrimitive<'log_ndtr', X> = specialUnary(
  'log_ndtr',
  k.logNdtr,
  (x, y) => lax.mulScalar(lax.exp(lax.sub(lax.mulScalar(lax.mul(x, x), -0.5), y)), 1 / SQRT_2PI),
  logNdtrOnnx,
)

// -------------------------------------------------------------------------------------
// Bessel functions
// -------------------------------------------------------------------------------------

/** e^(−|x|)I₀(x) (JAX: `lax.bessel_i0e`): d = i1e(x) − sign(x)·y. @category primitives @since 0.2.0 */
export const besselI0e: BoundPrimitive<'bessel_i0e', X> = specialUnary(
  'bessel_i0e',
  k.i0e,
  (x, y) => lax.sub(lax.besselI1e(x), lax.mul(lax.sign(x), y)),
  besselI0eOnnx,
)

/**
 * e^(−|x|)I₁(x) (JAX: `lax.bessel_i1e`): d = i0e(x) − y·(sign x + 1/x), ½ at x = 0 (the
 * limit; x is replaced there so neither branch divides by 0).
 * @category primitives @since 0.2.0
 */
export const besselI1e: BoundPrimitive<'bessel_i1e', X> = specialUnary(
  'bessel_i1e',
  k.i1e,
  (x, y) => {
    const zero = lax.eq(x, c(0, x))
    const safe = lax.select(zero, c(1, x), x)
    const d = lax.sub(lax.besselI0e(safe), lax.mul(y, lax.add(lax.sign(safe), lax.reciprocal(safe))))
    return lax.select(zero, lax.broadcastLike(c(0.5, x), d), d)
  },
  besselI1eOnnx,
)

// -------------------------------------------------------------------------------------
// logarithms
// -------------------------------------------------------------------------------------

/** log(p/(1 − p)) (JAX: `scipy.special.logit`): d = 1/(p(1 − p)). @category primitives @since 0.2.0 */
export const logit: BoundPrimitive<'logit', X> = specialUnary(
  'logit',
  k.logit,
  (p) => lax.reciprocal(lax.mul(p, lax.sub(c(1, p), p))),
  logitOnnx,
)

/** −x log x (JAX: `scipy.special.entr`): d = −(log x + 1). @category primitives @since 0.2.0 */
export const entr: BoundPrimitive<'entr', X> = specialUnary(
  'entr',
  k.entr,
  (x) => lax.neg(lax.addScalar(lax.log(x), 1)),
  entrOnnx,
)

/** x·log y, 0 where x = 0 (JAX: `scipy.special.xlogy`): ∂/∂x = log y, ∂/∂y = x/y. @category primitives @since 0.2.0 */
export const xlogy: BoundPrimitive<'xlogy', XY> = specialBinary(
  'xlogy',
  k.xlogy,
  (_, y) => lax.log(y),
  (x, y) => lax.div(x, y),
  xlogyOnnx,
)

/** x·log(1 + y), 0 where x = 0 (JAX: `scipy.special.xlog1py`): ∂/∂x = log1p y, ∂/∂y = x/(1 + y). @category primitives @since 0.2.0 */
export const xlog1py: BoundPrimitive<'xlog1py', XY> = specialBinary(
  'xlog1py',
  k.xlog1py,
  (_, y) => lax.log1p(y),
  (x, y) => lax.div(x, lax.addScalar(y, 1)),
  xlog1pyOnnx,
)
