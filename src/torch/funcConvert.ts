/**
 * Conversions between Tensors and NdArrays in pytrees, shared by `torch.func`'s transforms.
 *
 * @category torch
 * @since 0.2.0
 */
import { NdArray } from '../ndarray/NdArray'
import { Tensor } from './tensor'

/** Replaces Tensors by their values in a pytree (arrays, plain objects). */
export const toValues = (x: unknown): unknown => {
  if (x instanceof Tensor) return x._value()
  if (Array.isArray(x)) return x.map(toValues)
  if (x !== null && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype) {
    return Object.fromEntries(Object.entries(x as Record<string, unknown>).map(([k, v]) => [k, toValues(v)]))
  }
  return x
}
/** Replaces NdArrays by Tensors in a pytree. */
export const toTensors = (x: unknown): unknown => {
  if (x instanceof NdArray) return Tensor._fromValue(x)
  if (Array.isArray(x)) return x.map(toTensors)
  if (x !== null && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype) {
    return Object.fromEntries(Object.entries(x as Record<string, unknown>).map(([k, v]) => [k, toTensors(v)]))
  }
  return x
}

/** Any function. */
export type AnyFn = (...args: never[]) => unknown
/** `f` over Tensors as a function over NdArrays. */
export const lift =
  (f: AnyFn) =>
  (...vals: unknown[]): unknown =>
    toValues((f as unknown as (...a: unknown[]) => unknown)(...vals.map(toTensors)))
