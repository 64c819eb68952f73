/**
 * `torch.nn.functional` forms that forward to other functions as PyTorch's do: the deprecated
 * `upsample`, `upsample_nearest` and `upsample_bilinear` (warn, then `interpolate`; bilinear
 * with `align_corners=True`), the in-place activations `relu_`, `elu_`, `celu_`, `selu_`,
 * `leaky_relu_`, `hardtanh_`, `threshold_`, and the `*_with_indices` pools (the pool with
 * `return_indices=True`).
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import type { NdArray } from '../../ndarray/NdArray'
import { checkInplace, commitInplace, op } from '../autograd/op'
import { keywordForms, parseArgs, type PyArgs } from '../kwargs'
import type { Tensor } from '../tensor'
import { warn } from '../warnings'
import { celu, elu, hardtanh, selu, threshold } from './activation_functional'
import { adaptive_max_pool1d, adaptive_max_pool2d, type AdaptiveSize } from './adaptive'
import type { IntOrTuple } from './convUtils'
import { interpolate, type InterpolateMode } from './interpolate'
import { max_pool1d, max_pool2d, max_pool3d, type MaxPoolKw } from './pool_functional'
import { checkedEntry } from './functionalArgs'

type T = Tensor
type Sizes = number | ReadonlyArray<number> | null

const deprecated = (fn: string): void =>
  warn(`nn.functional.${fn} is deprecated. Use nn.functional.interpolate instead.`)

/** Keyword options of `F.upsample`. */
export interface UpsampleKw {
  readonly size?: Sizes
  readonly scale_factor?: Sizes
  readonly mode?: InterpolateMode
  readonly align_corners?: boolean | null
}

/**
 * Deprecated alias of `interpolate(input, size, scale_factor, mode, align_corners)` (warns).
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * const [y, ws] = torch.warnings.catch_warnings(() => F.upsample(torch.tensor([[[1, 2]]]), { scale_factor: 2 }))
 * assert.deepStrictEqual(y.tolist(), [[[1, 1, 2, 2]]])
 * assert.strictEqual(ws[0]?.message, 'nn.functional.upsample is deprecated. Use nn.functional.interpolate instead.')
 * @category torch @since 0.2.0
 */
export const upsample = checkedEntry(
  'upsample',
  'Tensor input',
  keywordForms(
    'upsample',
    ['input'],
    (
      input: T,
      ...rest: PyArgs<
        [size: Sizes, scale_factor: Sizes, mode: InterpolateMode, align_corners: boolean | null],
        UpsampleKw
      >
    ): T => {
      const a = parseArgs('upsample', rest, ['size', 'scale_factor', 'mode', 'align_corners'])
      deprecated('upsample')
      return interpolate(input, {
        size: (a.size as Sizes | undefined) ?? null,
        scale_factor: (a.scale_factor as Sizes | undefined) ?? null,
        mode: (a.mode as InterpolateMode | undefined) ?? 'nearest',
        align_corners: (a.align_corners as boolean | null | undefined) ?? null,
      })
    },
  ),
)

type SizeArgs = PyArgs<[size: Sizes, scale_factor: Sizes], { readonly size?: Sizes; readonly scale_factor?: Sizes }>

/**
 * Deprecated: nearest-neighbour `interpolate` (warns).
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * const [y] = torch.warnings.catch_warnings(() => F.upsample_nearest(torch.tensor([[[1, 2]]]), 3))
 * assert.deepStrictEqual(y.tolist(), [[[1, 1, 2]]])
 * @category torch @since 0.2.0
 */
export const upsample_nearest = checkedEntry(
  'upsample_nearest',
  'Tensor input',
  keywordForms('upsample_nearest', ['input'], (input: T, ...rest: SizeArgs): T => {
    const a = parseArgs('upsample_nearest', rest, ['size', 'scale_factor'])
    deprecated('upsample_nearest')
    return interpolate(input, {
      size: (a.size as Sizes | undefined) ?? null,
      scale_factor: (a.scale_factor as Sizes | undefined) ?? null,
      mode: 'nearest',
    })
  }),
)

/**
 * Deprecated: bilinear `interpolate` with `align_corners=True` (warns).
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * const [y] = torch.warnings.catch_warnings(() => F.upsample_bilinear(torch.tensor([[[[0, 2]]]]), { size: [1, 3] }))
 * assert.deepStrictEqual(y.tolist(), [[[[0, 1, 2]]]])
 * @category torch @since 0.2.0
 */
export const upsample_bilinear = checkedEntry(
  'upsample_bilinear',
  'Tensor input',
  keywordForms('upsample_bilinear', ['input'], (input: T, ...rest: SizeArgs): T => {
    const a = parseArgs('upsample_bilinear', rest, ['size', 'scale_factor'])
    deprecated('upsample_bilinear')
    return interpolate(input, {
      size: (a.size as Sizes | undefined) ?? null,
      scale_factor: (a.scale_factor as Sizes | undefined) ?? null,
      mode: 'bilinear',
      align_corners: true,
    })
  }),
)

/**
 * In-place `relu`.
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.tensor([-1, 2])
 * torch.nn.functional.relu_(x)
 * assert.deepStrictEqual(x.tolist(), [0, 2])
 * @category torch @since 0.2.0
 */
export const relu_ = checkedEntry(
  'relu_',
  'Tensor input',
  (input: T): T => {
    checkInplace(input)
    return input.relu_()
  },
  'native',
)

/** In-place `elu` (`alpha` 1). @example
 * import * as torch from 'wengert/torch'
 * const x = torch.tensor([1, 0])
 * assert.strictEqual(torch.nn.functional.elu_(x), x)
 * @category torch @since 0.2.0 */
export const elu_ = checkedEntry(
  'elu_',
  'Tensor input, Number alpha = 1',
  keywordForms('elu_', ['input', 'alpha'], (input: T, alpha = 1): T => elu(input, alpha, true)),
  'native',
)

/** In-place `celu` (`alpha` 1). @example
 * import * as torch from 'wengert/torch'
 * const x = torch.tensor([1, 0])
 * assert.strictEqual(torch.nn.functional.celu_(x), x)
 * @category torch @since 0.2.0 */
export const celu_ = checkedEntry(
  'celu_',
  'Tensor input, Number alpha = 1',
  keywordForms('celu_', ['input', 'alpha'], (input: T, alpha = 1): T => celu(input, alpha, true)),
  'native',
)

/** In-place `selu`. @example
 * import * as torch from 'wengert/torch'
 * const x = torch.tensor([1, 0])
 * assert.strictEqual(torch.nn.functional.selu_(x), x)
 * @category torch @since 0.2.0 */
export const selu_ = checkedEntry('selu_', 'Tensor input', (input: T): T => selu(input, true), 'native')

/** In-place `leaky_relu` (`negative_slope` 0.01). @example
 * import * as torch from 'wengert/torch'
 * const x = torch.tensor([-1, 2])
 * torch.nn.functional.leaky_relu_(x, 0.5)
 * assert.deepStrictEqual(x.tolist(), [-0.5, 2])
 * @category torch @since 0.2.0 */
export const leaky_relu_ = checkedEntry(
  'leaky_relu_',
  'Tensor input, Number negative_slope = 0.01',
  keywordForms('leaky_relu_', ['input', 'negative_slope'], (input: T, negative_slope = 0.01): T => {
    // F.leaky_relu(inplace=True)'s op (./functional re-exports this module, so it is not imported)
    checkInplace(input)
    const f = (x: NdArray): NdArray => lax.select(lax.gt(x, lax.scalarLike(0, x)), x, lax.mulScalar(x, negative_slope))
    return commitInplace(input, op('LeakyReluBackward1', [input], f, { savesOutput: true }))
  }),
  'native',
)

/** In-place `hardtanh` (`min_val` −1, `max_val` 1). @example
 * import * as torch from 'wengert/torch'
 * const x = torch.tensor([-3, 0.5, 3])
 * torch.nn.functional.hardtanh_(x)
 * assert.deepStrictEqual(x.tolist(), [-1, 0.5, 1])
 * @category torch @since 0.2.0 */
export const hardtanh_ = checkedEntry(
  'hardtanh_',
  'Tensor input, Number min_val = -1, Number max_val = 1',
  keywordForms('hardtanh_', ['input', 'min_val', 'max_val'], (input: T, min_val = -1, max_val = 1): T =>
    hardtanh(input, min_val, max_val, true),
  ),
  'native',
)

/** In-place `threshold`. @example
 * import * as torch from 'wengert/torch'
 * const x = torch.tensor([1, 3])
 * torch.nn.functional.threshold_(x, 2, -1)
 * assert.deepStrictEqual(x.tolist(), [-1, 3])
 * @category torch @since 0.2.0 */
export const threshold_ = checkedEntry(
  'threshold_',
  'Tensor input, Number threshold, Number value',
  keywordForms('threshold_', ['input', 'threshold', 'value'], (input: T, threshold_value: number, value: number): T =>
    threshold(input, threshold_value, value, true),
  ),
  'native',
)

type PoolArgs = PyArgs<
  [stride: IntOrTuple | null, padding: IntOrTuple, dilation: IntOrTuple, ceil_mode: boolean, return_indices: boolean],
  MaxPoolKw
>

/** Runs a max pool with `return_indices` forced on. */
const withIndices = (pool: typeof max_pool2d, fn: string, input: T, kernel: IntOrTuple, rest: PoolArgs): [T, T] => {
  const a = parseArgs(fn, rest, ['stride', 'padding', 'dilation', 'ceil_mode', 'return_indices'])
  return pool(input, kernel, { ...a, return_indices: true }) as unknown as [T, T]
}

/** `max_pool1d` returning `[output, indices]`. @example
 * import * as torch from 'wengert/torch'
 * const [y, i] = torch.nn.functional.max_pool1d_with_indices(torch.tensor([[1, 3, 2, 0]]), 2)
 * assert.deepStrictEqual([y.tolist(), i.tolist()], [[[3, 2]], [[1, 2]]])
 * @category torch @since 0.2.0 */
export const max_pool1d_with_indices = checkedEntry(
  'max_pool1d_with_indices',
  'Tensor input, tuple of ints kernel_size',
  keywordForms(
    'max_pool1d_with_indices',
    ['input', 'kernel_size'],
    (input: T, kernel_size: IntOrTuple, ...rest: PoolArgs): [T, T] =>
      withIndices(max_pool1d, 'max_pool1d_with_indices', input, kernel_size, rest),
  ),
)

/** `max_pool2d` returning `[output, indices]`. @example
 * import * as torch from 'wengert/torch'
 * const [y, i] = torch.nn.functional.max_pool2d_with_indices(torch.tensor([[[1, 3], [4, 2]]]), 2)
 * assert.deepStrictEqual([y.tolist(), i.tolist()], [[[[4]]], [[[2]]]])
 * @category torch @since 0.2.0 */
export const max_pool2d_with_indices = checkedEntry(
  'max_pool2d_with_indices',
  'Tensor input, tuple of ints kernel_size',
  keywordForms(
    'max_pool2d_with_indices',
    ['input', 'kernel_size'],
    (input: T, kernel_size: IntOrTuple, ...rest: PoolArgs): [T, T] =>
      withIndices(max_pool2d, 'max_pool2d_with_indices', input, kernel_size, rest),
  ),
)

/** `max_pool3d` returning `[output, indices]`. @example
 * import * as torch from 'wengert/torch'
 * const [, i] = torch.nn.functional.max_pool3d_with_indices(torch.arange(8, { dtype: torch.float32 }).reshape(1, 2, 2, 2), 2)
 * assert.deepStrictEqual(i.tolist(), [[[[7]]]])
 * @category torch @since 0.2.0 */
export const max_pool3d_with_indices = checkedEntry(
  'max_pool3d_with_indices',
  'Tensor input, tuple of ints kernel_size',
  keywordForms(
    'max_pool3d_with_indices',
    ['input', 'kernel_size'],
    (input: T, kernel_size: IntOrTuple, ...rest: PoolArgs): [T, T] =>
      withIndices(max_pool3d, 'max_pool3d_with_indices', input, kernel_size, rest),
  ),
)

type AdaptiveIdxArgs = PyArgs<[return_indices: boolean], { readonly return_indices?: boolean }>

/** `adaptive_max_pool1d` returning `[output, indices]`. @example
 * import * as torch from 'wengert/torch'
 * const [y, i] = torch.nn.functional.adaptive_max_pool1d_with_indices(torch.tensor([[1, 5, 2, 0]]), 2)
 * assert.deepStrictEqual([y.tolist(), i.tolist()], [[[5, 2]], [[1, 2]]])
 * @category torch @since 0.2.0 */
export const adaptive_max_pool1d_with_indices = checkedEntry(
  'adaptive_max_pool1d_with_indices',
  'Tensor input, any output_size',
  keywordForms(
    'adaptive_max_pool1d_with_indices',
    ['input', 'output_size'],
    (input: T, output_size: AdaptiveSize, ...rest: AdaptiveIdxArgs): [T, T] => {
      parseArgs('adaptive_max_pool1d_with_indices', rest, ['return_indices'])
      return adaptive_max_pool1d(input, output_size, { return_indices: true })
    },
  ),
)

/** `adaptive_max_pool2d` returning `[output, indices]`. @example
 * import * as torch from 'wengert/torch'
 * const [y, i] = torch.nn.functional.adaptive_max_pool2d_with_indices(torch.tensor([[[1, 5], [7, 0]]]), 1)
 * assert.deepStrictEqual([y.tolist(), i.tolist()], [[[[7]]], [[[2]]]])
 * @category torch @since 0.2.0 */
export const adaptive_max_pool2d_with_indices = checkedEntry(
  'adaptive_max_pool2d_with_indices',
  'Tensor input, any output_size',
  keywordForms(
    'adaptive_max_pool2d_with_indices',
    ['input', 'output_size'],
    (input: T, output_size: AdaptiveSize, ...rest: AdaptiveIdxArgs): [T, T] => {
      parseArgs('adaptive_max_pool2d_with_indices', rest, ['return_indices'])
      return adaptive_max_pool2d(input, output_size, { return_indices: true })
    },
  ),
)
