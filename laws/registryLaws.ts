/**
 * The laws by name, and which of them apply to a primitive (decided by its flags, so a new
 * primitive gets its laws without anyone listing them).
 *
 * @category laws
 * @since 0.1.0
 */
import type { AnyPrimitive } from '../src/core/primitive'
import {
  jvpMatchesFiniteDifferences,
  jvpVjpAdjoint,
  secondOrder,
  vjpLinearInCotangent,
  vjpMatchesFiniteDifferences,
  zeroDerivative,
  type Law,
} from './derivatives'
import { batching } from './batching'
import { closure, linearity, replay, shapesAndDtypes, stopGradientBlocks } from './structure'

/** The names of the laws. @category laws @since 0.1.0 */
export type LawName =
  | 'vjp'
  | 'jvp'
  | 'adjoint'
  | 'cotangentLinearity'
  | 'secondOrder'
  | 'zeroDerivative'
  | 'shapes'
  | 'replay'
  | 'closure'
  | 'batching'
  | 'stopGradient'
  | 'linearity'

/**
 * Every law by name.
 *
 * @example
 * import { laws } from 'wengert/laws'
 * assert.strictEqual(typeof laws.adjoint, 'function')
 * assert.strictEqual(Object.keys(laws).length, 12)
 * @category laws
 * @since 0.1.0
 */
export const laws: { readonly [L in LawName]: Law } = {
  vjp: vjpMatchesFiniteDifferences,
  jvp: jvpMatchesFiniteDifferences,
  adjoint: jvpVjpAdjoint,
  cotangentLinearity: vjpLinearInCotangent,
  secondOrder,
  zeroDerivative,
  shapes: shapesAndDtypes,
  replay,
  closure,
  batching,
  stopGradient: stopGradientBlocks,
  linearity,
}

/**
 * The laws that apply to a primitive. Every primitive gets shapes and dtypes, replay, closure,
 * batching
 * and stopGradient. Smooth primitives get the derivative laws (VJP and JVP against finite
 * differences, adjointness, linearity in the cotangent, second order); `derivative: 'none'`
 * primitives get the zero-derivative law instead. Primitives flagged `linear` also get
 * linearity.
 *
 * @example
 * import { lawsFor } from 'wengert/laws'
 * import { registry } from 'wengert/laws'
 * assert.ok(lawsFor(registry.get('sin')!).includes('secondOrder'))
 * assert.ok(lawsFor(registry.get('floor')!).includes('zeroDerivative'))
 * assert.ok(lawsFor(registry.get('transpose')!).includes('linearity'))
 * @category laws
 * @since 0.1.0
 */
export const lawsFor = (prim: Pick<AnyPrimitive, 'derivative' | 'linear'>): ReadonlyArray<LawName> => [
  'shapes',
  'replay',
  'closure',
  'batching',
  'stopGradient',
  ...(prim.derivative === 'none'
    ? (['zeroDerivative'] as const)
    : (['vjp', 'jvp', 'adjoint', 'cotangentLinearity', 'secondOrder'] as const)),
  ...(prim.linear ? (['linearity'] as const) : []),
]
