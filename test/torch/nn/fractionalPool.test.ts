/**
 * F.fractional_max_pool2d/3d and nn.FractionalMaxPool2d/3d against real PyTorch 1.13 with the
 * same _random_samples (fixtures/fractional_pool.py writes fixtures/fractional_pool.json):
 * values, indices, node names, gradients of Σ out·W (W = sin(0.37k) + 0.5), reprs and error texts.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { expectFixtureErrors } from '../../helpers/fixtureErrors'
import { sinWeights } from '../../helpers/sinWeights'
import fixture from '../fixtures/fractional_pool.json'

type T = torch.Tensor
const F = torch.nn.functional
const inp = fixture.inputs as unknown as Record<string, torch.TensorData>
const t = (n: string, grad = false): T => torch.tensor(inp[n]!, { dtype: torch.float64, requires_grad: grad })
const S = t('S')

const CASES: Record<string, [string, (x: T) => [T, T]]> = {
  size: ['X', (x) => F.fractional_max_pool2d(x, 2, { output_size: [4, 5], return_indices: true, _random_samples: S })],
  ratio: [
    'X',
    (x) => F.fractional_max_pool2d(x, [3, 2], { output_ratio: 0.5, return_indices: true, _random_samples: S }),
  ],
  unbatched: [
    'X',
    (x) =>
      F.fractional_max_pool2d(x, 2, {
        output_size: 3,
        return_indices: true,
        _random_samples: S.narrow(0, 0, 1),
      }),
  ],
  module: [
    'X',
    (x) =>
      torch.nn.FractionalMaxPool2d(2, { output_size: [5, 4], return_indices: true, _random_samples: S }).call(x) as [
        T,
        T,
      ],
  ],
  '3d': [
    'X3',
    (x) => F.fractional_max_pool3d(x, 2, { output_size: [3, 4, 3], return_indices: true, _random_samples: t('S3') }),
  ],
}

describe('fractional max pooling against PyTorch 1.13', () => {
  it('covers every fixture case', () => expect(Object.keys(CASES).sort()).toEqual(Object.keys(fixture.cases).sort()))
  it.each(Object.keys(fixture.cases))('%s', (name) => {
    const c = (fixture.cases as Record<string, { value: unknown; indices: unknown; node: string; grad: unknown }>)[
      name
    ]!
    const [src, f] = CASES[name]!
    const x = name === 'unbatched' ? t(src).select(0, 0).clone().requires_grad_() : t(src, true)
    const [y, i] = f(x)
    expect(y.tolist()).toEqual(c.value)
    expect(i.tolist()).toEqual(c.indices)
    expect(i.dtype).toBe(torch.int64)
    expect(y.grad_fn?.name()).toBe(c.node)
    const [g] = torch.autograd.grad([y.mul(sinWeights([...y.shape])).sum()], [x])
    const got = [g!.tolist()].flat(5) as number[]
    const want = [c.grad].flat(5) as number[]
    expect(got.length).toBe(want.length)
    got.forEach((v, k) => expect(Math.abs(v - want[k]!)).toBeLessThan(1e-12))
  })
  it('draws its samples from the generator when none are given', () => {
    torch.manual_seed(1)
    const y = F.fractional_max_pool2d(t('X'), 2, { output_ratio: [0.5, 0.5] })
    expect([...y.shape]).toEqual([2, 3, 3, 4])
    torch.manual_seed(1)
    expect(F.fractional_max_pool2d(t('X'), 2, { output_ratio: [0.5, 0.5] }).tolist()).toEqual(y.tolist())
  })
  it('prints as PyTorch', () => {
    expect(String(torch.nn.FractionalMaxPool2d(2, { output_ratio: 0.5 }))).toBe(fixture.reprs['2d'])
    expect(String(torch.nn.FractionalMaxPool3d(2, { output_size: 3 }))).toBe(fixture.reprs['3d'])
  })
})

describe('fractional max pooling errors as PyTorch 1.13', () => {
  const xt = t('X')
  expectFixtureErrors(
    {
      neither: () => F.fractional_max_pool2d(xt, 2),
      too_large: () => F.fractional_max_pool2d(xt, 3, { output_size: [6, 5] }),
      module_neither: () => torch.nn.FractionalMaxPool2d(2),
      module_both: () => torch.nn.FractionalMaxPool2d(2, { output_size: 2, output_ratio: 0.5 }),
      module_ratio: () => torch.nn.FractionalMaxPool2d(2, { output_ratio: 1.5 }),
    },
    fixture.errors,
  )
})
