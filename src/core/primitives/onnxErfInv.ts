/**
 * erfinv inside the gamma sampler's ONNX `Loop` (onnxRandomLoops.ts): Giles' approximation
 * (M. Giles 2010, "Approximating the erfinv function", GPU Computing Gems; the published
 * single-precision polynomials in w = −log(1 − x²), one for w < 5 and one in √w − 3 above),
 * evaluated in float64. It is not wengert's kernel (Halley's method to full precision), so gamma
 * draws agree to the approximation's accuracy, stated in docs/onnx.md; ±1 give ±∞ and |x| > 1
 * NaN, as the kernel does. The `erf_inv` primitive's own rule (onnxErf.ts) is the kernel's
 * algorithm.
 *
 * @category primitives
 * @since 0.2.0
 */
import type { OnnxEmitter } from '../onnxRule'

/** Giles' coefficients, highest degree first: central (w < 5, in w − 2.5) and tail (in √w − 3). */
const CENTRAL = [
  2.81022636e-8, 3.43273939e-7, -3.5233877e-6, -4.39150654e-6, 0.00021858087, -0.00125372503, -0.00417768164,
  0.246640727, 1.50140941,
] as const
const TAIL = [
  -0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613, 0.00943887047,
  1.00167406, 2.83297682,
] as const

/** Horner's scheme of `coeffs` (highest degree first) at `t`, in float64. */
const horner = (emit: OnnxEmitter, coeffs: ReadonlyArray<number>, t: string): string =>
  coeffs
    .slice(1)
    .reduce(
      (p, c) => emit.op('Add', [emit.op('Mul', [p, t]), emit.scalar(c, 'float64')]),
      emit.scalar(coeffs[0] as number, 'float64'),
    )

/** Giles' approximation of erfinv of the float64 values `x`, in float64. */
export const erfInvF64 = (emit: OnnxEmitter, x: string): string => {
  const one = emit.scalar(1, 'float64')
  const w = emit.op('Neg', [emit.op('Log', [emit.op('Mul', [emit.op('Sub', [one, x]), emit.op('Add', [one, x])])])])
  const central = horner(emit, CENTRAL, emit.op('Sub', [w, emit.scalar(2.5, 'float64')]))
  const tail = horner(emit, TAIL, emit.op('Sub', [emit.op('Sqrt', [w]), emit.scalar(3, 'float64')]))
  const p = emit.op('Where', [emit.op('Less', [w, emit.scalar(5, 'float64')]), central, tail])
  // at ±1 the tail polynomial of ∞ is −∞ (its leading coefficient is negative): give x·∞ there
  const edge = emit.op('Equal', [emit.op('Abs', [x]), one])
  return emit.op('Where', [edge, emit.op('Mul', [x, emit.scalar(Infinity, 'float64')]), emit.op('Mul', [p, x])])
}
