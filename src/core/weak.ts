/**
 * Weakly typed scalars: a JavaScript number passed to a jitted function is traced as a 0-d array
 * (so a new value does not retrace) that keeps the number's promotion behaviour — next to an
 * array it takes that array's dtype, as an untraced number does (JAX's weak types), and alone or
 * with another number it is a float32 array, as an untraced number is — so a jitted function
 * computes what it computes eagerly, bit for bit. Traced numbers are marked here while `jit`
 * traces; results of operations on them are ordinary (strong) arrays.
 *
 * @category core
 * @since 0.2.0
 */
import type { DType } from '../ndarray/dtype'
import type { NdArray } from '../ndarray/NdArray'

/** What a weak value stands for: a JS integer or a JS number with a fraction (or −0, NaN, ±∞). */
export type WeakKind = 'int' | 'float'

const marks = new WeakMap<NdArray, WeakKind>()
let tracing = 0

/** True while a jit trace with weak inputs runs (outside it, nothing is weak: no cost). */
export const weakTracing = (): boolean => tracing > 0

/** Runs `f` with weak marking on. */
export const withWeakTracing = <R>(f: () => R): R => {
  tracing++
  try {
    return f()
  } finally {
    tracing--
  }
}

/** Marks `x` weak (of `kind`) and returns it. */
export const markWeak = <X extends NdArray>(x: X, kind: WeakKind): X => {
  marks.set(x, kind)
  return x
}

/** The kind of a weak value, undefined for a strong one. */
export const weakKind = (x: NdArray): WeakKind | undefined => (tracing > 0 ? marks.get(x) : undefined)

/** The kind and the dtype a JS number is traced with: exact integers as int32/int64, the rest float64. */
export const weakOfNumber = (v: number): { readonly kind: WeakKind; readonly dtype: DType } =>
  Number.isSafeInteger(v) && !Object.is(v, -0)
    ? { kind: 'int', dtype: Math.abs(v) <= 2 ** 31 - 1 ? 'int32' : 'int64' }
    : { kind: 'float', dtype: 'float64' }
