/**
 * Linear-algebra Tensor methods: `matrix_exp` (`torch.linalg.matrix_exp`), `diagonal`
 * (`torch.diagonal`).
 *
 * @category torch
 * @since 0.2.0
 */
import { diag, diagonal } from '../linalgDiagonal'
import { matrix_exp } from '../linalgExpm'
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
  diagonal(this: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor {
    return diagonal(this, offset, dim1, dim2)
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
}
