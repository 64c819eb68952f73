/**
 * `linearize(f, ...primals)`: evaluates `f` once, recording its tape, and returns the output
 * with a function that pushes tangents through the recorded equations' JVP rules (the user's
 * function is not run again).
 *
 * @category transforms
 * @since 0.1.0
 */
import { instantiate, scalar } from '../core/lax'
import { forwardPass, prune } from '../core/reverse'
import { Zero, type Aval, type Linear } from '../core/zero'
import { DTypeError, ShapeError, TreeMismatchError, ValueError, fmtShape, fmtTuple } from '../ndarray/errors'
import { NdArray } from '../ndarray/NdArray'
import { shapesEqual } from '../ndarray/shape'
import { describe, flatten, sameStructure, unflatten, type TreeDef } from '../tree'
import { checkFn, outputVars, record, type Grads, type Recording, erase } from './common'

/** What a forward sweep needs of a recording. */
export type PushforwardSource = Pick<Recording, 'tape' | 'inputVars' | 'outAtoms' | 'outLeaves'>

/** Pushes one tangent per input leaf through a recording; zeros for constant outputs. */
export const pushforward = (src: PushforwardSource, tangents: ReadonlyArray<ReadonlyArray<Linear>>): unknown[] => {
  const seeds: Array<readonly [number, Linear]> = []
  src.inputVars.forEach((vars, i) =>
    vars.forEach((v, j) => seeds.push([v, (tangents[i] as ReadonlyArray<Linear>)[j] as Linear])),
  )
  const wanted = src.outAtoms.filter((a): a is number => a !== undefined)
  const outT = forwardPass(src.tape, seeds, wanted)
  let k = 0
  return src.outLeaves.map((o, i) => {
    if (!(o instanceof NdArray)) return typeof o === 'number' ? scalar(0, 'float32') : o
    if (src.outAtoms[i] === undefined) return instantiate(Zero.like(o), o)
    return instantiate(outT[k++] as Linear, o)
  })
}

/** The part of a recording a kept pushforward holds: the equations the outputs depend on. */
export const keepForPushforward = (rec: Recording): PushforwardSource => ({
  tape: prune(rec.tape, outputVars(rec)),
  inputVars: rec.inputVars,
  outAtoms: rec.outAtoms,
  outLeaves: rec.outLeaves,
})

/** Checks a tangent leaf against its primal's aval; a number is a weak 0-d tangent. */
export const checkTangent = (op: string, t: unknown, p: Aval, where: string): NdArray => {
  if (typeof t === 'number') {
    if (p.shape.length !== 0)
      throw new ShapeError(`${op}: ${where} is a number but its primal has shape ${fmtShape(p.shape)}`)
    return scalar(t, p.dtype)
  }
  if (!(t instanceof NdArray))
    throw new ValueError(`${op}: ${where} must be an array or a number, got ${t === null ? 'null' : typeof t}`)
  if (!shapesEqual(t.shape, p.shape)) {
    throw new ShapeError(
      `${op}: ${op} called with different primal and tangent shapes; Got primal shape ${fmtTuple(p.shape)} and tangent shape as ${fmtTuple(t.shape)} (${where}); they must be equal`,
    )
  }
  if (t.dtype !== p.dtype) {
    throw new DTypeError(
      `${op}: primal and tangent arguments to ${op} do not match; dtypes must be equal. Got primal dtype ${p.dtype} and so expected tangent dtype ${p.dtype}, but got tangent dtype ${t.dtype} instead (${where})`,
    )
  }
  return t
}

const makeJvpFn =
  (
    src: PushforwardSource,
    inputDefs: ReadonlyArray<TreeDef>,
    inputAvals: ReadonlyArray<ReadonlyArray<Aval>>,
    outDef: TreeDef,
  ) =>
  (...tangents: unknown[]): unknown => {
    if (tangents.length !== inputDefs.length) {
      throw new TreeMismatchError(
        `linearize: expected ${inputDefs.length} tangents (one per primal), got ${tangents.length}`,
      )
    }
    const ts = tangents.map((t, i) => {
      const [leaves, def] = flatten(t)
      const pdef = inputDefs[i] as TreeDef
      if (!sameStructure(def, pdef)) {
        throw new TreeMismatchError(
          `linearize: tangent ${i} has structure ${describe(def)} but the primal has ${describe(pdef)}`,
        )
      }
      const avals = inputAvals[i] as ReadonlyArray<Aval>
      return leaves.map((l, j) =>
        checkTangent('linearize', l, avals[j] as Aval, `tangent ${i}${leaves.length > 1 ? ` (leaf ${j})` : ''}`),
      )
    })
    return unflatten(outDef, pushforward(src, ts))
  }

/**
 * Linearises `f` at `primals`: returns `[f(primals), jvpFn]` where `jvpFn(...tangents)` is
 * `J·tangents` (one tangent per primal, each with its primal's structure), computed from the
 * recorded tape with the primitives' JVP rules. `f` runs once; `jvpFn` may be called many times.
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
  checkFn('linearize', f)
  const rec = record(
    'linearize',
    erase(f),
    primals,
    primals.map((_, i) => i),
  )
  const out = unflatten(rec.outDef, rec.outLeaves) as R
  const jvpFn = makeJvpFn(keepForPushforward(rec), rec.inputDefs, rec.inputAvals, rec.outDef)
  return [out, jvpFn as (...tangents: Grads<A>) => Grads<R>]
}
