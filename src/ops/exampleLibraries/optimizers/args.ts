/**
 * Argument handling of the example optimizers: hyperparameters given positionally, by a trailing
 * options object (JAX's keywords, camelCase), or both — as Python binds `f(a, b=…)`.
 */
import { ValueError } from '../../../ndarray/errors'
import { checkOptions, isPlainObject } from '../../../internal/options'

/** Positional hyperparameters, optionally followed by an options object of the rest (JAX's keywords). @category exampleLibraries @since 0.2.0 */
export type HyperArgs<V, O> = ReadonlyArray<V | undefined> | readonly [...ReadonlyArray<V | undefined>, O]

/**
 * Binds `args` to `names` (positional first, then the trailing options object), fills
 * `defaults`, and raises for a value given twice, too many positional values or a missing one.
 */
export const bindArgs = <K extends string, V>(
  op: string,
  args: ReadonlyArray<unknown>,
  names: ReadonlyArray<K>,
  defaults: Readonly<Partial<Record<K, V>>>,
): Record<K, V> => {
  const last = args[args.length - 1]
  const hasOpts = args.length > 0 && isPlainObject(last)
  const positional = hasOpts ? args.slice(0, -1) : args
  if (positional.length > names.length)
    throw new ValueError(`${op}() takes ${names.length} positional arguments but ${positional.length} were given`)
  const kw = hasOpts ? checkOptions(op, last as Partial<Record<K, V>>, names) : {}
  const out: Partial<Record<K, V>> = {}
  names.forEach((name, k) => {
    const p = positional[k] as V | undefined
    const o = (kw as Partial<Record<K, V>>)[name]
    if (p !== undefined && o !== undefined) throw new ValueError(`${op}() got multiple values for argument '${name}'`)
    const v = p ?? o ?? defaults[name]
    if (v === undefined) throw new ValueError(`${op}() missing required argument: '${name}'`)
    out[name] = v
  })
  return out as Record<K, V>
}
