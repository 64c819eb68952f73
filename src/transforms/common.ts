/**
 * Pieces shared by the transforms: argument selection, leaf conversion and checks, the
 * recording of a function onto a tape, and the types of derivative results.
 *
 * @category transforms
 * @since 0.1.0
 */
import { isFloat } from '../ndarray/dtype'
import { DTypeError, ValueError } from '../ndarray/errors'
import { array } from '../ndarray/create'
import { NdArray } from '../ndarray/NdArray'
import { Var, type Aval } from '../core/equation'
import { ReverseLevel, type SweepTape, type TapeTracer } from '../core/reverse'
import type { DeferralScope } from '../core/deferred'
import { levelDepth, live, primalAt, withLevel } from '../core/trace'
import { beginBirths, endBirths } from '../ndarray/bufferPool'
import { flatten, unflatten, type TreeDef } from '../tree'
import { describeLeaf } from '../tree/registry'
import { describeValue } from '../internal/options'
import { cast } from '../core/lax'
import { weakKind } from '../core/weak'

// -------------------------------------------------------------------------------------
// types
// -------------------------------------------------------------------------------------

/** The derivative structure of a value: the same pytree with numbers turned into arrays. */
export type Grads<T> = T extends NdArray
  ? NdArray
  : T extends number
    ? NdArray
    : T extends readonly unknown[]
      ? { -readonly [K in keyof T]: Grads<T[K]> }
      : T extends object
        ? { -readonly [K in keyof T]: Grads<T[K]> }
        : T

/** Which arguments to differentiate. */
export type Argnums = number | ReadonlyArray<number>

/** Picks the types of the selected arguments. */
export type Selected<A extends readonly unknown[], N extends Argnums> = N extends number
  ? Grads<A[N]>
  : { -readonly [K in keyof N]: N[K] extends number ? Grads<A[N[K]]> : never }

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

/** Formats a shape as a Python tuple, as JAX's messages do: `(3,)`, `(2, 3)`, `()`. */
export const pyShape = (shape: ReadonlyArray<number>): string =>
  shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`

/** Refuses a non-function where a transform expects the function to transform (JAX: "Expected a callable value"). */
export const checkFn = (op: string, f: unknown): void => {
  if (typeof f !== 'function')
    throw new ValueError(`${op}: expected a callable value (the function to transform), got ${describeValue(f)}`)
}

/** Normalises argnums against the number of arguments. */
export const normalizeArgnums = (op: string, argnums: Argnums, nargs: number): number[] => {
  const list = typeof argnums === 'number' ? [argnums] : Array.isArray(argnums) ? [...argnums] : [argnums]
  if (!list.every((a) => Number.isInteger(a)))
    throw new ValueError(`${op}: argnums must be an integer or an array of integers, got ${describeValue(argnums)}`)
  const shown = typeof argnums === 'number' ? String(argnums) : pyShape(list)
  const out = list.map((a) => {
    if (a < -nargs || a >= nargs) {
      // JAX: "differentiating with respect to argnums=… requires at least …"
      throw new ValueError(
        `${op}: differentiating with respect to argnums=${shown} requires at least ${Math.max(a, -a - 1) + 1} positional arguments to be passed by the caller, but got only ${nargs} positional arguments`,
      )
    }
    return a < 0 ? a + nargs : a
  })
  if (out.some((a, i) => out.indexOf(a) !== i))
    throw new ValueError(`${op}: argnums must not repeat an argument, got (${list.join(', ')})`)
  return out
}

/** A number `jit` traces (a weak scalar, see core/weak). */
const isWeakNumber = (leaf: unknown): leaf is NdArray => leaf instanceof NdArray && weakKind(leaf) !== undefined

/**
 * A leaf to differentiate with respect to: numbers (also as `jit` traces them) become float32
 * 0-d arrays; ints are refused.
 */
export const diffLeaf = (op: string, leaf: unknown, where: string): NdArray => {
  // a number traced by jit (a weak scalar) is the float32 array the untraced number would be
  const x = typeof leaf === 'number' ? array(leaf) : isWeakNumber(leaf) ? cast(leaf, 'float32') : leaf
  if (!(x instanceof NdArray)) {
    throw new ValueError(
      `${op}: ${where} of type ${typeof leaf} is not a valid JAX type: it must be an array or a number, got ${describeLeaf(leaf)}`,
    )
  }
  if (!isFloat(x.dtype)) {
    // JAX's texts (jacfwd differentiates forward, the others in reverse); allowInt is not an option here
    const jaxText =
      op === 'jacfwd'
        ? `jacfwd requires real-valued inputs (input dtype that is a sub-dtype of np.floating), but got ${x.dtype}`
        : `${op} requires real- or complex-valued inputs (input dtype that is a sub-dtype of np.inexact), but got ${x.dtype}`
    throw new DTypeError(
      `${op}: ${jaxText} (${where}). Differentiation requires float inputs (float32 or float64); pass integer data as a non-differentiated argument (argnums), use vjp, or cast it with astype`,
    )
  }
  return x
}

/** The result of recording a function on a fresh tape. */
export interface Recording {
  /** The recorded equations (the level that recorded them has been closed and released). */
  readonly tape: SweepTape
  /** Tape variables of the differentiated leaves, per selected argument. */
  readonly inputVars: ReadonlyArray<ReadonlyArray<number>>
  /** Structures of the selected arguments. */
  readonly inputDefs: ReadonlyArray<TreeDef>
  /** Shapes and dtypes of the input leaves (after conversion), per selected argument. */
  readonly inputAvals: ReadonlyArray<ReadonlyArray<Aval>>
  /** The output's leaves as primal values (one level down) and as tape atoms. */
  readonly outLeaves: ReadonlyArray<unknown>
  readonly outAtoms: ReadonlyArray<number | undefined>
  readonly outDef: TreeDef
}

/**
 * Runs `f` with the `selected` arguments' leaves recorded as tape inputs. The level is closed
 * (and its tape released from it) when this returns or throws; the recording keeps the
 * equations for the sweeps.
 */
export const record = (
  op: string,
  f: (...args: unknown[]) => unknown,
  args: ReadonlyArray<unknown>,
  selected: ReadonlyArray<number>,
  allowInt = false,
  defer?: DeferralScope,
): Recording => {
  // outside every other transform, the buffers the function allocates are noted (./forwardRecycle)
  // and, with `defer`, large element-wise values may be left uncomputed until read (core/deferred)
  const outer = levelDepth() === 0
  const level = new ReverseLevel(op, outer ? defer : undefined)
  let tape: SweepTape = EMPTY_TAPE
  let births: ReturnType<typeof beginBirths> | undefined
  try {
    const [ins, outs] = withLevel(level, () => {
      const callArgs = [...args]
      const inputs = recordInputs(level, op, args, selected, allowInt, callArgs)
      if (outer) births = beginBirths()
      return [inputs, recordOutputs(level, f(...callArgs))] as const
    })
    if (births !== undefined) endBirths(births.previous)
    tape = level.release(births?.born)
    const { inputVars, inputDefs, inputAvals } = ins
    return {
      tape,
      inputVars,
      inputDefs,
      inputAvals,
      outLeaves: outs.outLeaves,
      outAtoms: outs.outAtoms,
      outDef: outs.outDef,
    }
  } finally {
    if (tape === EMPTY_TAPE) {
      if (births !== undefined) endBirths(births.previous)
      level.release()
    }
  }
}

/** Makes the selected arguments' leaves tape inputs (replacing them in `callArgs`). */
const recordInputs = (
  level: ReverseLevel,
  op: string,
  args: ReadonlyArray<unknown>,
  selected: ReadonlyArray<number>,
  allowInt: boolean,
  callArgs: unknown[],
): Pick<Recording, 'inputVars' | 'inputDefs' | 'inputAvals'> => {
  const inputVars: number[][] = []
  const inputDefs: TreeDef[] = []
  const inputAvals: Aval[][] = []
  for (const i of selected) {
    const [leaves, def] = flatten(args[i])
    const xs = leaves.map((l, j) =>
      live(
        allowInt && l instanceof NdArray
          ? l
          : diffLeaf(op, l, `argument ${i}${leaves.length > 1 ? ` (leaf ${j})` : ''}`),
      ),
    )
    const tracers: TapeTracer[] = xs.map((x) => level.input(x))
    inputVars.push(tracers.map((t) => t.variable.id))
    inputDefs.push(def)
    inputAvals.push(xs.map((x) => ({ shape: x.shape, dtype: x.dtype })))
    callArgs[i] = unflatten(def, tracers)
  }
  return { inputVars, inputDefs, inputAvals }
}

/** The output's leaves as primal values (one level down) and as tape variables. */
const recordOutputs = (level: ReverseLevel, out: unknown): Pick<Recording, 'outLeaves' | 'outAtoms' | 'outDef'> => {
  const [rawLeaves, outDef] = flatten(out)
  const n = rawLeaves.length
  const outLeaves = new Array<unknown>(n)
  const outAtoms = new Array<number | undefined>(n)
  for (let k = 0; k < n; k++) {
    const l = rawLeaves[k]
    if (l instanceof NdArray) {
      const x = live(l)
      const a = level.atom(x)
      outAtoms[k] = a instanceof Var ? a.id : undefined
      outLeaves[k] = primalAt(level, x)
    } else {
      outAtoms[k] = undefined
      outLeaves[k] = l
    }
  }
  return { outLeaves, outAtoms, outDef }
}

const EMPTY_TAPE: SweepTape = { equations: [], nVars: 0 }

/** Concatenates lists of variables (`Array.prototype.flat` is slow in V8). */
export const concatVars = (lists: ReadonlyArray<ReadonlyArray<number>>): number[] => {
  const out: number[] = []
  for (const l of lists) for (const v of l) out.push(v)
  return out
}

/** The tape variables of a recording's outputs (outputs that are constants have none). */
export const outputVars = (rec: Recording): number[] => rec.outAtoms.filter((a): a is number => a !== undefined)

/**
 * Views a typed user function as one over unknown arguments. Transforms call it with tracers
 * standing in for the arguments' leaves, which is exactly what its types describe.
 */
export const erase = <A extends readonly unknown[], R>(f: (...args: A) => R): ((...args: unknown[]) => unknown) =>
  f as unknown as (...args: unknown[]) => unknown
