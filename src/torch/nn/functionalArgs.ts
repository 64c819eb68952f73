/**
 * The entry check of `torch.nn.functional`'s functions (issue 10): the parameters a function
 * requires and the tensors it reads, checked once per call before any argument is read, so that
 * `F.softmax('a')` raises a typed error naming the function, the argument and what was expected
 * instead of a JavaScript TypeError from deep inside.
 *
 * A function is described by its PyTorch parameters, written as PyTorch prints a signature:
 * `'Tensor input, Tensor target, Tensor? weight = None'`. `Tensor?` accepts None (`null`), a
 * parameter with ` = …` is optional, any other kind (`int`, `tuple of ints`, …) is checked as
 * PyTorch's argument parser checks it (`any` is not checked). Most of these functions are Python
 * functions in PyTorch, which name missing arguments in Python's wording (`cross_entropy() missing
 * 1 required positional argument: 'target'`); the functions PyTorch binds from C++ (`linear`,
 * `one_hot`, the in-place activations) use its argument parser's (`linear() missing 2 required
 * positional argument: "input", "weight"`). A non-tensor raises the argument parser's TypeError
 * (`softmax(): argument 'input' (position 1) must be Tensor, not str`), which is what PyTorch's
 * functions raise when they hand the argument to a C++ op, and what the Python ones that read an
 * attribute first (`'str' object has no attribute 'dim'`) mean.
 *
 * @category torch
 * @since 0.2.0
 */
import { TorchTypeError } from '../errors'
import { Tensor } from '../tensor'
import { isKwargs } from '../kwargs'
import { argTypeName, fitsKind, missingArgs, pyMissingArgs } from '../pyTypeName'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** One parameter of an entry signature. */
interface EntryParam {
  readonly kind: string
  readonly name: string
  readonly required: boolean
  readonly nullable: boolean
}

/**
 * How PyTorch binds the function: a Python function; one of its `boolean_dispatch` pairs, whose
 * missing-argument errors name the `_fn` it dispatches to (`_max_pool2d() missing 1 required
 * positional argument: 'kernel_size'`); or a C++ function, whose argument parser checks the types
 * of the given arguments before it reports missing ones.
 */
export type Binding = 'python' | 'dispatch' | 'native'

/** The entry check of one function: throws PyTorch's TypeError for a malformed call. */
export type EntryCheck = (args: ReadonlyArray<unknown>) => void

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/** The parameters of `'Tensor input, Tensor? weight = None, any size'`. */
const parseEntry = (sig: string): ReadonlyArray<EntryParam> =>
  sig.split(', ').map((p) => {
    const [decl = '', dflt] = p.split(' = ')
    const k = decl.lastIndexOf(' ')
    const kind = decl.slice(0, k)
    return {
      kind: kind.replace(/\?$/, ''),
      name: decl.slice(k + 1),
      required: dflt === undefined,
      nullable: kind.endsWith('?') || dflt === 'None',
    }
  })

/** The positional arguments and the keyword object of a call (a lone `{}` is a positional dict). */
const splitCall = (
  args: ReadonlyArray<unknown>,
  names: ReadonlySet<string>,
): [ReadonlyArray<unknown>, Readonly<Record<string, unknown>>] => {
  const last = args[args.length - 1]
  const isKw = isKwargs(last) && (args.length > 1 || Object.keys(last).some((k) => names.has(k)))
  return isKw ? [args.slice(0, -1), last] : [args, {}]
}

/**
 * The entry check of `fn` with PyTorch's parameters `sig` (see the module comment). Keywords the
 * signature does not name are left to the function, which rejects them with Python's TypeError
 * (for a Python function, before the types are checked, as Python binds keywords first).
 * NOTE: a call with both a missing argument and a keyword the function does not have reports the
 * missing argument (Python reports the keyword first; the signature names only the parameters
 * checked at entry, not every keyword the function takes).
 */
export const entryCheck = (fn: string, sig: string, binding: Binding = 'python'): EntryCheck => {
  const params = parseEntry(sig)
  const names = new Set(params.map((p) => p.name))
  return (args) => {
    const [pos, kw] = splitCall(args, names)
    const valueOf = (p: EntryParam, i: number): unknown =>
      i < pos.length && pos[i] !== undefined ? pos[i] : kw[p.name]
    const checkKinds = (): void =>
      params.forEach((p, i) => {
        const u = valueOf(p, i)
        if (u === undefined || fitsKind(p.kind, u, p.nullable)) return
        const where = i < pos.length && pos[i] !== undefined ? ` (position ${i + 1})` : ''
        throw new TorchTypeError(`${fn}(): argument '${p.name}'${where} must be ${p.kind}, not ${argTypeName(u)}`)
      })
    if (binding === 'native') checkKinds()
    const missing = params.filter((p, i) => p.required && valueOf(p, i) === undefined).map((p) => p.name)
    if (missing.length > 0) {
      if (binding === 'native') throw missingArgs(fn, missing)
      throw pyMissingArgs(binding === 'dispatch' ? `_${fn}` : fn, missing)
    }
    // Python binds keywords before the function runs: an unknown one is the function's to reject
    if (binding !== 'native' && Object.keys(kw).some((k) => !names.has(k))) return
    checkKinds()
  }
}

/**
 * `f` with {@link entryCheck}'s check of every call before `f` reads an argument; the one wrapper
 * of `torch.nn.functional`'s functions (its type and name are `f`'s).
 */
export const checkedEntry = <F extends (...args: never[]) => unknown>(
  fn: string,
  sig: string,
  f: F,
  binding: Binding = 'python',
): F => {
  const check = entryCheck(fn, sig, binding)
  const g = f as unknown as (...a: unknown[]) => unknown
  const wrapped = (...args: unknown[]): unknown => {
    check(args)
    return g(...args)
  }
  Object.defineProperty(wrapped, 'name', { value: f.name })
  return wrapped as unknown as F
}

/**
 * Python's truth value of a flag such as `inplace` (`if inplace:` in PyTorch's functions): a tensor's
 * is `is_nonzero()` (PyTorch's RuntimeError for several elements), 0, '', None, an empty list or
 * dict are false, anything else (NaN included) true; omitted is false.
 */
export const pyTruthy = (u: unknown): boolean => {
  if (u instanceof Tensor) return u.is_nonzero()
  if (Array.isArray(u)) return u.length > 0
  if (typeof u === 'object' && u !== null) return Object.keys(u).length > 0
  if (typeof u === 'number') return u !== 0
  return u !== undefined && u !== null && u !== false && u !== ''
}

/**
 * The `inplace` flag of a parsed call, by Python's truth (`if inplace:` in every PyTorch function
 * that takes it), so `inplace: 1` overwrites the input as `inplace=1` does; omitted is false.
 */
export const inplaceFlag = (a: Readonly<Record<string, unknown>>): boolean => pyTruthy(a.inplace)
