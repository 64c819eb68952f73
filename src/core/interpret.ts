/**
 * A program run without code generation: each equation calls its primitive's `impl`, with
 * closures only — what `jit` runs where `new Function` is refused, and for programs with
 * nothing to compile (see ./program). Large dead values' buffers are recycled during and after each
 * run, as in compiled programs (./programRecycle).
 *
 * @category core
 * @since 0.2.0
 */
import type { NdArray } from '../ndarray/NdArray'
import { countVars, Var, type Atom, type Tape } from './equation'
import { recyclableSlots, releasePlan, startRun } from './programRecycle'

/** A runnable program: inputs in, the values of its outputs out. */
export interface Program {
  run(inputs: ReadonlyArray<NdArray>): NdArray[]
  /** Number of equations; how many run as scalar arithmetic, and how many in fused loops. */
  readonly size: number
  readonly scalar: number
  readonly fused: number
}

/** The same program without code generation: each equation calls its `impl` (closures only). */
export const interpret = (tape: Tape): Program => {
  const nVars = countVars(tape)
  const equations = tape.equations
  const dead = recyclableSlots(tape, (id) => id)
  const plan = releasePlan(
    tape,
    (id) => id,
    Int32Array.from(equations, (_, k) => k),
  )
  return {
    size: equations.length,
    scalar: 0,
    fused: 0,
    run(inputs) {
      const vals = new Array<NdArray | undefined>(nVars)
      tape.inputs.forEach((v, i) => (vals[v.id] = inputs[i]))
      const arg = (a: Atom): NdArray => (a instanceof Var ? (vals[a.id] as NdArray) : a)
      const record = startRun(dead, plan)
      let point = 0
      try {
        for (let k = 0; k < equations.length; k++) {
          const eq = equations[k] as (typeof equations)[number]
          const p = eq.primitive
          const ins = eq.invars.map(arg)
          if (p.multipleResults === true) {
            const ys = p.impl(ins, eq.params)
            eq.outvars.forEach((v, i) => (vals[v.id] = ys[i]))
          } else vals[(eq.outvars[0] as Var).id] = p.impl(ins, eq.params)
          if (plan.units[point] === k) record.release(vals, point++)
        }
      } catch (e) {
        record.abandon()
        throw e
      }
      const outs = tape.outputs.map(arg)
      record.finish(vals, outs)
      return outs
    },
  }
}
