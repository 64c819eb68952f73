/**
 * torch.utils.data against PyTorch 1.13: batch structure, shapes, dtypes and values of in-order
 * loaders, len(loader), random_split sizes and default_collate's structure come from
 * test/fixtures/torch/data_structure.json (scripts/fixtures/data_structure.py). Shuffled orders
 * are not compared with PyTorch (different generators); they are checked to be permutations,
 * reproducible under a seed, and different across epochs.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

const { DataLoader, TensorDataset, random_split, default_collate } = torch.utils.data
const { BatchSampler, SequentialSampler, RandomSampler, WeightedRandomSampler, SubsetRandomSampler } = torch.utils.data

type Desc = { shape: number[]; dtype: string; values: unknown } | Desc[] | { [k: string]: Desc }
const FIX = JSON.parse(readFileSync(new URL('../../fixtures/torch/data_structure.json', import.meta.url), 'utf8')) as {
  loaders: Array<{ batch_size: number; drop_last: boolean; len: number; batches: Desc[] }>
  splits: Array<{ lengths: number[]; sizes: number[] }>
  collate: Array<{ batch: Desc }>
  lengths: Record<string, number | number[]>
}

/** The same description the Python script writes. */
const describe_ = (b: unknown): Desc => {
  if (b instanceof torch.Tensor) return { shape: [...b.shape], dtype: String(b.dtype), values: b.tolist() }
  if (Array.isArray(b)) return b.map(describe_)
  return Object.fromEntries(Object.entries(b as object).map(([k, v]) => [k, describe_(v)]))
}

const x = torch.arange(14, { dtype: torch.float32 }).reshape(7, 2)
const y = torch.arange(7)
const ds = TensorDataset(x, y)

describe('DataLoader (structure against PyTorch)', () => {
  it.each(FIX.loaders.map((c) => [c.batch_size, c.drop_last, c] as const))(
    'batch_size=%d drop_last=%s',
    (bs, dropLast, c) => {
      const loader = DataLoader(ds, { batch_size: bs, drop_last: dropLast })
      expect(loader.length).toBe(c.len)
      expect([...loader].map(describe_)).toEqual(c.batches)
    },
  )
  it('default_collate keeps nesting, dtypes follow PyTorch', () => {
    const samples: unknown[][] = [
      [
        { a: torch.tensor([1, 2]), b: [3, 4.5], c: true },
        { a: torch.tensor([5, 6]), b: [7, 8.5], c: false },
      ],
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      [
        [torch.tensor(1), 2.5],
        [torch.tensor(3), 4.5],
      ],
    ]
    samples.forEach((s, i) => expect(describe_(default_collate(s))).toEqual(FIX.collate[i]?.batch))
  })
  it('samplers and datasets have PyTorch lengths', () => {
    const L = FIX.lengths
    expect(BatchSampler(SequentialSampler(Array(10).fill(0)), 3, false).length).toBe(L.batch_sampler_3_false)
    expect(BatchSampler(SequentialSampler(Array(10).fill(0)), 3, true).length).toBe(L.batch_sampler_3_true)
    expect([...RandomSampler([0, 1, 2, 3, 4], { replacement: true, num_samples: 13 })].length).toBe(
      L.random_sampler_replacement_13,
    )
    const counts = [...RandomSampler([0, 1, 2, 3, 4], { num_samples: 13 })].sort()
    expect(counts.length).toBe(13)
    // two whole permutations plus three: every index two or three times, as PyTorch
    for (let i = 0; i < 5; i++) expect([2, 3]).toContain(counts.filter((c) => c === i).length)
    expect([...WeightedRandomSampler([0.1, 0.9], 4)].length).toBe(L.weighted_4)
    expect(
      torch.utils.data.ConcatDataset([
        [0, 1, 2],
        [0, 1, 2, 3],
      ]).length,
    ).toBe(L.concat_len)
    expect(torch.utils.data.Subset([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [4, 2]).getitem(1)).toBe(L.subset_item)
  })
  it.each(FIX.splits.map((s) => [JSON.stringify(s.lengths), s] as const))('random_split %s', (_, s) => {
    const parts = random_split([0, 1, 2, 3, 4, 5, 6], s.lengths, torch.Generator().manual_seed(0))
    expect(parts.map((p) => p.length)).toEqual(s.sizes)
    expect(parts.flatMap((p) => [...p]).sort()).toEqual([0, 1, 2, 3, 4, 5, 6])
  })
})

describe('shuffling and seeds', () => {
  const order = (loader: Iterable<torch.Tensor[]>): number[] =>
    [...loader].flatMap(([, yb]) => yb!.tolist() as number[])
  it('shuffle gives permutations; a seeded generator repeats them; epochs differ', () => {
    const g = torch.Generator().manual_seed(3)
    const loader = DataLoader(ds, { batch_size: 3, shuffle: true, generator: g })
    const e1 = order(loader)
    const e2 = order(loader)
    expect([...e1].sort()).toEqual([0, 1, 2, 3, 4, 5, 6])
    expect(e1).not.toEqual(e2)
    g.manual_seed(3)
    expect(order(loader)).toEqual(e1)
  })
  it('torch.manual_seed fixes every sampler without a generator', () => {
    const draw = (): unknown[] => [
      order(DataLoader(ds, { batch_size: 2, shuffle: true })),
      [...RandomSampler([0, 1, 2, 3, 4, 5])],
      [...RandomSampler([0, 1, 2], { replacement: true, num_samples: 8 })],
      [...SubsetRandomSampler([10, 11, 12, 13])],
      [...WeightedRandomSampler([1, 2, 3, 4], 6)],
      random_split([0, 1, 2, 3, 4], [2, 3]).map((p) => [...p]),
    ]
    torch.manual_seed(11)
    const a = draw()
    torch.manual_seed(11)
    expect(draw()).toEqual(a)
    torch.manual_seed(12)
    expect(draw()).not.toEqual(a)
  })
  it('WeightedRandomSampler follows the weights; without replacement never repeats', () => {
    torch.manual_seed(0)
    const draws = [...WeightedRandomSampler([1, 3], 4000)]
    const ones = draws.filter((d) => d === 1).length / draws.length
    expect(Math.abs(ones - 0.75)).toBeLessThan(0.03)
    const nr = [...WeightedRandomSampler([1, 1, 1, 1, 1], 5, false)].sort()
    expect(nr).toEqual([0, 1, 2, 3, 4])
    expect(() => WeightedRandomSampler([1, 1], 3, false)).toThrow(torch.RuntimeError)
  })
})

describe('options and errors (PyTorch texts)', () => {
  it('collate_fn, sampler, batch_sampler, batch_size=null', () => {
    const l1 = DataLoader([1, 2, 3], { batch_size: 2, collate_fn: (b: number[]) => b.reduce((s, v) => s + v, 0) })
    expect([...l1]).toEqual([3, 3])
    const l2 = DataLoader([10, 20, 30], { sampler: [2, 0] })
    expect([...l2].map((b) => b.tolist())).toEqual([[30], [10]])
    const l3 = DataLoader([10, 20, 30], { batch_sampler: [[0, 1], [2]] })
    expect([...l3].map((b) => b.tolist())).toEqual([[10, 20], [30]])
    const l4 = DataLoader([10, 20], { batch_size: null })
    expect([...l4]).toEqual([10, 20])
  })
  it('refuses bad combinations', () => {
    expect(() => DataLoader([1], { sampler: [0], shuffle: true })).toThrow(
      'sampler option is mutually exclusive with shuffle',
    )
    expect(() => DataLoader([1], { batch_sampler: [[0]], batch_size: 2 })).toThrow(
      'batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last',
    )
    expect(() => DataLoader([1], { batch_size: 0 })).toThrow(
      'batch_size should be a positive integer value, but got batch_size=0',
    )
    expect(() => DataLoader([1], { batchsize: 2 } as never)).toThrow(
      "DataLoader.__init__() got an unexpected keyword argument 'batchsize'",
    )
    expect(() => TensorDataset(torch.ones(2), torch.ones(3))).toThrow('Size mismatch between tensors')
    expect(() => random_split([1, 2, 3], [1, 1])).toThrow(
      'Sum of input lengths does not equal the length of the input dataset!',
    )
    expect(() => default_collate([null])).toThrow(torch.TorchTypeError)
    expect(() => default_collate([[1], [1, 2]])).toThrow('each element in list of batch should be of equal size')
  })
  it('an IterableDataset batches its stream and refuses shuffle', () => {
    class Stream extends torch.utils.data.IterableDataset<number> {
      *[Symbol.iterator](): Iterator<number> {
        yield* [1, 2, 3, 4, 5]
      }
    }
    expect([...DataLoader(new Stream(), { batch_size: 2, drop_last: true })].map((b) => b.tolist())).toEqual([
      [1, 2],
      [3, 4],
    ])
    expect(() => DataLoader(new Stream(), { shuffle: true })).toThrow(
      'DataLoader with IterableDataset: expected unspecified shuffle option, but got shuffle=True',
    )
    expect(() => DataLoader(new Stream()).length).toThrow("object of type 'Stream' has no len()")
  })
})
