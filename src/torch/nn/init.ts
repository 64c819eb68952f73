/**
 * `torch.nn.init`: in-place parameter initialisation under `no_grad`, with PyTorch's fan and gain
 * rules. Samples come from the facade's global generator (`torch.manual_seed`), or from the
 * `torch.Generator` given as `generator` (PyTorch 2.1's keyword; PyTorch 1.13 has none).
 *
 * @category torch
 * @since 0.1.0
 */
import { no_grad } from '../autograd/grad_mode'
import { TorchValueError } from '../errors'
import { exactKeywords, keywordForms, parseArgs, required, type PyArgs } from '../kwargs'
import type { Tensor } from '../tensor'
import { warn } from '../warnings'
import type { Generator } from '../generator'
import type { GeneratorKw } from '../methods/randomFns'

/** The `generator` argument of the samplers (a `torch.Generator`, or None for the global one). */

/** The sampler keywords for a parsed `generator` argument. */
const genKw = (o: Readonly<Record<string, unknown>>): GeneratorKw => ({
  generator: (o['generator'] as Generator | null | undefined) ?? null,
})

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

/** A nonlinearity name accepted by `calculate_gain`. @category torch @since 0.1.0 */
export type Nonlinearity =
  | 'linear'
  | 'conv1d'
  | 'conv2d'
  | 'conv3d'
  | 'conv_transpose1d'
  | 'conv_transpose2d'
  | 'conv_transpose3d'
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'leaky_relu'
  | 'selu'

/** A fan mode of the Kaiming initialisers. @category torch @since 0.1.0 */
export type FanMode = 'fan_in' | 'fan_out'

const noOp = (t: Tensor): boolean => {
  if (t.numel() === 0) {
    warn('Initializing zero-element tensors is a no-op')
    return true
  }
  return false
}

/**
 * The recommended gain for a nonlinearity: 1 for linear/conv/sigmoid, 5/3 for tanh, √2 for
 * relu, `√(2/(1 + slope²))` for leaky_relu (slope `param`, default 0.01), 3/4 for selu.
 * @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(torch.nn.init.calculate_gain('tanh'), 5 / 3)
 * @category torch @since 0.1.0
 */
export const calculate_gain = (nonlinearity: Nonlinearity, param: number | null = null): number => {
  const linear = ['linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d']
  if (linear.includes(nonlinearity) || nonlinearity === 'sigmoid') return 1
  if (nonlinearity === 'tanh') return 5 / 3
  if (nonlinearity === 'relu') return Math.SQRT2
  if (nonlinearity === 'leaky_relu') {
    let slope = 0.01
    if (param !== null && param !== undefined) {
      if (typeof param !== 'number' || Number.isNaN(param))
        throw new TorchValueError(`negative_slope ${String(param)} not a valid number`)
      slope = param
    }
    return Math.sqrt(2 / (1 + slope ** 2))
  }
  if (nonlinearity === 'selu') return 3 / 4
  throw new TorchValueError(`Unsupported nonlinearity ${String(nonlinearity)}`)
}

/**
 * `[fan_in, fan_out]` of a weight of at least 2 dims: `size(1)·receptive` and `size(0)·receptive`
 * (receptive = product of the dims after the first two).
 * @category torch @since 0.1.0
 */
export const _calculate_fan_in_and_fan_out = (tensor: Tensor): [number, number] => {
  const s = tensor.shape
  if (s.length < 2)
    throw new TorchValueError('Fan in and fan out can not be computed for tensor with fewer than 2 dimensions')
  const receptive = s.slice(2).reduce((p, d) => p * d, 1)
  return [(s[1] as number) * receptive, (s[0] as number) * receptive]
}

const fanOf = (tensor: Tensor, mode: FanMode): number => {
  if (mode !== 'fan_in' && mode !== 'fan_out')
    throw new TorchValueError(`Mode ${String(mode)} not supported, please use one of fan_in, fan_out`)
  const [fanIn, fanOut] = _calculate_fan_in_and_fan_out(tensor)
  return mode === 'fan_in' ? fanIn : fanOut
}

// -------------------------------------------------------------------------------------
// initialisers
// -------------------------------------------------------------------------------------

/**
 * Fills `tensor` with samples of U(a, b) (defaults 0, 1); returns it.
 * @example
 * import * as torch from 'wengert/torch'
 * const w = torch.nn.init.uniform_(torch.empty(100), -0.5, 0.5)
 * assert.ok((w.abs().max().item() as number) <= 0.5)
 * @category torch @since 0.1.0
 */
export const uniform_ = keywordForms(
  'uniform_',
  ['tensor'],
  (
    tensor: Tensor,
    ...rest: PyArgs<
      [a: number, b: number, generator: Generator | null],
      { readonly a?: number; readonly b?: number; readonly generator?: Generator | null }
    >
  ): Tensor => {
    const o = parseArgs('uniform_', rest, ['a', 'b', 'generator'])
    if (noOp(tensor)) return tensor
    return no_grad(() => tensor.uniform_((o.a as number | undefined) ?? 0, (o.b as number | undefined) ?? 1, genKw(o)))
  },
)

/** Fills `tensor` with samples of N(mean, std²) (defaults 0, 1); returns it. @category torch @since 0.1.0 */
export const normal_ = keywordForms(
  'normal_',
  ['tensor'],
  (
    tensor: Tensor,
    ...rest: PyArgs<
      [mean: number, std: number, generator: Generator | null],
      { readonly mean?: number; readonly std?: number; readonly generator?: Generator | null }
    >
  ): Tensor => {
    const o = parseArgs('normal_', rest, ['mean', 'std', 'generator'])
    if (noOp(tensor)) return tensor
    return no_grad(() =>
      tensor.normal_((o.mean as number | undefined) ?? 0, (o.std as number | undefined) ?? 1, genKw(o)),
    )
  },
)

/** Fills `tensor` with `val`; returns it. @category torch @since 0.1.0 */
export const constant_ = keywordForms(
  'constant_',
  ['tensor'],
  (tensor: Tensor, ...args: PyArgs<[val: number], { readonly val?: number }>): Tensor => {
    const val = required('constant_', 'val', parseArgs('constant_', args, ['val']).val as number | undefined)
    if (noOp(tensor)) return tensor
    return no_grad(() => tensor.fill_(val))
  },
)

/** Fills `tensor` with zeros; returns it. @category torch @since 0.1.0 */
export const zeros_ = exactKeywords('zeros_', ['tensor'], (tensor: Tensor): Tensor => no_grad(() => tensor.zero_()))

/** Fills `tensor` with ones; returns it. @category torch @since 0.1.0 */
export const ones_ = exactKeywords('ones_', ['tensor'], (tensor: Tensor): Tensor => no_grad(() => tensor.fill_(1)))

/**
 * Glorot uniform: U(−a, a) with `a = gain·√(6/(fan_in + fan_out))`.
 * @category torch @since 0.1.0
 */
export const xavier_uniform_ = keywordForms(
  'xavier_uniform_',
  ['tensor'],
  (
    tensor: Tensor,
    ...rest: PyArgs<
      [gain: number, generator: Generator | null],
      { readonly gain?: number; readonly generator?: Generator | null }
    >
  ): Tensor => {
    const o = parseArgs('xavier_uniform_', rest, ['gain', 'generator'])
    const [fanIn, fanOut] = _calculate_fan_in_and_fan_out(tensor)
    const std = ((o.gain as number | undefined) ?? 1) * Math.sqrt(2 / (fanIn + fanOut))
    const a = Math.sqrt(3) * std
    if (noOp(tensor)) return tensor
    return no_grad(() => tensor.uniform_(-a, a, genKw(o)))
  },
)

/** Glorot normal: N(0, std²) with `std = gain·√(2/(fan_in + fan_out))`. @category torch @since 0.1.0 */
export const xavier_normal_ = keywordForms(
  'xavier_normal_',
  ['tensor'],
  (
    tensor: Tensor,
    ...rest: PyArgs<
      [gain: number, generator: Generator | null],
      { readonly gain?: number; readonly generator?: Generator | null }
    >
  ): Tensor => {
    const o = parseArgs('xavier_normal_', rest, ['gain', 'generator'])
    const [fanIn, fanOut] = _calculate_fan_in_and_fan_out(tensor)
    const std = ((o.gain as number | undefined) ?? 1) * Math.sqrt(2 / (fanIn + fanOut))
    if (noOp(tensor)) return tensor
    return no_grad(() => tensor.normal_(0, std, genKw(o)))
  },
)

type KaimingKw = {
  readonly a?: number
  readonly mode?: FanMode
  readonly nonlinearity?: Nonlinearity
  readonly generator?: Generator | null
}
type KaimingArgs = PyArgs<
  [a: number, mode: FanMode, nonlinearity: Nonlinearity, generator: Generator | null],
  KaimingKw
>

const kaimingStd = (fn: string, tensor: Tensor, rest: ReadonlyArray<unknown>): [number, GeneratorKw] => {
  const o = parseArgs(fn, rest, ['a', 'mode', 'nonlinearity', 'generator'])
  const fan = fanOf(tensor, (o.mode as FanMode | undefined) ?? 'fan_in')
  const gain = calculate_gain(
    (o.nonlinearity as Nonlinearity | undefined) ?? 'leaky_relu',
    (o.a as number | undefined) ?? 0,
  )
  return [gain / Math.sqrt(fan), genKw(o)]
}

/**
 * He uniform: U(−b, b) with `b = gain·√(3/fan)`. `nn.Linear` uses `a = √5`, which gives
 * `b = 1/√fan_in`.
 * @example
 * import * as torch from 'wengert/torch'
 * const w = torch.nn.init.kaiming_uniform_(torch.empty(3, 4), { a: Math.sqrt(5) })
 * assert.ok((w.abs().max().item() as number) <= 0.5)
 * @category torch @since 0.1.0
 */
export const kaiming_uniform_ = keywordForms(
  'kaiming_uniform_',
  ['tensor'],
  (tensor: Tensor, ...rest: KaimingArgs): Tensor => {
    if (noOp(tensor)) return tensor
    const [std, gen] = kaimingStd('kaiming_uniform_', tensor, rest)
    const bound = Math.sqrt(3) * std
    return no_grad(() => tensor.uniform_(-bound, bound, gen))
  },
)

/** He normal: N(0, std²) with `std = gain/√fan`. @category torch @since 0.1.0 */
export const kaiming_normal_ = keywordForms(
  'kaiming_normal_',
  ['tensor'],
  (tensor: Tensor, ...rest: KaimingArgs): Tensor => {
    if (noOp(tensor)) return tensor
    const [std, gen] = kaimingStd('kaiming_normal_', tensor, rest)
    return no_grad(() => tensor.normal_(0, std, gen))
  },
)
export { eye_, dirac_, trunc_normal_, orthogonal_, sparse_ } from './initMore'
