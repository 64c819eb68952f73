/**
 * `nondiffArgnums` of {@link customVjp} and {@link customJvp} (JAX's `nondiff_argnums`): the
 * arguments at those positions are not differentiated and may be any value (a solver function, a
 * shape, a string). They are taken out of the call before it is flattened, and handed back to the
 * rules: `fwd` receives every argument in order, `bwd(...nondiff, residuals, cotangent)` returns one
 * cotangent per remaining argument; a JVP rule is called as `rule(...nondiff, primals, tangents)`
 * with primals and tangents of the remaining arguments.
 */
import { checkOptions } from '../internal/options'
import { ValueError } from '../ndarray/errors'

/**
 * Options of {@link customVjp} and {@link customJvp}.
 * @category transforms
 * @since 0.7.0
 */
export interface CustomDerivativeOptions {
  /** Positions (negative counts from the end) of arguments not to differentiate. */
  readonly nondiffArgnums?: number | ReadonlyArray<number>
}

/** The checked positions (unsorted, possibly negative) of `nondiffArgnums`. */
export const nondiffPositions = (op: string, options: CustomDerivativeOptions | undefined): number[] => {
  const { nondiffArgnums } = checkOptions(op, options, ['nondiffArgnums'])
  if (nondiffArgnums === undefined) return []
  const list = typeof nondiffArgnums === 'number' ? [nondiffArgnums] : nondiffArgnums
  if (!Array.isArray(list) || list.some((i) => !Number.isInteger(i)))
    throw new ValueError(
      `${op}: nondiffArgnums must be an integer or a list of integers, got ${String(nondiffArgnums)}`,
    )
  return [...(list as number[])]
}

/** A call's arguments split into the nondiff ones (in position order) and a rebuild of the rest. */
export interface SplitArgs {
  readonly fixed: unknown[]
  readonly rest: unknown[]
  readonly merge: (rest: ReadonlyArray<unknown>) => unknown[]
}

export const splitArgs = (op: string, positions: ReadonlyArray<number>, args: ReadonlyArray<unknown>): SplitArgs => {
  const n = args.length
  const norm = positions.map((p) => {
    if (p < -n || p >= n)
      throw new ValueError(
        `${op}: nondiffArgnums entry ${p} is out of range for a call with ${n} positional argument(s)`,
      )
    return p < 0 ? p + n : p
  })
  const set = new Set(norm)
  if (set.size !== norm.length)
    throw new ValueError(`${op}: nondiffArgnums has a repeated position: ${positions.join(', ')}`)
  const order = [...set].sort((a, b) => a - b)
  const fixed = order.map((i) => args[i])
  const rest = args.filter((_, i) => !set.has(i))
  const merge = (r: ReadonlyArray<unknown>): unknown[] => {
    let k = 0
    return args.map((a, i) => (set.has(i) ? a : r[k++]))
  }
  return { fixed, rest, merge }
}

/** `g` with `f`'s name (the name a printed tape shows for the call). */
export const named = <G extends object>(g: G, f: { readonly name: string }): G =>
  Object.defineProperty(g, 'name', { value: f.name || 'anonymous' })
