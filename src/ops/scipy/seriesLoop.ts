/**
 * Elementwise series and continued fractions for the special functions of `./specialExpint` and
 * `./specialHyp`: one `whileLoop` steps every element together until each has converged (its
 * last increment below the dtype's epsilon times its value) or the step bound is reached, so the
 * evaluation traces into one loop under `jit` and batches under `vmap`.
 *
 * @category scipy
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { array } from '../../ndarray/create'
import type { NdArray } from '../../ndarray/NdArray'
import { whileLoop } from '../control/loops'
import { abs } from '../unary'
import { add, greater, less, logicalAnd, mul } from '../elementwise'
import { any } from '../reduce'

/** The Euler–Mascheroni constant γ. */
export const EULER = 0.5772156649015329

/** Ones of x's shape and dtype (a constant: x's values and tangents do not reach it). */
export const ones = (x: NdArray): NdArray => lax.addScalar(lax.zerosLike(x), 1)

/** The machine epsilon of a float dtype (float32's unless float64). */
export const epsOf = (x: NdArray): number => (x.dtype === 'float64' ? 2 ** -52 : 2 ** -23)

/** True where an increment `d` still matters next to the running value `v`. */
export const notConverged = (d: NdArray, v: NdArray, eps: number): NdArray => greater(abs(d), mul(abs(v), eps))

/**
 * Runs `step(k, state)` for k = 1, 2, … while some element is unconverged and k ≤ maxSteps.
 * `step` returns the next state and the elementwise "still moving" mask; NaN elements compare
 * false and so never hold the loop.
 */
export const iterate = (
  start: ReadonlyArray<NdArray>,
  maxSteps: number,
  step: (k: NdArray, state: ReadonlyArray<NdArray>) => [NdArray[], NdArray],
): NdArray[] => {
  const dtype = start[0]!.dtype
  const [, , ...out] = whileLoop(
    (c: NdArray[]) => logicalAnd(less(c[0]!, maxSteps + 0.5), c[1]!),
    (c: NdArray[]) => {
      const [next, moving] = step(c[0]!, c.slice(2))
      return [add(c[0]!, 1), any(moving), ...next]
    },
    [array(1, { dtype }), array(true), ...start],
  )
  return out
}
