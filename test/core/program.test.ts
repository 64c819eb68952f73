/**
 * Compiled programs (jit's back end): scalar code and fused loops give the eager bits, and the
 * compiler really fuses (counts of scalar and fused equations).
 */
import * as fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { add, array, div, exp, grad, log, maximum, mul, neg, sin, sub, sum, tanh, type NdArray } from '../../src'
import { liveEquations } from '../../src/core/equation'
import { compileProgram, type Program } from '../../src/core/program'
import { StagingLevel, StagingTracer } from '../../src/core/staging'
import { withLevel } from '../../src/core/trace'
import type { DType } from '../../src/ndarray/dtype'

/** Stages `f` on `xs` and compiles it, as jit does. */
const compile = (f: (...xs: NdArray[]) => NdArray, xs: ReadonlyArray<NdArray>): Program => {
  const level = new StagingLevel()
  return withLevel(level, () => {
    const out = f(...xs.map((x) => level.input(x)))
    if (!(out instanceof StagingTracer)) throw new Error('constant output')
    const equations = liveEquations(level.equations, level.nVars, [out.variable.id])
    return compileProgram({ inputs: level.inputs, equations, outputs: [out.variable] })
  })
}

const bits = (x: NdArray): number[] => Array.from(x.toTypedArray() as ArrayLike<number>)

describe('fused loops', () => {
  it('an element-wise chain and its gradient run as fused loops, with the eager bits', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const x = array(
        Array.from({ length: 2000 }, (_, i) => Math.sin(i) * 3),
        { dtype },
      )
      const f = grad((t: NdArray) => sum(mul(tanh(t), t)))
      const p = compile(f, [x])
      expect(p.fused).toBeGreaterThanOrEqual(3) // the backward chain: mul, mul, tanh_backward, add
      expect(bits(p.run([x])[0] as NdArray)).toEqual(bits(f(x)))
    }
  })

  it('random chains of element-wise ops over arrays, scalars and constants (float32, float64)', () => {
    const ops: ReadonlyArray<(a: NdArray, b: NdArray) => NdArray> = [
      add,
      sub,
      mul,
      (a, b) => div(a, add(mul(b, b), 1)),
      (a, b) => maximum(a, b),
      (a) => neg(a),
      (a) => sin(a),
      (a) => log(add(mul(a, a), 1)),
      (a) => exp(mul(a, -0.25)),
    ]
    fc.assert(
      fc.property(
        fc.constantFrom<DType>('float32', 'float64'),
        fc.array(fc.tuple(fc.nat(ops.length - 1), fc.nat(7), fc.nat(7)), { minLength: 2, maxLength: 12 }),
        fc.integer({ min: 2, max: 40 }),
        (dtype, program, n) => {
          const xs = [
            array(
              Array.from({ length: n }, (_, i) => Math.cos(i + 1)),
              { dtype },
            ),
            array(0.75, { dtype }),
          ]
          const k = array(
            Array.from({ length: n }, (_, i) => (i % 3) - 1),
            { dtype },
          ) // a full-size constant
          const f = (a: NdArray, s: NdArray): NdArray => {
            const vals = [a, s, k, mul(a, s)]
            for (const [op, i, j] of program)
              vals.push(
                (ops[op] as (a: NdArray, b: NdArray) => NdArray)(
                  vals[i % vals.length] as NdArray,
                  vals[j % vals.length] as NdArray,
                ),
              )
            // several values used after the chain, so runs store some results and keep others local
            return add(add(vals[vals.length - 1] as NdArray, vals[Math.floor(vals.length / 2)] as NdArray), a)
          }
          const p = compile(f, xs)
          const want = f(xs[0] as NdArray, xs[1] as NdArray)
          const got = p.run(xs)[0] as NdArray
          expect(got.shape).toEqual(want.shape)
          expect(bits(got)).toEqual(bits(want))
        },
      ),
      { numRuns: 300 },
    )
  })
})
