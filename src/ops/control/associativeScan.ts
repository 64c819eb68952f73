/**
 * `lax.associativeScan`: an inclusive prefix scan with an associative binary function, computed
 * by JAX's parallel algorithm (O(log n) levels of combining odd and even elements), so results
 * round as JAX's do.
 *
 * @category ops
 * @since 0.2.0
 */
import { ShapeError, ValueError } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { concatenate, flip, reshape, slice } from '../../core/lax'
import { flatten, unflatten } from '../../tree'
import { checkOptions, describeValue } from '../../internal/options'
import { checkFn } from '../../transforms/common'
import { leafArray } from './scan'

/** Options of {@link associativeScan}. */
export interface AssociativeScanOptions {
  /** Scan from the end (JAX's `reverse`). */
  readonly reverse?: boolean
  /** The axis to scan along (default 0; negative counts from the end). */
  readonly axis?: number
}

/** `x[start:stop:step]` along `axis` (stop may be negative, as Python's). */
const sliceAxis = (x: NdArray, axis: number, start: number, stop: number | null, step = 1): NdArray => {
  const n = x.shape[axis] as number
  const hi = stop === null ? n : stop < 0 ? n + stop : stop
  return slice(
    x,
    x.shape.map((_, i) => (i === axis ? Math.min(start, n) : 0)),
    x.shape.map((d, i) => (i === axis ? Math.max(Math.min(start, n), hi) : d)),
    x.shape.map((_, i) => (i === axis ? step : 1)),
  )
}

/** Interleaves a (⌈n/2⌉ rows) and b (⌊n/2⌋ rows) along `axis`: a0 b0 a1 b1 … */
const interleave = (a: NdArray, b: NdArray, axis: number): NdArray => {
  const na = a.shape[axis] as number
  const nb = b.shape[axis] as number
  const pairs = nb
  const a2 = na === nb ? a : sliceAxis(a, axis, 0, nb)
  const pairShape = [...a.shape.slice(0, axis), pairs, 1, ...a.shape.slice(axis + 1)]
  const both = concatenate([reshape(a2, pairShape), reshape(b, pairShape)], axis + 1)
  const merged = reshape(both, [...a.shape.slice(0, axis), 2 * pairs, ...a.shape.slice(axis + 1)])
  return na === nb ? merged : concatenate([merged, sliceAxis(a, axis, na - 1, null)], axis)
}

/**
 * The inclusive scan of `elems` (a pytree of arrays sharing their length along `axis`) with an
 * associative `fn` (JAX: `lax.associative_scan`): element `i` of the result is
 * `fn(…fn(fn(e₀, e₁), e₂)…, eᵢ)`. `fn` takes and returns pytrees of the same structure and is
 * applied to whole slices at once (it must work element-wise over the scanned axis), O(log n)
 * times, by JAX's algorithm.
 *
 * @example
 * import { lax, array, add } from 'wengert'
 * assert.deepStrictEqual(lax.associativeScan(add, array([1, 2, 3, 4, 5])).toArray(), [1, 3, 6, 10, 15])
 * assert.deepStrictEqual(lax.associativeScan(add, array([1, 2, 3]), { reverse: true }).toArray(), [6, 5, 3])
 * @category ops
 * @since 0.2.0
 */
export const associativeScan = <T>(fn: (a: T, b: T) => T, elems: T, options: AssociativeScanOptions = {}): T => {
  checkFn('associativeScan', fn)
  const opts = checkOptions('associativeScan', options, ['reverse', 'axis'])
  const [leaves, def] = flatten(elems)
  const xs = leaves.map((l, i) => leafArray('associative_scan', l, `elems leaf ${i}`))
  if (xs.length === 0) return elems
  const first = xs[0] as NdArray
  const rawAxis = opts.axis ?? 0
  if (!Number.isInteger(rawAxis) || rawAxis < -first.ndim || rawAxis >= first.ndim)
    throw new ValueError(
      `associative_scan: axis ${describeValue(rawAxis)} is out of bounds for array of dimension ${first.ndim}`,
    )
  const axis = rawAxis < 0 ? rawAxis + first.ndim : rawAxis
  const n = first.shape[axis] as number
  if (xs.some((x) => x.shape[axis] !== n))
    throw new ShapeError(
      `associative_scan: Array inputs to associative_scan must have the same first dimension (the same length along axis ${axis}), got ${xs.map((x) => x.shape[axis]).join(', ')}`,
    )
  const combine = (a: NdArray[], b: NdArray[]): NdArray[] =>
    flatten(fn(unflatten(def, a) as T, unflatten(def, b) as T))[0].map((l, i) =>
      leafArray('associative_scan', l, `fn output leaf ${i}`),
    )
  const rec = (es: NdArray[]): NdArray[] => {
    const m = (es[0] as NdArray).shape[axis] as number
    if (m < 2) return es
    const reduced = combine(
      es.map((e) => sliceAxis(e, axis, 0, -1, 2)),
      es.map((e) => sliceAxis(e, axis, 1, null, 2)),
    )
    const odd = rec(reduced)
    const even =
      m % 2 === 0
        ? combine(
            odd.map((e) => sliceAxis(e, axis, 0, -1)),
            es.map((e) => sliceAxis(e, axis, 2, null, 2)),
          )
        : combine(
            odd,
            es.map((e) => sliceAxis(e, axis, 2, null, 2)),
          )
    const evens = even.map((r, i) => concatenate([sliceAxis(es[i] as NdArray, axis, 0, 1), r], axis))
    return evens.map((e, i) => interleave(e, odd[i] as NdArray, axis))
  }
  const flipped = (ys: NdArray[]): NdArray[] => (opts.reverse === true ? ys.map((y) => flip(y, [axis])) : ys)
  return unflatten(def, flipped(rec(flipped(xs)))) as T
}
