/**
 * The pieces `jit`'s compiler (./program) and its loop fusion (./fusion) build JavaScript source
 * from. NOTE (security): generated source is made only of fixed text, the kernels' own
 * expression templates (`scalarExpr`, looked up by the library's operation names), integers the
 * compiler allocated (variable and slot numbers) and numbers formatted here after checking that
 * they are numbers. Everything else a program uses — constant arrays, shapes, params, dtypes,
 * primitive implementations — reaches the code through arrays passed in at run time, never as
 * source text, so no user string reaches `new Function`.
 *
 * @category core
 * @since 0.2.0
 */
import { scalarExpr } from '../ndarray/kernels/expressions'
import type { DType } from '../ndarray/dtype'
import type { Aval, Equation } from './equation'
import type { Ewise } from './primitive'

/** A JS literal that reads back as exactly `x`, or null when `x` is not a number. */
export const numberLiteral = (x: unknown): string | null => {
  if (typeof x !== 'number') return null
  if (Number.isNaN(x)) return 'NaN'
  if (x === Infinity) return 'Infinity'
  if (x === -Infinity) return '-Infinity'
  return Object.is(x, -0) ? '-0' : String(x)
}

/** True when `n` is a size the compiler may write into a loop bound. */
export const isSize = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0

/** The float dtypes compiled code computes in, as the source text naming them. */
const FLOAT_DTYPE_TEXT: { readonly [D in DType]?: string } = { float32: "'float32'", float64: "'float64'" }

/** The source text of a float dtype (never the dtype string itself), or null. */
export const floatDTypeText = (dtype: DType): string | null =>
  Object.prototype.hasOwnProperty.call(FLOAT_DTYPE_TEXT, dtype) ? (FLOAT_DTYPE_TEXT[dtype] ?? null) : null

/** The element-wise kernel of a single-result equation, if it runs one. */
export const ewiseOf = (eq: Equation): Ewise | undefined =>
  eq.primitive.multipleResults === true ? undefined : eq.primitive.ewise

/**
 * The kernels' expression of an element-wise equation in `dtype` (a template over `a`, `b`), or
 * null: only the library's own templates, looked up by known operation names.
 */
export const ewiseExpr = (eq: Equation, dtype: DType): string | null => {
  const ew = ewiseOf(eq)
  if (ew === undefined || (ew.kind !== 'unary' && ew.kind !== 'binary')) return null
  const form: unknown = scalarExpr(ew.kind, ew.op, dtype)
  return typeof form === 'string' ? form : null
}

/** The aval of an equation's only output. */
export const outAval = (eq: Equation): Aval => (eq.outvars[0] as { readonly aval: Aval }).aval

/** `expr` rounded as `dtype` stores it. */
export const rounded = (dtype: DType, expr: string): string =>
  dtype === 'float32' ? `Math.fround(${expr})` : `(${expr})`

/** The template `form` with its operands `a`, `b` replaced. */
export const substitute = (form: string, ops: ReadonlyArray<string>): string =>
  form.replace(/\b[ab]\b/g, (m) => (m === 'a' ? (ops[0] as string) : (ops[1] as string)))
