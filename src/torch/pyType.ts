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
  overloads,
  pyTypeName,
  signature,
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
  hypot: ['other', 'Tensor'],
  atan2: ['other', 'Tensor'],
  arctan2: ['other', 'Tensor'],
  logaddexp: ['other', 'Tensor'],
  logaddexp2: ['other', 'Tensor'],
  maximum: ['other', 'Tensor'],
  minimum: ['other', 'Tensor'],
  fmax: ['other', 'Tensor'],
  fmin: ['other', 'Tensor'],
  masked_select: ['mask', 'Tensor'],
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

// function forms checked against PyTorch 2.x's signatures (one, or an overloaded function's list)
const FORM_SIGNATURES: Readonly<Record<string, string | ReadonlyArray<string>>> = {
  masked_scatter: '(Tensor input, Tensor mask, Tensor source)',
  float_power: [
    '(Tensor input, Tensor exponent, *, Tensor out = None)',
    '(Number self, Tensor exponent, *, Tensor out = None)',
    '(Tensor input, Number exponent, *, Tensor out = None)',
  ],
}
const formChecks = new Map<string, (args: ReadonlyArray<unknown>) => void>()
/** The signature check of `torch.<fn>`, built on first use. */
const formCheck = (fn: string): ((args: ReadonlyArray<unknown>) => void) | undefined => {
  const sig = FORM_SIGNATURES[fn]
  if (sig === undefined) return undefined
  let check = formChecks.get(fn)
  if (check === undefined) {
    check = typeof sig === 'string' ? signature(fn, sig) : overloads(fn, sig)
    formChecks.set(fn, check)
  }
  return check
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
export const hasSecondArgCheck = (fn: string): boolean =>
  SECOND_ARGS[fn] !== undefined || FORM_SIGNATURES[fn] !== undefined

/** The check of `torch.<fn>(input, ...)`'s arguments after the input (see {@link hasSecondArgCheck}). */
export const checkSecondArg = (fn: string, args: ReadonlyArray<unknown>): void => {
  formCheck(fn)?.(args)
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
