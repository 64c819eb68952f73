/**
 * `vjp` for the facade's ops, split in two: `traceArrays` records a function of arrays to one array
 * and keeps its tape as one object, `pullArrays` sweeps it. None of `vjp`'s pytree handling or
 * cotangent checks (the facade checks its tensors itself) and no closure per op: this is what the
 * facade's eager per-op cost is made of.
 *
 * @category transforms
 * @since 0.2.0
 */
import { add, zerosLike } from '../core/lax'
import { Var, type Aval } from '../core/equation'
import { backwardPass, prune, ReverseLevel, type SweepTape } from '../core/reverse'
import { setScalarSweep } from '../core/scalarSweep'
import { live, primalAt, withLevel } from '../core/trace'
import { builtinRule } from './vjp'
import type { NdArray } from '../ndarray/NdArray'

const EMPTY: SweepTape = { equations: [], nVars: 0 }

/**
 * What a facade op keeps of its recorded tape: the equations its output depends on (a
 * `SweepTape`) and its output variable. The primals are variables `0…k−1`, so the tape needs no
 * list of them: one object per op (plus its equations), and no closure.
 */
export interface ArrayTape extends SweepTape {
  readonly seed: number
}

/**
 * `[f(...primals), tape]`: runs `f` on a reverse level; `tape` is null when the output does not
 * depend on the primals. Sweep it with {@link pullArrays} (any number of times).
 */
export const traceArrays = (
  f: (...xs: NdArray[]) => NdArray,
  primals: ReadonlyArray<NdArray>,
): readonly [NdArray, ArrayTape | null] => {
  const level = new ReverseLevel()
  let tape = EMPTY
  let outVar: number | undefined
  let out: NdArray
  try {
    ;[outVar, out] = withLevel(level, () => {
      const ins = primals.map((x) => level.input(live(x)))
      const y = live(f(...ins))
      const a = level.atom(y)
      return [a instanceof Var ? a.id : undefined, primalAt(level, y)] as const
    })
    tape = level.release()
  } finally {
    if (tape === EMPTY) level.release()
  }
  if (outVar === undefined) return [out, null]
  // one equation (most facade ops) is live by construction: no pruning walk
  const kept = tape.equations.length === 1 ? tape : prune(tape, [outVar])
  return [out, { equations: kept.equations, nVars: kept.nVars, seed: outVar }]
}

/**
 * The cotangents of the primals a {@link traceArrays} tape was recorded from (zeros where the
 * output does not depend on one). `ct` must have the output's shape and dtype.
 */
export const pullArrays = (tape: ArrayTape | null, primals: ReadonlyArray<Aval>, ct: NdArray): NdArray[] => {
  if (tape === null) return primals.map((p) => zerosLike(p))
  // the facade reads array identity (a cotangent passed on unchanged is the same array, which
  // decides .grad's version, torch/autograd/gradLayout): the scalar sweep's numbers would make
  // fresh arrays, so its lean path stays off here
  const lean = setScalarSweep(false)
  try {
    const cts = backwardPass(
      tape,
      [[tape.seed, ct]],
      primals.map((_, i) => i),
      add,
      false,
      builtinRule,
    )
    return primals.map((p, i) => cts[i] ?? zerosLike(p))
  } finally {
    setScalarSweep(lean)
  }
}
