/**
 * The pytree plumbing of a custom-derivative call (`customVjp` / `customJvp`): the arguments'
 * leaves become the call primitive's inputs and the output pytree travels as one flat array.
 *
 * @category transforms
 * @since 0.1.0
 */
import { concatenate, reshape, slice } from '../core/lax'
import type { Aval } from '../core/zero'
import { describeValue } from '../internal/options'
import { DTypeError, TreeMismatchError, ValueError } from '../ndarray/errors'
import { array } from '../ndarray/create'
import { NdArray } from '../ndarray/NdArray'
import { describe, flatten, sameStructure, unflatten, type TreeDef } from '../tree'

const toArgs = (op: string, args: ReadonlyArray<unknown>): NdArray[] =>
  args.map((a, i) => {
    if (a instanceof NdArray) return a
    if (typeof a === 'number') return array(a)
    throw new ValueError(`${op}: argument ${i} must be an array or a number, got ${typeof a}`)
  })

export const checkOut = (op: string, out: unknown): NdArray => {
  if (!(out instanceof NdArray)) throw new ValueError(`${op}: the function must return one array, got ${typeof out}`)
  return out
}

/**
 * Pytree plumbing of one custom call: the arguments' leaves are the call primitive's inputs, and
 * the output's leaves travel as one flat vector (each leaf flattened and concatenated), so the
 * call stays a single-output primitive; a single array output travels as itself.
 */
export class FlatCall {
  readonly leaves: NdArray[]
  private readonly argDefs: TreeDef[]
  private readonly argCounts: number[]
  private outDef: TreeDef | undefined
  private outAvals: Aval[] = []

  constructor(
    private readonly op: string,
    args: ReadonlyArray<unknown>,
  ) {
    this.leaves = []
    this.argDefs = []
    this.argCounts = []
    args.forEach((a, i) => {
      const [ls, def] = flatten(a)
      this.argDefs.push(def)
      this.argCounts.push(ls.length)
      this.leaves.push(
        ...toArgs(op, ls).map((x, j) => (x instanceof NdArray ? x : checkOut(`${op} argument ${i} leaf ${j}`, x))),
      )
    })
  }

  /** The user's arguments rebuilt from leaves. */
  unflattenArgs(leaves: ReadonlyArray<NdArray>): unknown[] {
    let k = 0
    return this.argDefs.map((def, i) => {
      const n = this.argCounts[i] as number
      const part = leaves.slice(k, k + n)
      k += n
      return unflatten(def, part)
    })
  }

  /** The output pytree as the primitive's single array. */
  flatOut(out: unknown): NdArray {
    const [ls, def] = flatten(out)
    const arrays = ls.map((l, j) => checkOut(`${this.op} output leaf ${j}`, l))
    if (this.outDef === undefined) {
      this.outDef = def
      this.outAvals = arrays.map((a) => ({ shape: a.shape, dtype: a.dtype }))
      if (arrays.some((a) => a.dtype !== (arrays[0] as NdArray).dtype)) {
        throw new DTypeError(
          `${this.op}: output leaves must share one dtype, got ${arrays.map((a) => a.dtype).join(', ')}`,
        )
      }
    }
    if (def.kind === 'leaf') return arrays[0] as NdArray
    if (arrays.length === 0) throw new ValueError(`${this.op}: the function returned no arrays`)
    const flat = arrays.map((a) => reshape(a, [a.size]))
    return flat.length === 1 ? (flat[0] as NdArray) : concatenate(flat, 0)
  }

  /** The primitive's single array as the output pytree. */
  unflattenOut(y: NdArray): unknown {
    const def = this.outDef
    if (def === undefined || def.kind === 'leaf') return y
    let start = 0
    const parts = this.outAvals.map((a) => {
      const n = a.shape.reduce((p, d) => p * d, 1)
      const part = reshape(slice(y, [start], [start + n], [1]), a.shape)
      start += n
      return part
    })
    return unflatten(def, parts)
  }

  /** bwd's per-argument cotangent pytrees as one cotangent per leaf. */
  flatCotangents(cts: ReadonlyArray<unknown>): Array<NdArray | number | null | undefined> {
    if (!Array.isArray(cts) || cts.length !== this.argDefs.length) {
      throw new TreeMismatchError(
        `${this.op}: Custom VJP bwd rule must produce an output with the same container (pytree) structure as the args tuple of the primal function, and in particular must produce a tuple (an array) of length equal to the number of arguments to the primal function, but got ${Array.isArray(cts) ? `an array of length ${cts.length}` : describeValue(cts)} for ${this.argDefs.length} argument(s) (bwd must return one cotangent per argument)`,
      )
    }
    return cts.flatMap((c, i) => {
      const def = this.argDefs[i] as TreeDef
      if (c === null || c === undefined) return new Array<null>(this.argCounts[i] as number).fill(null)
      if (def.kind === 'leaf') return [c as NdArray | number]
      const [ls, cdef] = flatten(c)
      if (!sameStructure(def, cdef)) {
        throw new TreeMismatchError(
          `${this.op}: the cotangent of argument ${i} has structure ${describe(cdef)} but the argument has ${describe(def)}`,
        )
      }
      return ls as Array<NdArray | number | null | undefined>
    })
  }
}
