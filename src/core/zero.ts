/**
 * Symbolic zeros: a tangent or cotangent known to be zero is a `Zero` carrying only its shape
 * and dtype, never a buffer of zeros.
 *
 * @category core
 * @since 0.1.0
 */
import type { DType } from '../ndarray/dtype'
import type { NdArray } from '../ndarray/NdArray'
import type { Shape } from '../ndarray/shape'
import type { Aval } from './equation'

// NOTE: declared once, in ./equation (the program type); re-exported for the modules that
// know it from here
export type { Aval }

/** A symbolic zero of a given aval. @category core @since 0.1.0 */
export class Zero implements Aval {
  readonly _tag = 'Zero' as const
  constructor(
    readonly shape: Shape,
    readonly dtype: DType,
  ) {}
  /** The symbolic zero with the aval of `x`. */
  static like(x: Aval): Zero {
    // NOTE: `shape?.`: a primitive applied with stray extra arguments (`xs.map(stopGradient)` passes
    // the index and the list) records zeros of them, as before sharing
    if (x.shape?.length !== 0) return new Zero(x.shape, x.dtype)
    let z = SCALAR_ZEROS.get(x.dtype)
    if (z === undefined) {
      z = new Zero(SCALAR_SHAPE, x.dtype)
      SCALAR_ZEROS.set(x.dtype, z)
    }
    return z
  }
}

/**
 * The zeros of 0-d avals, one per dtype. NOTE: zeros are immutable, so the 0-d ones are shared:
 * a rule that returns the zero cotangent of a scalar constant (`mul(x, 0.99)`: the constant's)
 * then allocates nothing (W3: per-op cost).
 */
const SCALAR_ZEROS = new Map<DType, Zero>()
const SCALAR_SHAPE: Shape = Object.freeze([])

/** A tangent or cotangent: a value or a symbolic zero. */
export type Linear = NdArray | Zero

/** True for symbolic zeros. */
export const isZero = (x: Linear): x is Zero => x instanceof Zero
