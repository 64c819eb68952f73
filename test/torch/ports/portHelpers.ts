/**
 * Helpers of the ported-program tests: the parameter summary that
 * test/torch/fixtures/ports/ports_common.py records (per named parameter: sum, sum of |w| and the
 * first four values, in float64) and a relative comparison of number lists.
 */
import { expect } from 'vitest'
import * as torch from '../../../src/torch'

/** Per named parameter: [sum, Σ|w|, w[0..3]] as ports_common.summary computes it. */
export const summary = (model: torch.nn.Module): Record<string, number[]> => {
  const out: Record<string, number[]> = {}
  for (const [name, p] of model.named_parameters()) {
    const w = p.detach().double().reshape(-1)
    out[name] = [w.sum().item() as number, w.abs().sum().item() as number, ...(w.index(':4').tolist() as number[])]
  }
  return out
}

/** Expects |got − want| ≤ atol + rtol·|want| elementwise (nested arrays/records of numbers). */
export const expectClose = (got: unknown, want: unknown, rtol: number, atol: number, path = ''): void => {
  if (typeof want === 'number') {
    expect(typeof got, path).toBe('number')
    const g = got as number
    if (Math.abs(g - want) > atol + rtol * Math.abs(want)) {
      expect.fail(`${path}: got ${g}, want ${want} (rtol ${rtol}, atol ${atol})`)
    }
    return
  }
  if (Array.isArray(want)) {
    expect(Array.isArray(got), path).toBe(true)
    expect((got as unknown[]).length, path).toBe(want.length)
    want.forEach((w, i) => expectClose((got as unknown[])[i], w, rtol, atol, `${path}[${i}]`))
    return
  }
  if (want !== null && typeof want === 'object') {
    const g = got as Record<string, unknown>
    expect(Object.keys(g).sort(), path).toEqual(Object.keys(want).sort())
    for (const [k, w] of Object.entries(want)) expectClose(g[k], w, rtol, atol, `${path}.${k}`)
    return
  }
  expect(got, path).toEqual(want)
}

/**
 * A bound on |m̂_t|/(√v̂_t + ε) of Adam's t-th step whatever the gradients (Cauchy–Schwarz on the
 * two moving averages): (1−β1)/(1−β1^t) · √(Σ_{k<t} β1^2k/β2^k) · √((1−β2^t)/(1−β2)); 1 at t = 1,
 * 1.0014 at t = 2, 1.0037 at t = 3 for the default betas. A parameter whose exact gradient is zero
 * (a bias before a normalization that removes it) gets rounding noise whose signs Adam turns into
 * steps of up to lr·bound, independently in each library: two runs are at most twice the sum apart.
 */
export const adamStepBound = (t: number, beta1 = 0.9, beta2 = 0.999): number => {
  let s = 0
  for (let k = 0; k < t; k++) s += beta1 ** (2 * k) / beta2 ** k
  return ((1 - beta1) / (1 - beta1 ** t)) * Math.sqrt(s) * Math.sqrt((1 - beta2 ** t) / (1 - beta2))
}

/** 2 · Σ_t lr_t · adamStepBound(t): how far apart two runs' zero-gradient parameters can be. */
export const noisyParamBound = (lrs: ReadonlyArray<number>): number =>
  2 * lrs.reduce((acc, lr, i) => acc + lr * adamStepBound(i + 1), 0)

/**
 * Compares two parameter summaries (see `summary`) with separate absolute tolerances for the two
 * sums and for the first values: a parameter with a near-zero gradient moves by Adam steps of up
 * to lr on rounding noise in either library, which a sum over thousands of entries collects while
 * the first few values stay at float32 rounding.
 */
export const expectSummaryClose = (
  got: Record<string, number[]>,
  want: Record<string, number[]>,
  rtol: number,
  sumAtol: number,
  valueAtol: number,
): void => {
  expect(Object.keys(got)).toEqual(Object.keys(want))
  for (const [k, w] of Object.entries(want)) {
    expectClose(got[k]!.slice(0, 2), w.slice(0, 2), rtol, sumAtol, `${k} sums`)
    expectClose(got[k]!.slice(2), w.slice(2), rtol, valueAtol, `${k} values`)
  }
}
