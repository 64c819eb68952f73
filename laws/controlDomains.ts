/**
 * Law domains of the control-flow primitives (`scan`, …): each instance is a small body program
 * built from registered primitives (an RNN-like cell with `matmul`, `tanh`, `add`; an
 * element-wise update with `sin`, `mul`; a body that closes over a constant), a length (0 to 3)
 * and a direction, so every law runs the body's rules through the control-flow primitive's own
 * rules (JVP of the body, forward/backward split, batched body).
 *
 * @category laws
 * @since 0.2.0
 */
import * as fc from 'fast-check'
import { add, addScalar, exp, lt, matmul, mul, mulScalar, reduceSum, scalar, sin, tanh } from '../src/core/lax'
import { rowExample, traceClosed } from '../src/core/subprogram'
import type { NdArray } from '../src/ndarray/NdArray'
import type { Shape } from '../src/ndarray/shape'
import type { Equation } from '../src/core/equation'
import { ndarray } from './arbitraries'
import type { MultiDomain } from './decompositionDomains'

/** A body: its consts' and carry's shapes, the shape of one row of xs, and the step itself. */
interface Body {
  readonly consts: ReadonlyArray<Shape>
  readonly carry: ReadonlyArray<Shape>
  readonly row: ReadonlyArray<Shape>
  readonly step: (c: NdArray[], k: NdArray[], x: NdArray[]) => NdArray[]
}

const BODIES: ReadonlyArray<Body> = [
  // h' = tanh(h W + x), y = sin(h')
  {
    consts: [[2, 2]],
    carry: [[1, 2]],
    row: [[1, 2]],
    step: ([w], [h], [x]) => {
      const h2 = tanh(add(matmul(h as NdArray, w as NdArray), x as NdArray))
      return [h2, sin(h2)]
    },
  },
  // two carries, no consts: (a, b)' = (a·sin b, b + x), y = exp(a)·Σ x
  {
    consts: [],
    carry: [[3], []],
    row: [[3]],
    step: (_c, [a, b], [x]) => [
      mul(a as NdArray, sin(b as NdArray)),
      add(b as NdArray, reduceSum(x as NdArray, [0])),
      mul(exp(mulScalar(a as NdArray, 0.5)), x as NdArray),
    ],
  },
  // no xs: k' = sin(k)·c
  { consts: [[2]], carry: [[2]], row: [], step: ([c], [k]) => [mul(sin(k as NdArray), c as NdArray)] },
]

const arrays = (shapes: ReadonlyArray<Shape>): fc.Arbitrary<NdArray[]> =>
  fc.tuple(...shapes.map((s) => ndarray({ shape: s, min: -1, max: 1 })))

/** Domains of the control-flow primitives. @category laws @since 0.2.0 */
export const controlDomains: {
  readonly scan: MultiDomain<'scan'>
  readonly while: MultiDomain<'while'>
  readonly cond: MultiDomain<'cond'>
  readonly remat: MultiDomain<'remat'>
} = {
  scan: {
    instances: fc
      .record({ body: fc.constantFrom(...BODIES), length: fc.integer({ min: 0, max: 3 }), reverse: fc.boolean() })
      .chain(({ body, length, reverse }) =>
        fc
          .tuple(arrays(body.consts), arrays(body.carry), arrays(body.row.map((s) => [length, ...s])))
          .map(([c, k, xs]) => {
            const nC = c.length
            const nK = k.length
            const closed = traceClosed(
              (ins) => body.step(ins.slice(0, nC), ins.slice(nC, nC + nK), ins.slice(nC + nK)),
              [...c, ...k, ...xs.map(rowExample)],
            )
            return {
              inputs: [...c, ...k, ...xs],
              params: { body: closed.tape, numConsts: nC, numCarry: nK, length, reverse, unroll: 1 },
            }
          }),
      ),
  },
  // forward mode only (reverse mode raises, as in JAX): k ← sin(k)·c + x for a fixed count of steps
  while: {
    instances: fc
      .record({
        steps: fc.integer({ min: 0, max: 3 }),
        k: ndarray({ shape: [2], min: -1, max: 1 }),
        c: ndarray({ shape: [2], min: -1, max: 1 }),
      })
      .map(({ steps, k, c }) => {
        const n = scalar(0, 'int32')
        const cond = traceClosed(([i]) => [lt(i as NdArray, scalar(steps, 'int32'))], [n, k])
        const body = traceClosed(
          ([cc, i, x]) => [addScalar(i as NdArray, 1), mul(sin(x as NdArray), cc as NdArray)],
          [c, n, k],
        )
        return {
          inputs: [c, n, k],
          params: { cond: cond.tape, body: body.tape, condConsts: 0, bodyConsts: 1 },
        }
      }),
    forwardOnly: 'reverse-mode differentiation of a while loop raises, as in JAX',
  },
  cond: {
    instances: fc
      .record({
        index: fc.integer({ min: -1, max: 3 }),
        x: ndarray({ shape: [2], min: -1, max: 1 }),
        y: ndarray({ shape: [2], min: 0.5, max: 1 }),
      })
      .map(({ index, x, y }) => {
        const branches = [
          traceClosed(([a, b]) => [mul(sin(a as NdArray), b as NdArray), a as NdArray], [x, y]).tape,
          traceClosed(([a, b]) => [exp(a as NdArray), mul(a as NdArray, b as NdArray)], [x, y]).tape,
          traceClosed(([a]) => [tanh(a as NdArray), mulScalar(a as NdArray, 3)], [x, y]).tape,
        ]
        return { inputs: [scalar(index, 'int32'), x, y], params: { branches } }
      }),
  },
  // y = sin(x W)·tanh(x W)ᵀ-ish: one matmul whose output the dots policy saves
  remat: {
    instances: fc
      .record({
        policy: fc.constantFrom('nothing_saveable', 'dots_saveable', 'everything_saveable'),
        x: ndarray({ shape: [1, 2], min: -1, max: 1 }),
        w: ndarray({ shape: [2, 2], min: -1, max: 1 }),
      })
      .map(({ policy, x, w }) => {
        const body = traceClosed(
          ([a, b]) => {
            const h = matmul(a as NdArray, b as NdArray)
            return [sin(h), mul(tanh(h), exp(a as NdArray))]
          },
          [x, w],
        ).tape
        const save =
          policy === 'nothing_saveable'
            ? () => false
            : policy === 'dots_saveable'
              ? (eq: Equation) => eq.primitive.name === 'matmul'
              : () => true
        return { inputs: [x, w], params: { body, policyName: policy, policy: save } }
      }),
  },
}
