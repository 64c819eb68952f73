/**
 * Test helpers for the transforms: float64 arrays, tolerant comparison, and float64 central
 * finite differences computed on plain JS numbers (never with the code under test).
 */
import { expect } from 'vitest'
import { array, type NdArray, type NestedArray } from 'wengert'

/** A float64 array. */
export const f64 = (data: number | ReadonlyArray<number> | ReadonlyArray<ReadonlyArray<number>>): NdArray =>
  array(data as NestedArray, { dtype: 'float64' })

const flat = (u: NestedArray | number): number[] =>
  Array.isArray(u) ? u.flatMap((v) => flat(v as NestedArray)) : [Number(u)]

/** Asserts `actual` has `shape` (when given) and is element-wise close to `expected`. */
export const expectClose = (
  actual: NdArray,
  expected: number | NestedArray,
  opts: { readonly rtol?: number; readonly atol?: number; readonly shape?: ReadonlyArray<number> } = {},
): void => {
  if (opts.shape !== undefined) expect(actual.shape).toEqual(opts.shape)
  const a = flat(actual.toArray())
  const e = flat(expected as NestedArray)
  expect(a.length).toBe(e.length)
  const rtol = opts.rtol ?? 1e-9
  const atol = opts.atol ?? 1e-9
  a.forEach((v, i) => {
    const w = e[i] as number
    if (Number.isNaN(w)) expect(v).toBeNaN()
    else if (!Number.isFinite(w)) expect(v).toBe(w)
    else if (Math.abs(v - w) > atol + rtol * Math.abs(w)) {
      throw new Error(`element ${i}: got ${v}, expected ${w} (all: ${JSON.stringify(a)} vs ${JSON.stringify(e)})`)
    }
  })
}

/** The gradient of a scalar function of a flat vector by float64 central differences. */
export const fdGrad = (f: (x: number[]) => number, x: ReadonlyArray<number>, h = 1e-6): number[] =>
  x.map((_, i) => {
    const xp = [...x]
    const xm = [...x]
    xp[i] = (xp[i] as number) + h
    xm[i] = (xm[i] as number) - h
    return (f(xp) - f(xm)) / (2 * h)
  })
