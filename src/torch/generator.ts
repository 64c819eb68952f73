/**
 * `torch.Generator`: a seedable random stream that samplers, `DataLoader` shuffling and
 * `random_split` accept as `generator`. Without one they draw from the global generator, which
 * `torch.manual_seed` resets, so one `manual_seed` call makes every shuffle reproducible. The
 * streams are wengert's Threefry keys: orders differ from PyTorch's Mersenne Twister for the
 * same seed (the distributions are the same).
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const g = torch.Generator().manual_seed(42)
 * assert.strictEqual(g.initial_seed(), 42)
 * const a = torch.utils.data.RandomSampler([1, 2, 3, 4], { generator: torch.Generator().manual_seed(1) })
 * const b = torch.utils.data.RandomSampler([1, 2, 3, 4], { generator: torch.Generator().manual_seed(1) })
 * assert.deepStrictEqual([...a], [...b])
 * @category torch
 * @since 0.2.0
 */
import { checkDevice, type device } from './device'
import { TorchTypeError } from './errors'
import { pyClass } from './nn/pyclass'
import { manual_seed, nextKey, random } from './random'

/** PyTorch's default seed of a fresh generator (`torch.Generator().initial_seed()`). */
const DEFAULT_SEED = 67280421310721

/** See {@link Generator}. */
class GeneratorImpl {
  /** @internal */ _key: random.PRNGKey
  /** @internal */ _seed: number
  /** The device of the stream (always the CPU). */
  readonly device: device

  constructor(dev: string | device = 'cpu') {
    this.device = checkDevice(dev)
    this._seed = DEFAULT_SEED
    this._key = random.key(DEFAULT_SEED)
  }

  /** Resets the stream to `seed` and returns the generator (PyTorch's chaining spelling). */
  manual_seed(seed: number): this {
    if (!Number.isInteger(seed))
      throw new TorchTypeError(
        `manual_seed expected a long, but got ${typeof seed === 'number' ? 'float' : typeof seed}`,
      )
    this._seed = seed
    this._key = random.key(seed)
    return this
  }

  /** The seed the stream was last reset to. */
  initial_seed(): number {
    return this._seed
  }

  /** Reseeds from a non-deterministic source and returns the new seed. */
  seed(): number {
    const s = Math.floor(Math.random() * 2 ** 53)
    this.manual_seed(s)
    return s
  }

  /** @internal A fresh key from the stream. */
  _nextKey(): random.PRNGKey {
    const [a, b] = random.split(this._key) as [random.PRNGKey, random.PRNGKey]
    this._key = a
    return b
  }
}

/** The global generator: its stream is the one `torch.manual_seed` resets. */
class DefaultGenerator extends GeneratorImpl {
  override manual_seed(seed: number): this {
    super.manual_seed(seed)
    manual_seed(seed)
    return this
  }
  override _nextKey(): random.PRNGKey {
    return nextKey()
  }
}

/**
 * PyTorch's `torch.Generator(device='cpu')`: `manual_seed(s)` (returns the generator),
 * `initial_seed()`, `seed()`.
 * @example
 * import * as torch from 'wengert/torch'
 * const split = (seed: number) =>
 *   torch.utils.data.random_split([0, 1, 2, 3, 4, 5], [3, 3], torch.Generator().manual_seed(seed))
 * assert.deepStrictEqual([...split(7)[0]!], [...split(7)[0]!])
 * @category torch @since 0.2.0
 */
export const Generator = pyClass(GeneratorImpl, 'Generator')
/** A `torch.Generator` instance. @category torch @since 0.2.0 */
export type Generator = GeneratorImpl

/**
 * PyTorch's `torch.default_generator`: the global stream (`torch.manual_seed` resets it).
 * @category torch @since 0.2.0
 */
export const default_generator: Generator = new DefaultGenerator()

/** A fresh key from `generator`, or from the global generator when none is given. */
export const keyOf = (generator: Generator | null | undefined): random.PRNGKey =>
  (generator ?? default_generator)._nextKey()
