import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'
import fixture from './fixtures/rng_streams.json'

// Reference: the "multinomial" and "data" cases of test/torch/fixtures/rng_streams.py (PyTorch 1.13, CPU).
const cases = fixture as unknown as Record<string, ReadonlyArray<unknown>>
const flat = (t: torch.Tensor): number[] => t.reshape(-1).tolist() as number[]

describe("torch.multinomial draws PyTorch's indices", () => {
  it('with and without replacement, float32 and float64, one and many samples', () => {
    const c = cases.multinomial!
    torch.manual_seed(17)
    const w = torch.tensor([0.1, 0.2, 0.3, 0.4])
    expect(flat(torch.multinomial(w, 8, true))).toEqual(c[0])
    expect(flat(torch.multinomial(w, 3, { replacement: false }))).toEqual(c[1])
    expect(
      flat(
        torch.multinomial(
          torch.tensor([
            [1, 2, 3],
            [3, 2, 1],
          ]),
          2,
        ),
      ),
    ).toEqual(c[2])
    expect(flat(torch.multinomial(torch.rand(3, 50), 20))).toEqual(c[3])
    expect(flat(torch.multinomial(torch.rand(4, 7, { dtype: torch.float64 }), 30, true))).toEqual(c[4])
    expect(flat(torch.multinomial(torch.rand(300), 1))).toEqual(c[5])
    expect(flat(torch.multinomial(torch.rand(2, 1000).pow(4), 200, true))).toEqual(c[6])
    const sparse = torch.tensor([0, 1, 0, 2, 0])
    expect(flat(torch.multinomial(sparse, 40, true))).toEqual(c[7])
    expect(flat(torch.multinomial(sparse, 2))).toEqual(c[8])
  })
  it("raises PyTorch's errors", () => {
    expect(() => torch.multinomial(torch.tensor([1, 2]), 1, true)).not.toThrow()
    expect(() => torch.multinomial(torch.tensor([1, 2], { dtype: torch.int64 }), 1)).toThrow(
      'multinomial only supports floating-point dtypes for input, got: Long',
    )
    expect(() => torch.multinomial(torch.tensor([1, -1]), 3, true)).toThrow(
      'invalid multinomial distribution (encountering probability entry < 0)',
    )
    expect(() => torch.multinomial(torch.tensor([1, Infinity]), 3, true)).toThrow(
      'invalid multinomial distribution (encountering probability entry = infinity or NaN)',
    )
    expect(() => torch.multinomial(torch.tensor([1, -1]), 1)).toThrow(
      'probability tensor contains either `inf`, `nan` or element < 0',
    )
  })
  it('WeightedRandomSampler draws as torch.multinomial of float64 weights', () => {
    const c = cases.data!
    const { RandomSampler, SubsetRandomSampler, WeightedRandomSampler } = torch.utils.data
    torch.manual_seed(2)
    ;[...RandomSampler([0, 1, 2, 3, 4], { replacement: true, num_samples: 40 })]
    ;[...RandomSampler([0, 1, 2, 3], { num_samples: 10 })]
    ;[...SubsetRandomSampler([10, 20, 30, 40])]
    expect([...WeightedRandomSampler([0.1, 0.9, 0.5], 6)]).toEqual(c[6])
  })
})
