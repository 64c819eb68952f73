/**
 * `linearize(f, ...primals)`: evaluates `f` once, recording its tape, and returns the output
 * with a function that pushes tangents through the recorded equations' JVP rules (the user's
 * function is not run again).
 *
 * @category transforms
 * @since 0.1.0
 */
import { instantiate } from '../core/lax'
import { forwardPass } from '../core/reverse'
import { Zero, type Linear } from '../core/zero'
import { DTypeError, ShapeError, TreeMismatchError, fmtShape } from '../ndarray/errors'
import { NdArray } from '../ndarray/NdArray'
import { shapesEqual } from '../ndarray/shape'
import { describe, flatten, sameStructure, unflatten, type TreeDef } from '../tree'
import { record, type Grads, type Recording, erase } from './common'

/** Pushes one tangent per input leaf through a recording; zeros for constant outputs. */
export const pushforward = (rec: Recording, tangents: ReadonlyArray<ReadonlyArray<Linear>>): unknown[] => {
  const seeds: Array<readonly [number, Linear]> = []
  rec.inputVars.forEach((vars, i) => vars.forEach((v, j) => seeds.push([v, (tangents[i] as ReadonlyArray<Linear>)[j] as Linear])))
  const wanted = rec.outAtoms.filter((a): a is number => a !== undefined)
  const outT = forwardPass({ equations: rec.level.equations, nVars: rec.level.values.length }, seeds, wanted)
  let k = 0
  return rec.outLeaves.map((o, i) => {
    if (!(o instanceof NdArray)) return o
    const p = o
    if (rec.outAtoms[i] === undefined) return instantiate(Zero.like(p), p)
    return instantiate(outT[k++] as Linear, p)
  })
}

/**
 * Linearises `f` at `primals`: returns `[f(primals), jvpFn]` where `jvpFn(...tangents)` is
 * `J·tangents`, computed from the recorded tape.
 *
 * @example
 * import { linearize, array, exp } from 'wengert'
 * const [y, jvpFn] = linearize(exp, array(1, { dtype: 'float64' }))
 * assert.ok(Math.abs((jvpFn(array(2, { dtype: 'float64' })).item() as number) - 2 * Math.E) < 1e-12)
 * assert.ok(Math.abs((y.item() as number) - Math.E) < 1e-12)
 * @category transforms
 * @since 0.1.0
 */
export const linearize = <A extends readonly unknown[], R>(
  f: (...args: A) => R,
  ...primals: A
): [R, (...tangents: Grads<A>) => Grads<R>] => {
  const rec = record('linearize', erase(f), primals, primals.map((_, i) => i))
  const out = unflatten(rec.outDef, rec.outLeaves) as R
  const jvpFn = (...tangents: Grads<A>): Grads<R> => {
    const ts = (tangents as readonly unknown[]).map((t, i) => {
      const [leaves, def] = flatten(t)
      if (!sameStructure(def, rec.inputDefs[i] as TreeDef)) {
        throw new TreeMismatchError(`linearize: tangent ${i} has structure ${describe(def)} but the primal has ${describe(rec.inputDefs[i] as TreeDef)}`)
      }
      return leaves.map((l, j) => {
        const p = (rec.inputLeaves[i] as ReadonlyArray<NdArray>)[j] as NdArray
        if (!(l instanceof NdArray) || !shapesEqual(l.shape, p.shape)) {
          throw new ShapeError(`linearize: tangent ${i} must have shape ${fmtShape(p.shape)}`)
        }
        if (l.dtype !== p.dtype) throw new DTypeError(`linearize: tangent ${i} has dtype ${l.dtype} but the primal has ${p.dtype}`)
        return l
      })
    })
    if (ts.length !== rec.inputVars.length) {
      throw new TreeMismatchError(`linearize: expected ${rec.inputVars.length} tangents, got ${ts.length}`)
    }
    return unflatten(rec.outDef, pushforward(rec, ts)) as Grads<R>
  }
  return [out, jvpFn]
}
