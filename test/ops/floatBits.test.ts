/**
 * nextafter and reduce_precision against NumPy (test/fixtures/floatBits/float_bits.json, made by
 * scripts/fixtures/float_bits.py) and against values worked out by hand: XLA's flush of the
 * narrow format's subnormals, NaN handling, ties to even, the refusal to differentiate nextafter.
 */
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import {
  array,
  DTypeError,
  grad,
  jit,
  jvp,
  lax,
  multiply,
  nextafter,
  NotDifferentiableError,
  sum,
  ValueError,
  vmap,
  type NdArray,
} from '../../src/index'

interface Pair {
  readonly x: Array<number | string>
  readonly y: Array<number | string>
  readonly out: Array<number | string>
}
interface Reduce {
  readonly src: 'float32' | 'float64'
  readonly exponentBits: number
  readonly mantissaBits: number
  readonly x: Array<number | string>
  readonly out: Array<number | string>
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/floatBits/float_bits.json', import.meta.url), 'utf8')) as {
  nextafter: Record<'float32' | 'float64', Pair[]>
  reduce: Reduce[]
}

/** A fixture value: a number, or 'nan' / 'inf' / '-inf' / '-0' (scripts/fixtures/jsonfloat.py). */
const dec = (s: number | string): number => {
  const named: Record<string, number> = { nan: NaN, inf: Infinity, '-inf': -Infinity, '-0': -0 }
  return typeof s === 'number' ? s : (named[s] as number)
}

/** Element-wise equality that tells −0 from +0 and NaN equals NaN. */
const sameBits = (got: NdArray, want: ReadonlyArray<number>): void => {
  const g = got.toArray() as number[]
  const bad = g.map((v, i) => (Object.is(v, want[i]) ? -1 : i)).filter((i) => i >= 0)
  expect(bad.map((i) => [i, g[i], want[i]])).toEqual([])
}

describe('nextafter', () => {
  for (const dtype of ['float32', 'float64'] as const)
    it(`matches NumPy in ${dtype} (zeros, subnormals, infinities, NaN, equal operands)`, () => {
      for (const c of fixture.nextafter[dtype]) {
        const x = array(c.x.map(dec), { dtype })
        const y = array(c.y.map(dec), { dtype })
        sameBits(nextafter(x, y), c.out.map(dec))
        sameBits(lax.nextafter(x, y), c.out.map(dec))
      }
    })

  it('promotes as jnp: integers to float32, a number takes the array dtype; broadcasts', () => {
    const r = nextafter(array([1, 2], { dtype: 'int32' }), 3)
    expect(r.dtype).toBe('float32')
    expect(r.toArray()).toEqual([1 + 2 ** -23, 2 + 2 ** -22])
    const b = nextafter(array([[1], [-1]], { dtype: 'float64' }), array([0, 2], { dtype: 'float64' }))
    expect(b.shape).toEqual([2, 2])
    expect(b.toArray()).toEqual([
      [1 - 2 ** -53, 1 + 2 ** -52],
      [-1 + 2 ** -53, -1 + 2 ** -53],
    ])
  })

  it('lax.nextafter refuses mixed dtypes and integers', () => {
    expect(() => lax.nextafter(array([1], { dtype: 'float32' }), array([1], { dtype: 'float64' }))).toThrow(/nextafter/)
    expect(() => lax.nextafter(array([1], { dtype: 'int32' }), array([1], { dtype: 'int32' }))).toThrow(DTypeError)
  })

  it('has no derivative: grad and jvp raise, as in JAX; a constant operand is fine', () => {
    const x = array([1, 2], { dtype: 'float64' })
    const msg = /Differentiation rule for 'nextafter' not implemented/
    expect(() => grad((a: NdArray) => sum(nextafter(a, 0)))(x)).toThrow(NotDifferentiableError)
    expect(() => grad((a: NdArray) => sum(nextafter(x, a)))(x)).toThrow(msg)
    expect(() => jvp((a: NdArray) => nextafter(a, 0), [x], [x])).toThrow(msg)
    // the result used as a constant beside a differentiated value
    const g = grad((a: NdArray) => sum(multiply(a, nextafter(x, 3))))(x)
    expect(g.toArray()).toEqual([1 + 2 ** -52, 2 + 2 ** -51])
  })

  it('vmaps and jits to the same bits', () => {
    const x = array(
      [
        [0, 1],
        [-1, 5e-324],
      ],
      { dtype: 'float64' },
    )
    const want = nextafter(x, 1).toArray()
    expect(vmap((r: NdArray) => nextafter(r, 1))(x).toArray()).toEqual(want)
    expect(jit((r: NdArray) => nextafter(r, 1))(x).toArray()).toEqual(want)
  })
})

describe('reducePrecision', () => {
  for (const c of fixture.reduce)
    it(`(${c.exponentBits}, ${c.mantissaBits}) on ${c.src} matches NumPy's conversion in the normal range`, () => {
      const x = array(c.x.map(dec), { dtype: c.src })
      sameBits(lax.reducePrecision(x, c.exponentBits, c.mantissaBits), c.out.map(dec))
    })

  it('flushes the narrow subnormals to signed zero, overflows to signed infinity', () => {
    const x = array([1e-6, -1e-6, 2 ** -14, -7e4, 65519, 65520], { dtype: 'float64' })
    sameBits(lax.reducePrecision(x, 5, 10), [0, -0, 2 ** -14, -Infinity, 65504, Infinity])
  })

  it('rounds ties to even (bfloat16 layout) and keeps NaN unless no mantissa bit is left', () => {
    const x = array([1 + 2 ** -8, 1 + 3 * 2 ** -8, -(1 + 2 ** -8), NaN], { dtype: 'float32' })
    sameBits(lax.reducePrecision(x, 8, 7), [1, 1 + 2 ** -6, -1, NaN])
    sameBits(lax.reducePrecision(array([NaN, 1.5, 1.75]), 8, 0), [Infinity, 2, 2])
    // wider than the source: the identity
    const y = array([0.1, -3e-310, 1e300], { dtype: 'float64' })
    sameBits(lax.reducePrecision(y, 11, 52), [0.1, -3e-310, 1e300])
  })

  it('rounds tangents and cotangents alike', () => {
    const x = array([1, 2], { dtype: 'float64' })
    const f = (a: NdArray): NdArray => lax.reducePrecision(multiply(a, 1 + 2 ** -12), 5, 10)
    const [y, yDot] = jvp(f, [x], [array([1, 3], { dtype: 'float64' })])
    expect(y.toArray()).toEqual([1, 2])
    expect(yDot.toArray()).toEqual([1, 3])
    const g = grad((a: NdArray) => sum(multiply(lax.reducePrecision(a, 5, 10), 1 + 2 ** -11)))(x)
    expect(g.toArray()).toEqual([1, 1]) // the cotangent 1 + 2⁻¹¹ is a tie: rounded to 1
    expect(vmap((r: NdArray) => lax.reducePrecision(r, 5, 10))(array([[1e-6], [7e4]])).toArray()).toEqual([
      [0],
      [Infinity],
    ])
  })

  it('refuses bad bit counts and integer operands with typed errors', () => {
    const x = array([1], { dtype: 'float32' })
    expect(() => lax.reducePrecision(x, 0, 3)).toThrow(ValueError)
    expect(() => lax.reducePrecision(x, 5, -1)).toThrow(/mantissa_bits must be at least 0/)
    expect(() => lax.reducePrecision(x, 1.5, 3)).toThrow(TypeError)
    expect(() => lax.reducePrecision(array([1], { dtype: 'int32' }), 5, 10)).toThrow(DTypeError)
  })
})
