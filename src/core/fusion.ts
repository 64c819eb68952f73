/**
 * Loop fusion for `jit`'s programs: runs of consecutive element-wise equations over arrays of one
 * shape become one loop, each element computed through the whole run in locals, and only the
 * values used after the run are written to memory. An element-wise chain and its gradient
 * (`x̄ = ȳ·y + ȳ·x·(1 − y²)`) then make one pass over the data instead of one per equation and
 * allocate no temporaries.
 *
 * A run's results are the kernels' bits: each equation's expression is the kernel's own
 * (`scalarExpr`), rounded to float32 per equation as the kernels store it. Float32 `tanh` and
 * `exp` stay outside runs: their WebAssembly kernels are several times faster than JavaScript,
 * and short runs of operations that have WebAssembly kernels are left to the kernels.
 *
 * @category core
 * @since 0.1.0
 */
import { hasWasmKernel } from '../ndarray/kernels/elementwise'
import { scalarExpr } from '../ndarray/kernels/expressions'
import type { DType } from '../ndarray/dtype'
import type { Shape } from '../ndarray/shape'
import { shapesEqual, sizeOf } from '../ndarray/shape'
import type { StagedEquation } from './staging'

interface Aval {
  readonly shape: Shape
  readonly dtype: DType
}

/** Equations `first..last` (inclusive, in program order) run as one loop over `shape`. */
export interface FusedRun {
  readonly first: number
  readonly last: number
}

/** The per-element expression of an equation that may join a run over its output's shape, or null. */
export const fusibleExpr = (eq: StagedEquation, avals: ReadonlyArray<Aval>): string | null => {
  const ew = eq.prim.ewise
  if (ew === undefined || (eq.dtype !== 'float32' && eq.dtype !== 'float64')) return null
  if (sizeOf(eq.shape) <= 1) return null
  if (eq.dtype === 'float32' && ew.kind === 'unary' && (ew.op === 'tanh' || ew.op === 'exp')) return null
  for (const a of eq.atoms) {
    const aval = typeof a === 'number' ? avals[a] : a
    if (aval === undefined || aval.dtype !== eq.dtype) return null
    if (sizeOf(aval.shape) !== 1 && !shapesEqual(aval.shape, eq.shape)) return null
  }
  return scalarExpr(ew.kind, ew.op, eq.dtype)
}

/**
 * The maximal runs of consecutive fusible equations with one output shape that pay: a loop in
 * JavaScript costs more per element than a WebAssembly kernel, so a run is fused when it has
 * three equations or more, or one without a WebAssembly kernel (two passes and an allocation
 * saved at least), or arrays too small for the kernels to use WebAssembly.
 */
export const fusedRuns = (
  equations: ReadonlyArray<StagedEquation>,
  exprs: ReadonlyArray<string | null>,
): FusedRun[] => {
  const runs: FusedRun[] = []
  let start = -1
  const pays = (first: number, last: number): boolean => {
    if (last - first >= 2) return true
    for (let k = first; k <= last; k++) {
      const eq = equations[k] as StagedEquation
      const ew = eq.prim.ewise
      if (ew !== undefined && !hasWasmKernel(ew.kind, ew.op, eq.dtype, sizeOf(eq.shape))) return true
    }
    return false
  }
  const close = (end: number): void => {
    if (start >= 0 && end - start >= 1 && pays(start, end)) runs.push({ first: start, last: end })
    start = -1
  }
  equations.forEach((eq, k) => {
    if (exprs[k] === null) {
      close(k - 1)
      return
    }
    if (start >= 0 && !shapesEqual((equations[start] as StagedEquation).shape, eq.shape)) close(k - 1)
    if (start < 0) start = k
  })
  close(equations.length - 1)
  return runs
}
