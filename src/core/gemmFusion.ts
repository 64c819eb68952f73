/**
 * The SGD update fused into a product's store, for `jit`'s programs: three consecutive equations
 * `g = matmul(a, b)`, `d = mul(g, s)` (or `mul(s, g)`), `q = sub(p, d)` — a training step's
 * `p − lr·∇p` for a weight whose gradient is a product — become one call that writes q where the
 * product would have written g (../ndarray/kernels/dot `matmulUpdate`): the gradient is never
 * stored, copied out of the kernel's memory or read back by an element-wise pass.
 *
 * A program knows its values' uses: the rewrite applies only when g and d are read by nothing
 * else (and are not outputs), every value is a two-dimensional float array of one dtype (s: one
 * element of that dtype, a constant or a variable) and p has the product's shape. The call
 * computes the bits of the three equations (the product's kernel, then a rounded product and a
 * rounded difference). The interpreter (no code generation) runs the three equations as they are.
 *
 * @category core
 * @since 0.2.0
 */
import type { NdArray } from '../ndarray/NdArray'
import { matmulUpdate } from '../ndarray/kernels/dot'
import { shapesEqual, sizeOf } from '../ndarray/shape'
import { avalOf, Var, type Atom, type Equation, type Tape } from './equation'
import type { MatmulParams } from './primitives/linalg'
import type { Impl } from './programSteps'

/** A fused update: equations first…first+2, its operands (a, b, p, s) and the call. */
export interface GemmUpdateRun {
  readonly first: number
  readonly last: number
  readonly inputs: ReadonlyArray<Atom>
  readonly output: Var
  readonly impl: Impl
}

const isFloat2d = (x: Atom, dtype: string): boolean => {
  const { shape, dtype: d } = avalOf(x)
  return d === dtype && shape.length === 2 && (dtype === 'float32' || dtype === 'float64')
}

/** How many equations read each variable (outputs count as readers too). */
const useCounts = (tape: Tape, nVars: number): Int32Array => {
  const uses = new Int32Array(nVars)
  const use = (x: Atom, n: number): void => {
    if (x instanceof Var) uses[x.id] = (uses[x.id] as number) + n
  }
  for (const eq of tape.equations) for (const x of eq.invars) use(x, 1)
  for (const o of tape.outputs) use(o, 2)
  return uses
}

/** The scale of `mul` at equation `eq` when one operand is `g` and the other one element of `dtype`. */
const scaleOf = (eq: Equation, g: Var, dtype: string): Atom | null => {
  if (eq.primitive.name !== 'mul' || eq.invars.length !== 2 || eq.outvars.length !== 1) return null
  const [x, y] = eq.invars as [Atom, Atom]
  const s = x === g ? y : y === g ? x : null
  if (s === null || s === g) return null
  const aval = avalOf(s)
  return aval.dtype === dtype && sizeOf(aval.shape) === 1 ? s : null
}

/** The update starting at equation k, or null. */
const updateAt = (eqs: ReadonlyArray<Equation>, k: number, uses: Int32Array): GemmUpdateRun | null => {
  const [mm, ml, sb] = [eqs[k], eqs[k + 1], eqs[k + 2]]
  if (mm === undefined || ml === undefined || sb === undefined) return null
  if (mm.primitive.name !== 'matmul' || mm.outvars.length !== 1) return null
  const g = mm.outvars[0] as Var
  const { shape, dtype } = g.aval
  const [a, b] = mm.invars as [Atom, Atom]
  if (!isFloat2d(a, dtype) || !isFloat2d(b, dtype) || uses[g.id] !== 1) return null
  const s = scaleOf(ml, g, dtype)
  const d = ml.outvars[0] as Var
  if (s === null || uses[d.id] !== 1 || !shapesEqual(d.aval.shape, shape) || d.aval.dtype !== dtype) return null
  if (sb.primitive.name !== 'sub' || sb.outvars.length !== 1 || sb.invars[1] !== d) return null
  const p = sb.invars[0] as Atom
  const q = sb.outvars[0] as Var
  if (p === g || !isFloat2d(p, dtype) || !shapesEqual(avalOf(p).shape, shape) || !shapesEqual(q.aval.shape, shape))
    return null
  if (q.aval.dtype !== dtype) return null
  const { transA, transB } = mm.params as MatmulParams
  const impl: Impl = ([x, y, pv, sv]) =>
    matmulUpdate(x as NdArray, y as NdArray, transA, transB, pv as NdArray, (sv as NdArray)._data[0] as number)
  return { first: k, last: k + 2, inputs: [a, b, p, s], output: q, impl }
}

/** The fusable updates of a program (disjoint, in order). */
export const gemmUpdateRuns = (tape: Tape, nVars: number): GemmUpdateRun[] => {
  const eqs = tape.equations
  if (!eqs.some((eq) => eq.primitive.name === 'matmul')) return []
  const uses = useCounts(tape, nVars)
  const runs: GemmUpdateRun[] = []
  for (let k = 0; k + 2 < eqs.length; k++) {
    const r = updateAt(eqs, k, uses)
    if (r === null) continue
    runs.push(r)
    k = r.last
  }
  return runs
}
