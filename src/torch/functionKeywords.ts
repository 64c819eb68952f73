/**
 * The function forms of Tensor methods word a rejected keyword as PyTorch's function does
 * (`torch.exp(x, {foo: 1})` → `exp() got an unexpected keyword argument 'foo'`), not as the method
 * does (`TensorBase.exp() takes no keyword arguments`). A function takes its method's keywords,
 * plus `input` and `out`; an overloaded function lists its own signatures (`Tensor input, …`).
 *
 * @category torch
 * @since 0.3.0
 */
import { TorchTypeError } from './errors'
import { isKwargs } from './kwargs'
import { METHOD_KEYWORDS } from './methodKeywords'
import { overloadCallError } from './overloadArgs'
import { checkPositionalArity, POSITIONAL_ARITY } from './positionalArity'
import { FUNCTION_KEYWORD_NAMES, FUNCTIONS_WITH_ANY_KEYWORD, FUNCTIONS_WITHOUT_KEYWORDS } from './functionKeywordTable'
import { REQUIRED_ARGS } from './requiredArgsTable'
import { renameNumpyKeywords } from './numpyKeywords'

/** What a torch.* function takes by keyword, read from PyTorch's own (`./functionKeywordTable.ts`). */
type FunctionKeywords =
  | { readonly kind: 'none'; readonly label: string }
  | { readonly kind: 'names'; readonly names: ReadonlySet<string> }
  | { readonly kind: 'any' }

const words = (s: string): string[] => s.split(/\s+/).filter((w) => w !== '')

const readFunctionTable = (): ReadonlyMap<string, FunctionKeywords> => {
  const table = new Map<string, FunctionKeywords>()
  for (const label of words(FUNCTIONS_WITHOUT_KEYWORDS))
    table.set(label.split('.').pop() ?? label, { kind: 'none', label })
  for (const entry of words(FUNCTION_KEYWORD_NAMES)) {
    const [name = '', names = ''] = entry.split(':')
    table.set(name, { kind: 'names', names: new Set(names.split(',').filter((n) => n !== '')) })
  }
  for (const name of words(FUNCTIONS_WITH_ANY_KEYWORD)) table.set(name, { kind: 'any' })
  return table
}

/** PyTorch's keyword rule of each torch.* function, by name (read once). @internal */
export const FUNCTION_KEYWORDS: ReadonlyMap<string, FunctionKeywords> = readFunctionTable()

/** The check of a function known only from PyTorch's table of torch.* keyword names. */
const tableCheck = (name: string): FunctionKeywordCheck | undefined => {
  const rule = FUNCTION_KEYWORDS.get(name)
  if (rule === undefined || rule.kind === 'any') return undefined
  return (args) => {
    const n = args.length
    const kw: unknown = args[n - 1]
    if (n === 0 || !isKwargs(kw)) return
    const keys = Object.keys(kw)
    if (rule.kind === 'none') {
      if (keys.length > 0) throw new TorchTypeError(`${rule.label}() takes no keyword arguments`)
      return
    }
    const bad = keys.find((k) => !rule.names.has(k))
    if (bad !== undefined) throw new TorchTypeError(`${name}() got an unexpected keyword argument '${bad}'`)
  }
}

/** `tuple of ints dim, bool keepdim, *, torch.dtype dtype` → `dim keepdim dtype`. */
const signatureNames = (sig: string): string[] =>
  sig
    .split(', ')
    .filter((p) => p !== '*' && p !== '')
    .map((p) => (p.split(' ').pop() ?? '').replace(/^\*/, ''))

/** Checks a call's trailing keyword object; `undefined` when the function accepts any keyword. */
export type FunctionKeywordCheck = (args: ArrayLike<unknown>) => void

/**
 * The keyword check of torch.`name`, the function form of Tensor method `name` (decided once); a
 * function without a method twin is checked against PyTorch's table of torch.* keyword names.
 * @internal
 */
/**
 * The keywords `torch.<name>` accepts, from its signatures or its method's keyword rule (with
 * `input` and `out`), or from the function table; `undefined` when it takes any keyword.
 */
const acceptedKeywords = (name: string): ReadonlySet<string> | undefined => {
  const rule = METHOD_KEYWORDS.get(name)
  const signatures = POSITIONAL_ARITY.get(name)?.signatures
  if (signatures === undefined && (rule === undefined || rule.kind === 'any')) {
    const t = FUNCTION_KEYWORDS.get(name)
    return t === undefined || t.kind === 'any' ? undefined : t.kind === 'names' ? t.names : new Set()
  }
  const accepted = new Set(['input', 'out'])
  if (signatures !== undefined) for (const n of signatures.flatMap(signatureNames)) accepted.add(n)
  else if (rule !== undefined && rule.kind !== 'none' && rule.kind !== 'any')
    for (const n of rule.names) accepted.add(n)
  return accepted
}

const ACCEPTED = new Map<string, ReadonlySet<string> | undefined>()

/**
 * The arguments of a call of `torch.<name>` with NumPy's keyword names (`axis`, `keepdims`, `x`, …)
 * renamed to PyTorch's, as PyTorch's argument parser accepts them; `undefined` when none is renamed.
 * @internal
 */
export const numpyKeywordArgs = (name: string, args: ArrayLike<unknown>): unknown[] | undefined => {
  const n = args.length
  const last: unknown = args[n - 1]
  if (n === 0 || !isKwargs(last)) return undefined
  if (!ACCEPTED.has(name)) ACCEPTED.set(name, acceptedKeywords(name))
  const accepted = ACCEPTED.get(name)
  if (accepted === undefined) return undefined
  const kw = renameNumpyKeywords(last, (k) => accepted.has(k))
  return kw === last ? undefined : [...Array.prototype.slice.call(args, 0, -1), kw]
}

export const functionKeywordCheck = (name: string): FunctionKeywordCheck | undefined => {
  const signatures = POSITIONAL_ARITY.get(name)?.signatures
  const rule = METHOD_KEYWORDS.get(name)
  if (signatures === undefined && (rule === undefined || rule.kind === 'any')) return tableCheck(name)
  const accepted = acceptedKeywords(name) ?? new Set<string>()
  return (args) => {
    const n = args.length
    const kw: unknown = args[n - 1]
    if (n === 0 || !isKwargs(kw)) return
    const bad = Object.keys(kw).find((k) => !accepted.has(k))
    if (bad === undefined) return
    // one signature: PyTorch names the keyword; overloads (some may be hidden): the one that the
    // argument count admits gives its own error, or none or several give the listing
    if (signatures === undefined) throw new TorchTypeError(`${name}() got an unexpected keyword argument '${bad}'`)
    const positional = Array.prototype.slice.call(args, 0, n - 1) as unknown[]
    throw overloadCallError(name, signatures, false, positional, kw)
  }
}

/** The required parameters of each one-signature torch.* function, in order (read once). */
const REQUIRED: ReadonlyMap<string, ReadonlyArray<string>> = new Map(
  words(REQUIRED_ARGS).map((w) => {
    const [name = '', params = ''] = w.split(':')
    return [name, params.split(',')] as const
  }),
)

/**
 * PyTorch's TypeError when a required parameter of a one-signature function is neither passed
 * positionally nor by keyword. Its parser reads the parameters in order, so this comes before an
 * unknown keyword; the message lists every required parameter from the first missing one on, with
 * PyTorch's inverted plural (`missing 1 required positional arguments`).
 */
const checkRequired = (name: string, required: ReadonlyArray<string>, args: ArrayLike<unknown>): void => {
  const n = args.length
  const last: unknown = args[n - 1]
  const kw = n > 0 && isKwargs(last) ? last : undefined
  const given = kw === undefined ? n : n - 1
  const first = required.findIndex((p, i) => i >= given && (kw === undefined || !Object.hasOwn(kw, p)))
  if (first < 0) return
  const missing = required.slice(first)
  const m = missing.length
  throw new TorchTypeError(
    `${name}() missing ${m} required positional argument${m === 1 ? 's' : ''}: ${missing.map((p) => `"${p}"`).join(', ')}`,
  )
}

/** The positional-count, required-argument and keyword checks of torch.`name` as one, or `undefined` when none is known. */
const callCheck = (name: string): FunctionKeywordCheck | undefined => {
  const arity = POSITIONAL_ARITY.get(name)
  const required = REQUIRED.get(name)
  const keywords = functionKeywordCheck(name)
  if (arity === undefined && required === undefined) return keywords
  return (args) => {
    if (arity !== undefined && args.length > arity.max) checkPositionalArity(name, arity, args)
    if (required === undefined || keywords === undefined) return keywords?.(args)
    // a refused keyword: PyTorch names a missing required parameter first (argument types, which
    // it checks in the same pass, are left to the function, as for calls without keywords)
    try {
      keywords(args)
    } catch (e) {
      checkRequired(name, required, args)
      throw e
    }
  }
}

const CALL_CHECKS = new Map<string, FunctionKeywordCheck | undefined>()

/**
 * The checks of torch.`name` made once (positional count, required parameters, keyword names, in
 * the order PyTorch's parser makes them), or `undefined` when none is known.
 * @internal
 */
export const functionCallCheck = (name: string): FunctionKeywordCheck | undefined => {
  if (!CALL_CHECKS.has(name)) CALL_CHECKS.set(name, callCheck(name))
  return CALL_CHECKS.get(name)
}

/**
 * Checks a call of torch.`name` (its arguments as given) as PyTorch's function would: positional
 * count and keyword names. For functions written as overloaded declarations, where `torchFunction`
 * cannot wrap.
 * @internal
 */
export const checkFunctionCall = (name: string, args: ArrayLike<unknown>): void => {
  if (!CALL_CHECKS.has(name)) CALL_CHECKS.set(name, callCheck(name))
  CALL_CHECKS.get(name)?.(args)
}

/**
 * `f` as the torch.* function `name`: more positional arguments than PyTorch's function takes, or a
 * keyword it refuses, raise PyTorch's TypeError worded for the function (unchanged when neither is known).
 * @internal
 */
export const torchFunction = <F extends (...args: never[]) => unknown>(name: string, f: F): F => {
  const check = callCheck(name)
  if (check === undefined) return f
  const g = f as unknown as (...a: unknown[]) => unknown
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    args = numpyKeywordArgs(name, args) ?? args
    check(args)
    return g.apply(this, args)
  }
  Object.defineProperty(wrapped, 'name', { value: f.name })
  return wrapped as unknown as F
}

/**
 * A call that passes its tensor as the keyword `input` (`torch.exp({ input: x })`), with the
 * tensor moved to the front; `undefined` when `input` is not given by keyword. Given both ways,
 * PyTorch's "got multiple values" TypeError.
 * @internal
 */
export const inputByKeyword = (name: string, args: ArrayLike<unknown>): unknown[] | undefined => {
  const n = args.length
  const kw: unknown = args[n - 1]
  if (n === 0 || !isKwargs(kw) || !Object.hasOwn(kw, 'input')) return undefined
  if (n > 1) throw new TorchTypeError(`${name}() got multiple values for argument 'input'`)
  const { input, ...rest } = kw
  return Object.keys(rest).length === 0 ? [input] : [input, rest]
}
