/**
 * What porting the mini-BERT masked-LM step (test/torch/ports/miniBert.test.ts) found: the
 * parameters of normal_, uniform_, fill_, masked_fill(_), index_fill(_) and masked_scatter(_) given
 * by keyword were accepted by the keyword check and then misread by the method (NaN weights from
 * `normal_(mean=0.0, std=0.02)`, a keyword object read as a fill value). Values and error texts:
 * PyTorch 1.13 (test/torch/fixtures/port_keywords_s22.py).
 */
import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'
import fixture from './fixtures/port_keywords_s22.json'
import { expectClose } from './ports/portHelpers'

type Call = (...a: unknown[]) => torch.Tensor
const x = torch.tensor(fixture.x)
const mask = torch.tensor(fixture.mask)
const index = torch.tensor([0n, 2n])
const method = (t: torch.Tensor, name: string): Call => {
  const f = (t as unknown as Record<string, Call>)[name]!
  return (...a) => f.apply(t, a)
}

describe('in-place samplers with their parameters by keyword', () => {
  it('draw what PyTorch draws', () => {
    const cases: Record<string, (t: torch.Tensor, generator: torch.Generator) => torch.Tensor> = {
      normal_mean_std: (t, generator) => t.normal_({ mean: 0.0, std: 0.02, generator }),
      normal_std: (t, generator) => t.normal_(1.0, { std: 2.0, generator }),
      normal_generator: (t, generator) => t.normal_({ generator }),
      uniform_from_to: (t, generator) => t.uniform_({ from: -2.0, to: 3.0, generator }),
      uniform_to: (t, generator) => t.uniform_({ to: 0.5, generator }),
      uniform_generator: (t, generator) => t.uniform_({ generator }),
    }
    for (const [name, call] of Object.entries(cases)) {
      const g = new torch.Generator().manual_seed(11)
      const got = call(torch.empty(5, { dtype: torch.float64 }), g).tolist()
      expectClose(got, fixture.samplers[name as keyof typeof fixture.samplers], 1e-15, 0, name)
    }
    torch.manual_seed(3)
    expectClose(torch.empty(4).normal_({ mean: 0.0, std: 0.02 }).tolist(), fixture.global_normal, 1e-7, 0)
  })
})

describe('fills with their value by keyword', () => {
  it('fill as PyTorch fills', () => {
    expect(method(torch.empty(3), 'fill_')({ value: 2.5 }).tolist()).toEqual(fixture.fill_value)
    expectClose(x.masked_fill(mask, { value: -1.0 }).tolist(), fixture.masked_fill_value, 1e-7, 0)
    expectClose(
      method(x, 'masked_fill')({ mask, value: torch.tensor(4.0) }).tolist(),
      fixture.masked_fill_both,
      1e-7,
      0,
    )
    expectClose(x.clone().masked_fill_(mask, { value: 0.0 }).tolist(), fixture.masked_fill__value, 1e-7, 0)
    expectClose((torch.masked_fill as Call)(x, mask, { value: 7.0 }).tolist(), fixture.torch_masked_fill, 1e-7, 0)
    expectClose(method(x, 'index_fill')(1, index, { value: -3.0 }).tolist(), fixture.index_fill_value, 1e-7, 0)
    expectClose(method(x.clone(), 'index_fill_')(1, { index, value: 9.0 }).tolist(), fixture.index_fill__value, 1e-7, 0)
    const source = torch.arange(6.0).reshape(2, 3)
    expectClose(method(x, 'masked_scatter')(mask, { source }).tolist(), fixture.masked_scatter_source, 1e-7, 0)
  })

  it("raise PyTorch's TypeError for a missing or doubled parameter", () => {
    const cases: Record<string, () => unknown> = {
      masked_fill_no_mask: () => method(x, 'masked_fill')({ value: 1.5 }),
      masked_fill_twice: () => method(x, 'masked_fill')(mask, 1.5, { value: 2.5 }),
      normal_twice: () => method(torch.empty(2), 'normal_')(0.0, { mean: 1.0 }),
    }
    for (const [name, call] of Object.entries(cases)) {
      const [type, text] = fixture.errors[name as keyof typeof fixture.errors]!
      expect(type).toBe('TypeError')
      expect(call, name).toThrow(torch.TorchTypeError)
      expect(call, name).toThrow(text)
    }
  })
})

describe('BatchSampler and WeightedRandomSampler by keyword (found by the PPO port)', () => {
  const { BatchSampler, SubsetRandomSampler, WeightedRandomSampler } = torch.utils.data
  const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i)
  type Ctor = (...a: unknown[]) => Iterable<unknown>

  it('take their parameters by keyword as PyTorch does', () => {
    torch.manual_seed(5)
    const want = fixture.data_samplers
    expect([...BatchSampler(SubsetRandomSampler(range(7)), 3, { drop_last: true })]).toEqual(want.batch_drop_last)
    expect([...BatchSampler({ sampler: range(5), batch_size: 2, drop_last: false })]).toEqual(want.batch_keywords)
    const weighted = WeightedRandomSampler as unknown as Ctor
    expect([...weighted([0.1, 0.9, 0.4], 5, { replacement: true })]).toEqual(want.weighted_replacement)
    expect([...weighted([0.1, 0.9, 0.4], { num_samples: 2, replacement: false })]).toEqual(want.weighted_num_samples)
  })

  it("raise Python's TypeError for a missing, unknown or doubled one", () => {
    const batch = BatchSampler as unknown as Ctor
    const cases: Record<string, () => unknown> = {
      batch_missing: () => batch(range(5), 2),
      batch_unknown: () => batch(range(5), 2, true, { foo: 1 }),
      batch_twice: () => batch(range(5), 2, true, { drop_last: true }),
      weighted_unknown: () => (WeightedRandomSampler as unknown as Ctor)([0.1], 1, { foo: 2 }),
    }
    for (const [name, call] of Object.entries(cases)) {
      const [, text] = fixture.data_sampler_errors[name as keyof typeof fixture.data_sampler_errors]!
      expect(call, name).toThrow(torch.TorchTypeError)
      expect(call, name).toThrow(text!)
    }
  })
})
