/**
 * `torch.utils.data.DataLoader`: batches of a dataset, iterated with `for (const batch of
 * loader)`. Python's `len(loader)` is `loader.length`. Loading runs in the calling thread:
 * `num_workers > 0` is accepted (with a warning) and loads the same batches in order.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const { DataLoader, TensorDataset } = torch.utils.data
 * const ds = TensorDataset(torch.arange(10).float().reshape(5, 2), torch.arange(5))
 * const loader = DataLoader(ds, { batch_size: 2, shuffle: true, generator: torch.Generator().manual_seed(0) })
 * assert.strictEqual(loader.length, 3)
 * const sizes: number[] = []
 * for (const [x, y] of loader) sizes.push(x.shape[0]!, y.shape[0]!)
 * assert.deepStrictEqual(sizes, [2, 2, 2, 2, 1, 1])
 * @category torch
 * @since 0.2.0
 */
import { TorchTypeError, TorchValueError } from '../../errors'
import type { Generator } from '../../generator'
import { streamOf } from '../../sampling'
import { isKwargs, leadingKeywords, parseArgs, type PyArgs } from '../../kwargs'
import { pyClass } from '../../nn/pyclass'
import { warn } from '../../warnings'
import { default_collate, default_convert, type Collated } from './collate'
import { IterableDataset, itemOf, type MapDataset } from './dataset'
import { BatchSampler, lenOf, RandomSampler, SequentialSampler } from './sampler'

/** Keyword arguments of {@link DataLoader}. @category torch @since 0.2.0 */
export interface DataLoaderKw<T, B> {
  readonly batch_size?: number | null
  readonly shuffle?: boolean | null
  readonly sampler?: Iterable<number> | null
  readonly batch_sampler?: Iterable<ReadonlyArray<number>> | null
  readonly num_workers?: number
  readonly collate_fn?: ((batch: T[]) => B) | null
  readonly pin_memory?: boolean
  readonly drop_last?: boolean
  readonly timeout?: number
  readonly worker_init_fn?: ((worker_id: number) => void) | null
  readonly multiprocessing_context?: unknown
  readonly generator?: Generator | null
  readonly prefetch_factor?: number | null
  readonly persistent_workers?: boolean
  readonly pin_memory_device?: string
}

const NAMES = [
  'batch_size',
  'shuffle',
  'sampler',
  'batch_sampler',
  'num_workers',
  'collate_fn',
  'pin_memory',
  'drop_last',
  'timeout',
  'worker_init_fn',
  'multiprocessing_context',
  'generator',
  'prefetch_factor',
  'persistent_workers',
  'pin_memory_device',
]

/** A dataset the DataLoader reads: map-style (a Dataset or an array) or iterable. @category torch @since 0.2.0 */
export type LoaderDataset<T> = MapDataset<T> | IterableDataset<T>

/** See {@link DataLoader}. */
class DataLoaderImpl<T, B = Collated<T>> implements Iterable<B> {
  readonly dataset: LoaderDataset<T>
  /** Samples per batch, or null when batching is disabled. */
  readonly batch_size: number | null
  readonly drop_last: boolean
  /** Index sampler (null for an IterableDataset). */
  readonly sampler: Iterable<number> | null
  /** Batches of indices (null when batching is off or the dataset is iterable). */
  readonly batch_sampler: Iterable<ReadonlyArray<number>> | null
  readonly collate_fn: (batch: T[]) => B
  readonly generator: Generator | null
  readonly num_workers: number
  /** Whether batches were asked to be copied into pinned memory (a CPU-only build warns and does not pin). */
  readonly pin_memory: boolean

  constructor(
    dataset: LoaderDataset<T>,
    ...rest: PyArgs<
      [
        batch_size: number | null,
        shuffle: boolean | null,
        sampler: Iterable<number> | null,
        batch_sampler: Iterable<ReadonlyArray<number>> | null,
      ],
      DataLoaderKw<T, B>
    >
  ) {
    const a = parseArgs('DataLoader.__init__', rest, NAMES) as DataLoaderKw<T, B>
    this.dataset = dataset
    this.num_workers = a.num_workers ?? 0
    if (this.num_workers < 0)
      throw new TorchValueError(
        'num_workers option should be non-negative; use num_workers=0 to disable multiprocessing.',
      )
    if (this.num_workers > 0)
      warn(`DataLoader: num_workers=${this.num_workers} loads in the calling thread (wengert has no worker processes)`)
    this.generator = a.generator ?? null
    this.pin_memory = a.pin_memory ?? false
    const shuffle = a.shuffle ?? false
    let batchSize = a.batch_size === undefined ? 1 : a.batch_size
    let dropLast = a.drop_last ?? false
    const iterable = dataset instanceof IterableDataset
    if (iterable) {
      if (a.shuffle !== undefined && a.shuffle !== null && a.shuffle !== false)
        throw new TorchValueError(
          `DataLoader with IterableDataset: expected unspecified shuffle option, but got shuffle=${pyBool(shuffle)}`,
        )
      if (a.sampler != null)
        throw new TorchValueError(
          `DataLoader with IterableDataset: expected unspecified sampler option, but got sampler=${String(a.sampler)}`,
        )
      if (a.batch_sampler != null)
        throw new TorchValueError(
          `DataLoader with IterableDataset: expected unspecified batch_sampler option, but got batch_sampler=${String(a.batch_sampler)}`,
        )
    }
    if (a.sampler != null && shuffle) throw new TorchValueError('sampler option is mutually exclusive with shuffle')
    if (a.batch_sampler != null) {
      if (batchSize !== 1 || shuffle || a.sampler != null || dropLast)
        throw new TorchValueError(
          'batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last',
        )
      batchSize = null
      dropLast = false
    } else if (batchSize === null && dropLast) {
      throw new TorchValueError(
        'batch_size=None option disables auto-batching and is mutually exclusive with drop_last',
      )
    }
    this.batch_size = batchSize
    this.drop_last = dropLast
    this.sampler = iterable
      ? null
      : (a.sampler ??
        (shuffle
          ? RandomSampler(dataset as MapDataset<T>, { generator: this.generator })
          : SequentialSampler(dataset as MapDataset<T>)))
    this.batch_sampler =
      a.batch_sampler ??
      (batchSize !== null && this.sampler !== null ? BatchSampler(this.sampler, batchSize, dropLast) : null)
    this.collate_fn =
      a.collate_fn ??
      ((batchSize === null && a.batch_sampler == null
        ? (s: T[]) => default_convert(s)
        : default_collate) as unknown as (batch: T[]) => B)
  }

  /** The number of batches (Python's `len(loader)`). */
  get length(): number {
    if (this.dataset instanceof IterableDataset) {
      const n = lenOf(this.dataset)
      if (this.batch_size === null) return n
      return this.drop_last ? Math.floor(n / this.batch_size) : Math.ceil(n / this.batch_size)
    }
    return lenOf(this.batch_sampler ?? this.sampler)
  }

  *[Symbol.iterator](): Iterator<B> {
    const ds = this.dataset
    const collate = this.collate_fn as unknown as (b: unknown) => B
    // PyTorch draws a base seed for workers (64 bits) each time an iteration starts
    streamOf(this.generator).random64()
    if (this.pin_memory)
      warn("'pin_memory' argument is set as true but no accelerator is found, then device pinned memory won't be used.")
    if (ds instanceof IterableDataset) {
      yield* this._iterableBatches(ds, collate)
      return
    }
    if (this.batch_sampler !== null) {
      for (const idx of this.batch_sampler) yield this.collate_fn(idx.map((i) => itemOf(ds, i)))
      return
    }
    for (const i of this.sampler ?? []) yield collate(itemOf(ds, i))
  }

  private *_iterableBatches(ds: IterableDataset<T>, collate: (b: unknown) => B): Generator_<B> {
    if (this.batch_size === null) {
      for (const s of ds) yield collate(s)
      return
    }
    let batch: T[] = []
    for (const s of ds) {
      batch.push(s)
      if (batch.length === this.batch_size) {
        yield this.collate_fn(batch)
        batch = []
      }
    }
    if (batch.length > 0 && !this.drop_last) yield this.collate_fn(batch)
  }
}

type Generator_<B> = globalThis.Generator<B, void, undefined>

const pyBool = (b: boolean): string => (b ? 'True' : 'False')

/**
 * Batches of `dataset` (`batch_size` 1 by default; `null` disables batching), in order or
 * shuffled (`shuffle`, with an optional seeded `generator`), with a custom `sampler` or
 * `batch_sampler`, `drop_last`, and `collate_fn` (default {@link default_collate}).
 * @example
 * import * as torch from 'wengert/torch'
 * const loader = torch.utils.data.DataLoader([1, 2, 3, 4, 5], { batch_size: 2, drop_last: true })
 * assert.deepStrictEqual([...loader].map((b) => b.tolist()), [[1, 2], [3, 4]])
 * @category torch @since 0.2.0
 */
export const DataLoader = pyClass(DataLoaderImpl, 'DataLoader', (args: ReadonlyArray<unknown>): unknown[] => {
  const moved = leadingKeywords('DataLoader.__init__', ['dataset'])(args)
  // only keywords, none of them `dataset`: Python's missing-argument TypeError (a dataset is never a plain object)
  if (moved.length === 1 && isKwargs(moved[0]))
    throw new TorchTypeError("DataLoader.__init__() missing 1 required positional argument: 'dataset'")
  return moved
}) as unknown as {
  new <T, B = Collated<T>>(
    dataset: LoaderDataset<T>,
    ...rest: PyArgs<[batch_size: number | null, shuffle: boolean | null], DataLoaderKw<T, B>>
  ): DataLoaderImpl<T, B>
  <T, B = Collated<T>>(
    dataset: LoaderDataset<T>,
    ...rest: PyArgs<[batch_size: number | null, shuffle: boolean | null], DataLoaderKw<T, B>>
  ): DataLoaderImpl<T, B>
}
/** A `DataLoader` instance. @category torch @since 0.2.0 */
export type DataLoader<T, B = Collated<T>> = DataLoaderImpl<T, B>

/**
 * PyTorch's `get_worker_info()`: null, since loading always runs in the calling thread (an
 * IterableDataset that splits its stream by worker sees a single, main-process reader).
 * @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(torch.utils.data.get_worker_info(), null)
 * @category torch @since 0.2.0
 */
export const get_worker_info = (): null => null
