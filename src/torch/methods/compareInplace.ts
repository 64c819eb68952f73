/**
 * The in-place comparisons (`eq_`, `lt_`, `greater_equal_`, …: the 0/1 result written in
 * `self`'s dtype, under PyTorch's node `EqBackward0` for a scalar other and `EqBackward1` for a
 * tensor one, whose gradients are zeros) and the in-place logical ops (`logical_and_`, …, which
 * PyTorch records no node for: `self` keeps its grad_fn and moves its version on).
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.tensor([1, 2, 3], { requires_grad: true })
 * const y = x.mul(1).lt_(2.5)
 * assert.deepStrictEqual(y.tolist(), [1, 1, 0])
 * assert.strictEqual(y.grad_fn?.name(), 'LtBackward0')
 * y.sum().backward()
 * assert.deepStrictEqual(x.grad?.tolist(), [0, 0, 0])
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import type { NdArray } from '../../ndarray/NdArray'
import { checkInplace, commitInplace, op } from '../autograd/op'
import type { TensorOrScalar } from '../ops/convert'
import { Tensor } from '../tensor'
import { inplaceForm } from './aliases'
import { mathMethods } from './math'

type T = Tensor
type Cmp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'greater' | 'greater_equal' | 'less' | 'less_equal' | 'not_equal'

const NODE: Readonly<Record<Cmp, string>> = {
  eq: 'Eq',
  ne: 'Ne',
  gt: 'Gt',
  ge: 'Ge',
  lt: 'Lt',
  le: 'Le',
  greater: 'Gt',
  greater_equal: 'Ge',
  less: 'Lt',
  less_equal: 'Le',
  not_equal: 'Ne',
}

/** `self.<name>_(other)`: the comparison's 0/1 in self's dtype, with a zero-gradient node. */
const compareInplace = (name: Cmp) =>
  function (this: T, other: TensorOrScalar): T {
    checkInplace(this)
    const mask = mathMethods[name].call(this, other)._value()
    const d = this._value().dtype
    const zeroPlus = (x: NdArray): NdArray => lax.add(lax.mulScalar(x, 0), lax.cast(mask, d))
    const r =
      other instanceof Tensor
        ? op(`${NODE[name]}Backward1`, [this, other], (x, y) =>
            lax.add(zeroPlus(x), lax.broadcastTo(lax.mulScalar(lax.cast(y, d), 0), x.shape)),
          )
        : op(`${NODE[name]}Backward0`, [this], zeroPlus)
    return commitInplace(this, r)
  }

/** The in-place comparison and logical methods installed on Tensor. */
export const compareInplaceMethods = {
  eq_: compareInplace('eq'),
  ne_: compareInplace('ne'),
  gt_: compareInplace('gt'),
  ge_: compareInplace('ge'),
  lt_: compareInplace('lt'),
  le_: compareInplace('le'),
  greater_: compareInplace('greater'),
  greater_equal_: compareInplace('greater_equal'),
  less_: compareInplace('less'),
  less_equal_: compareInplace('less_equal'),
  not_equal_: compareInplace('not_equal'),
  logical_and_: inplaceForm(mathMethods.logical_and),
  logical_or_: inplaceForm(mathMethods.logical_or),
  logical_xor_: inplaceForm(mathMethods.logical_xor),
  logical_not_: inplaceForm(mathMethods.logical_not),
}
