/**
 * `vjp` for the facade's ops: a function of arrays to one array, with none of `vjp`'s pytree
 * handling or cotangent checks (the facade checks its tensors itself). One facade op per call:
 * the per-call cost is the recording level and the closure, which is what the facade's eager
 * per-op cost is made of.
 *
 * @category transforms
 * @since 0.2.0
 */
import { add, zerosLike } from '../core/lax'
import { Var } from '../core/equation'
import { backwardPass, prune, ReverseLevel, type SweepTape } from '../core/reverse'
import { live, primalAt, withLevel } from '../core/trace'
import type { NdArray } from '../ndarray/NdArray'

const EMPTY: SweepTape = { equations: [], nVars: 0 }

/**
 * `[f(...primals), pullback]` where `pullback(ȳ)` is one cotangent per primal (zeros where `f`
 * does not depend on it). `ȳ` must have the output's shape and dtype: the caller guarantees it.
 * The pullback may be called many times.
 */
export const vjpArrays = (
  f: (...xs: NdArray[]) => NdArray,
  primals: ReadonlyArray<NdArray>,
): [NdArray, (ct: NdArray) => NdArray[]] => {
  const level = new ReverseLevel()
  let tape = EMPTY
  let vars: number[]
  let outVar: number | undefined
  let out: NdArray
  try {
    ;[vars, outVar, out] = withLevel(level, () => {
      const ins = primals.map((x) => level.input(live(x)))
      const y = live(f(...ins))
      const a = level.atom(y)
      return [ins.map((t) => t.variable.id), a instanceof Var ? a.id : undefined, primalAt(level, y)] as const
    })
    tape = level.release()
  } finally {
    if (tape === EMPTY) level.release()
  }
  const avals = primals.map((x) => ({ shape: x.shape, dtype: x.dtype }))
  if (outVar === undefined) return [out, () => avals.map((a) => zerosLike(a))]
  const seed = outVar
  // one equation (most facade ops) is live by construction: no pruning walk
  const kept = tape.equations.length === 1 ? tape : prune(tape, [seed])
  const pullback = (ct: NdArray): NdArray[] => {
    const cts = backwardPass(kept, [[seed, ct]], vars, add)
    return avals.map((a, i) => cts[i] ?? zerosLike(a))
  }
  return [out, pullback]
}
