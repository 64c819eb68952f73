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
