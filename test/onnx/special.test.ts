/**
 * The special functions exported to ONNX (src/core/primitives/onnx{Math,Special,Erf,Gamma}.ts)
 * and run in ONNX Runtime, against wengert eager over grids that include the edge values (NaN,
 * ±inf, ±0, poles, domain ends and every branch point of the kernels).
 *
 * Tolerances (relative, plus the same absolute near 0), stated per function: float64 results
 * follow the same series and recurrences as the kernels, but ONNX's Exp/Log/Atan and the
 * log1p/expm1 identities differ from V8's `Math` functions by an ulp or two, which the
 * functions' condition numbers amplify; float32 results are the float64 graph rounded once, so
 * they match to float32 rounding.
 */
import { describe, expect, it } from 'vitest'
import { array, atan2, scipy, type NdArray } from 'wengert'
import { exportOnnx } from 'wengert/onnx'
import { flat, runOrt } from '../helpers/ort'

/**
 * Equal where wengert gives NaN, ±inf or 0; elsewhere within `tol` relative. The sign of a zero
 * is not compared: ONNX Runtime's `Where` returns +0 for a selected −0 (any exported `select`
 * does), so −0 results come out as +0 (docs/onnx.md lists it).
 */
const show = (v: number): string => (Object.is(v, -0) ? '-0' : String(v))

const expectMatch = (
  got: ReadonlyArray<number> | undefined,
  want: NdArray,
  inputs: ReadonlyArray<ReadonlyArray<number>>,
  tol: number,
  label: string,
): void => {
  const w = flat(want)
  expect(got?.length).toBe(w.length)
  const bad: string[] = []
  w.forEach((v, i) => {
    const g = (got as ReadonlyArray<number>)[i] as number
    const ok = Number.isNaN(v)
      ? Number.isNaN(g)
      : !Number.isFinite(v) || v === 0
        ? g === v
        : Math.abs(g - v) <= tol * Math.abs(v)
    if (!ok)
      bad.push(`#${i} (${inputs.map((x) => show(x[i] as number)).join(', ')}): onnx ${show(g)}, wengert ${show(v)}`)
  })
  expect(bad, label).toEqual([])
}

type Fn = (...xs: NdArray[]) => NdArray

/** Exports `f` at the inputs and compares ORT's output with wengert's, in float64 and float32. */
const check = async (
  f: Fn,
  inputs: ReadonlyArray<ReadonlyArray<number>>,
  tol64: number,
  tol32: number,
): Promise<void> => {
  for (const [dtype, tol] of [
    ['float64', tol64],
    ['float32', tol32],
  ] as const) {
    const xs = inputs.map((v) => array(v.slice(), { dtype }))
    const bytes = exportOnnx(f, xs)
    const feeds = Object.fromEntries(xs.map((x, i) => [`arg${i}`, x]))
    const out = await runOrt(bytes, feeds)
    expectMatch(out.output, f(...xs), inputs, tol, dtype)
  }
}

/** Every pair of `a` × `b`, as two flat lists. */
const pairs = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): [number[], number[]] => [
  a.flatMap((x) => b.map(() => x)),
  a.flatMap(() => b.slice()),
]

const EDGES = [NaN, Infinity, -Infinity, 0, -0]

describe('elementary special functions exported to ONNX', () => {
  it('atan2 over signed zeros, infinities and every quadrant (1e-15; float32 1e-7)', async () => {
    const v = [...EDGES, 1, -1, 2.5, -3e-5, 1e300, -7e-300]
    await check((y, x) => atan2(y as NdArray, x as NdArray), pairs(v, v), 1e-15, 1.2e-7)
  })
  it('xlogy and xlog1py (0·log 0 = 0 unless NaN; 1e-15)', async () => {
    const x = [...EDGES, 1, -2.5, 1e-300]
    const y = [...EDGES, 1, 2, -1, -0.5, 1e-20, 3e5]
    await check((a, b) => scipy.special.xlogy(a as NdArray, b as NdArray), pairs(x, y), 1e-15, 1.2e-7)
    await check((a, b) => scipy.special.xlog1py(a as NdArray, b as NdArray), pairs(x, y), 4e-16, 1.2e-7)
  })
  it('entr and logit across their branches (logit 4e-16 relative: log1p near ½)', async () => {
    await check((x) => scipy.special.entr(x as NdArray), [[...EDGES, 1, 0.5, 1e-300, 1e300, -1, 2]], 2.3e-16, 6e-8)
    const p = [...EDGES, 1, 0.5, 0.25, 0.75, 0.2499, 0.7501, 1e-300, 0.4999999, 0.5000001, 1 - 1e-16, -0.1, 1.1]
    await check((x) => scipy.special.logit(x as NdArray), [p], 4e-16, 6e-8)
  })
  it('bessel_i0e and bessel_i1e: series to 20, Hankel above (2e-15)', async () => {
    const x = [...EDGES, 1e-300, 0.5, 1, 5, 19.99, 20, 20.01, 25, 60, 1e3, 1e8, -1, -20, -21, -1e5]
    await check((v) => scipy.special.i0e(v as NdArray), [x], 2e-15, 1.2e-7)
    await check((v) => scipy.special.i1e(v as NdArray), [x], 2e-15, 1.2e-7)
  })
})
