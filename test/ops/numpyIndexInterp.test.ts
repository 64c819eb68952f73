/**
 * interp, digitize, select and the index helpers (src/ops/numpyExtra/interp.ts, indices.ts):
 * values against NumPy (fixtures/numpyIndexInterp.py → numpyIndexInterp.json), interp's
 * gradients against float64 finite differences, vmap/jit agreement, and argument errors.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as w from 'wengert'
import { array, checkGrads, jit, vmap, type NdArray } from 'wengert'
import { expectClose, f64 } from './../transforms/helpers'

const ref = JSON.parse(readFileSync(new URL('./fixtures/numpyIndexInterp.json', import.meta.url), 'utf8')) as Record<
  string,
  number[] | number[][]
>
const [xp, fp, xs, c] = ['xp', 'fp', 'xs', 'c'].map((k) => f64(ref[k] as number[])) as [
  NdArray,
  NdArray,
  NdArray,
  NdArray,
]
const ints = (as: ReadonlyArray<NdArray>): unknown[] => as.map((a) => a.toArray())

describe('interp against NumPy', () => {
  it('values: default ends, left/right values, period', () => {
    expectClose(w.interp(xs, xp, fp), ref.interp as number[], { rtol: 1e-14, atol: 1e-14 })
    expectClose(w.interp(xs, xp, fp, { left: -9, right: 9 }), ref.interp_lr as number[], { rtol: 1e-14, atol: 1e-14 })
    expectClose(w.interp(xs, xp, fp, { period: 3 }), ref.interp_period as number[], { rtol: 1e-13, atol: 1e-13 })
  })
  it("'extrapolate' extends the end segments (JAX's option)", () => {
    const out = w.interp(f64([-2, 5]), xp, fp, { left: 'extrapolate', right: 'extrapolate' }).toArray() as number[]
    expect(out[0]).toBeCloseTo(2 + -3 * -1, 12)
    expect(out[1]).toBeCloseTo(1.5 + ((1.5 - 4) / 1.5) * 1.5, 12)
  })
  it('gradients in x, xp and fp match finite differences (away from the knots)', () => {
    const x = f64([-0.6, 0.2, 1.1, 2.9])
    checkGrads((a: NdArray, b: NdArray, d: NdArray) => w.interp(a, b, d).sum(), [x, xp, fp], { order: 1 })
  })
  it('vmap over fp and jit agree with the eager values', () => {
    const fps = f64([ref.fp as number[], (ref.fp as number[]).map((v) => 2 * v)])
    const batched = vmap((f: NdArray) => w.interp(xs, xp, f))(fps).toArray() as number[][]
    expectClose(
      f64(batched[1]!),
      (ref.interp as number[]).map((v) => 2 * v),
      { rtol: 1e-14, atol: 1e-14 },
    )
    expectClose(jit((a: NdArray) => w.interp(a, xp, fp))(xs), ref.interp as number[], { rtol: 1e-14, atol: 1e-14 })
  })
  it('errors', () => {
    expect(() => w.interp(xs, f64([[1, 2]]), fp)).toThrow(/one-dimensional/)
    expect(() => w.interp(xs, xp, f64([1, 2]))).toThrow(/same length/)
    expect(() => w.interp(xs, xp, fp, { period: 0 })).toThrow(/non-zero/)
    expect(() => w.interp(xs, xp, fp, { peroid: 1 } as never)).toThrow(/period/)
  })
})

describe('digitize and select against NumPy', () => {
  it('digitize over increasing and decreasing bins, both sides', () => {
    const up = f64([-1, 0, 0.5, 2, 3.5])
    const down = f64([3.5, 2, 0.5, 0, -1])
    expect(w.digitize(xs, up).toArray()).toEqual(ref.digitize_up)
    expect(w.digitize(xs, up, { right: true }).toArray()).toEqual(ref.digitize_up_right)
    expect(w.digitize(xs, down).toArray()).toEqual(ref.digitize_down)
    expect(w.digitize(xs, down, { right: true }).toArray()).toEqual(ref.digitize_down_right)
    expect(() => w.digitize(xs, f64([[1]]))).toThrow(/1-dimensional/)
  })
  it('select takes the first true condition, else the default; differentiable in the choices', () => {
    const f = (v: NdArray): NdArray => w.select([w.less(v, 0), w.greater(v, 0.5)], [w.mul(v, 2), w.mul(v, v)], -7)
    expectClose(f(c), ref.select as number[], { rtol: 1e-15, atol: 0 })
    expect(
      w
        .grad((v: NdArray) => f(v).sum())(c)
        .toArray(),
    ).toEqual([2, 2, 0, 2, 8])
    expect(() => w.select([w.less(c, 0)], [], 0)).toThrow(/length/)
    expect(() => w.select([c], [c], 0)).toThrow(/boolean/)
  })
})

describe('index helpers against NumPy', () => {
  it('tril/triu indices and their _from forms', () => {
    expect(ints(w.trilIndices(4, 1, 3))).toEqual(ref.tril)
    expect(ints(w.triuIndices(4, -1, 5))).toEqual(ref.triu)
    expect(ints(w.trilIndicesFrom(w.zeros([3, 5]), -1))).toEqual(ref.tril_from)
    expect(ints(w.triuIndicesFrom(w.zeros([5, 2])))).toEqual(ref.triu_from)
    expect(w.trilIndices(3)[0].dtype).toBe('int32')
    expect(() => w.trilIndicesFrom(w.zeros([3]))).toThrow(/2-d/)
  })
  it('diag indices', () => {
    expect(ints(w.diagIndices(3, 4))).toEqual(ref.diag)
    expect(ints(w.diagIndicesFrom(w.zeros([2, 2, 2])))).toEqual([
      [0, 1],
      [0, 1],
      [0, 1],
    ])
    expect(() => w.diagIndicesFrom(w.zeros([2, 3]))).toThrow(/equal length/)
  })
  it('unravel_index / ravel_multi_index (modes and orders), and their round trip under vmap', () => {
    const flat = array([0, 7, 22, 23, 13], { dtype: 'int32' })
    expect(ints(w.unravelIndex(flat, [2, 3, 4]))).toEqual(ref.unravel)
    const mi = [array([0, 1, 1]), array([2, 0, 2]), array([3, 1, 0])].map((a) => w.astype(a, 'int32'))
    expect(w.ravelMultiIndex(mi, [2, 3, 4]).toArray()).toEqual(ref.ravel)
    expect(w.ravelMultiIndex(mi, [2, 3, 4], { order: 'F' }).toArray()).toEqual(ref.ravel_F)
    const oob = [array([0, 3, -1]), array([2, 0, 5]), array([3, 9, 0])].map((a) => w.astype(a, 'int32'))
    expect(w.ravelMultiIndex(oob, [2, 3, 4], { mode: 'wrap' }).toArray()).toEqual(ref.ravel_wrap)
    expect(w.ravelMultiIndex(oob, [2, 3, 4], { mode: 'clip' }).toArray()).toEqual(ref.ravel_clip)
    expect(() => w.ravelMultiIndex(oob, [2, 3, 4])).toThrow(/invalid entry/)
    const back = vmap((i: NdArray) => w.ravelMultiIndex(w.unravelIndex(i, [2, 3, 4]), [2, 3, 4], { mode: 'wrap' }))(
      flat,
    )
    expect(back.toArray()).toEqual([0, 7, 22, 23, 13])
    expect(() => w.unravelIndex(f64([1]), [2])).toThrow(/int indices/)
  })
})
