/**
 * Activation functions of `torch.nn.functional` beyond relu/sigmoid/tanh/gelu/leaky_relu: each
 * is one facade op with PyTorch's formula and node name (`EluBackward0`, `HardtanhBackward0`, …),
 * or PyTorch's own composition of ops (`softsign`, `tanhshrink`, `softmin`).
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { softplus as softplusOp } from '../../ops/unary'
import type { NdArray } from '../../ndarray/NdArray'
import { checkInplace, commitInplace, op, type OpOptions } from '../autograd/op'
import { RuntimeError } from '../errors'
import { exactKeywords, keywordForms, parseArgs, type PyArgs } from '../kwargs'
import { floatOf, normDim } from '../ops/convert'
import { Tensor } from '../tensor'
import type { TorchDType } from '../dtype'
import * as bw from '../methods/activationFormulas'
import { requireTensorArgs } from '../pyTypeName'
import { checkedEntry, inplaceFlag } from './functionalArgs'

type T = Tensor
type F = (x: NdArray) => NdArray

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

/** `v` broadcast to `x`'s shape and dtype. */
const k = (v: number, x: NdArray): NdArray => lax.broadcastLike(lax.scalarLike(v, x), x)

/** `x > 0 ? x : neg(x)` (the ELU family). */
const posOr = (x: NdArray, neg: F): NdArray => lax.select(lax.gt(x, k(0, x)), x, neg(x))

/** `min(max(x, lo), hi)`. */
const clip = (x: NdArray, lo: number, hi: number): NdArray => {
  const a = lax.select(lax.lt(x, k(lo, x)), k(lo, x), x)
  return lax.select(lax.gt(a, k(hi, a)), k(hi, a), a)
}

/** `log(1 + eˣ)` without overflow. */
// NOTE: the core's softplus, whose derivative is σ(x) everywhere; max(x, 0) + log1p(e^−|x|) has
// the same values but splits max's derivative at the tie x = 0, giving 0 there instead of ½
const softplusStable: F = (x) => softplusOp(x)

/**
 * One element-wise op: out of place (`name`), or with `inplace` overwriting the input (`inplaceName`,
 * PyTorch's `…Backward1` where its in-place node differs).
 */
const unary = (
  name: string,
  f: F,
  inplace = false,
  inplaceName = name,
  opts: OpOptions = { saves: [0] },
  inplaceKeepsInput = false,
  inplaceOpts?: OpOptions,
) => {
  return (input: T): T => {
    if (!inplace) return op(name, [input], (x) => f(floatOf(x)), opts)
    checkInplace(input)
    // NOTE: PyTorch's hardswish_/silu_/hardtanh_/hardsigmoid_ nodes keep the input as it was before
    // the op, so a later in-place change of the result (MobileNetV3's Hardswish then
    // Dropout(inplace=True)) is no error; relu_-like nodes save the result, which is checked
    const keep: OpOptions = inplaceOpts ?? (inplaceKeepsInput ? { saves: [] } : { savesOutput: true })
    return commitInplace(input, op(inplaceName, [input], f, keep))
  }
}

/** Saves the input; a create_graph gradient is PyTorch's formula (activationFormulas.ts). */
const viaFormula = (formula: NonNullable<OpOptions['formula']>): OpOptions => ({ saves: [0], formula })

/**
 * Saves the input; every gradient is PyTorch's backward op `kernel` over (grad, self), one node
 * `name` under create_graph: its values at the kinks (hardtanh's bounds, hardsigmoid's ±3) and its
 * rounding (hardsigmoid's float 1/6, hardswish's x/3) are PyTorch's, not the forward's derivative.
 */
const viaKernel = (name: string, kernel: bw.Kernel): OpOptions => ({
  saves: [0],
  formula: bw.backwardNode(name, kernel),
  grads: (g, [x]) => [Tensor._fromValue(kernel(g, floatOf(x as NdArray)))],
})

const num = (a: Record<string, unknown>, key: string, dflt: number): number => (a[key] as number | undefined) ?? dflt
type Inplace = { readonly inplace?: boolean }

// -------------------------------------------------------------------------------------
// smooth
// -------------------------------------------------------------------------------------

/** `x·σ(x)` (swish). @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(torch.nn.functional.silu(torch.tensor([0])).item(), 0)
 * @category torch @since 0.2.0 */
export const silu = keywordForms('silu', ['input'], (input: T, ...rest: PyArgs<[inplace: boolean], Inplace>): T =>
  unary(
    'SiluBackward0',
    (x) => lax.mul(x, lax.logistic(x)),
    inplaceFlag(parseArgs('silu', rest, ['inplace'])),
    'SiluBackward0',
    viaFormula(bw.siluFormula),
    true,
  )(input),
)

/** `x·tanh(softplus(x))`. @example
 * import * as torch from 'wengert/torch'
 * assert.ok(Math.abs(torch.nn.functional.mish(torch.tensor([1])).item() - Math.tanh(Math.log1p(Math.E))) < 1e-6)
 * @category torch @since 0.2.0 */
export const mish = keywordForms('mish', ['input'], (input: T, ...rest: PyArgs<[inplace: boolean], Inplace>): T =>
  unary(
    'MishBackward0',
    (x) => lax.mul(x, lax.tanh(softplusStable(x))),
    inplaceFlag(parseArgs('mish', rest, ['inplace'])),
    'MishBackward0',
    viaFormula(bw.mishFormula),
  )(input),
)

/** `x` where positive, `alpha·(eˣ − 1)` elsewhere (alpha 1). @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.nn.functional.elu(torch.tensor([2, 0])).tolist(), [2, 0])
 * @category torch @since 0.2.0 */
export const elu = keywordForms(
  'elu',
  ['input'],
  (input: T, ...rest: PyArgs<[alpha: number, inplace: boolean], { readonly alpha?: number } & Inplace>): T => {
    const a = parseArgs('elu', rest, ['alpha', 'inplace'])
    const alpha = num(a, 'alpha', 1)
    return unary(
      'EluBackward0',
      (x) => posOr(x, (v) => lax.mulScalar(lax.expm1(v), alpha)),
      inplaceFlag(a),
      'EluBackward1',
      viaKernel('EluBackwardBackward0', bw.eluBackward(alpha, 1, 1)),
      false,
      bw.eluInplace(alpha, 1, 1),
    )(input)
  },
)

const SELU_ALPHA = 1.6732632423543772848170429916717
const SELU_SCALE = 1.0507009873554804934193349852946

/** `scale·elu(x, alpha)` with SELU's constants (scale ≈ 1.0507, alpha ≈ 1.6733). @example
 * import * as torch from 'wengert/torch'
 * assert.ok(Math.abs(torch.nn.functional.selu(torch.tensor([1])).item() - 1.0507009873554805) < 1e-6)
 * @category torch @since 0.2.0 */
export const selu = keywordForms('selu', ['input'], (input: T, ...rest: PyArgs<[inplace: boolean], Inplace>): T =>
  unary(
    'EluBackward0',
    (x) =>
      lax.mulScalar(
        posOr(x, (v) => lax.mulScalar(lax.expm1(v), SELU_ALPHA)),
        SELU_SCALE,
      ),
    inplaceFlag(parseArgs('selu', rest, ['inplace'])),
    'EluBackward1',
    viaKernel('EluBackwardBackward0', bw.eluBackward(SELU_ALPHA, SELU_SCALE, 1)),
    false,
    bw.eluInplace(SELU_ALPHA, SELU_SCALE, 1),
  )(input),
)

/** `max(0, x) + min(0, alpha·(e^(x/alpha) − 1))`. @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.nn.functional.celu(torch.tensor([3])).tolist(), [3])
 * @category torch @since 0.2.0 */
export const celu = keywordForms(
  'celu',
  ['input'],
  (input: T, ...rest: PyArgs<[alpha: number, inplace: boolean], { readonly alpha?: number } & Inplace>): T => {
    const a = parseArgs('celu', rest, ['alpha', 'inplace'])
    const alpha = num(a, 'alpha', 1)
    const f: F = (x) => posOr(x, (v) => lax.mulScalar(lax.expm1(lax.mulScalar(v, 1 / alpha)), alpha))
    const opts = viaKernel('EluBackwardBackward0', bw.eluBackward(alpha, 1, 1 / alpha))
    return unary(
      'CeluBackward0',
      f,
      inplaceFlag(a),
      'CeluBackward1',
      opts,
      false,
      bw.eluInplace(alpha, 1, 1 / alpha),
    )(input)
  },
)

/** `log(1 + e^(beta·x))/beta`, linear where `beta·x > threshold` (beta 1, threshold 20). @example
 * import * as torch from 'wengert/torch'
 * assert.ok(Math.abs(torch.nn.functional.softplus(torch.tensor([0])).item() - Math.LN2) < 1e-6)
 * @category torch @since 0.2.0 */
export const softplus = (
  input: T,
  ...rest: PyArgs<[beta: number, threshold: number], { readonly beta?: number; readonly threshold?: number }>
): T => {
  const a = parseArgs('softplus', rest, ['beta', 'threshold'])
  const beta = num(a, 'beta', 1)
  const threshold = num(a, 'threshold', 20)
  const f: F = (x) => {
    const bx = lax.mulScalar(x, beta)
    return lax.select(lax.gt(bx, k(threshold, bx)), x, lax.mulScalar(softplusStable(bx), 1 / beta))
  }
  const formula = bw.backwardNode('SoftplusBackwardBackward0', bw.softplusBackward(beta, threshold))
  return unary('SoftplusBackward0', f, false, 'SoftplusBackward0', viaFormula(formula))(input)
}

/** `log σ(x)`, computed stably. @example
 * import * as torch from 'wengert/torch'
 * assert.ok(Math.abs(torch.nn.functional.logsigmoid(torch.tensor([0])).item() + Math.LN2) < 1e-6)
 * @category torch @since 0.2.0 */
export const logsigmoid = (input: T): T =>
  unary(
    'LogSigmoidBackward0',
    // + 0: PyTorch's kernel computes min(x, 0) − log1p(e^−|x|), +0 (never −0) where e^−|x| underflows
    (x) => lax.addScalar(lax.neg(softplusStable(lax.neg(x))), 0),
    false,
    'LogSigmoidBackward0',
    // the kernel's grad·σ(−x) is +0 where σ(−x) underflows (the composition's VJP gives −0)
    viaKernel('LogSigmoidBackwardBackward0', bw.logSigmoidBackward),
  )(input)

/** `x / (1 + |x|)`. @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.nn.functional.softsign(torch.tensor([1, -3])).tolist(), [0.5, -0.75])
 * @category torch @since 0.2.0 */
export const softsign = checkedEntry(
  'softsign',
  'Tensor input',
  exactKeywords('softsign', ['input'], (input: T): T => input.div(input.abs().add(1))),
)

/** `x − tanh(x)`. @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(torch.nn.functional.tanhshrink(torch.tensor([0])).item(), 0)
 * @category torch @since 0.2.0 */
export const tanhshrink = checkedEntry(
  'tanhshrink',
  'Tensor input',
  exactKeywords('tanhshrink', ['input'], (input: T): T => input.sub(input.tanh())),
)

/** `softmax(−x)` along `dim`. @example
 * import * as torch from 'wengert/torch'
 * const y = torch.nn.functional.softmin(torch.tensor([0, Math.log(3)]), 0).tolist() as number[]
 * assert.ok(Math.abs(y[0]! - 0.75) < 1e-6)
 * @category torch @since 0.2.0 */
export const softmin = checkedEntry(
  'softmin',
  'Tensor input, int dim = None',
  keywordForms(
    'softmin',
    ['input'],
    (
      input: T,
      ...rest: PyArgs<
        [dim: number | null, _stacklevel: number, dtype: TorchDType | null],
        { readonly dim?: number | null; readonly dtype?: TorchDType | null }
      >
    ): T => {
      const a = parseArgs('softmin', rest, ['dim', '_stacklevel', 'dtype'])
      const dim = (a.dim as number | null | undefined) ?? (input.dim() <= 1 || input.dim() === 3 ? 0 : 1)
      // as PyTorch: negate, then (with `dtype`) convert and take the softmax
      const dtype = (a.dtype as TorchDType | null | undefined) ?? undefined
      return input.neg().softmax(dim, dtype === undefined ? {} : { dtype })
    },
  ),
)

// -------------------------------------------------------------------------------------
// piecewise linear
// -------------------------------------------------------------------------------------

/** `clamp(x, min_val, max_val)` (−1, 1); gradient 1 strictly inside. @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.nn.functional.hardtanh(torch.tensor([-2, 0.5, 2])).tolist(), [-1, 0.5, 1])
 * @category torch @since 0.2.0 */
export const hardtanh = keywordForms(
  'hardtanh',
  ['input'],
  (
    input: T,
    ...rest: PyArgs<
      [min_val: number, max_val: number, inplace: boolean],
      { readonly min_val?: number; readonly max_val?: number } & Inplace
    >
  ): T => {
    const a = parseArgs('hardtanh', rest, ['min_val', 'max_val', 'inplace'])
    const lo = num(a, 'min_val', -1)
    const hi = num(a, 'max_val', 1)
    if (lo > hi) throw new RuntimeError('min_val cannot be greater than max_val')
    return unary(
      'HardtanhBackward0',
      (x) => clip(x, lo, hi),
      inplaceFlag(a),
      'HardtanhBackward0',
      viaKernel('HardtanhBackwardBackward0', bw.hardtanhBackward(lo, hi)),
      true,
    )(input)
  },
)

/** `min(max(x, 0), 6)`. @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.nn.functional.relu6(torch.tensor([-1, 7])).tolist(), [0, 6])
 * @category torch @since 0.2.0 */
export const relu6 = keywordForms('relu6', ['input'], (input: T, ...rest: PyArgs<[inplace: boolean], Inplace>): T =>
  hardtanh(input, 0, 6, inplaceFlag(parseArgs('relu6', rest, ['inplace']))),
)

/** `x·relu6(x + 3)/6`. @example
 * import * as torch from 'wengert/torch'
 * assert.ok(torch.nn.functional.hardswish(torch.tensor([-4, 0, 4])).allclose(torch.tensor([0, 0, 4])))
 * @category torch @since 0.2.0 */
export const hardswish = keywordForms(
  'hardswish',
  ['input'],
  (input: T, ...rest: PyArgs<[inplace: boolean], Inplace>): T =>
    unary(
      'HardswishBackward0',
      (x) => lax.mul(x, lax.mulScalar(clip(lax.addScalar(x, 3), 0, 6), 1 / 6)),
      inplaceFlag(parseArgs('hardswish', rest, ['inplace'])),
      'HardswishBackward0',
      viaKernel('HardswishBackwardBackward0', bw.hardswishBackward),
      true,
    )(input),
)

/** `relu6(x + 3)/6`. @example
 * import * as torch from 'wengert/torch'
 * assert.ok(torch.nn.functional.hardsigmoid(torch.tensor([-4, 0, 4])).allclose(torch.tensor([0, 0.5, 1])))
 * @category torch @since 0.2.0 */
export const hardsigmoid = keywordForms(
  'hardsigmoid',
  ['input'],
  (input: T, ...rest: PyArgs<[inplace: boolean], Inplace>): T =>
    unary(
      'HardsigmoidBackward0',
      (x) => lax.mulScalar(clip(lax.addScalar(x, 3), 0, 6), 1 / 6),
      inplaceFlag(parseArgs('hardsigmoid', rest, ['inplace'])),
      'HardsigmoidBackward0',
      viaKernel('HardsigmoidBackwardBackward0', bw.hardsigmoidBackward),
      true,
    )(input),
)

/** `value` where `x ≤ threshold`, else `x` (so NaN stays NaN). @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.nn.functional.threshold(torch.tensor([0, 2]), 1, 9).tolist(), [9, 2])
 * @category torch @since 0.2.0 */
export const threshold = keywordForms(
  'threshold',
  ['input', 'threshold', 'value'],
  (input: T, threshold_: number, value: number, ...rest: PyArgs<[inplace: boolean], Inplace>): T =>
    unary(
      'ThresholdBackward0',
      (x) => lax.select(lax.le(x, k(threshold_, x)), k(value, x), x),
      inplaceFlag(parseArgs('threshold', rest, ['inplace'])),
      'ThresholdBackward1',
      viaKernel('ThresholdBackwardBackward0', bw.thresholdBackward(threshold_)),
    )(input),
)

/** Moves `x` towards 0 by `lambd` (0.5), 0 inside `[−lambd, lambd]`. @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.nn.functional.softshrink(torch.tensor([-2, 0.25, 2])).tolist(), [-1.5, 0, 1.5])
 * @category torch @since 0.2.0 */
export const softshrink = exactKeywords('softshrink', ['input', 'lambd'], (input: T, lambd = 0.5): T =>
  unary(
    'SoftshrinkBackward0',
    (x) =>
      lax.select(
        lax.gt(x, k(lambd, x)),
        lax.addScalar(x, -lambd),
        lax.select(lax.lt(x, k(-lambd, x)), lax.addScalar(x, lambd), k(0, x)),
      ),
    false,
    'SoftshrinkBackward0',
    viaFormula(bw.backwardNode('SoftshrinkBackwardBackward0', bw.shrinkBackward(lambd))),
  )(input),
)

/** `x` where `|x| > lambd` (0.5), else 0. @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.nn.functional.hardshrink(torch.tensor([-2, 0.25, 2])).tolist(), [-2, 0, 2])
 * @category torch @since 0.2.0 */
export const hardshrink = exactKeywords('hardshrink', ['input', 'lambd'], (input: T, lambd = 0.5): T =>
  unary(
    'HardshrinkBackward0',
    // PyTorch's kernel zeroes only inside [−lambd, lambd], so NaN passes through
    (x) => lax.select(lax.le(lax.abs(x), k(lambd, x)), k(0, x), x),
    false,
    'HardshrinkBackward0',
    viaFormula(bw.backwardNode('HardshrinkBackwardBackward0', bw.shrinkBackward(lambd))),
  )(input),
)

// -------------------------------------------------------------------------------------
// with parameters or halves
// -------------------------------------------------------------------------------------

/** `x` where positive, `weight·x` elsewhere; `weight` has 1 entry or one per channel (dim 1). @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.nn.functional.prelu(torch.tensor([-2, 2]), torch.tensor([0.5])).tolist(), [-1, 2])
 * @category torch @since 0.2.0 */
export const prelu = (input: T, weight: T): T => {
  requireTensorArgs('prelu', ['input', 'weight'], [input, weight])
  const n = weight.numel()
  const ch = input.dim() >= 2 ? (input.shape[1] as number) : 1
  if (n !== 1 && n !== ch)
    throw new RuntimeError(
      `Mismatch of parameter numbers and input channel size. Found parameter numbers = ${n} and channel size = ${ch}.`,
    )
  return op(
    'PreluBackward0',
    [input, weight],
    (x0, w0) => {
      const x = floatOf(x0)
      const shape = x.shape.map((d, i) => (n > 1 && i === 1 ? d : 1))
      const w = lax.broadcastTo(lax.reshape(lax.cast(w0, x.dtype), x.ndim === 0 ? [] : shape), x.shape)
      return lax.select(lax.gt(x, k(0, x)), x, lax.mul(w, x))
    },
    { saves: [0, 1] },
  )
}

/** Gated linear unit: the input split in two halves `a, b` along `dim` (−1); `a·σ(b)`. @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.nn.functional.glu(torch.tensor([4, 0])).tolist(), [2])
 * @category torch @since 0.2.0 */
export const glu = checkedEntry(
  'glu',
  'Tensor input',
  keywordForms('glu', ['input'], (input: T, ...rest: PyArgs<[dim: number], { readonly dim?: number }>): T => {
    const a = parseArgs('glu', rest, ['dim'])
    if (input.dim() === 0) throw new RuntimeError('glu does not support scalars because halving size must be even')
    const d = normDim((a.dim as number | undefined) ?? -1, input.dim())
    const size = input.shape[d] as number
    if (size % 2 !== 0) throw new RuntimeError(`Halving dimension must be even, but dimension ${d} is size ${size}`)
    const h = size / 2
    return op(
      'GluBackward0',
      [input],
      (x0) => {
        const x = floatOf(x0)
        const half = (start: number): NdArray =>
          lax.slice(
            x,
            x.shape.map((_, i) => (i === d ? start : 0)),
            x.shape.map((s, i) => (i === d ? start + h : s)),
            x.shape.map(() => 1),
          )
        return lax.mul(half(0), lax.logistic(half(h)))
      },
      { saves: [0] },
    )
  }),
)
