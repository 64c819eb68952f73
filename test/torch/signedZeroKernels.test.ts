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
import fixture from './fixtures/signed_zero_kernels.json'

type Recorded = { shape: number[]; values: Array<number | string> } | null

/** Runs one program (test-only: the statements are this repository's fixture). */
const runProgram = (src: string): ReadonlyArray<torch.Tensor | null> =>
  new Function('torch', src)(torch) as ReadonlyArray<torch.Tensor | null>

/** "-0" and "nan" as strings (the fixture's encoding), other numbers as they are. */
const encode = (v: number): number | string => (Number.isNaN(v) ? 'nan' : Object.is(v, -0) ? '-0' : v)

/** Zeros must match in sign exactly; other numbers within float64 rounding. */
const same = (got: ReadonlyArray<number | string>, want: ReadonlyArray<number | string>): boolean =>
  got.length === want.length &&
  got.every((g, k) => {
    const w = want[k] as number | string
    if (typeof g === 'string' || typeof w === 'string' || g === 0 || w === 0) return g === w
    return Math.abs(g - w) <= 1e-12 * Math.max(1, Math.abs(w))
  })

describe('signed zeros of kernels and formulas (PyTorch 1.13 reference, 2.x where they differ)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    torch.set_default_dtype(torch.float64)
    try {
      const out = runProgram(c.ts)
      const want = c.expect as Recorded[]
      expect(out.length).toBe(want.length)
      out.forEach((t, k) => {
        const w = want[k] as Recorded
        if (t === null || w === null) return expect(t === null && w === null).toBe(true)
        const got = (t.reshape(-1).tolist() as number[]).map(encode)
        expect(t.shape.slice()).toEqual(w.shape)
        expect(same(got, w.values), `output ${k}: ${JSON.stringify(got)} vs ${JSON.stringify(w.values)}`).toBe(true)
      })
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
