/**
 * `torch.func.functional_call`: calls a module with some of its parameters and buffers replaced,
 * with PyTorch 2.x's keyword options `tie_weights` (a tensor reachable under several names is
 * replaced under all of them) and `strict` (the given names must be exactly the module's).
 *
 * @category torch
 * @since 0.2.0
 */
import { RuntimeError, TorchValueError } from './errors'
import type { Tensor } from './tensor'

/** What functional_call needs of a module: attributes reachable by dotted names, and a forward. */
export interface ModuleLike {
  forward(...args: never[]): unknown
}

/** The keyword options of {@link functional_call}. @category torch @since 0.2.0 */
export interface FunctionalCallOptions {
  /** Forward keyword arguments (PyTorch's `kwargs`). */
  readonly kwargs?: Record<string, unknown>
  /** Replace every name of a tied (shared) tensor when one of them is given (default true). */
  readonly tie_weights?: boolean
  /** Raise unless the given names are exactly the module's parameters and buffers (default false). */
  readonly strict?: boolean
}

interface Named {
  named_parameters?: (prefix?: string, recurse?: boolean, removeDuplicate?: boolean) => Iterable<[string, Tensor]>
  named_buffers?: (prefix?: string, recurse?: boolean, removeDuplicate?: boolean) => Iterable<[string, Tensor]>
  _get_name?: () => string
}

/** Every (name, tensor) of the module's parameters and buffers, duplicates included. */
const allNamed = (module: ModuleLike): Array<[string, Tensor]> | null => {
  const m = module as unknown as Named
  if (m.named_parameters === undefined || m.named_buffers === undefined) return null
  return [...m.named_parameters('', true, false), ...m.named_buffers('', true, false)]
}

/** One dictionary of the given dictionaries, refusing a name given in two of them. */
const mergeDicts = (dicts: ReadonlyArray<Record<string, Tensor>>): Record<string, Tensor> => {
  const seen = new Map<string, number>()
  for (const d of dicts) for (const k of Object.keys(d)) seen.set(k, (seen.get(k) ?? 0) + 1)
  const repeated = [...seen].filter(([, n]) => n > 1).map(([k]) => `'${k}'`)
  if (repeated.length > 0)
    throw new TorchValueError(
      `[${repeated.join(', ')}] appeared in multiple dictionaries; behavior of functional call is ambiguous`,
    )
  return Object.assign({}, ...dicts) as Record<string, Tensor>
}

/** The given tensors extended to every name tied to a given one (PyTorch 2.x's untying). */
const untie = (named: ReadonlyArray<[string, Tensor]>, given: Record<string, Tensor>): Record<string, Tensor> => {
  const names = new Map<Tensor, string[]>()
  for (const [n, t] of named) names.set(t, [...(names.get(t) ?? []), n])
  const out = { ...given }
  for (const tied of names.values()) {
    if (tied.length < 2) continue
    const values = [...new Set(tied.filter((n) => n in given).map((n) => given[n] as Tensor))]
    if (values.length > 1)
      throw new TorchValueError(
        `functional_call got multiple values for keys [${[...tied]
          .sort()
          .map((n) => `'${n}'`)
          .join(', ')}], which are tied. Consider using tie_weights=False`,
      )
    if (values.length === 1) for (const n of tied) out[n] = values[0] as Tensor
  }
  return out
}

/** PyTorch's strict check: the given names must be exactly the module's. */
const checkStrict = (
  module: ModuleLike,
  named: ReadonlyArray<[string, Tensor]>,
  given: ReadonlyArray<string>,
): void => {
  const valid = new Set(named.map(([n]) => n))
  const keys = new Set(given)
  const q = (ks: string[]): string =>
    ks
      .sort()
      .map((k) => `'${k}'`)
      .join(', ')
  const unexpected = [...keys].filter((k) => !valid.has(k))
  const missing = [...valid].filter((k) => !keys.has(k))
  const errs: string[] = []
  if (unexpected.length > 0) errs.push(`Unexpected key(s): ${q(unexpected)}.`)
  if (missing.length > 0) errs.push(`Missing key(s): ${q(missing)}.`)
  const name = (module as unknown as Named)._get_name?.() ?? module.constructor.name
  if (errs.length > 0) throw new RuntimeError(`Error(s) in reparametrizing for ${name}:\n\t${errs.join('\n\t')}`)
}

/** Sets `name` (dotted) on the module to `t`, recording the previous values in `swaps`. */
const swapIn = (
  module: ModuleLike,
  name: string,
  t: Tensor,
  swaps: Array<[Record<string, unknown>, string, unknown]>,
): void => {
  const parts = name.split('.')
  let owner = module as unknown as Record<string, unknown>
  for (const p of parts.slice(0, -1)) {
    const next = (owner[p] ?? (owner['_modules'] as Record<string, unknown> | undefined)?.[p]) as
      Record<string, unknown> | undefined
    if (next === undefined) throw new RuntimeError(`functional_call: no submodule '${p}' in '${name}'`)
    owner = next
  }
  const leafName = parts[parts.length - 1] as string
  const params = owner['_parameters'] as Record<string, unknown> | undefined
  const buffers = owner['_buffers'] as Record<string, unknown> | undefined
  const table = params?.[leafName] !== undefined ? params : buffers?.[leafName] !== undefined ? buffers : owner
  swaps.push([table, leafName, table[leafName]])
  table[leafName] = t
  if (table !== owner && leafName in owner) {
    swaps.push([owner, leafName, owner[leafName]])
    owner[leafName] = t
  }
}

const OPTION_KEYS = new Set(['kwargs', 'tie_weights', 'strict'])

/** A fourth argument holding only option keys (with tie_weights or strict) is the options object. */
const isOptions = (u: Record<string, unknown>): boolean =>
  Object.keys(u).every((k) => OPTION_KEYS.has(k)) && ('tie_weights' in u || 'strict' in u)

/**
 * Calls `module` with some parameters and buffers replaced by the given tensors (dotted names,
 * e.g. `'0.weight'`), restoring them afterwards (PyTorch's `torch.func.functional_call`). Several
 * dictionaries may be given (a name in two of them raises). Keywords, as in PyTorch 2.x:
 * `tie_weights` (default true) replaces a tensor shared under several names under all of them;
 * `strict` raises unless the names are exactly the module's parameters and buffers. The keywords
 * go in a trailing options object (or as the fourth argument, alone or with `kwargs`).
 * @example
 * import * as torch from 'wengert/torch'
 * const lin = new torch.nn.Linear(2, 1)
 * const params = { weight: torch.tensor([[1.0, 2.0]]), bias: torch.tensor([0.5]) }
 * const y = torch.func.functional_call(lin, params, torch.tensor([[1.0, 1.0]])) as torch.Tensor
 * assert.deepStrictEqual(y.tolist(), [[3.5]])
 * assert.throws(
 *   () => torch.func.functional_call(lin, { weight: params.weight }, torch.tensor([[1.0, 1.0]]), { strict: true }),
 *   /Error\(s\) in reparametrizing for Linear:\n\tMissing key\(s\): 'bias'\./,
 * )
 * @category torch
 * @since 0.1.0
 */
export const functional_call = (
  module: ModuleLike,
  parameters_and_buffers: Record<string, Tensor> | ReadonlyArray<Record<string, Tensor>>,
  args: unknown,
  kwargs?: Record<string, unknown> | FunctionalCallOptions,
  options?: FunctionalCallOptions,
): unknown => {
  const fourthIsOptions = kwargs !== undefined && options === undefined && isOptions(kwargs as Record<string, unknown>)
  const opts: FunctionalCallOptions = fourthIsOptions ? (kwargs as FunctionalCallOptions) : (options ?? {})
  const kw = fourthIsOptions ? opts.kwargs : ((kwargs as Record<string, unknown> | undefined) ?? opts.kwargs)
  const dicts = Array.isArray(parameters_and_buffers) ? parameters_and_buffers : [parameters_and_buffers]
  let given = mergeDicts(dicts as ReadonlyArray<Record<string, Tensor>>)
  const named = allNamed(module)
  if (opts.strict === true) checkStrict(module, named ?? [], Object.keys(given))
  if (named !== null && (opts.tie_weights ?? true)) given = untie(named, given)
  const swaps: Array<[Record<string, unknown>, string, unknown]> = []
  try {
    for (const [name, t] of Object.entries(given)) swapIn(module, name, t, swaps)
    const list = Array.isArray(args) ? args : [args]
    const m = module as unknown as {
      forward: (...a: unknown[]) => unknown
      _call_impl?: (a: ReadonlyArray<unknown>) => unknown
    }
    // nn.Module: run through its call (forward hooks included), as PyTorch's functional_call does
    const call =
      m._call_impl !== undefined
        ? (...a: unknown[]) => (m._call_impl as (a: ReadonlyArray<unknown>) => unknown).call(m, a)
        : m.forward.bind(m)
    return kw === undefined ? call(...list) : call(...list, kw)
  } finally {
    for (const [table, k, v] of swaps.reverse()) table[k] = v
  }
}
