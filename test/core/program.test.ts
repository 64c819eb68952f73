/**
 * Compiled programs (jit's back end): scalar code and fused loops give the eager bits, and the
 * compiler really fuses (counts of scalar and fused equations).
 */
import * as fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  add,
  array,
  div,
  exp,
  grad,
  log,
  matmul,
  maximum,
  mul,
  neg,
  sigmoid,
  sin,
  sub,
  sum,
  tanh,
  type NdArray,
} from '../../src'
import { liveEquations } from '../../src/core/equation'
import { compileProgram, type Program } from '../../src/core/program'
import { compiledKernels } from '../../src/core/programSteps'
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

describe('steps (issue 18: jit slower than eager on an unrolled LSTM step)', () => {
  /** One cell of a small recurrent network: products (calls), element-wise runs (fused), gates. */
  const cell = (h: NdArray, x: NdArray, w: NdArray, u: NdArray): NdArray => {
    const z = add(matmul(h, w), matmul(x, u))
    const f = sigmoid(z)
    return add(mul(f, h), mul(sub(1, f), sin(mul(z, 0.5))))
  }

  it('an unrolled loop and its gradient give the eager bits, and its steps share their fused kernels', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      // Arrange
      const seq = (n: number, c: number, scale: number): NdArray =>
        array(
          Array.from({ length: n * c }, (_, i) => Math.sin(i * 0.37 + scale) * scale),
          { dtype, shape: [n, c] },
        )
      const [h0, w, u] = [seq(4, 8, 0.5), seq(8, 8, 0.3), seq(3, 8, 0.4)]
      const xs = Array.from({ length: 20 }, (_, t) => seq(4, 3, 0.1 * (t + 1)))
      const loss = (w: NdArray, u: NdArray): NdArray =>
        sum(
          mul(
            xs.reduce((h, x) => cell(h, x, w, u), h0),
            1.5,
          ),
        )
      const g = grad(loss, { argnums: [0, 1] })
      const step = (w: NdArray, u: NdArray): NdArray => {
        const [gw, gu] = g(w, u)
        return add(sum(mul(gw, gw)), sum(gu))
      }
      const before = compiledKernels()
      // Act
      const p = compile(step, [w, u])
      const got = p.run([w, u])[0] as NdArray
      const again = p.run([w, u])[0] as NdArray
      // Assert
      expect(p.fused).toBeGreaterThanOrEqual(20 * 4) // several runs per step, forward and backward
      expect(compiledKernels() - before).toBeLessThanOrEqual(12) // not one per run: ~160 runs, a few sources
      expect(bits(got)).toEqual(bits(step(w, u)))
      expect(bits(again)).toEqual(bits(got))
    }
  })

  it('numbers cross between scalar code, calls and fused loops (registers), with the eager bits', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      // Arrange
      const x = array(
        Array.from({ length: 50 }, (_, i) => Math.cos(i) * 2),
        { dtype },
      )
      const s = array(0.3, { dtype })
      const f = (x: NdArray, s: NdArray): NdArray => {
        const t = sum(x) // a call with one element, read by scalar code
        const v = add(mul(s, exp(mul(t, 0.01))), 1) // scalar code, read by a fused loop as a number
        const y = mul(x, v)
        return add(sum(add(sin(y), mul(y, y))), mul(v, s))
      }
      // Act
      const p = compile(f, [x, s])
      // Assert
      expect(p.scalar).toBeGreaterThanOrEqual(3)
      expect(p.fused).toBeGreaterThanOrEqual(2)
      expect(bits(p.run([x, s])[0] as NdArray)).toEqual(bits(f(x, s)))
      expect(bits(p.run([x, s])[0] as NdArray)).toEqual(bits(f(x, s)))
    }
  })
})
