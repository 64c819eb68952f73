/**
 * Reverse mode: `vjp(f, ...primals)` returns `f`'s output and a function that maps an output
 * cotangent to one cotangent per primal.
 *
 * @category transforms
 * @since 0.1.0
 */
import { add, scalar, zerosLike } from '../core/lax'
import { registry } from '../core/primitives'
import { backwardPass, prune, type Recorded } from '../core/reverse'
import type { Aval } from '../core/zero'
import { DTypeError, ShapeError, TreeMismatchError, ValueError, fmtShape, fmtTuple } from '../ndarray/errors'
import { NdArray } from '../ndarray/NdArray'
import { shapesEqual } from '../ndarray/shape'
import { describe, flatten, sameStructure, unflatten, type TreeDef } from '../tree'
import { checkFn, concatVars, outputVars, record, type Grads, type Recording, erase } from './common'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** What a backward sweep needs of a recording (not the output values, not the input values). */
export type PullbackSource = Pick<Recording, 'tape' | 'inputVars' | 'inputAvals' | 'outAtoms'>

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

/**
 * Runs the backward sweep of a recording for cotangents of its output leaves (arrays or
 * undefined = zero). `keep` (the output leaves): the recording is swept only this once — its
 * tape is emptied, and its forward values' buffers go back to the pool after their last use,
 * except those of `keep`.
 */
export const pullback = (
  src: PullbackSource,
  outCts: ReadonlyArray<NdArray | undefined>,
  keep?: ReadonlyArray<unknown>,
): NdArray[][] => {
  const seeds: Array<readonly [number, NdArray]> = []
  src.outAtoms.forEach((v, i) => {
    const ct = outCts[i]
    if (v !== undefined && ct !== undefined) seeds.push([v, ct])
  })
  const wanted = concatVars(src.inputVars)
  const cts = backwardPass(src.tape, seeds, wanted, add, keep !== undefined, builtinRule, keep)
  let k = 0
  return src.inputAvals.map((avals) => avals.map((x) => cts[k++] ?? zerosLike(x)))
}

/**
 * Whether an equation's rules are the library's own (a primitive of the registry): the sweep
 * recycles buffers only while it has run none but those (a custom rule runs user code).
 */
export const builtinRule = (eq: Recorded): boolean => registry.get(eq.primitive.name) === eq.primitive

/** The part of a recording a kept pullback holds: the equations its outputs depend on, and avals. */
export const keepForPullback = (rec: Recording): PullbackSource => ({
  tape: prune(rec.tape, outputVars(rec)),
  inputVars: rec.inputVars,
  inputAvals: rec.inputAvals,
  outAtoms: rec.outAtoms,
})

/** Checks one cotangent leaf against its output leaf's aval (numbers are weak 0-d values). */
const checkCotangent = (c: unknown, o: Aval, i: number): NdArray => {
  if (typeof c === 'number') {
    if (o.shape.length !== 0)
      throw new ShapeError(`vjp: cotangent leaf ${i} is a number but the output has shape ${fmtShape(o.shape)}`)
    return scalar(c, o.dtype)
  }
  if (!(c instanceof NdArray)) {
    throw new ValueError(
      `vjp: cotangent leaf ${i} must be an array of shape ${fmtShape(o.shape)}, got ${c === null ? 'null' : typeof c}`,
    )
  }
  if (!shapesEqual(c.shape, o.shape)) {
    throw new ShapeError(
      `vjp: Shape of cotangent input to vjp pullback function ${fmtTuple(c.shape)} must be the same as the shape of corresponding primal input ${fmtTuple(o.shape)} (cotangent leaf ${i})`,
    )
  }
  if (c.dtype !== o.dtype) {
    throw new DTypeError(
      `vjp: Type of cotangent input to vjp pullback function (${c.dtype}) is not the expected tangent type (${o.dtype}) of corresponding primal output with dtype ${o.dtype} (cotangent leaf ${i})`,
    )
  }
  return c
}

/** Builds vjp's function from what it keeps (so the closure holds nothing else). */
const makeVjpFn =
  (
    src: PullbackSource,
    outDef: TreeDef,
    outAvals: ReadonlyArray<Aval | undefined>,
    inputDefs: ReadonlyArray<TreeDef>,
  ) =>
  (cotangent: unknown): unknown[] => {
    const [cts, ctDef] = flatten(cotangent)
    if (!sameStructure(ctDef, outDef)) {
      throw new TreeMismatchError(
        `vjp: unexpected tree structure of argument to vjp function: got ${describe(ctDef)}, but expected to match ${describe(outDef)} (the output's structure)`,
      )
    }
    const arrays = cts.map((c, i) => {
      const o = outAvals[i]
      return o === undefined ? undefined : checkCotangent(c, o, i)
    })
    return pullback(src, arrays).map((g, i) => unflatten(inputDefs[i] as TreeDef, g))
  }

// -------------------------------------------------------------------------------------
// vjp
// -------------------------------------------------------------------------------------

/**
 * Vector-Jacobian product: `vjp(f, ...primals)` is `[f(...primals), vjpFn]`, and
 * `vjpFn(ȳ)` is `[ȳ·∂f/∂primal₀, ȳ·∂f/∂primal₁, …]` — one cotangent per primal, each with its
 * primal's structure. `vjpFn` may be called many times (each call is one backward sweep over
 * the recorded tape, which keeps only the equations the output depends on); it checks the
 * cotangent's structure, shapes and dtypes against the output.
 *
 * @example
 * import { vjp, array, mul, sin } from 'wengert'
 * const [y, vjpFn] = vjp((x) => mul(sin(x), 2), array([0, 1], { dtype: 'float64' }))
 * const [xBar] = vjpFn(array([1, 1], { dtype: 'float64' }))
 * assert.ok(Math.abs((xBar.toArray() as number[])[1] - 2 * Math.cos(1)) < 1e-12)
 * assert.deepStrictEqual(y.shape, [2])
 * @category transforms
 * @since 0.1.0
 */
export const vjp = <A extends readonly unknown[], R>(
  f: (...args: A) => R,
  ...primals: A
): [R, (cotangent: Grads<R> | R) => Grads<A>] => {
  checkFn('vjp', f)
  const rec = record(
    'vjp',
    erase(f),
    primals,
    primals.map((_, i) => i),
  )
  const out = unflatten(rec.outDef, rec.outLeaves) as R
  const outAvals = rec.outLeaves.map((o) => (o instanceof NdArray ? { shape: o.shape, dtype: o.dtype } : undefined))
  const vjpFn = makeVjpFn(keepForPullback(rec), rec.outDef, outAvals, rec.inputDefs)
  return [out, vjpFn as (cotangent: Grads<R> | R) => Grads<A>]
}
