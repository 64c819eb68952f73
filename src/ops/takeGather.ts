/**
 * Gathers at index arrays whose values are not known while tracing (under `jit`, `vmap`,
 * `exportOnnx`): the index array is an operand of the staged `gather`, and out-of-bounds
 * handling happens when the program runs, following JAX's `mode='fill'` — negative indices count
 * from the end, indices still out of range give the dtype's fill value instead of an element.
 *
 * @category ops
 * @since 0.2.0
 */
import * as lax from '../core/lax'
import { isFloat, isInteger, type DType } from '../ndarray/dtype'
import { DTypeError, ShapeError, ValueError } from '../ndarray/errors'
import type { NdArray } from '../ndarray/NdArray'

/** The fill of each integer dtype: its minimum (signed), its maximum (unsigned); int64's is its least exact value. */
const INT_FILL: Readonly<Record<string, number>> = {
  int8: -128,
  int16: -32768,
  int32: -(2 ** 31),
  int64: Number.MIN_SAFE_INTEGER,
  uint8: 255,
}

/**
 * JAX's default fill of `mode='fill'`: NaN for floats, true for bool, the minimum of a signed
 * integer dtype, the maximum of an unsigned one.
 */
export const defaultFill = (dtype: DType): number =>
  isFloat(dtype) ? NaN : dtype === 'bool' ? 1 : (INT_FILL[dtype] ?? Number.MIN_SAFE_INTEGER)

/**
 * `a` gathered along `ax` at the (traced) integer `idx`, with JAX's 'fill' out-of-bounds mode:
 * the result has shape a.shape[:ax] ++ idx.shape ++ a.shape[ax+1:]. `op` names the caller in errors.
 */
export const gatherFill = (op: string, a: NdArray, idx: NdArray, ax: number, fill?: number): NdArray => {
  if (!isInteger(idx.dtype))
    throw new DTypeError(
      `${op}: traced indices must have an integer dtype, got ${idx.dtype} (their values are not known while tracing, so float indices cannot be checked to be whole numbers)`,
    )
  const n = a.shape[ax] as number
  const i32 = (v: number): NdArray => lax.scalar(v, 'int32')
  const i = idx.dtype === 'int32' ? idx : lax.cast(idx, 'int32')
  const wrapped = lax.select(lax.lt(i, i32(0)), lax.add(i, i32(n)), i)
  const valid = lax.and(lax.ge(wrapped, i32(0)), lax.lt(wrapped, i32(n)))
  const outShape = [...a.shape.slice(0, ax), ...idx.shape, ...a.shape.slice(ax + 1)]
  const value = lax.scalar(fill ?? defaultFill(a.dtype), a.dtype)
  // an empty axis has nothing to gather: every index is out of bounds
  if (n === 0) return lax.broadcastInDim(value, outShape, [])
  const g = lax.gather(a, lax.select(valid, wrapped, i32(0)), ax)
  const dims = idx.shape.map((_, k) => ax + k)
  return lax.select(lax.broadcastInDim(valid, outShape, dims), g, value)
}

/** The out-of-bounds modes of `take` (JAX's `jnp.take`; its 'raise' is not supported there either). */
export type TakeMode = 'fill' | 'clip' | 'wrap'

/** Options of `take` (JAX's keywords in camelCase). */
export interface TakeOptions {
  /** The axis to take along; `undefined`/`null`: the flattened array. */
  readonly axis?: number | null
  /** Out-of-bounds indices: 'fill' (JAX's default), 'clip' or 'wrap'. */
  readonly mode?: TakeMode
  /** With mode 'fill': the value of out-of-bounds elements (default NaN for floats, the minimum of a signed integer dtype, the maximum of an unsigned one, true for bool). */
  readonly fillValue?: number | boolean
  /** JAX's promise that the indices are unique; values do not depend on it. */
  readonly uniqueIndices?: boolean
  /** JAX's promise that the indices are sorted; values do not depend on it. */
  readonly indicesAreSorted?: boolean
}

/** The keys `take` accepts in its options object. */
export const TAKE_KEYS: ReadonlyArray<keyof TakeOptions> = [
  'axis',
  'mode',
  'fillValue',
  'uniqueIndices',
  'indicesAreSorted',
]

/** `mode` checked: JAX refuses 'raise' (NotImplementedError there) and names any other bad mode. */
export const checkTakeMode = (mode: unknown): TakeMode | undefined => {
  if (mode === undefined || mode === null) return undefined
  if (mode === 'raise') throw new ValueError("take: the 'raise' mode to jnp.take is not supported")
  if (mode !== 'fill' && mode !== 'clip' && mode !== 'wrap')
    throw new ValueError(`take: Invalid mode '${String(mode)}' for np.take (expected 'fill', 'clip' or 'wrap')`)
  return mode
}

/**
 * `a` gathered along `ax` at integer `idx` by JAX's rule for `mode`: 'fill' wraps negative
 * indices once and fills the rest, 'clip' clamps the raw index, 'wrap' takes it modulo n.
 */
export const takeMode = (a: NdArray, idx: NdArray, ax: number, mode: TakeMode, fill?: number): NdArray => {
  if (mode === 'fill') return gatherFill('take', a, idx, ax, fill)
  if (!isInteger(idx.dtype)) throw new DTypeError(`take: indices must have an integer dtype, got ${idx.dtype}`)
  const n = a.shape[ax] as number
  if (n === 0) {
    if (idx.size !== 0) throw new ShapeError('take: cannot do a non-empty take from an empty axis')
    return lax.broadcastInDim(
      lax.scalar(0, a.dtype),
      [...a.shape.slice(0, ax), ...idx.shape, ...a.shape.slice(ax + 1)],
      [],
    )
  }
  const i32 = (v: number): NdArray => lax.scalar(v, 'int32')
  const i = idx.dtype === 'int32' ? idx : lax.cast(idx, 'int32')
  let pos: NdArray
  if (mode === 'clip') pos = lax.select(lax.lt(i, i32(0)), i32(0), lax.select(lax.gt(i, i32(n - 1)), i32(n - 1), i))
  else {
    // i - n·trunc(i/n) has the sign of i; one more n makes it Python's modulo
    const r = lax.sub(i, lax.mul(i32(n), lax.div(i, i32(n))))
    pos = lax.select(lax.lt(r, i32(0)), lax.add(r, i32(n)), r)
  }
  return lax.gather(a, pos, ax)
}
