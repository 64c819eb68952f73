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
import { pyTypeName, requireTensor } from './pyTypeName'

export { pyTypeName, requireTensor }
import { resultType } from './ops/convert'
import { tensor } from './creation'
import { get_default_dtype } from './dtype'

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
