/**
 * The runner of the facade's PyTorch-fixture programs (graphEdges, noGradViews): runs a
 * program's statements (test-only: they are this repository's fixtures) and describes each
 * returned tensor as the fixture scripts describe PyTorch's — requires_grad, is_leaf, grad_fn
 * name, next_functions names, version and values — or the error it raised; and compares returned
 * tensors with recorded values (kinkGradients, gradMasking, signedZeroKernels).
 */
import { expect } from 'vitest'
import * as torch from 'wengert/torch'
import { typeName } from './nodeNames'

/** Runs one program's statements (test-only: they are this repository's fixtures); returns its `out`. */
export const runProgram = (src: string): ReadonlyArray<torch.Tensor | null> =>
  new Function('torch', src)(torch) as ReadonlyArray<torch.Tensor | null>

/** A tensor as the value fixture scripts record it (special values as strings), or null for None. */
export type Recorded = { readonly shape: ReadonlyArray<number>; readonly values: ReadonlyArray<number | string> } | null

/** The fixtures' encoding of a number: "-0", "nan", "inf", "-inf" as strings, others as they are. */
const encodeSpecial = (v: number): number | string =>
  Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : Object.is(v, -0) ? '-0' : v

/**
 * Expects `out` to be the recorded tensors `want`: shapes equal, NaN/±inf and zeros (with their
 * sign) exactly, other numbers within `tol(w)` of the recorded w.
 */
export const expectRecorded = (
  out: ReadonlyArray<torch.Tensor | null>,
  want: ReadonlyArray<Recorded>,
  tol: (w: number) => number,
): void => {
  expect(out.length).toBe(want.length)
  out.forEach((t, k) => {
    const w = want[k] ?? null
    if (t === null || w === null) return expect(t === null && w === null).toBe(true)
    expect(t.shape.slice()).toEqual(w.shape)
    const got = (t.reshape(-1).tolist() as number[]).map(encodeSpecial)
    const same =
      got.length === w.values.length &&
      got.every((g, i) => {
        const v = w.values[i]
        if (typeof g !== 'number' || typeof v !== 'number' || g === 0 || v === 0) return g === v
        return Math.abs(g - v) <= tol(v)
      })
    expect(same, `output ${k}: ${JSON.stringify(got)} vs ${JSON.stringify(w.values)}`).toBe(true)
  })
}

const info = (t: torch.Tensor | null): unknown => {
  if (t === null) return null
  const fn = t.grad_fn
  return {
    requires_grad: t.requires_grad,
    is_leaf: t.is_leaf,
    grad_fn: typeName(fn),
    edges: fn === null ? null : fn.next_functions.map(([n]) => typeName(n)),
    version: t._version,
    values: t.detach().tolist(),
  }
}

/** What the program at `src` gives: each result described, or `{ error, message }`. */
export const outcome = (src: string): unknown => {
  try {
    return runProgram(src).map(info)
  } catch (e) {
    return { error: (e as Error).name, message: (e as Error).message }
  }
}

/** Where two described results differ: numbers within 1e-5 (relative, floor 1e-5: float32 kernels round differently), zeros with their sign, NaN equal to NaN; null if nowhere. */
export const mismatch = (got: unknown, want: unknown, path = ''): string | null => {
  const w = want === 'nan' ? NaN : want === 'inf' ? Infinity : want === '-inf' ? -Infinity : want
  if (typeof got === 'number' && typeof w === 'number') {
    if (Number.isNaN(got) || Number.isNaN(w)) return Number.isNaN(got) === Number.isNaN(w) ? null : path
    if (got === 0 && w === 0) return Object.is(got, w) ? null : `${path}: ${Object.is(got, -0) ? '-0' : '+0'}`
    if (!Number.isFinite(got) || !Number.isFinite(w)) return got === w ? null : path
    return Math.abs(got - w) <= 1e-5 * (1 + Math.abs(w)) ? null : `${path}: ${got} vs ${w}`
  }
  if (Array.isArray(got) && Array.isArray(w)) {
    if (got.length !== w.length) return `${path}: length`
    for (let i = 0; i < got.length; i++) {
      const m = mismatch(got[i], w[i], `${path}[${i}]`)
      if (m !== null) return m
    }
    return null
  }
  if (typeof got === 'object' && got !== null && typeof w === 'object' && w !== null && !Array.isArray(w)) {
    const keys = new Set([...Object.keys(got), ...Object.keys(w)])
    for (const k of keys) {
      const m = mismatch((got as Record<string, unknown>)[k], (w as Record<string, unknown>)[k], `${path}.${k}`)
      if (m !== null) return m
    }
    return null
  }
  return JSON.stringify(got) === JSON.stringify(w) ? null : `${path}: ${JSON.stringify(got)} vs ${JSON.stringify(w)}`
}
