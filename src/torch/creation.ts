/**
 * Tensor creation with PyTorch's signatures: sizes as varargs or one list, keyword options
 * (`dtype`, `requires_grad`) as a trailing object. `torch.tensor` of JS numbers is float32 (JS
 * has one number type) unless a dtype is given; integer tensors come from bigints (`[1n, 2n]` is
 * int64), integer typed arrays, `dtype: torch.int64`, `.long()`, `randint`, `argmax` and `arange`
 * of integers.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(String(torch.zeros(2, 2)), 'tensor([[0., 0.],\n        [0., 0.]])')
 * assert.strictEqual(String(torch.arange(3)), 'tensor([0, 1, 2])')
 * assert.strictEqual(String(torch.tensor([1, 2], { dtype: torch.float64 })), 'tensor([1., 2.], dtype=torch.float64)')
 * @category torch
 * @since 0.1.0
 */
import { array, eye as eyeArr, full as fullArr } from '../ndarray/create'
import { linspaceValues } from './linspace'
import { NdArray } from '../ndarray/NdArray'
import { bool, fromStorage, get_default_dtype, int64, type TorchDType } from './dtype'
import { factoryDevice, META, type device } from './device'
import { metaArray } from './meta'
import type { DType } from '../ndarray/dtype'
import { RuntimeError, TorchTypeError } from './errors'
import { isKwargs } from './kwargs'
import { type Generator } from './generator'
import { sampleIntegers, sampleNormal, samplePermutation, sampleUniform } from './sampling'
import { Tensor, plainData, type TensorData } from './tensor'
import { overloads, requireInput } from './pyTypeName'
import { warn } from './warnings'
import { readTensorData } from './tensorData'
import { requireTensorArgs } from './pyTypeName'

/** Keyword options of factories. */
export interface FactoryKw {
  readonly dtype?: TorchDType
  readonly requires_grad?: boolean
  /** Where the tensor lives: the CPU (`'cpu'`, `torch.device('cpu')`, null); CUDA and others raise PyTorch's errors. */
  readonly device?: string | device | null
  /** The random stream of a sampling factory (`rand`, `randn`, `randint`, `randperm`); default the global one. */
  readonly generator?: Generator | null
}

/** Sizes (varargs or one list) followed by optional keyword options. */
export type SizeArgs =
  | ReadonlyArray<number>
  | [...ReadonlyArray<number>, FactoryKw]
  | [ReadonlyArray<number>]
  | [ReadonlyArray<number>, FactoryKw]

const splitSizeArgs = (args: ReadonlyArray<unknown>): [number[], FactoryKw] => {
  let kw: FactoryKw = {}
  let rest = args
  if (rest.length > 0 && isKwargs(rest[rest.length - 1])) {
    kw = rest[rest.length - 1] as FactoryKw
    rest = rest.slice(0, -1)
  }
  const sizes = rest.length === 1 && Array.isArray(rest[0]) ? [...(rest[0] as number[])] : (rest as number[])
  for (const s of sizes) {
    if (typeof s !== 'number' || !Number.isInteger(s))
      throw new TorchTypeError(`expected a sequence of integers as size, but got ${String(s)}`)
    if (s < 0) throw new RuntimeError(`Trying to create tensor with negative dimension ${s}: [${sizes.join(', ')}]`)
  }
  return [sizes, kw]
}

/**
 * A fresh leaf (factories' `requires_grad`) on the device asked for (default: the default device):
 * on the meta device its aval, without calling `make` (no data is made and no random number drawn).
 */
const leafOf = (kw: FactoryKw, dev: device, shape: ReadonlyArray<number>, dtype: DType, make: () => NdArray): Tensor =>
  markLeaf(dev === META ? metaArray(shape, dtype) : make(), kw)

/** A fresh leaf holding `v` (a meta tensor of its aval on the meta device). */
const leaf = (v: NdArray, kw: FactoryKw): Tensor =>
  markLeaf(factoryDevice(kw.device) === META ? metaArray(v.shape, v.dtype) : v, kw)

/** Marks a fresh tensor as a leaf requiring grad (factories' `requires_grad`). */
const markLeaf = (v: NdArray, kw: FactoryKw): Tensor => {
  const t = Tensor._fromValue(v)
  if (kw.requires_grad === true) {
    if (!fromStorage(v.dtype).is_floating_point)
      throw new RuntimeError('Only Tensors of floating point and complex dtype can require gradients')
    t._flag = true
  }
  return t
}

/**
 * A new leaf tensor holding a copy of `data` (nested arrays, numbers, bigints, booleans, typed arrays,
 * tensors, NdArrays). JS numbers give the default float dtype; bigints give int64 and typed arrays
 * keep their element type (see `tensorData.ts`).
 * @category torch @since 0.1.0
 */
export const tensor = (data: TensorData, kw: FactoryKw = {}): Tensor => {
  if (data instanceof Tensor) {
    warn(
      'To copy construct from a tensor, it is recommended to use sourceTensor.clone().detach() or sourceTensor.clone().detach().requires_grad_(True), rather than torch.tensor(sourceTensor).',
    )
  }
  const read = readTensorData(plainData(data), get_default_dtype().storage)
  const dt = kw.dtype?.storage ?? read.dtype
  const opts = dt === undefined ? {} : { dtype: dt }
  return leaf(array(read.data, opts), kw)
}

/** Like `tensor`, but reuses tensors and NdArrays without copying when the dtype matches. @category torch @since 0.1.0 */
export const as_tensor = (data: TensorData, kw: { readonly dtype?: TorchDType } = {}): Tensor => {
  if (data instanceof Tensor) return kw.dtype === undefined || kw.dtype === data.dtype ? data : data.to(kw.dtype)
  if (data instanceof NdArray && (kw.dtype === undefined || kw.dtype.storage === data.dtype))
    return Tensor._fromValue(data)
  return tensor(data, kw)
}

/** Wraps a wengert NdArray (PyTorch's `from_numpy`; no copy: arrays are immutable). @category torch @since 0.1.0 */
export const from_numpy = (a: NdArray): Tensor => Tensor._fromValue(a)

const fill = (args: ReadonlyArray<unknown>, value: number): Tensor => {
  const [sizes, kw] = splitSizeArgs(args)
  const dtype = (kw.dtype ?? get_default_dtype()).storage
  return leafOf(kw, factoryDevice(kw.device), sizes, dtype, () => fullArr(sizes, value, { dtype }))
}

/** Zeros of the given size: `zeros(2, 3)` or `zeros([2, 3], { dtype })`. @category torch @since 0.1.0 */
export const zeros = (...args: SizeArgs): Tensor => fill(args, 0)
/** Ones of the given size. @category torch @since 0.1.0 */
export const ones = (...args: SizeArgs): Tensor => fill(args, 1)
/** Uninitialised memory in PyTorch; zeros here. @category torch @since 0.1.0 */
export const empty = (...args: SizeArgs): Tensor => fill(args, 0)

/** `size` filled with `fill_value` (dtype inferred: float → default, integer → int64, boolean → bool). @category torch @since 0.1.0 */
export const full = (size: ReadonlyArray<number>, fill_value: number | boolean, kw: FactoryKw = {}): Tensor => {
  const dt =
    kw.dtype ?? (typeof fill_value === 'boolean' ? bool : Number.isInteger(fill_value) ? int64 : get_default_dtype())
  const [sizes] = splitSizeArgs([size])
  return leafOf(kw, factoryDevice(kw.device), sizes, dt.storage, () =>
    fullArr(sizes, castFill(fill_value, dt), { dtype: dt.storage }),
  )
}

/** A fill value converted to `dt` as PyTorch does (bool: nonzero; integers: truncated). */
const castFill = (v: number | boolean, dt: TorchDType): number =>
  dt === bool ? Number(Boolean(v)) : dt.is_floating_point ? Number(v) : Math.trunc(Number(v))

const like = (fn: string, t: Tensor, value: number, kw: FactoryKw): Tensor => {
  requireInput(fn, t)
  const dt = kw.dtype ?? t.dtype
  const shape = t._value().shape
  // a `_like` factory without `device` follows its input's device (a meta input gives a meta result)
  const dev = kw.device === undefined || kw.device === null ? t.device : factoryDevice(kw.device)
  return leafOf(kw, dev, shape, dt.storage, () => fullArr(shape, castFill(value, dt), { dtype: dt.storage }))
}
/** Zeros shaped like `t`. @category torch @since 0.1.0 */
export const zeros_like = (t: Tensor, kw: FactoryKw = {}): Tensor => like('zeros_like', t, 0, kw)
/** Ones shaped like `t`. @category torch @since 0.1.0 */
export const ones_like = (t: Tensor, kw: FactoryKw = {}): Tensor => like('ones_like', t, 1, kw)
/** Zeros shaped like `t` (PyTorch: uninitialised). @category torch @since 0.1.0 */
export const empty_like = (t: Tensor, kw: FactoryKw = {}): Tensor => like('empty_like', t, 0, kw)
/** `fill_value` shaped like `t`. @category torch @since 0.1.0 */
export const full_like = (t: Tensor, fill_value: number, kw: FactoryKw = {}): Tensor =>
  like('full_like', t, fill_value, kw)

/** Keyword arguments of {@link arange}: the factory keywords and `start`, `end`, `step`. @category torch @since 0.6.0 */
export type ArangeKw = FactoryKw & {
  readonly start?: number
  readonly end?: number
  readonly step?: number
}

// PyTorch 2.x's signatures of torch.arange
const FACTORY_KW =
  'torch.dtype dtype = None, torch.layout layout = None, torch.device device = None, bool pin_memory = False, bool requires_grad = False'
const ARANGE = overloads('arange', [
  `(Number end, *, Tensor out = None, ${FACTORY_KW})`,
  `(Number start, Number end, *, ${FACTORY_KW})`,
  `(Number start, Number end, Number step = 1, *, Tensor out = None, ${FACTORY_KW})`,
])

/**
 * `arange(end)`, `arange(start, end, step?)`: int64 when all arguments are integers, else the
 * default float dtype. `start`, `end` and `step` may come by keyword (`arange({ end: 5 })`).
 * @category torch @since 0.1.0
 */
export const arange = (...args: ReadonlyArray<number> | [...ReadonlyArray<number>, ArangeKw]): Tensor => {
  ARANGE(args)
  let all: ArangeKw = {}
  let nums = args as number[]
  if (args.length > 0 && isKwargs(args[args.length - 1])) {
    all = args[args.length - 1] as ArangeKw
    nums = args.slice(0, -1) as number[]
  }
  const { start: kStart, end: kEnd, step: kStep, ...kw } = all
  const [start, end, step] =
    nums.length === 1 && kEnd === undefined
      ? [0, nums[0] as number, 1]
      : [nums[0] ?? kStart ?? 0, (nums[1] ?? kEnd) as number, nums[2] ?? kStep ?? 1]
  if (step === 0) throw new RuntimeError('step must be nonzero')
  if ((step > 0 && end < start) || (step < 0 && end > start))
    throw new RuntimeError('upper bound and larger bound inconsistent with step sign')
  const dt = kw.dtype ?? ([start, end, step].every(Number.isInteger) ? int64 : get_default_dtype())
  const n = Math.max(0, Math.ceil((end - start) / step))
  const vals = Array.from({ length: n }, (_, i) => start + i * step)
  return leaf(array(vals, { dtype: dt.storage, shape: [n] }), kw)
}

/**
 * `steps` evenly spaced values from start to end inclusive, rounded as PyTorch's CPU kernel
 * rounds them (the first half counted from `start`, the second from `end`). @category torch @since 0.1.0
 */
export const linspace = (start: number, end: number, steps: number, kw: FactoryKw = {}): Tensor =>
  leaf(linspaceValues(start, end, steps, (kw.dtype ?? get_default_dtype()).storage), kw)

/** The n×m identity. @category torch @since 0.1.0 */
export const eye = (n: number, m?: number | FactoryKw, kw: FactoryKw = {}): Tensor => {
  const k = typeof m === 'object' ? m : kw
  const cols = typeof m === 'number' ? m : n
  return leaf(eyeArr(n, cols, { dtype: (k.dtype ?? get_default_dtype()).storage }), k)
}

const floatStorage = (kw: FactoryKw): 'float32' | 'float64' =>
  (kw.dtype ?? get_default_dtype()).storage === 'float64' ? 'float64' : 'float32'

/** Uniform samples in [0, 1). @category torch @since 0.1.0 */
export const rand = (...args: SizeArgs): Tensor => {
  const [sizes, kw] = splitSizeArgs(args)
  const dt = floatStorage(kw)
  return leafOf(kw, factoryDevice(kw.device), sizes, dt, () => sampleUniform(kw.generator, sizes, dt))
}
/** Standard normal samples. @category torch @since 0.1.0 */
export const randn = (...args: SizeArgs): Tensor => {
  const [sizes, kw] = splitSizeArgs(args)
  const dt = floatStorage(kw)
  return leafOf(kw, factoryDevice(kw.device), sizes, dt, () => sampleNormal(kw.generator, sizes, dt))
}
/** PyTorch's error for sampling floats into an integer or bool dtype. */
const needFloat = (kernel: string, dt: TorchDType): void => {
  if (!dt.is_floating_point) throw new RuntimeError(`"${kernel}" not implemented for '${dt.word}'`)
}
/** Uniform samples shaped like `t`. @category torch @since 0.1.0 */
export const rand_like = (t: Tensor, kw: FactoryKw = {}): Tensor => {
  requireTensorArgs('rand_like', ['input'], [t])
  needFloat('check_uniform_bounds', kw.dtype ?? t.dtype)
  return rand([...t.shape], {
    dtype: kw.dtype ?? t.dtype,
    device: kw.device ?? t.device,
    ...(kw.requires_grad === undefined ? {} : { requires_grad: kw.requires_grad }),
  })
}
/** Normal samples shaped like `t`. @category torch @since 0.1.0 */
export const randn_like = (t: Tensor, kw: FactoryKw = {}): Tensor => {
  requireTensorArgs('randn_like', ['input'], [t])
  needFloat('normal_kernel_cpu', kw.dtype ?? t.dtype)
  return randn([...t.shape], {
    dtype: kw.dtype ?? t.dtype,
    device: kw.device ?? t.device,
    ...(kw.requires_grad === undefined ? {} : { requires_grad: kw.requires_grad }),
  })
}

/**
 * Random integers in [low, high): `randint(high, size)` or `randint(low, high, size)` (int64).
 * @category torch @since 0.1.0
 */
// PyTorch 2.x's signatures of torch.randint
const RANDINT = overloads('randint', [
  '(int high, tuple of ints size, *, torch.Generator generator = None, Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, torch.device device = None, bool pin_memory = False, bool requires_grad = False)',
  '(int low, int high, tuple of ints size, *, torch.Generator generator = None, Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, torch.device device = None, bool pin_memory = False, bool requires_grad = False)',
])
export const randint = (
  ...args:
    | [number, ReadonlyArray<number>]
    | [number, number, ReadonlyArray<number>]
    | [number, ReadonlyArray<number>, RandintKw]
    | [number, number, ReadonlyArray<number>, RandintKw]
    | [number, number, RandintKw & { readonly size: ReadonlyArray<number> }]
    | [number, RandintKw & { readonly size: ReadonlyArray<number> }]
    | [RandintKw & { readonly high: number; readonly size: ReadonlyArray<number> }]
): Tensor => {
  RANDINT(args)
  const [low, high, size, kw] = randintArgs(args)
  if (high <= low)
    throw new RuntimeError(`random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`)
  const dt = (kw.dtype ?? int64).storage
  return leafOf(kw, factoryDevice(kw.device), size, dt, () =>
    array(sampleIntegers(kw.generator, size, low, high), { dtype: dt, shape: size }),
  )
}

/** randint's keywords: the factory ones plus `low`, `high` and `size` by name. */
/** Keyword arguments of {@link randint}: the factory keywords and `low`, `high`, `size`. @category torch @since 0.2.0 */
export type RandintKw = FactoryKw & {
  readonly low?: number
  readonly high?: number
  readonly size?: ReadonlyArray<number>
}

/**
 * randint's `(low, high, size)` from a call its signatures admit (checked first): positionals fill
 * the parameters in order, `low`/`high`/`size` may come by keyword (`randint(1, 5, size=(2, 3))`).
 */
const randintArgs = (args: ReadonlyArray<unknown>): [number, number, number[], FactoryKw] => {
  let pos = args
  let kw: RandintKw = {}
  if (isKwargs(pos[pos.length - 1])) {
    kw = pos[pos.length - 1] as RandintKw
    pos = pos.slice(0, -1)
  }
  const { low: kLow, high: kHigh, size: kSize, ...factory } = kw
  const nums = pos.filter((a): a is number => typeof a === 'number')
  const size = [...((kSize ?? pos.find((a) => Array.isArray(a))) as number[])]
  const wantsLow = kLow !== undefined || nums.length === 2 || (nums.length === 1 && kHigh !== undefined)
  const low = kLow ?? (wantsLow ? (nums[0] as number) : 0)
  const high = kHigh ?? (nums[wantsLow && kLow === undefined ? 1 : 0] as number)
  return [low, high, size, factory]
}

/** A random permutation of 0..n−1 (int64). @category torch @since 0.1.0 */
export const randperm = (n: number, kw: FactoryKw = {}): Tensor =>
  leaf(array(samplePermutation(kw.generator, n), { dtype: (kw.dtype ?? int64).storage }), kw)

/**
 * Random integers in [low, high) shaped like `input`, in `input`'s dtype unless `dtype` is given:
 * `randint_like(input, high)` or `randint_like(input, low, high)` (PyTorch's `random_(low, high)`
 * stream, so a seed gives PyTorch's values).
 * @example
 * import * as torch from 'wengert/torch'
 * const r = torch.randint_like(torch.zeros(2, 3), 2, 5)
 * assert.deepStrictEqual([...r.shape], [2, 3])
 * assert.ok((r.tolist() as number[][]).flat().every((v) => v >= 2 && v < 5 && Number.isInteger(v)))
 * @category torch
 * @since 0.2.0
 */
export const randint_like = (input: Tensor, ...args: Array<number | FactoryKw>): Tensor => {
  const kw = (isKwargs(args[args.length - 1]) ? args.pop() : {}) as FactoryKw
  const nums = args as number[]
  if (nums.length < 1 || nums.length > 2 || nums.some((x) => typeof x !== 'number'))
    throw new TorchTypeError('randint_like() expects (input, high) or (input, low, high)')
  const [low, high] = nums.length === 1 ? [0, nums[0] as number] : [nums[0] as number, nums[1] as number]
  if (high <= low)
    throw new RuntimeError(`random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`)
  const v = sampleIntegers(kw.generator, [...input.shape], low, high)
  return leaf(array(v, { dtype: (kw.dtype ?? input.dtype).storage, shape: [...input.shape] }), kw)
}
