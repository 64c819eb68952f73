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

/**
 * Lets a function whose leading parameters are plain JS parameters take them by keyword too, as
 * Python does (`F.mse_loss(input=x, target=y)` → `mse_loss({ input: x, target: y })`): keywords
 * naming the leading parameters not given positionally move to their positions (in order, up to the
 * first one missing); what is left stays the keyword object. `fn` is Python's name, for the error
 * when a leading parameter is given both ways.
 */
export const keywordForms = <F extends (...args: never[]) => unknown>(
  fn: string,
  leading: ReadonlyArray<string>,
  f: F,
): F => {
  const g = f as unknown as (...a: unknown[]) => unknown
  const move = leadingKeywords(fn, leading)
  const wrapped = (...args: unknown[]): unknown => g(...move(args))
  Object.defineProperty(wrapped, 'name', { value: f.name })
  return wrapped as unknown as F
}

/**
 * The argument rewrite of {@link keywordForms} (and of class constructors, see `pyClass`): keywords
 * naming the leading parameters not given positionally move to their positions (in order, up to the
 * first one missing); a leading parameter given both ways raises Python's TypeError.
 */
export const leadingKeywords =
  (fn: string, leading: ReadonlyArray<string>) =>
  (args: ReadonlyArray<unknown>): unknown[] => {
    const last = args[args.length - 1]
    if (args.length === 0 || !isKwargs(last) || leading.length === 0) return [...args]
    const pos = args.slice(0, -1)
    const kw: Record<string, unknown> = { ...last }
    leading.forEach((name, i) => {
      if (!(name in kw)) return
      if (i < pos.length) throw new TorchTypeError(`${fn}() got multiple values for argument '${name}'`)
      if (i === pos.length) {
        pos.push(kw[name])
        delete kw[name]
      }
    })
    return [...pos, ...(Object.keys(kw).length > 0 ? [kw] : [])]
  }

/**
 * A function whose parameters are all plain JS parameters (`F.sigmoid(input)`, `init.zeros_(tensor)`),
 * taking them by keyword too and rejecting any other keyword with Python's TypeError
 * (`sigmoid() got an unexpected keyword argument 'foo'`), where a JS function would ignore it.
 */
export const exactKeywords = <F extends (...args: never[]) => unknown>(
  fn: string,
  names: ReadonlyArray<string>,
  f: F,
): F => {
  const g = f as unknown as (...a: unknown[]) => unknown
  const wrapped = (...args: unknown[]): unknown => {
    const a = parseArgs(fn, args, names)
    return g(...names.map((n) => a[n]))
  }
  Object.defineProperty(wrapped, 'name', { value: f.name })
  return wrapped as unknown as F
}
