/**
 * The `lax` namespace of wengert's public API (JAX: `jax.lax`): the low-level operations with
 * canonical, explicit arguments — convolutions, windowed reductions, contractions and structural
 * operations.
 *
 * @category ops
 * @since 0.2.0
 */
export {
  convGeneralDilated,
  conv,
  convTranspose,
  convDimensionNumbers,
  convWithGeneralPadding,
  type ConvGeneralOptions,
  type ConvTransposeOptions,
  type DimensionNumbers,
  type Padding,
} from './conv'
export { convGeneralDilatedPatches, convGeneralDilatedLocal, type ConvPatchesOptions } from './convPatches'
export { reduceWindow, type ReduceWindowOptions, type WindowComputation } from './window'
export { dynamicSlice, dynamicUpdateSlice, dynamicIndexInDim, type StartIndex } from './dynamic'
export { cumsum, cumprod, cummax, cummin, cumlogsumexp, topK, type ScanOptions as CumulativeOptions } from './laxScans'
export { scan, type ScanOptions } from './control/scan'
export {
  psum,
  pmean,
  pmax,
  pmin,
  axisIndex,
  axisSize,
  type AxisNames,
  type Collective,
  type CollectiveOptions,
} from './collective'
export { map, type MapOptions } from './control/map'
export { whileLoop, foriLoop } from './control/loops'
export { cond, switch_ as switch } from './control/cond'
export { associativeScan, type AssociativeScanOptions } from './control/associativeScan'
export {
  stopGradient,
  add,
  sub,
  mul,
  div,
  max,
  min,
  pow,
  atan2,
  select,
  clamp,
  iota,
  convertElementType,
  broadcastInDim,
  slice,
  sliceInDim,
  dynamicSliceInDim,
  dynamicUpdateSliceInDim,
  dynamicUpdateIndexInDim,
  integerPow,
} from './laxNamed'
export {
  dotGeneral,
  pad,
  rev,
  concatenate,
  sort,
  sortKeyVal,
  type DotDimensionNumbers,
  type DotGeneralOptions,
  type PaddingConfig,
} from './laxStructural'
export {
  reshape,
  transpose,
  squeeze,
  expandDims,
  broadcast,
  collapse,
  selectN,
  reduceSum,
  reduceMax,
  reduceMin,
  reduceProd,
  reduceAnd,
  reduceOr,
  argmax,
  argmin,
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  rem,
} from './laxShape'
// the element-wise functions of one argument, as in jnp (JAX's lax.exp, lax.logistic, …)
export {
  abs,
  ceil,
  cos,
  erf,
  exp,
  expm1,
  floor,
  log,
  log1p,
  neg,
  rsqrt,
  sign,
  sin,
  sqrt,
  square,
  tan,
  tanh,
  sigmoid as logistic,
} from './unary'
export { gammaln as lgamma, digamma } from './scipy/special'
export {
  laxBitwiseAnd as bitwiseAnd,
  laxBitwiseOr as bitwiseOr,
  laxBitwiseXor as bitwiseXor,
  laxBitwiseNot as bitwiseNot,
  shiftLeft,
  shiftRightArithmetic,
  shiftRightLogical,
  populationCount,
} from './bitwise'
export {
  clz,
  exp2,
  cbrt,
  isFinite,
  round,
  RoundingMethod,
  reduceXor,
  erfc,
  erfInv,
  asinF as asin,
  acosF as acos,
  atanF as atan,
  sinhF as sinh,
  coshF as cosh,
  asinhF as asinh,
  acoshF as acosh,
  atanhF as atanh,
  full,
  fullLike,
} from './laxMore'
export {
  igamma,
  igammaGradA,
  randomGammaGrad,
  igammac,
  polygamma,
  zeta,
  besselI0e,
  besselI1e,
  betainc,
  optimizationBarrier,
  split,
  nextafter,
  reducePrecision,
} from './laxSpecial'
export { customRoot, customLinearSolve, type SolveAuxOptions, type CustomLinearSolveOptions } from './control/solves'
export * as linalg from './laxLinalg'
export { allGather, type AllGatherOptions } from './collectiveGather'
export {
  ppermute,
  pshuffle,
  psumScatter,
  allToAll,
  pswapaxes,
  type PsumScatterOptions,
  type AllToAllOptions,
} from './collectivePermute'
export { dot, batchMatmul } from './laxDot'
export { bitcastConvertType } from './laxBitcast'
export {
  Precision,
  ConvDimensionNumbers,
  broadcastShapes,
  type PrecisionLike,
  type PrecisionValue,
} from './laxPrecision'
export { gather, type GatherOptions } from './laxGather'
export {
  scatter,
  scatterAdd,
  scatterMul,
  scatterMin,
  scatterMax,
  scatterApply,
  type ScatterOptions,
  type ScatterApplyOptions,
} from './laxScatter'
export { GatherScatterMode, GatherDimensionNumbers, ScatterDimensionNumbers } from './laxGatherDims'
export {
  reduce,
  broadcastedIota,
  indexInDim,
  indexTake,
  reciprocal,
  broadcastToRank,
  zerosLikeArray,
  approxMaxK,
  approxMinK,
  type ApproxTopKOptions,
  type Binary,
} from './laxExtras'
