/**
 * PyTorch's memory formats (`torch.preserve_format`, `torch.contiguous_format`,
 * `torch.channels_last`, `torch.channels_last_3d`) and the strides `clone` and `contiguous` give
 * their results. The facade stores values densely and keeps strides as metadata (they decide
 * `is_contiguous()`, `view()`'s refusal and which gradients become `.grad` as is), so a format is
 * a choice of strides: `preserve_format` keeps a dense input's strides (else the dense layout in
 * the input's dimension order, PyTorch's `infer_dense_strides`), `contiguous_format` the row-major
 * ones. The channels-last formats are not supported: asking for one raises.
 *
 * @category torch
 * @since 0.2.0
 */
import { pyTypeName } from './pyType'
import { preservedStrides } from './autograd/iterLayout'
import { NotImplementedError, RuntimeError, TorchTypeError } from './errors'
import type { Tensor } from './tensor'

/** A `torch.memory_format` value (its class is not exported: PyTorch's type cannot be instantiated). */
class MemoryFormatValue {
  constructor(readonly name: string) {}
  /** `torch.<name>`, as Python prints it. */
  toString(): string {
    return `torch.${this.name}`
  }
  /** `torch.<name>`, as Python prints it. */
  __repr__(): string {
    return this.toString()
  }
}

/** A `torch.memory_format` value. @category torch @since 0.2.0 */
export interface memory_format {
  /** The format's name (`preserve_format`, …). */
  readonly name: string
  /** `torch.<name>`, as Python prints it. */
  toString(): string
  /** `torch.<name>`, as Python prints it. */
  __repr__(): string
}

/**
 * `torch.memory_format`, the type of the formats: `x instanceof torch.memory_format` tests for one;
 * calling it (with or without `new`) raises PyTorch's TypeError, as the type cannot be instantiated.
 * @example
 * import * as torch from 'wengert/torch'
 * assert.ok(torch.preserve_format instanceof torch.memory_format)
 * assert.throws(() => (torch.memory_format as unknown as () => void)(), /cannot create 'torch.memory_format' instances/)
 * @category torch
 * @since 0.2.0
 */
export const memory_format = Object.assign(
  function memory_format(): never {
    throw new TorchTypeError("cannot create 'torch.memory_format' instances")
  },
  { prototype: MemoryFormatValue.prototype },
) as unknown as { readonly prototype: memory_format; new (): never }

/**
 * `torch.preserve_format`: a copy keeps its input's strides where they are dense (the default of
 * `clone`).
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.zeros(2, 3, 4).permute(2, 0, 1)
 * assert.deepStrictEqual(x.clone({ memory_format: torch.preserve_format }).stride(), [1, 12, 4])
 * assert.deepStrictEqual(x.clone({ memory_format: torch.contiguous_format }).stride(), [6, 3, 1])
 * assert.strictEqual(String(torch.preserve_format), 'torch.preserve_format')
 * @category torch
 * @since 0.2.0
 */
export const preserve_format: memory_format = new MemoryFormatValue('preserve_format')
/** `torch.contiguous_format`: row-major strides (see {@link preserve_format}). @category torch @since 0.2.0 */
export const contiguous_format: memory_format = new MemoryFormatValue('contiguous_format')
/** `torch.channels_last`: not supported by wengert (asking for it raises). @category torch @since 0.2.0 */
export const channels_last: memory_format = new MemoryFormatValue('channels_last')
/** `torch.channels_last_3d`: not supported by wengert (asking for it raises). @category torch @since 0.2.0 */
export const channels_last_3d: memory_format = new MemoryFormatValue('channels_last_3d')

const typeName = pyTypeName

/**
 * The memory format an op named `fn` was given (`preserve_format` when none): a TypeError for
 * something else, NotImplementedError for the channels-last formats.
 */
export const checkMemoryFormat = (fn: string, v: unknown): memory_format => {
  if (v === undefined) return preserve_format
  if (!(v instanceof memory_format))
    throw new TorchTypeError(`${fn}(): argument 'memory_format' must be torch.memory_format, not ${typeName(v)}`)
  if (v === channels_last || v === channels_last_3d)
    throw new NotImplementedError(
      `${fn}(): memory_format=${v.name} is not supported by wengert (only torch.contiguous_format and torch.preserve_format)`,
    )
  return v
}

/** `contiguous(memory_format=…)`: only the contiguous format (PyTorch refuses preserve_format there). */
export const checkContiguousFormat = (v: unknown): void => {
  const f = checkMemoryFormat('contiguous', v ?? contiguous_format)
  if (f === preserve_format) throw new RuntimeError('preserve memory format is unsupported by the contiguous operator')
}

/**
 * The strides of a copy of `t` in format `f`: for `preserve_format` those of `t` where it is
 * non-overlapping and dense, else dense in `t`'s dimension order (null: the row-major ones).
 */
export const copyStrides = (t: Tensor, f: memory_format): number[] | null =>
  f === preserve_format ? preservedStrides({ shape: t._value().shape, strides: t._strides }) : null
