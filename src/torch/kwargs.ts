/**
 * Python-style argument parsing for the facade: positional arguments in order, and keyword
 * arguments as one plain options object passed last (`x.sum(0, { keepdim: true })`).
 *
 * @category torch
 * @since 0.1.0
 */
import { TorchTypeError } from './errors'

/** True for a plain `{ … }` object (the keyword-arguments object). */
export const isKwargs = (u: unknown): u is Record<string, unknown> => {
  if (typeof u !== 'object' || u === null || Array.isArray(u)) return false
  const proto = Object.getPrototypeOf(u) as unknown
  return proto === Object.prototype || proto === null
}

/** Prefixes of a tuple: `[a, b]` → `[] | [a] | [a, b]`. */
type Prefixes<P extends readonly unknown[]> = P extends readonly [...infer H, unknown] ? P | Prefixes<H> : []

/** A Python call: positional prefix, optionally followed by a keyword object. */
export type PyArgs<P extends readonly unknown[], K> =
  Prefixes<P> extends infer Q ? (Q extends readonly unknown[] ? Q | [...positional: Q, kwargs: K] : never) : never

/**
 * Binds `args` to `names` (positionally, then by keyword). Unknown keywords and duplicate
 * values raise Python's TypeError text. Only the first `positional` names may be given
 * positionally (the others are keyword-only, after Python's `*`); `self` counts the bound
 * arguments Python's message includes (`torch.clone(x, …)` takes 1 positional argument).
 */
export const parseArgs = (
  fn: string,
  args: ReadonlyArray<unknown>,
  names: ReadonlyArray<string>,
  positional = names.length,
  self = 0,
): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  let pos = args
  const last = args[args.length - 1]
  let kw: Record<string, unknown> = {}
  if (args.length > 0 && isKwargs(last)) {
    kw = last
    pos = args.slice(0, -1)
  }
  if (pos.length > positional) {
    const [n, m] = [positional + self, pos.length + self]
    throw new TorchTypeError(
      `${fn}() takes ${n} positional argument${n === 1 ? '' : 's'} but ${m} ${m === 1 ? 'was' : 'were'} given`,
    )
  }
  pos.forEach((v, i) => {
    if (v !== undefined) out[names[i] as string] = v
  })
  for (const [k, v] of Object.entries(kw)) {
    if (!names.includes(k)) throw new TorchTypeError(`${fn}() got an unexpected keyword argument '${k}'`)
    if (out[k] !== undefined && v !== undefined)
      throw new TorchTypeError(`${fn}() got multiple values for argument '${k}'`)
    if (v !== undefined) out[k] = v
  }
  return out
}

/** A required argument's value, or Python's TypeError for a missing one (`f() missing 1 required …`). */
export const required = <V>(fn: string, name: string, v: V | undefined): V => {
  if (v === undefined) throw new TorchTypeError(`${fn}() missing 1 required positional argument: '${name}'`)
  return v
}
