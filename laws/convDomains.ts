/**
 * Law domains of the convolution family (src/core/primitives/conv.ts): small 1- and 2-D
 * convolutions over every parameter (strides, negative and positive padding, both dilations,
 * feature or batch groups) and windowed reductions whose every window holds a real element
 * (no −∞ from padding only) of distinct values (no ties for max/min).
 *
 * @category laws
 * @since 0.2.0
 */
import * as fc from 'fast-check'
import { windowArgmax } from '../src/ndarray/kernels/conv/reduceWindow'
import { windowOutSize } from '../src/ndarray/kernels/conv/window'
import type { ConvParams, ReduceWindowParams } from '../src/core/primitives/conv'
import type { NdArray } from '../src/ndarray/NdArray'
import { ndarray } from './arbitraries'
import type { Domain } from './domains'
import type { Instance } from './probe'

type Pair = readonly [number, number]

/** Per-axis geometry of a window over an axis of length `n`. */
interface AxisGeo {
  readonly n: number
  readonly k: number
  readonly stride: number
  readonly pad: Pair
  readonly baseDil: number
  readonly winDil: number
}

const axisGeo = (maxK: number): fc.Arbitrary<AxisGeo> =>
  fc
    .record({
      n: fc.integer({ min: 1, max: 4 }),
      k: fc.integer({ min: 1, max: maxK }),
      stride: fc.integer({ min: 1, max: 2 }),
      pad: fc.tuple(fc.integer({ min: -1, max: 2 }), fc.integer({ min: -1, max: 2 })),
      baseDil: fc.integer({ min: 1, max: 2 }),
      winDil: fc.integer({ min: 1, max: 2 }),
    })
    .filter((a) => outSize(a) >= 1)

const outSize = (a: AxisGeo): number => windowOutSize(a.n, a.k, a.stride, a.pad[0], a.pad[1], a.baseDil, a.winDil)

/** Convolutions: one of feature groups or batch groups (or neither), 1 or 2 spatial axes. */
const convInstances: fc.Arbitrary<Instance<ConvParams>> = fc
  .record({
    axes: fc.integer({ min: 1, max: 2 }).chain((r) => fc.array(axisGeo(3), { minLength: r, maxLength: r })),
    groups: fc.constantFrom<Pair>([1, 1], [2, 1], [1, 2], [1, 1]),
    n: fc.integer({ min: 1, max: 2 }),
    i: fc.integer({ min: 1, max: 2 }),
    oPer: fc.integer({ min: 1, max: 2 }),
  })
  .chain(({ axes, groups: [g, b], n, i, oPer }) => {
    const params: ConvParams = {
      windowStrides: axes.map((a) => a.stride),
      padding: axes.map((a) => a.pad),
      lhsDilation: axes.map((a) => a.baseDil),
      rhsDilation: axes.map((a) => a.winDil),
      featureGroupCount: g,
      batchGroupCount: b,
    }
    return fc
      .tuple(
        ndarray({ shape: [n * b, i * g, ...axes.map((a) => a.n)] }),
        ndarray({ shape: [oPer * g * b, i, ...axes.map((a) => a.k)] }),
      )
      .map(([lhs, rhs]) => ({ inputs: [lhs, rhs], params }))
  })

/** Window params over a rank-1..3 operand (at most two axes windowed), with its shape. */
const windowInstances = (
  inputs: (shape: number[], outShape: number[]) => fc.Arbitrary<NdArray[]>,
  chooser: boolean,
): fc.Arbitrary<Instance<ReduceWindowParams>> =>
  fc
    .integer({ min: 1, max: 3 })
    .chain((r) => fc.array(axisGeo(3), { minLength: r, maxLength: r }))
    .chain((axes) => {
      const params: ReduceWindowParams = {
        windowDimensions: axes.map((a) => a.k),
        strides: axes.map((a) => a.stride),
        padding: axes.map((a) => a.pad),
        baseDilation: axes.map((a) => a.baseDil),
        windowDilation: axes.map((a) => a.winDil),
      }
      return inputs(
        axes.map((a) => a.n),
        axes.map(outSize),
      ).map((xs) => ({ inputs: xs, params }))
    })
    // max/min: every window selects a real element (a window of padding only is −∞, no derivative)
    .filter(
      (inst) =>
        !chooser ||
        (windowArgmax(inst.inputs[inst.inputs.length - 1] as NdArray, inst.params).toTypedArray() as Int32Array).every(
          (j) => j >= 0,
        ),
    )

const distinct = (shape: number[]): fc.Arbitrary<NdArray> => ndarray({ shape, distinct: true, min: -3, max: 3 })

/** The domains of the conv family, spread into `domains`. @category laws @since 0.2.0 */
export const convDomains: {
  readonly conv_general_dilated: Domain<'conv_general_dilated'>
  readonly reduce_window_sum: Domain<'reduce_window_sum'>
  readonly reduce_window_max: Domain<'reduce_window_max'>
  readonly reduce_window_min: Domain<'reduce_window_min'>
  readonly select_and_scatter_add: Domain<'select_and_scatter_add'>
  readonly select_and_gather_add: Domain<'select_and_gather_add'>
} = {
  conv_general_dilated: { instances: convInstances },
  reduce_window_sum: { instances: windowInstances((s) => ndarray({ shape: s }).map((x) => [x]), false) },
  reduce_window_max: { instances: windowInstances((s) => distinct(s).map((x) => [x]), true) },
  reduce_window_min: { instances: windowInstances((s) => distinct(s).map((x) => [x]), true) },
  select_and_scatter_add: {
    instances: windowInstances((s, o) => fc.tuple(ndarray({ shape: o }), distinct(s)), true),
  },
  select_and_gather_add: {
    instances: windowInstances((s) => fc.tuple(ndarray({ shape: s }), distinct(s)), true),
  },
}
