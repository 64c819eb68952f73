/**
 * The time loop of a recurrent layer as one `lax.scan` when the layer runs under an abstract
 * transform (wengert's `jit`, or `vmap`), e.g. `jit` over `torch.func.functional_call(lstm, …)`:
 * the step's facade ops are traced once into the scan's body, so the program's size does not
 * grow with the sequence length. Used only when nothing is recorded by the facade's autograd
 * (grad mode off, or no tensor requiring grad), since a facade graph cannot reach into a scan
 * body, and only for unpacked input (every step has the whole batch); the results are those of
 * the unrolled loop of ./rnnCells.ts (`runDirection`), which is used otherwise.
 *
 * @category torch
 * @since 0.2.0
 */
import { reshape } from '../../core/lax'
import { isAbstract } from '../../core/trace'
import type { NdArray } from '../../ndarray/NdArray'
import { scan } from '../../ops/control/scan'
import { is_grad_enabled } from '../autograd/grad_mode'
import { Tensor } from '../tensor'

type T = Tensor

/** One step of a layer: the input projection and states of the step to its new states (h, and c for LSTM). */
export type StepFn = (gi: T, h: T, c: T | null) => [T, T | null]

/** True when the loop over `x` can be one scan: traced by jit or vmap, full batches, nothing recorded. */
export const canScan = (x: T, sizes: ReadonlyArray<number>, batch: number, tensors: ReadonlyArray<T | null>): boolean =>
  isAbstract(x._value()) &&
  sizes.every((s) => s === batch) &&
  !(is_grad_enabled() && [x, ...tensors].some((t) => t !== null && t.requires_grad))

/**
 * The loop over `gi` (`[steps·B, G]`, the input projections of step t in rows t·B…) from `h0`
 * (and `c0`) as one scan of `step`; returns the `[steps·B, H]` output and the final states.
 */
export const scanDirection = (
  gi: T,
  steps: number,
  reverse: boolean,
  step: StepFn,
  h0: T,
  c0: T | null,
): [T, T, T | null] => {
  const B = h0.shape[0] as number
  const g = gi._value()
  const xs = reshape(g, [steps, B, g.shape[1] as number])
  const init = c0 === null ? [h0._value()] : [h0._value(), c0._value()]
  const [carry, ys] = scan(
    (cr: NdArray[], gt: NdArray): [NdArray[], NdArray] => {
      const c = cr[1] === undefined ? null : Tensor._fromValue(cr[1])
      const [h1, c1] = step(Tensor._fromValue(gt), Tensor._fromValue(cr[0] as NdArray), c)
      const hv = h1._value()
      return [c1 === null ? [hv] : [hv, c1._value()], hv]
    },
    init,
    xs,
    { reverse },
  )
  const out = Tensor._fromValue(reshape(ys, [steps * B, ys.shape[2] as number]))
  const c = carry[1] === undefined ? null : Tensor._fromValue(carry[1])
  return [out, Tensor._fromValue(carry[0] as NdArray), c]
}
