/**
 * `hashKey(u)`: a string standing for a value that is not traced (jit's static arguments, the
 * static fields of registered pytree nodes): equal strings for equal values. Numbers, strings,
 * booleans, bigints, null and undefined count by value, JS arrays and plain objects by their
 * entries, every other object and function by identity (as Python hashes objects by id); an
 * array (NdArray) is not hashable (as in JAX) and raises.
 * Internal (not exported from `tree`).
 */
import { ValueError } from '../ndarray/errors'
import { isPlainObject } from '../internal/options'
import { NdArray } from '../ndarray/NdArray'

let nextObjectId = 1
const objectIds = new WeakMap<object, number>()

/** The identity part of a key: a number given to each object the first time it is met. */
const idOf = (o: object): number => {
  let id = objectIds.get(o)
  if (id === undefined) {
    id = nextObjectId++
    objectIds.set(o, id)
  }
  return id
}

/** The deepest nesting of arrays and plain objects a key is made for. */
const MAX_DEPTH = 100

/** The key of `u`; `op` names the caller in the error raised for a cycle or too deep a nesting. */
export const hashKey = (u: unknown, op = 'hashKey', depth = 0): string => {
  if (typeof u === 'number') return `n${Object.is(u, -0) ? '-0' : String(u)}`
  if (typeof u === 'string') return `s${JSON.stringify(u)}`
  if (typeof u === 'boolean' || typeof u === 'bigint' || u === undefined || u === null) return `p${String(u)}`
  if (typeof u === 'symbol') return `y${String(u.description)}`
  if (depth > MAX_DEPTH) throw new ValueError(`${op}: a static value is nested more than ${MAX_DEPTH} levels deep`)
  if (u instanceof NdArray)
    throw new ValueError(
      `${op}: Non-hashable static arguments are not supported: an array of shape [${u.shape.join(',')}] ` +
        `cannot be a static value (pass it as a traced argument, or as a JS number or array)`,
    )
  if (Array.isArray(u)) return `a[${u.map((e: unknown) => hashKey(e, op, depth + 1)).join(',')}]`
  if (isPlainObject(u))
    return `d{${Object.keys(u)
      .map((k) => `${JSON.stringify(k)}:${hashKey(u[k], op, depth + 1)}`)
      .join(',')}}`
  return `o${idOf(u as object)}`
}
