/**
 * Assertions shared by the ndarray and ops suites: compare an NdArray with hand-written nested
 * values (exactly, or within a tolerance), checking shape and dtype too.
 */
import { expect } from 'vitest'
import type { DType, NdArray, NestedArray } from '../../src/index'

const flat = (x: NestedArray): Array<number | boolean> =>
  Array.isArray(x) ? (x as NestedArray[]).flatMap(flat) : [x as number | boolean]

const shapeOf = (x: NestedArray): number[] =>
  Array.isArray(x) ? [x.length, ...(x.length > 0 ? shapeOf(x[0] as NestedArray) : [])] : []

/** Asserts that `actual` has the shape of `expected` (and `dtype` if given) and the same values (NaN equals NaN). */
export const expectArray = (actual: NdArray, expected: NestedArray, dtype?: DType): void => {
  if (dtype !== undefined) expect(actual.dtype).toBe(dtype)
  expect(actual.shape).toEqual(shapeOf(expected))
  expect(flat(actual.toArray())).toEqual(flat(expected))
}

/**
 * Asserts shape (and dtype) and values within `rtol·|expected| + atol` (defaults suit float32).
 * NaN must match NaN and infinities must match exactly.
 */
export const expectClose = (
  actual: NdArray,
  expected: NestedArray,
  opts: { dtype?: DType; rtol?: number; atol?: number } = {},
): void => {
  if (opts.dtype !== undefined) expect(actual.dtype).toBe(opts.dtype)
  expect(actual.shape).toEqual(shapeOf(expected))
  const a = flat(actual.toArray()) as number[]
  const e = flat(expected) as number[]
  const rtol = opts.rtol ?? 1e-6
  const atol = opts.atol ?? 1e-6
  a.forEach((v, i) => {
    const w = e[i] as number
    if (Number.isNaN(w) || !Number.isFinite(w)) {
      expect(v, `element ${i}`).toBe(w)
      return
    }
    const err = Math.abs(v - w)
    if (!(err <= atol + rtol * Math.abs(w))) expect.fail(`element ${i}: got ${v}, expected ${w} (|error| ${err})`)
  })
}
