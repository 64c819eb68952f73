/**
 * `torch.nn.functional`: activations, `linear`, `dropout`, `embedding`, `layer_norm` and the
 * losses. Each function is one facade op (or the same chain of ops PyTorch records), so its
 * `grad_fn` carries PyTorch's node name (`MseLossBackward0`, `NllLossBackward0`, …) and its
 * gradient comes from the differentiable ops it is written with.
 *
 * Python keyword arguments are an options object passed last:
 * `F.cross_entropy(x, y, { reduction: 'sum', label_smoothing: 0.1 })`.
 *
 * @category torch
 * @since 0.1.0
 */
import * as lax from '../../core/lax'
import { isFloat, type DType } from '../../ndarray/dtype'
import { NdArray } from '../../ndarray/NdArray'
import { softplus as softplusOp } from '../../ops/unary'
import { customVjp } from '../../transforms/custom'
import { checkInplace, commitInplace, op } from '../autograd/op'
import { get_default_dtype, type TorchDType } from '../dtype'
import { IndexError, RuntimeError, TorchValueError } from '../errors'
import { isMeta, metaArray } from '../meta'
import { exactKeywords, keywordForms, parseArgs, type PyArgs } from '../kwargs'
import { broadcastShape, floatOf } from '../ops/convert'
import { Tensor } from '../tensor'
import { heldT } from '../methods/shape'
import { compositionGrads } from '../methods/pointwiseFused'
import { geluFns } from '../methods/gradKernels'
import { backwardNode, geluBackward, leakyReluBackward, tanhFormula } from '../methods/activationFormulas'
import { requireTensor } from '../pyType'
import { warn } from '../warnings'
import { lossBackwardNode, mseBackward } from './lossFormulas'
import type { Reduction } from './module'
import { layerKernelApplies, layerNormValue } from './layerNormKernel'
import { bernoulliMask } from './random'
import { maskSelectors, tracedTarget, type MaskSelectors } from './targets'
import {
  floatDtype,
  reduceValue,
  reductionOf,
  refuseGradArg,
  sameShape,
  shapeOf,
  sizeStr,
  warnIfTargetSizeDiffers,
  type LegacyKw,
} from './lossUtils'

type T = Tensor

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

/** PyTorch's scalar type name (`Float`, `Double`, `Long`, `Bool`) as its C++ errors print it. */
const scalarTypeName = (t: T): string => t.dtype.word

/** A 0-d array of `v` with dtype `d`. */
const c = (v: number, d: DType): NdArray => lax.scalar(v, d)

/** Broadcasts a value to a shape (NumPy rule). */
const bcast = (x: NdArray, shape: ReadonlyArray<number>): NdArray => lax.broadcastTo(x, shape)

// -------------------------------------------------------------------------------------
// activations
// -------------------------------------------------------------------------------------

/**
 * `max(x, 0)` element-wise (derivative 0 at 0, as PyTorch). `inplace: true` overwrites `input`.
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * assert.deepStrictEqual(F.relu(torch.tensor([-1, 0, 2])).tolist(), [0, 0, 2])
 * @category torch @since 0.1.0
 */
export const relu = checkedEntry(
  'relu',
  'Tensor input',
  keywordForms(
    'relu',
    ['input'],
    (input: T, ...rest: PyArgs<[inplace: boolean], { readonly inplace?: boolean }>): T => {
      const a = parseArgs('relu', rest, ['inplace'])
      if (inplaceFlag(a)) {
        checkInplace(input)
        return input.relu_()
      }
      return input.relu()
    },
  ),
)

/** Logistic sigmoid `1/(1 + e⁻ˣ)`. @category torch @since 0.1.0 */
export const sigmoid = checkedEntry(
  'sigmoid',
  'Tensor input',
  exactKeywords('sigmoid', ['input'], (input: T): T => input.sigmoid()),
)

/** Hyperbolic tangent. @category torch @since 0.1.0 */
export const tanh = exactKeywords('tanh', ['input'], (input: T): T =>
  op('TanhBackward0', [input], (x) => lax.tanh(floatOf(x)), {
    savesOutput: true,
    formula: tanhFormula,
  }),
)

/**
 * `x` where positive, `negative_slope·x` elsewhere (default slope 0.01).
 * @category torch @since 0.1.0
 */
export const leaky_relu = keywordForms(
  'leaky_relu',
  ['input'],
  (
    input: T,
    ...rest: PyArgs<
      [negative_slope: number, inplace: boolean],
      { readonly negative_slope?: number; readonly inplace?: boolean }
    >
  ): T => {
    const a = parseArgs('leaky_relu', rest, ['negative_slope', 'inplace'])
    const slope = (a.negative_slope as number | undefined) ?? 0.01
    const f = (x: NdArray): NdArray => lax.select(lax.gt(x, lax.scalarLike(0, x)), x, lax.mulScalar(x, slope))
    if (inplaceFlag(a)) {
      checkInplace(input)
      return commitInplace(input, op('LeakyReluBackward1', [input], f, { savesOutput: true }))
    }
    return op('LeakyReluBackward0', [input], (x) => f(floatOf(x)), {
      saves: [0],
      gradLink: { of: 0, name: 'LeakyReluBackwardBackward0' },
      formula: backwardNode('LeakyReluBackwardBackward0', leakyReluBackward(slope)),
    })
  },
)

/**
 * Gaussian error linear unit `x·Φ(x) = ½x(1 + erf(x/√2))`; `approximate: 'tanh'` uses
 * `½x(1 + tanh(√(2/π)(x + 0.044715x³)))`.
 * @category torch @since 0.1.0
 */
export const gelu = (input: T, kw: { readonly approximate?: 'none' | 'tanh' } = {}): T => {
  const approx = kw.approximate ?? 'none'
  if (approx !== 'none' && approx !== 'tanh')
    throw new RuntimeError(`approximate argument must be either none or tanh.`)
  const kernel = geluFns[approx]
  // PyTorch's backward is one kernel, gelu_backward (GeluBackwardBackward0 under create_graph)
  return op('GeluBackward0', [input], (x0) => kernel(floatOf(x0)), {
    saves: [0],
    formula: backwardNode('GeluBackwardBackward0', geluBackward(approx)),
  })
}

/**
 * One-hot encoding of int64 class indices: `[...shape, num_classes]` of 0/1 (int64);
 * `num_classes` −1 (default) means max + 1; also `one_hot(x, { num_classes })`.
 * @example
 * import * as torch from 'wengert/torch'
 * const y = torch.nn.functional.one_hot(torch.tensor([0, 2], { dtype: torch.int64 }), 3)
 * assert.deepStrictEqual(y.tolist(), [[1, 0, 0], [0, 0, 1]])
 * assert.strictEqual(y.dtype, torch.int64)
 * @category torch @since 0.1.0
 */
export const one_hot = checkedEntry(
  'one_hot',
  'Tensor input, int num_classes = -1',
  (...args: PyArgs<[input: T, num_classes: number], { readonly input?: T; readonly num_classes?: number }>): T => {
    const a = parseArgs('one_hot', args, ['input', 'num_classes'])
    const tensor = a.input as T
    const num_classes = (a.num_classes ?? -1) as number
    if (tensor.dtype.name !== 'int64')
      throw new RuntimeError('one_hot is only applicable to index tensor of type LongTensor.')
    const v = tensor._value()
    if (isMeta(v)) return metaOneHot(v, num_classes)
    const idx = Array.from(v._values('one_hot') as ArrayLike<number>)
    if (idx.some((k) => k < 0)) throw new RuntimeError('Class values must be non-negative.')
    let C = num_classes
    if (C === -1) {
      if (idx.length === 0) throw new RuntimeError('Can not infer total number of classes from empty tensor.')
      C = Math.max(...idx) + 1
    } else if (idx.some((k) => k >= C)) throw new RuntimeError('Class values must be smaller than num_classes.')
    const out = new Float64Array(idx.length * C)
    idx.forEach((k, i) => {
      out[i * C + k] = 1
    })
    return Tensor._fromValue(new NdArray([...v.shape, C], 'int64', out))
  },
  'native',
)

/**
 * one_hot of meta indices (PyTorch 2.x's functional path, `eq(self.unsqueeze(-1), arange(C))`):
 * a meta int64 tensor with `C` appended to the shape; C = -1 needs the maximum, which `item()`
 * cannot give on meta.
 */
const metaOneHot = (v: NdArray, C: number): T => {
  if (C === -1) throw new RuntimeError('Tensor.item() cannot be called on meta tensors')
  return Tensor._fromValue(metaArray([...v.shape, C], 'int64'))
}

/** PyTorch's implicit softmax dim (deprecated): 0 for 0-, 1- and 3-d input, else 1. */
const implicitDim = (name: string, ndim: number): number => {
  warn(`Implicit dimension choice for ${name} has been deprecated. Change the call to include dim=X as an argument.`)
  return ndim === 0 || ndim === 1 || ndim === 3 ? 0 : 1
}

type SoftmaxKw = { readonly dim?: number | null; readonly _stacklevel?: number; readonly dtype?: TorchDType | null }
const softmaxLike = (name: 'softmax' | 'log_softmax', input0: T, rest: ReadonlyArray<unknown>): T => {
  const a = parseArgs(name, rest, ['dim', '_stacklevel', 'dtype'])
  // PyTorch converts first (ToCopyBackward0), then takes the softmax
  const input = a.dtype === undefined || a.dtype === null ? input0 : input0.to(a.dtype as TorchDType)
  const x0 = input._value()
  const dim = a.dim === undefined || a.dim === null ? implicitDim(name, x0.ndim) : (a.dim as number)
  // the Tensor methods: one op with PyTorch's backward kernel (methods/zeroKernels.ts)
  return name === 'softmax' ? input.softmax(dim) : input.log_softmax(dim)
}

/** `F.softmax` / `F.log_softmax`: the entry check, `input=` by keyword, then {@link softmaxLike}. */
const softmaxEntry = (name: 'softmax' | 'log_softmax') =>
  checkedEntry(
    name,
    'Tensor input, int dim = None',
    keywordForms(
      name,
      ['input'],
      (input: T, ...rest: PyArgs<[dim: number | null, _stacklevel: number, dtype: TorchDType | null], SoftmaxKw>): T =>
        softmaxLike(name, input, rest),
    ),
  )

/**
 * `exp(xᵢ) / Σⱼ exp(xⱼ)` along `dim` (stable).
 * @example
 * import * as torch from 'wengert/torch'
 * const p = torch.nn.functional.softmax(torch.tensor([[1, 1]]), { dim: 1 })
 * assert.deepStrictEqual(p.tolist(), [[0.5, 0.5]])
 * @category torch @since 0.1.0
 */
export const softmax = softmaxEntry('softmax')

/** `x − logsumexp(x)` along `dim` (stable log-probabilities). @category torch @since 0.1.0 */
export const log_softmax = softmaxEntry('log_softmax')

// -------------------------------------------------------------------------------------
// linear, dropout, embedding, layer_norm
// -------------------------------------------------------------------------------------

/**
 * `y = x Wᵀ + b` over the last dimension of `input` (`weight` is `[out, in]`), composed of the ops
 * PyTorch 2.x's `linear` runs, so the graph (node names, `next_functions`, saved tensors, errors)
 * is PyTorch's: a 2-D input with a bias is `addmm(b, x, Wᵀ)`; another contiguous input with a
 * vector-like contiguous bias is flattened to 2-D, `addmm`ed and viewed back
 * (`ViewBackward0 → AddmmBackward0`); otherwise `matmul(x, Wᵀ)` then, with a bias, `add_(b)` in
 * place (`AddBackward0`, the result at version 1).
 * @example
 * import * as torch from 'wengert/torch'
 * const y = torch.nn.functional.linear(torch.tensor([[1, 2]]), torch.tensor([[1, 1], [0, 1]]), torch.tensor([0, 10]))
 * assert.deepStrictEqual(y.tolist(), [[3, 12]])
 * const x3 = torch.ones(2, 2, 2, { requires_grad: true })
 * const w = torch.ones(3, 2, { requires_grad: true })
 * assert.strictEqual(torch.nn.functional.linear(x3, w, torch.zeros(3)).grad_fn?.name(), 'ViewBackward0')
 * assert.strictEqual(torch.nn.functional.linear(x3, w).grad_fn?.name(), 'UnsafeViewBackward0')
 * @category torch @since 0.1.0
 */
export const linear = checkedEntry(
  'linear',
  'Tensor input, Tensor weight, Tensor? bias = None',
  (input: T, weight: T, bias: T | null = null): T => {
    const [xd, wd] = [input.dim(), weight.dim()]
    if (xd === 0 || wd === 0)
      throw new RuntimeError(`both arguments to linear need to be at least 1D, but they are ${xd}D and ${wd}D`)
    if (input.dtype !== weight.dtype) {
      throw new RuntimeError(
        `mat1 and mat2 must have the same dtype, but got ${scalarTypeName(input)} and ${scalarTypeName(weight)}`,
      )
    }
    // NOTE: addmm's Wᵀ is a held view (its transpose is never computed: the product reads W itself)
    const addmmWt = (): T => (wd === 2 ? heldT(weight) : weight.t())
    if (bias !== null && xd === 2) return bias.addmm(input, addmmWt())
    if (bias !== null && fusableBias(bias) && input.is_contiguous()) {
      // _flatten_nd_linear: the leading dimensions folded into addmm's rows, viewed back after
      const wt = addmmWt()
      const lead = input.shape.slice(0, -1)
      const flat = input.reshape(
        lead.reduce((a, b) => a * b, 1),
        input.shape[xd - 1] as number,
      )
      const r = bias.addmm(flat, wt)
      return r.view(...lead, r.shape[1] as number)
    }
    const out = input.matmul(weight.t())
    return bias === null ? out : out.add_(bias)
  },
  'native',
)

/** PyTorch 2.x's `is_bias_likely_fusable`: a contiguous bias of one dimension (after squeezing). */
const fusableBias = (b: T): boolean =>
  b.is_contiguous() && (b.dim() === 1 || b.shape.filter((n) => n !== 1).length === 1)

/**
 * Randomly zeroes elements with probability `p` and scales the rest by `1/(1 − p)` while
 * `training` (default true); otherwise returns `input`.
 * @category torch @since 0.1.0
 */
export const dropout = checkedEntry(
  'dropout',
  'Tensor input',
  keywordForms(
    'dropout',
    ['input'],
    (
      input: T,
      ...rest: PyArgs<
        [p: number, training: boolean, inplace: boolean],
        { readonly p?: number; readonly training?: boolean; readonly inplace?: boolean }
      >
    ): T => {
      const a = parseArgs('dropout', rest, ['p', 'training', 'inplace'])
      const p = (a.p as number | undefined) ?? 0.5
      const training = (a.training as boolean | undefined) ?? true
      if (!(p >= 0 && p <= 1)) throw new TorchValueError(`dropout probability has to be between 0 and 1, but got ${p}`)
      if (!training || p === 0) return input
      const x0 = input._value()
      const scaled = (x: NdArray, mask: NdArray): NdArray => lax.mul(x, lax.cast(mask, x.dtype))
      // NOTE: the mask holds 0 or 1/(1 − p) (0 everywhere for p = 1), so backward is grad · mask
      const keep = p === 1 ? null : bernoulliMask(x0.shape, 1 - p)
      const mask = (dtype: DType): NdArray => {
        if (keep === null) return lax.zerosLike({ shape: x0.shape, dtype })
        return lax.mulScalar(lax.cast(keep, dtype), 1 / (1 - p))
      }
      const m = Tensor._fromValue(mask(isFloat(x0.dtype) ? x0.dtype : get_default_dtype().storage))
      if (inplaceFlag(a)) {
        checkInplace(input)
        return commitInplace(input, op('MulBackward0', [input, m], scaled, { saves: [1] }))
      }
      return op('MulBackward0', [input, m], scaled, { saves: [1] })
    },
  ),
)

/**
 * Layer normalisation over the trailing `normalized_shape` dimensions: `(x − mean) / √(var + eps)`
 * (biased variance), then `· weight + bias` when given.
 * @category torch @since 0.1.0
 */
export const layer_norm = checkedEntry(
  'layer_norm',
  'Tensor input, tuple of ints normalized_shape, Tensor? weight = None, Tensor? bias = None',
  keywordForms(
    'layer_norm',
    ['input', 'normalized_shape'],
    (
      input: T,
      normalized_shape: number | ReadonlyArray<number>,
      ...rest: PyArgs<
        [weight: T | null, bias: T | null, eps: number],
        { readonly weight?: T | null; readonly bias?: T | null; readonly eps?: number }
      >
    ): T => {
      const a = parseArgs('layer_norm', rest, ['weight', 'bias', 'eps'])
      const ns = typeof normalized_shape === 'number' ? [normalized_shape] : [...normalized_shape]
      const eps = (a.eps as number | undefined) ?? 1e-5
      const weight = (a.weight as T | null | undefined) ?? null
      const bias = (a.bias as T | null | undefined) ?? null
      const x0 = input._value()
      const k = ns.length
      const tail = x0.shape.slice(x0.ndim - k)
      if (k === 0 || x0.ndim < k || !sameShape(tail, ns)) {
        throw new RuntimeError(
          `Given normalized_shape=[${ns.join(', ')}], expected input with shape [*, ${ns.join(', ')}], but got input of size[${x0.shape.join(', ')}]`,
        )
      }
      for (const [nm, t] of [
        ['weight', weight],
        ['bias', bias],
      ] as const) {
        if (t !== null && !sameShape(shapeOf(t), ns)) {
          throw new RuntimeError(
            `Expected ${nm} to be of same shape as normalized_shape, but got ${nm} of shape [${shapeOf(t).join(', ')}] and normalized_shape = [${ns.join(', ')}]`,
          )
        }
      }
      const axes = Array.from({ length: k }, (_, i) => x0.ndim - k + i)
      const count = ns.reduce((p, d) => p * d, 1)
      const keptShape = x0.shape.map((d, i) => (i >= x0.ndim - k ? 1 : d))
      const norm = (x: NdArray): NdArray => {
        const mean = lax.reshape(lax.mulScalar(lax.reduceSum(x, axes), 1 / count), keptShape)
        const centred = lax.sub(x, bcast(mean, x.shape))
        const v = lax.reshape(lax.mulScalar(lax.reduceSum(lax.mul(centred, centred), axes), 1 / count), keptShape)
        const rstd = lax.reciprocal(lax.sqrt(lax.addScalar(v, eps)))
        return lax.mul(centred, bcast(rstd, x.shape))
      }
      const inputs: T[] = [input]
      if (weight !== null) inputs.push(weight)
      if (bias !== null) inputs.push(bias)
      const composition = (...vs: NdArray[]): NdArray => {
        const x = floatOf(vs[0] as NdArray)
        let y = norm(x)
        let i = 1
        if (weight !== null) y = lax.mul(y, bcast(lax.cast(vs[i++] as NdArray, y.dtype), y.shape))
        // PyTorch's kernel adds a bias of +0 when there is none, so a zero is never −0
        y = lax.add(y, bias !== null ? bcast(lax.cast(vs[i] as NdArray, y.dtype), y.shape) : lax.scalarLike(0, y))
        return y
      }
      // PyTorch's float32/float64 forward kernel where it applies (./layerNormKernel); the
      // gradients (and every other case) through the composition
      const contiguous = input.is_contiguous()
      const kernel = (vs: ReadonlyArray<NdArray>): NdArray =>
        layerNormValue(
          vs[0] as NdArray,
          count,
          eps,
          weight !== null ? (vs[1] as NdArray) : null,
          bias !== null ? (vs[weight !== null ? 2 : 1] as NdArray) : null,
        )
      return op(
        'NativeLayerNormBackward0',
        inputs,
        (...vs: NdArray[]) => (layerKernelApplies(vs, contiguous) ? kernel(vs) : composition(...vs)),
        { saves: inputs.map((_, i) => i), grads: compositionGrads(composition) },
      )
    },
  ),
)

// -------------------------------------------------------------------------------------
// losses
// -------------------------------------------------------------------------------------

/**
 * Mean squared error `(input − target)²`, reduced by `reduction` (default `'mean'`). Targets of
 * another size broadcast, with PyTorch's warning.
 * @example
 * import * as torch from 'wengert/torch'
 * const l = torch.nn.functional.mse_loss(torch.tensor([1, 2]), torch.tensor([0, 0]))
 * assert.strictEqual(l.item(), 2.5)
 * @category torch @since 0.1.0
 */
export const mse_loss = keywordForms(
  'mse_loss',
  ['input', 'target'],
  (
    input: T,
    target: T,
    ...rest: PyArgs<[size_average: boolean | null, reduce: boolean | null, reduction: Reduction], LegacyKw>
  ): T => {
    requireTensor('mse_loss', 'input', input)
    requireTensor('mse_loss', 'target', target)
    const a = parseArgs('mse_loss', rest, ['size_average', 'reduce', 'reduction'])
    const reduction = reductionOf(a)
    const [si, st] = warnIfTargetSizeDiffers(input, target)
    const shape = broadcastShape(si, st)
    const d = floatDtype(input, target)
    return op(
      'MseLossBackward0',
      [input, target],
      (x, y) => {
        const diff = lax.sub(bcast(lax.cast(x, d), shape), bcast(lax.cast(y, d), shape))
        return reduceValue(lax.mul(diff, diff), reduction)
      },
      { saves: [0, 1], formula: lossBackwardNode('MseLossBackwardBackward0', mseBackward, reduction, d) },
    )
  },
)

/**
 * Mean absolute error `|input − target|` with `reduction`; recorded as PyTorch records it
 * (`SubBackward0`, `AbsBackward0`, then `MeanBackward0` or `SumBackward0`).
 * @category torch @since 0.1.0
 */
export const l1_loss = keywordForms(
  'l1_loss',
  ['input', 'target'],
  (
    input: T,
    target: T,
    ...rest: PyArgs<[size_average: boolean | null, reduce: boolean | null, reduction: Reduction], LegacyKw>
  ): T => {
    const a = parseArgs('l1_loss', rest, ['size_average', 'reduce', 'reduction'])
    const reduction = reductionOf(a)
    warnIfTargetSizeDiffers(input, target)
    const l = input.sub(target).abs()
    return reduction === 'none' ? l : reduction === 'sum' ? l.sum() : l.mean()
  },
)

/** `max(log v, −100)`, PyTorch's clamp of BCE's logarithms. */
const clampedLog = (v: NdArray): NdArray => lax.max(lax.log(v), lax.scalarLike(-100, v))

/** `(y − 1)·log(1 − x) − y·log x` (clamped logs), in PyTorch's order of operations (so 0 is +0). */
const bceValue = (x: NdArray, y: NdArray): NdArray =>
  lax.sub(
    lax.mul(lax.addScalar(y, -1), clampedLog(lax.sub(lax.broadcastLike(c(1, x.dtype), x), x))),
    lax.mul(y, clampedLog(x)),
  )

/**
 * The element-wise BCE `−(y·log x + (1 − y)·log(1 − x))` with logs clamped at −100, and
 * PyTorch's derivatives: ∂/∂x = (x − y) / max(x(1 − x), 1e-12), ∂/∂y = log(1 − x) − log x.
 * NOTE: the clamped logs have an infinite slope at x ∈ {0, 1}; PyTorch's formula keeps the
 * gradient finite there, so it is a custom VJP.
 */
const bceElementwise = customVjp(
  (x, y) => bceValue(x, y),
  (x, y) => [bceValue(x, y), [x, y]],
  (res, g) => {
    const [x, y] = res as [NdArray, NdArray]
    const oneMinusX = lax.sub(lax.broadcastLike(c(1, x.dtype), x), x)
    const denom = lax.max(lax.mul(oneMinusX, x), lax.scalarLike(1e-12, x))
    return [lax.mul(g, lax.div(lax.sub(x, y), denom)), lax.mul(g, lax.sub(lax.log(oneMinusX), lax.log(x)))]
  },
)

/**
 * Binary cross entropy of probabilities: `−w·(y·log x + (1 − y)·log(1 − x))` (logs clamped at
 * −100). `input` must lie in [0, 1] and have `target`'s size.
 * @category torch @since 0.1.0
 */
export const binary_cross_entropy = keywordForms(
  'binary_cross_entropy',
  ['input', 'target'],
  (
    input: T,
    target: T,
    ...rest: PyArgs<
      [weight: T | null, size_average: boolean | null, reduce: boolean | null, reduction: Reduction],
      LegacyKw & { readonly weight?: T | null }
    >
  ): T => {
    const a = parseArgs('binary_cross_entropy', rest, ['weight', 'size_average', 'reduce', 'reduction'])
    const reduction = reductionOf(a)
    const weight = (a.weight as T | null | undefined) ?? null
    const si = shapeOf(input)
    const st = shapeOf(target)
    if (!sameShape(si, st)) {
      throw new TorchValueError(
        `Using a target size (${sizeStr(st)}) that is different to the input size (${sizeStr(si)}) is deprecated. Please ensure they have the same size.`,
      )
    }
    // F.binary_cross_entropy expands the weight to the target's size (_infer_size(target, weight))
    if (weight !== null) broadcastShape(st, shapeOf(weight))
    refuseGradArg('binary_cross_entropy', 'weight', weight)
    const xs = input._value()._values('binary_cross_entropy')
    for (let i = 0; i < xs.length; i++) {
      const v = xs[i] as number
      if (!(v >= 0 && v <= 1)) throw new RuntimeError('all elements of input should be between 0 and 1')
    }
    const d = floatDtype(input, target)
    const inputs = weight === null ? [input, target] : [input, target, weight]
    return op(
      'BinaryCrossEntropyBackward0',
      inputs,
      (x, y, w) => {
        let l = bceElementwise(lax.cast(x, d), lax.cast(y, d))
        if (w !== undefined) l = lax.mul(l, bcast(lax.cast(w, d), l.shape))
        return reduceValue(l, reduction)
      },
      { saves: inputs.map((_, i) => i) },
    )
  },
)

/**
 * Binary cross entropy on logits, stable for any |x|:
 * `(1 − y)·x + (1 + (p − 1)·y)·(log1p(e^−|x|) + max(−x, 0))` times `weight`, where `p` is
 * `pos_weight` (broadcast along the last dimension); without `pos_weight` this is
 * `max(x, 0) − x·y + log1p(e^−|x|)`.
 * @example
 * import * as torch from 'wengert/torch'
 * const l = torch.nn.functional.binary_cross_entropy_with_logits(torch.tensor([0]), torch.tensor([1]))
 * assert.ok(Math.abs((l.item() as number) - Math.LN2) < 1e-6)
 * @category torch @since 0.1.0
 */
export const binary_cross_entropy_with_logits = keywordForms(
  'binary_cross_entropy_with_logits',
  ['input', 'target'],
  (
    input: T,
    target: T,
    ...rest: PyArgs<
      [
        weight: T | null,
        size_average: boolean | null,
        reduce: boolean | null,
        reduction: Reduction,
        pos_weight: T | null,
      ],
      LegacyKw & { readonly weight?: T | null; readonly pos_weight?: T | null }
    >
  ): T => {
    const a = parseArgs('binary_cross_entropy_with_logits', rest, [
      'weight',
      'size_average',
      'reduce',
      'reduction',
      'pos_weight',
    ])
    const reduction = reductionOf(a)
    const weight = (a.weight as T | null | undefined) ?? null
    const posWeight = (a.pos_weight as T | null | undefined) ?? null
    const si = shapeOf(input)
    const st = shapeOf(target)
    if (!sameShape(si, st))
      throw new TorchValueError(`Target size (${sizeStr(st)}) must be the same as input size (${sizeStr(si)})`)
    refuseGradArg('binary_cross_entropy_with_logits', 'weight', weight)
    refuseGradArg('binary_cross_entropy_with_logits', 'pos_weight', posWeight)
    if (weight !== null) broadcastShape(shapeOf(weight), si)
    if (posWeight !== null) broadcastShape(shapeOf(posWeight), si)
    const d = floatDtype(input, target)
    const inputs = [input, target, ...(weight !== null ? [weight] : []), ...(posWeight !== null ? [posWeight] : [])]
    const out = op(
      'BinaryCrossEntropyWithLogitsBackward0',
      inputs,
      (...vs: NdArray[]) => {
        const x = lax.cast(vs[0] as NdArray, d)
        const y = lax.cast(vs[1] as NdArray, d)
        const w = weight !== null ? lax.cast(vs[2] as NdArray, d) : undefined
        const p = posWeight !== null ? lax.cast(vs[weight !== null ? 3 : 2] as NdArray, d) : undefined
        const one = lax.broadcastLike(c(1, d), x)
        // −log σ(x) = softplus(−x), whose derivative at 0 is −σ(0): the gradient there is σ(0) − y
        const sp = softplusOp(lax.neg(x))
        let l: NdArray
        if (p === undefined) l = lax.add(lax.mul(lax.sub(one, y), x), sp)
        else {
          const coef = lax.add(one, lax.mul(lax.sub(bcast(p, x.shape), one), y))
          l = lax.add(lax.mul(lax.sub(one, y), x), lax.mul(coef, sp))
        }
        if (w !== undefined) l = lax.mul(l, bcast(w, l.shape))
        return reduceValue(l, reduction)
      },
      { saves: inputs.map((_, i) => i) },
    )
    // PyTorch's input gradient (FunctionsManual.cpp binary_cross_entropy_with_logits_backward, 1.13
    // and 2.x): σ(x).sub_(y).mul_(grad), or (1 + p·y).sub_(y).mul_(σ(x)).sub_(p·y).mul_(grad) with
    // pos_weight; then mul_(weight) and, for the mean, div_(numel): one version per in-place step
    const gf = out.grad_fn
    if (gf !== null)
      gf._gradVersions = [(posWeight !== null ? 4 : 2) + (weight !== null ? 1 : 0) + (reduction === 'mean' ? 1 : 0)]
    return out
  },
)

/**
 * Checks class-index targets and returns their values, the class count and the class axis.
 * `atKernel` runs where PyTorch's nll_loss_nd hands over to the nll_loss(2d)_forward kernel (the
 * checks before it are nll_loss_nd's, those after it the kernel's).
 */
const classTargets = (
  fn: string,
  input: T,
  target: T,
  atKernel: () => void = () => undefined,
): { classAxis: number; classes: number; t: NdArray } => {
  const x = input._value()
  const t = target._value()
  if (x.ndim < 1) throw new TorchValueError(`Expected 1 or more dimensions (got ${x.ndim})`)
  if (x.ndim === 1) {
    atKernel()
    if (t.ndim !== 0) throw new RuntimeError('0D or 1D target tensor expected, multi-target not supported')
  } else {
    if ((x.shape[0] as number) !== (t.shape[0] ?? -1)) {
      throw new TorchValueError(
        `Expected input batch_size (${x.shape[0]}) to match target batch_size (${t.ndim === 0 ? 0 : t.shape[0]}).`,
      )
    }
    if (x.ndim > 2 && !sameShape(t.shape, [x.shape[0] as number, ...x.shape.slice(2)])) {
      throw new RuntimeError(
        `Expected target size [${[x.shape[0], ...x.shape.slice(2)].join(', ')}], got [${t.shape.join(', ')}]`,
      )
    }
    atKernel()
    if (x.ndim === 2 && t.ndim !== 1)
      throw new RuntimeError('0D or 1D target tensor expected, multi-target not supported')
  }
  if (target.dtype.name !== 'int64')
    throw new RuntimeError(`expected scalar type Long but found ${scalarTypeName(target)}`)
  void fn
  const classAxis = x.ndim === 1 ? 0 : 1
  return { classAxis, classes: x.shape[classAxis] as number, t }
}

/**
 * Per-position class weights (0 where ignored), the flat index of each target's entry of the
 * input, and a mask of the positions that count.
 */
const selectors = (
  xShape: ReadonlyArray<number>,
  classAxis: number,
  t: NdArray,
  weight: NdArray | null,
  ignoreIndex: number,
  dtype: DType,
): MaskSelectors => {
  const C = xShape[classAxis] as number
  const inner = xShape.slice(classAxis + 1).reduce((p, d) => p * d, 1)
  const outer = t.size / inner
  const idx = new Int32Array(t.size)
  const keep = new Uint8Array(t.size)
  const wt = dtype === 'float64' ? new Float64Array(t.size) : new Float32Array(t.size)
  const wv = weight?._values('nll_loss')
  const tv = t._values('nll_loss')
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const k = o * inner + i
      const cls = tv[k] as number
      if (cls === ignoreIndex) {
        idx[k] = o * C * inner + i // any valid entry; masked out below
        continue
      }
      if (cls < 0 || cls >= C) throw new IndexError(`Target ${cls} is out of bounds.`)
      idx[k] = (o * C + cls) * inner + i
      keep[k] = 1
      wt[k] = wv === undefined ? 1 : (wv[cls] as number)
    }
  }
  const hit = new Uint8Array(outer * C * inner)
  for (let k = 0; k < t.size; k++) if (keep[k] === 1) hit[idx[k] as number] = 1
  const hits = new NdArray(xShape, 'bool', hit)
  const negZero = lax.scalar(-0, dtype)
  return {
    // the target entry summed with −0s (exact, −0 included), not a gather: the gradient is then
    // written at the target (a select), as PyTorch's nll_loss_backward writes −w·grad there, so a
    // −0 survives (a gather's scatter-add onto zeros would turn it into +0)
    pick: (x) => lax.reduceSum(lax.select(hits, lax.cast(x, dtype), lax.broadcastTo(negZero, xShape)), [classAxis]),
    keep: new NdArray(t.shape, 'bool', keep),
    wt: new NdArray(t.shape, dtype, wt),
  }
}

const checkClassWeight = (weight: T | null, C: number): NdArray | null => {
  if (weight === null) return null
  const w = weight._value()
  if (w.ndim !== 1 || w.size !== C) {
    throw new RuntimeError(
      `weight tensor should be defined either for all ${C} classes or no classes but got weight tensor of shape: [${w.shape.join(', ')}]`,
    )
  }
  return w
}

type NllKw = LegacyKw & { readonly weight?: T | null; readonly ignore_index?: number }

/**
 * Negative log-likelihood of class indices: `−w[yₙ]·input[n, yₙ]`; `'mean'` divides by
 * `Σ w[yₙ]` over targets that are not `ignore_index` (default −100).
 * @example
 * import * as torch from 'wengert/torch'
 * const logp = torch.tensor([[-1, -2], [-3, -4]])
 * const l = torch.nn.functional.nll_loss(logp, torch.tensor([0, 1], { dtype: torch.int64 }))
 * assert.strictEqual(l.item(), 2.5)
 * @category torch @since 0.1.0
 */
export const nll_loss = checkedEntry(
  'nll_loss',
  'Tensor input, Tensor target, Tensor? weight = None',
  keywordForms(
    'nll_loss',
    ['input', 'target'],
    (
      input: T,
      target: T,
      ...rest: PyArgs<
        [
          weight: T | null,
          size_average: boolean | null,
          ignore_index: number,
          reduce: boolean | null,
          reduction: Reduction,
        ],
        NllKw
      >
    ): T => {
      const a = parseArgs('nll_loss', rest, ['weight', 'size_average', 'ignore_index', 'reduce', 'reduction'])
      const reduction = reductionOf(a)
      const ignoreIndex = (a.ignore_index as number | undefined) ?? -100
      const weight = (a.weight as T | null | undefined) ?? null
      // inputs of more than 2 dimensions go to nll_loss2d_forward (3-D and 5-D+ reshaped to 4-D)
      const kernel = input.dim() <= 2 ? 'nll_loss_forward' : 'nll_loss2d_forward'
      const { classAxis, classes, t } = classTargets('nll_loss', input, target, () =>
        refuseGradArg(kernel, 'weight', weight),
      )
      const w = checkClassWeight(weight, classes)
      const x0 = input._value()
      const d = isFloat(x0.dtype) ? x0.dtype : get_default_dtype().storage
      const wd = w === null ? null : lax.cast(w, d)
      const { pick, keep, wt } = tracedTarget(t)
        ? maskSelectors(x0.shape, classAxis, t, wd, ignoreIndex, d)
        : selectors(x0.shape, classAxis, t, wd, ignoreIndex, d)
      const name =
        x0.ndim <= 2
          ? 'NllLossBackward0'
          : x0.ndim !== 4 && reduction === 'none'
            ? 'ViewBackward0'
            : 'NllLoss2DBackward0'
      return op(
        name,
        [input],
        (x) => {
          // NOTE: only the target entries are read (a gather), so −inf elsewhere in the input is
          // harmless, as in PyTorch; ignored positions are selected away (their cotangent is 0)
          const picked = pick(x)
          const zero = lax.broadcastLike(c(0, d), picked)
          const l = lax.select(keep, lax.neg(lax.mul(picked, wt)), zero)
          if (reduction === 'none') return l
          const all = Array.from({ length: l.ndim }, (_, i) => i)
          const s = lax.reduceSum(l, all)
          return reduction === 'sum' ? s : lax.div(s, lax.reduceSum(wt, all))
        },
        { saves: [0] },
      )
    },
  ),
)

type CrossEntropyKw = NllKw & { readonly label_smoothing?: number }

/**
 * Cross entropy of logits: `nll_loss(log_softmax(input, 1), target)` for class-index targets
 * (int64), or `−Σ_c w_c·y_c·log_softmax(x)_c` for class-probability targets (float, same shape as
 * `input`; `'mean'` divides by the batch size). `label_smoothing` ε mixes the target with the
 * uniform distribution: `(1 − ε)·y + ε/C`.
 * @example
 * import * as torch from 'wengert/torch'
 * const l = torch.nn.functional.cross_entropy(torch.tensor([[0, 0]]), torch.tensor([1], { dtype: torch.int64 }))
 * assert.ok(Math.abs((l.item() as number) - Math.LN2) < 1e-6)
 * @category torch @since 0.1.0
 */
export const cross_entropy = checkedEntry(
  'cross_entropy',
  'Tensor input, Tensor target, Tensor? weight = None',
  keywordForms(
    'cross_entropy',
    ['input', 'target'],
    (
      input: T,
      target: T,
      ...rest: PyArgs<
        [
          weight: T | null,
          size_average: boolean | null,
          ignore_index: number,
          reduce: boolean | null,
          reduction: Reduction,
          label_smoothing: number,
        ],
        CrossEntropyKw
      >
    ): T => {
      const a = parseArgs('cross_entropy', rest, [
        'weight',
        'size_average',
        'ignore_index',
        'reduce',
        'reduction',
        'label_smoothing',
      ])
      const reduction = reductionOf(a)
      const eps = (a.label_smoothing as number | undefined) ?? 0
      if (!(eps >= 0 && eps <= 1)) throw new RuntimeError(`label_smoothing must be between 0.0 and 1.0. Got: ${eps}`)
      const ignoreIndex = (a.ignore_index as number | undefined) ?? -100
      const weight = (a.weight as T | null | undefined) ?? null
      const x0 = input._value()
      if (x0.ndim < 1) throw new TorchValueError(`Expected 1 or more dimensions (got ${x0.ndim})`)
      const classAxis = x0.ndim === 1 ? 0 : 1
      const logp = log_softmax(input, classAxis)
      const C = x0.shape[classAxis] as number
      if (sameShape(x0.shape, shapeOf(target))) {
        // class probabilities
        if (!target.dtype.is_floating_point)
          throw new RuntimeError(
            `Expected floating point type for target with class probabilities, got ${scalarTypeName(target)}`,
          )
        if (ignoreIndex >= 0) throw new RuntimeError('ignore_index is not supported for floating point target')
        checkClassWeight(weight, C)
        const d = logp._value().dtype
        const wShape = x0.shape.map((s, i) => (i === classAxis ? s : 1))
        // the weight is a differentiable operand here (PyTorch composes this loss of tensor ops)
        return op(
          reduction === 'mean' ? 'DivBackward1' : 'NegBackward0',
          weight === null ? [logp, target] : [logp, target, weight],
          (lp, y0, w) => {
            let y = lax.cast(y0, d)
            if (eps > 0) y = lax.addScalar(lax.mulScalar(y, 1 - eps), eps / C)
            let prod = lax.mul(lp, y)
            if (w !== undefined) prod = lax.mul(prod, bcast(lax.reshape(lax.cast(w, d), wShape), prod.shape))
            if (reduction === 'none') return lax.neg(lax.reduceSum(prod, [classAxis]))
            const all = Array.from({ length: prod.ndim }, (_, i) => i)
            const s = lax.neg(lax.reduceSum(prod, all))
            return reduction === 'sum' ? s : lax.mulScalar(s, C / Math.max(prod.size, 1))
          },
          { saves: weight === null ? [0, 1] : [0, 1, 2] },
        )
      }
      const nll = nll_loss(logp, target, { weight, ignore_index: ignoreIndex, reduction })
      if (eps === 0) return nll
      // label smoothing with class indices (PyTorch's cross_entropy_loss_label_smoothing)
      const { classAxis: ax, t } = classTargets('cross_entropy', input, target)
      const w = checkClassWeight(weight, C)
      const d = logp._value().dtype
      // positions of ignore_index: their smoothing term is masked_fill'ed with 0 (a select, so the
      // gradient there is +0 even where log_softmax gave NaN or ±inf)
      const keep = new NdArray(
        t.shape,
        'bool',
        Uint8Array.from(t._values('cross_entropy') as ArrayLike<number>, (v) => (v === ignoreIndex ? 0 : 1)),
      )
      let denom = 0
      if (reduction === 'mean') {
        if (w === null)
          denom = Array.from(t._values('cross_entropy') as ArrayLike<number>).filter((v) => v !== ignoreIndex).length
        else {
          const wv = w._values('cross_entropy')
          for (const v of t._values('cross_entropy')) if (v !== ignoreIndex) denom += wv[v] as number
        }
      }
      const wShape = x0.shape.map((s, i) => (i === ax ? s : 1))
      const smooth = op(
        'SumBackward1',
        [logp],
        (lp) => {
          let prod = lp
          if (w !== null) prod = lax.mul(prod, bcast(lax.reshape(lax.cast(w, d), wShape), prod.shape))
          const perPos = lax.select(keep, lax.neg(lax.reduceSum(prod, [ax])), lax.scalarLike(0, prod))
          if (reduction === 'none') return perPos
          const all = Array.from({ length: perPos.ndim }, (_, i) => i)
          const s = lax.reduceSum(perPos, all)
          return reduction === 'sum' ? s : lax.mulScalar(s, 1 / denom)
        },
        { saves: [0] },
      )
      return op('AddBackward0', [nll, smooth], (n, s) => lax.add(lax.mulScalar(n, 1 - eps), lax.mulScalar(s, eps / C)))
    },
  ),
)
export * from './conv_functional'
export * from './pool_functional'
// the function names only: the modules' shared helpers (takeAlong, plan, dropArgs, …) are no F names
export { pad, type PadMode, type PadKw } from './padding'
export {
  adaptive_avg_pool1d,
  adaptive_avg_pool2d,
  adaptive_avg_pool3d,
  adaptive_max_pool1d,
  adaptive_max_pool2d,
  type AdaptiveSize,
  type AdaptiveMaxKw,
} from './adaptive'
export * from './interpolate'
export * from './rearrange'
export { dropout1d, dropout2d, dropout3d, alpha_dropout } from './channelDropout'
export * from './norm_functional'
export * from './activation_functional'
export * from './attentionFunctional'
export { smooth_l1_loss, huber_loss, kl_div, poisson_nll_loss, gaussian_nll_loss, soft_margin_loss } from './losses2'
export {
  margin_ranking_loss,
  hinge_embedding_loss,
  cosine_embedding_loss,
  multilabel_soft_margin_loss,
  triplet_margin_loss,
  multi_margin_loss,
  triplet_margin_with_distance_loss,
} from './marginLosses'
import { checkedEntry, inplaceFlag } from './functionalArgs'
export { cosine_similarity, pairwise_distance } from './distance'
export { embedding } from './embedding'
export { embedding_bag } from './embeddingBag'
export { ctc_loss, type CtcLengths, type CtcLossOptions } from './ctc'
export { bilinear, gumbel_softmax, pdist, type GumbelKw } from './functionalExtra'
export * from './functionalCompat'
export { grid_sample, affine_grid, type GridSampleMode, type GridPaddingMode, type GridSampleKw } from './gridSample'
export * from './unpool'
export * from './functionalMore'
export * from './fractionalPool'
export { conv_tbc } from './convTbc'
