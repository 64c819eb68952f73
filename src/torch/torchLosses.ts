/**
 * More `torch.*` forms of functional ops, after their ATen schemas: activations (`selu`, `celu`,
 * `threshold`, `hardshrink` and in-place forms), pooling (`max_pool1d/2d/3d` without
 * `return_indices`, `max_pool1d_with_indices`, `adaptive_max_pool1d` returning values and
 * indices), `constant_pad_nd`, and the losses with an integer `reduction` (1 mean, 2 sum, else
 * none) and, for `poisson_nll_loss`, every argument required. An omitted `reduction` means none,
 * as in PyTorch, whose Python binding reads the schema default `Mean` as the integer 0.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.tensor([[-1, 2, 0.25]])
 * assert.deepStrictEqual(torch.threshold(x, 0.5, 9).tolist(), [[9, 2, 9]])
 * assert.deepStrictEqual(torch.constant_pad_nd(x, [1, 0], 7).tolist(), [[7, -1, 2, 0.25]])
 * const t = torch.tensor([[1, -1, 1]])
 * assert.strictEqual(torch.hinge_embedding_loss(x, t, 1, 2).item(), -1 + 0 + 0.25)
 * @category torch
 * @since 0.2.0
 */
import { atenArgs, atenReduction } from './atenArgs'
import type { PyArgs } from './kwargs'
import type { IntOrTuple } from './nn/convUtils'
import type { AdaptiveSize } from './nn/adaptive'
import type { CtcLengths } from './nn/ctc'
import * as F from './nn/functional'
import { catch_warnings } from './warnings'
import type { Tensor } from './tensor'
import { givenArgs, requireTensorArgs, signature } from './pyTypeName'

type T = Tensor
/** The integer `reduction` keyword of the `torch.*` losses (1 mean, 2 sum, else none; omitted: none). */
export interface AtenReductionKw {
  readonly reduction?: number
}
type Red = AtenReductionKw

export { adaptive_avg_pool1d, avg_pool1d } from './nn/functional'

/** `torch.selu(input)`. @category torch @since 0.2.0 */
export const selu = (input: T, ...rest: []): T => {
  atenArgs('selu', rest, [])
  return F.selu(input)
}
/** In-place `torch.selu_(input)`. @category torch @since 0.2.0 */
export const selu_ = (input: T, ...rest: []): T => {
  requireTensorArgs('selu_', ['input'], [input])
  atenArgs('selu_', rest, [])
  return F.selu(input, true)
}
/** `torch.celu(input, alpha=1.0)`. @category torch @since 0.2.0 */
export const celu = (input: T, ...rest: PyArgs<[alpha: number], { readonly alpha?: number }>): T =>
  F.celu(input, (atenArgs('celu', rest, ['alpha']).alpha as number | undefined) ?? 1)
/** In-place `torch.celu_(input, alpha=1.0)`. @category torch @since 0.2.0 */
export const celu_ = (input: T, ...rest: PyArgs<[alpha: number], { readonly alpha?: number }>): T => {
  requireTensorArgs('celu_', ['input'], [input])
  return F.celu(input, (atenArgs('celu_', rest, ['alpha']).alpha as number | undefined) ?? 1, true)
}

type Thr = PyArgs<[threshold: number, value: number], { readonly threshold?: number; readonly value?: number }>
/** `torch.threshold(input, threshold, value)`: x where x > threshold, else value. @category torch @since 0.2.0 */
export const threshold = (input: T, ...rest: Thr): T => {
  const a = atenArgs('threshold', rest, ['threshold', 'value'], 2)
  return F.threshold(input, a.threshold as number, a.value as number)
}
/** In-place `torch.threshold_(input, threshold, value)`. @category torch @since 0.2.0 */
export const threshold_ = (input: T, ...rest: Thr): T => {
  const a = atenArgs('threshold_', rest, ['threshold', 'value'], 2)
  return F.threshold(input, a.threshold as number, a.value as number, true)
}
/** `torch.hardshrink(input, lambd=0.5)`. @category torch @since 0.2.0 */
export const hardshrink = (input: T, ...rest: PyArgs<[lambd: number], { readonly lambd?: number }>): T =>
  F.hardshrink(input, (atenArgs('hardshrink', rest, ['lambd']).lambd as number | undefined) ?? 0.5)

type Pool = PyArgs<
  [kernel_size: IntOrTuple, stride: IntOrTuple, padding: IntOrTuple, dilation: IntOrTuple, ceil_mode: boolean],
  {
    readonly kernel_size?: IntOrTuple
    readonly stride?: IntOrTuple
    readonly padding?: IntOrTuple
    readonly dilation?: IntOrTuple
    readonly ceil_mode?: boolean
  }
>
const POOL = ['kernel_size', 'stride', 'padding', 'dilation', 'ceil_mode']
/** The schema's pooling arguments as F's keywords (`stride=[]` means the kernel size). */
const poolKw = (fn: string, rest: ReadonlyArray<unknown>): F.MaxPoolKw & { readonly kernel_size: IntOrTuple } => {
  const a = atenArgs(fn, rest, POOL, 1)
  const s = a.stride as IntOrTuple | undefined
  const empty = s === undefined || (typeof s !== 'number' && s.length === 0)
  const kw: Record<string, unknown> = { ...a, stride: empty ? null : s }
  return kw as unknown as F.MaxPoolKw & { readonly kernel_size: IntOrTuple }
}
/** `torch.max_pool1d(input, kernel_size, stride=[], padding=0, dilation=1, ceil_mode=False)`. @category torch @since 0.2.0 */
export const max_pool1d = (input: T, ...rest: Pool): T => {
  const { kernel_size, ...kw } = poolKw('max_pool1d', rest)
  return F.max_pool1d(input, kernel_size, kw)
}
/** `torch.max_pool2d(input, kernel_size, stride=[], padding=0, dilation=1, ceil_mode=False)`. @category torch @since 0.2.0 */
export const max_pool2d = (input: T, ...rest: Pool): T => {
  const { kernel_size, ...kw } = poolKw('max_pool2d', rest)
  return F.max_pool2d(input, kernel_size, kw)
}
/** `torch.max_pool3d(input, kernel_size, stride=[], padding=0, dilation=1, ceil_mode=False)`. @category torch @since 0.2.0 */
export const max_pool3d = (input: T, ...rest: Pool): T => {
  const { kernel_size, ...kw } = poolKw('max_pool3d', rest)
  return F.max_pool3d(input, kernel_size, kw)
}
/** `torch.max_pool1d_with_indices(...)`: the maxima and their positions. @category torch @since 0.2.0 */
export const max_pool1d_with_indices = (input: T, ...rest: Pool): [T, T] => {
  const { kernel_size, ...kw } = poolKw('max_pool1d_with_indices', rest)
  return F.max_pool1d(input, kernel_size, { ...kw, return_indices: true })
}
/** `torch.adaptive_max_pool1d(input, output_size)`: values and indices (always both). @category torch @since 0.2.0 */
export const adaptive_max_pool1d = (input: T, output_size: AdaptiveSize): [T, T] => {
  ADAPTIVE_MAX_POOL1D(givenArgs(input, output_size))
  return F.adaptive_max_pool1d(input, output_size, { return_indices: true })
}
const ADAPTIVE_MAX_POOL1D = signature('adaptive_max_pool1d', '(Tensor input, tuple of ints output_size)')

/** `torch.constant_pad_nd(input, pad, value=0)` (ConstantPadNdBackward0). @category torch @since 0.2.0 */
export const constant_pad_nd = (
  input: T,
  ...rest: PyArgs<
    [pad: ReadonlyArray<number>, value: number],
    { readonly pad?: ReadonlyArray<number>; readonly value?: number }
  >
): T => {
  const a = atenArgs('constant_pad_nd', rest, ['pad', 'value'], 1)
  return F.pad(input, a.pad as ReadonlyArray<number>, 'constant', (a.value as number | undefined) ?? 0)
}

/**
 * `torch.kl_div(input, target, reduction, *, log_target=False)`; reduction 1 is the element
 * mean (without F.kl_div's warning about 'batchmean'), omitted none.
 * @category torch @since 0.2.0
 */
export const kl_div = (
  input: T,
  ...rest: PyArgs<[target: T, reduction: number], { readonly target?: T; readonly log_target?: boolean } & Red>
): T => {
  const a = atenArgs('kl_div', rest, ['target', 'reduction', 'log_target'], 1)
  const reduction = atenReduction('kl_div', a.reduction)
  const log_target = (a.log_target as boolean | undefined) ?? false
  return catch_warnings(() => F.kl_div(input, a.target as T, { reduction, log_target }))[0]
}

/** `torch.binary_cross_entropy_with_logits(input, target, weight=None, pos_weight=None, reduction)`. @category torch @since 0.2.0 */
export const binary_cross_entropy_with_logits = (
  input: T,
  ...rest: PyArgs<
    [target: T, weight: T | null, pos_weight: T | null, reduction: number],
    { readonly target?: T; readonly weight?: T | null; readonly pos_weight?: T | null } & Red
  >
): T => {
  const fn = 'binary_cross_entropy_with_logits'
  const a = atenArgs(fn, rest, ['target', 'weight', 'pos_weight', 'reduction'], 1)
  return F.binary_cross_entropy_with_logits(input, a.target as T, {
    weight: (a.weight as T | null | undefined) ?? null,
    pos_weight: (a.pos_weight as T | null | undefined) ?? null,
    reduction: atenReduction(fn, a.reduction),
  })
}

type Margin3 = PyArgs<[target: T, margin: number, reduction: number], { readonly margin?: number } & Red>
/** `torch.margin_ranking_loss(input1, input2, target, margin=0, reduction)`. @category torch @since 0.2.0 */
export const margin_ranking_loss = (input1: T, input2: T, ...rest: Margin3): T => {
  const a = atenArgs('margin_ranking_loss', rest, ['target', 'margin', 'reduction'], 1, 2)
  const reduction = atenReduction('margin_ranking_loss', a.reduction)
  return F.margin_ranking_loss(input1, input2, a.target as T, {
    margin: (a.margin as number | undefined) ?? 0,
    reduction,
  })
}
/** `torch.cosine_embedding_loss(input1, input2, target, margin=0, reduction)`. @category torch @since 0.2.0 */
export const cosine_embedding_loss = (input1: T, input2: T, ...rest: Margin3): T => {
  const a = atenArgs('cosine_embedding_loss', rest, ['target', 'margin', 'reduction'], 1, 2)
  const reduction = atenReduction('cosine_embedding_loss', a.reduction)
  return F.cosine_embedding_loss(input1, input2, a.target as T, {
    margin: (a.margin as number | undefined) ?? 0,
    reduction,
  })
}
/** `torch.hinge_embedding_loss(input, target, margin=1, reduction)`. @category torch @since 0.2.0 */
export const hinge_embedding_loss = (input: T, ...rest: Margin3): T => {
  const a = atenArgs('hinge_embedding_loss', rest, ['target', 'margin', 'reduction'], 1)
  const reduction = atenReduction('hinge_embedding_loss', a.reduction)
  return F.hinge_embedding_loss(input, a.target as T, { margin: (a.margin as number | undefined) ?? 1, reduction })
}

/** `torch.triplet_margin_loss(anchor, positive, negative, margin=1, p=2, eps=1e-6, swap=False, reduction)`. @category torch @since 0.2.0 */
export const triplet_margin_loss = (
  anchor: T,
  positive: T,
  ...rest: PyArgs<
    [negative: T, margin: number, p: number, eps: number, swap: boolean, reduction: number],
    {
      readonly negative?: T
      readonly margin?: number
      readonly p?: number
      readonly eps?: number
      readonly swap?: boolean
    } & Red
  >
): T => {
  const a = atenArgs('triplet_margin_loss', rest, ['negative', 'margin', 'p', 'eps', 'swap', 'reduction'], 1, 2)
  return F.triplet_margin_loss(anchor, positive, a.negative as T, {
    margin: (a.margin as number | undefined) ?? 1,
    p: (a.p as number | undefined) ?? 2,
    eps: (a.eps as number | undefined) ?? 1e-6,
    swap: (a.swap as boolean | undefined) ?? false,
    reduction: atenReduction('triplet_margin_loss', a.reduction),
  })
}

/** `torch.poisson_nll_loss(input, target, log_input, full, eps, reduction)`: every argument required. @category torch @since 0.2.0 */
export const poisson_nll_loss = (
  input: T,
  ...rest: PyArgs<
    [target: T, log_input: boolean, full: boolean, eps: number, reduction: number],
    { readonly target?: T; readonly log_input?: boolean; readonly full?: boolean; readonly eps?: number } & Red
  >
): T => {
  const a = atenArgs('poisson_nll_loss', rest, ['target', 'log_input', 'full', 'eps', 'reduction'], 5)
  return F.poisson_nll_loss(input, a.target as T, {
    log_input: a.log_input as boolean,
    full: a.full as boolean,
    eps: a.eps as number,
    reduction: atenReduction('poisson_nll_loss', a.reduction),
  })
}

/** `torch.ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction, zero_infinity=False)`. @category torch @since 0.2.0 */
export const ctc_loss = (
  log_probs: T,
  targets: T,
  input_lengths: CtcLengths,
  target_lengths: CtcLengths,
  ...rest: PyArgs<
    [blank: number, reduction: number, zero_infinity: boolean],
    { readonly blank?: number; readonly zero_infinity?: boolean } & Red
  >
): T => {
  const a = atenArgs('ctc_loss', rest, ['blank', 'reduction', 'zero_infinity'], 0, 4)
  return F.ctc_loss(log_probs, targets, input_lengths, target_lengths, {
    blank: (a.blank as number | undefined) ?? 0,
    reduction: atenReduction('ctc_loss', a.reduction),
    zero_infinity: (a.zero_infinity as boolean | undefined) ?? false,
  })
}
