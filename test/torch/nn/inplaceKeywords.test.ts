/**
 * The in-place activations of torch.nn.functional take their parameters by keyword as PyTorch's
 * do (`F.elu_(x, alpha=2)`); a keyword object was read as the parameter itself and gave NaN.
 * Expected values: PyTorch 1.13 on x = [-1, 2] (float32), printed by
 * `F.elu_(t, alpha=2)`, `F.celu_(t, alpha=2)`, `F.leaky_relu_(t, negative_slope=0.5)`,
 * `F.hardtanh_(t, min_val=-0.5, max_val=0.5)`, `F.threshold_(t, threshold=0., value=7.)`.
 */
import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'

const F = torch.nn.functional
const x = (): torch.Tensor => torch.tensor([-1, 2])
const close = (t: torch.Tensor, want: number[]): void =>
  (t.tolist() as number[]).forEach((v, i) => expect(v).toBeCloseTo(want[i] as number, 6))

describe('in-place activations by keyword', () => {
  it('use the keyword value, in place', () => {
    const a = x()
    expect(F.elu_(a, { alpha: 2 } as never)).toBe(a)
    close(a, [-1.2642411, 2])
    close(F.celu_(x(), { alpha: 2 } as never), [-0.7869387, 2])
    close(F.leaky_relu_(x(), { negative_slope: 0.5 } as never), [-0.5, 2])
    close(F.hardtanh_(x(), { min_val: -0.5, max_val: 0.5 } as never), [-0.5, 0.5])
    const thresholdKw = F.threshold_ as unknown as (input: torch.Tensor, kw: object) => torch.Tensor
    close(thresholdKw(x(), { threshold: 0, value: 7 }), [7, 2])
  })
  it('agree with the positional forms', () => {
    close(F.elu_(x(), 2), [-1.2642411, 2])
    close(F.hardtanh_(x(), -0.5, { max_val: 0.5 } as never), [-0.5, 0.5])
  })
})
