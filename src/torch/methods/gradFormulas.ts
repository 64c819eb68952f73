/**
 * PyTorch's derivative formulas (tools/autograd/derivatives.yaml, FunctionsManual.cpp) for the
 * ops whose create_graph gradient graph differs from what their rule composes: given to
 * `op(…, { formula })`, they build the gradient with facade ops, so its nodes and edges are
 * PyTorch's. Only create_graph backward passes use them (see `OpOptions.formula`).
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import type { DType } from '../../ndarray/dtype'
import type { NdArray } from '../../ndarray/NdArray'
import { customVjp } from '../../transforms/custom'
import { op, type OpOptions } from '../autograd/op'
import type { Tensor } from '../tensor'
import { logSoftmaxBackward, softmaxBackward } from './zeroKernels'

type Formula = NonNullable<OpOptions['formula']>

/** `cumsum_backward`: the gradient itself when the dimension has one element, else `flip(cumsum(flip(grad)))`. */
export const cumsumFormula =
  (axis: number): Formula =>
  (g) => {
    if (g.numel() <= 1 || g.ndim === 0 || g.shape[axis] === 1) return [g]
    return [g.flip(axis).cumsum(axis).flip(axis)]
  }

/** `grad * cosh(self)` (sinh) and `grad * sinh(self)` (cosh). */
export const sinhFormula: Formula = (g, [x]) => [g.mul((x as Tensor).cosh())]
export const coshFormula: Formula = (g, [x]) => [g.mul((x as Tensor).sinh())]

/**
 * `_softmax_backward_data(grad, result, dim, input_dtype)` = `result · (grad − Σ grad·result)`,
 * and `_log_softmax_backward_data` = `grad − exp(result) · Σ grad`, each one node
 * (`SoftmaxBackwardDataBackward0` / `LogSoftmaxBackwardDataBackward0`) over the gradient and the
 * op's output, cast to the input's dtype.
 */
export const softmaxFormula =
  (kind: 'softmax' | 'log_softmax', axis: number, inDtype: DType): Formula =>
  (g, _, output) => {
    const body =
      kind === 'softmax'
        ? (gv: NdArray, y: NdArray): NdArray => softmaxBackward(gv, y, axis)
        : (gv: NdArray, y: NdArray): NdArray => logSoftmaxBackward(gv, y, axis)
    const name = kind === 'softmax' ? 'SoftmaxBackwardDataBackward0' : 'LogSoftmaxBackwardDataBackward0'
    return [op(name, [g, output()], (gv, y) => lax.cast(body(lax.cast(gv, y.dtype), y), inDtype))]
  }

/** `at::sum_to`: a broadcast gradient summed (keepdim) over the broadcast dimensions, then viewed to `like`'s shape. */
export const sumTo = (t: Tensor, like: Tensor): Tensor => {
  if (like.ndim === 0 && t.ndim > 0) return t.sum()
  const lead = t.ndim - like.ndim
  const dims = t.shape.map((_, i) => i).filter((i) => i < lead || (like.shape[i - lead] === 1 && t.shape[i] !== 1))
  if (dims.length === 0) return t
  const r = t.sum(dims, true)
  return lead > 0 ? r.view([...like.shape]) : r
}

/**
 * maximum/minimum: `where(self == other, grad / 2, grad).masked_fill_(loses, 0)` for each input
 * (WhereBackward0 then an in-place MaskedFillBackward0, so the gradient is at version 1), summed
 * to a broadcast input's shape.
 */
export const extremumFormula =
  (which: 'max' | 'min'): Formula =>
  (g, [x, y]) => {
    const a = x as Tensor
    const b = y as Tensor
    const shared = (): Tensor => g.div(2).where(a.eq(b), g)
    const [aLoses, bLoses] = which === 'max' ? [a.lt(b), a.gt(b)] : [a.gt(b), a.lt(b)]
    return [sumTo(shared().masked_fill_(aLoses, 0), a), sumTo(shared().masked_fill_(bLoses, 0), b)]
  }

/**
 * `sigmoid_backward(grad, y)` = `grad · (1 − y) · y` as one op whose own VJP is PyTorch's double
 * backward: `sigmoid_backward(gg, y)` for the gradient and `gg · grad · (1 − 2y)` for y (one
 * product, so its zeros carry PyTorch's sign).
 */
const sigmoidBackwardKernel = customVjp(
  (g: NdArray, y: NdArray) => lax.mul(lax.mul(g, lax.sub(lax.scalarLike(1, y), y)), y),
  (g: NdArray, y: NdArray) => [lax.mul(lax.mul(g, lax.sub(lax.scalarLike(1, y), y)), y), [g, y] as const] as const,
  ([g, y]: readonly [NdArray, NdArray], gg: NdArray) => [
    lax.mul(lax.mul(gg, lax.sub(lax.scalarLike(1, y), y)), y),
    lax.mul(lax.mul(gg, g), lax.addScalar(lax.mulScalar(y, -2), 1)),
  ],
)

/**
 * rsqrt: `-0.5 * grad * result.pow(3)` (MulBackward0 over MulBackward1 and PowBackward0), so a
 * double backward reaches the input through the op's own node, with PyTorch's signs of zero
 * (difftest seed 329988).
 */
export const rsqrtFormula: Formula = (g, _, output) => [
  op('MulBackward1', [g], (gv) => lax.mulScalar(gv, -0.5)).mul(output().pow(3)),
]

/** sigmoid: one `SigmoidBackwardBackward0` node over the gradient and the output. */
export const sigmoidFormula: Formula = (g, _, output) => [
  op('SigmoidBackwardBackward0', [g, output()], sigmoidBackwardKernel),
]

/**
 * mm's create_graph formula where an operand is column-major (`mm_mat1_backward` /
 * `mm_mat2_backward`: stride 1 down the rows, the row count across, so a contiguous 1×1 matrix
 * counts): its gradient is the transposed product, `mat2.mm(grad.t()).t()` for mat1 and
 * `grad.t().mm(mat1).t()` for mat2 (a TBackward0 node last); a row-major operand's is
 * `grad.mm(mat2.t())` / `mat1.t().mm(grad)`. `col[k]`: operand k is column-major.
 */
export const mmFormula =
  (col: readonly [boolean, boolean]): Formula =>
  (g, [a, b]) => {
    const [m1, m2] = [a as Tensor, b as Tensor]
    // the saved operands keep their forward layout, so a product over a column-major one is
    // marked column-major again in a double backward (difftest seed 323088)
    if (col[0]) m1._strides = [1, m1.shape[0] as number]
    if (col[1]) m2._strides = [1, m2.shape[0] as number]
    return [col[0] ? m2.mm(g.t()).t() : g.mm(m2.t()), col[1] ? g.t().mm(m1).t() : m1.t().mm(g)]
  }
