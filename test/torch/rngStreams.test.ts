import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'
import fixture from './fixtures/rng_streams.json'

// Reference: test/torch/fixtures/rng_streams.py run on PyTorch 1.13 (CPU, its AVX2 kernels). Each
// case reseeds and replays the same sampling calls. Exact unless stated: float32 normals included
// (PyTorch's AVX2 approximate log/sin/cos for 16+ contiguous values are emulated, avxMath32.ts).
// The inverse-transform samplers (exponential_, cauchy_, log_normal_) call the C library's log/tan/
// exp in double, which can differ from JavaScript's by an ulp: TOL32 covers that after rounding.
type Case = ReadonlyArray<ReadonlyArray<number | string> | unknown>
const cases = fixture as unknown as Record<string, Case>
const flat = (t: torch.Tensor): number[] => t.detach().reshape(-1).tolist() as number[]
const TOL32 = 2 * 2 ** -23

const exact = (got: ReadonlyArray<number>, want: unknown): void => expect(got).toEqual(want)
const close32 = (got: ReadonlyArray<number>, want: unknown): void => {
  const w = want as number[]
  expect(got.length).toBe(w.length)
  got.forEach((g, i) => expect(Math.abs(g - (w[i] as number))).toBeLessThanOrEqual(TOL32 * Math.max(1, Math.abs(g))))
}

describe('PyTorch CPU random streams', () => {
  it('rand: 24-bit float and 53-bit double uniforms', () => {
    const c = cases.rand!
    torch.manual_seed(0)
    exact(flat(torch.rand(5)), c[0])
    exact(flat(torch.rand(2, 3, { dtype: torch.float64 })), c[1])
    exact(flat(torch.rand(17)), c[2])
  })
  it('randn: per-element pairs below 16 values, blocks of 16 above', () => {
    const c = cases.randn!
    ;[1, 3, 15, 16, 17, 33, 40].forEach((n, i) => {
      torch.manual_seed(n)
      exact(flat(torch.randn(n)), c[i])
    })
    ;[1, 3, 16, 20].forEach((n, i) => {
      torch.manual_seed(100 + n)
      exact(flat(torch.randn(n, { dtype: torch.float64 })), c[7 + i])
    })
  })
  it('randn keeps the second sample of a pair for the next call, and manual_seed clears it', () => {
    const c = cases['randn cache']!
    torch.manual_seed(7)
    exact(flat(torch.randn(3)), c[0])
    exact(flat(torch.randn(1)), c[1])
    exact(flat(torch.randn(20)), c[2])
    exact(flat(torch.randn(2)), c[3])
    torch.manual_seed(7)
    exact(flat(torch.randn(1)), c[4])
  })
  it('uniform_ and normal_, including a strided destination', () => {
    const c = cases['uniform_ normal_']!
    torch.manual_seed(3)
    exact(flat(torch.empty(10).uniform_(-2, 3)), c[0])
    exact(flat(torch.empty(4, { dtype: torch.float64 }).uniform_(-2, 3)), c[1])
    exact(flat(torch.empty(5).normal_(1.5, 2)), c[2])
    exact(flat(torch.empty(20).normal_(1.5, 2)), c[3])
    exact(flat(torch.empty(3, 7).normal_()), c[4])
    exact(flat(torch.empty(7, 3).t().normal_()), c[5])
  })
  it('randint, randperm and random_', () => {
    const c = cases['randint randperm random_']!
    torch.manual_seed(11)
    exact(flat(torch.randint(3, 10, [20])), c[0])
    exact(flat(torch.randint(0, 2 ** 33, [4])), c[1])
    exact(flat(torch.randperm(10)), c[2])
    exact(flat(torch.randperm(1)), c[3])
    exact(flat(torch.empty(5).random_(0, 10)), c[4])
    exact(flat(torch.empty(5, { dtype: torch.int32 }).random_()), c[5])
    exact(flat(torch.randint(5, [3])), c[6])
  })
  it('bernoulli and dropout', () => {
    const c = cases['bernoulli dropout']!
    torch.manual_seed(5)
    exact(flat(torch.empty(20).bernoulli_(0.3)), c[0])
    exact(flat(torch.bernoulli(torch.full([12], 0.6))), c[1])
    exact(flat(torch.nn.functional.dropout(torch.ones(20), 0.5, true)), c[2])
    exact(flat(torch.empty(6).bernoulli_(torch.full([6], 0.5))), c[3])
  })
  it('a torch.Generator has its own stream', () => {
    const c = cases.generator!
    const g = torch.Generator().manual_seed(42)
    exact(flat(torch.rand(4, { generator: g })), c[0])
    exact(flat(torch.randn(4, { generator: g })), c[1])
    exact(flat(torch.randperm(6, { generator: g })), c[2])
    torch.manual_seed(0)
    exact(flat(torch.rand(2)), c[3])
  })
  it('torch.normal overloads and the *_like samplers', () => {
    const c = cases['normal functions']!
    torch.manual_seed(9)
    exact(flat(torch.normal(2, 3, [5])), c[0])
    exact(flat(torch.normal(torch.arange(4).float(), torch.full([4], 0.5))), c[1])
    exact(flat(torch.normal(torch.zeros(20), 1)), c[2])
    exact(flat(torch.randn_like(torch.zeros(2, 2))), c[3])
    exact(flat(torch.rand_like(torch.zeros(3))), c[4])
  })
  it('exponential_, cauchy_, log_normal_ and geometric_', () => {
    const c = cases['other distributions']!
    torch.manual_seed(13)
    close32(flat(torch.empty(6).exponential_(2)), c[0])
    const e64 = flat(torch.empty(4, { dtype: torch.float64 }).exponential_())
    e64.forEach((v, i) => expect(Math.abs(v - ((c[1] as number[])[i] as number))).toBeLessThanOrEqual(4e-16 * v))
    close32(flat(torch.empty(5).cauchy_(1, 2)), c[2])
    close32(flat(torch.empty(5).log_normal_(0.5, 0.25)), c[3])
    exact(flat(torch.empty(6).geometric_(0.3)), c[4])
  })
  it('module initialisation draws as PyTorch', () => {
    const c = cases.layers!
    torch.manual_seed(0)
    const nn = torch.nn
    const mods = [
      new nn.Linear(4, 3),
      new nn.Conv2d(2, 3, 3),
      new nn.Embedding(5, 3),
      new nn.LSTM(3, 4),
      new nn.GRU(2, 3, { num_layers: 2 }),
      new nn.MultiheadAttention(8, 2),
      new nn.BatchNorm1d(3),
    ]
    const got = mods.flatMap((m) => [...m.parameters()].map(flat))
    expect(got.length).toBe(c.length)
    got.forEach((g, i) => exact(g, c[i]))
  })
  it('DataLoader shuffling, random_split and the samplers', () => {
    const c = cases.data!
    const { DataLoader, TensorDataset, RandomSampler, SubsetRandomSampler, random_split } = torch.utils.data
    torch.manual_seed(1)
    const dl = DataLoader(TensorDataset(torch.arange(10)), { batch_size: 3, shuffle: true })
    const epoch = (): number[][] => [...dl].map((b) => (b as torch.Tensor[])[0]!.tolist() as number[])
    exact(epoch() as unknown as number[], c[0])
    exact(epoch() as unknown as number[], c[1])
    const parts = random_split([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [7, 3], torch.Generator().manual_seed(4))
    exact(parts.map((p) => [...p]) as unknown as number[], c[2])
    torch.manual_seed(2)
    exact([...RandomSampler([0, 1, 2, 3, 4], { replacement: true, num_samples: 40 })], c[3])
    exact([...RandomSampler([0, 1, 2, 3], { num_samples: 10 })], c[4])
    exact([...SubsetRandomSampler([10, 20, 30, 40])], c[5])
  })
})

describe("PyTorch's generator state bytes", () => {
  const hex = (t: torch.Tensor): string => (t.tolist() as number[]).map((b) => b.toString(16).padStart(2, '0')).join('')
  const bytes = (h: string): torch.Tensor =>
    torch.tensor(Uint8Array.from({ length: h.length / 2 }, (_, i) => parseInt(h.slice(2 * i, 2 * i + 2), 16)))
  it('get_rng_state writes the layout PyTorch writes, cached normal included', () => {
    const c = cases.state as [string, number[], string]
    torch.manual_seed(3)
    torch.rand(5)
    torch.randn(3)
    expect(hex(torch.get_rng_state())).toBe(c[0])
    expect(
      hex(
        torch
          .Generator()
          .manual_seed(2 ** 40 + 7)
          .get_state(),
      ),
    ).toBe(c[2])
  })
  it("set_rng_state of PyTorch's bytes resumes PyTorch's stream", () => {
    const c = cases.state as [string, number[], string]
    torch.manual_seed(99)
    torch.set_rng_state(bytes(c[0]))
    exact(flat(torch.randn(2)), c[1])
  })
})
