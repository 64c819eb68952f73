/**
 * Probes whether a facade callable accepts a keyword argument, without running the op for real:
 * the call gets one keyword with a deliberately bad value, and only an "unexpected keyword
 * argument" error counts as a rejection. A bogus keyword is tried first, with growing positional
 * prefixes, to find a call form whose keyword check is reached at all.
 */
import * as torch from '../../src/torch'
import { METHOD_KEYWORDS } from '../../src/torch/methodKeywords'

/** A value no facade function accepts for any parameter. */
const BAD = Symbol('keyword-probe')
const BOGUS = 'zz_keyword_probe'

const call = (f: unknown, kind: string, args: unknown[]): string => {
  try {
    if (kind === 'class') Reflect.construct(f as new (...a: unknown[]) => unknown, args)
    else (f as (...a: unknown[]) => unknown)(...args)
    return ''
  } catch (e) {
    return e instanceof Error ? e.message : String(e)
  }
}

/**
 * Whether `msg` rejects keyword `name`; with `owner` (the callable's Python name), only the
 * callable's own rejection counts, not that of a Tensor method it called with the keyword object
 * in a positional slot (`mul() got an unexpected keyword argument …` inside `lp_pool1d`).
 */
const rejects = (msg: string, name: string, owner?: string): boolean =>
  (msg.includes(`unexpected keyword argument '${name}'`) || msg.includes(`unexpected keyword '${name}'`)) &&
  (owner === undefined || !fromTensorMethod(msg, owner))

/** Whether `msg` is the keyword error of a Tensor method (other than `owner`). */
const fromTensorMethod = (msg: string, owner: string): boolean => {
  const m = /^(?:Tensor(?:Base)?\.)?(\w+)\(\)/.exec(msg)
  return m !== null && m[1] !== owner && METHOD_KEYWORDS.has(m[1] as string)
}

const prefixes = (): unknown[][] => {
  const t = torch.ones(2, 3)
  const p = torch.nn.Parameter(torch.ones(2, 3))
  const m = new torch.nn.Linear(2, 2)
  return [[], [t], [t, t], [t, t, t], [[p]], [m], [m, 'weight']]
}

/** Result of probing one callable. */
export type Probe = { readonly checked: boolean; readonly missing: ReadonlyArray<string> }

/** Which of `names` `f` rejects as unexpected keywords (`checked` false: no call form reached its check). */
export const probeKeywords = (f: unknown, kind: string, names: ReadonlyArray<string>, owner?: string): Probe => {
  const prefix = prefixes().find((pre) => rejects(call(f, kind, [...pre, { [BOGUS]: BAD }]), BOGUS, owner))
  if (prefix === undefined) return { checked: false, missing: [] }
  const missing = names.filter((n) => rejects(call(f, kind, [...prefix, { [n]: BAD }]), n, owner))
  return { checked: true, missing }
}

/**
 * Whether `f` silently accepts an unknown keyword: some call form with one bogus keyword returns
 * without error, and none raises Python's "unexpected keyword argument" TypeError.
 */
export const ignoresUnknownKeyword = (f: unknown, kind: string): boolean => {
  const msgs = prefixes().map((pre) => call(f, kind, [...pre, { [BOGUS]: BAD }]))
  return !msgs.some((m) => rejects(m, BOGUS)) && msgs.includes('')
}

/** The message `f` throws ('' when it returns), with the facade's warnings captured, not printed. */
export const errorOf = (f: () => unknown): string => {
  try {
    torch.warnings.catch_warnings(f)
    return ''
  } catch (e) {
    return e instanceof Error ? e.message : String(e)
  }
}
