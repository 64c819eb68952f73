/**
 * Run-time checks of options objects, for JavaScript callers that have no compiler: an unknown
 * key (a JAX/NumPy spelling such as `in_axes`, a typo such as `argnum`) raises a ValueError that
 * names the valid keys and suggests the closest one, instead of being silently ignored.
 */
import { ValueError } from '../ndarray/errors'
import { NdArray } from '../ndarray/NdArray'

/** How a value prints in a message: `[1,2,3]`, `'1'`, `null`, `an NdArray`. */
export const describeValue = (u: unknown): string => {
  if (u instanceof NdArray) return `an array of shape [${u.shape.join(',')}]`
  if (typeof u === 'string') return `'${u}'`
  if (Array.isArray(u)) return `the JS array [${u.map(describeValue).join(', ')}]`
  if (typeof u === 'function') return 'a function'
  if (u !== null && typeof u === 'object') return 'an object'
  return String(u)
}

/** True for `{ … }` literals (and class-less objects): what an options argument must be. */
export const isPlainObject = (u: unknown): u is Readonly<Record<string, unknown>> => {
  if (u === null || typeof u !== 'object' || Array.isArray(u)) return false
  const proto: unknown = Object.getPrototypeOf(u)
  return proto === Object.prototype || proto === null
}

/** Lower case without `_`: `in_axes`, `inAxes` and `INAXES` all become `inaxes`. */
const squash = (s: string): string => s.replace(/_/g, '').toLowerCase()

/** Edit distance, small strings only. */
const distance = (a: string, b: string): number => {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    for (let j = 1; j <= b.length; j++) {
      const sub = (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1)
      cur.push(Math.min(sub, (prev[j] as number) + 1, (cur[j - 1] as number) + 1))
    }
    prev = cur
  }
  return prev[b.length] as number
}

/** The valid key closest to `key` (same letters up to case and `_`, or at most 2 edits), if any. */
export const suggest = (key: string, valid: ReadonlyArray<string>): string | undefined => {
  const k = squash(key)
  const exact = valid.find((v) => squash(v) === k)
  if (exact !== undefined) return exact
  let best: string | undefined
  let bestD = 3
  for (const v of valid) {
    const d = distance(k, squash(v))
    if (d < bestD) [best, bestD] = [v, d]
  }
  return best
}

/**
 * Checks that `opts` (the options argument of `op`) is undefined or a plain object whose keys
 * are all in `valid`; returns it (or `{}`). The message follows Python's for an unexpected
 * keyword argument, with the valid keys and a suggestion.
 */
export const checkOptions = <T extends object>(op: string, opts: T | undefined, valid: ReadonlyArray<keyof T>): T => {
  if (opts === undefined) return {} as T
  const names = valid.map(String)
  if (!isPlainObject(opts)) {
    throw new ValueError(
      `${op}() expected an options object with keys among ${names.join(', ')}, got ${describeValue(opts)}`,
    )
  }
  for (const key of Object.keys(opts)) {
    if (names.includes(key)) continue
    const near = suggest(key, names)
    throw new ValueError(
      `${op}() got an unexpected keyword argument '${key}'${near === undefined ? '' : `; did you mean '${near}'?`} (valid options: ${names.join(', ') || 'none'})`,
    )
  }
  return opts
}

/** The axis argument of an axis-taking op: positional (`sum(x, 1)`), or inside its options (`sum(x, { axis: 1 })`). */
export type AxisOr<O> = number | ReadonlyArray<number> | null | O

/** Checks an axis value: an integer, a list of integers, or null/undefined (all axes; JAX's None). */
export const checkAxisValue = (op: string, axis: unknown): void => {
  if (axis === undefined || axis === null) return
  // numbers pass: the op's own axis normalisation reports a fractional or out-of-range axis
  const ok = (a: unknown): boolean => typeof a === 'number'
  if (ok(axis) || (Array.isArray(axis) && axis.every(ok))) return
  throw new ValueError(`${op}: axis must be an integer, a list of integers or null, got ${describeValue(axis)}`)
}

/**
 * The options of an axis-taking op from its second argument, which is either the axis itself
 * or an options object (checked against `valid`); a null axis (JAX's None) means all axes.
 */
export const axisOptions = <O extends { readonly axis?: unknown }>(
  op: string,
  arg: AxisOr<O> | undefined,
  valid: ReadonlyArray<keyof O>,
): O => {
  if (arg === undefined || arg === null) return {} as O
  if (typeof arg === 'number' || Array.isArray(arg)) {
    checkAxisValue(op, arg)
    return { axis: arg } as O
  }
  const o = checkOptions(op, arg as O, valid)
  checkAxisValue(op, o.axis)
  return o.axis === null ? { ...o, axis: undefined } : o
}
