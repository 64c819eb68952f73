/**
 * ATen's native_* forms, norm_except_dim and conv_tbc: values, grad_fn names, next_functions,
 * gradients and error texts against real PyTorch 1.13 runs of the same programs
 * (fixtures/native_ops.py writes fixtures/native_ops.json); native_dropout's masks and
 * native_norm's refusal checked here.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { mismatch, outcome } from '../helpers/fixturePrograms'
import fixture from './fixtures/native_ops.json'

describe('native_* forms as PyTorch 1.13 runs them', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const got = outcome(c.ts)
    if (mismatch(got, c.expect) !== null) expect(got).toEqual(c.expect)
  })
})

describe('native_dropout in training', () => {
  it('keeps about 1 − p of the elements, scaled by 1/(1 − p), and the gradient is grad · mask / (1 − p)', () => {
    // Arrange
    torch.manual_seed(0)
    const x = torch.ones(4000, { dtype: torch.float64, requires_grad: true })
    // Act
    const [y, mask] = torch.native_dropout(x, 0.25, true)
    y.sum().backward()
    // Assert
    const m = mask.tolist() as boolean[]
    const v = y.tolist() as number[]
    const g = x.grad!.tolist() as number[]
    expect(mask.dtype).toBe(torch.bool)
    expect(y.grad_fn?.name()).toBe('NativeDropoutBackward0')
    const kept = m.filter(Boolean).length / m.length
    expect(Math.abs(kept - 0.75)).toBeLessThan(0.03)
    m.forEach((k, i) => {
      expect(v[i]).toBeCloseTo(k ? 4 / 3 : 0, 12)
      expect(g[i]).toBeCloseTo(k ? 4 / 3 : 0, 12)
    })
  })
})

describe('native_norm', () => {
  it('raises as PyTorch does on dense tensors (sparse only)', () => {
    expect(() => torch.native_norm(torch.ones(3))).toThrow(torch.NotImplementedError)
    expect(() => torch.native_norm(torch.ones(3))).toThrow(
      "Could not run 'aten::native_norm' with arguments from the 'CPU' backend",
    )
  })
})

describe('native_group_norm statistics', () => {
  it('gradients through mean and rstd match float64 central differences', () => {
    // Arrange
    const x0 = torch.arange(12, { dtype: torch.float64 }).mul(0.7).sin()
    const f = (x: torch.Tensor): torch.Tensor => {
      const [, m, r] = torch.native_group_norm(x.reshape(2, 2, 3), null, null, 2, 2, 3, 2, 1e-5)
      return m
        .mul(
          torch.tensor(
            [
              [1, 2],
              [3, 4],
            ],
            { dtype: torch.float64 },
          ),
        )
        .sum()
        .add(r.sum())
    }
    const x = x0.clone().requires_grad_()
    // Act
    f(x).backward()
    // Assert
    const h = 1e-6
    const g = x.grad!.tolist() as number[]
    for (let i = 0; i < 12; i++) {
      const e = torch.zeros(12, { dtype: torch.float64 })
      e.index_fill_(0, torch.tensor([i], { dtype: torch.int64 }), h)
      const fd = (f(x0.add(e)).item() - f(x0.sub(e)).item()) / (2 * h)
      expect(g[i]).toBeCloseTo(fd, 5)
    }
  })
})
