/**
 * Linear-algebra Tensor methods: `matrix_exp` (`torch.linalg.matrix_exp`), `diagonal`
 * (`torch.diagonal`), and the method forms of `torch.det`, `logdet`, `slogdet`, `inverse`,
 * `cholesky`, `pinverse`, `matrix_power`, `trace`, `kron`, `cross` and `svd`.
 *
 * @category torch
 * @since 0.2.0
 */
import { diag, diagonal } from '../linalgDiagonal'
import { parseArgs, type PyArgs } from '../kwargs'
import { TorchTypeError } from '../errors'
import { argTypeName } from '../pyTypeName'
import { matrix_exp } from '../linalgExpm'
import { det, inverse, matrix_power, torchCholesky, trace } from '../linalg'
import {
  logdet,
  torchSlogdet,
  torchSvd,
  type SlogdetResult,
  type TorchSvdKw,
  type TorchSvdResult,
} from '../linalgDecompositions'
import { pinverse } from '../linalgPinv'
import { kron, torchCross } from '../linalgProducts'
import type { Tensor } from '../tensor'

/** The linear-algebra methods installed on Tensor. @category torch @since 0.2.0 */
export const linalgMethods = {
  /**
   * The matrix exponential (`torch.linalg.matrix_exp`).
   * @example
   * import * as torch from 'wengert/torch'
   * assert.deepStrictEqual(torch.zeros(2, 2).matrix_exp().tolist(), [[1, 0], [0, 1]])
   */
  matrix_exp(this: Tensor): Tensor {
    return matrix_exp(this)
  },
  /**
   * The diagonal `offset` of the planes of `dim1` and `dim2` (`torch.diagonal`).
   * @example
   * import * as torch from 'wengert/torch'
   * assert.deepStrictEqual(torch.tensor([[1, 2], [3, 4]]).diagonal(-1).tolist(), [3])
   */
  diagonal(
    this: Tensor,
    ...args: PyArgs<
      [offset: number, dim1: number, dim2: number],
      { readonly offset?: number; readonly dim1?: number; readonly dim2?: number }
    >
  ): Tensor {
    return diagonal(this, ...args)
  },
  /**
   * `torch.diag`: a 1-D tensor as a diagonal matrix, or a 2-D tensor's diagonal.
   * @example
   * import * as torch from 'wengert/torch'
   * assert.deepStrictEqual(torch.tensor([[1, 2], [3, 4]]).diag().tolist(), [1, 4])
   */
  diag(this: Tensor, diagonal_ = 0): Tensor {
    return diag(this, diagonal_)
  },
  /**
   * The determinant (`torch.det`).
   * @example
   * import * as torch from 'wengert/torch'
   * assert.strictEqual(torch.tensor([[2, 1], [1, 3]], { dtype: torch.float64 }).det().item(), 5)
   */
  det(this: Tensor): Tensor {
    return det(this)
  },
  /** log det (`torch.logdet`: NaN for a negative determinant). */
  logdet(this: Tensor): Tensor {
    return logdet(this)
  },
  /** Sign and log|det| (`torch.slogdet`). */
  slogdet(this: Tensor): SlogdetResult {
    return torchSlogdet(this)
  },
  /** The inverse (`torch.inverse`). */
  inverse(this: Tensor): Tensor {
    return inverse(this)
  },
  /** The Cholesky factor (`torch.cholesky`, lower unless `upper`). */
  cholesky(this: Tensor, upper = false): Tensor {
    return torchCholesky(this, upper)
  },
  /** The pseudo-inverse (`torch.pinverse`). */
  pinverse(this: Tensor, ...args: PyArgs<[rcond: number], { readonly rcond?: number }>): Tensor {
    const rcond = parseArgs('pinverse', args, ['rcond']).rcond ?? 1e-15
    if (typeof rcond !== 'number')
      throw new TorchTypeError(`pinverse(): argument 'rcond' must be float, not ${argTypeName(rcond)}`)
    return pinverse(this, rcond)
  },
  /** The n-th matrix power (`torch.matrix_power`). */
  matrix_power(this: Tensor, n: number): Tensor {
    return matrix_power(this, n)
  },
  /** The sum of the diagonal of a matrix (`torch.trace`). */
  trace(this: Tensor): Tensor {
    return trace(this)
  },
  /** The Kronecker product (`torch.kron`). */
  kron(this: Tensor, other: Tensor): Tensor {
    return kron(this, other)
  },
  /** The cross product along `dim` (`torch.cross`: the first dimension of size 3 when omitted). */
  cross(this: Tensor, other: Tensor, ...args: PyArgs<[dim: number | null], { readonly dim?: number | null }>): Tensor {
    return torchCross(this, other, ...args)
  },
  /** The singular value decomposition (`torch.svd`: U, S, V). */
  svd(this: Tensor, ...args: PyArgs<[boolean, boolean], TorchSvdKw>): TorchSvdResult {
    return torchSvd(this, ...args)
  },
}
