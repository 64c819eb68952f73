/**
 * `atleast_1d/2d/3d`, `dstack`, `column_stack` and `broadcast_tensors`, as PyTorch composes them
 * (reshape/unsqueeze views, then one `cat`; expand views).
 *
 * @category torch
 * @since 0.2.0
 */
import { RuntimeError } from '../errors'
import { broadcastShape } from './convert'
import { cat } from './functions'
import { invalidCombination, requireTensorElements, requireTensorList } from '../pyTypeName'
import { Tensor as TensorClass } from '../tensor'

type T = TensorClass

/** The one tensor atleast_Nd takes, or PyTorch's TypeError for its overloads. */
const atleastInput = (fn: string, input: unknown): T => {
  if (input instanceof TensorClass) return input
  throw invalidCombination(fn, input === undefined ? [] : [input], ['(Tensor input)', '(tuple of Tensors tensors)'])
}

/**
 * The tensor with at least one dimension (a 0-d tensor becomes shape [1]).
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual([...torch.atleast_1d(torch.tensor(3)).shape], [1])
 * @category torch @since 0.2.0
 */
export const atleast_1d = (input: T): T => {
  const x = atleastInput('atleast_1d', input)
  return x.dim() === 0 ? x.reshape(1) : x
}

/**
 * The tensor with at least two dimensions (a 1-D tensor becomes one row).
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual([...torch.atleast_2d(torch.tensor([1, 2])).shape], [1, 2])
 * @category torch @since 0.2.0
 */
export const atleast_2d = (input: T): T => {
  const x = atleastInput('atleast_2d', input)
  return x.dim() === 0 ? x.reshape(1, 1) : x.dim() === 1 ? x.unsqueeze(0) : x
}

/**
 * The tensor with at least three dimensions: [n] → [1, n, 1], [m, n] → [m, n, 1].
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual([...torch.atleast_3d(torch.ones(2, 3)).shape], [2, 3, 1])
 * @category torch @since 0.2.0
 */
export const atleast_3d = (input: T): T => {
  atleastInput('atleast_3d', input)
  if (input.dim() === 0) return input.reshape(1, 1, 1)
  if (input.dim() === 1) return input.unsqueeze(0).unsqueeze(-1)
  return input.dim() === 2 ? input.unsqueeze(-1) : input
}

/**
 * Stacks along the third dimension (after atleast_3d).
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual([...torch.dstack([torch.ones(2, 3), torch.zeros(2, 3)]).shape], [2, 3, 2])
 * @category torch @since 0.2.0
 */
export const dstack = (tensors: ReadonlyArray<T>): T => {
  requireTensorList('dstack', 'tensors', tensors)
  if (tensors.length === 0) throw new RuntimeError('dstack expects a non-empty TensorList')
  return cat(tensors.map(atleast_3d), 2)
}

/**
 * Stacks as columns: 0-d and 1-D tensors become columns [n, 1], then concatenated along dim 1.
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.column_stack([torch.tensor([1, 2]), torch.tensor([3, 4])]).tolist(), [[1, 3], [2, 4]])
 * @category torch @since 0.2.0
 */
export const column_stack = (tensors: ReadonlyArray<T>): T => {
  requireTensorList('column_stack', 'tensors', tensors)
  if (tensors.length === 0) throw new RuntimeError('column_stack expects a non-empty TensorList')
  return cat(
    tensors.map((t) => (t.dim() <= 1 ? t.reshape(t.numel(), 1) : t)),
    1,
  )
}

/**
 * The tensors expanded to their common broadcast shape (views).
 * @example
 * import * as torch from 'wengert/torch'
 * const [a, b] = torch.broadcast_tensors(torch.ones(2, 1), torch.ones(3))
 * assert.deepStrictEqual([...a!.shape, ...b!.shape], [2, 3, 2, 3])
 * @category torch @since 0.2.0
 */
export const broadcast_tensors = (...tensors: ReadonlyArray<T>): T[] => {
  requireTensorElements(tensors)
  const shape = tensors.reduce<ReadonlyArray<number>>((s, t) => broadcastShape(s, t.shape), [])
  return tensors.map((t) => t.expand([...shape]))
}
