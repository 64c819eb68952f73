/**
 * The `torch.linalg` namespace (see ./linalg.ts).
 *
 * @category torch
 * @since 0.2.0
 */
export { cholesky, det, inv, LinAlgError, matrix_power, solve, svdvals } from './linalg'
export { eigh, eigvalsh, qr, slogdet, svd, type SvdKw } from './linalgDecompositions'
export type { EighResult, QrResult, SlogdetResult, SvdResult } from './linalgDecompositions'
export { matrix_norm, norm, vector_norm } from './linalgNorm'
export type { Dims, NormKw } from './linalgNorm'
export { cond, cross, lstsq, vander } from './linalgProducts'
export type { LstsqResult } from './linalgProducts'
export { matrix_exp } from './linalgExpm'
export { lu, lu_factor, lu_factor_ex, lu_solve } from './linalgLu'
export type { LuFactorExResult, LuFactorKw, LuFactorResult, LuResult, LuSolveKw } from './linalgLu'
export { linalgDiagonal as diagonal, type LinalgDiagonalKw } from './linalgDiagonal'
export { matmul, multi_dot } from './linalgMultiDot'
export { matrix_rank, pinv, type PinvKw, type TorchTolerance } from './linalgPinv'
export { cholesky_ex, eig, eigvals, inv_ex, solve_triangular, vecdot } from './linalgSolveEx'
export type { CholeskyExResult, InvExResult, SolveTriangularKw } from './linalgSolveEx'
export { householder_product } from './linalgHouseholder'
export { solve_ex, tensorinv, tensorsolve, type SolveExKw, type SolveExResult } from './linalgTensorSolve'
export { ldl_factor, ldl_factor_ex, ldl_solve } from './linalgLdl'
export type { LdlFactorExResult, LdlFactorKw, LdlFactorResult, LdlSolveKw } from './linalgLdl'
