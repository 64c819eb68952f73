/**
 * The positional forms of `Tensor.backward`, `torch.autograd.backward` and `torch.autograd.grad`:
 * PyTorch's Python signatures take every option positionally, so an untyped `x.backward(null, true)`
 * retains the graph. Flags the C++ engine reads (`retain_graph`, `create_graph`, `allow_unused`) go
 * through CPython's `b` conversion; the others through Python truth.
 *
 * @internal
 */
import { TorchTypeError } from '../errors'
import { isKwargs, parseArgs } from '../kwargs'
import { argTypeName } from '../pyTypeName'
import { Tensor } from '../tensor'

/**
 * Binds a Python call of a function with defaults after its first `required` parameters: more
 * positionals than `names` raise Python's `f() takes from m to n positional arguments` TypeError
 * (`self` counts a bound method's receiver, as Python's message does).
 */
export const bindCall = (
  fn: string,
  args: ReadonlyArray<unknown>,
  names: ReadonlyArray<string>,
  required: number,
  self = 0,
): Record<string, unknown> => {
  const positional = args.length > 0 && isKwargs(args[args.length - 1]) ? args.length - 1 : args.length
  if (positional + required > names.length) {
    const [lo, hi, got] = [required + self, names.length + self, positional + required + self]
    throw new TorchTypeError(`${fn}() takes from ${lo} to ${hi} positional arguments but ${got} were given`)
  }
  return parseArgs(fn, args, names.slice(required))
}

/**
 * A flag the autograd engine receives as a C `bool` (CPython's `b` format): a bool or an integer
 * (0 is false); anything else is PyTorch's TypeError (`'str' object cannot be interpreted as an
 * integer`). A number tensor converts as its integer index would; omitted (`undefined`) gives `dflt`.
 */
export const engineFlag = (u: unknown, dflt: boolean): boolean => {
  if (u === undefined) return dflt
  if (typeof u === 'boolean') return u
  if (typeof u === 'number' && Number.isInteger(u)) return u !== 0
  if (u instanceof Tensor && u.numel() === 1 && !u.is_floating_point() && !u.is_complex()) return u.is_nonzero()
  throw new TorchTypeError(`'${argTypeName(u)}' object cannot be interpreted as an integer`)
}

/**
 * `retain_graph` and `create_graph` as the engine reads them, in PyTorch's order: `retain_graph`
 * None (null or omitted) means `create_graph`.
 */
export const engineFlags = (
  retain: unknown,
  create: unknown,
): { readonly retain_graph: boolean; readonly create_graph: boolean } => {
  const r = retain === null || retain === undefined ? null : engineFlag(retain, false)
  const create_graph = engineFlag(create, false)
  return { retain_graph: r ?? create_graph, create_graph }
}

/**
 * The `inputs` of a backward: None gives undefined; a tensor or a list of tensors is kept; a number
 * or bool is Python's `object of type 'int' has no len()`.
 */
export const backwardInputs = (u: unknown): Tensor | ReadonlyArray<Tensor> | undefined => {
  if (u === null || u === undefined) return undefined
  if (u instanceof Tensor) return u
  if (Array.isArray(u)) {
    for (const t of u as ReadonlyArray<unknown>)
      if (!(t instanceof Tensor))
        throw new TorchTypeError(`backward(): 'inputs' must hold tensors, got ${argTypeName(t)}`)
    return u as ReadonlyArray<Tensor>
  }
  throw new TorchTypeError(`object of type '${argTypeName(u)}' has no len()`)
}
