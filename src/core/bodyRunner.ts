/**
 * A loop body run many times: the equations of a program that `jit` would interpret (nothing
 * in it compiles to scalar code or fused loops) resolved once into a flat plan — each
 * equation's impl, params, operand slots and output slots — so that a step of a loop does no
 * lookups and allocates nothing but what the kernels return. Same impls in the same order as
 * the program, so the same results bit for bit.
 *
 * @category core
 * @since 0.2.0
 */
import type { NdArray } from '../ndarray/NdArray'
import { countVars, Var, type Tape } from './equation'

type Impl = (inputs: ReadonlyArray<NdArray>, params: unknown) => NdArray | ReadonlyArray<NdArray>

interface Step {
  readonly impl: Impl
  readonly params: unknown
  readonly multi: boolean
  /** Per operand: a variable's slot, or -1 for a constant (in `consts`). */
  readonly slots: Int32Array
  readonly consts: ReadonlyArray<NdArray | undefined>
  readonly outs: Int32Array
}

/** Runs one step of a body: its inputs in, the values of its outputs out (into `outs`). */
export interface BodyRunner {
  run(inputs: ReadonlyArray<NdArray>, outs: NdArray[]): void
}

const plans = new WeakMap<Tape, ReadonlyArray<Step>>()

const planOf = (tape: Tape): ReadonlyArray<Step> => {
  let plan = plans.get(tape)
  if (plan === undefined) {
    plan = tape.equations.map((eq) => ({
      impl: eq.primitive.impl as Impl,
      params: eq.params,
      multi: eq.primitive.multipleResults === true,
      slots: Int32Array.from(eq.invars, (a) => (a instanceof Var ? a.id : -1)),
      consts: eq.invars.map((a) => (a instanceof Var ? undefined : a)),
      outs: Int32Array.from(eq.outvars, (v) => v.id),
    }))
    plans.set(tape, plan)
  }
  return plan
}

/** A runner of `tape` with its own value table (make one per loop, not per step). */
export const bodyRunner = (tape: Tape): BodyRunner => {
  const plan = planOf(tape)
  const vals = new Array<NdArray | undefined>(countVars(tape))
  const inIds = tape.inputs.map((v) => v.id)
  const outIds = tape.outputs.map((a) => (a instanceof Var ? a.id : -1))
  const args = plan.map((s) => new Array<NdArray>(s.slots.length))
  return {
    run(inputs, outs) {
      for (let i = 0; i < inIds.length; i++) vals[inIds[i] as number] = inputs[i]
      for (let e = 0; e < plan.length; e++) {
        const s = plan[e] as Step
        const a = args[e] as NdArray[]
        for (let i = 0; i < s.slots.length; i++) {
          const slot = s.slots[i] as number
          a[i] = (slot >= 0 ? vals[slot] : s.consts[i]) as NdArray
        }
        const y = s.impl(a, s.params)
        if (s.multi) for (let i = 0; i < s.outs.length; i++) vals[s.outs[i] as number] = (y as NdArray[])[i]
        else vals[s.outs[0] as number] = y as NdArray
      }
      for (let j = 0; j < outIds.length; j++) {
        const id = outIds[j] as number
        outs[j] = (id >= 0 ? vals[id] : tape.outputs[j]) as NdArray
      }
    },
  }
}
