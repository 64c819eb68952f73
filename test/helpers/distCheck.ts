/**
 * Comparing torch.distributions results with PyTorch fixtures: the fixtures' JSON encoding of
 * non-finite floats, float64 tensors from fixture values, and `check` (values, and the gradients
 * of Σ out·W with W = sin(0.37k) + 0.5, against what the fixture script measured).
 */
import { expect } from 'vitest'
import * as torch from 'wengert/torch'
import { sinWeights } from './sinWeights'

type T = torch.Tensor
/** A fixture value: numbers, 'nan'/'inf'/'-inf', nested lists. */
export type Enc = number | string | null | boolean | Enc[]
/** What the fixture scripts' `measured` records. */
export interface Measured {
  readonly values: Enc
  readonly grads?: Record<string, Enc | null>
}

export const dec = (v: Enc): unknown =>
  Array.isArray(v) ? v.map(dec) : v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v

export const t64 = (v: unknown, requires_grad = false): T =>
  torch.tensor(v as number[], { dtype: torch.float64, requires_grad })

/** Leaves of float64 tensors (requires_grad) from a fixture's `params`. */
export const leaves = (params: Record<string, Enc>): Record<string, T> =>
  Object.fromEntries(Object.entries(params).map(([k, v]) => [k, t64(dec(v), true)]))

/** Elementwise |got − want| ≤ tol·(1 + |want|) (non-finite values equal). */
export const close = (got: unknown, want: unknown, tol: number, what: string): void => {
  if (Array.isArray(want)) {
    expect((got as unknown[]).length, what).toBe(want.length)
    want.forEach((w, i) => close((got as unknown[])[i], w, tol, `${what}[${i}]`))
    return
  }
  if (typeof want === 'boolean') return void expect(got, what).toBe(want)
  const [g, w] = [Number(got), want as number]
  if (Number.isNaN(w) || !Number.isFinite(w)) expect(g, what).toBe(w)
  else expect(Math.abs(g - w), `${what}: ${g} vs ${w}`).toBeLessThanOrEqual(tol * (1 + Math.abs(w)))
}

/** Checks f()'s values and the gradients of Σ f()·W against the fixture. */
export const check = (what: string, ps: Record<string, T>, f: () => T, want: Measured, tol = 1e-10): void => {
  const out = f()
  close(out.tolist(), dec(want.values), tol, `${what} values`)
  if (want.grads === undefined) return
  const w = out.dim() === 0 ? torch.tensor(0.5, { dtype: torch.float64 }) : sinWeights([...out.shape])
  const names = Object.keys(ps)
  const gs = torch.autograd.grad(
    out.mul(w).sum(),
    names.map((n) => ps[n]!),
    { allow_unused: true, retain_graph: true },
  )
  names.forEach((n, i) => {
    const wantG = want.grads![n]
    if (wantG === null || wantG === undefined) return
    expect(gs[i], `${what} d/d${n}`).toBeTruthy()
    close(gs[i]!.tolist(), dec(wantG), tol * 10, `${what} d/d${n}`)
  })
}

/** Calls f and checks it raises `[type, first line]` as the fixture's `err` recorded. */
export const checkError = (name: string, f: () => unknown, want: [string, string]): void => {
  let caught: unknown
  try {
    f()
  } catch (e) {
    caught = e
  }
  expect(caught, name).toBeInstanceOf(Error)
  const e = caught as Error
  const [type, first] = want
  expect(
    e.name === type || e.constructor.name.includes(type) || String(e).startsWith(type),
    `${name}: ${String(e)}`,
  ).toBe(true)
  expect(e.message.split('\n')[0]).toBe(first)
}
