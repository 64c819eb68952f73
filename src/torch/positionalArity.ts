/**
 * The function forms of Tensor methods raise PyTorch's TypeError for more positional arguments
 * than PyTorch's function takes (`torch.trace(x, 'x')` → `trace() takes 1 positional argument but
 * 2 were given`), where a JS function would ignore the extra ones. The counts come from PyTorch
 * (`./positionalArityTable.ts`); a function decides once whether it has one, and a call pays only
 * a comparison of its argument count.
 *
 * @category torch
 * @since 0.3.0
 */
import { TorchTypeError } from './errors'
import { isKwargs } from './kwargs'
import { overloadCallError } from './overloadArgs'
import { ONE_SIGNATURE_ARITY, OVERLOAD_SIGNATURES } from './positionalArityTable'

/** The most positional arguments a function takes, and its overloads' listing when it has several. */
export type Arity = { readonly max: number; readonly signatures?: ReadonlyArray<string> }

const countPositional = (sig: string): number => {
  const params = sig.split(', ').filter((p) => p !== '')
  const star = params.indexOf('*')
  return star < 0 ? params.length : star
}

const readTable = (): ReadonlyMap<string, Arity> => {
  const table = new Map<string, Arity>()
  for (const entry of ONE_SIGNATURE_ARITY.split(/\s+/).filter((w) => w !== '')) {
    const [name = '', max = '0'] = entry.split(':')
    table.set(name, { max: Number(max) })
  }
  for (const line of OVERLOAD_SIGNATURES.split('\n').filter((l) => l !== '')) {
    const [name = '', ...signatures] = line.split('|')
    table.set(name, { max: Math.max(...signatures.map(countPositional)), signatures })
  }
  return table
}

/** PyTorch's positional arity of each torch.* function that has a fixed one, by name (read once). */
export const POSITIONAL_ARITY: ReadonlyMap<string, Arity> = readTable()

/**
 * Throws PyTorch's TypeError when `args` (a trailing keyword object aside) has more than
 * `arity.max` positional arguments. Call it only when `args.length > arity.max`.
 */
export const checkPositionalArity = (fn: string, arity: Arity, args: ArrayLike<unknown>): void => {
  const n = args.length
  const last: unknown = args[n - 1]
  const kw = n > 0 && isKwargs(last) ? last : undefined
  const given = kw === undefined ? n : n - 1
  if (given <= arity.max) return
  if (arity.signatures !== undefined) {
    const positional = Array.prototype.slice.call(args, 0, given) as unknown[]
    throw overloadCallError(fn, arity.signatures, false, positional, kw ?? {})
  }
  const m = arity.max
  throw new TorchTypeError(
    `${fn}() takes ${m} positional argument${m === 1 ? '' : 's'} but ${given} ${given === 1 ? 'was' : 'were'} given`,
  )
}

/**
 * `f` as the torch.* function `fn`, raising PyTorch's TypeError for more positional arguments than
 * PyTorch's `fn` takes (unchanged when PyTorch's count is not fixed).
 * @internal
 */
export const fixedArity = <F extends (...args: never[]) => unknown>(fn: string, f: F): F => {
  const arity = POSITIONAL_ARITY.get(fn)
  if (arity === undefined) return f
  const g = f as unknown as (...a: unknown[]) => unknown
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    if (args.length > arity.max) checkPositionalArity(fn, arity, args)
    return g.apply(this, args)
  }
  Object.defineProperty(wrapped, 'name', { value: f.name })
  return wrapped as unknown as F
}
