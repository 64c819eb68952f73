/**
 * Installing the methods of a tensor kind that is not a dense strided tensor (sparse COO,
 * complex): its own methods with PyTorch's keyword check, and a typed refusal for every other
 * public Tensor method and property, so an op without support for that kind raises naming it
 * instead of reading the kind's placeholder values.
 *
 * @category torch
 * @since 0.7.0
 */
import { NotImplementedError } from './errors'
import { guardMethodKeywords } from './methodKeywords'
import { Tensor } from './tensor'

/** Defines the methods of `table` on `proto`, each with PyTorch's keyword check (as the dense methods have). @internal */
export const defineKindMethods = (proto: object, table: Record<string, unknown>): void => {
  const staged: Record<string, unknown> = { ...table }
  guardMethodKeywords(staged)
  for (const [k, f] of Object.entries(staged))
    Object.defineProperty(proto, k, { value: f, writable: true, configurable: true, enumerable: false })
}

/**
 * Makes every public method and property of Tensor that `proto` does not define itself throw
 * `NotImplementedError(unsupported(name))`. @internal
 */
export const refuseOtherMethods = (proto: object, unsupported: (name: string) => string): void => {
  for (const k of Object.getOwnPropertyNames(Tensor.prototype)) {
    if (k === 'constructor' || k.startsWith('_') || Object.prototype.hasOwnProperty.call(proto, k)) continue
    const d = Object.getOwnPropertyDescriptor(Tensor.prototype, k) as PropertyDescriptor
    const fail = (): never => {
      throw new NotImplementedError(unsupported(k))
    }
    if (typeof d.value === 'function')
      Object.defineProperty(proto, k, { value: fail, writable: true, configurable: true, enumerable: false })
    else Object.defineProperty(proto, k, { get: fail, set: fail, configurable: true, enumerable: false })
  }
}
