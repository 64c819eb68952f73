/**
 * Python's iteration protocol on tensors, spelled with Python's names: `x.__iter__()` walks the
 * first dimension (the tensors of `x.unbind(0)`, views that share x's graph; Python's
 * `for row in x`) and `x.__len__()` is `x.shape[0]`; both raise PyTorch's TypeError on a 0-d
 * tensor. Tensors are deliberately not JavaScript iterables: tools iterate any iterable they meet
 * (test frameworks' deep equality would compare fresh row views instead of the tensor).
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

/** The iteration methods installed on Tensor (`__iter__`, `__len__`). */
export const iterateMethods = {
  /** Python's `iter(x)` / `for row in x`: an iterator over the tensors along dimension 0. */
  __iter__(this: T): IterableIterator<T> {
    return rows(this)
  },
  /** Python's `len(x)`: the size of dimension 0 (TypeError on a 0-d tensor). */
  __len__(this: T): number {
    if (this.dim() === 0) throw new TorchTypeError('len() of a 0-d tensor')
    return this.shape[0] as number
  },
}
