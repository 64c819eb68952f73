/**
 * What porting the makemore lectures (test/torch/ports/makemoreLectures.test.ts) found missing:
 * NumPy's keyword names that PyTorch's argument parser accepts beside its own (`keepdims`,
 * `axis`, `x`), F.one_hot's `num_classes` keyword, and the in-place samplers' parameters by
 * keyword. Values and error texts: PyTorch 1.13 (test/torch/fixtures/port_keywords_s16.py).
 */
import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'
import fixture from './fixtures/port_keywords_s16.json'
import { expectClose } from './ports/portHelpers'

const F = torch.nn.functional
const x = torch.tensor(fixture.x)
type Call = (...a: unknown[]) => torch.Tensor

describe("NumPy's keyword names", () => {
  // float32 sums compared to 1e-6: the summation order of a 4-element row is not the point here
  it('are taken by methods and torch functions as PyTorch takes them', () => {
    const expect = (got: unknown): { toEqual: (want: unknown) => void } => ({
      toEqual: (want) => expectClose(got, want, 1e-6, 1e-7),
    })
    expect(x.sum(1, { keepdims: true }).tolist()).toEqual(fixture.sum_keepdims)
    expect(x.sum({ axis: 0 }).tolist()).toEqual(fixture.sum_axis)
    expect(torch.sum(x, { axis: 1, keepdims: true }).tolist()).toEqual(fixture.torch_sum_axis_keepdims)
    expect((torch.mean as unknown as Call)({ x, axis: 0 }).tolist()).toEqual(fixture.mean_x)
    expect((x.std as unknown as Call)(0, { keepdims: true }).tolist()).toEqual(fixture.std_keepdims)
    const mx = (x.max as unknown as (...a: unknown[]) => torch.ValuesIndices)({ axis: 1, keepdims: true })
    expect(mx.values.tolist()).toEqual(fixture.max_axis)
  })

  it('still refuse a keyword given under both names', () => {
    expect(() => (x.sum as unknown as Call)({ dim: 0, axis: 0 })).toThrow(torch.TorchTypeError)
    expect(() => (x.sum as unknown as Call)({ dim: 0, axis: 0 })).toThrow(
      fixture.errors.sum_dim_and_axis![1]!.split(' - got')[0],
    )
  })
})

describe('keyword forms found by the ports', () => {
  it('F.one_hot takes num_classes by keyword', () => {
    const y = F.one_hot(torch.tensor([0, 2, 1], { dtype: torch.long }), { num_classes: 4 })
    expect(y.tolist()).toEqual(fixture.one_hot)
  })

  it('the in-place samplers take their parameters and the generator by keyword', () => {
    // Arrange
    const draw = (f: (t: torch.Tensor, g: torch.Generator) => torch.Tensor): number[] =>
      f(torch.empty(5, { dtype: torch.float64 }), torch.Generator().manual_seed(7)).tolist() as number[]
    // Act
    const got = {
      exponential: draw((t, g) => t.exponential_({ generator: g })),
      exponential_lambd: draw((t, g) => t.exponential_({ lambd: 2.0, generator: g })),
      log_normal_std: draw((t, g) => t.log_normal_({ std: 0.5, generator: g })),
      cauchy_sigma: draw((t, g) => t.cauchy_({ sigma: 2.0, generator: g })),
      geometric_p: draw((t, g) => t.geometric_({ p: 0.3, generator: g })),
    }
    // Assert
    for (const [k, want] of Object.entries(fixture.samplers))
      (want as number[]).forEach((w, i) => expect(got[k as keyof typeof got][i]).toBeCloseTo(w, 12))
  })

  it('raises Python’s TypeError for a missing or doubled sampler parameter', () => {
    expect(() => torch.empty(2).geometric_({} as { p: number })).toThrow(fixture.errors.geometric_missing_p![1]!)
    expect(() => (torch.empty(2).exponential_ as unknown as Call)(1.0, { lambd: 2.0 })).toThrow(
      fixture.errors.exponential_twice![1]!,
    )
  })
})

describe('in-place activations (MobileNetV3: Hardswish then Dropout(inplace=True))', () => {
  it('keep their input, as PyTorch’s nodes do, so a later in-place change of the result is no error', () => {
    const acts: Record<string, (t: torch.Tensor) => torch.Tensor> = {
      hardswish: (t) => F.hardswish(t, { inplace: true }),
      silu: (t) => F.silu(t, { inplace: true }),
      hardtanh: (t) => F.hardtanh(t, { inplace: true }),
      hardsigmoid: (t) => F.hardsigmoid(t, { inplace: true }),
      relu: (t) => F.relu(t, { inplace: true }),
    }
    for (const [name, want] of Object.entries(fixture.inplace_activations)) {
      // Arrange
      const xa = torch.tensor([-4.0, -1.5, -0.25, 0.5, 2.0, 5.0], { requires_grad: true })
      const z = acts[name]!(xa.mul(1))
      z.mul_(2)
      // Act / Assert
      if (typeof want[0] === 'string') {
        expect(() => z.sum().backward(), name).toThrow(want[1] as string)
        continue
      }
      z.sum().backward()
      expectClose(xa.grad!.tolist(), want, 1e-6, 1e-7, name)
    }
  })
})
