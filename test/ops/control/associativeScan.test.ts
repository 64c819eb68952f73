/** lax.associativeScan against sequential prefix results (exact on small integers), along axes, reversed, over pytrees. */
import { describe, expect, it } from 'vitest'
import { add, array, checkGrads, lax, maximum, mul, type NdArray } from 'wengert'

const prefix = (xs: number[], f: (a: number, b: number) => number): number[] => {
  const out: number[] = []
  xs.forEach((x, i) => out.push(i === 0 ? x : f(out[i - 1] as number, x)))
  return out
}

describe('lax.associativeScan', () => {
  it('equals the sequential prefix for every length 0..17, forward and reversed', () => {
    for (let n = 0; n <= 17; n++) {
      const xs = Array.from({ length: n }, (_, i) => ((i * 7) % 5) - 2)
      expect(lax.associativeScan(add, array(xs)).toArray()).toEqual(prefix(xs, (a, b) => a + b))
      expect(lax.associativeScan(maximum, array(xs)).toArray()).toEqual(prefix(xs, Math.max))
      expect(lax.associativeScan(add, array(xs), { reverse: true }).toArray()).toEqual(
        prefix([...xs].reverse(), (a, b) => a + b).reverse(),
      )
    }
  })

  it('scans along an axis and over pytrees (a linear recurrence as pairs), and is differentiable', () => {
    const m = array([
      [1, 2, 3],
      [4, 5, 6],
    ])
    expect(lax.associativeScan(add, m, { axis: 1 }).toArray()).toEqual([
      [1, 3, 6],
      [4, 9, 15],
    ])
    expect(lax.associativeScan(add, m, { axis: -2 }).toArray()).toEqual([
      [1, 2, 3],
      [5, 7, 9],
    ])
    // h_t = a_t h_{t-1} + b_t as the associative combine of (a, b) pairs
    const combine = (l: [NdArray, NdArray], r: [NdArray, NdArray]): [NdArray, NdArray] => [
      mul(r[0], l[0]),
      add(mul(r[0], l[1]), r[1]),
    ]
    const a = [0.5, 2, 1, 3, 0.25]
    const b = [1, 2, 3, 4, 5]
    const [, h] = lax.associativeScan(combine, [array(a), array(b)] as [NdArray, NdArray])
    let acc = 0
    expect(h.toArray()).toEqual(a.map((ai, i) => (acc = ai * acc + (b[i] as number))))
    checkGrads((x: NdArray) => lax.associativeScan(mul, x), [array([0.5, 1.5, -2, 0.7], { dtype: 'float64' })], {
      modes: ['fwd', 'rev'],
      order: 1,
    })
  })

  it('refuses mismatched lengths and a bad axis', () => {
    expect(() => lax.associativeScan(add as never, [array([1, 2]), array([1, 2, 3])])).toThrow(/same length/)
    expect(() => lax.associativeScan(add, array([1, 2]), { axis: 2 })).toThrow(/out of bounds/)
  })
})
