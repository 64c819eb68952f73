/**
 * Data-first and data-last in one function (fp-ts's `dual`, predicate form): `sum(x, opts)`
 * computes, `sum(opts)` returns `x => sum(x, opts)` for `pipe(x, sum(opts))`. The predicate
 * looks at the first argument: an array is data, and so is a JS number unless the op's own
 * first parameter may be a number (`expandDims(0)` is data-last); anything else (an options
 * object, a shape list, nothing) is the data-last form.
 */
import { NdArray } from '../ndarray/NdArray'

/** An array or a JS number: what counts as the data argument. */
type Data = NdArray | number

/** The two call forms of a dual op. */
export interface Dual<A extends readonly unknown[], R> {
  (x: Data, ...rest: A): R
  (...rest: A): (x: Data) => R
}

/**
 * Makes `body(x, ...rest)` callable as `f(x, ...rest)` and as `f(...rest)(x)`. With
 * `numberIsData: false` a leading JS number is read as the op's first parameter.
 */
export const dual = <A extends readonly unknown[], R>(
  body: (x: Data, ...rest: A) => R,
  numberIsData = true,
): Dual<A, R> => {
  const isData = (u: unknown): u is Data => u instanceof NdArray || (numberIsData && typeof u === 'number')
  const f = (...args: readonly unknown[]): R | ((x: Data) => R) => {
    if (isData(args[0])) return body(args[0], ...(args.slice(1) as unknown as A))
    const rest = args as unknown as A
    return (x: Data) => body(x, ...rest)
  }
  // NOTE: the overloads of Dual are exactly the two branches above.
  return f as Dual<A, R>
}
