/**
 * Python's names for JavaScript values, as PyTorch's argument errors print them (`str`, `int`,
 * `float`, `NoneType`, `list`, `dict`, a tensor's legacy type), and the check the function forms
 * (`torch.abs(x)`, …) make of their `input` before they call the method: PyTorch's TypeError for a
 * missing or non-tensor input, and the numbers PyTorch's argument parser takes as tensors for
 * `add`/`sub`/`mul`/`div` and their aliases (a 0-d tensor of the dtype the op computes in).
 *
 * @category torch
 * @since 0.2.0
 */
import { TorchTypeError } from './errors'
import { Tensor } from './tensor'
import { resultType } from './ops/convert'
import { tensor } from './creation'
import { get_default_dtype } from './dtype'

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

// PyTorch's argument parser binds a Python number to a Tensor parameter for these ops only
const NUMBERS_AS_TENSORS = new Set([
  'add',
  'sub',
  'subtract',
  'mul',
  'multiply',
  'div',
  'divide',
  'true_divide',
  'floor_divide',
])

/** The `input` of a function form `torch.<fn>(input, ...rest)`: a tensor, or PyTorch's TypeError. */
export const tensorInput = (fn: string, args: ReadonlyArray<unknown>): Tensor => {
  if (args.length === 0) throw new TorchTypeError(`${fn}() missing 1 required positional arguments: "input"`)
  const u = args[0]
  if (u instanceof Tensor) return u
  if ((typeof u === 'number' || typeof u === 'boolean') && NUMBERS_AS_TENSORS.has(fn)) {
    const other = args[1]
    // a 0-d tensor of the dtype the op computes in, so promotion is as for the number itself
    const dtype = other instanceof Tensor ? resultType([other, u]) : get_default_dtype()
    return tensor(Number(u), { dtype })
  }
  return requireTensor(fn, 'input', u)
}
