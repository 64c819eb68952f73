/**
 * linalg.solve / solve_ex read B as PyTorch does: a vector when 1-D or of A's shape less its last
 * axis (a batch of vectors), else a matrix; left=False takes no vector; shape mismatches raise
 * PyTorch's checkInputsSolver error before the solve. Expected answers: real PyTorch 1.13
 * (fixtures/solve_rhs.py writes fixtures/solve_rhs.json).
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import fixture from './fixtures/solve_rhs.json'

type Nested = number | Nested[]

const close = (got: Nested, want: Nested): void => {
  if (Array.isArray(want)) {
    expect(Array.isArray(got) && got.length === want.length).toBe(true)
    want.forEach((w, k) => close((got as Nested[])[k] as Nested, w))
  } else expect(got as number).toBeCloseTo(want, 12)
}

describe('linalg.solve right-hand sides (PyTorch 1.13 reference)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const a = torch.tensor(c.A as Nested[], { dtype: torch.float64, requires_grad: true })
    const b = torch.tensor(c.B as Nested[], { dtype: torch.float64, requires_grad: true })
    const run = (): torch.Tensor => {
      const x = c.ex ? torch.linalg.solve_ex(a, b, { left: c.left })[0] : torch.linalg.solve(a, b, { left: c.left })
      x.mul(x).sum().backward()
      return x
    }
    const e = c.expect as { error?: string; message?: string; shape?: number[]; x?: Nested; gA?: Nested; gB?: Nested }
    if (e.error !== undefined) {
      expect(run).toThrow(e.message)
      return
    }
    const x = run()
    expect(x.shape).toEqual(e.shape)
    close(x.tolist() as Nested, e.x as Nested)
    close(a.grad?.tolist() as Nested, e.gA as Nested)
    close(b.grad?.tolist() as Nested, e.gB as Nested)
  })
})
