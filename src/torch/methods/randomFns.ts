/**
 * PyTorch's sampling functions and in-place samplers: `torch.normal` (all overloads),
 * `torch.bernoulli`, `torch.multinomial`, and `Tensor.exponential_`, `geometric_`, `log_normal_`,
 * `cauchy_`, `random_`, each with a `generator` keyword (`torch.Generator`; the global stream
 * otherwise). The draws are PyTorch's CPU kernels over its Mersenne Twister (rngKernels.ts), so a
 * seed gives PyTorch's numbers; the node names (NormalBackward1/2/3,
 * BernoulliBackward0, ExponentialBackward0, …) and PyTorch's zero gradients through the sampled
 * values are kept.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * torch.manual_seed(0)
 * const e = torch.empty(1000).exponential_(2)
 * assert.ok(e.min().item() >= 0 && Math.abs(e.mean().item() - 0.5) < 0.1)
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { NdArray } from '../../ndarray/NdArray'
import { checkOptions } from '../../internal/options'
import { checkInplace, commitInplace, op } from '../autograd/op'
import { float32, float64, get_default_dtype, int64, type TorchDType } from '../dtype'
import { RuntimeError, TorchTypeError } from '../errors'
import { type Generator } from '../generator'
import type { MT19937 } from '../mt19937'
import { bernoulliEach, bernoulliFill, inverseFill, integerFill, logNormalFill, multinomialDraw } from '../rngKernels'
import { sampleNormal, streamOf } from '../sampling'
import { sizeOf } from '../../ndarray/shape'
import { OverflowError } from '../../ndarray/errors'
import { broadcastShape } from '../ops/convert'
import { Tensor } from '../tensor'
import { givenArgs, overloads, requireIntArg, requireTensorArgs } from '../pyTypeName'
import { isKwargs, type PyArgs } from '../kwargs'
import { atenArgs } from '../atenArgs'

type T = Tensor

/** The `generator` keyword of the samplers. */
export interface GeneratorKw {
  readonly generator?: Generator | null
}

/** The keywords of an in-place sampler: its parameters `K` by name and `generator`. */
export type SamplerKw<K extends string> = GeneratorKw & { readonly [P in K]?: number }

/** Fills `self` in place (method `method`) with `draw(stream, n)`, recorded as `name`. */
const fillWith = (
  self: T,
  method: string,
  name: string,
  kw: GeneratorKw,
  draw: (g: MT19937, n: number) => Float64Array,
): T => {
  checkInplace(self)
  const { generator } = checkOptions(method, kw, ['generator'])
  const shape = self._value().shape
  const sample = new NdArray(shape, 'float64', draw(streamOf(generator), sizeOf(shape)))
  return commitInplace(
    self,
    op(name, [self], (x) => lax.cast(sample, x.dtype)),
  )
}

/** Fills `self` in place with `f(u)` of double uniforms `u` (the inverse-transform samplers). */
const fillFrom = (self: T, method: string, name: string, kw: GeneratorKw, f: (u: number) => number): T =>
  fillWith(self, method, name, kw, (g, n) => inverseFill(g, n, f))

/** The largest value plus one of `random_()` for each dtype (PyTorch's ranges). */
const fullTop = (dtype: string): number =>
  ({
    float32: 2 ** 24 + 1,
    float64: 2 ** 53 + 1,
    int32: 2 ** 31,
    int16: 2 ** 15,
    int8: 2 ** 7,
    uint8: 2 ** 8,
    bool: 2,
  })[dtype] ?? 2 ** 53

/** `random_()` without bounds: one word (two for float64/int64) modulo the dtype's range, as PyTorch. */
const fullRange = (g: MT19937, n: number, dtype: string): Float64Array => {
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    if (dtype === 'int64') {
      const v = g.random64() % 2n ** 63n
      if (v > BigInt(Number.MAX_SAFE_INTEGER))
        throw new OverflowError(
          `random_: the draw ${v} is an int64 value wengert cannot hold exactly (its int64 is exact to 2^53 - 1); use random_(0, 2**53)`,
        )
      out[i] = Number(v)
    } else if (dtype === 'float64') out[i] = Number(g.random64() % BigInt(fullTop(dtype)))
    else out[i] = dtype === 'bool' ? g.random() & 1 : g.random() % fullTop(dtype)
  }
  return out
}

/** The samplers installed on Tensor (in place, and `bernoulli`/`multinomial` of `self`'s probabilities). */
export const randomMethods = {
  /** `torch.bernoulli(self, p?)`: 0/1 samples with probabilities `self` (or `p`). */
  bernoulli(this: T, p?: number | GeneratorKw, kw: GeneratorKw = {}): T {
    return bernoulli(this, p, kw)
  },
  /** `torch.multinomial(self, num_samples, replacement?)`: category indices drawn with weights `self`. */
  multinomial(this: T, ...args: MultinomialArgs): T {
    return multinomial(this, ...args)
  },
  /** Fills with Exp(lambd) samples (density `lambd·e^(−lambd·x)`). */
  exponential_(this: T, lambd: number | SamplerKw<'lambd'> = 1, kw: GeneratorKw = {}): T {
    if (typeof lambd !== 'number') return this.exponential_(1, lambd)
    if (!(lambd >= 0)) throw new RuntimeError(`exponential_ expects lambda >= 0.0, but found lambda=${lambd}`)
    return fillFrom(this, 'exponential_', 'ExponentialBackward0', kw, (u) => (-1 / lambd) * Math.log1p(-u))
  },
  /** Fills with Geometric(p) samples: the number of trials up to the first success (1, 2, …). */
  geometric_(this: T, p: number | SamplerKw<'p'>, kw: GeneratorKw = {}): T {
    if (typeof p !== 'number') throw new TorchTypeError('geometric_() missing 1 required positional arguments: "p"')
    if (!(p > 0 && p < 1)) throw new RuntimeError(`geometric_ expects p to be in (0, 1), but got p=${p}`)
    return fillFrom(this, 'geometric_', 'GeometricBackward0', kw, (u) => Math.ceil(Math.log(u) / Math.log1p(-p)))
  },
  /** Fills with samples whose logarithm is N(mean, std²) (defaults 1, 2). */
  log_normal_(
    this: T,
    mean: number | SamplerKw<'mean' | 'std'> = 1,
    std: number | SamplerKw<'std'> = 2,
    kw: GeneratorKw = {},
  ): T {
    if (typeof mean !== 'number') return this.log_normal_(1, 2, mean)
    if (typeof std !== 'number') return this.log_normal_(mean, 2, std)
    if (!(std > 0)) throw new RuntimeError(`log_normal_ expects std > 0.0, but found std=${std}`)
    return fillWith(this, 'log_normal_', 'LogNormalBackward0', kw, (g, n) => logNormalFill(g, n, mean, std))
  },
  /** Fills with Cauchy(median, sigma) samples (defaults 0, 1). */
  cauchy_(
    this: T,
    median: number | SamplerKw<'median' | 'sigma'> = 0,
    sigma: number | SamplerKw<'sigma'> = 1,
    kw: GeneratorKw = {},
  ): T {
    if (typeof median !== 'number') return this.cauchy_(0, 1, median)
    if (typeof sigma !== 'number') return this.cauchy_(median, 1, sigma)
    return fillFrom(this, 'cauchy_', 'CauchyBackward0', kw, (u) => median + sigma * Math.tan(Math.PI * (u - 0.5)))
  },
  /**
   * Fills with integers uniform on [from, to): `random_()` (0 to 2^24 for float32, 2^53 for
   * float64, the dtype's maximum for integers), `random_(to)`, `random_(from, to)`.
   */
  random_(this: T, ...args: ReadonlyArray<number | null | GeneratorKw>): T {
    const last = args[args.length - 1]
    const kw = typeof last === 'object' && last !== null ? last : {}
    const nums = (kw === last ? args.slice(0, -1) : args) as ReadonlyArray<number | null>
    if (nums.length === 0)
      return fillWith(this, 'random_', 'RandomBackward0', kw, (g, n) => fullRange(g, n, this.dtype.storage))
    const from = nums.length >= 2 ? (nums[0] ?? 0) : 0
    const to = (nums.length === 1 ? nums[0] : nums[1]) ?? fullTop(this.dtype.storage)
    if (from >= to)
      throw new RuntimeError(`random_ expects 'from' to be less than 'to', but got from=${from} >= to=${to}`)
    return fillWith(this, 'random_', 'RandomBackward0', kw, (g, n) => integerFill(g, n, from, to))
  },
}

/** Keyword arguments of `torch.normal`'s size overload. */
export interface NormalKw extends GeneratorKw {
  readonly size?: ReadonlyArray<number>
  readonly dtype?: TorchDType
  readonly requires_grad?: boolean
}

const checkStd = (std: number): void => {
  if (!(std >= 0)) throw new RuntimeError(`normal expects std >= 0.0, but found std ${std}`)
}

// PyTorch 2.x's signatures of torch.normal
const NORMAL = overloads('normal', [
  '(Tensor mean, Tensor std, *, torch.Generator generator = None, Tensor out = None)',
  '(Tensor mean, float std = 1, *, torch.Generator generator = None, Tensor out = None)',
  '(float mean, Tensor std, *, torch.Generator generator = None, Tensor out = None)',
  '(float mean, float std, tuple of ints size, *, torch.Generator generator = None, Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, torch.device device = None, bool pin_memory = False, bool requires_grad = False)',
])

/**
 * Normal samples: `normal(mean, std)` with tensor mean and/or std (broadcast; NormalBackward1/2/3,
 * zero gradients as in PyTorch), or `normal(mean, std, size)` with float mean and std (a new leaf).
 * @example
 * import * as torch from 'wengert/torch'
 * torch.manual_seed(0)
 * const z = torch.normal(2, 0.5, [4000])
 * assert.ok(Math.abs(z.mean().item() - 2) < 0.05 && Math.abs(z.std().item() - 0.5) < 0.05)
 * assert.deepStrictEqual([...torch.normal(torch.zeros(2, 3), 1).shape], [2, 3])
 * @category torch @since 0.2.0
 */
export const normal = (
  mean: T | number,
  std: T | number | NormalKw = 1,
  size?: ReadonlyArray<number> | NormalKw,
  kw: NormalKw = {},
): T => {
  NORMAL(mean === undefined ? [] : givenArgs(mean, std, size, kw))
  // keywords after the mean alone: std takes its default
  if (typeof std === 'object' && !(std instanceof Tensor)) return normal(mean, 1, std)
  const k = checkOptions('normal', Array.isArray(size) ? kw : ((size as NormalKw | undefined) ?? kw), [
    'generator',
    'size',
    'dtype',
    'requires_grad',
  ])
  const sz = Array.isArray(size) ? (size as ReadonlyArray<number>) : k.size
  if (typeof mean === 'number' && typeof std === 'number') {
    if (sz === undefined)
      throw new TorchTypeError(
        'normal() received an invalid combination of arguments - got (float, float), but expected a size when mean and std are floats',
      )
    checkStd(std)
    const dt = k.dtype ?? get_default_dtype()
    if (!dt.is_floating_point) throw new RuntimeError(`"normal_kernel_cpu" not implemented for '${dt.word}'`)
    const t = Tensor._fromValue(
      sampleNormal(k.generator, sz, dt.storage === 'float64' ? 'float64' : 'float32', mean, std),
    )
    return k.requires_grad === true ? t.requires_grad_() : t
  }
  if (typeof std === 'number') checkStd(std)
  else if ((std.min().item() as number) < 0) checkStd(std.min().item() as number)
  const m = typeof mean === 'number' ? null : mean
  const s = typeof std === 'number' ? null : std
  const shape = broadcastShape(m?._value().shape ?? [], s?._value().shape ?? [])
  const dtype = (m ?? s)!._value().dtype
  // PyTorch draws N(0, 1) into the result, then scales by std and shifts by mean
  const z = sampleNormal(k.generator, shape, dtype === 'float64' ? 'float64' : 'float32')
  const name = m !== null && s !== null ? 'NormalBackward3' : m !== null ? 'NormalBackward1' : 'NormalBackward2'
  const inputs = [m, s].filter((t): t is T => t !== null)
  return op(name, inputs, (...vs) => {
    const mv = m === null ? lax.scalar(mean as number, dtype) : (vs[0] as NdArray)
    const sv = s === null ? lax.scalar(std as number, dtype) : (vs[vs.length - 1] as NdArray)
    const out = lax.add(lax.broadcastTo(mv, shape), lax.mul(lax.broadcastTo(sv, shape), lax.cast(z, dtype)))
    return lax.stopGradient(out)
  })
}

/**
 * 0/1 samples: each element is 1 with the probability given by `input` (or by `p` for every element),
 * in `input`'s dtype (BernoulliBackward0, zero gradient).
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.bernoulli(torch.tensor([0, 1, 1])).tolist(), [0, 1, 1])
 * @category torch @since 0.2.0
 */
export const bernoulli = (input: T, p?: number | GeneratorKw, kw: GeneratorKw = {}): T => {
  requireTensorArgs('bernoulli', ['input'], [input])
  const k = checkOptions('bernoulli', typeof p === 'object' ? p : kw, ['generator'])
  const shape = input._value().shape
  let probs: ArrayLike<number>
  if (typeof p === 'number') {
    if (!(p >= 0 && p <= 1)) throw new RuntimeError(`bernoulli_ expects p to be in [0, 1], but got p=${p}`)
    probs = Float64Array.from({ length: input.numel() }, () => p)
  } else {
    probs = input._value().toTypedArray() as ArrayLike<number>
    for (let i = 0; i < probs.length; i++)
      if (!((probs[i] as number) >= 0 && (probs[i] as number) <= 1))
        throw new RuntimeError('Expected p_in >= 0 && p_in <= 1 to be true, but got false.')
  }
  // a scalar p draws double uniforms (PyTorch's bernoulli_(p)); a tensor of probabilities, float ones
  const g = streamOf(k.generator)
  const sample = new NdArray(
    shape,
    'float64',
    typeof p === 'number' ? bernoulliFill(g, probs.length, p) : bernoulliEach(g, probs, input.dtype === float64),
  )
  // bernoulli(self, p: float) has no derivative entry in PyTorch: its result never requires grad
  if (typeof p === 'number')
    return op('bernoulli', [input], (x) => lax.cast(sample, x.dtype), { differentiable: false })
  return op('BernoulliBackward0', [input], (x) => lax.stopGradient(lax.cast(sample, x.dtype)))
}

/** Checks multinomial's weights; returns them as rows. */
const weightRows = (input: T, numSamples: number, replacement: boolean): number[][] => {
  const d = input.dim()
  if (d < 1 || d > 2) throw new RuntimeError('prob_dist must be 1 or 2 dim')
  if (numSamples <= 0) throw new RuntimeError('cannot sample n_sample <= 0 samples')
  const n = input.shape[d - 1] as number
  if (!replacement && numSamples > n)
    throw new RuntimeError('cannot sample n_sample > prob_dist.size(-1) samples without replacement')
  const rows = (d === 1 ? [input.tolist()] : input.tolist()) as number[][]
  const scan = replacement && numSamples > 1 // PyTorch's cumulative-sum kernel checks each entry
  for (const r of rows) {
    const bad = r.find((w) => !(w >= 0) || !Number.isFinite(w))
    if (bad !== undefined && scan)
      throw new RuntimeError(
        `invalid multinomial distribution (encountering probability entry ${bad >= 0 ? '= infinity or NaN' : '< 0'})`,
      )
    if (bad !== undefined) throw new RuntimeError('probability tensor contains either `inf`, `nan` or element < 0')
    if (!(r.reduce((a, b) => a + b, 0) > 0))
      throw new RuntimeError('invalid multinomial distribution (sum of probabilities <= 0)')
  }
  return rows
}

/** Keyword arguments of `multinomial` (`num_samples` and `replacement` may also come by keyword). */
export interface MultinomialKw extends GeneratorKw {
  readonly num_samples?: number
  readonly replacement?: boolean
}

/** The arguments after `input` of `multinomial`: `num_samples, replacement` then keywords. */
export type MultinomialArgs = PyArgs<[num_samples: number, replacement: boolean], MultinomialKw>

/**
 * Draws `num_samples` category indices per row from the (unnormalised) weights `input` (1-D or
 * 2-D), with or without replacement as PyTorch's CPU kernel draws them (the same indices for a seed;
 * without replacement: the k largest weight/Exp(1) ratios); int64. `num_samples` and
 * `replacement` may be keywords (`torch.multinomial(probs, { num_samples: 1 })`, as nanoGPT writes).
 * @example
 * import * as torch from 'wengert/torch'
 * const s = torch.multinomial(torch.tensor([0, 3, 0, 1]), 2)
 * assert.deepStrictEqual([...s.sort().values.tolist() as number[]], [1, 3])
 * assert.deepStrictEqual(torch.multinomial(torch.tensor([[0, 1.0]]), { num_samples: 1 }).tolist(), [[1]])
 * @category torch @since 0.2.0
 */
export const multinomial = (input: T, ...args: MultinomialArgs): T => {
  requireTensorArgs('multinomial', ['input'], [input])
  const nPos = args.length > 0 && isKwargs(args[args.length - 1]) ? args.length - 1 : args.length
  if (nPos > 2) throw new TorchTypeError(`multinomial() takes 3 positional arguments but ${nPos + 1} were given`)
  const k = atenArgs('multinomial', args, ['num_samples', 'replacement', 'generator'], 1) as MultinomialKw
  const num_samples = k.num_samples as number
  requireIntArg('multinomial', 'num_samples', num_samples, 2)
  const repl = k.replacement ?? false
  if (!input.is_floating_point())
    throw new RuntimeError(`multinomial only supports floating-point dtypes for input, got: ${input.dtype.word}`)
  const rows = weightRows(input, num_samples, repl)
  const out = multinomialDraw(streamOf(k.generator), rows, num_samples, repl, input.dtype === float32).flat()
  const shape = input.dim() === 1 ? [num_samples] : [rows.length, num_samples]
  return Tensor._fromValue(new NdArray(shape, 'float64', Float64Array.from(out))).to(int64)
}
