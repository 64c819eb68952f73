/**
 * AddmmBackward0's gradients without create_graph, computed directly: the values the recorded
 * rule of `beta·self + alpha·(mat1 @ mat2)` gives (the same products and sums, in its order), but
 * a column-major matrix operand (a `t()` view: F.linear's weight) gets PyTorch's column-major
 * gradient: the transposed product as the gemm writes it, held by a swapped tensor, so the
 * `TBackward0` before it passes that product to its leaf with no transpose computed.
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import type { NdArray } from '../../ndarray/NdArray'
import { op, type OpOptions } from '../autograd/op'
import { swappedTensor } from '../autograd/swapped'
import { Tensor } from '../tensor'
import { sumTo } from './gradFormulas'

/** The gradient of a product operand: a swapped tensor over `held` when it is column-major, else `plain`'s value. */
const operandGrad = (colMajor: boolean, held: () => NdArray, plain: () => NdArray): Tensor =>
  colMajor ? swappedTensor(held()) : Tensor._fromValue(plain())

/**
 * The `grads` option of an addmm node: `colMajor[k]` says whether mat1 (k = 0) / mat2 (k = 1)
 * was column-major at the forward (see markColumnMajor).
 */
export const addmmGrads =
  (alpha: number, beta: number, colMajor: readonly [boolean, boolean], held: readonly [boolean, boolean] = NOT_HELD) =>
  (g: NdArray, [self, a, b]: ReadonlyArray<NdArray>, needs: ReadonlyArray<boolean>): Array<Tensor | null> => {
    const x = self as NdArray
    const [m1, m2] = [a as NdArray, b as NdArray]
    // a held operand (OpOptions.held) is stored transposed: a product reads it with its flag flipped
    const [h1, h2] = held
    // mm_mat1_backward / mm_mat2_backward: the product first, then maybe_multiply(…, alpha), so a
    // zero product times a negative alpha is −0 as in PyTorch (difftest seed 323010)
    const scale = (v: NdArray): NdArray => (alpha === 1 ? v : lax.mulScalar(v, alpha))
    // maybe_multiply(grad, beta) then summed to self's shape: with beta = 0, −0 where grad < 0
    const gs = () => lax.unbroadcast(beta === 1 ? g : lax.mulScalar(g, beta), x.shape)
    return [
      needs[0] ? Tensor._fromValue(gs()) : null,
      // ḡ·mat2ᵀ, or column-major (mat2·ḡᵀ)ᵀ
      needs[1]
        ? operandGrad(
            colMajor[0],
            () => scale(lax.matmul(m2, g, h2, true)),
            () => scale(lax.matmul(g, m2, false, !h2)),
          )
        : null,
      // mat1ᵀ·ḡ, or column-major (ḡᵀ·mat1)ᵀ
      needs[2]
        ? operandGrad(
            colMajor[1],
            () => scale(lax.matmul(g, m1, true, h1)),
            () => scale(lax.matmul(m1, g, !h1, false)),
          )
        : null,
    ]
  }

const NOT_HELD = [false, false] as const

/** `maybe_multiply(t, s)`: `t` itself when `s` is 1, else `t * s` (a Scalar: MulBackward1). */
const maybeMultiply = (t: Tensor, s: number): Tensor =>
  s === 1 ? t : op('MulBackward1', [t], (v) => lax.mulScalar(v, s))

/**
 * AddmmBackward0's create_graph formula (derivatives.yaml): `maybe_multiply(grad, beta)` summed to
 * self's shape, and `mm_mat1_backward` / `mm_mat2_backward` times alpha, whose column-major operand
 * (F.linear's `weight.t()`) gets the transposed product; the saved operands keep their forward
 * layout, so a double backward's products are column-major as PyTorch's are.
 */
export const addmmFormula =
  (alpha: number, beta: number, colMajor: readonly [boolean, boolean]): NonNullable<OpOptions['formula']> =>
  (g, [s, a, b]) => {
    const [self, m1, m2] = [s as Tensor, a as Tensor, b as Tensor]
    if (colMajor[0]) m1._strides = [1, m1.shape[0] as number]
    if (colMajor[1]) m2._strides = [1, m2.shape[0] as number]
    return [
      self.requires_grad ? sumTo(maybeMultiply(g, beta), self) : null,
      m1.requires_grad ? maybeMultiply(colMajor[0] ? m2.mm(g.t()).t() : g.mm(m2.t()), alpha) : null,
      m2.requires_grad ? maybeMultiply(colMajor[1] ? g.t().mm(m1).t() : m1.t().mm(g), alpha) : null,
    ]
  }
