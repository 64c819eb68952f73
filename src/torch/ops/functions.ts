/**
 * `torch.*` functions: joins (`cat`, `stack`), `where`, and the function forms of the Tensor
 * methods (`torch.exp(x)` is `x.exp()`, `torch.sum(x, 0)` is `x.sum(0)`).
 *
 * @category torch
 * @since 0.1.0
 */
import * as lax from '../../core/lax'
import { op } from '../autograd/op'
import { RuntimeError, TorchTypeError } from '../errors'
import { Tensor } from '../tensor'
import { overloadedInput, requireInput, requireTensorList } from '../pyTypeName'
import { asTensor, normDim, resultType, type TensorOrScalar } from './convert'

type T = Tensor

/** Concatenates along an existing dimension (CatBackward0), promoting dtypes. @category torch @since 0.1.0 */
export const cat = (tensors: ReadonlyArray<T>, dim: number | { readonly dim?: number } = 0): T => {
  const d0 = typeof dim === 'number' ? dim : (dim.dim ?? 0)
  if (!Array.isArray(tensors))
    throw new TorchTypeError('cat() received an invalid combination of arguments - expected a list or tuple of Tensors')
  if (tensors.length === 0) throw new RuntimeError('torch.cat(): expected a non-empty list of Tensors')
  // PyTorch skips 1-D empty tensors (legacy behaviour)
  const parts = tensors.filter((t) => !(t.dim() === 1 && t.numel() === 0))
  const rt = resultType(tensors)
  if (parts.length === 0) return op('CatBackward0', tensors, (...xs) => lax.cast(xs[0] as never, rt.storage))
  const first = parts[0] as T
  if (first.dim() === 0) throw new RuntimeError('zero-dimensional tensor (at position 0) cannot be concatenated')
  const nd = first.dim()
  const d = normDim(d0, nd)
  parts.forEach((t) => {
    if (t.dim() !== nd) throw new RuntimeError(`Tensors must have same number of dimensions: got ${nd} and ${t.dim()}`)
    const a = first._value().shape
    const b = t._value().shape
    for (let k = 0; k < nd; k++) {
      if (k !== d && a[k] !== b[k]) {
        throw new RuntimeError(
          `Sizes of tensors must match except in dimension ${d}. Expected size ${a[k]} but got size ${b[k]} for tensor number ${tensors.indexOf(t)} in the list.`,
        )
      }
    }
  })
  const out = op('CatBackward0', tensors, (...xs) => {
    const keep = xs.filter((x) => !(x.ndim === 1 && x.size === 0)).map((x) => lax.cast(x, rt.storage))
    return keep.length === 1 ? (keep[0] as never) : lax.concatenate(keep, d)
  })
  if (out._gradFn !== null) out._gradFn._joined = { dim: d, stack: false }
  return out
}

/** Alias of cat. @category torch @since 0.1.0 */
export const concat = cat
/** Alias of cat. @category torch @since 0.1.0 */
export const concatenate = cat

/** Joins equally shaped tensors along a new dimension (StackBackward0). @category torch @since 0.1.0 */
export const stack = (tensors: ReadonlyArray<T>, dim: number | { readonly dim?: number } = 0): T => {
  requireTensorList('stack', 'tensors', tensors)
  const d0 = typeof dim === 'number' ? dim : (dim.dim ?? 0)
  if (tensors.length === 0) throw new RuntimeError('stack expects a non-empty TensorList')
  const s0 = (tensors[0] as T)._value().shape
  tensors.forEach((t, i) => {
    const s = t._value().shape
    if (s.length !== s0.length || s.some((v, k) => v !== s0[k])) {
      throw new RuntimeError(
        `stack expects each tensor to be equal size, but got [${s0.join(', ')}] at entry 0 and [${s.join(', ')}] at entry ${i}`,
      )
    }
  })
  const d = normDim(d0, s0.length + 1)
  const rt = resultType(tensors)
  const out = op('StackBackward0', tensors, (...xs) => {
    const ys = xs.map((x) => lax.reshape(lax.cast(x, rt.storage), [...x.shape.slice(0, d), 1, ...x.shape.slice(d)]))
    return ys.length === 1 ? (ys[0] as never) : lax.concatenate(ys, d)
  })
  if (out._gradFn !== null) out._gradFn._joined = { dim: d, stack: true }
  return out
}

/** Stacks along dim 0 after making inputs at least 2-D. @category torch @since 0.1.0 */
export const vstack = (tensors: ReadonlyArray<T>): T =>
  cat(
    requireTensorList('vstack', 'tensors', tensors).map((t) => (t.dim() < 2 ? t.reshape(1, -1) : t)),
    0,
  )
/** Concatenates along dim 1 (dim 0 for 1-D inputs). @category torch @since 0.1.0 */
export const hstack = (tensors: ReadonlyArray<T>): T => {
  requireTensorList('hstack', 'tensors', tensors)
  if (tensors.length === 0) throw new RuntimeError('hstack expects a non-empty TensorList')
  return cat(tensors, (tensors[0] as T).dim() === 1 ? 0 : 1)
}

/**
 * `condition ? input : other` element-wise (WhereBackward0); with `condition` alone, the indices of
 * its nonzero elements, one int64 tensor per dimension (PyTorch's `nonzero(as_tuple=True)`).
 * @example
 * import * as torch from 'wengert/torch'
 * const [r, c] = torch.where(torch.tensor([[1, 0], [0, 2]]))
 * assert.deepStrictEqual([r!.tolist(), c!.tolist()], [[0, 1], [0, 1]])
 * @category torch @since 0.1.0
 */
export function where(condition: T): T[]
export function where(condition: T, input: TensorOrScalar, other: TensorOrScalar): T
export function where(condition: T, input?: TensorOrScalar, other?: TensorOrScalar): T | T[] {
  overloadedInput('where', 'condition', condition)
  if (input === undefined && other === undefined) {
    const c = condition.dim() === 0 ? condition.reshape(1) : condition
    const nz = c.nonzero()
    return Array.from({ length: c.dim() }, (_, k) => nz.select(1, k).contiguous())
  }
  if (input === undefined || other === undefined)
    throw new TorchTypeError('where() takes 1 or 3 arguments: (condition) or (condition, input, other)')
  const rt = resultType([input, other])
  return asTensor(input, rt.storage).where(condition, other)
}

/** True for tensors. @category torch @since 0.1.0 */
export const is_tensor = (x: unknown): x is T => x instanceof Tensor

/** Number of elements. @category torch @since 0.1.0 */
export const numel = (x: T): number => requireInput('numel', x).numel()
