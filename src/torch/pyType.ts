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
import {
  invalidCombination,
  pyTypeName,
  requireIntArg,
  requireIntsArg,
  requireTensor,
  requireTensorList,
} from './pyTypeName'

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

type SecondArg = readonly [name: string, kind: 'Tensor' | 'tuple of Tensors' | 'int' | 'tuple of ints' | 'overload']
// the second parameter of function forms whose methods read it before checking it (PyTorch's names)
const SECOND_ARGS: Readonly<Record<string, SecondArg>> = {
  equal: ['other', 'Tensor'],
  inner: ['other', 'Tensor'],
  vdot: ['other', 'Tensor'],
  is_same_size: ['other', 'Tensor'],
  ldexp: ['other', 'Tensor'],
  ldexp_: ['other', 'Tensor'],
  nextafter: ['other', 'Tensor'],
  masked_select: ['mask', 'Tensor'],
  masked_scatter: ['mask', 'Tensor'],
  take: ['index', 'Tensor'],
  put: ['index', 'Tensor'],
  take_along_dim: ['indices', 'Tensor'],
  slice_scatter: ['src', 'Tensor'],
  diagonal_scatter: ['src', 'Tensor'],
  index_put: ['indices', 'tuple of Tensors'],
  diag_embed: ['offset', 'int'],
  diagflat: ['offset', 'int'],
  roll: ['shifts', 'tuple of ints'],
  broadcast_to: ['size', 'tuple of ints'],
  movedim: ['source', 'overload'],
  moveaxis: ['source', 'overload'],
  hsplit: ['sections', 'overload'],
  vsplit: ['sections', 'overload'],
  dsplit: ['sections', 'overload'],
  tensor_split: ['sections', 'overload'],
  squeeze: ['dim', 'overload'],
}

const isKwargs = (u: unknown): u is Record<string, unknown> =>
  u !== null && typeof u === 'object' && Object.getPrototypeOf(u) === Object.prototype
const isInts = (u: unknown): boolean =>
  (typeof u === 'number' && Number.isInteger(u)) ||
  (Array.isArray(u) && u.every((d) => typeof d === 'number' && Number.isInteger(d)))

/**
 * PyTorch's argument-parser check of the second parameter of `torch.<fn>(input, x, ...)` (a tensor,
 * a list of tensors, an int or a list of ints), for the function forms whose methods would read a
 * malformed one before checking it. Keyword objects naming the parameter are left to the method.
 */
/** Whether `torch.<fn>` has a second-parameter check (decided once per function form). */
export const hasSecondArgCheck = (fn: string): boolean => SECOND_ARGS[fn] !== undefined

export const checkSecondArg = (fn: string, args: ReadonlyArray<unknown>): void => {
  const spec = SECOND_ARGS[fn]
  const u = args[1]
  if (spec === undefined || u === undefined) return
  const [name, kind] = spec
  if (isKwargs(u) && (name in u || kind === 'overload')) {
    if (kind === 'overload' && !Object.values(u).every((v) => isInts(v) || typeof v === 'boolean'))
      throw invalidCombination(fn, args, [])
    return
  }
  if (kind === 'Tensor') requireTensor(fn, name, u, 2)
  else if (kind === 'tuple of Tensors' && !Array.isArray(u)) requireTensorList(fn, name, u, 2)
  else if (kind === 'int') requireIntArg(fn, name, u, 2)
  else if (kind === 'tuple of ints') requireIntsArg(fn, name, u, 2)
  else if (!isInts(u) && !(fn === 'tensor_split' && u instanceof Tensor)) throw invalidCombination(fn, args, [])
}
