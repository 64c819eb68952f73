/**
 * Arguments of the `nn` functions: JAX's positional-or-keyword parameters become a positional
 * value or a trailing options object (`elu(x, 0.5)` or `elu(x, { alpha: 0.5 })`).
 */
import { checkOptions, isPlainObject } from '../../internal/options'

/**
 * The value of the one optional parameter `key` of `op`, given positionally or inside an options
 * object (checked: an unknown key raises); `fallback` when absent.
 */
export const paramOr = <K extends string, V>(
  op: string,
  arg: V | Readonly<Partial<Record<K, V>>> | undefined,
  key: K,
  fallback: V,
): V => {
  if (arg === undefined) return fallback
  if (!isPlainObject(arg)) return arg as V
  const o = checkOptions<Partial<Record<K, V>>>(op, arg as Partial<Record<K, V>>, [key])
  return o[key] ?? fallback
}
