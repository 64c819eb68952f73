/**
 * `checkpoint` / `remat` (JAX: `jax.checkpoint`): a function whose reverse mode recomputes its
 * forward pass inside the backward pass instead of saving it, as far as a policy says.
 *
 * @category ops
 * @since 0.2.0
 */
import { ValueError } from '../../ndarray/errors'
import { NdArray } from '../../ndarray/NdArray'
import type { Equation } from '../../core/equation'
import { remat as rematPrimitive, type SavePolicy } from '../../core/primitives/remat'
import { traceClosed } from '../../core/subprogram'
import { flatten, unflatten, type TreeDef } from '../../tree'
import { checkOptions, describeValue } from '../../internal/options'
import { checkFn } from '../../transforms/common'

const isDot = (eq: Equation): boolean => eq.primitive.name === 'matmul'

/**
 * The saving policies of {@link checkpoint}, by JAX's `jax.checkpoint_policies` names: which
 * intermediate values reverse mode may keep (everything else is recomputed in the backward pass).
 *
 * @example
 * import { checkpointPolicies } from 'wengert'
 * assert.deepStrictEqual(Object.keys(checkpointPolicies).sort(), ['checkpoint_dots', 'dots_saveable', 'dots_with_no_batch_dims_saveable', 'everything_saveable', 'nothing_saveable'])
 * @category transforms
 * @since 0.2.0
 */
export const checkpointPolicies = {
  /** Save nothing: recompute the whole forward pass (JAX's default for `checkpoint`). */
  nothing_saveable: (): boolean => false,
  /** Save everything (as without `checkpoint`). */
  everything_saveable: (): boolean => true,
  /** Save the results of matrix products only. */
  dots_saveable: isDot,
  /** JAX's older name of `dots_saveable`. */
  checkpoint_dots: isDot,
  /** Save the results of matrix products without batch dimensions (2-D operands). */
  dots_with_no_batch_dims_saveable: (eq: Equation): boolean =>
    isDot(eq) && eq.invars.every((a) => (a instanceof NdArray ? a : a.aval).shape.length === 2),
} as const satisfies Readonly<Record<string, SavePolicy>>

/** A policy's name, or the policy itself (a predicate on equations). */
export type CheckpointPolicy = keyof typeof checkpointPolicies | SavePolicy

/** Options of {@link checkpoint}. */
export interface CheckpointOptions {
  /** What reverse mode may save (default `'nothing_saveable'`: recompute everything, as JAX's default). */
  readonly policy?: CheckpointPolicy
  /** JAX's `prevent_cse`: wengert never merges equations, so recomputation is always kept. */
  readonly preventCse?: boolean
}

const policyOf = (p: CheckpointPolicy | undefined): readonly [string, SavePolicy] => {
  if (p === undefined) return ['nothing_saveable', checkpointPolicies.nothing_saveable]
  if (typeof p === 'function') return [p.name || 'custom', p]
  if (typeof p === 'string' && Object.hasOwn(checkpointPolicies, p)) return [p, checkpointPolicies[p]]
  throw new ValueError(
    `checkpoint: policy must be one of ${Object.keys(checkpointPolicies).join(', ')} or a function of an equation, got ${describeValue(p)}`,
  )
}

/**
 * Wraps `f` so that reverse mode recomputes its forward pass inside the backward pass instead of
 * keeping its intermediate values (JAX: `jax.checkpoint`, also named `remat`): memory for
 * compute. `policy` names what may still be saved (see {@link checkpointPolicies}). Values,
 * gradients and higher derivatives are unchanged. Array leaves of the arguments are traced (once
 * per call); other leaves are passed as they are.
 *
 * @example
 * import { checkpoint, grad, array, sin, sum, mul, type NdArray } from 'wengert'
 * const f = (x: NdArray) => sin(sin(mul(x, x)))
 * const g = checkpoint(f, { policy: 'nothing_saveable' })
 * const x = array([0.5, 1])
 * assert.deepStrictEqual(grad((x: NdArray) => sum(g(x)))(x).toArray(), grad((x: NdArray) => sum(f(x)))(x).toArray())
 * @category transforms
 * @since 0.2.0
 */
export const checkpoint = <A extends readonly unknown[], R>(
  f: (...args: A) => R,
  options: CheckpointOptions = {},
): ((...args: A) => R) => {
  checkFn('checkpoint', f)
  const opts = checkOptions('checkpoint', options, ['policy', 'preventCse'])
  const [policyName, policy] = policyOf(opts.policy)
  return (...args: A): R => {
    const [leaves, def] = flatten([...args])
    const arrays = leaves.filter((l): l is NdArray => l instanceof NdArray)
    let outDef: TreeDef = { kind: 'none', value: null }
    let outStatic: unknown[] = []
    const closed = traceClosed((xs) => {
      let k = 0
      const callArgs = unflatten(
        def,
        leaves.map((l) => (l instanceof NdArray ? xs[k++] : l)),
      ) as unknown as A
      const [outLeaves, od] = flatten(f(...callArgs))
      outDef = od
      outStatic = outLeaves
      return outLeaves.filter((l): l is NdArray => l instanceof NdArray)
    }, arrays)
    const outs = rematPrimitive([...closed.consts, ...arrays], { body: closed.tape, policyName, policy })
    let k = 0
    return unflatten(
      outDef,
      outStatic.map((l) => (l instanceof NdArray ? outs[k++] : l)),
    ) as R
  }
}

/**
 * The same as {@link checkpoint} (JAX: `jax.remat`).
 *
 * @example
 * import { remat, checkpoint } from 'wengert'
 * assert.strictEqual(typeof remat((x: number) => x), typeof checkpoint((x: number) => x))
 * @category transforms
 * @since 0.2.0
 */
export const remat = checkpoint
