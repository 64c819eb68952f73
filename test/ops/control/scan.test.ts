/**
 * lax.scan against the equivalent JavaScript loop, bit for bit, eagerly and under jit, grad,
 * jvp and vmap; its derivatives against float64 finite differences; its errors.
 */
import { describe, expect, it } from 'vitest'
import {
  add,
  array,
  checkGrads,
  grad,
  jit,
  jvp,
  lax,
  matmul,
  mul,
  sin,
  stack,
  sum,
  tanh,
  vmap,
  reshape,
  astype,
  zeros,
  ones,
  DTypeError,
  ShapeError,
  TreeMismatchError,
  type NdArray,
} from 'wengert'

/** A small RNN cell: h' = tanh(h W + x U + b), y = sin(h'). */
const cell =
  (p: { W: NdArray; U: NdArray; b: NdArray }) =>
  (h: NdArray, x: NdArray): [NdArray, NdArray] => {
    const h2 = tanh(add(add(matmul(h, p.W), matmul(x, p.U)), p.b))
    return [h2, sin(h2)]
  }

/** Deterministic pseudo-random float32 data of a shape. */
const data = (seed: number, shape: number[]): NdArray => {
  const n = shape.reduce((a, b) => a * b, 1)
  return reshape(array(Array.from({ length: n }, (_, i) => Math.sin(seed * 7.3 + i * 1.7))), shape)
}
const params = { W: data(1, [4, 4]), U: data(2, [3, 4]), b: data(3, [4]) }
const h0 = data(4, [4])
const xs = data(5, [7, 3])

/** The same loop in JavaScript. */
const jsLoop = (p: typeof params, h: NdArray, xs: NdArray, reverse = false): [NdArray, NdArray] => {
  const n = xs.shape[0] as number
  const ys: NdArray[] = new Array<NdArray>(n)
  for (let s = 0; s < n; s++) {
    const t = reverse ? n - 1 - s : s
    const [h2, y] = cell(p)(h, rowOf(xs, t))
    h = h2
    ys[t] = y
  }
  return [h, stack(ys)]
}
const rowOf = (xs: NdArray, t: number): NdArray =>
  array((xs.toArray() as number[][])[t] as number[], { dtype: xs.dtype })

const bits = (x: NdArray): number[] => Array.from(x.toArray() as number[]).flat(3) as number[]
const sameBits = (a: NdArray, b: NdArray): void => {
  expect(a.shape).toEqual(b.shape)
  expect(a.dtype).toBe(b.dtype)
  expect(bits(a)).toEqual(bits(b))
}

describe('lax.scan', () => {
  it('equals the JavaScript loop bit for bit, eagerly and under jit, forward and reverse', () => {
    for (const reverse of [false, true]) {
      const [h, ys] = lax.scan(cell(params), h0, xs, { reverse })
      const [hr, ysr] = jsLoop(params, h0, xs, reverse)
      sameBits(h, hr)
      sameBits(ys, ysr)
      const f = jit((p: typeof params, h: NdArray, xs: NdArray) => lax.scan(cell(p), h, xs, { reverse }))
      f(params, h0, xs)
      const [hj, ysj] = f(params, h0, xs)
      sameBits(hj, hr)
      sameBits(ysj, ysr)
    }
  })

  it('grad equals grad of the JavaScript loop bit for bit (eager and jit)', () => {
    const loss = (p: typeof params) => sum(lax.scan(cell(p), h0, xs)[1])
    const lossJs = (p: typeof params) => sum(jsLoop(p, h0, xs)[1])
    const g = grad(loss)(params)
    const gr = grad(lossJs)(params)
    sameBits(g.W, gr.W)
    sameBits(g.U, gr.U)
    sameBits(g.b, gr.b)
    const gj = jit(grad(loss))
    gj(params)
    sameBits(gj(params).W, gr.W)
  })

  it('jvp equals jvp of the JavaScript loop bit for bit, and vmap equals the stacked loops', () => {
    const f = (h: NdArray) => lax.scan(cell(params), h, xs)[1]
    const fJs = (h: NdArray) => jsLoop(params, h, xs)[1]
    const t = data(9, [4])
    const [y, yDot] = jvp(f, [h0], [t])
    const [yr, yDotR] = jvp(fJs, [h0], [t])
    sameBits(y, yr)
    sameBits(yDot, yDotR)
    const hs = data(6, [3, 4])
    const batched = vmap((h: NdArray) => lax.scan(cell(params), h, xs))(hs)
    for (let b = 0; b < 3; b++) {
      const [hr, ysr] = jsLoop(params, rowOf(hs, b), xs)
      sameBits(rowOf(batched[0], b), hr)
      sameBits(array((batched[1].toArray() as number[][][])[b] as number[][]), ysr)
    }
    // batched xs, shared carry
    const xsb = data(7, [2, 7, 3])
    const byX = vmap((x: NdArray) => lax.scan(cell(params), h0, x)[0])(xsb)
    for (let b = 0; b < 2; b++)
      sameBits(rowOf(byX, b), jsLoop(params, h0, reshape(rowOf(reshape(xsb, [2, 21]), b), [7, 3]))[0])
  })

  it('grad and jvp in float64 match finite differences (carry, consts, xs; nested grad)', () => {
    const p64 = { W: astype(params.W, 'float64'), U: astype(params.U, 'float64'), b: astype(params.b, 'float64') }
    const f = (p: typeof p64, h: NdArray, x: NdArray) => sum(mul(lax.scan(cell(p), h, x)[1], 0.5))
    checkGrads(f, [p64, astype(h0, 'float64'), astype(xs, 'float64')], { modes: ['fwd', 'rev'], order: 2 })
  })

  it('compiles under jit to one loop: the program does not grow with the length', () => {
    const step = (c: NdArray, x: NdArray): [NdArray, NdArray] => [tanh(add(mul(c, 0.9), x)), c]
    const lowered = (n: number) =>
      jit((c: NdArray, x: NdArray) => lax.scan(step, c, x)).lower(array([0.1, 0.2]), zeros([n, 2]))
    const t10 = lowered(10)
    const t10k = lowered(10000)
    expect(t10.tape.equations.length).toBe(1)
    expect(t10k.asText().replace(/10000/g, '10')).toBe(t10.asText())
    const g = (n: number) => jit(grad((c: NdArray) => sum(lax.scan(step, c, ones([n, 2]))[0]))).lower(array([0.1, 0.2]))
    expect(g(10000).asText().replace(/10000/g, '10')).toBe(g(10).asText())
  })

  it('takes pytrees, null xs with length, and reverse', () => {
    const [c, ys] = lax.scan(
      (c: { a: NdArray; n: NdArray }, _x: null) => [{ a: mul(c.a, 2), n: add(c.n, 1) }, { twice: c.a }],
      { a: array(1), n: array(0, { dtype: 'int32' }) },
      null,
      { length: 4 },
    )
    expect(c.a.item()).toBe(16)
    expect(c.n.item()).toBe(4)
    expect(ys.twice.toArray()).toEqual([1, 2, 4, 8])
    const [, rev] = lax.scan((c: NdArray, x: NdArray) => [add(c, x), c], array(0), array([1, 2, 3]), { reverse: true })
    expect(rev.toArray()).toEqual([5, 3, 0])
    expect(lax.map((x: NdArray) => mul(x, 3), array([1, 2])).toArray()).toEqual([3, 6])
  })

  it('raises JAX-worded typed errors for bad bodies and inputs', () => {
    expect(() => lax.scan((c: NdArray, x: NdArray) => [astype(c, 'float64'), x], array(0), array([1, 2]))).toThrow(
      DTypeError,
    )
    expect(() => lax.scan((c: NdArray, x: NdArray) => [astype(c, 'float64'), x], array(0), array([1, 2]))).toThrow(
      /carry input and carry output must have equal types.*float32\[\].*float64\[\]/,
    )
    expect(() => lax.scan((c: NdArray, x: NdArray) => [[c, c], x] as never, array(0), array([1, 2]))).toThrow(
      TreeMismatchError,
    )
    expect(() => lax.scan((c: NdArray, x: NdArray) => [add(c, zeros([2])), x], array(0), array([1, 2]))).toThrow(
      ShapeError,
    )
    expect(() => lax.scan((c: NdArray) => [c, c], array(0), [zeros([2]), zeros([3])])).toThrow(
      /different leading axis sizes: 2, 3/,
    )
    expect(() => lax.scan((c: NdArray) => [c, c], array(0), null)).toThrow(/`length` not provided/)
    expect(() => lax.scan((c: NdArray) => [c, c], array(0), zeros([2]), { length: 3 })).toThrow(/disagrees/)
    expect(() => lax.scan((c: NdArray) => [c, c], array(0), null, { length: 2, unrol: 1 } as never)).toThrow(/unroll/)
  })
})
