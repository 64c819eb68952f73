/**
 * Constant padding (`pad`), with NumPy's widths forms and its other modes refused by name.
 *
 * @category ops
 * @since 0.1.0
 */
import * as lax from '../core/lax'
import { checkOptions, describeValue } from '../internal/options'
import { ShapeError, ValueError } from '../ndarray/errors'
import type { NdArray } from '../ndarray/NdArray'
import { asArray, type ArrayLike } from './convert'

/** Options of pad. */
export interface PadOptions {
  /** Fill value (default 0). */
  readonly constantValue?: number
  /** NumPy's padding mode: only `'constant'` (the default) is supported; the others raise. */
  readonly mode?: 'constant'
}

// jnp.pad's other modes: named, but not implemented here (they raise rather than pad with zeros)
const UNSUPPORTED_PAD_MODES = [
  'edge',
  'linear_ramp',
  'maximum',
  'mean',
  'median',
  'minimum',
  'reflect',
  'symmetric',
  'wrap',
  'empty',
]

/** Refuses unknown options and every padding mode but 'constant' (JAX: "Unimplemented padding mode"). */
const checkPadOptions = (opts: PadOptions): void => {
  checkOptions('pad', opts, ['constantValue', 'mode'])
  const mode: unknown = opts.mode
  if (mode === undefined || mode === 'constant') return
  if (typeof mode === 'string' && UNSUPPORTED_PAD_MODES.includes(mode))
    throw new ValueError(`pad: padding mode '${mode}' is not supported; only 'constant' is (pad with constantValue)`)
  throw new ValueError(`pad: Unimplemented padding mode ${describeValue(mode)} for np.pad`)
}

/** The (before, after) widths of every axis: one number, one pair for all axes, or one pair per axis. */
const padPairs = (widths: unknown, ndim: number): Array<readonly [number, number]> => {
  if (typeof widths === 'number') return Array.from({ length: ndim }, () => [widths, widths] as const)
  const isPair = (u: unknown): u is readonly [number, number] =>
    Array.isArray(u) && u.length === 2 && u.every((d) => typeof d === 'number')
  if (isPair(widths)) return Array.from({ length: ndim }, () => widths)
  if (Array.isArray(widths) && widths.every(isPair)) return [...widths]
  throw new ValueError(
    `pad: widths must be a number, a [before, after] pair or a list of pairs, got ${describeValue(widths)}`,
  )
}

/**
 * Pads with a constant: `widths` is one `[before, after]` per axis, or one pair for all axes,
 * or one number for all sides.
 * @example
 * import { pad, array } from 'wengert'
 * assert.deepStrictEqual(pad(array([1, 2]), [1, 2]).toArray(), [0, 1, 2, 0, 0])
 * assert.deepStrictEqual(pad(array([1]), 1, { constantValue: 9 }).toArray(), [9, 1, 9])
 * @category ops @since 0.1.0
 */
export const pad = (
  x: ArrayLike,
  widths: number | readonly [number, number] | ReadonlyArray<readonly [number, number]>,
  opts: PadOptions = {},
): NdArray => {
  checkPadOptions(opts)
  const a = asArray('pad', x)
  const pairs = padPairs(widths, a.ndim)
  if (pairs.length !== a.ndim)
    throw new ShapeError(`pad: got ${pairs.length} pad widths for an array of rank ${a.ndim}`)
  for (const [lo, hi] of pairs) {
    if (!Number.isInteger(lo) || !Number.isInteger(hi))
      throw new ValueError(`pad: widths must be integers, got [${lo}, ${hi}]`)
    // NumPy's and JAX's wording for a negative width
    if (lo < 0 || hi < 0) throw new ValueError(`pad: index can't contain negative values, got [${lo}, ${hi}]`)
  }
  return lax.pad(
    a,
    pairs.map((p) => p[0]),
    pairs.map((p) => p[1]),
    pairs.map(() => 0),
    opts.constantValue ?? 0,
  )
}
