/**
 * Regression and probabilistic losses of `torch.nn.functional`: `smooth_l1_loss`, `huber_loss`,
 * `kl_div`, `poisson_nll_loss`, `gaussian_nll_loss`, `soft_margin_loss`. Each is one facade op
 * with PyTorch's formula; its node is PyTorch's (`SmoothL1LossBackward0`, …, or for PyTorch's
 * composite losses the node of their last step: `MeanBackward0`, `SumBackward0`, `SubBackward0`).
 * Gradients reach every floating input, targets included.
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import type { NdArray } from '../../ndarray/NdArray'
import type { DType } from '../../ndarray/dtype'
import { op, type OpOptions } from '../autograd/op'
import { RuntimeError, TorchValueError } from '../errors'
import { keywordForms, parseArgs, type PyArgs } from '../kwargs'
import { broadcastShape } from '../ops/convert'
import type { Tensor } from '../tensor'
import { warn } from '../warnings'
import {
  floatDtype,
  reduceValue,
  reductionOf,
  sameShape,
  shapeOf,
  warnIfTargetSizeDiffers,
  type LegacyKw,
} from './lossUtils'
import { huberBackward, lossBackwardNode, smoothL1Backward } from './lossFormulas'
import type { Reduction } from './module'

type T = Tensor
type Fn = (...xs: NdArray[]) => NdArray

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

/** `v` broadcast to `x`'s shape and dtype. */
export const k = (v: number, x: NdArray): NdArray => lax.broadcastLike(lax.scalarLike(v, x), x)

/** The node PyTorch's composite losses end with: `noneName` unreduced, else the reduction's. */
export const reducedName = (noneName: string, reduction: Reduction): string =>
  reduction === 'none' ? noneName : reduction === 'sum' ? 'SumBackward0' : 'MeanBackward0'

/**
 * One loss op over `inputs` broadcast to one shape in the float compute dtype: `f` gives the
 * unreduced loss, which `reduction` reduces.
 */
export const elementLoss = (
  name: string,
  inputs: ReadonlyArray<T>,
  f: Fn,
  reduction: Reduction,
  formula?: (dtype: DType) => NonNullable<OpOptions['formula']>,
): T => {
  const shape = inputs.map(shapeOf).reduce((a, b) => broadcastShape(a, b))
  const d = floatDtype(...inputs)
  return op(
    name,
    [...inputs],
    (...vs) => reduceValue(f(...vs.map((v) => lax.broadcastTo(lax.cast(v, d), shape))), reduction),
    { saves: inputs.map((_, i) => i), ...(formula === undefined ? {} : { formula: formula(d) }) },
  )
}

const num = (a: Record<string, unknown>, key: string, dflt: number): number => (a[key] as number | undefined) ?? dflt

/** The reduction check of PyTorch's Python-level losses (poisson/gaussian NLL). */
const checkReductionName = (r: unknown): void => {
  if (r !== undefined && r !== 'none' && r !== 'mean' && r !== 'sum')
    throw new TorchValueError(`${String(r)} is not valid`)
}

/** `log(x)` where `x > 0`, 0 where `x == 0` (safe for gradients). */
const safeLog = (x: NdArray): NdArray => {
  const z = lax.eq(x, k(0, x))
  return lax.select(z, k(0, x), lax.log(lax.select(z, k(1, x), x)))
}

// -------------------------------------------------------------------------------------
// smooth_l1_loss, huber_loss
// -------------------------------------------------------------------------------------

/**
 * Smooth L1: `0.5·z²/beta` where `z = |input − target| < beta`, else `z − 0.5·beta` (beta 1;
 * beta 0 is the L1 loss).
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * assert.strictEqual(F.smooth_l1_loss(torch.tensor([0.5, 3]), torch.tensor([0, 0]), { reduction: 'sum' }).item(), 2.625)
 * @category torch @since 0.2.0
 */
export const smooth_l1_loss = keywordForms(
  'smooth_l1_loss',
  ['input', 'target'],
  (
    input: T,
    target: T,
    ...rest: PyArgs<
      [size_average: boolean | null, reduce: boolean | null, reduction: Reduction, beta: number],
      LegacyKw & { readonly beta?: number }
    >
  ): T => {
    const a = parseArgs('smooth_l1_loss', rest, ['size_average', 'reduce', 'reduction', 'beta'])
    const reduction = reductionOf(a)
    const beta = num(a, 'beta', 1)
    if (beta < 0) throw new RuntimeError('smooth_l1_loss does not support negative values for beta.')
    warnIfTargetSizeDiffers(input, target)
    const f: Fn = (x, y) => {
      const z = lax.abs(lax.sub(x, y))
      if (beta === 0) return z
      const quad = lax.mulScalar(lax.mul(z, z), 0.5 / beta)
      return lax.select(lax.lt(z, k(beta, z)), quad, lax.addScalar(z, -0.5 * beta))
    }
    // beta 0: PyTorch's is l1_loss' gradient, the rule's composition here
    const formula =
      beta === 0
        ? undefined
        : (d: DType) => lossBackwardNode('SmoothL1LossBackwardBackward0', smoothL1Backward(beta), reduction, d)
    return elementLoss('SmoothL1LossBackward0', [input, target], f, reduction, formula)
  },
)

/**
 * Huber loss: `0.5·z²` where `z = |input − target| < delta`, else `delta·(z − 0.5·delta)` (delta 1).
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * assert.strictEqual(F.huber_loss(torch.tensor([0.5, 3]), torch.tensor([0, 0]), 'sum', 2).item(), 4.125)
 * @category torch @since 0.2.0
 */
export const huber_loss = keywordForms(
  'huber_loss',
  ['input', 'target'],
  (
    input: T,
    target: T,
    ...rest: PyArgs<[reduction: Reduction, delta: number], { readonly reduction?: Reduction; readonly delta?: number }>
  ): T => {
    const a = parseArgs('huber_loss', rest, ['reduction', 'delta'])
    const reduction = reductionOf(a)
    const delta = num(a, 'delta', 1)
    if (!(delta > 0)) throw new RuntimeError('huber_loss does not support non-positive values for delta.')
    warnIfTargetSizeDiffers(input, target)
    const f: Fn = (x, y) => {
      const z = lax.abs(lax.sub(x, y))
      const quad = lax.mulScalar(lax.mul(z, z), 0.5)
      return lax.select(lax.lt(z, k(delta, z)), quad, lax.mulScalar(lax.addScalar(z, -0.5 * delta), delta))
    }
    return elementLoss('HuberLossBackward0', [input, target], f, reduction, (d) =>
      lossBackwardNode('HuberLossBackwardBackward0', huberBackward(delta), reduction, d),
    )
  },
)

// -------------------------------------------------------------------------------------
// kl_div
// -------------------------------------------------------------------------------------

type KlReduction = Reduction | 'batchmean'

/**
 * Kullback-Leibler divergence of log-probabilities `input` from `target`: `target·(log target −
 * input)` (0 where target is 0), or with `log_target` `exp(target)·(target − input)`.
 * `reduction: 'batchmean'` divides the sum by the batch size (the mathematical KL); `'mean'`
 * (default, with PyTorch's warning) divides by the element count.
 * @example
 * import * as torch from 'wengert/torch'
 * const logq = torch.tensor([[Math.log(0.5), Math.log(0.5)]])
 * const l = torch.nn.functional.kl_div(logq, torch.tensor([[0.25, 0.75]]), { reduction: 'batchmean' })
 * assert.ok(Math.abs(l.item() - (0.25 * Math.log(0.5) + 0.75 * Math.log(1.5))) < 1e-6)
 * @category torch @since 0.2.0
 */
export const kl_div = keywordForms(
  'kl_div',
  ['input', 'target'],
  (
    input: T,
    target: T,
    ...rest: PyArgs<
      [size_average: boolean | null, reduce: boolean | null, reduction: KlReduction, log_target: boolean],
      {
        readonly size_average?: boolean | null
        readonly reduce?: boolean | null
        readonly reduction?: KlReduction
        readonly log_target?: boolean
      }
    >
  ): T => {
    const a = parseArgs('kl_div', rest, ['size_average', 'reduce', 'reduction', 'log_target'])
    const batchmean = a.reduction === 'batchmean' && a.size_average === undefined && a.reduce === undefined
    const reduction = batchmean ? 'sum' : reductionOf(a)
    if (reduction === 'mean' && a.size_average === undefined && a.reduce === undefined)
      warn(
        "reduction: 'mean' divides the total loss by both the batch size and the support size.'batchmean' divides only by the batch size, and aligns with the KL div math definition.'mean' will be changed to behave the same as 'batchmean' in the next major release.",
      )
    const logTarget = (a.log_target as boolean | undefined) ?? false
    const f: Fn = (x, y) =>
      logTarget ? lax.mul(lax.exp(y), lax.sub(y, x)) : lax.sub(lax.mul(y, safeLog(y)), lax.mul(y, x))
    const noneName = logTarget ? 'MulBackward0' : 'SubBackward0'
    const ndim = shapeOf(input).length
    if (!batchmean || ndim === 0) return elementLoss(reducedName(noneName, reduction), [input, target], f, reduction)
    const n = shapeOf(input)[0] as number
    const g: Fn = (x, y) => lax.mulScalar(f(x, y), 1 / n)
    return elementLoss('DivBackward0', [input, target], g, 'sum')
  },
)

// -------------------------------------------------------------------------------------
// poisson_nll_loss, gaussian_nll_loss
// -------------------------------------------------------------------------------------

/**
 * Poisson negative log-likelihood: `exp(input) − target·input` (`log_input`, default), else
 * `input − target·log(input + eps)`; `full` adds Stirling's term
 * `target·log target − target + ½·log(2π·target)` where target > 1.
 * @example
 * import * as torch from 'wengert/torch'
 * const l = torch.nn.functional.poisson_nll_loss(torch.tensor([0]), torch.tensor([2]))
 * assert.strictEqual(l.item(), 1)
 * @category torch @since 0.2.0
 */
export const poisson_nll_loss = keywordForms(
  'poisson_nll_loss',
  ['input', 'target'],
  (
    input: T,
    target: T,
    ...rest: PyArgs<
      [
        log_input: boolean,
        full: boolean,
        size_average: boolean | null,
        eps: number,
        reduce: boolean | null,
        reduction: Reduction,
      ],
      LegacyKw & { readonly log_input?: boolean; readonly full?: boolean; readonly eps?: number }
    >
  ): T => {
    const a = parseArgs('poisson_nll_loss', rest, ['log_input', 'full', 'size_average', 'eps', 'reduce', 'reduction'])
    checkReductionName(a.reduction)
    const reduction = reductionOf(a)
    const logInput = (a.log_input as boolean | undefined) ?? true
    const full = (a.full as boolean | undefined) ?? false
    const eps = num(a, 'eps', 1e-8)
    const f: Fn = (x, y) => {
      const l = logInput ? lax.sub(lax.exp(x), lax.mul(y, x)) : lax.sub(x, lax.mul(y, lax.log(lax.addScalar(x, eps))))
      if (!full) return l
      // NOTE: the term of every element, masked afterwards (PyTorch's masked_fill(target <= 1, 0)):
      // the masked gradient 0 then meets log(target) and 1/target, so a target ≤ 0 that requires
      // grad gets NaN (0·log 0, 0/0), as in PyTorch 1.13 and 2.x (Loss.cpp poisson_nll_loss)
      const stirling = lax.add(
        lax.sub(lax.mul(y, lax.log(y)), y),
        lax.mulScalar(lax.log(lax.mulScalar(y, 2 * Math.PI)), 0.5),
      )
      return lax.add(l, lax.select(lax.le(y, k(1, y)), k(0, y), stirling))
    }
    const out = elementLoss(
      reducedName(full ? 'AddBackward0' : 'SubBackward0', reduction),
      [input, target],
      f,
      reduction,
    )
    return fullAddedInPlace(out, full, reduction)
  },
)

/**
 * PyTorch adds the `full` term in place (`loss += …`, before any reduction), so an unreduced loss
 * is at version 1 (its node, AddBackward0, the op already has).
 */
const fullAddedInPlace = (out: T, full: boolean, reduction: Reduction): T => {
  if (full && reduction === 'none') out._bump()
  return out
}

/** PyTorch's reshaping of gaussian_nll_loss's `var` (homoscedastic or one trailing dimension fewer). */
const gaussianVar = (input: T, variance: T): T => {
  const si = shapeOf(input)
  const sv = shapeOf(variance)
  if (sameShape(si, sv)) return variance
  if (sameShape(si.slice(0, -1), sv)) return variance.unsqueeze(-1)
  if (sameShape(si.slice(0, -1), sv.slice(0, -1)) && sv[sv.length - 1] === 1) return variance
  throw new TorchValueError('var is of incorrect size')
}

/**
 * Gaussian negative log-likelihood: `½·(log var + (input − target)²/var)` with `var` clamped to
 * `eps` (1e-6) without changing its gradient, plus `½·log 2π` when `full`.
 * @example
 * import * as torch from 'wengert/torch'
 * const l = torch.nn.functional.gaussian_nll_loss(torch.tensor([1]), torch.tensor([0]), torch.tensor([1]))
 * assert.strictEqual(l.item(), 0.5)
 * @category torch @since 0.2.0
 */
export const gaussian_nll_loss = keywordForms(
  'gaussian_nll_loss',
  ['input', 'target', 'var'],
  (
    input: T,
    target: T,
    variance: T,
    ...rest: PyArgs<
      [full: boolean, eps: number, reduction: Reduction],
      { readonly full?: boolean; readonly eps?: number; readonly reduction?: Reduction }
    >
  ): T => {
    const a = parseArgs('gaussian_nll_loss', rest, ['full', 'eps', 'reduction'])
    const v = gaussianVar(input, variance)
    checkReductionName(a.reduction)
    const reduction = reductionOf(a)
    const vs = v._value()._values('gaussian_nll_loss')
    for (let i = 0; i < vs.length; i++)
      if ((vs[i] as number) < 0) throw new TorchValueError('var has negative entry/entries')
    const full = (a.full as boolean | undefined) ?? false
    const eps = num(a, 'eps', 1e-6)
    const f: Fn = (x, y, s) => {
      // NOTE: PyTorch clamps var in place under no_grad: the value is clamped, the gradient is var's
      const sc = lax.add(s, lax.stopGradient(lax.sub(lax.max(s, k(eps, s)), s)))
      const diff = lax.sub(x, y)
      const l = lax.mulScalar(lax.add(lax.log(sc), lax.div(lax.mul(diff, diff), sc)), 0.5)
      return full ? lax.addScalar(l, 0.5 * Math.log(2 * Math.PI)) : l
    }
    const out = elementLoss(
      reducedName(full ? 'AddBackward0' : 'MulBackward0', reduction),
      [input, target, v],
      f,
      reduction,
    )
    return fullAddedInPlace(out, full, reduction)
  },
)

// -------------------------------------------------------------------------------------
// soft_margin_loss
// -------------------------------------------------------------------------------------

/**
 * Two-class logistic loss `log(1 + exp(−target·input))` for targets ±1.
 * @example
 * import * as torch from 'wengert/torch'
 * const l = torch.nn.functional.soft_margin_loss(torch.tensor([0]), torch.tensor([1]))
 * assert.ok(Math.abs(l.item() - Math.LN2) < 1e-6)
 * @category torch @since 0.2.0
 */
export const soft_margin_loss = keywordForms(
  'soft_margin_loss',
  ['input', 'target'],
  (
    input: T,
    target: T,
    ...rest: PyArgs<[size_average: boolean | null, reduce: boolean | null, reduction: Reduction], LegacyKw>
  ): T => {
    const a = parseArgs('soft_margin_loss', rest, ['size_average', 'reduce', 'reduction'])
    const reduction = reductionOf(a)
    const f: Fn = (x, y) => lax.log1p(lax.exp(lax.neg(lax.mul(x, y))))
    return elementLoss('SoftMarginLossBackward0', [input, target], f, reduction)
  },
)
