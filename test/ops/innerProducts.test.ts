/**
 * vdot, inner, vecdot and N-D dot against NumPy (fixtures/innerProducts.py), their gradients
 * against finite differences, and their errors.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { array, checkGrads, dot, grad, inner, jit, ShapeError, vdot, vecdot, vmap, type NdArray } from '../../src/index'

interface Case {
  readonly op: 'vdot' | 'inner' | 'dot' | 'vecdot'
  readonly a: number[]
  readonly b: number[]
  readonly out: number | number[]
  readonly axis?: number
}
const cases = JSON.parse(readFileSync(new URL('./fixtures/innerProducts.json', import.meta.url), 'utf8')) as Case[]
const f64 = (x: unknown): NdArray => array(x as number[], { dtype: 'float64' })
const run = (c: Case, a: NdArray, b: NdArray): NdArray =>
  c.op === 'vdot'
    ? vdot(a, b)
    : c.op === 'inner'
      ? inner(a, b)
      : c.op === 'dot'
        ? dot(a, b)
        : vecdot(a, b, c.axis === undefined ? {} : { axis: c.axis })

const flat = (x: unknown): number[] => (Array.isArray(x) ? x.flatMap(flat) : [x as number])

describe('inner products (NumPy values)', () => {
  it.each(cases.map((c, i) => [i, c] as const))('case %i matches NumPy', (_, c) => {
    // Arrange
    const a = f64(c.a)
    const b = f64(c.b)
    // Act
    const out = run(c, a, b)
    // Assert
    const want = flat(c.out)
    const got = flat(out.toArray())
    expect(got.length).toBe(want.length)
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i] as number, 12))
  })

  it.each(cases.map((c, i) => [i, c] as const))('case %i: gradients against finite differences', (_, c) => {
    checkGrads((a: NdArray, b: NdArray) => run(c, a, b), [f64(c.a), f64(c.b)], { order: 2 })
  })

  it('N-D dot under jit and vmap agrees with the eager value', () => {
    const c = cases.find((k) => k.op === 'dot' && (k.a as unknown[]).length === 2)!
    const a = f64(c.a)
    const b = f64(c.b)
    expect(jit(dot)(a, b).toArray()).toEqual(dot(a, b).toArray())
    // vmap over a's leading axis: each slice is a 2-D × N-D dot
    const mapped = vmap((x: NdArray) => dot(x, b))(a).toArray()
    expect(flat(mapped)).toEqual(flat(dot(a, b).toArray()))
  })

  it('the gradient of vdot(grad f(x), v) is the Hessian-vector product (Autodiff Cookbook)', () => {
    // f(x) = Σ x³: H = diag(6x), so Hv = 6·x·v
    const f = (x: NdArray): NdArray => vdot(x.mul(x).mul(x), array([1, 1, 1], { dtype: 'float64' }))
    const x = f64([1, -2, 0.5])
    const v = f64([0.5, 1, 2])
    const hvp = grad((y: NdArray) => vdot(grad(f)(y), v))(x)
    expect(hvp.toArray()).toEqual([3, -12, 6])
  })
})

describe('inner products: errors', () => {
  it('name the op and the shapes', () => {
    expect(() => vdot(array([1, 2]), array([1, 2, 3]))).toThrow(ShapeError)
    expect(() => vdot(array([1, 2]), array([1, 2, 3]))).toThrow(/vdot: .*\[2\].*\[3\]/)
    expect(() => inner(array([[1, 2]]), array([1, 2, 3]))).toThrow(/inner: the last axes/)
    expect(() => vecdot(array([[1, 2]]), array([1, 2, 3]))).toThrow(/vecdot: axes of length 2 and 3/)
    expect(() => dot(array([[[1, 2]]]), array([[1, 2, 3]]))).toThrow(/shapes \[1,1,2\] and \[1,3\] are not aligned/)
  })
  it('0-d operands multiply (inner)', () => {
    expect(inner(2, array([1, 2])).toArray()).toEqual([2, 4])
  })
})
