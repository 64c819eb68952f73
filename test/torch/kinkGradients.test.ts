/**
 * Gradients at kinks and NaN/inf points as PyTorch's backward formulas give them (issue 10 item 3,
 * difftest class "grad values @ grad"): adaptive max pooling scatters the gradient to each
 * window's argmax (0 elsewhere even for a NaN gradient, all of it to the first of tied maxima),
 * logit's backward is NaN outside [0, 1] and 0 outside [eps, 1 − eps], hardtanh/relu6 give 0 at
 * their bounds, hardsigmoid multiplies by the float32 1/6 in float64 too, hardswish divides by 3,
 * poisson_nll_loss(full) masks its Stirling term after computing it (NaN for a target ≤ 0 that
 * requires grad), multi_margin_loss gives a class at the hinge no gradient, margin_ranking_loss
 * (clamp_min) the whole gradient at 0.
 * Expected values are PyTorch 1.13 runs of the same programs, the special values exactly
 * (fixtures/kink_gradients.py writes fixtures/kink_gradients.json).
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import fixture from './fixtures/kink_gradients.json'

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

describe('gradients at kinks (PyTorch 1.13 reference, the same kernels in 2.x)', () => {
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
