/**
 * `torch.utils.data.DistributedSampler`: the share of a dataset's indices one replica of a
 * data-parallel job reads. wengert runs in one process and has no process groups, so
 * `num_replicas` and `rank` must be given; the indices are exactly PyTorch's for the same
 * `(seed, epoch, num_replicas, rank)`, so a job split across PyTorch and wengert workers agrees.
 *
 * @category torch
 * @since 0.2.0
 */
import { RuntimeError, TorchValueError } from '../../errors'
import { MT19937 } from '../../mt19937'
import { leadingKeywords, parseArgs, type PyArgs } from '../../kwargs'
import { pyClass } from '../../nn/pyclass'
import { permutation } from '../../rngKernels'
import { Sampler, boolean, lenOf, type Sized } from './sampler'

/** Options of {@link DistributedSampler}. @category torch @since 0.2.0 */
export interface DistributedSamplerKw {
  readonly num_replicas?: number | null
  readonly rank?: number | null
  readonly shuffle?: boolean
  readonly seed?: number
  readonly drop_last?: boolean
}

const NAMES = ['num_replicas', 'rank', 'shuffle', 'seed', 'drop_last'] as const

const noProcessGroup = (): never => {
  throw new RuntimeError(
    'Default process group has not been initialized, please make sure to call init_process_group. ' +
      '(wengert runs in one process: pass num_replicas and rank to DistributedSampler.)',
  )
}

const integer = (what: string, v: unknown): number => {
  if (typeof v !== 'number' || !Number.isInteger(v))
    throw new TorchValueError(`DistributedSampler: ${what} should be an integer, but got ${what}=${String(v)}`)
  return v
}

/** `indices` padded by repeating its head (whole copies first) up to `total`. */
const padded = (indices: number[], total: number): number[] => {
  const out = [...indices]
  while (out.length < total) out.push(...indices.slice(0, total - out.length))
  return out
}

/** See {@link DistributedSampler}. */
class DistributedSamplerImpl extends Sampler {
  readonly num_replicas: number
  readonly rank: number
  readonly shuffle: boolean
  readonly seed: number
  readonly drop_last: boolean
  epoch = 0
  constructor(
    readonly dataset: Sized,
    ...rest: PyArgs<
      [num_replicas: number | null, rank: number | null, shuffle: boolean, seed: number, drop_last: boolean],
      DistributedSamplerKw
    >
  ) {
    super()
    const a = parseArgs('DistributedSampler.__init__', rest, NAMES)
    this.num_replicas = integer('num_replicas', a.num_replicas ?? noProcessGroup())
    this.rank = integer('rank', a.rank ?? noProcessGroup())
    if (this.rank >= this.num_replicas || this.rank < 0)
      throw new TorchValueError(
        `Invalid rank ${this.rank}, rank should be in the interval [0, ${this.num_replicas - 1}]`,
      )
    this.shuffle = boolean('shuffle', a.shuffle ?? true)
    this.seed = integer('seed', a.seed ?? 0)
    this.drop_last = boolean('drop_last', a.drop_last ?? false)
  }
  /** The indices this replica reads per epoch. */
  get num_samples(): number {
    const n = lenOf(this.dataset)
    const r = this.num_replicas
    // + 0: Python's ceil(-0.5) is 0, not −0
    return (this.drop_last && n % r !== 0 ? Math.ceil((n - r) / r) : Math.ceil(n / r)) + 0
  }
  /** `num_samples × num_replicas`: the padded (or trimmed) length all replicas share. */
  get total_size(): number {
    return this.num_samples * this.num_replicas
  }
  get length(): number {
    return this.num_samples
  }
  /** Sets the epoch mixed into the shuffle's seed (call it before each epoch, as in PyTorch). */
  set_epoch(epoch: number): void {
    this.epoch = integer('epoch', epoch)
  }
  *[Symbol.iterator](): Iterator<number> {
    const n = lenOf(this.dataset)
    // PyTorch: a fresh generator seeded with seed + epoch, then randperm
    const order = this.shuffle ? [...permutation(new MT19937(this.seed + this.epoch), n)] : [...Array(n).keys()]
    const all = this.drop_last ? order.slice(0, this.total_size) : padded(order, this.total_size)
    for (let i = this.rank; i < this.total_size; i += this.num_replicas) yield all[i] as number
  }
}
/**
 * The indices replica `rank` of `num_replicas` reads: the dataset's indices (shuffled with
 * `seed + epoch` unless `shuffle` is false), padded by repetition to a multiple of `num_replicas`
 * (or trimmed, with `drop_last`), then every `num_replicas`-th one starting at `rank`.
 * Call `set_epoch(e)` before each epoch to reshuffle.
 * @example
 * import * as torch from 'wengert/torch'
 * const { DistributedSampler } = torch.utils.data
 * const s = DistributedSampler([0, 0, 0, 0, 0], { num_replicas: 2, rank: 1, shuffle: false })
 * assert.deepStrictEqual([...s], [1, 3, 0])
 * assert.strictEqual(DistributedSampler([0, 0, 0, 0, 0], { num_replicas: 2, rank: 0, drop_last: true }).length, 2)
 * @category torch @since 0.2.0
 */
export const DistributedSampler = pyClass(
  DistributedSamplerImpl,
  'DistributedSampler',
  leadingKeywords('DistributedSampler.__init__', ['dataset']),
)
/** A `DistributedSampler` instance. @category torch @since 0.2.0 */
export type DistributedSampler = DistributedSamplerImpl
