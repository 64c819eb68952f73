/**
 * Operand normalisation shared by the ops: JS numbers are weak scalars that take the other
 * operand's dtype (as in JAX), arrays of different dtypes promote.
 *
 * @category ops
 * @since 0.1.0
 */
import { cast, scalar } from '../core/lax'
import { weakKind, type WeakKind } from '../core/weak'
import { isFloat, promoteTypes, type DType } from '../ndarray/dtype'
import { DTypeError, ValueError } from '../ndarray/errors'
import { NdArray } from '../ndarray/NdArray'
import { broadcastShapes, shapesEqual } from '../ndarray/shape'

/** An array or a JS number (a weak scalar). */
export type ArrayLike = NdArray | number

/**
 * Converts an operand alone: numbers become float32 0-d arrays, and so do the weak scalars `jit`
 * traces numbers as (see core/weak).
 */
export const asArray = (op: string, x: ArrayLike, dtype?: DType): NdArray => {
  if (x instanceof NdArray)
    return dtype !== undefined ? cast(x, dtype) : weakKind(x) !== undefined ? cast(x, 'float32') : x
  if (typeof x === 'number') return scalar(x, dtype ?? 'float32')
  throw new ValueError(`${op}: expected an array or a number, got ${x === null ? 'null' : typeof x}`)
}

/**
 * The kind of a weak operand (a JS number, or a number traced by jit), undefined for a strong
 * array. NOTE: a string, not an object, so the per-op path of every binary op allocates nothing here.
 */
const weakOf = (x: ArrayLike): WeakKind | undefined => {
  if (typeof x === 'number') return Number.isInteger(x) ? 'int' : 'float'
  return x instanceof NdArray ? weakKind(x) : undefined
}

/**
 * The dtype two operands are brought to: a weak operand (a number, or a number traced by jit)
 * takes the other array's dtype (float32 if that array is int/bool and the number is
 * fractional); two arrays promote by the lattice of `promoteTypes`; undefined for two weak
 * operands (each becomes a float32 array alone).
 */
const commonDType = (
  x: ArrayLike,
  y: ArrayLike,
  wx: WeakKind | undefined,
  wy: WeakKind | undefined,
): DType | undefined => {
  const sx = wx === undefined && x instanceof NdArray
  const sy = wy === undefined && y instanceof NdArray
  if (sx && sy) return x.dtype === y.dtype ? x.dtype : promoteTypes(x.dtype, y.dtype)
  if (sx) return weakTarget(x, wy as WeakKind)
  if (sy) return weakTarget(y, wx as WeakKind)
  return undefined
}

/**
 * Brings two operands to one dtype: a weak operand (a number, or a number traced by jit) takes
 * the other array's dtype (float32 if that array is int/bool and the number is fractional); two
 * arrays promote by the lattice of `promoteTypes`; two weak operands are float32 arrays.
 */
export const coerce2 = (op: string, x: ArrayLike, y: ArrayLike): [NdArray, NdArray] => {
  const wx = weakOf(x)
  const wy = weakOf(y)
  const t = commonDType(x, y, wx, wy)
  return [asArray(op, x, t), asArray(op, y, t)]
}

/**
 * {@link coerceBroadcast} that hands the two operands to `f` instead of returning a pair: the
 * per-op path of the arithmetic ops (`add`, `mul`, …) then allocates nothing to convert them.
 */
export const withCoerced = <R>(op: string, x: ArrayLike, y: ArrayLike, f: (a: NdArray, b: NdArray) => R): R => {
  const wx = weakOf(x)
  const wy = weakOf(y)
  const t = commonDType(x, y, wx, wy)
  const a = typeof x === 'number' ? operandScalar(x, t) : asArray(op, x, t)
  const b = typeof y === 'number' ? operandScalar(y, t) : asArray(op, y, t)
  checkBroadcast(op, a, b)
  return f(a, b)
}

/** Float scalars made for numbers that `withCoerced` passes to a primitive, by dtype and value. */
const OPERANDS: { readonly [D in DType]?: Map<number, NdArray> } = { float32: new Map(), float64: new Map() }
/** At most this many values of each dtype are kept (the table is emptied when it is full). */
const MAX_OPERANDS = 64

/**
 * The 0-d array of number `v` in `dtype` (default float32), as an operand of an arithmetic
 * primitive. NOTE: the arrays of float numbers are shared, so code that applies the same op
 * with a literal in a loop (`mul(x, 0.99)`) does not make, and a reverse tape does not keep, one
 * array per application. Sharing is safe here: these arrays reach only primitives' inputs
 * (arrays are never written into), never the caller. -0 is not shared (a Map does not tell it
 * from 0).
 */
const operandScalar = (v: number, dtype: DType = 'float32'): NdArray => {
  const table = OPERANDS[dtype]
  if (table === undefined || Object.is(v, -0)) return scalar(v, dtype)
  let c = table.get(v)
  if (c === undefined) {
    if (table.size >= MAX_OPERANDS) table.clear()
    c = scalar(v, dtype)
    table.set(v, c)
  }
  return c
}

/**
 * {@link coerce2} for element-wise ops: also checks that the shapes broadcast, so the error
 * names the op the user called (`greater`, `minimum`), not the primitive it binds (`gt`, `max`).
 */
export const coerceBroadcast = (op: string, x: ArrayLike, y: ArrayLike): [NdArray, NdArray] => {
  const r = coerce2(op, x, y)
  checkBroadcast(op, r[0], r[1])
  return r
}

/** Throws the ShapeError of `op` unless the two arrays broadcast together. */
export const checkBroadcast = (op: string, a: NdArray, b: NdArray): void => {
  if (!shapesEqual(a.shape, b.shape)) broadcastShapes(op, a.shape, b.shape)
}

/** The dtype a weak operand of `kind` adopts next to the strong array `x`. */
const weakTarget = (x: NdArray, kind: WeakKind): DType => {
  if (isFloat(x.dtype)) return x.dtype
  return kind === 'int' ? (x.dtype === 'bool' ? 'int32' : x.dtype) : 'float32'
}

/**
 * `x` itself when its dtype is a float, else cast to `dtype` (default float32; the facade passes
 * its default dtype). The one home of "compute in float".
 */
export const toFloat = (x: NdArray, dtype: DType = 'float32'): NdArray => (isFloat(x.dtype) ? x : cast(x, dtype))

/** Requires a float dtype (for ops like exp, log on int input: promotes int/bool to float32). */
export const asFloat = (op: string, x: ArrayLike): NdArray => toFloat(asArray(op, x))

/** Rejects bool input where arithmetic needs numbers. */
export const requireNumeric = (op: string, x: NdArray): NdArray => {
  if (x.dtype === 'bool')
    throw new DTypeError(`${op}: expected a numeric array, got dtype bool; cast it with astype first`)
  return x
}
