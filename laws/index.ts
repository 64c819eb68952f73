/**
 * `wengert/laws`: reusable fast-check properties for derivative rules, and the arbitraries and
 * domains they run on. The test suite runs every law over every registered primitive; use the
 * same laws on your own `customVjp`/`customJvp` functions.
 *
 * @example
 * import * as fc from 'fast-check'
 * import { laws, ndarray } from 'wengert/laws'
 * import { customVjp, mul, cos, sin, type NdArray } from 'wengert'
 * const mySin = customVjp(sin, (x) => [sin(x), x], (x, g) => [mul(g, cos(x as NdArray))])
 * const args = fc.tuple(ndarray({ shape: [3] }))
 * for (const law of [laws.vjp, laws.jvp, laws.adjoint, laws.secondOrder]) {
 *   assert.doesNotThrow(() => fc.assert(law((x: NdArray) => mySin(x), args), { numRuns: 5 }))
 * }
 * @category laws
 * @since 0.1.0
 */
export {
  axes,
  broadcastableShapes,
  cotangentFor,
  ndarray,
  permutation,
  real,
  shape,
  type AxesConstraints,
  type CotangentConstraints,
  type NdArrayConstraints,
  type RealConstraints,
  type ShapeConstraints,
} from './arbitraries'
export { domains, type Domain, type Domains, type ParamsOf } from './domains'
export {
  jvpMatchesFiniteDifferences,
  jvpVjpAdjoint,
  secondOrder,
  vjpLinearInCotangent,
  vjpMatchesFiniteDifferences,
  zeroDerivative,
  type Law,
} from './derivatives'
export { closure, linearity, replay, shapesAndDtypes, stopGradientBlocks } from './structure'
export { batching } from './batching'
export { laws, lawsFor, type LawName } from './registryLaws'
export { LawViolation, type Instance, type LawOptions, type LawTarget, type Probe } from './probe'
export { registry, type PrimitiveName } from '../src/core/primitives'
export { withAxisEnv } from '../src/core/axisEnv'
export {
  decompositionDomains,
  multiDomains,
  type MultiDomain,
  type MultiDomains,
  type MultiParamsOf,
} from './decompositionDomains'
export { multiRegistry, type MultiPrimitiveName } from '../src/core/primitives'
