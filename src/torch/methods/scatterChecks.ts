/**
 * Backward-time checks of the scatter family where `src` is larger than `index`: PyTorch's formulas
 * then give gradients of index's shape, which its engine refuses (or fail to broadcast), so the
 * backward raises PyTorch's error instead of computing a gradient PyTorch never gives.
 *
 * @category torch
 * @since 0.2.0
 */
import type { OpOptions } from '../autograd/op'
import { RuntimeError } from '../errors'
import type { ScatterReduce } from '../ops/scatter'
import { Tensor } from '../tensor'

type T = Tensor

const fmt = (shape: ReadonlyArray<number>): string => `[${shape.join(', ')}]`

/**
 * ScatterAddBackward0 where `src` is larger than `index`: derivatives.yaml's `src: grad.gather(dim,
 * index)` has index's shape, which autograd's validate_outputs refuses (PyTorch 1.13 and 2.x alike;
 * difftest seed 321793); self's gradient is `grad`. Nothing where the shapes agree (the traced rule).
 */
export const scatterAddGrads = (index: T, src: T): { grads?: NonNullable<OpOptions['grads']> } => {
  const [ix, sx] = [index.shape, src.shape]
  if (ix.length === sx.length && ix.every((n, i) => n === sx[i])) return {}
  return {
    grads: (g, _values, needs) => {
      if (needs[1] === true)
        throw new RuntimeError(
          `Function ScatterAddBackward0 returned an invalid gradient at index 1 - got ${fmt(ix)} but expected shape compatible with ${fmt(sx)}`,
        )
      return [needs[0] === true ? Tensor._fromValue(g) : null, null]
    },
  }
}

/**
 * ScatterReduceBackward0 where `src` is larger than `index` (FunctionsManual.cpp
 * scatter_reduce_backward, PyTorch 1.13 and 2.x alike; difftest seeds 321256, 327032, 330476): 'sum'
 * and 'mean' give src `grad.gather(dim, index)`-shaped gradients that validate_outputs refuses;
 * 'amax'/'amin' (`src == value`) and 'prod' (`bitwise_and(src_zero, src_num_zeros == 1)`) combine
 * src with an index-shaped tensor, which fails to broadcast whichever inputs need a gradient.
 */
export const reduceCheck = (index: T, src: T, reduce: ScatterReduce | 'set'): Pick<OpOptions, 'backwardCheck'> => {
  const [ix, sx] = [index.shape, src.shape]
  if (ix.length !== sx.length || ix.every((n, i) => n === sx[i]) || index.numel() === 0) return {}
  if (reduce === 'sum' || reduce === 'mean')
    return {
      backwardCheck: (needs) => {
        if (needs[1] === true)
          throw new RuntimeError(
            `Function ScatterReduceBackward0 returned an invalid gradient at index 1 - got ${fmt(ix)} but expected shape compatible with ${fmt(sx)}`,
          )
      },
    }
  // infer_size walks the dimensions from the last one
  const bad = [...sx.keys()].reverse().find((i) => sx[i] !== ix[i] && sx[i] !== 1 && ix[i] !== 1)
  if (bad === undefined) return {}
  const msg = `The size of tensor a (${sx[bad]}) must match the size of tensor b (${ix[bad]}) at non-singleton dimension ${bad}`
  return {
    backwardCheck: () => {
      throw new RuntimeError(msg)
    },
  }
}
