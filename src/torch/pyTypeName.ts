/**
 * Python's names for JavaScript values, as PyTorch's argument errors print them, and the check
 * that an argument is a tensor (with few imports, so the op recording helpers can use it).
 *
 * @category torch
 * @since 0.2.0
 */
import { TorchTypeError } from './errors'
import { Tensor } from './tensor'
import { TorchDType } from './dtype'

/** Python's type name of a value, for TypeError messages. */
export const pyTypeName = (u: unknown): string => {
  if (u instanceof Tensor) return u.dtype.typeName
  if (u === null || u === undefined) return 'NoneType'
  if (typeof u === 'number' || typeof u === 'bigint')
    return typeof u === 'bigint' || Number.isInteger(u) ? 'int' : 'float'
  if (typeof u === 'string') return 'str'
  if (typeof u === 'boolean') return 'bool'
  if (typeof u === 'function') return 'function'
  if (Array.isArray(u)) return 'list'
  const proto = Object.getPrototypeOf(u) as object | null
  return proto === Object.prototype || proto === null ? 'dict' : ((u as object).constructor?.name ?? 'object')
}

/** `fn(): argument 'name' (position k) must be Tensor, not <type>` unless `u` is a tensor. */
export const requireTensor = (fn: string, name: string, u: unknown, position = 1): Tensor => {
  if (u instanceof Tensor) return u
  throw new TorchTypeError(`${fn}(): argument '${name}' (position ${position}) must be Tensor, not ${pyTypeName(u)}`)
}

/** The function a recorded op's name stands for: `AddcmulBackward0` → `addcmul`, `TBackward0_copy` → `t_copy`, `mul` → `mul`. */
export const opFunctionName = (op: string): string => {
  const m = /^(.*?)Backward\d*(_copy)?$/.exec(op)
  if (m === null) return op
  return (m[1] as string).replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase() + (m[2] ?? '')
}

/**
 * Every input an op records is a tensor; otherwise PyTorch's TypeError for the first that is not
 * (`op(): argument (position k) must be Tensor, not str`). `op` is the function's name.
 */
export const requireTensors = (op: string, inputs: ReadonlyArray<unknown>): void => {
  const fn = opFunctionName(op)
  for (let i = 0; i < inputs.length; i++) {
    const u = inputs[i]
    if (!(u instanceof Tensor))
      throw new TorchTypeError(`${fn}(): argument (position ${i + 1}) must be Tensor, not ${pyTypeName(u)}`)
  }
}

/** `u` as a tensor, or a TypeError naming its type (for helpers that do not know their op's name). */
export const asTensor = (u: unknown): Tensor => {
  if (u instanceof Tensor) return u
  throw new TorchTypeError(`expected Tensor as argument, but got ${pyTypeName(u)}`)
}

/**
 * The `input` of `fn(input, ...)`: PyTorch's TypeError when it is missing
 * (`fn() missing 1 required positional arguments: "input"`) or not a tensor.
 */
export const requireInput = (fn: string, u: unknown): Tensor => {
  if (u === undefined) throw new TorchTypeError(`${fn}() missing 1 required positional arguments: "input"`)
  return requireTensor(fn, 'input', u)
}

/** A value's type as PyTorch's argument parser names it (`Tensor` for any tensor). */
export const argTypeName = (u: unknown): string => (u instanceof Tensor ? 'Tensor' : pyTypeName(u))

/**
 * PyTorch's TypeError for missing required parameters, with its wording (`missing 1 required
 * positional arguments: "input"`, `missing 2 required positional argument: "input", "other"`).
 */
export const missingArgs = (fn: string, names: ReadonlyArray<string>): TorchTypeError => {
  const n = names.length
  return new TorchTypeError(
    `${fn}() missing ${n} required positional argument${n === 1 ? 's' : ''}: ${names.map((s) => `"${s}"`).join(', ')}`,
  )
}

/**
 * The leading tensor parameters of `fn(names[0], names[1], ...)`: PyTorch's TypeError for the first
 * that is missing (naming it and every later one) or not a tensor.
 */
export const requireTensorArgs = (fn: string, names: ReadonlyArray<string>, values: ReadonlyArray<unknown>): void => {
  for (let i = 0; i < names.length; i++) {
    const u = values[i]
    if (u === undefined) throw missingArgs(fn, names.slice(i))
    requireTensor(fn, names[i] as string, u, i + 1)
  }
}

/** Every element of the list argument at `position` (1-based) is a tensor, or PyTorch's TypeError for the first that is not. */
export const requireTensorElements = (u: ReadonlyArray<unknown>, position = 1): ReadonlyArray<Tensor> => {
  u.forEach((e, i) => {
    if (!(e instanceof Tensor))
      throw new TorchTypeError(`expected Tensor as element ${i} in argument ${position - 1}, but got ${argTypeName(e)}`)
  })
  return u as ReadonlyArray<Tensor>
}

/** A `tuple of Tensors` parameter: PyTorch's TypeError when it is missing, not a list, or holds a non-tensor. */
export const requireTensorList = (fn: string, name: string, u: unknown, position = 1): ReadonlyArray<Tensor> => {
  if (u === undefined) throw missingArgs(fn, [name])
  if (!Array.isArray(u))
    throw new TorchTypeError(
      `${fn}(): argument '${name}' (position ${position}) must be tuple of Tensors, not ${argTypeName(u)}`,
    )
  return requireTensorElements(u, position)
}

/** An `int` parameter: PyTorch's TypeError unless `u` is an integer. */
export const requireIntArg = (fn: string, name: string, u: unknown, position: number): number => {
  if (typeof u === 'number' && Number.isInteger(u)) return u
  throw new TorchTypeError(`${fn}(): argument '${name}' (position ${position}) must be int, not ${argTypeName(u)}`)
}

/**
 * A `tuple of ints` parameter (a shape, a list of dims; one int stands for a 1-tuple): PyTorch's
 * TypeError unless `u` is an integer or a list of integers.
 */
export const requireIntsArg = (fn: string, name: string, u: unknown, position: number): ReadonlyArray<number> => {
  if (typeof u === 'number' && Number.isInteger(u)) return [u]
  if (Array.isArray(u) && u.every((d) => typeof d === 'number' && Number.isInteger(d))) return u as number[]
  throw new TorchTypeError(
    `${fn}(): argument '${name}' (position ${position}) must be tuple of ints, not ${argTypeName(u)}`,
  )
}

/**
 * PyTorch's TypeError for a call that matches none of an overloaded function's signatures; its first
 * line, `fn() received an invalid combination of arguments - got (Tensor, str), but expected one of:`,
 * followed by the signatures given.
 */
export const invalidCombination = (
  fn: string,
  args: ReadonlyArray<unknown>,
  signatures: ReadonlyArray<string>,
): TorchTypeError => {
  const got = args.flatMap((a, i) => {
    const isKw =
      i === args.length - 1 &&
      a !== null &&
      typeof a === 'object' &&
      Object.getPrototypeOf(a) === Object.prototype &&
      (args.length > 1 || Object.keys(a).length > 0) // a lone {} is a positional dict
    return isKw ? Object.entries(a as object).map(([k, v]) => `${k}=${argTypeName(v)}`) : [argTypeName(a)]
  })
  return new TorchTypeError(
    `${fn}() received an invalid combination of arguments - got (${got.join(', ')}), but expected one of:${signatures.map((s) => `\n * ${s}`).join('')}`,
  )
}

/**
 * Python's TypeError for missing parameters of a function PyTorch writes in Python
 * (`cdist() missing 1 required positional argument: 'x2'`, `… missing 3 required positional
 * arguments: 'input', 'norm_type', and 'kernel_size'`).
 */
export const pyMissingArgs = (fn: string, names: ReadonlyArray<string>): TorchTypeError => {
  const q = names.map((s) => `'${s}'`)
  const n = q.length
  const list = n > 1 ? `${q.slice(0, -1).join(', ')}${n > 2 ? ',' : ''} and ${q[n - 1] ?? ''}` : (q[0] ?? '')
  return new TorchTypeError(`${fn}() missing ${n} required positional argument${n === 1 ? '' : 's'}: ${list}`)
}

/**
 * The leading tensor parameters of a function PyTorch writes in Python (`torch.cdist`, `torch.lu`):
 * Python's TypeError for missing ones (`cdist() missing 1 required positional argument: 'x2'`), the
 * argument parser's for a non-tensor.
 */
export const requirePyTensorArgs = (fn: string, names: ReadonlyArray<string>, values: ReadonlyArray<unknown>): void => {
  const k = values.findIndex((u) => u === undefined)
  if (k >= 0) throw pyMissingArgs(fn, names.slice(k))
  names.forEach((name, i) => requireTensor(fn, name, values[i], i + 1))
}

/**
 * The first tensor parameter of an overloaded function whose every signature starts with it:
 * PyTorch's overload TypeError when it is missing, its argument TypeError when it is not a tensor.
 */
export const overloadedInput = (
  fn: string,
  name: string,
  u: unknown,
  signatures: ReadonlyArray<string> = [],
): Tensor => {
  if (u === undefined) throw invalidCombination(fn, [], signatures)
  return requireTensor(fn, name, u)
}

// -------------------------------------------------------------------------------------
// parameter kinds and signatures, as PyTorch's argument parser checks them
// -------------------------------------------------------------------------------------

/** Whether `u` is a plain `{ … }` object (the keyword-arguments object). */
const isKeywords = (u: unknown): u is Record<string, unknown> =>
  typeof u === 'object' && u !== null && !Array.isArray(u) && Object.getPrototypeOf(u) === Object.prototype

const isInt = (u: unknown): boolean => typeof u === 'number' && Number.isInteger(u)

// what each parameter type of PyTorch's argument parser accepts (by its name in the parser's messages)
const KIND_CHECKS: Readonly<Record<string, (u: unknown) => boolean>> = {
  Tensor: (u) => u instanceof Tensor,
  int: isInt,
  float: (u) => typeof u === 'number',
  Number: (u) => typeof u === 'number' || typeof u === 'boolean',
  bool: (u) => typeof u === 'boolean',
  str: (u) => typeof u === 'string',
  'tuple of ints': (u) => isInt(u) || (Array.isArray(u) && u.every(isInt)),
  'tuple of floats': (u) => typeof u === 'number' || (Array.isArray(u) && u.every((e) => typeof e === 'number')),
  'tuple of Tensors': (u) => Array.isArray(u) && u.every((e) => e instanceof Tensor),
  'torch.dtype': (u) => u instanceof TorchDType,
}

/** Whether `u` fits a parameter of PyTorch's type `kind` (`Tensor`, `int`, `tuple of ints`, …); None fits one whose default is None. */
export const fitsKind = (kind: string, u: unknown, nullable = false): boolean =>
  (nullable && u === null) || (KIND_CHECKS[kind]?.(u) ?? true)

/** One parameter of a signature: its type, its name, whether it has a default (None or another), whether it is keyword-only. */
interface SigParam {
  readonly kind: string
  readonly name: string
  readonly optional: boolean
  readonly nullable: boolean
  readonly keywordOnly: boolean
}

/** A signature's parameter texts, split at the commas outside brackets (a default may be a tuple). */
export const topLevelParams = (sig: string): ReadonlyArray<string> => {
  const out: string[] = []
  let depth = 0
  let cur = ''
  for (const ch of sig.slice(1, -1)) {
    depth += ch === '(' || ch === '[' ? 1 : ch === ')' || ch === ']' ? -1 : 0
    if (ch === ',' && depth === 0) {
      out.push(cur.trim())
      cur = ''
    } else cur += ch
  }
  return cur.trim() === '' ? out : [...out, cur.trim()]
}

/** The parameters of a signature as PyTorch prints it: `(Tensor input, int dim = 0, *, Tensor out = None)`. */
const parseSignature = (sig: string): ReadonlyArray<SigParam> => {
  let keywordOnly = false
  const out: SigParam[] = []
  for (const p of topLevelParams(sig)) {
    if (p === '*') keywordOnly = true
    else if (p !== '') {
      const [decl = '', dflt] = p.split(' = ')
      const k = decl.lastIndexOf(' ')
      out.push({
        kind: decl.slice(0, k),
        name: decl.slice(k + 1),
        optional: dflt !== undefined,
        nullable: dflt === 'None',
        keywordOnly,
      })
    }
  }
  return out
}

/** Whether the call's positional `pos` and keyword `kw` arguments bind to the signature `params`. */
const binds = (params: ReadonlyArray<SigParam>, pos: ReadonlyArray<unknown>, kw: Record<string, unknown>): boolean => {
  const positional = params.filter((p) => !p.keywordOnly)
  if (pos.length > positional.length) return false
  if (!Object.keys(kw).every((k) => params.some((p) => p.name === k))) return false
  return params.every((p, i) => {
    const u = i < pos.length && !p.keywordOnly ? pos[i] : kw[p.name]
    return u === undefined ? p.optional : fitsKind(p.kind, u, p.nullable)
  })
}

/**
 * A call's positional arguments and keyword object: a plain object ends the positionals when it is
 * not the only argument, or when it is and names only parameters of the signatures (`names`), as in
 * `randint({ high: 5, size: [2] })` — every argument by keyword.
 */
const splitCall = (
  args: ReadonlyArray<unknown>,
  names: ReadonlySet<string>,
): readonly [ReadonlyArray<unknown>, Record<string, unknown>] => {
  const last = args[args.length - 1]
  if (!isKeywords(last)) return [args, {}]
  const allNamed = Object.keys(last).length > 0 && Object.keys(last).every((k) => names.has(k))
  return args.length > 1 || allNamed ? [args.slice(0, -1), last] : [args, {}]
}

/**
 * The argument parser's check of one signature, parameter by parameter as PyTorch goes: the first
 * required one missing raises `missing N required positional arguments` (naming it and every later
 * missing one), the first of a wrong type `argument 'name' (position k) must be <type>, not <type>`.
 */
const checkParams = (
  fn: string,
  params: ReadonlyArray<SigParam>,
  pos: ReadonlyArray<unknown>,
  kw: Record<string, unknown>,
): void => {
  const valueOf = (p: SigParam, i: number): unknown => (i < pos.length && !p.keywordOnly ? pos[i] : kw[p.name])
  params.forEach((p, i) => {
    const u = valueOf(p, i)
    if (u === undefined) {
      if (p.optional) return
      throw missingArgs(
        fn,
        params.filter((q, j) => j >= i && !q.optional && valueOf(q, j) === undefined).map((q) => q.name),
      )
    }
    if (fitsKind(p.kind, u, p.nullable)) return
    const where = i < pos.length && !p.keywordOnly ? ` (position ${i + 1})` : ''
    throw new TorchTypeError(`${fn}(): argument '${p.name}'${where} must be ${p.kind}, not ${argTypeName(u)}`)
  })
}

/**
 * The check of an overloaded function's arguments, made once per call before any is read: when the
 * number of arguments fits one signature alone, its parameter errors (as {@link signature}), else
 * PyTorch's "received an invalid combination of arguments" TypeError when they bind to none of
 * `signatures` (written as PyTorch prints them, defaults after ` = `). Keywords the signatures do
 * not name are left to the function's own keyword parsing.
 */
export const overloads = (fn: string, signatures: ReadonlyArray<string>): ((args: ReadonlyArray<unknown>) => void) => {
  const parsed = signatures.map(parseSignature)
  const names = new Set(parsed.flatMap((ps) => ps.map((p) => p.name)))
  return (args) => {
    const [pos, all] = splitCall(args, names)
    const kw = Object.fromEntries(Object.entries(all).filter(([k]) => names.has(k)))
    if (parsed.some((ps) => binds(ps, pos, kw))) return
    // PyTorch's parser: a call whose argument count only one signature admits gets that signature's error
    const n = pos.length + Object.keys(kw).length
    const plausible = parsed.filter((ps) => n >= ps.filter((p) => !p.optional).length && n <= ps.length)
    if (plausible.length === 1) checkParams(fn, plausible[0] ?? [], pos, kw)
    throw invalidCombination(fn, args, signatures)
  }
}

/**
 * The check of a function with one signature (`(Tensor input, tuple of ints size)`): PyTorch's
 * TypeError for missing required parameters (`missing 1 required positional arguments: "size"`) or
 * one of a wrong type (`argument 'size' (position 2) must be tuple of ints, not float`), the first
 * in parameter order; a keyword object ends the positionals and may supply the rest.
 */
export const signature = (fn: string, sig: string): ((args: ReadonlyArray<unknown>) => void) => {
  const params = parseSignature(sig)
  const names = new Set(params.map((p) => p.name))
  return (args) => {
    const [pos, kw] = splitCall(args, names)
    checkParams(fn, params, pos, kw)
  }
}

/** A call's arguments as given: trailing omitted (`undefined`) ones and an empty keyword object dropped. */
export const givenArgs = (...args: ReadonlyArray<unknown>): ReadonlyArray<unknown> => {
  let n = args.length
  while (
    n > 0 &&
    (args[n - 1] === undefined || (n > 1 && isKeywords(args[n - 1]) && Object.keys(args[n - 1] as object).length === 0))
  )
    n--
  return n === args.length ? args : args.slice(0, n)
}
