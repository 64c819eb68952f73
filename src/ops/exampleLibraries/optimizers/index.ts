/**
 * JAX's `jax.example_libraries.optimizers` (camelCase): optimizers as `[init, update, getParams]`
 * triples over pytrees of parameters, step-size schedules, gradient clipping and the state's
 * (un)packing.
 *
 * @example
 * import { exampleLibraries, array, grad, sum, square, type NdArray } from 'wengert'
 * const { adam } = exampleLibraries.optimizers
 * const [optInit, optUpdate, getParams] = adam(0.1)
 * const loss = (p: { w: NdArray }) => sum(square(p.w))
 * let state = optInit({ w: array([1, -2]) })
 * for (let i = 0; i < 100; i++) state = optUpdate(i, grad(loss)(getParams(state)), state)
 * assert.ok(Number(loss(getParams(state)).item()) < 1e-2)
 * @category exampleLibraries
 * @since 0.2.0
 */
export {
  OptimizerState,
  JoinPoint,
  optimizer,
  packOptimizerState,
  unpackOptimizerState,
  type ArrayRule,
  type InitFn,
  type Optimizer,
  type ParamsFn,
  type Schedule,
  type Step,
  type UpdateFn,
} from './state'
export {
  adagrad,
  adam,
  adamax,
  momentum,
  nesterov,
  rmsprop,
  rmspropMomentum,
  sgd,
  type AdagradOptions,
  type AdamOptions,
  type MomentumOptions,
  type RmspropMomentumOptions,
  type RmspropOptions,
  type StepSize,
  type StepSizeOption,
} from './rules'
export { sm3 } from './sm3'
export type { HyperArgs } from './args'
export {
  clipGrads,
  constant,
  exponentialDecay,
  inverseTimeDecay,
  l2Norm,
  makeSchedule,
  piecewiseConstant,
  polynomialDecay,
  type InverseTimeDecayOptions,
  type PolynomialDecayOptions,
} from './schedules'
