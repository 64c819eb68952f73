/**
 * The `torch.*` forms of functional ops that ported code calls directly (`torch.dropout(x, p,
 * train)`, `torch.batch_norm(...)`, `torch.selu(x)`, …). They follow the ATen schemas, which
 * differ from `torch.nn.functional` in places: `dropout`'s `train` is required, `batch_norm` and
 * `instance_norm` take weight and bias before the running statistics and every argument is
 * required, `embedding` takes the weight first. Each computes what the functional form does, so
 * values, nodes and gradients are the same.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.tensor([[1, 2], [3, 4]], { requires_grad: true })
 * assert.strictEqual(torch.dropout(x, 0.5, false), x)
 * const y = torch.batch_norm(x, null, null, null, null, true, 0.1, 1e-5, false)
 * assert.deepStrictEqual(y.round().tolist(), [[-1, -1], [1, 1]])
 * const e = torch.embedding(torch.eye(3), torch.tensor([2], { dtype: torch.int64 }))
 * assert.deepStrictEqual(e.tolist(), [[0, 0, 1]])
 * @category torch
 * @since 0.2.0
 */
import { atenArgs } from './atenArgs'
import { RuntimeError } from './errors'
import { signature } from './pyTypeName'
import type { PyArgs } from './kwargs'
import * as F from './nn/functional'
import { alphaDropoutMasked, featureDropout } from './nn/channelDropout'
import type { Tensor } from './tensor'

type T = Tensor
type Drop = PyArgs<[p: number, train: boolean], { readonly p?: number; readonly train?: boolean }>

export {
  conv1d,
  conv2d,
  conv3d,
  conv_transpose1d,
  conv_transpose2d,
  conv_transpose3d,
  pixel_shuffle,
  pixel_unshuffle,
  prelu,
  cosine_similarity,
  pairwise_distance,
  pdist,
  bilinear,
} from './nn/functional'

/** p and train of the `torch.*dropout` functions (both required), with the probability check. */
const dropArgs = (fn: string, rest: ReadonlyArray<unknown>): { p: number; train: boolean } => {
  const a = atenArgs(fn, rest, ['p', 'train'], 2)
  const p = a.p as number
  if (!(p >= 0 && p <= 1)) throw new RuntimeError(`dropout probability has to be between 0 and 1, but got ${p}`)
  return { p, train: a.train as boolean }
}

/** The [N, C, 1, …] mask shape of feature dropout (inputs of rank ≥ 2). */
const featureShape = (input: T): number[] => {
  const s = input.shape
  if (s.length < 2) throw new RuntimeError('Feature dropout requires at least 2 dimensions in the input')
  return [s[0] as number, s[1] as number, ...s.slice(2).map(() => 1)]
}

/** `torch.dropout(input, p, train)`: F.dropout with both arguments required (MulBackward0). @category torch @since 0.2.0 */
export const dropout = (input: T, ...rest: Drop): T => {
  const { p, train } = dropArgs('dropout', rest)
  return F.dropout(input, p, train)
}
/** In-place `torch.dropout_(input, p, train)`. @category torch @since 0.2.0 */
export const dropout_ = (input: T, ...rest: Drop): T => {
  const { p, train } = dropArgs('dropout_', rest)
  return F.dropout(input, p, train, true)
}
/** `torch.alpha_dropout(input, p, train)` (SELU-preserving dropout). @category torch @since 0.2.0 */
export const alpha_dropout = (input: T, ...rest: Drop): T => {
  const { p, train } = dropArgs('alpha_dropout', rest)
  return F.alpha_dropout(input, p, train)
}
/** In-place `torch.alpha_dropout_(input, p, train)`. @category torch @since 0.2.0 */
export const alpha_dropout_ = (input: T, ...rest: Drop): T => {
  const { p, train } = dropArgs('alpha_dropout_', rest)
  return F.alpha_dropout(input, p, train, true)
}

/** Feature dropout, in place or not. */
const feature = (fn: string, alpha: boolean, inplace: boolean, input: T, rest: Drop): T => {
  const { p, train } = dropArgs(fn, rest)
  if (!train) return input
  const shape = featureShape(input)
  if (p === 0) return input
  return alpha ? alphaDropoutMasked(input, shape, p, inplace) : featureDropout(input, p, inplace)
}

/**
 * `torch.feature_dropout(input, p, train)`: zeroes whole channels (dim 1) of an input of rank ≥ 2,
 * scaling the rest by 1/(1 − p) (MulBackward0).
 * @example
 * import * as torch from 'wengert/torch'
 * const y = torch.feature_dropout(torch.ones(4, 8, 3), 0.5, true).tolist() as number[][][]
 * assert.ok(y.flat().every((ch) => ch.every((v) => v === ch[0]) && (ch[0] === 0 || ch[0] === 2)))
 * @category torch @since 0.2.0
 */
export const feature_dropout = (input: T, ...rest: Drop): T => feature('feature_dropout', false, false, input, rest)
/** In-place feature dropout. @category torch @since 0.2.0 */
export const feature_dropout_ = (input: T, ...rest: Drop): T => feature('feature_dropout_', false, true, input, rest)
/** Alpha dropout of whole channels (dim 1). @category torch @since 0.2.0 */
export const feature_alpha_dropout = (input: T, ...rest: Drop): T =>
  feature('feature_alpha_dropout', true, false, input, rest)
/** In-place feature alpha dropout. @category torch @since 0.2.0 */
export const feature_alpha_dropout_ = (input: T, ...rest: Drop): T =>
  feature('feature_alpha_dropout_', true, true, input, rest)

// the argument checks of torch.layer_norm and torch.embedding (PyTorch 2.x's signatures)
const LAYER_NORM = signature(
  'layer_norm',
  '(Tensor input, tuple of ints normalized_shape, Tensor weight = None, Tensor bias = None, float eps = 1e-05, bool cudnn_enable = True)',
)
const EMBEDDING = signature(
  'embedding',
  '(Tensor weight, Tensor indices, int padding_idx = -1, bool scale_grad_by_freq = False, bool sparse = False)',
)

/** `torch.layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5, cudnn_enable=True)`. @category torch @since 0.2.0 */
export const layer_norm = (
  input: T,
  ...rest: PyArgs<
    [normalized_shape: ReadonlyArray<number>, weight: T | null, bias: T | null, eps: number, cudnn_enable: boolean],
    {
      readonly normalized_shape?: ReadonlyArray<number>
      readonly weight?: T | null
      readonly bias?: T | null
      readonly eps?: number
      readonly cudnn_enable?: boolean
    }
  >
): T => {
  LAYER_NORM(input === undefined ? [] : [input, ...rest])
  const a = atenArgs('layer_norm', rest, ['normalized_shape', 'weight', 'bias', 'eps', 'cudnn_enable'], 1)
  return F.layer_norm(input, a.normalized_shape as ReadonlyArray<number>, {
    weight: (a.weight as T | null | undefined) ?? null,
    bias: (a.bias as T | null | undefined) ?? null,
    eps: (a.eps as number | undefined) ?? 1e-5,
  })
}

/** `torch.group_norm(input, num_groups, weight=None, bias=None, eps=1e-5, cudnn_enabled=True)`. @category torch @since 0.2.0 */
export const group_norm = (
  input: T,
  ...rest: PyArgs<
    [num_groups: number, weight: T | null, bias: T | null, eps: number, cudnn_enabled: boolean],
    {
      readonly num_groups?: number
      readonly weight?: T | null
      readonly bias?: T | null
      readonly eps?: number
      readonly cudnn_enabled?: boolean
    }
  >
): T => {
  const a = atenArgs('group_norm', rest, ['num_groups', 'weight', 'bias', 'eps', 'cudnn_enabled'], 1)
  return F.group_norm(input, a.num_groups as number, {
    weight: (a.weight as T | null | undefined) ?? null,
    bias: (a.bias as T | null | undefined) ?? null,
    eps: (a.eps as number | undefined) ?? 1e-5,
  })
}

type Opt = T | null
type NormArgs<S extends string> = PyArgs<
  [
    weight: T | null,
    bias: T | null,
    running_mean: T | null,
    running_var: T | null,
    s: boolean,
    momentum: number,
    eps: number,
    c: boolean,
  ],
  Partial<Readonly<Record<'weight' | 'bias' | 'running_mean' | 'running_var', T | null>>> &
    Partial<Readonly<Record<S | 'cudnn_enabled', boolean>>> & { readonly momentum?: number; readonly eps?: number }
>
const normNames = (flag: string): string[] => [
  'weight',
  'bias',
  'running_mean',
  'running_var',
  flag,
  'momentum',
  'eps',
  'cudnn_enabled',
]

/**
 * `torch.batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps,
 * cudnn_enabled)`: every argument required, weight and bias first (unlike F.batch_norm).
 * @category torch @since 0.2.0
 */
export const batch_norm = (input: T, ...rest: NormArgs<'training'>): T => {
  const a = atenArgs('batch_norm', rest, normNames('training'), 8)
  return F.batch_norm(input, a.running_mean as Opt, a.running_var as Opt, {
    weight: a.weight as Opt,
    bias: a.bias as Opt,
    training: a.training as boolean,
    momentum: a.momentum as number,
    eps: a.eps as number,
  })
}

/**
 * `torch.instance_norm(input, weight, bias, running_mean, running_var, use_input_stats, momentum,
 * eps, cudnn_enabled)`: every argument required, weight and bias first (unlike F.instance_norm).
 * @category torch @since 0.2.0
 */
export const instance_norm = (input: T, ...rest: NormArgs<'use_input_stats'>): T => {
  const a = atenArgs('instance_norm', rest, normNames('use_input_stats'), 8)
  return F.instance_norm(input, {
    running_mean: a.running_mean as Opt,
    running_var: a.running_var as Opt,
    weight: a.weight as Opt,
    bias: a.bias as Opt,
    use_input_stats: a.use_input_stats as boolean,
    momentum: a.momentum as number,
    eps: a.eps as number,
  })
}

/**
 * `torch.embedding(weight, indices, padding_idx=-1, scale_grad_by_freq=False, sparse=False)`: the
 * rows of `weight` at `indices` (a negative padding_idx means none) — weight first, unlike F.embedding.
 * @category torch @since 0.2.0
 */
export const embedding = (
  weight: T,
  ...rest: PyArgs<
    [indices: T, padding_idx: number, scale_grad_by_freq: boolean, sparse: boolean],
    {
      readonly indices?: T
      readonly padding_idx?: number
      readonly scale_grad_by_freq?: boolean
      readonly sparse?: boolean
    }
  >
): T => {
  EMBEDDING(weight === undefined ? [] : [weight, ...rest])
  const a = atenArgs('embedding', rest, ['indices', 'padding_idx', 'scale_grad_by_freq', 'sparse'], 1)
  const pad = (a.padding_idx as number | undefined) ?? -1
  return F.embedding(a.indices as T, weight, {
    padding_idx: pad < 0 ? null : pad,
    scale_grad_by_freq: (a.scale_grad_by_freq as boolean | undefined) ?? false,
    sparse: (a.sparse as boolean | undefined) ?? false,
  })
}
