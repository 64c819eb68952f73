/**
 * Gradients whose PyTorch backward selects or writes rather than multiplies (issue 10, difftest
 * classes "grad values @ grad" and "grad signed zero @ grad"): solve_triangular's A gradient is
 * (−gB·Xᴴ).triu() (+0 outside the triangle), multilabel_soft_margin_loss's log σ has derivative ½
 * at 0, cross_entropy's label-smoothing term masks ignore_index with a select, nll_loss writes
 * −w·grad at the target, multi_margin_loss scales its unit gradient by the incoming one (zeros
 * keep their signs), a strided transposed convolution's weight gradient meets no holes (no 0·inf).
 * Expected values are PyTorch 1.13 runs of the same programs, the special values exactly
 * (fixtures/grad_masking.py writes fixtures/grad_masking.json).
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import fixture from './fixtures/grad_masking.json'

type Recorded = { shape: number[]; values: Array<number | string> } | null

/** Runs one program (test-only: the statements are this repository's fixture). */
const runProgram = (src: string): ReadonlyArray<torch.Tensor | null> =>
  new Function('torch', src)(torch) as ReadonlyArray<torch.Tensor | null>

/** The fixture's encoding: "-0", "nan", "inf", "-inf" as strings. */
const encode = (v: number | boolean): number | string | boolean =>
  typeof v === 'boolean'
    ? v
    : Number.isNaN(v)
      ? 'nan'
      : v === Infinity
        ? 'inf'
        : v === -Infinity
          ? '-inf'
          : Object.is(v, -0)
            ? '-0'
            : v

/** NaN, ±inf and zeros (with their sign) exactly; other numbers within float32 rounding (sums in another order). */
const same = (got: ReadonlyArray<unknown>, want: ReadonlyArray<unknown>): boolean =>
  got.length === want.length &&
  got.every((g, k) => {
    const w = want[k]
    if (typeof g !== 'number' || typeof w !== 'number' || g === 0 || w === 0) return g === w
    return Math.abs(g - w) <= 3e-7 * Math.abs(w)
  })

describe('gradients that PyTorch selects or writes (PyTorch 1.13 reference, the same formulas in 2.x)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const out = runProgram(c.ts)
    const want = c.expect as Recorded[]
    expect(out.length).toBe(want.length)
    out.forEach((t, k) => {
      const w = want[k] as Recorded
      if (t === null || w === null) return expect(t === null && w === null).toBe(true)
      expect(t.shape.slice()).toEqual(w.shape)
      const got = (t.reshape(-1).tolist() as number[]).map(encode)
      expect(same(got, w.values), `output ${k}: ${JSON.stringify(got)} vs ${JSON.stringify(w.values)}`).toBe(true)
    })
  })
})
