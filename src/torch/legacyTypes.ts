/**
 * PyTorch's legacy tensor types (`torch.FloatTensor`, `torch.LongTensor`, …), which older code
 * still calls to make tensors, passes to `Tensor.type` and tests with `instanceof`. Each is a
 * callable (with or without `new`): `LongTensor([1, 2])` copies data into that dtype,
 * `FloatTensor(2, 3)` makes a tensor of that size (zeros here: PyTorch leaves it uninitialised),
 * `FloatTensor()` is empty. `x instanceof torch.FloatTensor` is true for float32 tensors.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const ids = torch.LongTensor([1, 2, 3])
 * assert.strictEqual(ids.dtype, torch.int64)
 * assert.deepStrictEqual([...torch.FloatTensor(2, 3).shape], [2, 3])
 * assert.ok(ids instanceof torch.LongTensor)
 * assert.ok(!(ids instanceof torch.FloatTensor))
 * assert.strictEqual(torch.randn(2).type(torch.DoubleTensor).dtype, torch.float64)
 * assert.strictEqual(torch.randn(2).type('torch.LongTensor').dtype, torch.int64)
 * @category torch
 * @since 0.2.0
 */
import { array, zeros } from '../ndarray/create'
import { bool, float32, float64, int16, int32, int64, int8, uint8, type TorchDType } from './dtype'
import { RuntimeError, TorchTypeError, TorchValueError } from './errors'
import { Tensor, plainData, type TensorData } from './tensor'
import { readTensorData } from './tensorData'

/** A legacy tensor type: callable with or without `new`, and an `instanceof` test on the dtype. */
export interface LegacyTensorType {
  (...args: ReadonlyArray<number> | [TensorData]): Tensor
  new (...args: ReadonlyArray<number> | [TensorData]): Tensor
  /** The dtype of the tensors this type makes. */
  readonly dtype: TorchDType
}

const make = (dtype: TorchDType, args: ReadonlyArray<unknown>): Tensor => {
  const [first] = args
  if (first === undefined) return Tensor._fromValue(zeros([0], { dtype: dtype.storage }))
  if (args.every((a) => typeof a === 'number')) {
    const sizes = args as ReadonlyArray<number>
    const bad = sizes.find((s) => !Number.isInteger(s) || s < 0)
    if (bad !== undefined && Number.isInteger(bad))
      throw new RuntimeError(`Trying to create tensor with negative dimension ${bad}: [${sizes.join(', ')}]`)
    if (bad !== undefined) throw new TorchTypeError(`expected a sequence of integers as size, but got ${bad}`)
    return Tensor._fromValue(zeros(sizes, { dtype: dtype.storage }))
  }
  if (args.length > 1)
    throw new TorchTypeError(`${dtype.typeName}(): expected sizes (integers) or one sequence of data`)
  if (first instanceof Tensor) {
    if (first.dtype !== dtype) throw new TorchTypeError(`expected ${dtype.word} (got ${first.dtype.word})`)
    return first
  }
  const read = readTensorData(plainData(first as TensorData), dtype.storage)
  return Tensor._fromValue(array(read.data, { dtype: dtype.storage }))
}

const legacyType = (dtype: TorchDType): LegacyTensorType => {
  const T = function (...args: ReadonlyArray<unknown>): Tensor {
    return make(dtype, args)
  }
  Object.defineProperty(T, 'name', { value: dtype.typeName.slice('torch.'.length) })
  Object.defineProperty(T, 'dtype', { value: dtype })
  Object.defineProperty(T, Symbol.hasInstance, { value: (x: unknown) => x instanceof Tensor && x.dtype === dtype })
  return T as unknown as LegacyTensorType
}

/** float32 tensors (`torch.FloatTensor`). @category torch @since 0.2.0 */
export const FloatTensor = legacyType(float32)
/** float64 tensors (`torch.DoubleTensor`). @category torch @since 0.2.0 */
export const DoubleTensor = legacyType(float64)
/** int64 tensors (`torch.LongTensor`). @category torch @since 0.2.0 */
export const LongTensor = legacyType(int64)
/** int32 tensors (`torch.IntTensor`). @category torch @since 0.2.0 */
export const IntTensor = legacyType(int32)
/** int16 tensors (`torch.ShortTensor`). @category torch @since 0.2.0 */
export const ShortTensor = legacyType(int16)
/** int8 tensors (`torch.CharTensor`). @category torch @since 0.2.0 */
export const CharTensor = legacyType(int8)
/** uint8 tensors (`torch.ByteTensor`). @category torch @since 0.2.0 */
export const ByteTensor = legacyType(uint8)
/** bool tensors (`torch.BoolTensor`). @category torch @since 0.2.0 */
export const BoolTensor = legacyType(bool)

const LEGACY: ReadonlyArray<LegacyTensorType> = [
  FloatTensor,
  DoubleTensor,
  LongTensor,
  IntTensor,
  ShortTensor,
  CharTensor,
  ByteTensor,
  BoolTensor,
]

/**
 * The dtype `Tensor.type(t)` converts to: a dtype, a legacy type, or a legacy type's name
 * (`'torch.FloatTensor'`); anything else raises PyTorch's ValueError.
 */
export const typeTarget = (t: TorchDType | LegacyTensorType | string): TorchDType => {
  if (typeof t === 'string') {
    const found = LEGACY.find((l) => l.dtype.typeName === t)
    if (found === undefined) throw new TorchValueError(`invalid type: '${t}'`)
    return found.dtype
  }
  return typeof t === 'function' ? t.dtype : t
}
