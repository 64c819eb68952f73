/**
 * lax.map with batchSize (JAX's batch_size): a scan over chunks with vmap inside plus a vmap of
 * the remainder; the same values and gradients as the unbatched map, eagerly and under jit.
 */
import { describe, expect, it } from 'vitest'
import { add, array, grad, jit, lax, mul, reshape, sin, sum, ValueError, type NdArray } from 'wengert'

const data = (seed: number, shape: number[]): NdArray => {
  const n = shape.reduce((a, b) => a * b, 1)
  return reshape(array(Array.from({ length: n }, (_, i) => Math.sin(seed * 7.3 + i * 1.7))), shape)
}
const w = data(1, [3])
/** A pytree in, a pytree out: rows of a [n, 3] and b [n]. */
const f = (r: { a: NdArray; b: NdArray }): [NdArray, NdArray] => {
  const s = sin(add(mul(r.a, w), r.b))
  return [s, sum(mul(s, r.a))]
}
const xsOf = (n: number) => ({ a: data(2, [n, 3]), b: data(3, [n]) })
const values = ([s, t]: [NdArray, NdArray]) => [s.shape, s.toArray(), t.shape, t.toArray()]

describe('lax.map with batchSize', () => {
  it('equals the unbatched map for every chunking (remainder, none, one vmap, empty)', () => {
    for (const n of [7, 6, 3, 0]) {
      const xs = xsOf(n)
      const want = values(lax.map(f, xs))
      for (const batchSize of [1, 2, 3, 4, 7, 10, 0]) {
        expect(values(lax.map(f, xs, { batchSize })), `n=${n} batchSize=${batchSize}`).toEqual(want)
      }
    }
  })

  it('under jit, and its gradients (wrt the rows and a closed-over value) equal the unbatched ones', () => {
    const xs = xsOf(7)
    const loss = (batchSize?: number) => (a: NdArray, v: NdArray) => {
      const [s, t] = lax.map(
        (r: { a: NdArray; b: NdArray }) => f({ a: mul(r.a, v), b: r.b }),
        { a, b: xs.b },
        batchSize === undefined ? {} : { batchSize },
      )
      return add(sum(s), sum(mul(t, t)))
    }
    const g = (batchSize?: number) => grad(loss(batchSize), { argnums: [0, 1] })(xs.a, w)
    const [ga, gv] = g()
    for (const batchSize of [2, 3, 0]) {
      const [ha, hv] = g(batchSize)
      expect(ha.toArray()).toEqual(ga.toArray())
      // the closed-over value's cotangent sums over rows: chunked, the float32 sum is reordered
      const hvs = hv.toTypedArray() as Float32Array
      const gvs = gv.toTypedArray() as Float32Array
      expect(hv.shape).toEqual(gv.shape)
      hvs.forEach((x, i) => expect(Math.abs(x - (gvs[i] as number))).toBeLessThan(4e-7 * Math.abs(gvs[i] as number)))
      expect(jit(loss(batchSize))(xs.a, w).item()).toBe(loss()(xs.a, w).item())
    }
  })

  it('rejects a batchSize that is not a non-negative integer, and unknown options', () => {
    const xs = xsOf(4)
    for (const bad of [-1, 1.5, Number.NaN])
      expect(() => lax.map(f, xs, { batchSize: bad })).toThrow(
        new ValueError(`map: batch_size must be a non-negative integer, got ${bad}`),
      )
    expect(() => lax.map(f, xs, { batch_size: 2 } as never)).toThrow(/batch_size/)
  })
})
