/**
 * `torch.cdist`'s gradients for p = 1, 2 and ∞ as PyTorch's `_cdist_backward` computes them
 * without create_graph: one term per pair of rows and component, summed into a gradient that
 * starts from +0, so a zero gradient is +0 whatever the signs of its terms (the rule's composition
 * keeps a −0 where a row meets one other row; difftest seeds 327335, 327993). The terms:
 * `grad · sign(diff)` (p = 1), `grad · diff / dist`, 0 at a zero distance (p = 2), and
 * `grad · sign(diff)` where `|diff|` is the distance, 0 elsewhere (p = ∞, every tie included).
 * x2's terms are taken from `x2 − x1`, as PyTorch's transposed call does.
 *
 * @category torch
 * @since 0.3.0
 */
import * as lax from '../../core/lax'
import type { NdArray } from '../../ndarray/NdArray'
import type { OpOptions } from '../autograd/op'
import { Tensor } from '../tensor'

/** The term of one component difference `d` ([…, n, m, k]) of a pair at distance `dist` ([…, n, m, 1]). */
const term = (d: NdArray, dist: NdArray, g: NdArray, p: number): NdArray => {
  const [distB, gB] = [lax.broadcastLike(dist, d), lax.broadcastLike(g, d)]
  const zero = lax.zerosLike(d)
  if (p === 1) return lax.mul(gB, lax.sign(d))
  if (p === 2) return lax.select(lax.eq(distB, zero), zero, lax.div(lax.mul(gB, d), distB))
  return lax.select(lax.eq(lax.abs(d), distB), lax.mul(gB, lax.sign(d)), zero)
}

/** The options of cdist's node for p = 1, 2, ∞: its gradients without create_graph (see the file comment). */
export const cdistGrads = (
  p: number,
  diffs: (a: NdArray, b: NdArray) => NdArray,
  norm: (d: NdArray) => NdArray,
): NonNullable<OpOptions['grads']> => {
  return (g, [a, b], needs) => {
    const [av, bv] = [a as NdArray, b as NdArray]
    const d = diffs(av, bv)
    const kept = [...d.shape.slice(0, -1), 1]
    const [dist, gK] = [lax.reshape(norm(d), kept), lax.reshape(lax.cast(g, d.dtype), kept)]
    const sumFromZero = (t: NdArray, axis: number, like: NdArray): Tensor =>
      Tensor._fromValue(lax.unbroadcast(lax.add(lax.reduceSum(t, [axis]), lax.scalarLike(0, t)), like.shape))
    return [
      needs[0] === true ? sumFromZero(term(d, dist, gK, p), d.ndim - 2, av) : null,
      needs[1] === true ? sumFromZero(term(lax.neg(d), dist, gK, p), d.ndim - 3, bv) : null,
    ]
  }
}
