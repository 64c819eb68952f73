/**
 * The `linalg` namespace (JAX's `jax.numpy.linalg` names in camelCase, options objects for
 * keywords), with SciPy's `solveTriangular`, `choFactor` and `choSolve` (`jax.scipy.linalg`).
 *
 * @category ops
 * @since 0.2.0
 */
export { outer, matmul } from '../linalg'
export * from './decompositions'
export * from './solve'
export { diagonal, matrixPower, trace } from './matrix'
export { matrixRank, pinv, type MatrixRankOptions, type PinvOptions, type Tolerance } from './pinv'
export { multiDot } from './multiDot'
export * from './norm'
export { cross, lstsq, tensordot, type CrossOptions, type LstsqOptions, type LstsqResult } from './extra'
export {
  expm,
  lu,
  luFactor,
  luSolve,
  type ExpmOptions,
  type LuFactorOptions,
  type LuFactorResult,
  type LuOptions,
  type LuSolveOptions,
} from './scipyLinalg'
export { tensorsolve, tensorinv, eig, eigvals, type TensorsolveOptions } from './tensor'
export { vecdot, type VecdotOptions } from './inner'
export { matrixTranspose } from '../numpyExtra/build'
