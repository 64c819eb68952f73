/**
 * wengert: tape-based automatic differentiation for TypeScript with JAX-style transforms.
 *
 * @since 0.1.0
 */
export { NdArray, isNdArray, type NestedArray } from './ndarray/NdArray'
export type { DType, TypedArray } from './ndarray/dtype'
export type { Shape } from './ndarray/shape'
export {
  WengertError,
  ShapeError,
  DTypeError,
  ValueError,
  ConcretizationTypeError,
  UnexpectedTracerError,
  OverflowError,
  ZeroDivisionError,
  NotDifferentiableError,
  TreeMismatchError,
  NameError,
  InternalError,
} from './ndarray/errors'
export {
  array,
  zeros,
  ones,
  full,
  arange,
  linspace,
  eye,
  zerosLike,
  onesLike,
  type ArrayOptions,
  type ArrayInput,
  type AnyTypedArray,
  type DTypeOptions,
  type EyeOptions,
  type ShapeLike,
} from './ndarray/create'
export type { AxisOr } from './internal/options'
export * as random from './ops/random'
export { setNumThreads, getNumThreads } from './ndarray/kernels/wasm/threadCount'
export { kernelInfo, type KernelInfo } from './ndarray/kernels/info'
export * as tree from './tree'
export * from './ops'
export * as lax from './ops/lax'
export * from './transforms'
export {
  checkGrads,
  GradCheckError,
  numericalJvp,
  numericalVjp,
  numericalJacobian,
  innerProduct,
  worstMismatch,
  defaultTolerance,
  type CheckGradsOptions,
  type CheckMode,
  type Tolerance,
  type Mismatch,
  type FiniteDifferenceOptions,
} from './check'
export { printTape, checkTape, evalTape } from './core/tape'
export { Var, isVar, type Atom, type Aval, type Equation, type Tape } from './core/equation'
export { Zero } from './core/zero'
export { toDot, leafNames, type ToDotOptions } from './viz/toDot'
export { Digraph, type DotAttrs } from './viz/dot'

/** The library version. */
export const version = '0.1.0'
export {
  checkpoint,
  remat,
  checkpointPolicies,
  type CheckpointOptions,
  type CheckpointPolicy,
} from './ops/control/checkpoint'
export * as scipy from './ops/scipy'
export * as nn from './ops/nn'
export * as exampleLibraries from './ops/exampleLibraries'
// JAX names added in session 22 (docs/jax-coverage.md lists what is still missing)
export { iscomplex, isreal, angle, type AngleOptions } from './ops/numpyExtra/realKinds'
export * as flattenUtil from './ops/flattenUtil'
