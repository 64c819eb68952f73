import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import fixture from './fixtures/linspace.json'
import { errOf } from '../helpers/fixtureErrors'

// torch.linspace against PyTorch's CPU kernel (twin: test/torch/fixtures/linspace.py): values
// bit for bit per dtype (fused multiply-adds from the start for the first half, from the end for
// the second), integer dtypes truncated, and PyTorch's errors.
const DTYPES: Record<string, torch.dtype> = {
  float32: torch.float32,
  float64: torch.float64,
  int64: torch.int64,
  int32: torch.int32,
  int16: torch.int16,
}

describe('torch.linspace', () => {
  it('rounds each value as PyTorch does', () => {
    for (const c of fixture.cases) {
      const t = torch.linspace(c.start, c.end, c.steps, { dtype: DTYPES[c.dtype]! })
      expect([c.dtype, c.start, c.end, c.steps, t.tolist()]).toEqual([c.dtype, c.start, c.end, c.steps, c.values])
      expect(t.dtype).toBe(DTYPES[c.dtype])
    }
  })

  it('raises PyTorch errors', () => {
    const err = errOf
    expect(err(() => torch.linspace(0, 1, -1))).toEqual(fixture.errors.negative)
    expect(err(() => torch.linspace(-2.7, 1, 3, { dtype: torch.uint8 }))).toEqual(fixture.errors.uint8)
    expect(err(() => torch.linspace(0, 1e12, 3, { dtype: torch.int8 }))).toEqual(fixture.errors.int8)
    expect(err(() => torch.linspace(0, 1e12, 3, { dtype: torch.int32 }))).toEqual(fixture.errors.int32)
    expect(err(() => torch.linspace(0, 1, 3, { dtype: torch.bool }))).toEqual(fixture.errors.bool)
  })
})
