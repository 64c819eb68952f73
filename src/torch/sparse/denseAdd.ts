/**
 * `dense + sparse` and `dense − sparse` (`add`/`sub`, their in-place forms and `torch.add`/`torch.sub`
 * with a sparse `other`): one `AddBackward0`/`SubBackward0` node over the dense operand and the
 * sparse operand's values. The dense operand's gradient is the output's; the values' gradient is
 * the output's at each entry (times ±alpha), so a sparse leaf's `.grad` is sparse on its coalesced
 * pattern. (PyTorch 1.13 refuses that backward — "expected layout Sparse but got Strided" — and
 * computes only the dense operand's gradient.) `sparse + dense` stays refused with PyTorch's text.
 *
 * @category torch
 * @since 0.3.0
 */
import * as lax from '../../core/lax'
import { checkInplace, commitInplace, op } from '../autograd/op'
import { RuntimeError } from '../errors'
import { parseArgs } from '../kwargs'
import { resultType } from '../ops/convert'
import type { Tensor } from '../tensor'
import { linearIndex, rowsOf, type SparseCooTensor } from './coo'
import { scatterRows } from './kernels'

/** `self ± alpha·other` for a dense `self` and sparse `other`; `dtype` fixes the result's (in-place forms). */
export const denseSparseAdd = (
  name: 'add' | 'sub',
  self: Tensor,
  other: SparseCooTensor,
  kwargs: unknown,
  inplace: boolean,
): Tensor => {
  const a = parseArgs(name, kwargs === undefined ? [] : [kwargs], ['alpha'])
  const alpha = ((a.alpha ?? 1) as number) * (name === 'sub' ? -1 : 1)
  const size = [...other._size]
  if (self.dim() !== size.length || size.some((d, i) => d !== self.size(i)))
    throw new RuntimeError(
      `${name}: expected 'self' and 'other' to have same size, but self has size [${[...self.shape].join(', ')}] while other has size [${size.join(', ')}] (FYI: dense-sparse addition does not currently support broadcasting)`,
    )
  const out = inplace ? self.dtype : resultType([self, other._vals])
  const sd = other._idx.size(0)
  const sparseSizes = size.slice(0, sd)
  const blocks = sparseSizes.reduce((p, q) => p * q, 1)
  const lin = linearIndex(rowsOf(other._idx), sparseSizes, other._idx.size(1))
  const dt = out.storage
  if (inplace) checkInplace(self)
  const r = op(name === 'add' ? 'AddBackward0' : 'SubBackward0', [self, other._vals], (x, v) => {
    const vv = lax.cast(v, dt)
    const dense = lax.reshape(scatterRows(alpha === 1 ? vv : lax.mulScalar(vv, alpha), lin, blocks), size)
    return lax.add(lax.cast(x, dt), dense)
  })
  return inplace ? commitInplace(self, r) : r
}
