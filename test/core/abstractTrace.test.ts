/**
 * jit stages loops and the other sub-program primitives without running them (as JAX traces
 * abstractly): tracing a loop that would never end returns, and the first call's results (taken
 * from the compiled program) equal eager evaluation and the replays bit for bit, for nested
 * loops and under grad, vmap and higher order.
 */
import { describe, expect, it } from 'vitest'
import { add, array, grad, jit, lax, less, matmul, mul, reshape, sin, sum, tanh, vmap, type NdArray } from 'wengert'

const data = (seed: number, shape: number[]): NdArray => {
  const n = shape.reduce((a, b) => a * b, 1)
  return reshape(
    array(
      Array.from({ length: n }, (_, i) => Math.sin(seed * 7.3 + i * 1.7)),
      { dtype: 'float32' },
    ),
    shape,
  )
}
const W = data(1, [4, 4])
const h0 = data(2, [1, 4])
const xs = data(3, [6, 2, 1, 4])

/** A scan over outer rows whose body is a scan over inner rows, then a cond on the result. */
const nested = (W: NdArray, h: NdArray, xs: NdArray): NdArray => {
  const [hT, ys] = lax.scan(
    (h: NdArray, row: NdArray) => {
      const [h2] = lax.scan((g: NdArray, x: NdArray) => [tanh(add(matmul(g, W), x)), g] as const, h, row)
      return [h2, sin(h2)] as const
    },
    h,
    xs,
  )
  const picked = lax.cond(
    less(sum(hT), 0),
    (a: NdArray) => mul(a, 2),
    (a: NdArray) => mul(a, 3),
    hT,
  )
  return add(sum(picked), sum(ys))
}

/** `nested`, then a while loop on its value (forward only: a while loop has no VJP). */
const withWhile = (W: NdArray, h: NdArray, xs: NdArray): NdArray =>
  lax.whileLoop(
    (c: NdArray) => less(mul(c, c), 50),
    (c: NdArray) => add(mul(c, 1.5), 0.25),
    add(mul(nested(W, h, xs), 0), 0.5),
  )

const gradW = (W: NdArray, h: NdArray, xs: NdArray): NdArray => grad(nested)(W, h, xs) as NdArray

const bits = (x: NdArray): number[] => Array.from(x.toTypedArray())

describe('jit stages loops without running them', () => {
  it('tracing a while loop that never ends returns (its body runs only in the compiled program)', () => {
    const forever = (x: NdArray): NdArray =>
      lax.whileLoop(
        (c: NdArray) => less(c, 10),
        (c: NdArray) => mul(c, 1),
        x,
      )
    const lowered = jit(forever).lower(array(1, { dtype: 'float32' }))
    expect(lowered.asText()).toContain('while')
    // a scan of 10⁹ steps is staged in no time too
    const long = (x: NdArray): NdArray => lax.foriLoop(0, 1e9, (_i: NdArray, c: NdArray) => add(c, 1), x)
    expect(
      jit(long)
        .lower(array(0, { dtype: 'float32' }))
        .asText(),
    ).toContain('scan')
  })

  it('first call, replays and eager agree bit for bit: nested scan, cond, while; grad; vmap; grad of grad', () => {
    const cases: Array<[string, (W: NdArray, h: NdArray, xs: NdArray) => NdArray, () => NdArray]> = [
      ['value', withWhile, () => withWhile(W, h0, xs)],
      ['grad', gradW, () => gradW(W, h0, xs)],
    ]
    for (const [, f, eager] of cases) {
      const j = jit(f)
      const want = bits(eager())
      expect(bits(j(W, h0, xs))).toEqual(want)
      expect(bits(j(W, h0, xs))).toEqual(want)
    }
    const wantWhile = Number(withWhile(W, h0, xs).item())
    expect(wantWhile * wantWhile).toBeGreaterThanOrEqual(50)
    const batched = vmap(gradW, { inAxes: [null, 0, null] })
    const hs = data(4, [3, 1, 4])
    const vb = jit(batched)
    const wantV = bits(batched(W, hs, xs))
    expect(bits(vb(W, hs, xs))).toEqual(wantV)
    expect(bits(vb(W, hs, xs))).toEqual(wantV)
    const vw = vmap(withWhile, { inAxes: [null, 0, null] })
    const wantVW = bits(vw(W, hs, xs))
    expect(bits(jit(vw)(W, hs, xs))).toEqual(wantVW)
    // second order: the derivative of a component of the gradient
    const g2 = grad((W: NdArray) => sum(mul(gradW(W, h0, xs), W)))
    const j2 = jit(g2)
    const want2 = bits(g2(W))
    expect(bits(j2(W))).toEqual(want2)
    expect(bits(j2(W))).toEqual(want2)
  })
})
