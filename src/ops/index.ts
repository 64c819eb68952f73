/**
 * The user-facing numeric API.
 *
 * @category ops
 * @since 0.1.0
 */
// attaches the array methods (x.T, x.sum(), x.reshape(…)) to NdArray: see ./methods
import './methods'
export type { ArrayMethods } from './methods'
export * from './elementwise'
export * from './unary'
export * from './integer'
export * from './reduce'
// `var` is a reserved word: the op is written `variance` and also exported under NumPy's name
export { variance as var } from './reduce'
export * from './linalg'
export * as linalg from './linalg/index'
export { tril, triu } from './linalg/matrix'
export { diag, kron } from './linalg/products'
export { tensordot, vander, type VanderOptions } from './linalg/extra'
export { vdot, inner, vecdot, type VecdotOptions } from './linalg/inner'
export * from './layout'
export { item } from './item'
export { convolve, correlate, type ConvolveMode } from './window'
export type { TakeMode, TakeOptions } from './takeGather'
export type { ArrayLike } from './convert'
export {
  at,
  AtRef,
  type AtGetOptions,
  type AtUpdateOptions,
  type IndexItem,
  type IndexMode,
  type IndexArrayList,
} from './at'
export * from './scatterOps'
export * from './sorting'
export * from './scans'
export * from './sets'
// jnp extras (session 7): new names composed from existing ops
export * from './numpyExtra/math'
export * from './numpyExtra/aliases'
export * from './numpyExtra/shape'
export * from './numpyExtra/reduce'
export * from './numpyExtra/create'
export * from './numpyExtra/interp'
export * from './numpyExtra/indices'
export * from './numpyExtra/histogram'
export * from './numpyExtra/functional'
export * from './numpyExtra/vectorize'
export * from './numpyExtra/packbits'
export * from './numpyExtra/edit'
export { delete_ as delete } from './numpyExtra/edit'
export * from './numpyExtra/polyfit'
export * from './numpyExtra/rounding'
export * from './numpyExtra/polynomial'
export * from './numpyExtra/windows'
export * from './numpyExtra/printing'
export * from './numpyExtra/fromData'
export * from './numpyExtra/nanQuantile'
export * from './numpyExtra/gradient'
export * from './setOps'
export {
  bitwiseAnd,
  bitwiseOr,
  bitwiseXor,
  bitwiseNot,
  bitwiseInvert,
  invert,
  leftShift,
  rightShift,
  bitwiseLeftShift,
  bitwiseRightShift,
  bitwiseCount,
} from './bitwise'
// jnp extras (session 16): arithmetic, selection, builders and dtype limits still missing
export * from './numpyExtra/arith'
export * from './numpyExtra/select'
export * from './numpyExtra/build'
export * from './numpyExtra/dtypeInfo'
export * from './numpyExtra/basics'
export * from './numpyExtra/dtypes'
export * from './numpyExtra/unwrap'
// jnp gaps (session 21): kind tests, spacing, i0, poly
export * from './numpyExtra/kinds'
