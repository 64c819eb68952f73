/**
 * Shape arithmetic: sizes, strides, broadcasting and axis normalisation. Pure functions; the
 * callers turn failures into errors that carry their own operation's name.
 *
 * @category ndarray
 * @since 0.1.0
 */
import { pipe } from 'fp-ts/function'
import * as E from 'fp-ts/Either'
import * as O from 'fp-ts/Option'
import { ShapeError, ValueError, fmtShape, fmtTuple } from './errors'
import { at } from '../internal/at'

/** Shape of an array: one non-negative integer per axis. */
export type Shape = ReadonlyArray<number>

/** Number of elements of a shape. */
export const sizeOf = (shape: Shape): number => {
  let n = 1
  for (let i = 0; i < shape.length; i++) n *= shape[i] as number
  return n
}

/** Row-major (C order) strides, in elements. */
export const stridesOf = (shape: Shape): number[] => {
  const strides = new Array<number>(shape.length)
  let s = 1
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s
    s *= shape[i] as number
  }
  return strides
}

/** True when two shapes are equal. */
/** `shape` with a 1 inserted at each of `axes` (normalised axes of the result, of rank `rank`). */
export const withUnitAxes = (shape: Shape, axes: ReadonlyArray<number>, rank: number): number[] => {
  const out: number[] = []
  let k = 0
  for (let i = 0; i < rank; i++) out.push(axes.includes(i) ? 1 : (shape[k++] as number))
  return out
}

export const shapesEqual = (a: Shape, b: Shape): boolean => {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/**
 * Checks that every entry is a non-negative integer (no NaN, no fractions) and returns a copy,
 * so an array never shares its shape with a list the caller may change later.
 */
export const checkShape = (op: string, shape: ReadonlyArray<unknown>): Shape => {
  // a size-1 array entry counts by its value (JAX takes concrete arrays as sizes); one staged by
  // jit has none, and its number conversion raises ConcretizationTypeError
  if (shape.some((d) => typeof d === 'object' && d !== null && !Array.isArray(d)))
    return checkShape(
      op,
      shape.map((d) => (typeof d === 'object' && d !== null && !Array.isArray(d) ? Number(d) : d)),
    )
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new ValueError(
        `${op}: shape [${shape.map(String).join(',')}] is invalid; expected non-negative integers, got ${String(d)} (Shapes must be 1D sequences of concrete values of integer type, got (${shape.map(String).join(', ')}${shape.length === 1 ? ',' : ''}))`,
      )
    }
  }
  return [...(shape as Shape)]
}

/**
 * Where two shapes fail to broadcast: the axis of the broadcast result (`dim`, counted from the
 * front of the longer shape) and the two sizes there.
 */
export interface BroadcastMismatch {
  readonly dim: number
  readonly sizeA: number
  readonly sizeB: number
}

/**
 * The broadcast shape of two shapes, by NumPy's rule: align trailing axes; each pair of sizes
 * must be equal or contain a 1. The one home of that rule: when the shapes cannot be broadcast,
 * `Left` names the mismatch — the last one, as PyTorch reports it — and each caller turns it into
 * an error in its own terms (STYLE C14; the facade words it as PyTorch does).
 */
export const broadcastShapesOrMismatch = (a: Shape, b: Shape): E.Either<BroadcastMismatch, number[]> => {
  const n = Math.max(a.length, b.length)
  const out = new Array<number>(n)
  for (let i = n - 1; i >= 0; i--) {
    const da = i < n - a.length ? 1 : at(a, i - (n - a.length))
    const db = i < n - b.length ? 1 : at(b, i - (n - b.length))
    if (da === db || db === 1) out[i] = da
    else if (da === 1) out[i] = db
    else return E.left({ dim: i, sizeA: da, sizeB: db })
  }
  return E.right(out)
}

/** {@link broadcastShapesOrMismatch} without the detail: `None` when the shapes cannot be broadcast. */
export const tryBroadcastShapes = (a: Shape, b: Shape): O.Option<number[]> =>
  O.fromEither(broadcastShapesOrMismatch(a, b))

/** Broadcast shape of two shapes, or a ShapeError naming `op`. */
export const broadcastShapes = (op: string, a: Shape, b: Shape): number[] =>
  pipe(
    tryBroadcastShapes(a, b),
    O.getOrElse((): number[] => {
      throw new ShapeError(`${op}: Incompatible shapes for broadcasting: shapes=[${fmtTuple(a)}, ${fmtTuple(b)}]`)
    }),
  )

/** Normalises one possibly negative axis against `ndim`. */
export const normalizeAxis = (op: string, axis: number, ndim: number): number => {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    throw new ShapeError(
      `${op}: axis ${String(axis)} is out of bounds for array of dimension ${ndim}; expected an integer in [${-ndim}, ${ndim - 1}]`,
    )
  }
  return axis < 0 ? axis + ndim : axis
}

/** Normalises `axis` options: undefined means all axes; the result is sorted and unique. */
export const normalizeAxes = (op: string, axis: number | ReadonlyArray<number> | undefined, ndim: number): number[] => {
  if (axis === undefined) return Array.from({ length: ndim }, (_, i) => i)
  const list = typeof axis === 'number' ? [axis] : requireIntList(op, 'axis', axis)
  const out = list.map((a) => normalizeAxis(op, a, ndim))
  const sorted = [...out].sort((x, y) => x - y)
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1])
      throw new ShapeError(
        `${op}: duplicate value in 'axis': repeated axis ${String(sorted[i])} in [${list.join(',')}]`,
      )
  }
  return sorted
}

/**
 * `u` as a list of numbers (a shape, a permutation, ...), or a ValueError naming `op` and the argument;
 * the caller checks the values themselves (integers, ranges) with its own message.
 */
export const requireIntList = (op: string, name: string, u: unknown): ReadonlyArray<number> => {
  if ((Array.isArray(u) || ArrayBuffer.isView(u)) && Array.prototype.every.call(u, (d) => typeof d === 'number'))
    return u as ReadonlyArray<number>
  const shape = typeof u === 'object' && u !== null ? (u as { readonly shape?: unknown }).shape : undefined
  const got = Array.isArray(u)
    ? `[${u.map((d) => typeof d).join(', ')}]`
    : Array.isArray(shape)
      ? `an array of shape [${shape.join(',')}]`
      : typeof u === 'string'
        ? `'${u}'`
        : u === null || typeof u === 'number'
          ? String(u)
          : typeof u
  throw new ValueError(`${op}: ${name} must be a list of integers, got ${got}`)
}

/** Resolves a reshape target with at most one -1 against `size` elements. */
export const resolveReshape = (op: string, from: Shape, to: ReadonlyArray<number>): number[] => {
  requireIntList(op, 'shape', to)
  const size = sizeOf(from)
  let unknown = -1
  let known = 1
  const out = new Array<number>(to.length)
  for (let i = 0; i < to.length; i++) {
    const d = at(to, i)
    if (d === -1) {
      if (unknown >= 0) throw new ShapeError(`${op}: can only specify one unknown dimension (-1), got ${fmtShape(to)}`)
      unknown = i
      out[i] = -1
    } else {
      if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
        throw new ValueError(`${op}: shape ${fmtShape(to)} is invalid; expected non-negative integers or one -1`)
      }
      known *= d
      out[i] = d
    }
  }
  if (unknown >= 0) {
    if (known === 0 || size % known !== 0) {
      throw new ShapeError(
        `${op}: cannot reshape array of shape ${fmtTuple(from)} (size ${size}) into shape ${fmtTuple(to)} because the product of specified axis sizes (${known}) does not evenly divide ${size}`,
      )
    }
    out[unknown] = size / known
  } else if (known !== size) {
    throw new ShapeError(
      `${op}: cannot reshape array of shape ${fmtTuple(from)} (size ${size}) into shape ${fmtTuple(to)} (size ${known})`,
    )
  }
  return out
}
