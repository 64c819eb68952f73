/**
 * Generator.get_state/set_state and torch.get_rng_state/set_rng_state: a saved state resumes the
 * stream exactly (the same draws follow), and bad states raise PyTorch's errors.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

describe('generator state', () => {
  it('a generator resumes from its saved state', () => {
    const g = torch.Generator().manual_seed(11)
    torch.rand(3, { generator: g })
    const s = g.get_state()
    expect([String(s.dtype), s.shape]).toEqual(['torch.uint8', [5056]])
    const a = torch.rand(5, { generator: g }).tolist()
    const h = torch.Generator().set_state(s)
    expect(torch.rand(5, { generator: h }).tolist()).toEqual(a)
    expect(h.initial_seed()).toBe(11)
  })
  it('the global generator: get_rng_state/set_rng_state', () => {
    torch.manual_seed(5)
    const s = torch.get_rng_state()
    const a = torch.randn(4).tolist()
    torch.randn(4)
    torch.set_rng_state(s)
    expect(torch.randn(4).tolist()).toEqual(a)
  })
  it('bad states raise PyTorch errors', () => {
    const g = torch.Generator()
    expect(() => g.set_state(torch.zeros(3))).toThrow('RNG state must be a torch.ByteTensor')
    expect(() => g.set_state(torch.zeros(3, { dtype: torch.uint8 }))).toThrow(/found the input RNG state size to be 3/)
  })
})
