/**
 * The version counter of max_pool1d's output, as PyTorch's: without autograd (input not requiring
 * grad, or grad mode off) an unbatched [C, L] result is squeezed in place, so it is at version 1;
 * with autograd, for a batched input, and with return_indices it is 0. Expected values:
 * fixtures/max_pool1d_versions.py on PyTorch 1.13 (the same code path in 2.x).
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import fixture from './fixtures/max_pool1d_versions.json'

const F = torch.nn.functional

const pool = (x: torch.Tensor, how: string): torch.Tensor => {
  if (how === 'module')
    return new torch.nn.MaxPool1d(2, { stride: 1, padding: 1, ceil_mode: true }).call(x) as torch.Tensor
  if (how === 'indices') return F.max_pool1d(x, 2, { stride: 1, padding: 1, return_indices: true })[0]
  return F.max_pool1d(x, 2, 1, 1)
}

describe('max_pool1d output version', () => {
  it.each(fixture.cases.map((c) => [`${c.rank} rg=${c.requires_grad} no_grad=${c.no_grad} ${c.how}`, c] as const))(
    '%s',
    (_, c) => {
      const x = torch.tensor(c.rank === '2d' ? fixture.input : [fixture.input], {
        dtype: torch.float64,
        requires_grad: c.requires_grad,
      })
      const y = c.no_grad ? torch.no_grad(() => pool(x, c.how)) : pool(x, c.how)
      expect(y._version).toBe(c.version)
      expect(y.tolist()).toEqual(c.values)
    },
  )
})
