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
    expect(() => linalg.norm(x, { ord: 3 })).toThrow(/invalid norm order 3 for matrices/)
    expect(() => linalg.norm(array([[[1]]], { dtype: 'float64' }), { ord: 2 })).toThrow(ShapeError)
    expect(() => linalg.norm(x, { axis: [0, 0] })).toThrow(/must differ/)
    expect(() => linalg.norm(x, { axis: [0, 1, 1] })).toThrow(/one or two axes/)
    expect(() => linalg.norm(x, { axis: 2 })).toThrow(ShapeError)
    expect(() => linalg.norm(x, { keepdim: true } as never)).toThrow(/did you mean 'keepdims'/)
    expect(() => linalg.matrixNorm(f64([1, 2]))).toThrow(ShapeError)
  })
})
