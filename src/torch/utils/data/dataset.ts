/**
 * `torch.utils.data` datasets. Python's `__getitem__` and `__len__` are spelled `getitem(index)`
 * and a `length` getter (as `nn.Sequential`'s); `len(ds)` is `ds.length`. An `IterableDataset`
 * is a JavaScript iterable (`[Symbol.iterator]`).
 *
 * @example
 * import * as torch from 'wengert/torch'
 * class Squares extends torch.utils.data.Dataset<[number, number]> {
 *   get length() { return 4 }
 *   getitem(i: number): [number, number] { return [i, i * i] }
 * }
 * const ds = new Squares()
 * assert.deepStrictEqual(ds.getitem(3), [3, 9])
 * assert.strictEqual(ds.length, 4)
 * @category torch
 * @since 0.2.0
 */
import { AssertionError, IndexError, NotImplementedError, TorchTypeError, TorchValueError } from '../../errors'
import { default_generator, type Generator } from '../../generator'
import { samplePermutation } from '../../sampling'
import { pyParams } from '../../kwargs'
import { pyClass } from '../../nn/pyclass'
import type { Tensor } from '../../tensor'
import { warn } from '../../warnings'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A map-style dataset (PyTorch's `torch.utils.data.Dataset`): subclasses implement
 * `getitem(index)` and the `length` getter, or Python's spellings `__getitem__(index)` and
 * `__len__()` (a ported class keeps its method names; each pair serves the other).
 * @example
 * import * as torch from 'wengert/torch'
 * class Squares extends torch.utils.data.Dataset<number> {
 *   __len__() { return 3 }
 *   __getitem__(i: number) { return i * i }
 * }
 * const ds = new Squares()
 * assert.strictEqual(ds.length, 3)
 * assert.deepStrictEqual([...torch.utils.data.DataLoader(ds, { batch_size: 3 })][0]!.tolist(), [0, 1, 4])
 * @category torch @since 0.2.0
 */
export abstract class Dataset<T> {
  /** The sample at `index`: the subclass's `__getitem__`. */
  getitem(index: number): T {
    if (!hasOwnImpl(this, '__getitem__', Dataset.prototype.__getitem__))
      throw new NotImplementedError(`Subclasses of Dataset should implement __getitem__.`)
    return this.__getitem__(index)
  }
  /** The number of samples: the subclass's `__len__`. */
  get length(): number {
    if (!hasOwnImpl(this, '__len__', Dataset.prototype.__len__))
      throw new TorchTypeError(`object of type '${this.constructor.name}' has no len()`)
    return this.__len__()
  }
  /** Python's `__getitem__`: the subclass's `getitem`. */
  __getitem__(index: number): T {
    return this.getitem(index)
  }
  /** Python's `len(ds)`: the subclass's `length`. */
  __len__(): number {
    return this.length
  }
  /** Python's `ds1 + ds2`: the two datasets one after the other. */
  add(other: Dataset<T>): ConcatDataset<T> {
    return new ConcatDatasetImpl<T>([this, other])
  }
}

/** True when `obj`'s class overrides the base method `base` under `name`. */
const hasOwnImpl = (obj: object, name: string, base: unknown): boolean =>
  (obj as Record<string, unknown>)[name] !== base

/**
 * An iterable-style dataset (PyTorch's `IterableDataset`): subclasses implement
 * `[Symbol.iterator]`; the `DataLoader` batches its stream in order.
 * @example
 * import * as torch from 'wengert/torch'
 * class Count extends torch.utils.data.IterableDataset<number> {
 *   *[Symbol.iterator]() { yield* [1, 2, 3] }
 * }
 * const batches = [...torch.utils.data.DataLoader(new Count(), { batch_size: 2 })]
 * assert.deepStrictEqual(batches.map((b) => b.tolist()), [[1, 2], [3]])
 * @category torch @since 0.2.0
 */
export abstract class IterableDataset<T> implements Iterable<T> {
  abstract [Symbol.iterator](): Iterator<T>
  /** `a.add(b)`: PyTorch's `a + b`, a {@link ChainDataset} of both. */
  add(other: IterableDataset<T>): ChainDataset<T> {
    return new ChainDatasetImpl<T>([this, other])
  }
}

const chained = <T>(d: unknown): IterableDataset<T> => {
  if (!(d instanceof IterableDataset)) throw new AssertionError('ChainDataset only supports IterableDataset')
  return d as IterableDataset<T>
}

/** See {@link ChainDataset}. */
class ChainDatasetImpl<T> extends IterableDataset<T> {
  readonly datasets: ReadonlyArray<IterableDataset<T>>
  constructor(datasets: Iterable<IterableDataset<T>>) {
    super()
    this.datasets = [...datasets]
  }
  *[Symbol.iterator](): Iterator<T> {
    for (const d of this.datasets) yield* chained<T>(d)
  }
  /** The sum of the datasets' lengths (each must have a `length`, as `len()` needs `__len__`). */
  get length(): number {
    return this.datasets.reduce((n, d) => {
      const len = (chained<T>(d) as { readonly length?: unknown }).length
      if (typeof len !== 'number') throw new TorchTypeError(`object of type '${d.constructor.name}' has no len()`)
      return n + len
    }, 0)
  }
}
/**
 * Several iterable-style datasets one after the other, lazily (PyTorch's `ChainDataset`; `a.add(b)` is
 * PyTorch's `a + b`). Iterating meets an entry that is not an `IterableDataset` with an `AssertionError`.
 * @example
 * import * as torch from 'wengert/torch'
 * class Count extends torch.utils.data.IterableDataset<number> {
 *   constructor(readonly n: number) { super() }
 *   *[Symbol.iterator]() { for (let i = 0; i < this.n; i++) yield i }
 * }
 * assert.deepStrictEqual([...torch.utils.data.ChainDataset([new Count(2), new Count(3)])], [0, 1, 0, 1, 2])
 * assert.deepStrictEqual([...new Count(1).add(new Count(2))], [0, 0, 1])
 * @category torch @since 0.2.0
 */
export const ChainDataset = pyClass(
  ChainDatasetImpl,
  'ChainDataset',
  pyParams('ChainDataset.__init__', ['datasets'], 1, 1),
) as {
  new <T>(datasets: Iterable<IterableDataset<T>>): ChainDatasetImpl<T>
  <T>(datasets: Iterable<IterableDataset<T>>): ChainDatasetImpl<T>
}
/** A `ChainDataset` instance. @category torch @since 0.2.0 */
export type ChainDataset<T> = ChainDatasetImpl<T>

/** Something samplers and the DataLoader can index: a Dataset, or a plain array. @category torch @since 0.2.0 */
export type MapDataset<T> = Dataset<T> | ReadonlyArray<T>

/** The sample `i` of a dataset or an array. */
export const itemOf = <T>(ds: MapDataset<T>, i: number): T => {
  if (ds instanceof Dataset) return ds.getitem(i)
  if (i < 0 || i >= ds.length) throw new IndexError('list index out of range')
  return ds[i] as T
}

// -------------------------------------------------------------------------------------
// datasets
// -------------------------------------------------------------------------------------

/** See {@link TensorDataset}. */
class TensorDatasetImpl extends Dataset<Tensor[]> {
  readonly tensors: Tensor[]
  constructor(...tensors: Tensor[]) {
    super()
    const n = tensors[0]?.size(0)
    if (tensors.some((t) => t.size(0) !== n)) throw new AssertionError('Size mismatch between tensors')
    this.tensors = tensors
  }
  override getitem(index: number): Tensor[] {
    return this.tensors.map((t) => t.select(0, index))
  }
  override get length(): number {
    return this.tensors[0]?.size(0) ?? 0
  }
}
/**
 * Samples are rows of the given tensors (equal first dimensions): `getitem(i)` is
 * `[t0[i], t1[i], …]`.
 * @example
 * import * as torch from 'wengert/torch'
 * const ds = torch.utils.data.TensorDataset(torch.arange(6).reshape(3, 2), torch.tensor([7, 8, 9]))
 * assert.strictEqual(ds.length, 3)
 * assert.deepStrictEqual(ds.getitem(1).map((t) => t.tolist()), [[2, 3], 8])
 * @category torch @since 0.2.0
 */
export const TensorDataset = pyClass(TensorDatasetImpl, 'TensorDataset')
/** A `TensorDataset` instance. @category torch @since 0.2.0 */
export type TensorDataset = TensorDatasetImpl

/** See {@link Subset}. */
class SubsetImpl<T> extends Dataset<T> {
  constructor(
    readonly dataset: MapDataset<T>,
    readonly indices: ReadonlyArray<number>,
  ) {
    super()
  }
  override getitem(index: number): T {
    const i = this.indices[index < 0 ? index + this.indices.length : index]
    if (i === undefined) throw new IndexError('list index out of range')
    return itemOf(this.dataset, i)
  }
  override get length(): number {
    return this.indices.length
  }
  /** The subset's samples in order (so a Subset spreads like a list: `[...subset]`). */
  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.length; i++) yield this.getitem(i)
  }
}
/**
 * The samples of `dataset` at `indices`.
 * @example
 * import * as torch from 'wengert/torch'
 * const s = torch.utils.data.Subset(['a', 'b', 'c', 'd'], [3, 1])
 * assert.deepStrictEqual([s.getitem(0), s.getitem(1), s.length], ['d', 'b', 2])
 * @category torch @since 0.2.0
 */
export const Subset = pyClass(SubsetImpl, 'Subset', pyParams('Subset.__init__', ['dataset', 'indices'], 2, 1)) as {
  new <T>(dataset: MapDataset<T>, indices: ReadonlyArray<number>): SubsetImpl<T>
  <T>(dataset: MapDataset<T>, indices: ReadonlyArray<number>): SubsetImpl<T>
}
/** A `Subset` instance. @category torch @since 0.2.0 */
export type Subset<T> = SubsetImpl<T>

/** See {@link ConcatDataset}. */
class ConcatDatasetImpl<T> extends Dataset<T> {
  readonly datasets: ReadonlyArray<MapDataset<T>>
  /** Running totals of the datasets' lengths. */
  readonly cumulative_sizes: ReadonlyArray<number>
  constructor(datasets: Iterable<MapDataset<T>>) {
    super()
    this.datasets = [...datasets]
    if (this.datasets.length === 0) throw new AssertionError('datasets should not be an empty iterable')
    if (this.datasets.some((d) => (d as unknown) instanceof IterableDataset))
      throw new AssertionError('ConcatDataset does not support IterableDataset')
    let total = 0
    this.cumulative_sizes = this.datasets.map((d) => (total += d.length))
  }
  override get length(): number {
    return this.cumulative_sizes[this.cumulative_sizes.length - 1] ?? 0
  }
  override getitem(index: number): T {
    let i = index
    if (i < 0) {
      if (-i > this.length) throw new TorchValueError('absolute value of index should not exceed dataset length')
      i += this.length
    }
    const d = this.cumulative_sizes.findIndex((c) => i < c)
    if (d < 0) throw new IndexError('list index out of range')
    const start = d === 0 ? 0 : (this.cumulative_sizes[d - 1] as number)
    return itemOf(this.datasets[d] as MapDataset<T>, i - start)
  }
}
/**
 * Several datasets one after the other.
 * @example
 * import * as torch from 'wengert/torch'
 * const c = torch.utils.data.ConcatDataset([[1, 2], [3, 4, 5]])
 * assert.deepStrictEqual([c.length, c.getitem(2), c.getitem(-1)], [5, 3, 5])
 * @category torch @since 0.2.0
 */
export const ConcatDataset = pyClass(
  ConcatDatasetImpl,
  'ConcatDataset',
  pyParams('ConcatDataset.__init__', ['datasets'], 1, 1),
) as {
  new <T>(datasets: Iterable<MapDataset<T>>): ConcatDatasetImpl<T>
  <T>(datasets: Iterable<MapDataset<T>>): ConcatDatasetImpl<T>
}
/** A `ConcatDataset` instance. @category torch @since 0.2.0 */
export type ConcatDataset<T> = ConcatDatasetImpl<T>

// -------------------------------------------------------------------------------------
// random_split
// -------------------------------------------------------------------------------------

/** Lengths from fractions: ⌊n·f⌋ each, the remainder handed out one by one (PyTorch's rule). */
const fromFractions = (n: number, fractions: ReadonlyArray<number>): number[] => {
  const out = fractions.map((f, i) => {
    if (!(f >= 0 && f <= 1)) throw new TorchValueError(`Fraction at index ${i} is not between 0 and 1`)
    return Math.floor(n * f)
  })
  const rest = n - out.reduce((a, b) => a + b, 0)
  for (let i = 0; i < rest; i++) out[i % out.length] = (out[i % out.length] as number) + 1
  out.forEach((l, i) => {
    if (l === 0) warn(`Length of split at index ${i} is 0. This might result in an empty dataset.`)
  })
  return out
}

/**
 * Splits a dataset into non-overlapping random subsets of the given `lengths` — counts summing
 * to the dataset's length, or fractions summing to 1 — using `generator` (default: the global
 * generator, so `torch.manual_seed` fixes the split).
 * @example
 * import * as torch from 'wengert/torch'
 * const [train, val] = torch.utils.data.random_split(torch.utils.data.TensorDataset(torch.arange(10)), [0.8, 0.2])
 * assert.deepStrictEqual([train!.length, val!.length], [8, 2])
 * @category torch @since 0.2.0
 */
export const random_split = <T>(
  dataset: MapDataset<T>,
  lengths: ReadonlyArray<number>,
  generator: Generator = default_generator,
): Array<Subset<T>> => {
  const n = dataset.length
  const sum = lengths.reduce((a, b) => a + b, 0)
  const fractions = Math.abs(sum - 1) <= 1e-9 && sum <= 1
  const sizes = fractions ? fromFractions(n, lengths) : [...lengths]
  if (sizes.reduce((a, b) => a + b, 0) !== n)
    throw new TorchValueError('Sum of input lengths does not equal the length of the input dataset!')
  const perm = [
    ...samplePermutation(
      generator,
      sizes.reduce((x, y) => x + y, 0),
    ),
  ]
  let offset = 0
  return sizes.map((l) => {
    const s = new SubsetImpl(dataset, perm.slice(offset, offset + l))
    offset += l
    return s
  })
}
