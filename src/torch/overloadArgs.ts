/**
 * PyTorch's TypeError for a call that none of an overloaded function's or method's signatures
 * accepts (`torch.sum(x, foo=1)`, `x.max(0, foo=1)`), as its argument parser words it: the
 * overloads whose parameter counts admit the number of arguments given are counted; with exactly
 * one, the call is parsed against it and its own error raised (`sum() missing 1 required positional
 * arguments: "input"`); otherwise the listing of every overload, with a "didn't match because …"
 * line under each whose printed parameter count equals the number of arguments. The optional
 * parameters of each overload come from PyTorch (`./overloadArgsTable.ts`).
 *
 * @category torch
 * @since 0.3.0
 */
import { TorchTypeError } from './errors'
import { FUNCTION_OVERLOAD_PARAMS, METHOD_OVERLOAD_PARAMS, METHOD_REQUIRED } from './overloadArgsTable'
import { argTypeName, missingArgs } from './pyTypeName'
import { TorchDType } from './dtype'

/** One parameter of an overload as PyTorch's parser holds it. */
interface Param {
  readonly name: string
  readonly optional: boolean
}

/** An overload's parameters, how many may come positionally, and its argument-count range. */
interface Overload {
  readonly params: ReadonlyArray<Param>
  readonly maxPositional: number
  readonly minArgs: number
}

const readTable = (text: string): ReadonlyMap<string, ReadonlyArray<string>> =>
  new Map(
    text
      .split('\n')
      .filter((l) => l !== '')
      .map((line) => {
        const [name = '', ...specs] = line.split('|')
        return [name, specs] as const
      }),
  )

const FUNCTION_PARAMS = readTable(FUNCTION_OVERLOAD_PARAMS)
const METHOD_PARAMS = readTable(METHOD_OVERLOAD_PARAMS)

/** The printed signature's parameters (`*` included), as PyTorch's error formatter splits them. */
const printedArgs = (sig: string): string[] => sig.split(', ')

const overload = (printed: string, spec: string): Overload | undefined => {
  if (spec === '?') return undefined
  const params = spec
    .split(',')
    .filter((p) => p !== '')
    .map((p) => ({ name: p.replace(/=$/, ''), optional: p.endsWith('=') }))
  const star = printedArgs(printed).indexOf('*')
  return {
    params,
    maxPositional: star < 0 ? params.length : star,
    minArgs: params.filter((p) => !p.optional).length,
  }
}

/** Python's type name of an argument as the argument parser prints it. */
const argType = (u: unknown): string => (u instanceof TorchDType ? 'torch.dtype' : argTypeName(u))

/** PyTorch's error of parsing the call against its one plausible overload, if that parse fails. */
const parseError = (
  name: string,
  o: Overload,
  positional: ReadonlyArray<unknown>,
  kw: Readonly<Record<string, unknown>>,
): TorchTypeError | undefined => {
  const n = positional.length
  if (n > o.maxPositional) {
    const [lo, hi] = [o.minArgs, o.maxPositional]
    return new TorchTypeError(
      lo !== hi
        ? `${name}() takes from ${lo} to ${hi} positional arguments but ${n} were given`
        : `${name}() takes ${hi} positional argument${hi === 1 ? '' : 's'} but ${n} were given`,
    )
  }
  const missing = o.params.findIndex((p, i) => i >= n && !p.optional && !Object.hasOwn(kw, p.name))
  if (missing >= 0)
    return missingArgs(
      name,
      o.params
        .slice(missing)
        .filter((p) => !p.optional)
        .map((p) => p.name),
    )
  for (const k of Object.keys(kw)) {
    const at = o.params.findIndex((p) => p.name === k)
    if (at < 0) return new TorchTypeError(`${name}() got an unexpected keyword argument '${k}'`)
    if (at < n) return new TorchTypeError(`${name}() got multiple values for argument '${k}'`)
  }
  return undefined
}

/** Whether `u` passes PyTorch's formatter's test for a printed type (`float` takes ints too). */
const typeMatches = (type: string, u: unknown): boolean => {
  const t = argType(u)
  if (type === 'float') return t === 'float' || t === 'int'
  return t === type
}

/** `list of [int, int]` for a list, else the type name. */
const describe = (u: unknown): string =>
  Array.isArray(u) ? `list of [${u.map((e) => argType(e)).join(', ')}]` : argType(u)

/** The "invalid types" description: each argument, `!…!` around those that do not fit. */
const formattedArgs = (
  args: ReadonlyArray<string>,
  positional: ReadonlyArray<unknown>,
  kw: Readonly<Record<string, unknown>>,
): string => {
  const count = positional.length + Object.keys(kw).length
  let out = '('
  for (let i = 0; i < count; i++) {
    const arg = args[i] ?? ''
    const cut = arg.lastIndexOf(' ')
    const [type, pname] = [arg.slice(0, Math.max(cut, 0)), arg.slice(cut + 1)]
    const isKw = i >= positional.length
    const u = isKw ? kw[pname] : positional[i]
    const text = `${isKw ? `${pname}=` : ''}${describe(u)}`
    out += `${typeMatches(type, u) ? text : `!${text}!`}, `
  }
  return `${positional.length > 0 ? out.slice(0, -2) : out})`
}

/** The keywords an overload's tail of parameters does not name (PyTorch's formatter's rule). */
const unmatchedKeywords = (args: ReadonlyArray<string>, kw: Readonly<Record<string, unknown>>): string[] => {
  const keys = Object.keys(kw)
  const names = args.slice(Math.max(args.length - keys.length, 0)).map((a) => a.slice(a.lastIndexOf(' ') + 1))
  return keys.filter((k) => !names.includes(k))
}

/** PyTorch's "received an invalid combination of arguments" text, with its per-overload hints. */
export const invalidArgumentsText = (
  name: string,
  signatures: ReadonlyArray<string>,
  positional: ReadonlyArray<unknown>,
  kw: Readonly<Record<string, unknown>>,
): string => {
  const head = `${name}() received an invalid combination of arguments - `
  const got = [...positional.map(argType), ...Object.entries(kw).map(([k, v]) => `${k}=${argType(v)}`)]
  const gotText = `(${got
    .map((p) => `${p}, `)
    .join('')
    .slice(0, positional.length > 0 ? -2 : undefined)})`
  const count = got.length
  if (signatures.length === 1) {
    const sig = signatures[0] ?? ''
    const args = printedArgs(sig)
    const bad = unmatchedKeywords(args, kw)
    if (bad.length > 0) return `${head}got unrecognized keyword arguments: ${bad.join(', ')}`
    const desc = args.length === count ? formattedArgs(args, positional, kw) : gotText
    return `${head}got ${desc}, but expected (${sig})`
  }
  let text = `${head}got ${gotText}, but expected one of:\n`
  for (const sig of signatures) {
    text += ` * (${sig})\n`
    const args = printedArgs(sig)
    if (args.length !== count) continue
    const bad = unmatchedKeywords(args, kw)
    text +=
      bad.length > 0
        ? `      didn't match because some of the keywords were incorrect: ${bad.join(', ')}\n`
        : `      didn't match because some of the arguments have invalid types: ${formattedArgs(args, positional, kw)}\n`
  }
  return text
}

/**
 * PyTorch's TypeError for a call of overloaded torch.`name` (`method`: Tensor.`name`, whose
 * signatures leave out `self`) that no overload accepts: the one plausible overload's own error,
 * or the listing.
 * @internal
 */
export const overloadCallError = (
  name: string,
  signatures: ReadonlyArray<string>,
  method: boolean,
  positional: ReadonlyArray<unknown>,
  kw: Readonly<Record<string, unknown>>,
): TorchTypeError => {
  const specs = (method ? METHOD_PARAMS : FUNCTION_PARAMS).get(name)
  const overloads = specs?.length === signatures.length ? signatures.map((s, i) => overload(s, specs[i] ?? '?')) : []
  const count = positional.length + Object.keys(kw).length
  if (overloads.length > 0 && overloads.every((o) => o !== undefined)) {
    const plausible = overloads.filter((o) => o !== undefined && count >= o.minArgs && count <= o.params.length)
    const [only] = plausible
    if (plausible.length === 1 && only !== undefined) {
      const e = parseError(name, only, positional, kw)
      if (e !== undefined) return e
    }
  }
  return new TorchTypeError(invalidArgumentsText(name, signatures, positional, kw))
}

/** The required parameters of each one-signature Tensor method, in order (read once). */
const METHOD_REQUIRED_PARAMS: ReadonlyMap<string, ReadonlyArray<string>> = new Map(
  METHOD_REQUIRED.split(/\s+/)
    .filter((w) => w !== '')
    .map((w) => {
      const [name = '', params = ''] = w.split(':')
      return [name, params.split(',')] as const
    }),
)

/**
 * PyTorch's TypeError when a required parameter of one-signature Tensor method `name` is neither
 * passed positionally nor by keyword (its parser reads the parameters in order, so this comes
 * before an unknown keyword: `x.index_select(foo=1)` → `index_select() missing 2 required
 * positional argument: "dim", "index"`); `undefined` when none is missing.
 * @internal
 */
export const methodMissingArgs = (
  name: string,
  positional: number,
  kw: Readonly<Record<string, unknown>>,
): TorchTypeError | undefined => {
  const required = METHOD_REQUIRED_PARAMS.get(name)
  if (required === undefined) return undefined
  const first = required.findIndex((p, i) => i >= positional && !Object.hasOwn(kw, p))
  return first < 0 ? undefined : missingArgs(name, required.slice(first))
}
