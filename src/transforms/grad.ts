/**
 * `grad` and `valueAndGrad`: reverse mode for scalar-output functions, over pytrees.
 *
 * @category transforms
 * @since 0.1.0
 */
import { scalar } from '../core/lax'
import { isFloat } from '../ndarray/dtype'
import { DTypeError, ShapeError, ValueError } from '../ndarray/errors'
import { NdArray } from '../ndarray/NdArray'
import { unflatten, type TreeDef } from '../tree'
import { checkOptions, describeValue } from '../internal/options'
import {
  checkFn,
  normalizeArgnums,
  pyShape,
  record,
  type Argnums,
  type Recording,
  type Selected,
  erase,
} from './common'
import { closeDeferral, DeferralScope, settleAll } from '../core/deferred'
import { pullback } from './vjp'

/** Options of {@link grad} and {@link valueAndGrad}. */
export interface GradOptions<N extends Argnums = 0> {
  /** Which positional argument(s) to differentiate: a number gives one gradient, a list a tuple. Default 0. */
  readonly argnums?: N
  /** `f` returns `[value, aux]`; aux is passed through undifferentiated. Default false. */
  readonly hasAux?: boolean
}

/** What valueAndGrad's function returns. */
export type ValueAndGrad<A extends readonly unknown[], R, N extends Argnums, Aux extends boolean> = Aux extends true
  ? [R extends readonly [infer V, infer X] ? [V, X] : R, Selected<A, N>]
  : [R, Selected<A, N>]

/**
 * `f` and its gradient together: `valueAndGrad(f)(x)` is `[f(x), ∇f(x)]`, and with `hasAux`
 * `[[value, aux], grad]`.
 *
 * @example
 * import { valueAndGrad, array, sum, mul } from 'wengert'
 * const [v, g] = valueAndGrad((x: import('wengert').NdArray) => sum(mul(x, x)))(array([1, 2]))
 * assert.strictEqual(v.item(), 5)
 * assert.deepStrictEqual(g.toArray(), [2, 4])
 * @category transforms
 * @since 0.1.0
 */
export function valueAndGrad<A extends readonly unknown[], R, const N extends Argnums = 0, Aux extends boolean = false>(
  f: (...args: A) => R,
  opts: GradOptions<N> & { readonly hasAux?: Aux } = {},
): (...args: A) => ValueAndGrad<A, R, N, Aux> {
  return valueAndGradOf(f, opts, true)
}

/**
 * valueAndGrad's function; `keepValue` false (grad): the value is not returned, so the recording
 * need not compute it (values no one reads stay deferred: src/core/deferred).
 */
const valueAndGradOf = <A extends readonly unknown[], R, const N extends Argnums, Aux extends boolean>(
  f: (...args: A) => R,
  opts: GradOptions<N> & { readonly hasAux?: Aux },
  keepValue: boolean,
): ((...args: A) => ValueAndGrad<A, R, N, Aux>) => {
  const name = 'grad'
  checkFn(name, f)
  checkOptions(name, opts, ['argnums', 'hasAux'])
  const argnums = (opts.argnums ?? 0) as Argnums
  const hasAux = opts.hasAux ?? false
  return (...args: A) => {
    const selected = normalizeArgnums(name, argnums, args.length)
    const fn = erase(f)
    const body = hasAux
      ? (...a: unknown[]) => {
          const r = fn(...a)
          if (!Array.isArray(r) || r.length !== 2) {
            throw new ValueError(
              `${name}: expected function with aux output to return a two-element array [value, aux] (hasAux), got ${Array.isArray(r) ? `an array of length ${r.length}` : describeValue(r)}`,
            )
          }
          return r
        }
      : fn
    // outside every other transform, large element-wise values may be recorded without being
    // computed; those still pending when this returns were read by no one
    const scope = new DeferralScope()
    try {
      return finish(name, record(name, body, args, selected, false, scope), argnums, hasAux, keepValue) as ValueAndGrad<
        A,
        R,
        N,
        Aux
      >
    } finally {
      closeDeferral(scope)
    }
  }
}

/** Checks the recorded value, sweeps, and returns `[value, gradients]`. */
const finish = (name: string, rec: Recording, argnums: Argnums, hasAux: boolean, keepValue: boolean): unknown => {
  const valueIndex = 0
  const value = rec.outLeaves[valueIndex]
  const valueDefOk = hasAux
    ? rec.outDef.kind === 'array' && rec.outDef.children[0]?.kind === 'leaf'
    : rec.outDef.kind === 'leaf'
  if (!valueDefOk || !(value instanceof NdArray || typeof value === 'number')) {
    throw new ShapeError(
      `${name}: Gradient only defined for scalar-output functions. The function returned a ${rec.outDef.kind === 'leaf' ? typeof value : 'pytree'}, not a scalar array`,
    )
  }
  const v = typeof value === 'number' ? scalar(value, 'float32') : value
  if (v.ndim !== 0) {
    throw new ShapeError(
      `${name}: Gradient only defined for scalar-output functions. Output had shape: ${pyShape(v.shape)}; use vjp or jacrev for non-scalar outputs`,
    )
  }
  if (!isFloat(v.dtype)) {
    throw new DTypeError(
      `${name}: grad requires real-valued outputs (output dtype that is a sub-dtype of np.floating), but got ${v.dtype}. For differentiation of functions with integer outputs, use vjp directly`,
    )
  }
  settleAll(keepValue ? rec.outLeaves : rec.outLeaves.filter((_, i) => i !== valueIndex))
  const grads = pullback(
    rec,
    rec.outAtoms.map((_, i) => (i === valueIndex ? scalar(1, v.dtype) : undefined)),
    rec.outLeaves,
  )
  const trees = grads.map((g, i) => unflatten(rec.inputDefs[i] as TreeDef, g))
  const gradResult = typeof argnums === 'number' ? trees[0] : trees
  const out = unflatten(rec.outDef, rec.outLeaves)
  return [out, gradResult]
}

/**
 * The gradient of a scalar-valued function: `grad(f)(x)` is ∇f(x), with the structure of the
 * differentiated argument(s). Nest freely: `grad(grad(f))`.
 *
 * @example
 * import { grad, sin, cos, array } from 'wengert'
 * const x = array(0.5, { dtype: 'float64' })
 * assert.ok(Math.abs((grad(sin)(x).item() as number) - Math.cos(0.5)) < 1e-12)
 * assert.ok(Math.abs((grad(grad(sin))(x).item() as number) + Math.sin(0.5)) < 1e-12)
 * @category transforms
 * @since 0.1.0
 */
export function grad<A extends readonly unknown[], R, const N extends Argnums = 0, Aux extends boolean = false>(
  f: (...args: A) => R,
  opts: GradOptions<N> & { readonly hasAux?: Aux } = {},
): (
  ...args: A
) => Aux extends true ? [Selected<A, N>, R extends readonly [unknown, infer X] ? X : never] : Selected<A, N> {
  const vg = valueAndGradOf(f, opts, false)
  const hasAux = opts.hasAux ?? false
  type Out = Aux extends true ? [Selected<A, N>, R extends readonly [unknown, infer X] ? X : never] : Selected<A, N>
  return (...args: A) => {
    const [value, g] = vg(...args) as [unknown, Selected<A, N>]
    return (hasAux ? [g, (value as readonly [unknown, unknown])[1]] : g) as Out
  }
}
