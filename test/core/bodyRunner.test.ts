/**
 * Scan bodies that jit would interpret run from a plan resolved once (src/core/bodyRunner.ts):
 * multiple-results primitives, constants, and outputs that are inputs or constants, against the
 * JavaScript loop bit for bit, eagerly and under jit.
 */
import { describe, expect, it } from 'vitest'
import { add, array, astype, jit, lax, mul, reshape, stack, type NdArray } from '../../src'
import { bodyRunner } from '../../src/core/bodyRunner'
import { programOf, traceClosed } from '../../src/core/subprogram'

const xs = reshape(array(Array.from({ length: 5 * 4 }, (_, i) => Math.sin(i * 1.7))), [5, 4])
const rowOf = (t: number): NdArray =>
  reshape(array(Array.from(xs.toTypedArray() as Float32Array).slice(t * 4, t * 4 + 4)), [4])

/** Carry: a [2] float array; per row: top-2 values and indices (a multiple-results primitive). */
const body = (h: NdArray, x: NdArray): [NdArray, [NdArray, NdArray, NdArray, NdArray]] => {
  const [vals, idx] = lax.topK(x, 2)
  const h2 = add(h, vals)
  return [h2, [vals, astype(idx, 'float32'), x, array(3)]]
}

describe('scan bodies run from a flat plan', () => {
  it('equal the JavaScript loop bit for bit, eagerly and under jit', () => {
    // the body is one jit would interpret (nothing scalar, nothing fused): the runner's case
    const program = programOf(
      traceClosed((ins) => body(ins[0] as NdArray, ins[1] as NdArray)[1], [array([0, 0]), rowOf(0)]).tape,
    )
    expect([program.scalar, program.fused]).toEqual([0, 0])
    let h = array([0.1, -0.2])
    const ys: NdArray[][] = [[], [], [], []]
    for (let t = 0; t < 5; t++) {
      const [h2, y] = body(h, rowOf(t))
      h = h2
      y.forEach((v, j) => ys[j]?.push(v))
    }
    const want = [h, ...ys.map((y) => stack(y))].map((a) => Array.from(a.toTypedArray() as ArrayLike<number>))
    const run = (h0: NdArray, xs: NdArray) => {
      const [hOut, yOut] = lax.scan(body, h0, xs)
      return [hOut, ...yOut]
    }
    for (const f of [run, jit(run)]) {
      const got = f(array([0.1, -0.2]), xs).map((a) => Array.from(a.toTypedArray() as ArrayLike<number>))
      expect(got).toEqual(want)
    }
  })

  it('a runner returns constant outputs and passes inputs through', () => {
    const closed = traceClosed((ins) => [ins[0] as NdArray, array(7), mul(ins[0] as NdArray, 2)], [array([1, 2])])
    const outs: NdArray[] = []
    bodyRunner(closed.tape).run([array([3, 4])], outs)
    expect(outs.map((o) => o.toArray())).toEqual([[3, 4], 7, [6, 8]])
  })
})
