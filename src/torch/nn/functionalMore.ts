/**
 * More of `torch.nn.functional`: `rrelu`/`rrelu_` (random negative slopes from the global
 * generator while training, their mean otherwise; node `RreluWithNoiseBackward0/1`),
 * `channel_shuffle`/`native_channel_shuffle`, `feature_alpha_dropout` and
 * `multilabel_margin_loss` (`MultilabelMarginLossBackward0`).
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { isFloat } from '../../ndarray/dtype'
import { NdArray } from '../../ndarray/NdArray'
import { checkInplace, commitInplace, op } from '../autograd/op'
import { get_default_dtype } from '../dtype'
import { RuntimeError } from '../errors'
import { keywordForms, parseArgs, type PyArgs } from '../kwargs'
import { nextKey, random } from '../random'
import type { Tensor } from '../tensor'
import { alphaDropoutMasked, dropArgs } from './channelDropout'
import { sizeList } from './convUtils'
import { reduceValue, reductionOf, type LegacyKw } from './lossUtils'
import type { Reduction } from './module'
import { requireTensorArgs } from '../pyTypeName'
import { checkedEntry, inplaceFlag } from './functionalArgs'

type T = Tensor

/** Keyword options of `F.rrelu`. */
export interface RReLUKw {
  readonly lower?: number
  readonly upper?: number
  readonly training?: boolean
  readonly inplace?: boolean
}

/** The element-wise function of rrelu: `x·noise` while training (noise drawn here), else leaky_relu at the mean slope. */
const rreluFn = (input: T, lower: number, upper: number, training: boolean): ((x: NdArray) => NdArray) => {
  if (lower > upper) throw new RuntimeError('Lower bound should be less than or equal to the upper bound')
  if (!training) {
    const slope = (lower + upper) / 2
    return (x) => lax.select(lax.gt(x, lax.scalarLike(0, x)), x, lax.mulScalar(x, slope))
  }
  const x0 = input._value()
  const dtype = isFloat(x0.dtype) ? x0.dtype : get_default_dtype().storage
  const r = random.uniform(nextKey(), x0.shape, { dtype, minval: lower, maxval: upper })
  const noise = lax.select(
    lax.gt(lax.cast(x0, dtype), lax.scalarLike(0, r)),
    lax.broadcastLike(lax.scalarLike(1, r), r),
    r,
  )
  return (x) => lax.mul(x, lax.cast(noise, x.dtype))
}

type RReLUArgs = PyArgs<[lower: number, upper: number, training: boolean, inplace: boolean], RReLUKw>

/**
 * Randomized leaky ReLU: while `training`, each non-positive element is scaled by a slope drawn
 * uniformly from [`lower`, `upper`] (defaults 1/8, 1/3); otherwise by their mean.
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * const x = torch.tensor([-4, 2], { requires_grad: true })
 * const y = F.rrelu(x, 0.25, 0.75)
 * assert.deepStrictEqual(y.tolist(), [-2, 2])
 * assert.strictEqual(y.grad_fn?.name(), 'RreluWithNoiseBackward0')
 * const s = F.rrelu(x, { training: true }).select(0, 0).item() / -4
 * assert.ok(s >= 1 / 8 && s <= 1 / 3)
 * @category torch @since 0.2.0
 */
export const rrelu = keywordForms('rrelu', ['input'], (input: T, ...rest: RReLUArgs): T => {
  const a = parseArgs('rrelu', rest, ['lower', 'upper', 'training', 'inplace'])
  const f = rreluFn(
    input,
    (a.lower as number | undefined) ?? 1 / 8,
    (a.upper as number | undefined) ?? 1 / 3,
    a.training === true,
  )
  if (inplaceFlag(a)) {
    checkInplace(input)
    return commitInplace(input, op('RreluWithNoiseBackward1', [input], f, { savesOutput: true }))
  }
  return op('RreluWithNoiseBackward0', [input], f, { saves: [0] })
})

/**
 * In-place `rrelu` (`training` defaults to false).
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.tensor([-4, 2])
 * torch.nn.functional.rrelu_(x, 0.5, 0.5)
 * assert.deepStrictEqual(x.tolist(), [-2, 2])
 * @category torch @since 0.2.0
 */
export const rrelu_ = checkedEntry(
  'rrelu_',
  'Tensor input, Number lower = 0.125, Number upper = 1/3',
  (
    input: T,
    ...rest: PyArgs<
      [lower: number, upper: number, training: boolean],
      { readonly lower?: number; readonly upper?: number; readonly training?: boolean }
    >
  ): T => {
    const a = parseArgs('rrelu_', rest, ['lower', 'upper', 'training'])
    return rrelu(input, { ...a, inplace: true })
  },
  'native',
)

/** Checks channel_shuffle's arguments as ATen does; returns [channels per group, groups]. */
const shuffleGeometry = (input: T, groups: number): [number, number] => {
  const s = input._value().shape
  if (s.length <= 2) {
    throw new RuntimeError(`channel_shuffle expects input with > 2 dims, but got input with sizes ${sizeList(s)}`)
  }
  if (!(groups > 0))
    throw new RuntimeError(`Number of groups to divide channels in must be positive. Value of groups:${groups}`)
  const c = s[1] as number
  if (c % groups !== 0)
    throw new RuntimeError(`Number of channels must be divisible by groups. Got ${c} channels and ${groups} groups.`)
  return [c / groups, groups]
}

/** [N, g, C/g, …] → [N, C/g, g, …] → [N, C, …]. */
const shuffle = (x: NdArray, groups: number): NdArray => {
  const s = x.shape
  const rest = s.slice(2).reduce((p, q) => p * q, 1)
  const g = lax.reshape(x, [s[0] as number, groups, (s[1] as number) / groups, rest])
  return lax.reshape(lax.transpose(g, [0, 2, 1, 3]), s)
}

/**
 * Splits the channels of [N, C, *] into `groups` and interleaves them (ShuffleNet). Recorded as
 * PyTorch 2.x's `ChannelShuffleBackward0` (1.13 had no derivative for it).
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.arange(4, { dtype: torch.float32 }).reshape(1, 4, 1)
 * assert.deepStrictEqual(torch.nn.functional.channel_shuffle(x, 2).reshape(-1).tolist(), [0, 2, 1, 3])
 * @category torch @since 0.2.0
 */
export const channel_shuffle = (input: T, groups: number): T => {
  requireTensorArgs('channel_shuffle', ['input'], [input])
  shuffleGeometry(input, groups)
  return op('ChannelShuffleBackward0', [input], (x) => shuffle(x, groups))
}

/**
 * `channel_shuffle` as ATen's composite writes it (reshape, permute, contiguous, reshape).
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.arange(6, { dtype: torch.float32 }).reshape(1, 6, 1)
 * assert.deepStrictEqual(torch.nn.functional.native_channel_shuffle(x, 3).reshape(-1).tolist(), [0, 2, 4, 1, 3, 5])
 * @category torch @since 0.2.0
 */
export const native_channel_shuffle = (input: T, groups: number): T => {
  requireTensorArgs('native_channel_shuffle', ['input'], [input])
  const [oc, g] = shuffleGeometry(input, groups)
  const s = [...input.shape]
  return input
    .reshape(s[0] as number, g, oc, -1)
    .permute(0, 2, 1, 3)
    .contiguous()
    .reshape(...s)
}

/**
 * Alpha dropout of whole channels of [N, C, *] (SELU networks); identity unless `training`
 * (default false).
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * const x = torch.ones(2, 3, 4)
 * assert.strictEqual(F.feature_alpha_dropout(x, 0.5), x)
 * const y = F.feature_alpha_dropout(x, 0.5, true)
 * const row = y.select(0, 0).select(0, 0).tolist() as number[]
 * assert.ok(row.every((v) => v === row[0]))
 * @category torch @since 0.2.0
 */
export const feature_alpha_dropout = keywordForms(
  'feature_alpha_dropout',
  ['input'],
  (
    input: T,
    ...rest: PyArgs<
      [p: number, training: boolean, inplace: boolean],
      { readonly p?: number; readonly training?: boolean; readonly inplace?: boolean }
    >
  ): T => {
    const { p, training, inplace } = dropArgs('feature_alpha_dropout', rest, false)
    if (!training || p === 0 || input.numel() === 0) return input
    const s = input._value().shape
    if (s.length < 2) throw new RuntimeError('Feature dropout requires at least 2 dimensions in the input')
    return alphaDropoutMasked(input, [s[0] as number, s[1] as number, ...s.slice(2).map(() => 1)], p, inplace)
  },
)

/** The (target, other) pairs of each sample: flat indices into x and the sample of each pair. */
const labelPairs = (input: T, target: T): { yi: number[]; oi: number[]; n: number[]; N: number; C: number } => {
  const xs = input._value().shape
  const ts = target._value().shape
  const nd = xs.length
  if (!((nd === 2 && xs[1] !== 0) || (nd === 1 && xs[0] !== 0) || nd === 0)) {
    throw new RuntimeError(
      `Expected non-empty vector or matrix with optional 0-dim batch size, but got: ${sizeList(xs)}`,
    )
  }
  const N = nd <= 1 ? 1 : (xs[0] as number)
  const C = nd === 0 ? 1 : (xs[nd - 1] as number)
  const ok = nd <= 1 ? ts.length <= 1 && target.numel() === C : ts.length === 2 && ts[0] === N && ts[1] === C
  if (!ok) throw new RuntimeError(`inconsistent size ${sizeList(ts)} for argument #2 'target'`)
  const t = Array.from(target._value()._values('multilabel_margin_loss') as ArrayLike<number>)
  const yi: number[] = []
  const oi: number[] = []
  const n: number[] = []
  for (let s = 0; s < N; s++) {
    const row = t.slice(s * C, (s + 1) * C)
    if (row.some((v) => v < -1 || v >= C)) throw new RuntimeError("argument #2 'target' is out of range")
    const end = row.indexOf(-1)
    const labels = end === -1 ? row : row.slice(0, end)
    const isTarget = new Set(labels)
    for (const y of labels)
      for (let i = 0; i < C; i++)
        if (!isTarget.has(i)) {
          yi.push(s * C + y)
          oi.push(s * C + i)
          n.push(s)
        }
  }
  return { yi, oi, n, N, C }
}

/**
 * Multi-label hinge loss: per sample `Σ_{j∈targets} Σ_{i∉targets} max(0, 1 − (x[j] − x[i])) / C`,
 * the target indices of each row listed before the first −1.
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.tensor([[0.1, 0.2, 0.4, 0.8]])
 * const y = torch.tensor([[3, 0, -1, 1]], { dtype: torch.int64 })
 * assert.ok(Math.abs(torch.nn.functional.multilabel_margin_loss(x, y).item() - 0.85) < 1e-6)
 * @category torch @since 0.2.0
 */
export const multilabel_margin_loss = checkedEntry(
  'multilabel_margin_loss',
  'Tensor input, Tensor target',
  keywordForms(
    'multilabel_margin_loss',
    ['input', 'target'],
    (
      input: T,
      target: T,
      ...rest: PyArgs<[size_average: boolean | null, reduce: boolean | null, reduction: Reduction], LegacyKw>
    ): T => {
      const a = parseArgs('multilabel_margin_loss', rest, ['size_average', 'reduce', 'reduction'])
      const reduction = reductionOf(a)
      const { yi, oi, n, N, C } = labelPairs(input, target)
      const scalarOut = input._value().ndim <= 1
      const ix = (v: number[]): NdArray => new NdArray([v.length], 'int32', Int32Array.from(v))
      return op(
        'MultilabelMarginLossBackward0',
        [input],
        (x0) => {
          const x = lax.reshape(x0, [N * C])
          const z = lax.addScalar(lax.sub(lax.gather(x, ix(oi), 0), lax.gather(x, ix(yi), 0)), 1)
          const zero = lax.broadcastLike(lax.scalarLike(0, z), z)
          const hinge = lax.select(lax.gt(z, zero), z, zero)
          const per = lax.mulScalar(lax.scatterAdd(hinge, ix(n), 0, [N]), 1 / C)
          return reduction === 'none' && scalarOut ? lax.reshape(per, []) : reduceValue(per, reduction)
        },
        { saves: [0] },
      )
    },
  ),
)
