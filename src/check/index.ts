/**
 * Gradient checking: central finite differences and `checkGrads`. The laws of `wengert/laws`
 * use the same code.
 *
 * @category laws
 * @since 0.1.0
 */
export {
  defaultTolerance,
  innerProduct,
  numericalJacobian,
  numericalJvp,
  numericalVjp,
  worstMismatch,
  type FiniteDifferenceOptions,
  type Mismatch,
  type Tolerance,
} from './finiteDifferences'
export { checkGrads, GradCheckError, type CheckGradsOptions, type CheckMode } from './checkGrads'
