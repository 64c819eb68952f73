/**
 * Tensor methods reject the keywords PyTorch's method does not accept, with PyTorch's TypeError
 * (`x.add(y, {alpah: 2})` → `add() got an unexpected keyword argument 'alpah'`), where a JS method
 * would ignore an unknown key of its options object. The keyword names come from PyTorch
 * (`./methodKeywordTable.ts`); each method is wrapped once, when the methods are installed, and
 * the common call without an options object only tests its last argument.
 *
 * @category torch
 * @since 0.3.0
 */
import { TorchTypeError } from './errors'
import { isKwargs } from './kwargs'
import { applyKeywordForm, KEYWORD_FORMS } from './methodKeywordForms'
import { ANY_KEYWORDS, NO_KEYWORDS, ONE_SIGNATURE, OVERLOADS } from './methodKeywordTable'
import { methodMissingArgs, overloadCallError } from './overloadArgs'
import { Tensor } from './tensor'
import { renameNumpyKeywords } from './numpyKeywords'

// ---------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------

/** What a method accepts by keyword, and how PyTorch words the error for any other keyword. */
export type MethodKeywords =
  | { readonly kind: 'none'; readonly label: string }
  | { readonly kind: 'single'; readonly label: string; readonly names: ReadonlySet<string> }
  | {
      readonly kind: 'overloads'
      readonly names: ReadonlySet<string>
      readonly signatures: ReadonlyArray<string>
    }
  | { readonly kind: 'any' }

// ---------------------------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------------------------

const words = (s: string): string[] => s.split(/\s+/).filter((w) => w !== '')

/** `tuple of ints dim, bool keepdim, *, torch.dtype dtype` → `dim keepdim dtype`. */
const signatureNames = (sig: string): string[] =>
  sig
    .split(', ')
    .filter((p) => p !== '*' && p !== '')
    .map((p) => (p.split(' ').pop() ?? '').replace(/^\*/, ''))

const readTable = (): ReadonlyMap<string, MethodKeywords> => {
  const table = new Map<string, MethodKeywords>()
  for (const name of words(NO_KEYWORDS)) table.set(name, { kind: 'none', label: `TensorBase.${name}` })
  for (const entry of words(ONE_SIGNATURE)) {
    const [head = '', names = ''] = entry.split(':')
    const name = head.replace(/^Tensor\./, '')
    table.set(name, { kind: 'single', label: head, names: new Set(names.split(',').filter((n) => n !== '')) })
  }
  for (const line of OVERLOADS.split('\n').filter((l) => l !== '')) {
    const [name = '', ...signatures] = line.split('|')
    table.set(name, { kind: 'overloads', names: new Set(signatures.flatMap(signatureNames)), signatures })
  }
  for (const name of words(ANY_KEYWORDS)) table.set(name, { kind: 'any' })
  return table
}

/** PyTorch's keyword rule of each Tensor method, by name (read once). */
export const METHOD_KEYWORDS: ReadonlyMap<string, MethodKeywords> = readTable()

// ---------------------------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------------------------

/** Throws PyTorch's TypeError when `kw` names a keyword that method `name` does not accept. */
export const checkMethodKeywords = (
  name: string,
  rule: MethodKeywords,
  kw: Readonly<Record<string, unknown>>,
  args: ArrayLike<unknown>,
): void => {
  if (rule.kind === 'any') return
  const keys = Object.keys(kw)
  if (rule.kind === 'none') {
    if (keys.length > 0) throw new TorchTypeError(`${rule.label}() takes no keyword arguments`)
    return
  }
  const bad = keys.find((k) => !rule.names.has(k))
  if (bad === undefined) return
  if (rule.kind === 'single')
    throw (
      methodMissingArgs(name, args.length - 1, kw) ??
      new TorchTypeError(`${rule.label}() got an unexpected keyword argument '${bad}'`)
    )
  const positional = Array.prototype.slice.call(args, 0, -1) as unknown[]
  throw overloadCallError(name, rule.signatures, true, positional, kw)
}

/** PyTorch's TypeError for a call of method `name` that none of its signatures accepts. */
const invalidCall = (
  name: string,
  rule: MethodKeywords,
  args: ArrayLike<unknown>,
  kw: Readonly<Record<string, unknown>>,
): Error => {
  const positional = Array.prototype.slice.call(args, 0, -1) as unknown[]
  if (rule.kind === 'overloads') return overloadCallError(name, rule.signatures, true, positional, kw)
  return methodMissingArgs(name, positional.length, kw) ?? new TorchTypeError(`${name}(): invalid arguments`)
}

// ---------------------------------------------------------------------------------------------
// installation
// ---------------------------------------------------------------------------------------------

type Method = (this: unknown, ...args: unknown[]) => unknown

/**
 * `f` with PyTorch's keyword check: only a trailing plain-object argument (the keyword object) is
 * looked at, so a call without one pays one type test.
 */
const guarded = (name: string, rule: MethodKeywords, f: Method): Method => {
  const g = function (this: unknown): unknown {
    const n = arguments.length
    if (n !== 0) {
      const last: unknown = arguments[n - 1]
      if (typeof last === 'object' && last !== null && !(last instanceof Tensor) && isKwargs(last)) {
        const kw = 'names' in rule ? renameNumpyKeywords(last, (k) => rule.names.has(k)) : last
        checkMethodKeywords(name, rule, kw, arguments)
        if (KEYWORD_FORMS.has(name)) {
          const [receiver, args] = applyKeywordForm(name, this, arguments, kw, () =>
            invalidCall(name, rule, arguments, kw),
          )
          return Reflect.apply(f, receiver, args) as unknown
        }
        if (kw !== last) return Reflect.apply(f, this, [...Array.prototype.slice.call(arguments, 0, -1), kw]) as unknown
      }
    }
    // NOTE: one argument or none passed on as such: `Reflect.apply` with `arguments` made its
    // object on every call (~50 bytes per op of W3's chain, issue 18)
    if (n === 1) return f.call(this, arguments[0])
    if (n === 0) return f.call(this)
    // eslint-disable-next-line prefer-rest-params -- forwarding `arguments` keeps the call free of a rest list
    return Reflect.apply(f, this, arguments) as unknown
  }
  Object.defineProperty(g, 'name', { value: f.name })
  return g
}

/**
 * Wraps every method of `proto` that PyTorch's Tensor has (and that accepts fewer than any keyword)
 * with its keyword check. Called once, after the methods are installed.
 * @internal
 */
export const guardMethodKeywords = (proto: object): void => {
  for (const [name, rule] of METHOD_KEYWORDS) {
    if (rule.kind === 'any') continue
    const d = Object.getOwnPropertyDescriptor(proto, name)
    if (d === undefined || typeof d.value !== 'function') continue
    Object.defineProperty(proto, name, { ...d, value: guarded(name, rule, d.value as Method) })
  }
}
