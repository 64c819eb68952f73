/**
 * Tensor.new, resize_ / resize_as_ / resize / resize_as and apply_ / map_ / map2_: values, nodes,
 * versions and error texts against real PyTorch 1.13 runs of the same programs
 * (fixtures/tensor_legacy.py writes fixtures/tensor_legacy.json).
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { mismatch, outcome } from '../helpers/fixturePrograms'
import fixture from './fixtures/tensor_legacy.json'

describe('legacy tensor methods as PyTorch runs them', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const got = outcome(c.ts)
    if (mismatch(got, c.expect) !== null) expect(got).toEqual(c.expect)
  })
  it('resize_ within the storage keeps sharing it with views', () => {
    const x = torch.arange(6, { dtype: torch.float32 })
    const v = x.view(2, 3)
    x.resize_(2, 2)
    x.select(0, 0).fill_(5)
    expect(v.tolist()).toEqual([
      [5, 5, 2],
      [3, 4, 5],
    ])
  })
  it('resize warns that the out-of-place form is deprecated', () => {
    const [, ws] = torch.warnings.catch_warnings(() => torch.ones(2).resize(2, 1))
    expect(ws.map((w) => w.message)).toEqual(['non-inplace resize is deprecated'])
  })
})
