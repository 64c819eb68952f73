/**
 * DistributedSampler and ChainDataset against PyTorch 1.13: every index list comes from
 * test/fixtures/torch/data_distributed.json (scripts/fixtures/data_distributed.py), shuffled
 * orders included (the facade's generator is PyTorch's).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

const { DistributedSampler, ChainDataset, IterableDataset } = torch.utils.data

interface Case {
  n: number
  num_replicas: number
  rank: number
  shuffle: boolean
  seed: number
  epoch: number
  drop_last: boolean
  len: number
  indices: number[]
}
const FIX = JSON.parse(
  readFileSync(new URL('../../fixtures/torch/data_distributed.json', import.meta.url), 'utf8'),
) as {
  samplers: Case[]
  errors: Array<{ num_replicas: number; rank: number; message: string }>
  chain: { items: number[]; len: number; plus: number[] }
}

class Count extends IterableDataset<number> {
  constructor(readonly length: number) {
    super()
  }
  *[Symbol.iterator]() {
    for (let i = 0; i < this.length; i++) yield i
  }
}

describe('DistributedSampler (indices against PyTorch)', () => {
  it('agrees on every case of the fixture', () => {
    expect(FIX.samplers.length).toBeGreaterThan(800)
    for (const c of FIX.samplers) {
      const { n, num_replicas, rank, shuffle, seed, drop_last } = c
      const s = DistributedSampler(new Array<number>(n).fill(0), { num_replicas, rank, shuffle, seed, drop_last })
      s.set_epoch(c.epoch)
      expect([s.length, [...s]], JSON.stringify({ ...c, indices: undefined })).toEqual([c.len, c.indices])
    }
  })
  it.each(FIX.errors)('rejects rank $rank of $num_replicas with PyTorch message', (e) => {
    expect(() => DistributedSampler([0, 0, 0, 0], { num_replicas: e.num_replicas, rank: e.rank })).toThrow(e.message)
  })
  it('needs num_replicas and rank (no process group)', () => {
    expect(() => DistributedSampler([0, 0])).toThrow(/process group has not been initialized/)
    expect(() => DistributedSampler([0, 0], { num_replicas: 2 })).toThrow(/process group/)
  })
  it('drives a DataLoader', () => {
    const s = DistributedSampler([10, 11, 12, 13], { num_replicas: 2, rank: 0, shuffle: false })
    const batches = [...torch.utils.data.DataLoader([0, 1, 2, 3], { sampler: s, batch_size: 2 })]
    expect(batches.map((b) => b.tolist())).toEqual([[0, 2]])
  })
})

describe('ChainDataset (against PyTorch)', () => {
  it('chains iterable datasets lazily, with a length and PyTorch’s + as add', () => {
    const c = ChainDataset([new Count(2), new Count(3)])
    expect([[...c], c.length]).toEqual([FIX.chain.items, FIX.chain.len])
    expect([...new Count(1).add(new Count(2))]).toEqual(FIX.chain.plus)
  })
  it('asserts its members are iterable datasets', () => {
    const c = ChainDataset([new Count(1), [1, 2] as unknown as Count])
    expect(() => [...c]).toThrow('ChainDataset only supports IterableDataset')
  })
})
