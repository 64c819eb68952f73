/**
 * PyTorch dtypes over wengert's storage dtypes. `int64` (PyTorch's default integer type, used for
 * labels, indices, counts and seeds) is wengert's int64: integers held exactly in float64 up to
 * ±(2⁵³ − 1), results checked, OverflowError beyond (never a silent wrap). See `DType` in
 * src/ndarray/dtype.ts for why float64 and not BigInt64Array.
 *
 * @category torch
 * @since 0.1.0
 */
import type { DType } from '../ndarray/dtype'

/** A PyTorch dtype: its name, its storage dtype and its legacy tensor type name. */
export class TorchDType {
  /** @internal */
  constructor(
    /** PyTorch's name without the `torch.` prefix. */
    readonly name: 'float32' | 'float64' | 'int32' | 'int64' | 'bool',
    /** The NdArray dtype holding the values. */
    readonly storage: DType,
    /** PyTorch's legacy type name, as its error messages print it (`torch.FloatTensor`). */
    readonly typeName: string,
  ) {}
  /** True for float32 and float64. */
  get is_floating_point(): boolean {
    return this.storage === 'float32' || this.storage === 'float64'
  }
  /** Bytes per element, as PyTorch reports (int64: 8). */
  get itemsize(): number {
    return this.name === 'float32' || this.name === 'int32' ? 4 : this.name === 'bool' ? 1 : 8
  }
  toString(): string {
    return `torch.${this.name}`
  }
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
/** Boolean. @category torch @since 0.1.0 */
export const bool = new TorchDType('bool', 'bool', 'torch.BoolTensor')

/** The torch dtype of a storage dtype. */
export const fromStorage = (d: DType): TorchDType =>
  d === 'float32' ? float32 : d === 'float64' ? float64 : d === 'int64' ? int64 : d === 'int32' ? int32 : bool

/** PyTorch's promotion: bool < int32 < int64 < float32 < float64. */
export const promote = (a: TorchDType, b: TorchDType): TorchDType => {
  const rank = (d: TorchDType): number => ['bool', 'int32', 'int64', 'float32', 'float64'].indexOf(d.name)
  return rank(a) >= rank(b) ? a : b
}

/** The default float dtype (`torch.get_default_dtype()`). */
let defaultDtype: TorchDType = float32
/** PyTorch's `torch.get_default_dtype()`. @category torch @since 0.1.0 */
export const get_default_dtype = (): TorchDType => defaultDtype
/** PyTorch's `torch.set_default_dtype(d)` (float32 or float64). @category torch @since 0.1.0 */
export const set_default_dtype = (d: TorchDType): void => {
  if (!d.is_floating_point) throw new TypeError(`only floating-point types are supported as the default type`)
  defaultDtype = d
}
