/**
 * Reductions' gradients with the signed zeros of PyTorch's backward kernels (issue 10, difftest
 * class D2) and their create_graph graphs (D7): softmax/log_softmax over several elements (the
 * last dimension's sum starts from the first element), var/std (`var_backward`, `std_backward`),
 * mv (`grad.ger(vec)`, `self.t().mv(grad)`), and the difftest programs they came from. Expected
 * answers: real PyTorch 1.13 runs of the same programs (fixtures/grad_zeros_reduce.py writes
 * fixtures/grad_zeros_reduce.json); zeros compare with their sign.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { full } from 'wengert'
import { mismatch, outcome } from '../helpers/fixturePrograms'
import fixture from './fixtures/grad_zeros_reduce.json'

describe("reductions' gradient zeros as PyTorch's kernels give them (PyTorch 1.13 reference)", () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    expect(mismatch(outcome(c.ts), c.expect)).toBeNull()
  })
})

describe('a −0 fill value', () => {
  it('is written (the fresh buffer holds +0)', () => {
    expect(Object.is((torch.full([2], -0.0, { dtype: torch.float64 }).tolist() as number[])[1], -0)).toBe(true)
    expect(Object.is((full([1], -0).toArray() as number[])[0], -0)).toBe(true)
  })
})
