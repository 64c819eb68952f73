/**
 * Linear-algebra Tensor methods: `matrix_exp` (`torch.linalg.matrix_exp`).
 *
 * @category torch
 * @since 0.2.0
 */
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
}
