/**
 * The `lax` namespace of wengert's public API (JAX: `jax.lax`): the low-level operations with
 * canonical, explicit arguments — convolutions and windowed reductions.
 *
 * @category ops
 * @since 0.2.0
 */
export {
  convGeneralDilated,
  conv,
  convTranspose,
  type ConvGeneralOptions,
  type ConvTransposeOptions,
  type DimensionNumbers,
  type Padding,
} from './conv'
export { reduceWindow, type ReduceWindowOptions, type WindowComputation } from './window'
export { dynamicSlice, dynamicUpdateSlice, dynamicIndexInDim, type StartIndex } from './dynamic'
export { cumsum, cumprod, cummax, cummin, cumlogsumexp, topK, type ScanOptions as CumulativeOptions } from './laxScans'
export { scan, type ScanOptions } from './control/scan'
export { map, type MapOptions } from './control/map'
export { whileLoop, foriLoop } from './control/loops'
export { cond, switch_ as switch } from './control/cond'
export { associativeScan, type AssociativeScanOptions } from './control/associativeScan'
