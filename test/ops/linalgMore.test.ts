/**
 * The linalg additions of issue 11 (norm, vectorNorm, matrixNorm, …): values against NumPy
 * (test/ops/fixtures/linalgMore.py → linalgMore.json), derivatives against float64 finite
 * differences (checkGrads, orders 1 and 2), JAX's conventions at non-differentiable points,
 * vmap/jit, and argument errors.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  array,
  checkGrads,
  flip,
  reshape,
  slice,
  tensordot,
  transpose,
  vander,
  grad,
  jit,
  linalg,
  type NdArray,
  type NestedArray,
  ShapeError,
  ValueError,
  vmap,
} from 'wengert'
import { expectClose, f64 } from '../transforms/helpers'

type Nested = number | ReadonlyArray<Nested>
const ref = JSON.parse(readFileSync(new URL('./fixtures/linalgMore.json', import.meta.url), 'utf8')) as Record<
  string,
  unknown
> & { inputs: Record<string, Nested> }
const input = (name: string): NdArray => f64(ref.inputs[name] as ReadonlyArray<ReadonlyArray<number>>)
const table = (name: string): Record<string, NestedArray> => ref[name] as Record<string, NestedArray>
const ordOf = (k: string): linalg.NormOrd =>
  k === 'None' ? null : k === 'fro' || k === 'nuc' ? k : k === 'inf' ? Infinity : k === '-inf' ? -Infinity : Number(k)

describe('linalg.norm against NumPy (float64)', () => {
  const [x3, m, v] = ['x3', 'm', 'v'].map(input) as [NdArray, NdArray, NdArray]

  it('all elements, with and without keepdims', () => {
    expectClose(linalg.norm(x3), ref.norm_all as number)
    expectClose(linalg.norm(x3, { keepdims: true }), ref.norm_all_keepdims as NestedArray)
    expect(linalg.norm(x3, { keepdims: true }).shape).toEqual([1, 1, 1])
  })

  it.each(Object.keys(table('vector')))('vector ord %s (1-D and along axis 1)', (k) => {
    expectClose(linalg.norm(v, { ord: ordOf(k) }), table('vector')[k] as NestedArray)
    expectClose(linalg.norm(x3, { ord: ordOf(k), axis: 1 }), table('vector_axis1')[k] as NestedArray)
  })

  it.each(Object.keys(table('matrix')))('matrix ord %s (2-D and over axes (2, 0))', (k) => {
    expectClose(linalg.norm(m, { ord: ordOf(k) }), table('matrix')[k] as NestedArray)
    expectClose(linalg.norm(x3, { ord: ordOf(k), axis: [2, 0] }), table('matrix_axes_2_0')[k] as NestedArray)
  })

  it('keepdims on a matrix norm over non-trailing axes; vectorNorm and matrixNorm', () => {
    expectClose(
      linalg.norm(x3, { ord: 'nuc', axis: [2, 0], keepdims: true }),
      ref.matrix_axes_2_0_keepdims as NestedArray,
    )
    expectClose(linalg.vectorNorm(x3), ref.norm_all as number)
    expectClose(linalg.vectorNorm(v, { ord: 3 }), table('vector')['3'] as NestedArray)
    expectClose(linalg.matrixNorm(m, { ord: -2 }), table('matrix')['-2'] as NestedArray)
  })
})

describe('linalg.norm derivatives (float64 finite differences, orders 1 and 2)', () => {
  const v = f64([0.7, -1.3, 0.4, 2.1])
  const m = f64([
    [1.5, -0.3, 0.8],
    [0.2, 2.1, -0.5],
  ])

  it.each([null, 2, 1, 3, 0.5, Infinity, -Infinity, -1] as const)('vector ord %s', (ord) => {
    checkGrads((x: NdArray) => linalg.norm(x, { ord }), [v])
  })

  it.each([null, 'nuc', 1, -1, 2, -2, Infinity, -Infinity] as const)('matrix ord %s', (ord) => {
    checkGrads((x: NdArray) => linalg.norm(x, { ord }), [m])
  })

  it('JAX conventions: the 2-norm gradient at zero is NaN; the ∞-norm splits ties evenly', () => {
    const g = grad((x: NdArray) => linalg.norm(x))(f64([0, 0]))
    expect(Array.from(g.toTypedArray()).every(Number.isNaN)).toBe(true)
    expectClose(grad((x: NdArray) => linalg.norm(x, { ord: Infinity }))(f64([2, -2, 1])), [0.5, -0.5, 0])
  })

  it('vmap and jit', () => {
    const batch = f64([
      [3, 4],
      [6, -8],
    ])
    expectClose(vmap((x: NdArray) => linalg.norm(x))(batch), [5, 10])
    expectClose(jit((x: NdArray) => linalg.norm(x, { ord: 'nuc' }))(m), linalg.norm(m, { ord: 'nuc' }).toArray())
  })
})

describe('linalg.norm errors', () => {
  it('bad orders, axes, ranks and options', () => {
    const x = f64([
      [1, 2],
      [3, 4],
    ])
    expect(() => linalg.norm(f64([1, 2]), { ord: 'fro' })).toThrow(ValueError)
    expect(() => linalg.norm(x, { ord: 3 })).toThrow(/Invalid order 3 for matrix norm/)
    expect(() => linalg.norm(array([[[1]]], { dtype: 'float64' }), { ord: 2 })).toThrow(ShapeError)
    expect(() => linalg.norm(x, { axis: [0, 0] })).toThrow(/must differ/)
    expect(() => linalg.norm(x, { axis: [0, 1, 1] })).toThrow(/Improper number of axes for norm/)
    expect(() => linalg.norm(x, { axis: 2 })).toThrow(ShapeError)
    expect(() => linalg.norm(x, { keepdim: true } as never)).toThrow(/did you mean 'keepdims'/)
    expect(() => linalg.matrixNorm(f64([1, 2]))).toThrow(ShapeError)
  })
})

describe('cross, tensordot, vander, lstsq, cond against NumPy (float64)', () => {
  const [c1, c2, tdA, tdB, vx, la, lb, lw, sq] = ['c1', 'c2', 'td_a', 'td_b', 'vx', 'la', 'lb', 'lw', 'sq'].map(
    input,
  ) as NdArray[] as [NdArray, NdArray, NdArray, NdArray, NdArray, NdArray, NdArray, NdArray, NdArray]
  interface Lstsq {
    readonly x: NestedArray
    readonly residuals: NestedArray
    readonly rank: number
    readonly s: NestedArray
  }
  const checkLstsq = (r: linalg.LstsqResult, want: Lstsq): void => {
    expectClose(r.x, want.x)
    expectClose(r.residuals, want.residuals)
    expect(r.rank.item()).toBe(want.rank)
    expect(r.rank.dtype).toBe('int32')
    expectClose(r.s, want.s)
  }

  it('cross (broadcast, axis)', () => {
    expectClose(linalg.cross(c1, c2), ref.cross as NestedArray)
    expectClose(linalg.cross(transpose(c1), transpose(flip(c1, 0)), { axis: 0 }), ref.cross_axis0 as NestedArray)
  })

  it('tensordot (integer and paired axes), vander', () => {
    expectClose(tensordot(tdA, tdB, 1), ref.tensordot_1 as NestedArray)
    expectClose(
      tensordot(tdA, tdB, [
        [1, 2],
        [1, 0],
      ]),
      ref.tensordot_pair as NestedArray,
    )
    expectClose(vander(vx), ref.vander as NestedArray)
    expectClose(vander(vx, 3, { increasing: true }), ref.vander_3_increasing as NestedArray)
  })

  it('lstsq: tall with matrix and vector b, wide (no residuals)', () => {
    checkLstsq(linalg.lstsq(la, lb), ref.lstsq as Lstsq)
    checkLstsq(
      linalg.lstsq(
        la,
        reshape(
          slice(lb, [
            [0, 5],
            [0, 1],
          ]),
          [5],
        ),
      ),
      ref.lstsq_vec as Lstsq,
    )
    const wide = linalg.lstsq(
      lw,
      reshape(
        slice(lb, [
          [0, 2],
          [0, 1],
        ]),
        [2],
      ),
    )
    checkLstsq(wide, ref.lstsq_wide as Lstsq)
    expect(wide.residuals.shape).toEqual([0])
  })

  it.each(Object.keys(table('cond')))('cond p = %s (batched)', (k) => {
    expectClose(linalg.cond(sq, ordOf(k)), table('cond')[k] as NestedArray, { rtol: 1e-8 })
  })
})

describe('cross, tensordot, vander, lstsq, cond derivatives (float64 finite differences, orders 1 and 2)', () => {
  const a = f64([
    [1.5, -0.3, 0.8],
    [0.2, 2.1, -0.5],
    [-0.7, 0.4, 1.2],
  ])
  const tall = f64([
    [1.5, -0.3],
    [0.2, 2.1],
    [-0.7, 0.4],
  ])
  const b = f64([0.3, -1.2, 0.8])

  it('cross, tensordot, vander (incl. at 0)', () => {
    checkGrads((x: NdArray, y: NdArray) => linalg.cross(x, y), [a, b])
    checkGrads((x: NdArray, y: NdArray) => tensordot(x, y, [[0], [1]]), [a, a])
    checkGrads((x: NdArray) => vander(x, 4), [f64([0, 0.5, -1.5])])
  })

  it('lstsq (solution and residuals), cond for every p', () => {
    checkGrads((x: NdArray, y: NdArray) => linalg.lstsq(x, y).x, [tall, b])
    checkGrads((x: NdArray, y: NdArray) => linalg.lstsq(x, y).residuals, [tall, b])
    for (const p of [null, -2, 'fro', 'nuc', 1, Infinity] as const) checkGrads((x: NdArray) => linalg.cond(x, p), [a])
  })

  it('vmap and jit', () => {
    const batch = f64([
      [1, 0, 0],
      [0, 1, 0],
    ])
    expectClose(vmap((x: NdArray) => linalg.cross(x, f64([0, 0, 1])))(batch), [
      [0, -1, 0],
      [1, 0, 0],
    ])
    expectClose(jit((x: NdArray, y: NdArray) => linalg.lstsq(x, y).x)(tall, b), linalg.lstsq(tall, b).x.toArray())
    expectClose(jit((x: NdArray) => vander(x, 3))(b), vander(b, 3).toArray())
  })

  it('errors', () => {
    expect(() => linalg.cross(f64([1, 2]), f64([3, 4]))).toThrow(/3 components/)
    expect(() => tensordot(a, b, [[0], [0, 0]])).toThrow(/equal lengths/)
    expect(() => tensordot(a, tall, [[0], [1]])).toThrow(/shape mismatch/)
    expect(() => vander(a)).toThrow(ShapeError)
    expect(() => linalg.lstsq(tall, f64([1, 2]))).toThrow(ShapeError)
    expect(() => linalg.lstsq(tall, b, { rtol: 1 } as never)).toThrow(/unexpected keyword argument 'rtol'/)
    expect(() => linalg.cond(tall, 1)).toThrow(/square/)
  })
})
