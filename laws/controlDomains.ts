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
import { add, matmul, mul, sin, tanh, reduceSum, exp, mulScalar } from '../src/core/lax'
import { rowExample, traceClosed } from '../src/core/subprogram'
import type { NdArray } from '../src/ndarray/NdArray'
import type { Shape } from '../src/ndarray/shape'
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
export const controlDomains: { readonly scan: MultiDomain<'scan'> } = {
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
}
