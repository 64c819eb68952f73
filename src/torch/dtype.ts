/**
 * PyTorch dtypes over wengert's storage dtypes. `int64` (PyTorch's default integer type, used for
 * labels, indices, counts and seeds) is wengert's int64: integers held exactly in float64 up to
 * ±(2⁵³ − 1), results checked, OverflowError beyond (never a silent wrap). See `DType` in
 * src/ndarray/dtype.ts for why float64 and not BigInt64Array.
 *
 * @category torch
 * @since 0.1.0
 */
import { promoteTypes, type DType } from '../ndarray/dtype'

/** A PyTorch dtype: its name, its storage dtype and its legacy tensor type name. */
export class TorchDType {
  /** @internal */
  constructor(
    /** PyTorch's name without the `torch.` prefix. */
    readonly name: 'float32' | 'float64' | 'int32' | 'int64' | 'int16' | 'int8' | 'uint8' | 'bool',
    /** The NdArray dtype holding the values. */
    readonly storage: DType,
    /** PyTorch's legacy type name, as its error messages print it (`torch.FloatTensor`). */
    readonly typeName: string,
  ) {}
  /** False: the complex dtypes are objects of their own (./dtypeUnsupported.ts). */
  get is_complex(): boolean {
    return false
  }
  /** True for float32 and float64. */
  get is_floating_point(): boolean {
    return this.storage === 'float32' || this.storage === 'float64'
  }
  /** Bytes per element, as PyTorch reports (int64: 8). */
  get itemsize(): number {
    return ITEMSIZE[this.name]
  }
  /** PyTorch's scalar-type word in messages (`Float`, `Long`, `Byte`): the legacy type name's stem. */
  get word(): string {
    return this.typeName.slice('torch.'.length, -'Tensor'.length)
  }
  /** The C type name some PyTorch messages print (`float`, `long int`, `unsigned char`). */
  get cName(): string {
    return C_NAME[this.name]
  }
  /** True for signed types (floats and int8/16/32/64; not uint8 or bool), as PyTorch's `is_signed`. */
  get is_signed(): boolean {
    return this.name !== 'uint8' && this.name !== 'bool'
  }
  toString(): string {
    return `torch.${this.name}`
  }
}

const C_NAME: { readonly [K in TorchDType['name']]: string } = {
  float32: 'float',
  float64: 'double',
  int64: 'long int',
  int32: 'int',
  int16: 'short int',
  int8: 'signed char',
  uint8: 'unsigned char',
  bool: 'bool',
}

const ITEMSIZE: { readonly [K in TorchDType['name']]: number } = {
  float32: 4,
  float64: 8,
  int64: 8,
  int32: 4,
  int16: 2,
  int8: 1,
  uint8: 1,
  bool: 1,
}

/** 32-bit float, the default dtype. @category torch @since 0.1.0 */
export const float32 = new TorchDType('float32', 'float32', 'torch.FloatTensor')
/** 64-bit float. @category torch @since 0.1.0 */
export const float64 = new TorchDType('float64', 'float64', 'torch.DoubleTensor')
/**
 * 64-bit integer, exact to ±(2⁵³ − 1) (stored in float64; OverflowError beyond).
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const t = torch.tensor(2 ** 40, { dtype: torch.int64 })
 * assert.strictEqual(t.mul(3).item(), 3 * 2 ** 40)
 * assert.strictEqual(String(t), 'tensor(1099511627776)')
 * @category torch
 * @since 0.1.0
 */
export const int64 = new TorchDType('int64', 'int64', 'torch.LongTensor')
/**
 * 32-bit integer (`torch.int`); arithmetic wraps modulo 2³² as PyTorch's does.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const t = torch.tensor([1, 2], { dtype: torch.int32 })
 * assert.strictEqual(t.add(t).dtype, torch.int32)
 * assert.strictEqual(t.add(torch.tensor([1], { dtype: torch.int64 })).dtype, torch.int64)
 * @category torch
 * @since 0.2.0
 */
export const int32 = new TorchDType('int32', 'int32', 'torch.IntTensor')
/** 16-bit integer (`torch.short`); arithmetic wraps modulo 2¹⁶ as PyTorch's does. @category torch @since 0.2.0 */
export const int16 = new TorchDType('int16', 'int16', 'torch.ShortTensor')
/** 8-bit integer; arithmetic wraps modulo 2⁸ as PyTorch's does. @category torch @since 0.2.0 */
export const int8 = new TorchDType('int8', 'int8', 'torch.CharTensor')
/**
 * Unsigned 8-bit integer (images, byte masks); arithmetic wraps modulo 2⁸ as PyTorch's does.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const img = torch.tensor([[0, 128, 255]], { dtype: torch.uint8 })
 * assert.strictEqual(img.add(1).dtype, torch.uint8)
 * assert.deepStrictEqual(img.add(1).tolist(), [[1, 129, 0]])
 * assert.deepStrictEqual(img.double().div(255).tolist(), [[0, 128 / 255, 1]])
 * assert.strictEqual(String(img), 'tensor([[  0, 128, 255]], dtype=torch.uint8)')
 * @category torch
 * @since 0.2.0
 */
export const uint8 = new TorchDType('uint8', 'uint8', 'torch.ByteTensor')
/** Boolean. @category torch @since 0.1.0 */
export const bool = new TorchDType('bool', 'bool', 'torch.BoolTensor')

const BY_STORAGE: { readonly [K in DType]: TorchDType } = {
  float32,
  float64,
  int64,
  int32,
  int16,
  int8,
  uint8,
  bool,
}

/** The torch dtype of a storage dtype. */
export const fromStorage = (d: DType): TorchDType => BY_STORAGE[d]

/**
 * PyTorch's promotion of two tensors' dtypes: bool < uint8 < int8 < int16 < int32 < int64 <
 * float32 < float64, except that uint8 with int8 gives int16 (the storage lattice's rule).
 */
export const promote = (a: TorchDType, b: TorchDType): TorchDType => fromStorage(promoteTypes(a.storage, b.storage))

/** The default float dtype (`torch.get_default_dtype()`). */
let defaultDtype: TorchDType = float32
/** PyTorch's `torch.get_default_dtype()`. @category torch @since 0.1.0 */
export const get_default_dtype = (): TorchDType => defaultDtype
/** PyTorch's `torch.set_default_dtype(d)` (float32 or float64). @category torch @since 0.1.0 */
export const set_default_dtype = (d: TorchDType): void => {
  if (!d.is_floating_point) throw new TypeError(`only floating-point types are supported as the default type`)
  defaultDtype = d
}
