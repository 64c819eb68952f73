/**
 * Python's iteration protocol on tensors: `for row in x` walks the first dimension (the tensors
 * of `x.unbind(0)`, views that share x's graph), and `len(x)` is `x.shape[0]`; both raise
 * PyTorch's TypeError on a 0-d tensor.
 *
 * @category torch
 * @since 0.2.0
 */
import { TorchTypeError } from '../errors'
import type { Tensor } from '../tensor'

type T = Tensor

const rows = (x: T): IterableIterator<T> => {
  if (x.dim() === 0) throw new TorchTypeError('iteration over a 0-d tensor')
  return x.unbind(0)[Symbol.iterator]()
}

/** The iteration methods installed on Tensor (`[Symbol.iterator]`, `__iter__`, `__len__`). */
export const iterateMethods = {
  /** `for (const row of x)`: the tensors along dimension 0 (Python's `for row in x`). */
  [Symbol.iterator](this: T): IterableIterator<T> {
    return rows(this)
  },
  /** Python's `iter(x)`: an iterator over the tensors along dimension 0. */
  __iter__(this: T): IterableIterator<T> {
    return rows(this)
  },
  /** Python's `len(x)`: the size of dimension 0 (TypeError on a 0-d tensor). */
  __len__(this: T): number {
    if (this.dim() === 0) throw new TorchTypeError('len() of a 0-d tensor')
    return this.shape[0] as number
  },
}
