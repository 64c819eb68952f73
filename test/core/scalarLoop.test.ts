/**
 * Scans with scalar bodies run as one compiled loop (src/core/scalarLoop.ts): the same bits as
 * the JavaScript loop eagerly, under jit, grad and jit(grad), in float32 and float64, forward and
 * reverse; which bodies take that path.
 */
import { describe, expect, it } from 'vitest'
import { add, array, exp, grad, jit, lax, mul, sin, stack, sub, type NdArray } from '../../src'
import { scalarLoopOf } from '../../src/core/scalarLoop'
import { traceClosed } from '../../src/core/subprogram'

/** The W3 chain step x ← 0.99·x + exp(−0.5·x). */
const step = (y: NdArray): NdArray => add(mul(y, 0.99), exp(mul(y, -0.5)))
const jsChain = (x: NdArray, n: number): NdArray => {
  for (let i = 0; i < n; i++) x = step(x)
  return x
}
const foriChain = (n: number) => (x: NdArray) => lax.foriLoop(0, n, (_i: NdArray, y: NdArray) => step(y), x)
const bits = (x: NdArray): number[] => Array.from(x.toTypedArray() as ArrayLike<number>)

describe('scalar scan bodies run as one compiled loop', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(`a ${dtype} foriLoop chain equals the JavaScript loop bit for bit (eager, jit, grad, jit(grad))`, () => {
      const x = array(0.3, { dtype })
      const js = jsChain(x, 300)
      const jsGrad = grad((x: NdArray) => jsChain(x, 300))(x)
      expect(bits(foriChain(300)(x))).toEqual(bits(js))
      expect(bits(jit(foriChain(300))(x))).toEqual(bits(js))
      expect(bits(grad(foriChain(300))(x))).toEqual(bits(jsGrad))
      const g = jit(grad(foriChain(300)))
      expect(bits(g(x))).toEqual(bits(jsGrad))
      expect(bits(g(x))).toEqual(bits(jsGrad))
    })
  }

  it('stacks outputs and consumes rows in order, forward and reverse, with a closed-over constant', () => {
    const c = array(1.7)
    const xs = array([0.5, -1.25, 2, 0.125, 3.5])
    const body = (h: NdArray, x: NdArray): [NdArray, NdArray] => {
      const h2 = sub(mul(h, c), sin(x))
      return [h2, mul(h2, x)]
    }
    for (const reverse of [false, true]) {
      let h = array(0.25)
      const ys: NdArray[] = []
      for (let s = 0; s < 5; s++) {
        const t = reverse ? 4 - s : s
        const [h2, y] = body(h, array(bits(xs)[t] as number))
        h = h2
        ys[t] = y
      }
      const [hOut, yOut] = lax.scan(body, array(0.25), xs, { reverse })
      expect(bits(hOut)).toEqual(bits(h))
      expect(bits(yOut)).toEqual(bits(stack(ys)))
      const [hJit, yJit] = jit((h: NdArray, xs: NdArray) => lax.scan(body, h, xs, { reverse }))(array(0.25), xs)
      expect(bits(hJit)).toEqual(bits(h))
      expect(bits(yJit)).toEqual(bits(stack(ys)))
    }
  })

  it('takes the compiled path only for scalar bodies', () => {
    const scalarBody = traceClosed((xs) => [step(xs[0] as NdArray)], [array(0.5)])
    expect(scalarLoopOf(scalarBody.tape, 0, 1)).not.toBeNull()
    const arrayBody = traceClosed((xs) => [step(xs[0] as NdArray)], [array([0.5, 1])])
    expect(scalarLoopOf(arrayBody.tape, 0, 1)).toBeNull()
    const intMul = traceClosed((xs) => [mul(xs[0] as NdArray, 3)], [array(2, { dtype: 'int32' })])
    expect(scalarLoopOf(intMul.tape, 0, 1)).toBeNull()
    // an int32 counter beside the float carry (foriLoop's) is scalar code: add wraps like int32
    const counter = traceClosed((xs) => [add(xs[0] as NdArray, 1)], [array(2 ** 31 - 1, { dtype: 'int32' })])
    const loop = scalarLoopOf(counter.tape, 0, 1)
    expect(loop).not.toBeNull()
    expect(loop?.([array(2 ** 31 - 1, { dtype: 'int32' })], 2, false)[0]?.item()).toBe(-(2 ** 31) + 1)
  })
})
