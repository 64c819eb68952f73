/**
 * Python's names for JavaScript values, as PyTorch's argument errors print them, and the check
 * that an argument is a tensor (with few imports, so the op recording helpers can use it).
 *
 * @category torch
 * @since 0.2.0
 */
import { TorchTypeError } from './errors'
import { Tensor } from './tensor'

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
