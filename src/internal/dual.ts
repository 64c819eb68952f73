/**
 * Data-first and data-last in one function (fp-ts's `dual`, predicate form): `sum(x, opts)`
 * computes, `sum(opts)` returns `x => sum(x, opts)` for `pipe(x, sum(opts))`. The predicate
 * looks at the first argument: an array is data, and so is a JS number unless the op's own
 * first parameter may be a number (`expandDims(0)` is data-last). Anything else is the
 * data-last form, if the op's `isRest` accepts it: ops whose data-last form takes an options
 * object only (the reductions) refuse `sum([1, 2, 3])` — a JS array where the data goes —
 * instead of returning a function.
 */
import { ValueError } from '../ndarray/errors'
import { NdArray } from '../ndarray/NdArray'
import { describeValue, isPlainObject } from './options'

/** An array or a JS number: what counts as the data argument. */
type Data = NdArray | number

/** The two call forms of a dual op. */
export interface Dual<A extends readonly unknown[], R> {
  (x: Data, ...rest: A): R
  (...rest: A): (x: Data) => R
}

/** How a dual op tells its two call forms apart. */
export interface DualOptions {
  /** A leading JS number is the data (default true); false: it is the op's first parameter. */
  readonly numberIsData?: boolean
  /** Whether the arguments of a data-last call are valid (default: any). */
  readonly isRest?: (args: ReadonlyArray<unknown>) => boolean
}

/** `isRest` of ops whose data-last form takes an options object or nothing (`sum({ axis: 0 })`). */
export const optionsOnly = (args: ReadonlyArray<unknown>): boolean =>
  args.length <= 1 && (args[0] === undefined || isPlainObject(args[0]))

/**
 * Makes `body(x, ...rest)` callable as `f(x, ...rest)` and as `f(...rest)(x)`; `name` is the
 * op's name in the error a malformed call raises.
 */
export const dual = <A extends readonly unknown[], R>(
  name: string,
  body: (x: Data, ...rest: A) => R,
  options: DualOptions = {},
): Dual<A, R> => {
  const numberIsData = options.numberIsData ?? true
  const isRest = options.isRest ?? (() => true)
  const isData = (u: unknown): u is Data => u instanceof NdArray || (numberIsData && typeof u === 'number')
  const f = (...args: readonly unknown[]): R | ((x: Data) => R) => {
    if (isData(args[0])) return body(args[0], ...(args.slice(1) as unknown as A))
    if (!isRest(args)) {
      throw new ValueError(
        `${name}: expected an array (or a number) as the first argument, got ${describeValue(args[0])}; wrap JS data with array(...)`,
      )
    }
    const rest = args as unknown as A
    return (x: Data) => body(x, ...rest)
  }
  // NOTE: the overloads of Dual are exactly the two branches above.
  return f as Dual<A, R>
}
