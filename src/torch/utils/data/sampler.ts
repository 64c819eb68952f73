/**
 * `torch.utils.data` samplers: iterables of dataset indices (`SequentialSampler`,
 * `RandomSampler`, `SubsetRandomSampler`, `WeightedRandomSampler`) and of index batches
 * (`BatchSampler`). Random samplers draw a fresh key from their `generator` (or the global
 * generator) each time they are iterated, as PyTorch draws a fresh seed per epoch.
 *
 * @category torch
 * @since 0.2.0
 */
import { TorchTypeError, TorchValueError, RuntimeError } from '../../errors'
import { type Generator } from '../../generator'
import { MT19937 } from '../../mt19937'
import { globalStream } from '../../random'
import { integerFill, multinomialDraw, permutation } from '../../rngKernels'
import { samplePermutation, streamOf } from '../../sampling'
import { leadingKeywords, parseArgs, pyParams, type PyArgs } from '../../kwargs'
import { pyClass } from '../../nn/pyclass'
import { Tensor } from '../../tensor'
import { warn } from '../../warnings'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Anything with a length (a dataset, an array). @category torch @since 0.2.0 */
export interface Sized {
  readonly length: number
}

/**
 * Base class of samplers (PyTorch's `torch.utils.data.Sampler`): an iterable of indices (or of
 * index batches); `length` when it is known.
 * @category torch @since 0.2.0
 */
export abstract class Sampler<I = number> implements Iterable<I> {
  /**
   * PyTorch 2.x's `Sampler.__init__(data_source=None)`: the argument is unused, and giving one warns
   * as PyTorch does; any other argument raises Python's TypeError.
   */
  constructor(...args: unknown[]) {
    if (args.length === 0) return
    const [data_source] = parseSamplerInit(args)
    if (data_source !== undefined && data_source !== null)
      warn(
        '`data_source` argument is not used and will be removed in 2.2.0.You may still have custom implementation that utilizes it.',
      )
  }
  abstract [Symbol.iterator](): Iterator<I>
}
const parseSamplerInit = pyParams('Sampler.__init__', ['data_source'], 0, 1)

/** The length of a sized object, or PyTorch's TypeError when it has none. */
export const lenOf = (x: unknown): number => {
  const n = (x as { length?: unknown } | null)?.length
  if (typeof n !== 'number') {
    const name = (x as object | null)?.constructor?.name ?? typeof x
    throw new TorchTypeError(`object of type '${name}' has no len()`)
  }
  return n
}

export const positiveInt = (what: string, v: unknown): number => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0)
    throw new TorchValueError(`${what} should be a positive integer value, but got ${what}=${String(v)}`)
  return v
}

export const boolean = (what: string, v: unknown): boolean => {
  if (typeof v !== 'boolean')
    throw new TorchValueError(`${what} should be a boolean value, but got ${what}=${String(v)}`)
  return v
}

// -------------------------------------------------------------------------------------
// samplers
// -------------------------------------------------------------------------------------

/** See {@link SequentialSampler}. */
class SequentialSamplerImpl extends Sampler {
  constructor(readonly data_source: Sized) {
    super()
  }
  *[Symbol.iterator](): Iterator<number> {
    for (let i = 0; i < lenOf(this.data_source); i++) yield i
  }
  get length(): number {
    return lenOf(this.data_source)
  }
}
/**
 * Indices `0, 1, …, len(data_source) − 1` in order.
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual([...torch.utils.data.SequentialSampler(['a', 'b', 'c'])], [0, 1, 2])
 * @category torch @since 0.2.0
 */
export const SequentialSampler = pyClass(
  SequentialSamplerImpl,
  'SequentialSampler',
  pyParams('SequentialSampler.__init__', ['data_source'], 1, 1),
)
/** A `SequentialSampler` instance. @category torch @since 0.2.0 */
export type SequentialSampler = SequentialSamplerImpl

/** Options of {@link RandomSampler}. @category torch @since 0.2.0 */
export interface RandomSamplerKw {
  readonly replacement?: boolean
  readonly num_samples?: number | null
  readonly generator?: Generator | null
}

/** See {@link RandomSampler}. */
class RandomSamplerImpl extends Sampler {
  readonly replacement: boolean
  readonly generator: Generator | null
  private readonly _num: number | null
  constructor(
    readonly data_source: Sized,
    ...rest: PyArgs<[replacement: boolean, num_samples: number | null, generator: Generator | null], RandomSamplerKw>
  ) {
    super()
    const a = parseArgs('RandomSampler.__init__', rest, ['replacement', 'num_samples', 'generator'])
    this.replacement = boolean('replacement', a.replacement ?? false)
    this._num = (a.num_samples as number | null | undefined) ?? null
    this.generator = (a.generator as Generator | null | undefined) ?? null
    positiveInt('num_samples', this.num_samples)
  }
  /** `num_samples`, or the dataset's length. */
  get num_samples(): number {
    return this._num ?? lenOf(this.data_source)
  }
  get length(): number {
    return this.num_samples
  }
  *[Symbol.iterator](): Iterator<number> {
    const n = lenOf(this.data_source)
    // without a generator, PyTorch seeds a fresh one from 64 bits of the global stream
    const g =
      this.generator === null ? new MT19937(Number(globalStream().random64() & 0xffffffffn)) : this.generator._stream()
    if (this.replacement) {
      for (let i = 0; i < Math.floor(this.num_samples / 32); i++) yield* integerFill(g, 32, 0, n)
      yield* integerFill(g, this.num_samples % 32, 0, n)
      return
    }
    // whole permutations, then the head of one more (drawn even when nothing of it is used)
    for (let i = 0; i < Math.floor(this.num_samples / n); i++) yield* permutation(g, n)
    yield* permutation(g, n).subarray(0, this.num_samples % n)
  }
}
/**
 * Indices in a random order: a permutation (default), or `num_samples` draws with `replacement`.
 * @example
 * import * as torch from 'wengert/torch'
 * const s = torch.utils.data.RandomSampler([10, 20, 30, 40])
 * assert.deepStrictEqual([...s].sort(), [0, 1, 2, 3])
 * assert.strictEqual([...torch.utils.data.RandomSampler([1, 2], { replacement: true, num_samples: 5 })].length, 5)
 * @category torch @since 0.2.0
 */
export const RandomSampler = pyClass(
  RandomSamplerImpl,
  'RandomSampler',
  leadingKeywords('RandomSampler.__init__', ['data_source']),
)
/** A `RandomSampler` instance. @category torch @since 0.2.0 */
export type RandomSampler = RandomSamplerImpl

/** See {@link SubsetRandomSampler}. */
class SubsetRandomSamplerImpl extends Sampler {
  constructor(
    readonly indices: ReadonlyArray<number>,
    readonly generator: Generator | null = null,
  ) {
    super()
  }
  get length(): number {
    return this.indices.length
  }
  *[Symbol.iterator](): Iterator<number> {
    const perm = samplePermutation(this.generator, this.indices.length)
    for (const i of perm) yield this.indices[i] as number
  }
}
/**
 * The given indices in a random order.
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual([...torch.utils.data.SubsetRandomSampler([5, 7, 9])].sort(), [5, 7, 9])
 * @category torch @since 0.2.0
 */
export const SubsetRandomSampler = pyClass(
  SubsetRandomSamplerImpl,
  'SubsetRandomSampler',
  pyParams('SubsetRandomSampler.__init__', ['indices', 'generator'], 1, 1),
)
/** A `SubsetRandomSampler` instance. @category torch @since 0.2.0 */
export type SubsetRandomSampler = SubsetRandomSamplerImpl

/** See {@link WeightedRandomSampler}. */
class WeightedRandomSamplerImpl extends Sampler {
  readonly weights: number[]
  constructor(
    weights: ReadonlyArray<number> | Tensor,
    readonly num_samples: number,
    readonly replacement: boolean = true,
    readonly generator: Generator | null = null,
  ) {
    super()
    positiveInt('num_samples', num_samples)
    boolean('replacement', replacement)
    this.weights = weights instanceof Tensor ? (weights.reshape(-1).tolist() as number[]) : [...weights]
    if (this.weights.some((w) => !(w >= 0) || !Number.isFinite(w)))
      throw new RuntimeError('invalid multinomial distribution (encountering probability entry < 0)')
    if (this.weights.reduce((a, b) => a + b, 0) <= 0)
      throw new RuntimeError('invalid multinomial distribution (sum of probabilities <= 0)')
    if (!replacement && num_samples > this.weights.length)
      throw new RuntimeError('cannot sample n_sample > prob_dist.size(-1) samples without replacement')
  }
  get length(): number {
    return this.num_samples
  }
  *[Symbol.iterator](): Iterator<number> {
    // PyTorch: torch.multinomial of the weights as a float64 tensor
    yield* multinomialDraw(streamOf(this.generator), [this.weights], this.num_samples, this.replacement, false)[0]!
  }
}
/**
 * Indices `i` drawn with probability proportional to `weights[i]` (as `torch.multinomial`).
 * @example
 * import * as torch from 'wengert/torch'
 * const s = torch.utils.data.WeightedRandomSampler([0, 1, 0], 4)
 * assert.deepStrictEqual([...s], [1, 1, 1, 1])
 * @category torch @since 0.2.0
 */
export const WeightedRandomSampler = pyClass(
  WeightedRandomSamplerImpl,
  'WeightedRandomSampler',
  pyParams('WeightedRandomSampler.__init__', ['weights', 'num_samples', 'replacement', 'generator'], 2, 1),
)
/** A `WeightedRandomSampler` instance. @category torch @since 0.2.0 */
export type WeightedRandomSampler = WeightedRandomSamplerImpl

/** Keywords of {@link BatchSampler}. @category torch @since 0.6.0 */
export interface BatchSamplerKw {
  readonly sampler?: Iterable<number>
  readonly batch_size?: number
  readonly drop_last?: boolean
}

/** See {@link BatchSampler}. */
class BatchSamplerImpl extends Sampler<number[]> {
  readonly sampler: Iterable<number>
  readonly batch_size: number
  readonly drop_last: boolean
  // the class's argument parser (below) has moved keywords to their positions before this runs
  constructor(...args: PyArgs<[sampler: Iterable<number>, batch_size: number, drop_last: boolean], BatchSamplerKw>) {
    super()
    const [sampler, batch_size, drop_last] = args as unknown as [Iterable<number>, number, boolean]
    this.sampler = sampler
    this.batch_size = positiveInt('batch_size', batch_size)
    this.drop_last = boolean('drop_last', drop_last)
  }
  /** Number of batches: ⌈n / batch_size⌉, or ⌊n / batch_size⌋ with drop_last. */
  get length(): number {
    const n = lenOf(this.sampler)
    return this.drop_last ? Math.floor(n / this.batch_size) : Math.ceil(n / this.batch_size)
  }
  *[Symbol.iterator](): Iterator<number[]> {
    let batch: number[] = []
    for (const i of this.sampler) {
      batch.push(i)
      if (batch.length === this.batch_size) {
        yield batch
        batch = []
      }
    }
    if (batch.length > 0 && !this.drop_last) yield batch
  }
}
/**
 * Groups another sampler's indices into lists of `batch_size` (the last one shorter unless
 * `drop_last`).
 * @example
 * import * as torch from 'wengert/torch'
 * const { BatchSampler, SequentialSampler } = torch.utils.data
 * const b = BatchSampler(SequentialSampler([0, 0, 0, 0, 0]), 2, false)
 * assert.deepStrictEqual([...b], [[0, 1], [2, 3], [4]])
 * assert.strictEqual(BatchSampler(SequentialSampler([0, 0, 0, 0, 0]), 2, true).length, 2)
 * @category torch @since 0.2.0
 */
export const BatchSampler = pyClass(
  BatchSamplerImpl,
  'BatchSampler',
  pyParams('BatchSampler.__init__', ['sampler', 'batch_size', 'drop_last'], 3, 1),
)
/** A `BatchSampler` instance. @category torch @since 0.2.0 */
export type BatchSampler = BatchSamplerImpl
