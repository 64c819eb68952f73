/**
 * Signs of zero that come from the arithmetic order of PyTorch's kernels and derivative formulas
 * (issue 10, difftest class D2): the norms add a bias of +0 when none is given, scatter/index adds
 * leave untouched elements as they were, einsum takes diagonals as views and multiplies over a
 * size-1 summed subscript, lerp's gradients are its formulas, baddbmm with beta=0 is
 * `alpha · sum` (PyTorch 2.x; 1.13 differs, D28). Expected values are PyTorch 1.13 runs of the same
 * programs (fixtures/signed_zero_kernels.py writes fixtures/signed_zero_kernels.json; for baddbmm
 * the script computes 2.x's arithmetic, and the test checks that 1.13 indeed differs there).
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { expectRecorded, runProgram, type Recorded } from '../helpers/fixturePrograms'
import fixture from './fixtures/signed_zero_kernels.json'

describe('signed zeros of kernels and formulas (PyTorch 1.13 reference, 2.x where they differ)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    torch.set_default_dtype(torch.float64)
    try {
      expectRecorded(runProgram(c.ts), c.expect as Recorded[], (w) => 1e-12 * Math.max(1, Math.abs(w)))
    } finally {
      torch.set_default_dtype(torch.float32)
    }
  })

  it('baddbmm(beta=0) is the one case where PyTorch 1.13 gave +0 (D28)', () => {
    const c = fixture.cases.find((x) => x.name === 'baddbmm-beta-zero')
    expect(c?.torch113[0]?.values[0]).toBe(0)
    expect(c?.expect[0]?.values[0]).toBe('-0')
  })
})
