/**
 * Comparing special functions exported to ONNX with wengert eager (test/onnx/special.test.ts,
 * test/onnx/incompleteGamma.test.ts): ORT's output against wengert's over grids of inputs, in
 * float64 and float32, with NaN, ±inf and 0 required exactly.
 */
import { expect } from 'vitest'
import { array, type NdArray } from 'wengert'
import { exportOnnx } from 'wengert/onnx'
import { flat, runOrt } from './ort'

/**
 * Equal where wengert gives NaN, ±inf or 0; elsewhere within `tol` relative. The sign of a zero
 * is not compared: ONNX Runtime's `Where` returns +0 for a selected −0 (any exported `select`
 * does), so −0 results come out as +0 (docs/onnx.md lists it).
 */
export const show = (v: number): string => (Object.is(v, -0) ? '-0' : String(v))

export const expectMatch = (
  got: ReadonlyArray<number> | undefined,
  want: NdArray,
  inputs: ReadonlyArray<ReadonlyArray<number>>,
  tol: number,
  label: string,
  abs = 0,
): void => {
  const w = flat(want)
  expect(got?.length).toBe(w.length)
  const bad: string[] = []
  let worst = 0
  w.forEach((v, i) => {
    const g = (got as ReadonlyArray<number>)[i] as number
    if (Number.isFinite(v) && v !== 0) worst = Math.max(worst, Math.abs(g - v) / Math.abs(v))
    const ok = Number.isNaN(v)
      ? Number.isNaN(g)
      : !Number.isFinite(v) || v === 0
        ? g === v
        : Math.abs(g - v) <= tol * Math.abs(v) + abs
    if (!ok)
      bad.push(`#${i} (${inputs.map((x) => show(x[i] as number)).join(', ')}): onnx ${show(g)}, wengert ${show(v)}`)
  })
  if (process.env.ONNX_SPECIAL_ERRORS !== undefined)
    console.info(`${label}: largest relative error ${worst.toExponential(2)}`)
  expect(bad, label).toEqual([])
}

export type Fn = (...xs: NdArray[]) => NdArray

/** Exports `f` at the inputs and compares ORT's output with wengert's, in float64 and float32. */
export const check = async (
  f: Fn,
  inputs: ReadonlyArray<ReadonlyArray<number>>,
  tol64: number,
  tol32: number,
  abs = 0,
): Promise<void> => {
  for (const [dtype, tol] of [
    ['float64', tol64],
    ['float32', tol32],
  ] as const) {
    const xs = inputs.map((v) => array(v.slice(), { dtype }))
    const bytes = exportOnnx(f, xs)
    const feeds = Object.fromEntries(xs.map((x, i) => [`arg${i}`, x]))
    const out = await runOrt(bytes, feeds)
    expectMatch(out.output, f(...xs), inputs, tol, `${f.toString().slice(0, 60)} ${dtype}`, abs)
  }
}

/** Every pair of `a` × `b`, as two flat lists. */
export const pairs = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): [number[], number[]] => [
  a.flatMap((x) => b.map(() => x)),
  a.flatMap(() => b.slice()),
]

export const EDGES = [NaN, Infinity, -Infinity, 0, -0]

/** n points spread evenly over [lo, hi] (irrational steps, so no point falls on a branch by luck). */
export const dense = (lo: number, hi: number, n = 97): number[] =>
  Array.from({ length: n }, (_, i) => lo + ((hi - lo) * ((i * Math.SQRT2) % n)) / n)

/** The float64 tolerance every function meets: 4.5 ulps (measured at most 6.2e-16, erfc and erfinv near 0.7, where ONNX Exp differs from Math.exp by an ulp). */
export const TOL64 = 1e-15
/** float32 results are the float64 value rounded: one float32 ulp at most. */
export const TOL32 = 1.2e-7
