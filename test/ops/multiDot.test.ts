/**
 * linalg.multiDot: values and NumPy's chosen parenthesisation (test/ops/fixtures/multiDot.py →
 * multiDot.json), the optimal order by an exhaustive count of multiply-adds, derivatives by
 * float64 finite differences (checkGrads), and argument errors.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { checkGrads, linalg, type NdArray } from 'wengert'
import { chainOrder, type ChainOrder } from '../../src/ops/linalg/multiDot'
import { expectClose, f64 } from '../transforms/helpers'

interface Case {
  readonly arrays: Array<number[] | number[][]>
  readonly value: number[]
  readonly shape: number[]
  readonly order: ChainOrder
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/multiDot.json', import.meta.url), 'utf8')) as Record<
  string,
  Case
>
const matDims = (c: Case): number[] => {
  const shapes = c.arrays.map((a, i) =>
    Array.isArray(a[0]) ? [a.length, (a[0] as number[]).length] : i === 0 ? [1, a.length] : [a.length, 1],
  )
  return [shapes[0]?.[0] as number, ...shapes.map((s) => s[1] as number)]
}

/** Cost of a parenthesisation, and the cheapest over all of them (by brute force, not the DP). */
const costOf = (o: ChainOrder, p: number[]): { cost: number; lo: number; hi: number } => {
  if (typeof o === 'number') return { cost: 0, lo: o, hi: o + 1 }
  const [l, r] = [costOf(o[0], p), costOf(o[1], p)]
  return { cost: l.cost + r.cost + (p[l.lo] as number) * (p[l.hi] as number) * (p[r.hi] as number), lo: l.lo, hi: r.hi }
}
const bruteMin = (p: number[], i: number, j: number): number => {
  if (i === j) return 0
  let best = Infinity
  for (let k = i; k < j; k++)
    best = Math.min(
      best,
      bruteMin(p, i, k) + bruteMin(p, k + 1, j) + (p[i] as number) * (p[k + 1] as number) * (p[j + 1] as number),
    )
  return best
}

describe('linalg.multiDot against NumPy', () => {
  for (const [name, c] of Object.entries(fixture))
    it(`${name}: value and NumPy's order`, () => {
      const out = linalg.multiDot(c.arrays.map((a) => f64(a)))
      expectClose(out, c.value.length === 1 && c.shape.length === 0 ? (c.value[0] as number) : c.value, {
        shape: c.shape,
        rtol: 1e-12,
        atol: 1e-12,
      })
      expect(chainOrder(matDims(c)).order).toEqual(c.order)
    })
})

describe('linalg.multiDot order', () => {
  it('is the CLRS chain ((A1(A2A3))((A4A5)A6)) at 15125 multiply-adds', () => {
    const { order, cost } = chainOrder([30, 35, 15, 5, 10, 20, 25])
    expect(order).toEqual([
      [0, [1, 2]],
      [[3, 4], 5],
    ])
    expect(cost).toBe(15125)
  })
  it('costs no more than every other parenthesisation (random chains, brute force)', () => {
    let seed = 7
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648
      return 1 + (seed % 40)
    }
    for (let t = 0; t < 30; t++) {
      const p = Array.from({ length: 2 + (t % 7) }, rand)
      const { order, cost } = chainOrder(p)
      expect(costOf(order, p).cost).toBe(cost)
      expect(cost).toBe(bruteMin(p, 0, p.length - 2))
    }
  })
  it('a left-to-right product would cost more on a chain where the order matters', () => {
    const p = [100, 100, 100, 1]
    const leftToRight = costOf([[0, 1], 2], p).cost
    expect(chainOrder(p).cost).toBeLessThan(leftToRight)
  })
})

describe('linalg.multiDot derivatives and errors', () => {
  const a = f64([
    [0.3, -1.2, 0.7],
    [1.1, 0.4, -0.5],
  ])
  const b = f64([
    [0.9, -0.2],
    [0.1, 1.3],
    [-0.6, 0.8],
  ])
  const c = f64([
    [1.0, 0.5, -0.4, 0.2],
    [-0.7, 0.3, 0.6, 1.1],
  ])
  it('differentiates every operand (orders 1 and 2)', () => {
    checkGrads((x: NdArray, y: NdArray, z: NdArray) => linalg.multiDot([x, y, z]), [a, b, c])
    checkGrads(
      (v: NdArray, y: NdArray, w: NdArray) => linalg.multiDot([v, y, w]),
      [f64([0.2, -0.5, 1.4]), b, f64([0.6, -0.9])],
    )
  })
  it('rejects short chains, bad ranks and mismatched shapes', () => {
    expect(() => linalg.multiDot([a])).toThrow('multiDot: expected at least two arrays, got 1')
    expect(() => linalg.multiDot([a, f64([1, 2, 3]), b])).toThrow('multiDot: array 1 must be 2-D, got shape [3]')
    expect(() => linalg.multiDot([f64(1), b])).toThrow('multiDot: array 0 must be 1-D or 2-D, got shape []')
    expect(() => linalg.multiDot([a, c])).toThrow(
      'multiDot: arrays 0 and 1 of shapes [2,3] and [2,4] cannot be multiplied',
    )
  })
})
