/**
 * `conj()` as PyTorch's lazy conjugate: a view of the same storage whose values read as the
 * conjugate (`is_conj()` true, node `ConjBackward0`). It is a view step on the (…, 2) values
 * negating the imaginary parts both ways (reading, and writing back into the base), so a write
 * through the view reaches the base conjugated and a later write to the base is seen by the view.
 * `resolve_conj()` copies the conjugate values into new storage (`CloneBackward0`),
 * `conj_physical()` computes the conjugate into new storage (`ConjPhysicalBackward0`), `conj()` of
 * a conjugate view is a view of the base again (`is_conj()` false), and `view_as_real` refuses a
 * conjugate view as PyTorch does.
 *
 * @category torch
 * @since 0.7.0
 */
import * as lax from '../../core/lax'
import { viewOp } from '../autograd/op'
import type { Tensor, ViewStep } from '../tensor'
import { NdArray } from '../../ndarray/NdArray'
import { selectStep } from '../ops/views'
import { flipImag } from './ops'
import { ComplexTensor } from './tensor'

/** The view step of a conjugate: the imaginary parts negated on the way in and on the way back. */
const conjStep: ViewStep = {
  name: 'ConjBackward0',
  fwd: flipImag,
  inv: (x, y) => flipImag(lax.cast(y, x.dtype)),
  pull: (g) => flipImag(g),
  formula: (g) => [g.mul(g.new_tensor([1, -1]))],
}

/** A conjugate view (`is_conj()` true): see the module doc. */
export class ConjView extends ComplexTensor {}

/** `z.conj()`: the conjugate view of `z`, or (for a conjugate view) a view of its base read as is. */
export const conjView = (z: ComplexTensor): ComplexTensor => {
  const v = viewOp(z._ri, conjStep, z._ri._strides)
  return z instanceof ConjView ? new ComplexTensor(v) : new ConjView(v)
}

/**
 * `.real` (k 0) or `.imag` (k 1) of a conjugate view: PyTorch reads them through
 * `view_as_real(base)` (negated for `.imag`) and selects, so in the gradient reaching the view the
 * other part is −0, not +0 (the zeros of the select's gradient pass through that negation).
 */
export const conjPart = (z: ConjView, k: 0 | 1): Tensor => {
  const last = z._ri.dim() - 1
  const step = selectStep('SelectBackward0', last, k)
  const pull = step.pull as NonNullable<ViewStep['pull']>
  return viewOp(
    z._ri,
    {
      ...step,
      pull: (g, x) => {
        const out = pull(g, x)
        const d = out._values('conj')
        const data = d instanceof Float32Array ? new Float32Array(d) : new Float64Array(d)
        for (let e = 1 - k; e < data.length; e += 2) if (data[e] === 0) data[e] = -0
        return new NdArray([...out.shape], out.dtype, data)
      },
    },
    z._ri._strides.filter((_, i) => i !== last),
  )
}
