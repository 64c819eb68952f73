/**
 * Argument checks shared by the exported functions (issue 10): each returns the argument with its
 * checked type, or throws a ValueError naming the function, the argument, what was expected and
 * what was received — never a raw JavaScript TypeError from deeper in the library.
 */
import { ValueError } from '../ndarray/errors'
import { NdArray } from '../ndarray/NdArray'
import { describeValue } from './options'

/** The error of a malformed argument: `op: name must be <expected>, got <value>`. */
const bad = (op: string, name: string, expected: string, u: unknown): ValueError =>
  new ValueError(`${op}: ${name} must be ${expected}, got ${describeValue(u)}`)

/** `u` as a JS list (of anything; the caller checks the entries), e.g. the arrays of `concat`. */
export const requireList = (op: string, name: string, u: unknown, of = 'arrays'): ReadonlyArray<unknown> => {
  if (!Array.isArray(u)) throw bad(op, name, `a list of ${of}`, u)
  return u
}

/** `u` as a non-empty JS list (`concat([])` has nothing to take the dtype and rank from). */
export const requireNonEmptyList = (op: string, name: string, u: unknown, of = 'arrays'): ReadonlyArray<unknown> => {
  const list = requireList(op, name, u, of)
  if (list.length === 0) throw new ValueError(`${op}: ${name} must hold at least one entry, got an empty list`)
  return list
}

/** `u` as an array (an NdArray, not JS data), e.g. the template of `zerosLike`. */
export const requireNdArray = (op: string, name: string, u: unknown): NdArray => {
  if (!(u instanceof NdArray)) throw bad(op, name, 'an array', u)
  return u
}

/** `u` as a function (the function a transform or a checker calls). */
export const requireFunction = <F>(op: string, name: string, u: F | unknown): F => {
  if (typeof u !== 'function') throw bad(op, name, 'a function', u)
  return u as F
}

/** `u` as a string (an einsum spec, a name). */
export const requireString = (op: string, name: string, u: unknown): string => {
  if (typeof u !== 'string') throw bad(op, name, 'a string', u)
  return u
}

/** `u` as a number (a scalar parameter; its range is the caller's check). */
export const requireNumber = (op: string, name: string, u: unknown): number => {
  if (typeof u !== 'number') throw bad(op, name, 'a number', u)
  return u
}

/** `u` as a number or a JS list of numbers (`q` of quantile, `reps` of tile, an axis or axes). */
export const requireNumberOrList = (op: string, name: string, u: unknown): number | ReadonlyArray<number> => {
  if (typeof u === 'number') return u
  if (Array.isArray(u) && u.every((d) => typeof d === 'number')) return u as ReadonlyArray<number>
  throw bad(op, name, 'a number or a list of numbers', u)
}

/** `u` as an object holding the fields `keys` (a tape, a result record), e.g. `checkTape(tape)`. */
export const requireRecord = <R>(
  op: string,
  name: string,
  u: unknown,
  what: string,
  keys: ReadonlyArray<string>,
): R => {
  if (u === null || typeof u !== 'object' || keys.some((k) => !(k in u))) throw bad(op, name, what, u)
  return u as R
}

/** `u` as a JS list of arrays (the primals of a finite difference, the outputs to compare). */
export const requireNdArrayList = (op: string, name: string, u: unknown): ReadonlyArray<NdArray> => {
  const list = requireList(op, name, u)
  list.forEach((x, i) => requireNdArray(op, `${name}[${i}]`, x))
  return list as ReadonlyArray<NdArray>
}
