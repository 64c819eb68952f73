/**
 * at(x, ...idx).get/set/add/multiply/min/max against NumPy 1.24 (x[idx], x[idx] = v and the
 * unbuffered ufunc.at; fixtures/at.py), out-of-bounds modes by hand (JAX's rules), gradients by
 * finite differences (checkGrads), traced indices under jit and vmap, and bad indices.
 */
import { describe, expect, it } from 'vitest'
import {
  array,
  at,
  checkGrads,
  grad,
  jit,
  mul,
  reshape,
  sum,
  vmap,
  DTypeError,
  ShapeError,
  ValueError,
  NotDifferentiableError,
  type IndexItem,
  type NdArray,
} from '../../src/index'
import fixtures from './fixtures/at.json'

type Item = number | string | null | { arr: unknown } | { mask: unknown }
interface Case {
  shape: number[]
  x: number[]
  index: Item[]
  v: number[]
  outShape: number[]
  get: number[]
  set: number[]
  add: number[]
  multiply: number[]
  min: number[]
  max: number[]
}

const toItem = (it: Item): IndexItem => {
  if (it === null || typeof it === 'number' || typeof it === 'string') return it
  if ('arr' in it) return array(it.arr as number[], { dtype: 'int32' })
  return array(it.mask as boolean[], { dtype: 'bool' })
}
const flat = (a: NdArray): number[] => Array.from(a.toTypedArray())
const close = (got: number[], want: number[]): void => {
  expect(got.length).toBe(want.length)
  got.forEach((g, i) => expect(g).toBeCloseTo(want[i] as number, 12))
}

describe('at() against NumPy', () => {
  for (const c of fixtures as Case[]) {
    it(`x${JSON.stringify(c.shape)}[${JSON.stringify(c.index)}]`, () => {
      const x = array(c.x, { shape: c.shape, dtype: 'float64' })
      const idx = c.index.map(toItem)
      const v = array(c.v, { shape: c.outShape, dtype: 'float64' })
      const g = at(x, ...idx).get()
      expect(g.shape).toEqual(c.outShape)
      close(flat(g), c.get)
      close(flat(at(x, ...idx).set(v)), c.set)
      close(flat(at(x, ...idx).add(v)), c.add)
      close(flat(at(x, ...idx).multiply(v)), c.multiply)
      close(flat(at(x, ...idx).min(v)), c.min)
      close(flat(at(x, ...idx).max(v)), c.max)
    })
  }
})

describe('at() out of bounds (JAX modes)', () => {
  const x = array([1, 2, 3], { dtype: 'float64' })
  const idx = array([0, 5, -7], { dtype: 'int32' })
  it('get clamps by default; fill uses fillValue or NaN', () => {
    expect(flat(at(x, idx).get())).toEqual([1, 3, 1])
    expect(flat(at(x, idx).get({ mode: 'fill', fillValue: -1 }))).toEqual([1, -1, -1])
    expect(
      flat(at(x, idx).get({ mode: 'fill' }))
        .slice(1)
        .every(Number.isNaN),
    ).toBe(true)
    expect(flat(reshape(at(array([1, 2], { dtype: 'int32' }), 9).get({ mode: 'fill' }), [1]))).toEqual([-(2 ** 31)])
  })
  it('updates drop by default; clip clamps', () => {
    expect(flat(at(x, idx).add(10))).toEqual([11, 2, 3])
    expect(flat(at(x, idx).set(0, { mode: 'drop' }))).toEqual([0, 2, 3])
    expect(flat(at(x, idx).add(10, { mode: 'clip' }))).toEqual([21, 2, 13])
  })
  it('a 2-D index out of bounds in one axis does not wrap into the next row', () => {
    const m = array(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: 'float64' },
    )
    expect(flat(at(m, 0, 2).set(9))).toEqual([1, 2, 3, 4])
    expect(flat(at(m, 0, 2).get())).toEqual([2])
  })
})

describe('at() derivatives, vmap and jit', () => {
  const x = array([0.5, -1, 2, 3], { dtype: 'float64' })
  const v = array([0.7, -0.2, 1.5], { dtype: 'float64' })
  const idx = array([2, 0, 2], { dtype: 'int32' })
  it('checkGrads of get/set/add/min/max and multiply with unique indices', () => {
    checkGrads((a: NdArray) => at(a, idx).get(), [x])
    checkGrads((a: NdArray, b: NdArray) => at(a, idx).set(b), [x, v])
    checkGrads((a: NdArray, b: NdArray) => at(a, idx).add(b), [x, v])
    checkGrads((a: NdArray, b: NdArray) => at(a, idx).min(b), [x, v])
    checkGrads((a: NdArray, b: NdArray) => at(a, idx).max(b), [x, v])
    const u = array([1, 3], { dtype: 'int32' })
    checkGrads(
      (a: NdArray, b: NdArray) => at(a, u).multiply(b, { uniqueIndices: true }),
      [x, array([0.7, -0.2], { dtype: 'float64' })],
    )
  })
  it('set: the overwritten cotangent of x is zero and only the winning duplicate gets one', () => {
    const [gx, gv] = grad(
      (a: NdArray, b: NdArray) => sum(mul(at(a, idx).set(b), array([1, 2, 3, 4], { dtype: 'float64' }))),
      {
        argnums: [0, 1],
      },
    )(x, v) as [NdArray, NdArray]
    expect(flat(gx)).toEqual([0, 2, 0, 4])
    expect(flat(gv)).toEqual([0, 1, 3])
  })
  it('multiply without uniqueIndices is not differentiable in the values (JAX)', () => {
    expect(() => grad((b: NdArray) => sum(at(x, idx).multiply(b)))(v)).toThrow(NotDifferentiableError)
    expect(() => grad((b: NdArray) => sum(at(x, idx).multiply(b)))(v)).toThrow(/unique_indices=True/)
  })
  it('traced indices under jit and vmap give the eager values', () => {
    const f = (a: NdArray, i: NdArray, b: NdArray): NdArray => at(a, i).add(b)
    expect(flat(jit(f)(x, idx, v))).toEqual(flat(f(x, idx, v)))
    const xs = array(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { dtype: 'float64' },
    )
    const is = array(
      [
        [0, 0],
        [2, 1],
      ],
      { dtype: 'int32' },
    )
    const got = vmap((a: NdArray, i: NdArray) => at(a, i).set(array([7, 8], { dtype: 'float64' })))(xs, is)
    expect(got.toArray()).toEqual([
      [8, 2, 3],
      [4, 8, 7],
    ])
    const gets = vmap((i: NdArray) => at(xs, ':', i).get())(is)
    expect(gets.toArray()).toEqual([
      [
        [1, 1],
        [4, 4],
      ],
      [
        [3, 2],
        [6, 5],
      ],
    ])
  })
})

describe('at() bad input', () => {
  const x = array([1, 2, 3], { dtype: 'float64' })
  it('float indices raise JAX’s TypeError text', () => {
    expect(() => at(x, array([0.5], { dtype: 'float32' })).get()).toThrow(DTypeError)
    expect(() => at(x, [1.5]).get()).toThrow(/Indexer must have integer or boolean type/)
    expect(() => at(x, 1.5).get()).toThrow(/Indexer must have integer or boolean type/)
  })
  it('too many indices, mismatched values, bad options', () => {
    expect(() => at(x, 0, 0).get()).toThrow(/Too many indices/)
    expect(() => at(x, ':').set(array([1, 2], { dtype: 'float64' }))).toThrow(ShapeError)
    expect(() => at(x, [0, 1], [[0], [1], [2]]).get()).toThrow(ShapeError)
    expect(() => at(x, 0).set(1, { mode: 'wrap' as never })).toThrow(ValueError)
    expect(() => at(x, 0).set(1, { mod: 'clip' } as never)).toThrow(/did you mean 'mode'/)
    expect(() => at(x, '...', '...').get()).toThrow(ValueError)
  })
})
