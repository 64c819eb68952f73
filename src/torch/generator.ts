/**
 * `torch.Generator`: a seedable random stream that samplers, `DataLoader` shuffling and
 * `random_split` accept as `generator`. Without one they draw from the global generator, which
 * `torch.manual_seed` resets, so one `manual_seed` call makes every shuffle reproducible. The
 * streams are PyTorch's Mersenne Twister with its CPU kernels (mt19937.ts, rngKernels.ts): the
 * same seed gives PyTorch's numbers.
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
import { array } from '../ndarray/create'
import { uint8 } from './dtype'
import { RuntimeError, TorchTypeError } from './errors'
import { pyClass } from './nn/pyclass'
import { globalStream, keyFrom, random } from './random'
import { MT19937 } from './mt19937'
import { STATE_BYTES, decodeState, encodeState } from './rngState'
import { Tensor } from './tensor'

/** PyTorch's default seed of a fresh generator (`torch.Generator().initial_seed()`). */
const DEFAULT_SEED = 67280421310721

/** See {@link Generator}. */
class GeneratorImpl {
  /** @internal */ _seed: number
  /** @internal */ readonly _mt: MT19937
  /** The device of the stream (always the CPU). */
  readonly device: device

  constructor(dev: string | device = 'cpu') {
    this.device = checkDevice(dev)
    this._seed = DEFAULT_SEED
    this._mt = new MT19937(DEFAULT_SEED)
  }

  /** Resets the stream to `seed` and returns the generator (PyTorch's chaining spelling). */
  manual_seed(seed: number): this {
    if (!Number.isInteger(seed))
      throw new TorchTypeError(
        `manual_seed expected a long, but got ${typeof seed === 'number' ? 'float' : typeof seed}`,
      )
    this._seed = seed
    this._stream().reseed(seed)
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

  /** @internal The Mersenne Twister the samplers draw from. */
  _stream(): MT19937 {
    return this._mt
  }

  /** @internal A fresh Threefry key drawn from the stream (for samplers without a PyTorch kernel). */
  _nextKey(): random.PRNGKey {
    return keyFrom(this._stream())
  }

  /**
   * The stream's state as a uint8 tensor of PyTorch's layout (5056 bytes: the seed, the twister's
   * position and 624 words, the cached normal sample): `set_state` of it resumes the stream
   * exactly, and states move between wengert and PyTorch.
   */
  get_state(): Tensor {
    return Tensor._fromValue(array(encodeState(this._seed, this._stream()), { dtype: 'uint8' }))
  }

  /** Restores a state from `get_state()` and returns the generator (PyTorch's `set_state`). */
  set_state(new_state: Tensor): this {
    if (!(new_state instanceof Tensor) || new_state.dtype !== uint8)
      throw new TorchTypeError('RNG state must be a torch.ByteTensor')
    const v = new_state._value()
    if (v.size !== STATE_BYTES)
      throw new RuntimeError(
        `Expected either a THGeneratorState of size 5048 or a CPUGeneratorImplState of size ${STATE_BYTES} but found the input RNG state size to be ${v.size}`,
      )
    this._seed = decodeState(Uint8Array.from(v._values('set_state') as Uint8Array), this._stream())
    return this
  }
}

/** The global generator: its stream is the one `torch.manual_seed` resets. */
class DefaultGenerator extends GeneratorImpl {
  override _stream(): MT19937 {
    return globalStream()
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

/**
 * PyTorch's `torch.manual_seed(seed)`: resets the global generator to `seed` (truncated to an
 * integer, as PyTorch's `int(seed)`) and returns it.
 * @example
 * import * as torch from 'wengert/torch'
 * torch.manual_seed(5)
 * const a = torch.rand(3).tolist()
 * assert.strictEqual(torch.manual_seed(5).initial_seed(), 5)
 * assert.deepStrictEqual(torch.rand(3).tolist(), a)
 * assert.strictEqual(torch.initial_seed(), 5)
 * @category torch @since 0.1.0
 */
export const manual_seed = (seed: number): Generator => default_generator.manual_seed(Math.trunc(seed))

/** PyTorch's `torch.initial_seed()`: the seed the global generator was last reset to. @category torch @since 0.2.0 */
export const initial_seed = (): number => default_generator.initial_seed()

/** PyTorch's `torch.seed()`: reseeds the global generator non-deterministically and returns the seed. @category torch @since 0.2.0 */
export const seed = (): number => default_generator.seed()

/**
 * PyTorch's `torch.get_rng_state()`: the global generator's state (see `Generator.get_state`).
 * @example
 * import * as torch from 'wengert/torch'
 * torch.manual_seed(3)
 * const s = torch.get_rng_state()
 * const a = torch.rand(4).tolist()
 * torch.set_rng_state(s)
 * assert.deepStrictEqual(torch.rand(4).tolist(), a)
 * @category torch @since 0.2.0
 */
export const get_rng_state = (): Tensor => default_generator.get_state()

/** PyTorch's `torch.set_rng_state(state)`: restores the global generator. @category torch @since 0.2.0 */
export const set_rng_state = (new_state: Tensor): void => {
  default_generator.set_state(new_state)
}

/** A fresh key from `generator`, or from the global generator when none is given. */
export const keyOf = (generator: Generator | null | undefined): random.PRNGKey =>
  (generator ?? default_generator)._nextKey()
