/**
 * jnp.vectorize, jnp.packbits and jnp.unpackbits (src/ops/numpyExtra/vectorize.ts, packbits.ts):
 * values against NumPy (fixtures/jnpVectorize.py), gradients through vectorize against float64
 * finite differences, staging under jit and vmap, and JAX's errors.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  DTypeError,
  ValueError,
  array,
  checkGrads,
  jit,
  matmul,
  mul,
  ones,
  packbits,
  sin,
  sum,
  unpackbits,
  vectorize,
  vmap,
  add,
  type NdArray,
} from '../../src'

type Nested = number | Nested[]
const F = JSON.parse(readFileSync(new URL('./fixtures/jnpVectorize.json', import.meta.url), 'utf8')) as Record<
  string,
  Nested
>
const f64 = (v: Nested): NdArray => array(v, { dtype: 'float64' })
const close = (a: NdArray, b: Nested): void => {
  const [got, want] = [a.toArray() as Nested, b]
  expect(a.shape).toEqual(f64(want).shape)
  const flat = (u: Nested): number[] => (Array.isArray(u) ? u.flatMap(flat) : [u])
  flat(got).forEach((g, k) => expect(g).toBeCloseTo(flat(want)[k] as number, 12))
}

const mv = vectorize((m: NdArray, v: NdArray) => matmul(m, v), { signature: '(n,m),(m)->(n)' })
const ew = vectorize((a: NdArray, b: NdArray) => add(mul(sin(a), b), a))

describe('vectorize', () => {
  it('broadcasts loop dimensions as NumPy does, with and without a signature', () => {
    close(mv(f64(F['m'] as Nested), f64(F['v'] as Nested)), F['mv'] as Nested)
    close(ew(f64(F['x'] as Nested), f64(F['y'] as Nested)), F['ew'] as Nested)
    const norm2 = vectorize((a: NdArray) => sum(mul(a, a)), { signature: '(k)->()' })
    close(norm2(f64(F['m'] as Nested)), F['norm2'] as Nested)
    // JAX's documented shapes
    expect(mv(ones([2, 3]), ones([3])).shape).toEqual([2])
    expect(mv(ones([2, 3]), ones([4, 3])).shape).toEqual([4, 2])
  })

  it('differentiates, stages and batches through the vmaps', () => {
    checkGrads((x: NdArray) => ew(x, f64([1, -2, 0.5])), [f64([[0.3], [-1.2]])], { order: 2 })
    checkGrads(
      (m: NdArray) => mv(m, f64([1, 2])),
      [
        f64([
          [
            [0.5, -1],
            [2, 0.25],
          ],
        ]),
      ],
      { order: 1 },
    )
    const m = f64(F['m'] as Nested)
    const v = f64(F['v'] as Nested)
    close(jit(mv)(m, v), F['mv'] as Nested)
    close(vmap((mm: NdArray) => mv(mm, v))(m), F['mv'] as Nested)
  })

  it('passes excluded and null arguments through, returns several outputs, keeps size-1 dims', () => {
    const scale = vectorize((x: NdArray, k: number) => mul(x, k), { excluded: [1] })
    expect(scale(array([1, 2]), 3).toArray()).toEqual([3, 6])
    const two = vectorize((x: NdArray) => [x, mul(x, 2)], { signature: '()->(),()' })
    expect((two(array([1, 2])) as unknown as NdArray[]).map((o) => o.toArray())).toEqual([
      [1, 2],
      [2, 4],
    ])
    expect(ew(ones([1, 3]), ones([2, 1, 1])).shape).toEqual([2, 1, 3])
    const maybe = vectorize((x: NdArray, y: null) => (y === null ? x : mul(x, 2)))
    expect(maybe(array([1, 2]), null).toArray()).toEqual([1, 2])
  })

  it("raises JAX's errors", () => {
    const ctx = "on vectorized function with excluded=frozenset() and signature='(n,m),(m)->(n)'"
    expect(() => mv(ones([3]), ones([3]))).toThrow(
      new ValueError(
        `vectorize: input with shape (3,) does not have enough dimensions for all core dimensions ('n', 'm') ${ctx}`,
      ),
    )
    expect(() => mv(ones([2, 3]), ones([4]))).toThrow(`inconsistent size for core dimension 'm': 4 vs 3 ${ctx}`)
    expect(() => mv(ones([2, 3]))).toThrow('wrong number of positional arguments: expected 2, got 1')
    expect(() => vectorize((_x: NdArray) => ones([3]))(array([1, 2]))).toThrow(
      'output shape (3,) does not match core dimensions () on vectorized function with excluded=frozenset() and signature=None',
    )
    expect(() => vectorize((x: NdArray) => x, { signature: '(n' })).toThrow('not a valid gufunc signature: (n')
    expect(() => vectorize((x: NdArray) => x, { excluded: [-1] })).toThrow('contains negative numbers')
  })
})

describe('packbits / unpackbits', () => {
  const bits = array(F['bits'] as Nested, { dtype: 'int32' })
  const raw = array(F['raw'] as Nested, { dtype: 'uint8' })
  it('pack as NumPy does', () => {
    expect(packbits(bits).toArray()).toEqual(F['packFlat'])
    expect(packbits(bits, { axis: 0 }).toArray()).toEqual(F['pack0'])
    expect(packbits(bits, { axis: 1 }).toArray()).toEqual(F['pack1'])
    expect(packbits(bits, { axis: -1, bitorder: 'little' }).toArray()).toEqual(F['pack1Little'])
    expect(packbits(bits).dtype).toBe('uint8')
    expect(jit((b: NdArray) => packbits(b, { axis: 1 }))(bits).toArray()).toEqual(F['pack1'])
    expect(vmap((b: NdArray) => packbits(b))(bits).toArray()).toEqual(F['pack1'])
  })
  it('unpack as NumPy does', () => {
    expect(unpackbits(raw).toArray()).toEqual(F['unpackFlat'])
    expect(unpackbits(raw, { axis: 0 }).toArray()).toEqual(F['unpack0'])
    expect(unpackbits(raw, { axis: 1, count: 5 }).toArray()).toEqual(F['unpack1Count5'])
    expect(unpackbits(raw, { axis: 1, count: -3 }).toArray()).toEqual(F['unpack1CountNeg3'])
    expect(unpackbits(raw, { axis: 1, count: 30 }).toArray()).toEqual(F['unpack1Count30'])
    expect(unpackbits(raw, { axis: 1, bitorder: 'little' }).toArray()).toEqual(F['unpack1Little'])
    expect(unpackbits(packbits(bits, { axis: 1 }), { axis: 1, count: 11 }).toArray()).toEqual(
      (F['bits'] as number[][]).map((r) => r.map((b) => (b !== 0 ? 1 : 0))),
    )
  })
  it('refuses other dtypes and bit orders', () => {
    expect(() => packbits(array([0.5, 1]))).toThrow(DTypeError)
    expect(() => packbits(array([0.5, 1]))).toThrow('Expected an input array of integer or boolean data type')
    expect(() => unpackbits(array([1, 2], { dtype: 'int32' }))).toThrow(
      'Expected an input array of unsigned byte data type',
    )
    expect(() => packbits(bits, { bitorder: 'middle' as 'big' })).toThrow("'order' must be either 'little' or 'big'")
    expect(() => unpackbits(raw, { count: 1.5 })).toThrow('count must be an integer')
  })
})
