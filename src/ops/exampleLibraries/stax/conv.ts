/**
 * The convolution and pooling layers of `jax.example_libraries.stax`: GeneralConv / Conv,
 * GeneralConvTranspose / Conv1DTranspose / ConvTranspose, MaxPool / SumPool / AvgPool, with
 * JAX's output-shape rules (sizes of −1 stay −1) and initializers.
 *
 * @category exampleLibraries
 * @since 0.2.0
 */
import { ones } from '../../../ndarray/create'
import type { NdArray } from '../../../ndarray/NdArray'
import { add, div } from '../../elementwise'
import {
  convGeneralDilated,
  convTranspose,
  padtypeToPads,
  permutations,
  transposePadding,
  type Padding,
} from '../../conv'
import { reduceWindow, type WindowComputation } from '../../window'
import { reshape } from '../../layout'
import { normal, type Initializer } from '../../nn/initializers'
import { glorotNormal } from '../../nn/varianceScaling'
import * as random from '../../random/index'
import { oneShape, paramList, single } from './common'
import type { Layer } from './types'

/** Layouts of lhs, kernel and output (`['NHWC', 'HWIO', 'NHWC']`). @category exampleLibraries @since 0.2.0 */
export type ConvSpecs = readonly [lhsSpec: string, rhsSpec: string, outSpec: string]

/** Options of the convolution layers (JAX's keywords). @category exampleLibraries @since 0.2.0 */
export interface ConvLayerOptions {
  /** @defaultValue all 1 */
  readonly strides?: ReadonlyArray<number> | null
  /** @defaultValue 'VALID' */
  readonly padding?: Padding
  /** @defaultValue glorot normal over the kernel's I and O axes */
  readonly WInit?: Initializer | null
  /** @defaultValue normal(1e-6) */
  readonly bInit?: Initializer
}

const take = (xs: ReadonlyArray<number>, idx: ReadonlyArray<number>): number[] => idx.map((i) => xs[i] as number)
const argsort = (p: ReadonlyArray<number>): number[] =>
  p.map((_, i) => i).sort((a, b) => (p[a] as number) - (p[b] as number))

type SpatialRule = (lhs: number[], rhs: number[], strides: ReadonlyArray<number>, padding: Padding) => number[]

/** Output spatial sizes of a convolution (JAX: `conv_shape_tuple`). */
const convSpatial: SpatialRule = (lhs, rhs, strides, padding) => {
  const pads = padtypeToPads('stax.GeneralConv', lhs.slice(2), rhs.slice(2), strides, padding)
  return lhs.slice(2).map((n, k) => {
    const [lo, hi] = pads[k] as [number, number]
    return Math.max(0, Math.floor((n + lo + hi - (rhs[k + 2] as number)) / (strides[k] as number)) + 1)
  })
}

/** Output spatial sizes of a transposed convolution (JAX: `conv_transpose_shape_tuple`). */
const transposeSpatial: SpatialRule = (lhs, rhs, strides, padding) =>
  lhs.slice(2).map((n, k) => {
    const kk = rhs[k + 2] as number
    const s = strides[k] as number
    const [lo, hi] =
      typeof padding === 'string'
        ? transposePadding(kk, s, padding as 'SAME' | 'VALID')
        : (padding[k] as readonly [number, number])
    return (n - 1) * s - kk + 2 + lo + hi
  })

/** The shared body of GeneralConv and GeneralConvTranspose. */
const convLayer = (
  name: string,
  specs: ConvSpecs,
  outChan: number,
  filterShape: ReadonlyArray<number>,
  o: ConvLayerOptions,
  spatial: SpatialRule,
  apply: (x: NdArray, w: NdArray, strides: ReadonlyArray<number>, padding: Padding) => NdArray,
): Layer => {
  const [lhsSpec, rhsSpec, outSpec] = specs
  const strides = o.strides ?? filterShape.map(() => 1)
  const padding = o.padding ?? 'VALID'
  const WInit = o.WInit ?? glorotNormal({ inAxis: rhsSpec.indexOf('I'), outAxis: rhsSpec.indexOf('O') })
  const bInit = o.bInit ?? normal(1e-6)
  const [lp, rp, op] = permutations(`stax.${name}`, specs, lhsSpec.length)
  return [
    (rng, inputShape) => {
      const s = oneShape(name, inputShape)
      let f = 0
      const kernel = [...rhsSpec].map((c) =>
        c === 'O' ? outChan : c === 'I' ? (s[lhsSpec.indexOf('C')] as number) : (filterShape[f++] as number),
      )
      const lt = take(s, lp)
      const rt = take(kernel, rp)
      const outT = [lt[0] as number, rt[0] as number, ...spatial(lt, rt, strides, padding)]
      const [k1, k2] = random.split(rng)
      const W = WInit(k1, kernel)
      const b = bInit(
        k2,
        [...outSpec].map((c) => (c === 'C' ? outChan : 1)),
      )
      return [take(outT, argsort(op)), [W, b]]
    },
    (params, inputs) => {
      const [W, b] = paramList(name, params, 2) as [NdArray, NdArray]
      return add(apply(single(name, inputs), W, strides, padding), b)
    },
  ]
}

/**
 * A convolution layer with the layouts `specs` (JAX: `stax.GeneralConv(dimension_numbers,
 * out_chan, filter_shape, strides=None, padding='VALID', W_init=None, b_init=normal(1e-6))`).
 * @example
 * import { exampleLibraries, random, ones } from 'wengert'
 * const [init, apply] = exampleLibraries.stax.GeneralConv(['NCHW', 'OIHW', 'NCHW'], 4, [3, 3])
 * const [shape, params] = init(random.key(0), [-1, 2, 8, 8])
 * assert.deepStrictEqual(shape, [-1, 4, 6, 6])
 * assert.deepStrictEqual(apply(params, ones([1, 2, 8, 8])).shape, [1, 4, 6, 6])
 * @category exampleLibraries
 * @since 0.2.0
 */
export const GeneralConv = (
  specs: ConvSpecs,
  outChan: number,
  filterShape: ReadonlyArray<number>,
  options: ConvLayerOptions = {},
): Layer =>
  convLayer('GeneralConv', specs, outChan, filterShape, options, convSpatial, (x, w, strides, padding) =>
    convGeneralDilated(x, w, strides, padding, { dimensionNumbers: specs }),
  )

/**
 * A 2-D convolution layer, channels last (JAX: `stax.Conv` = GeneralConv(('NHWC', 'HWIO', 'NHWC'), …)).
 * @example
 * import { exampleLibraries, random } from 'wengert'
 * const [init] = exampleLibraries.stax.Conv(8, [3, 3], { strides: [2, 2], padding: 'SAME' })
 * assert.deepStrictEqual(init(random.key(0), [-1, 28, 28, 1])[0], [-1, 14, 14, 8])
 * @category exampleLibraries
 * @since 0.2.0
 */
export const Conv = (outChan: number, filterShape: ReadonlyArray<number>, options: ConvLayerOptions = {}): Layer =>
  GeneralConv(['NHWC', 'HWIO', 'NHWC'], outChan, filterShape, options)

/**
 * A transposed-convolution layer with the layouts `specs` (JAX: `stax.GeneralConvTranspose(…)`,
 * same arguments as GeneralConv; padding 'SAME', 'VALID' or pairs).
 * @example
 * import { exampleLibraries, random, ones } from 'wengert'
 * const [init, apply] = exampleLibraries.stax.ConvTranspose(3, [2, 2], { strides: [2, 2] })
 * const [shape, params] = init(random.key(0), [1, 4, 4, 5])
 * assert.deepStrictEqual(shape, [1, 8, 8, 3])
 * assert.deepStrictEqual(apply(params, ones([1, 4, 4, 5])).shape, [1, 8, 8, 3])
 * @category exampleLibraries
 * @since 0.2.0
 */
export const GeneralConvTranspose = (
  specs: ConvSpecs,
  outChan: number,
  filterShape: ReadonlyArray<number>,
  options: ConvLayerOptions = {},
): Layer =>
  convLayer('GeneralConvTranspose', specs, outChan, filterShape, options, transposeSpatial, (x, w, strides, padding) =>
    convTranspose(x, w, strides, padding as 'SAME', { dimensionNumbers: specs }),
  )

/** A 1-D transposed convolution, channels last (JAX: `stax.Conv1DTranspose`). @category exampleLibraries @since 0.2.0 */
export const Conv1DTranspose = (
  outChan: number,
  filterShape: ReadonlyArray<number>,
  options: ConvLayerOptions = {},
): Layer => GeneralConvTranspose(['NHC', 'HIO', 'NHC'], outChan, filterShape, options)

/** A 2-D transposed convolution, channels last (JAX: `stax.ConvTranspose`). @category exampleLibraries @since 0.2.0 */
export const ConvTranspose = (
  outChan: number,
  filterShape: ReadonlyArray<number>,
  options: ConvLayerOptions = {},
): Layer => GeneralConvTranspose(['NHWC', 'HWIO', 'NHWC'], outChan, filterShape, options)

/** Options of the pooling layers (JAX's keywords). @category exampleLibraries @since 0.2.0 */
export interface PoolOptions {
  /** @defaultValue all 1 */
  readonly strides?: ReadonlyArray<number> | null
  /** @defaultValue 'VALID' */
  readonly padding?: Padding
  /** The input layout, e.g. 'NCHW' (the letters N and C place the batch and feature axes). @defaultValue N first, C last */
  readonly spec?: string | null
}

/** A pooling layer constructor (JAX's `_pooling_layer`). */
const poolingLayer =
  (name: string, computation: WindowComputation, average: boolean) =>
  (windowShape: ReadonlyArray<number>, options: PoolOptions = {}): Layer => {
    const strides0 = options.strides ?? windowShape.map(() => 1)
    const padding = options.padding ?? 'VALID'
    const spec = options.spec ?? null
    const nonSpatial = (ndim: number): number[] =>
      (spec === null ? [0, ndim - 1] : [spec.indexOf('N'), spec.indexOf('C')]).sort((a, b) => a - b)
    const fill = (xs: ReadonlyArray<number>): number[] => {
      const out = xs.slice()
      for (const i of nonSpatial(xs.length + 2)) out.splice(i, 0, 1)
      return out
    }
    const window = fill(windowShape)
    const strides = fill(strides0)
    const pad = (p: Padding, rank: number): Padding =>
      typeof p === 'string' || p.length === rank ? p : fill2(p, nonSpatial(rank))
    const init: Layer[0] = (_rng, inputShape) => {
      const s = oneShape(name, inputShape)
      const pads = padtypeToPads(`stax.${name}`, s, window, strides, pad(padding, s.length))
      return [
        s.map(
          (n, k) =>
            Math.floor(
              (n + (pads[k] as number[])[0]! + (pads[k] as number[])[1]! - (window[k] as number)) /
                (strides[k] as number),
            ) + 1,
        ),
        [],
      ]
    }
    const apply: Layer[1] = (_params, inputs) => {
      const x = single(name, inputs)
      const out = reduceWindow(
        x,
        computation === 'max' ? -Infinity : 0,
        computation,
        window,
        strides,
        pad(padding, x.ndim),
      )
      if (!average) return out
      const ns = nonSpatial(x.ndim)
      const spatial = x.shape.filter((_, i) => !ns.includes(i))
      const sizes = reduceWindow(ones(spatial, { dtype: x.dtype }), 0, 'sum', windowShape, strides0, padding)
      return div(
        out,
        reshape(
          sizes,
          out.shape.map((d, i) => (ns.includes(i) ? 1 : d)),
        ),
      )
    }
    return [init, apply]
  }

/** Explicit spatial padding pairs with (0, 0) inserted at the non-spatial axes. */
const fill2 = (
  p: ReadonlyArray<readonly [number, number]>,
  at: ReadonlyArray<number>,
): Array<readonly [number, number]> => {
  const out = p.slice()
  for (const i of at) out.splice(i, 0, [0, 0])
  return out
}

/**
 * Max pooling over spatial windows (JAX: `stax.MaxPool(window_shape, strides=None,
 * padding='VALID', spec=None)`; input N…C unless `spec` says otherwise).
 * @example
 * import { exampleLibraries, random, arange, reshape } from 'wengert'
 * const [init, apply] = exampleLibraries.stax.MaxPool([2, 2], { strides: [2, 2] })
 * assert.deepStrictEqual(init(random.key(0), [-1, 4, 4, 3])[0], [-1, 2, 2, 3])
 * const x = reshape(arange(16), [1, 4, 4, 1])
 * assert.deepStrictEqual(apply([], x).toArray(), [[[[5], [7]], [[13], [15]]]])
 * @category exampleLibraries
 * @since 0.2.0
 */
export const MaxPool = poolingLayer('MaxPool', 'max', false)
/** Sum pooling over spatial windows (JAX: `stax.SumPool`). @category exampleLibraries @since 0.2.0 */
export const SumPool = poolingLayer('SumPool', 'sum', false)
/**
 * Average pooling over spatial windows, each window divided by the number of its entries inside
 * the input (padding excluded) (JAX: `stax.AvgPool`).
 * @example
 * import { exampleLibraries, ones } from 'wengert'
 * const [, apply] = exampleLibraries.stax.AvgPool([2], { padding: 'SAME' })
 * assert.deepStrictEqual(apply([], ones([1, 3, 1])).toArray(), [[[1], [1], [1]]])
 * @category exampleLibraries
 * @since 0.2.0
 */
export const AvgPool = poolingLayer('AvgPool', 'sum', true)
