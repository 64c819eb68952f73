/**
 * The backward sweep's lean path for chains of scalar operations (issue 18, W3: the gradient of
 * 1000 chained scalar ops): an equation whose operands and output are concrete one-element float
 * arrays of one dtype and shape, whose primitive has a numeric rule (`scalarVjp`), is pulled back
 * on numbers — its output's cotangent read as a number, its inputs' cotangents computed by the
 * rule and summed into a table of numbers — instead of through its VJP rule (a `bind`, a result
 * array and a result list per product). Cotangents turn into arrays where another equation, or
 * the sweep's caller, reads them, with their variable's shape and dtype.
 *
 * The numbers are the rules' bits: each numeric rule gives what its `vjp` gives (a test checks
 * every one), and sums use the add kernel's expression in the order the sweep adds.
 *
 * @category core
 * @since 0.3.0
 */
import { allocate } from '../ndarray/dtype'
import { NdArray } from '../ndarray/NdArray'
import { shapesEqual } from '../ndarray/shape'
import { Var, type Aval } from './equation'
import type { ScalarVjp, VjpContext } from './primitive'
import { numAdd } from './smallEwise'
import { Tracer } from './trace'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

type Add = (a: NdArray, b: NdArray) => NdArray

let enabled = true
/** Turns the lean path on or off (tests compare both sweeps); returns the previous setting. */
export const setScalarSweep = (on: boolean): boolean => {
  const prev = enabled
  enabled = on
  return prev
}
/** Whether the lean path is on. */
export const scalarSweepEnabled = (): boolean => enabled

/** What the lean path reads of a recorded single-result equation. */
export interface ScalarEquation extends VjpContext<ReadonlyArray<NdArray>, unknown> {
  readonly primitive: { readonly scalarVjp?: ScalarVjp<ReadonlyArray<NdArray>, unknown> | undefined }
  readonly invars: ReadonlyArray<Var | NdArray>
}

/**
 * Cotangents held as numbers, by variable: the value, and the variable's aval (undefined: the
 * variable's cotangent, if any, is an array in the sweep's table). Made on first use.
 */
export class ScalarCotangents {
  private values: Float64Array | undefined
  private avals: Array<Aval | undefined> | undefined
  constructor(private readonly nVars: number) {}

  /** Whether variable `v` holds a number. */
  has(v: number): boolean {
    return this.avals !== undefined && this.avals[v] !== undefined
  }

  /** Takes variable `v`'s number out of the table (it must hold one). */
  take(v: number): number {
    ;(this.avals as Array<Aval | undefined>)[v] = undefined
    return (this.values as Float64Array)[v] as number
  }

  /** Sets variable `v`'s cotangent to the number `x`. */
  set(v: number, x: number, aval: Aval): void {
    const avals = (this.avals ??= new Array<Aval | undefined>(this.nVars))
    ;(this.values ??= new Float64Array(this.nVars))[v] = x
    avals[v] = aval
  }

  /** Adds `x` into variable `v`'s number (it must hold one), as the add kernel adds. */
  addInto(v: number, x: number, f64: boolean): void {
    const values = this.values as Float64Array
    values[v] = numAdd(values[v] as number, x, f64)
  }

  /** Moves variable `v`'s number, if it holds one, into `cts` as an array of its aval. */
  toArray(v: number, cts: Array<NdArray | undefined>): void {
    const aval = this.avals?.[v]
    if (aval === undefined) return
    cts[v] = arrayOf(this.take(v), aval)
  }
}

// -------------------------------------------------------------------------------------
// the lean pullback
// -------------------------------------------------------------------------------------

/** True for a concrete one-element array with the dtype and shape of `y` (float32/float64). */
const scalarLike = (x: NdArray | undefined, y: NdArray): x is NdArray =>
  x !== undefined &&
  !(x instanceof Tracer) &&
  x.size === 1 &&
  x.dtype === y.dtype &&
  (x.shape === y.shape || shapesEqual(x.shape, y.shape))

/** True when `eq`'s output is a concrete one-element float array (the lean path may apply). */
const scalarOutput = (y: NdArray): boolean =>
  y.size === 1 && (y.dtype === 'float32' || y.dtype === 'float64') && !(y instanceof Tracer)

/**
 * Pulls `eq` (output variable `out`) back on numbers when it can; returns false, having changed
 * nothing, when it cannot (the sweep then runs its VJP rule). An equation whose output got no
 * cotangent is skipped, as the sweep skips it.
 */
export const pullScalar = (
  eq: ScalarEquation,
  out: number,
  nums: ScalarCotangents,
  cts: Array<NdArray | undefined>,
  add: Add,
): boolean => {
  const rule = eq.primitive.scalarVjp
  const y = eq.output
  if (rule === undefined || !scalarOutput(y)) return false
  const ins = eq.inputs
  const x0 = ins[0]
  const x1 = ins.length === 2 ? ins[1] : x0
  if (ins.length > 2 || !scalarLike(x0, y) || !scalarLike(x1, y)) return false
  let yBar: number
  if (nums.has(out)) yBar = nums.take(out)
  else {
    const ct = cts[out]
    if (ct === undefined) return true
    if (!scalarLike(ct, y)) return false
    yBar = ct._data[0] as number
    cts[out] = undefined
  }
  const f64 = y.dtype === 'float64'
  const a0 = x0._data[0] as number
  const a1 = x1._data[0] as number
  const o = y._data[0] as number
  const invars = eq.invars
  for (let i = 0; i < invars.length; i++) {
    const a = invars[i]
    if (a instanceof Var) accumulateScalar(nums, cts, a, rule(i, yBar, a0, a1, o, f64, eq), f64, add)
  }
  return true
}

/**
 * Adds the number `xBar` into variable `a`'s cotangent: into its number, or into its array
 * (a concrete one-element array becomes a number; any other is summed with `add`, as the sweep
 * sums: the earlier cotangent first).
 */
const accumulateScalar = (
  nums: ScalarCotangents,
  cts: Array<NdArray | undefined>,
  a: Var,
  xBar: number,
  f64: boolean,
  add: Add,
): void => {
  const v = a.id
  if (nums.has(v)) {
    nums.addInto(v, xBar, f64)
    return
  }
  const prev = cts[v]
  if (prev === undefined) {
    nums.set(v, xBar, a.aval)
    return
  }
  if (!(prev instanceof Tracer) && prev.size === 1 && prev.dtype === a.aval.dtype) {
    cts[v] = undefined
    nums.set(v, numAdd(prev._data[0] as number, xBar, f64), a.aval)
    return
  }
  cts[v] = add(prev, arrayOf(xBar, a.aval))
}

/** A one-element array of `aval` holding `x`. */
const arrayOf = (x: number, aval: Aval): NdArray => {
  const d = allocate(aval.dtype, 1)
  d[0] = x
  return new NdArray(aval.shape, aval.dtype, d)
}
