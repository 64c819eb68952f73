/**
 * Tensor methods of the older linear-algebra forms (./linalgLegacy.ts, ./linalgHouseholder.ts):
 * `cholesky_solve`, `cholesky_inverse`, `triangular_solve`, `qr`, `lu`, `lu_solve`, `geqrf`,
 * `orgqr`, `ormqr`, and `symeig`/`eig`/`lstsq`/`solve`, which PyTorch 2.x removed (they raise
 * its message).
 *
 * @category torch
 * @since 0.2.0
 */
import type { PyArgs } from '../kwargs'
import { geqrf, orgqr, ormqr, type GeqrfResult, type OrmqrKw } from '../linalgHouseholder'
import * as legacy from '../linalgLegacy'
import type { QrResult } from '../linalgDecompositions'
import type { Tensor } from '../tensor'

/** The older linear-algebra methods installed on Tensor. @category torch @since 0.2.0 */
export const linalgLegacyMethods = {
  /**
   * `torch.cholesky_solve(self, input2, upper)`.
   * @example
   * import * as torch from 'wengert/torch'
   * const L = torch.tensor([[2, 0], [1, 2]], { dtype: torch.float64 })
   * assert.deepStrictEqual(torch.tensor([[4], [7]], { dtype: torch.float64 }).cholesky_solve(L).tolist(), [[0.375], [1.25]])
   */
  cholesky_solve(this: Tensor, input2: Tensor, ...args: PyArgs<[boolean], legacy.CholeskyKw>): Tensor {
    return legacy.cholesky_solve(this, input2, ...args)
  },
  /** `torch.cholesky_inverse(self, upper)`. */
  cholesky_inverse(this: Tensor, ...args: PyArgs<[boolean], legacy.CholeskyKw>): Tensor {
    return legacy.cholesky_inverse(this, ...args)
  },
  /** `torch.triangular_solve(self, A, upper, transpose, unitriangular)`. */
  triangular_solve(
    this: Tensor,
    A: Tensor,
    ...args: PyArgs<[boolean, boolean, boolean], legacy.TriangularSolveKw>
  ): legacy.TriangularSolveResult {
    return legacy.triangular_solve(this, A, ...args)
  },
  /** `torch.qr(self, some)`. */
  qr(this: Tensor, ...args: PyArgs<[boolean], { readonly some?: boolean; readonly out?: unknown }>): QrResult {
    return legacy.qr(this, ...args)
  },
  /** `torch.lu(self, pivot, get_infos)`. */
  lu(this: Tensor, ...args: PyArgs<[boolean, boolean], legacy.TorchLuKw>): Tensor[] {
    return legacy.lu(this, ...args)
  },
  /** `torch.lu_solve(self, LU_data, LU_pivots)`. */
  lu_solve(this: Tensor, LU_data: Tensor, LU_pivots: Tensor): Tensor {
    return legacy.lu_solve(this, LU_data, LU_pivots)
  },
  /** `torch.geqrf(self)`. */
  geqrf(this: Tensor): GeqrfResult {
    return geqrf(this)
  },
  /** `torch.orgqr(self, input2)`. */
  orgqr(this: Tensor, input2: Tensor): Tensor {
    return orgqr(this, input2)
  },
  /** `torch.ormqr(self, input2, input3, left, transpose)`. */
  ormqr(this: Tensor, input2: Tensor, input3: Tensor, ...args: PyArgs<[boolean, boolean], OrmqrKw>): Tensor {
    return ormqr(this, input2, input3, ...args)
  },
  /** Removed in PyTorch 2.x: raises its RuntimeError (use `torch.linalg.eigh`). */
  symeig(this: Tensor, ...args: unknown[]): never {
    return legacy.symeig(this, ...args)
  },
  /** Removed in PyTorch 2.x: raises its RuntimeError (use `torch.linalg.eig`). */
  eig(this: Tensor, ...args: unknown[]): never {
    return legacy.eig(this, ...args)
  },
  /** Removed in PyTorch 2.x: raises its RuntimeError (use `torch.linalg.lstsq`). */
  lstsq(this: Tensor, ...args: unknown[]): never {
    return legacy.lstsq(this, ...args)
  },
  /** Removed in PyTorch 2.x: raises its RuntimeError (use `torch.linalg.solve`). */
  solve(this: Tensor, ...args: unknown[]): never {
    return legacy.solve(this, ...args)
  },
}
