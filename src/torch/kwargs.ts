/**
 * Python-style argument parsing for the facade: positional arguments in order, and keyword
 * arguments as one plain options object passed last (`x.sum(0, { keepdim: true })`).
 *
 * @category torch
 * @since 0.1.0
 */
import { get_default_device, META, set_default_device, targetDevice } from './device'
import { InternalError } from '../ndarray/errors'
import { atConstructionEnd } from './nn/pyclass'
import { TorchTypeError } from './errors'
import { initRequired } from './initArityTable'
import { isKwargs } from './isKwargs'

export { isKwargs }

/** Prefixes of a tuple: `[a, b]` → `[] | [a] | [a, b]`. */
type Prefixes<P extends readonly unknown[]> = P extends readonly [...infer H, unknown] ? P | Prefixes<H> : []

/** A Python call: positional prefix, optionally followed by a keyword object. */
export type PyArgs<P extends readonly unknown[], K> =
  Prefixes<P> extends infer Q ? (Q extends readonly unknown[] ? Q | [...positional: Q, kwargs: K] : never) : never

/** How many module constructors were given `device='meta'` so far (`skip_init` checks one was). */
let metaInits = 0
/** See {@link metaInits}. */
export const metaInitCount = (): number => metaInits

/**
 * A module's constructor given `device=`: the meta device makes every tensor the constructor
 * creates a meta tensor (the default device is meta until the construction ends); anything but
 * the CPU and meta raises, never silently computes on the CPU.
 */
const checkInitDevice = (fn: string, dev: unknown): void => {
  if (dev == null || !fn.endsWith('.__init__')) return
  const d = targetDevice(dev as string)
  if (d !== META) return
  metaInits++
  const prev = get_default_device()
  if (!atConstructionEnd(() => set_default_device(prev)))
    throw new InternalError(`internal: ${fn} given device='meta' outside a module construction`)
  set_default_device(d)
}

/**
 * Python's TypeError for `given` positional arguments to `fn`, which takes at most `most`; `self`
 * counts the bound arguments Python's message includes. A constructor (`'Linear.__init__'`) counts
 * its `self` and says "from R to T" when only some of its parameters are required.
 */
const arityError = (fn: string, most: number, given: number, self: number): TorchTypeError => {
  const init = fn.endsWith('.__init__') ? 1 : 0
  const [n, m] = [most + self + init, given + self + init]
  const least = init === 1 ? initRequired(fn) + 1 : n
  const takes = least < n ? `from ${least} to ${n}` : `${n}`
  return new TorchTypeError(
    `${fn}() takes ${takes} positional argument${n === 1 ? '' : 's'} but ${m} ${m === 1 ? 'was' : 'were'} given`,
  )
}

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
  if (pos.length > positional) throw arityError(fn, positional, pos.length, self)
  pos.forEach((v, i) => {
    if (v !== undefined) out[names[i] as string] = v
  })
  for (const [k, v] of Object.entries(kw)) {
    if (!names.includes(k)) throw new TorchTypeError(`${fn}() got an unexpected keyword argument '${k}'`)
    if (out[k] !== undefined && v !== undefined)
      throw new TorchTypeError(`${fn}() got multiple values for argument '${k}'`)
    if (v !== undefined) out[k] = v
  }
  checkInitDevice(fn, out['device'])
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

/** Python's count in a positional-arity TypeError: `2`, or `from 1 to 3` when some have defaults. */
const takes = (required: number, total: number): string =>
  required === total ? `${total}` : `from ${required} to ${total}`

/**
 * The argument rewrite of a Python callable whose parameters `names` are all plain JS parameters
 * (the first `required` without a default; `self` counts a bound `self` as Python's messages do):
 * keywords move to their positions, and an unknown keyword, a value given both ways, too many
 * positional arguments or a missing required one raise Python's TypeError
 * (`PixelShuffle.__init__() got an unexpected keyword argument 'foo'`). With `kwFirst` false, a lone
 * plain object is the first argument's value (a dict), not a keyword object.
 */
export const pyParams =
  (fn: string, names: ReadonlyArray<string>, required: number, self = 0, kwFirst = true) =>
  (args: ReadonlyArray<unknown>): unknown[] => {
    const last = args[args.length - 1]
    const hasKw = args.length > 0 && isKwargs(last) && (kwFirst || args.length > 1)
    const pos = hasKw ? args.slice(0, -1) : [...args]
    if (pos.length > names.length) {
      const given = pos.length + self
      throw new TorchTypeError(
        `${fn}() takes ${takes(required + self, names.length + self)} positional argument${names.length + self === 1 ? '' : 's'} but ${given} ${given === 1 ? 'was' : 'were'} given`,
      )
    }
    const out = [...pos]
    for (const [k, v] of Object.entries(hasKw ? (last as Record<string, unknown>) : {})) {
      const i = names.indexOf(k)
      if (i < 0) throw new TorchTypeError(`${fn}() got an unexpected keyword argument '${k}'`)
      if (i < pos.length) throw new TorchTypeError(`${fn}() got multiple values for argument '${k}'`)
      while (out.length < i) out.push(undefined)
      out[i] = v
    }
    const missing = names.slice(0, required).filter((_, i) => i >= out.length || out[i] === undefined)
    if (missing.length === 1)
      throw new TorchTypeError(`${fn}() missing 1 required positional argument: '${missing[0]}'`)
    if (missing.length > 1) {
      const quoted = missing.map((m) => `'${m}'`)
      const head = quoted.slice(0, -1).join(', ')
      // Python: 'a' and 'b'; 'a', 'b', and 'c'
      const list = `${head}${quoted.length > 2 ? ',' : ''} and ${quoted[quoted.length - 1] ?? ''}`
      throw new TorchTypeError(`${fn}() missing ${missing.length} required positional arguments: ${list}`)
    }
    checkInitDevice(fn, out[names.indexOf('device')])
    return out
  }

/** `f` taking Python's arguments through {@link pyParams} (`default_collate(batch)`, `is_parametrized(module, tensor_name)`). */
export const pyFunction = <F extends (...args: never[]) => unknown>(
  fn: string,
  names: ReadonlyArray<string>,
  required: number,
  f: F,
  kwFirst = true,
): F => {
  const g = f as unknown as (...a: unknown[]) => unknown
  const parse = pyParams(fn, names, required, 0, kwFirst)
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    return g.apply(this, parse(args))
  }
  Object.defineProperty(wrapped, 'name', { value: f.name })
  return wrapped as unknown as F
}
