/**
 * Argument helpers shared by the facade's convolution and pooling functions (not exported
 * through `F`).
 *
 * @category torch
 * @since 0.2.0
 */
import { RuntimeError } from '../errors'
import { requireInput } from '../pyTypeName'
import type { Tensor } from '../tensor'

/** An int for every spatial axis, or one per axis. */
export type IntOrTuple = number | ReadonlyArray<number>

/** Expands an int to `n` entries (a tuple must have `n`). */
export const expand = (fn: string, name: string, v: IntOrTuple, n: number): number[] => {
  const xs = typeof v === 'number' ? new Array<number>(n).fill(v) : v.slice()
  if (xs.length !== n || !xs.every(Number.isInteger)) {
    throw new RuntimeError(
      `${fn}: expected ${name} to be a single integer value or a list of ${n} values to match the convolution dimensions, but got ${name}=[${xs.join(', ')}]`,
    )
  }
  return xs
}

/** The shape as PyTorch prints it in messages: `[2, 3]`. */
export const sizeList = (s: ReadonlyArray<number>): string => `[${s.join(', ')}]`

/** Checks input rank (batched or not) and returns whether a batch axis must be added. */
export const unbatched = (fn: string, t: Tensor, nsp: number): boolean => {
  requireInput(fn, t)
  const nd = t._value().ndim
  if (nd !== nsp + 1 && nd !== nsp + 2) {
    throw new RuntimeError(
      `Expected ${nsp + 1}D (unbatched) or ${nsp + 2}D (batched) input to ${fn}, but got input of size: ${sizeList(t._value().shape)}`,
    )
  }
  return nd === nsp + 1
}

/** Python's repr of a layer argument: a tuple `(3, 3)` / `(3,)`, an int, None, True/False or a bare string. */
export const pyRepr = (v: unknown): string => {
  if (v === null || v === undefined) return 'None'
  if (typeof v === 'boolean') return v ? 'True' : 'False'
  if (Array.isArray(v)) return v.length === 1 ? `(${pyRepr(v[0])},)` : `(${v.map(pyRepr).join(', ')})`
  return String(v)
}
