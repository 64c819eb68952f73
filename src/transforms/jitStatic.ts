/**
 * jit's `staticArgnames`: keys of a trailing options object whose values are static (JavaScript
 * has no keyword arguments; the options object stands for them), and the refusal of JAX's
 * buffer-donation options.
 */
import { ValueError } from '../ndarray/errors'
import { isPlainObject } from '../internal/options'
import { hashKey } from '../tree/hashKey'

/** The options of JAX's jit that cannot mean anything here, with why. */
const REFUSED: Readonly<Record<string, string>> = {
  donateArgnums:
    'wengert arrays live in JavaScript memory and are never reused in place, so there is nothing to donate',
  donateArgnames:
    'wengert arrays live in JavaScript memory and are never reused in place, so there is nothing to donate',
}

/** Raises for JAX options wengert does not support (before the unknown-key check). */
export const refuseUnsupported = (options: object): void => {
  for (const k of Object.keys(options))
    if (REFUSED[k] !== undefined) throw new ValueError(`jit: ${k} is not supported: ${REFUSED[k]}`)
}

/** `staticArgnames` as a list, checked. */
export const normalizeArgnames = (names: string | ReadonlyArray<string> | undefined): ReadonlyArray<string> => {
  const list = names === undefined ? [] : typeof names === 'string' ? [names] : names
  if (!Array.isArray(list) || list.some((n) => typeof n !== 'string'))
    throw new ValueError(`jit: staticArgnames must be a string or an array of strings`)
  return list
}

/** A call whose trailing options object was split into its static values and the rest. */
export interface NamedStatics {
  /** The arguments with the options object replaced by its non-static keys. */
  readonly args: unknown[]
  /** The cache-key part of the static values. */
  readonly key: string
  /** The options object rebuilt (original key order) from its traced rest. */
  readonly merge: (rest: unknown) => Record<string, unknown>
}

/** Splits the last argument into static values (`names`) and the rest; raises if it is not an options object with them. */
export const splitNamed = (args: ReadonlyArray<unknown>, names: ReadonlyArray<string>): NamedStatics => {
  const opts = args[args.length - 1]
  if (args.length === 0 || !isPlainObject(opts))
    throw new ValueError(
      `jit: staticArgnames (${names.join(', ')}) names keys of the last argument, an options object, ` +
        `but the function was called with ${args.length === 0 ? 'no arguments' : `a last argument that is not a plain object`}`,
    )
  const missing = names.filter((n) => !(n in opts))
  if (missing.length > 0)
    throw new ValueError(
      `jit: staticArgnames lists ${missing.map((n) => `'${n}'`).join(', ')}, not present in the options object ` +
        `(keys: ${Object.keys(opts).join(', ') || 'none'}); pass every static key, undefined for a default`,
    )
  const rest: Record<string, unknown> = {}
  for (const k of Object.keys(opts)) if (!names.includes(k)) rest[k] = opts[k]
  const key = names.map((n) => `${JSON.stringify(n)}=${hashKey(opts[n], `jit: static argument '${n}'`)}`).join(',')
  const merge = (traced: unknown): Record<string, unknown> => {
    const t = traced as Readonly<Record<string, unknown>>
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(opts)) out[k] = names.includes(k) ? opts[k] : t[k]
    return out
  }
  return { args: [...args.slice(0, -1), rest], key: `names ${key}`, merge }
}
