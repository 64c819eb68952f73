/**
 * sort/argsort/lexsort/top_k exported (stable whole-axis TopK passes) and run in ONNX Runtime:
 * equal to wengert's results element for element, with many ties, −0/+0, NaN and ±∞, where an
 * unstable order would show.
 */
import { describe, expect, it } from 'vitest'
import { argsort, array, lax, lexsort, sort, type NdArray } from 'wengert'
import { exportOnnx } from 'wengert/onnx'
import { flat, runOrt } from '../helpers/ort'

/** Values with many ties, signed zeros, NaN and infinities, 3 × 8. */
const tied = array([
  [2, 1, 2, NaN, 1, -0, 0, 2],
  [Infinity, NaN, -Infinity, 3, 3, NaN, Infinity, 3],
  [5, 5, 5, 5, 5, 5, 5, 5],
])

/** A primary key with ties, for lexsort (the values tied break its ties). */
const primary = array([
  [1, 0, 1, 0, 1, 1, 0, 0],
  [0, 0, 0, 0, 1, 1, 1, 1],
  [2, 1, 2, 1, 2, 1, 2, 1],
])

/** Equal including NaN and the sign of zero. */
const same = (got: ReadonlyArray<number> | undefined, want: NdArray): void =>
  expect((got ?? []).map((v) => (Object.is(v, -0) ? '-0' : String(v)))).toEqual(
    flat(want).map((v) => (Object.is(v, -0) ? '-0' : String(v))),
  )

describe('sorting exported to ONNX', () => {
  const cases: ReadonlyArray<readonly [string, (x: NdArray) => NdArray]> = [
    ['sort along the last axis', (x) => sort(x)],
    ['sort along axis 0', (x) => sort(x, { axis: 0 })],
    ['argsort (stable)', (x) => argsort(x)],
    ['argsort descending (stable)', (x) => argsort(x, { descending: true })],
    ['argsort along axis 0', (x) => argsort(x, { axis: 0 })],
    ['lexsort of two keys', (x) => lexsort([x, primary])],
    ['top_k values', (x) => lax.topK(x, 5)[0]],
    ['top_k indices', (x) => lax.topK(x, 5)[1]],
  ]
  it.each(cases)('%s equals wengert', async (_, f) => {
    const out = await runOrt(exportOnnx(f, [tied], { inputNames: ['x'], outputNames: ['y'] }), { x: tied })
    same(out.y, f(tied))
  })

  it('integer keys (int32, int16, uint8)', async () => {
    for (const dtype of ['int32', 'int16', 'uint8'] as const) {
      const x = array([3, 1, 3, 0, 1, 3, 2, 0], { dtype })
      const f = (y: NdArray): NdArray => argsort(y)
      same((await runOrt(exportOnnx(f, [x]), { arg0: x })).output, f(x))
    }
  })
})

describe('running products and extrema exported as a Loop', () => {
  const x = array([
    [1.5, -2, NaN, 0.5, 3, -1],
    [0.1, 7, -7, 2, 2, 0.25],
    [-0, 1e-3, 1e3, -4, Infinity, 2],
  ])
  const cases: ReadonlyArray<readonly [string, (y: NdArray) => NdArray]> = [
    ['cumprod', (y) => lax.cumprod(y, { axis: 1 })],
    ['cumprod reverse along axis 0', (y) => lax.cumprod(y, { axis: 0, reverse: true })],
    ['cummax (NaN propagates)', (y) => lax.cummax(y, { axis: 1 })],
    ['cummin reverse', (y) => lax.cummin(y, { axis: 1, reverse: true })],
  ]
  it.each(cases)('%s equals wengert', async (_, f) => {
    same((await runOrt(exportOnnx(f, [x]), { arg0: x })).output, f(x))
  })
})
