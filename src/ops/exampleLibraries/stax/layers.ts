/**
 * The basic layers of `jax.example_libraries.stax`: Dense, BatchNorm, the element-wise
 * activations, Flatten, Identity, FanOut / FanInSum / FanInConcat and Dropout, with JAX's
 * initializers and shape rules.
 *
 * @category exampleLibraries
 * @since 0.2.0
 */
import { ValueError } from '../../../ndarray/errors'
import type { NdArray } from '../../../ndarray/NdArray'
import { normalizeAxis } from '../../../ndarray/shape'
import { checkOptions, isPlainObject } from '../../../internal/options'
import { add, div, mul, where } from '../../elementwise'
import { exp, tanh } from '../../unary'
import { matmul } from '../../linalg'
import { concat, reshape } from '../../layout'
import { elu, gelu, leakyRelu, relu, selu, sigmoid, softplus } from '../../nn/activations'
import { logSoftmax, softmax, standardize } from '../../nn/functions'
import { normal, ones, zeros, type Initializer } from '../../nn/initializers'
import { glorotNormal } from '../../nn/varianceScaling'
import * as random from '../../random/index'
import { oneShape, paramList, shapeList, single, valueList } from './common'
import type { Layer, StaxParams, StaxShape } from './types'

/**
 * A fully connected layer `inputs · W + b`, W of shape [in, outDim] drawn by `WInit`
 * (default glorot normal), b of shape [outDim] by `bInit` (default normal(1e-2)) (JAX:
 * `stax.Dense(out_dim, W_init=glorot_normal(), b_init=normal())`).
 * @example
 * import { exampleLibraries, random, ones } from 'wengert'
 * const [init, apply] = exampleLibraries.stax.Dense(3)
 * const [outShape, params] = init(random.key(0), [-1, 5])
 * assert.deepStrictEqual(outShape, [-1, 3])
 * assert.deepStrictEqual(apply(params, ones([2, 5])).shape, [2, 3])
 * @category exampleLibraries
 * @since 0.2.0
 */
export const Dense = (outDim: number, WInit: Initializer = glorotNormal(), bInit: Initializer = normal()): Layer => [
  (rng, inputShape) => {
    const s = oneShape('Dense', inputShape)
    const [k1, k2] = random.split(rng)
    const W = WInit(k1, [s[s.length - 1] as number, outDim])
    const b = bInit(k2, [outDim])
    return [
      [...s.slice(0, -1), outDim],
      [W, b],
    ]
  },
  (params, inputs) => {
    const [W, b] = paramList('Dense', params, 2) as [NdArray, NdArray]
    return add(matmul(single('Dense', inputs), W), b)
  },
]

/** Options of {@link BatchNorm} (JAX's keywords). @category exampleLibraries @since 0.2.0 */
export interface BatchNormOptions {
  /** The axes normalised over. @defaultValue [0, 1, 2] */
  readonly axis?: number | ReadonlyArray<number>
  /** @defaultValue 1e-5 */
  readonly epsilon?: number
  /** Learn a shift β. @defaultValue true */
  readonly center?: boolean
  /** Learn a scale γ. @defaultValue true */
  readonly scale?: boolean
  /** @defaultValue zeros */
  readonly betaInit?: Initializer
  /** @defaultValue ones */
  readonly gammaInit?: Initializer
}

/**
 * Batch normalisation over `axis` with learnt γ, β over the other axes (JAX: `stax.BatchNorm(axis=(0,
 * 1, 2), epsilon=1e-5, center=True, scale=True, beta_init=zeros, gamma_init=ones)`); batch
 * statistics only, as JAX's (no running averages). Parameters `[β, γ]` (`[]` for one turned off).
 * @example
 * import { exampleLibraries, random, array, mean } from 'wengert'
 * const [init, apply] = exampleLibraries.stax.BatchNorm({ axis: 0 })
 * const [, params] = init(random.key(0), [4, 2])
 * const y = apply(params, array([[1, 10], [2, 20], [3, 30], [4, 40]]))
 * const [, m1] = mean(y, 0).toArray() as number[]
 * assert.ok(Math.abs(Number(m1)) < 1e-6)
 * @category exampleLibraries
 * @since 0.2.0
 */
export const BatchNorm = (
  axisOrOptions?: number | ReadonlyArray<number> | BatchNormOptions,
  options?: Omit<BatchNormOptions, 'axis'>,
): Layer => {
  const keys: ReadonlyArray<keyof BatchNormOptions> = ['axis', 'epsilon', 'center', 'scale', 'betaInit', 'gammaInit']
  const o: BatchNormOptions = isPlainObject(axisOrOptions)
    ? checkOptions('stax.BatchNorm', axisOrOptions as BatchNormOptions, keys)
    : {
        ...checkOptions('stax.BatchNorm', options as BatchNormOptions | undefined, keys.slice(1)),
        ...(axisOrOptions === undefined ? {} : { axis: axisOrOptions as number | ReadonlyArray<number> }),
      }
  const { epsilon = 1e-5, center = true, scale = true, betaInit = zeros, gammaInit = ones } = o
  const axisOpt = o.axis ?? [0, 1, 2]
  const axes = typeof axisOpt === 'number' ? [axisOpt] : axisOpt
  return [
    (rng, inputShape) => {
      const s = oneShape('BatchNorm', inputShape)
      const norm = axes.map((a) => normalizeAxis('stax.BatchNorm', a, s.length))
      const kept = s.filter((_, i) => !norm.includes(i))
      const [k1, k2] = random.split(rng)
      const beta: StaxParams = center ? betaInit(k1, kept) : []
      const gamma: StaxParams = scale ? gammaInit(k2, kept) : []
      return [s, [beta, gamma]]
    },
    (params, inputs) => {
      const x = single('BatchNorm', inputs)
      const [beta, gamma] = paramList('BatchNorm', params, 2) as [StaxParams, StaxParams]
      const norm = axes.map((a) => normalizeAxis('stax.BatchNorm', a, x.ndim))
      const ed = (p: StaxParams): NdArray =>
        reshape(
          p as NdArray,
          x.shape.map((d, i) => (norm.includes(i) ? 1 : d)),
        )
      const z = standardize(x, { axis: axes, epsilon })
      if (center && scale) return add(mul(ed(gamma), z), ed(beta))
      if (center) return add(z, ed(beta))
      return scale ? mul(ed(gamma), z) : z
    },
  ]
}

/**
 * A layer without parameters applying `fun` to its input (JAX: `stax.elementwise(fun, **fun_kwargs)`;
 * keyword arguments are bound by a closure).
 * @example
 * import { exampleLibraries, random, array, abs } from 'wengert'
 * const [init, apply] = exampleLibraries.stax.elementwise(abs)
 * const [shape, params] = init(random.key(0), [2])
 * assert.deepStrictEqual([shape, params], [[2], []])
 * assert.deepStrictEqual(apply(params, array([-1, 2])).toArray(), [1, 2])
 * @category exampleLibraries
 * @since 0.2.0
 */
export const elementwise = (fun: (x: NdArray) => NdArray): Layer => [
  (_rng, inputShape) => [inputShape as ReadonlyArray<number>, []],
  (_params, inputs) => fun(single('elementwise', inputs)),
]

/** `tanh` as a layer (JAX: `stax.Tanh`). @category exampleLibraries @since 0.2.0 */
export const Tanh: Layer = elementwise(tanh)
/**
 * `relu` as a layer (JAX: `stax.Relu`); the other activation layers are alike.
 * @example
 * import { exampleLibraries, array } from 'wengert'
 * const [, apply] = exampleLibraries.stax.Relu
 * assert.deepStrictEqual(apply([], array([-1, 2])).toArray(), [0, 2])
 * @category exampleLibraries
 * @since 0.2.0
 */
export const Relu: Layer = elementwise(relu)
/** `exp` as a layer (JAX: `stax.Exp`). @category exampleLibraries @since 0.2.0 */
export const Exp: Layer = elementwise(exp)
/** `logSoftmax` over the last axis as a layer (JAX: `stax.LogSoftmax`). @category exampleLibraries @since 0.2.0 */
export const LogSoftmax: Layer = elementwise((x) => logSoftmax(x, -1))
/** `softmax` over the last axis as a layer (JAX: `stax.Softmax`). @category exampleLibraries @since 0.2.0 */
export const Softmax: Layer = elementwise((x) => softmax(x, -1))
/** `softplus` as a layer (JAX: `stax.Softplus`). @category exampleLibraries @since 0.2.0 */
export const Softplus: Layer = elementwise(softplus)
/** `sigmoid` as a layer (JAX: `stax.Sigmoid`). @category exampleLibraries @since 0.2.0 */
export const Sigmoid: Layer = elementwise(sigmoid)
/** `elu` (α = 1) as a layer (JAX: `stax.Elu`). @category exampleLibraries @since 0.2.0 */
export const Elu: Layer = elementwise((x) => elu(x))
/** `leakyRelu` (slope 0.01) as a layer (JAX: `stax.LeakyRelu`). @category exampleLibraries @since 0.2.0 */
export const LeakyRelu: Layer = elementwise((x) => leakyRelu(x))
/** `selu` as a layer (JAX: `stax.Selu`). @category exampleLibraries @since 0.2.0 */
export const Selu: Layer = elementwise(selu)
/** `gelu` (tanh approximation, JAX's default) as a layer (JAX: `stax.Gelu`). @category exampleLibraries @since 0.2.0 */
export const Gelu: Layer = elementwise((x) => gelu(x))

/**
 * Flattens all axes but the first (JAX: `stax.Flatten`).
 * @example
 * import { exampleLibraries, random, ones } from 'wengert'
 * const [init, apply] = exampleLibraries.stax.Flatten
 * assert.deepStrictEqual(init(random.key(0), [-1, 2, 3])[0], [-1, 6])
 * assert.deepStrictEqual(apply([], ones([4, 2, 3])).shape, [4, 6])
 * @category exampleLibraries
 * @since 0.2.0
 */
export const Flatten: Layer = [
  (_rng, inputShape) => {
    const s = oneShape('Flatten', inputShape)
    return [[s[0] as number, s.slice(1).reduce((a, b) => a * b, 1)], []]
  },
  (_params, inputs) => {
    const x = single('Flatten', inputs)
    return reshape(x, [x.shape[0] as number, -1])
  },
]

/** The input unchanged (JAX: `stax.Identity`). @category exampleLibraries @since 0.2.0 */
export const Identity: Layer = [
  (_rng, inputShape) => [inputShape as ReadonlyArray<number>, []],
  (_p, inputs) => single('Identity', inputs),
]

/**
 * `num` copies of the input, for `parallel` (JAX: `stax.FanOut(num)`).
 * @example
 * import { exampleLibraries, random, array } from 'wengert'
 * const [init, apply] = exampleLibraries.stax.FanOut(2)
 * assert.deepStrictEqual(init(random.key(0), [3])[0], [[3], [3]])
 * assert.strictEqual(apply([], array([1, 2, 3])).length, 2)
 * @category exampleLibraries
 * @since 0.2.0
 */
export const FanOut = (num: number): Layer<NdArray[], Array<ReadonlyArray<number>>> => [
  (_rng, inputShape) => [new Array<ReadonlyArray<number>>(num).fill(oneShape('FanOut', inputShape)), []],
  (_params, inputs) => new Array<NdArray>(num).fill(single('FanOut', inputs)),
]

/**
 * The sum of a list of inputs (JAX: `stax.FanInSum`).
 * @example
 * import { exampleLibraries, array } from 'wengert'
 * const [, apply] = exampleLibraries.stax.FanInSum
 * assert.deepStrictEqual(apply([], [array([1, 2]), array([10, 20])]).toArray(), [11, 22])
 * @category exampleLibraries
 * @since 0.2.0
 */
export const FanInSum: Layer = [
  (_rng, inputShape) => [oneShape('FanInSum', shapeList('FanInSum', inputShape)[0] as StaxShape), []],
  (_params, inputs) => {
    const xs = valueList('FanInSum', inputs).map((x) => single('FanInSum', x))
    return xs.slice(1).reduce((a, b) => add(a, b), xs[0] as NdArray)
  },
]

/**
 * The concatenation of a list of inputs along `axis` (JAX: `stax.FanInConcat(axis=-1)`).
 * @example
 * import { exampleLibraries, random, ones } from 'wengert'
 * const [init, apply] = exampleLibraries.stax.FanInConcat()
 * assert.deepStrictEqual(init(random.key(0), [[2, 3], [2, 4]])[0], [2, 7])
 * assert.deepStrictEqual(apply([], [ones([2, 3]), ones([2, 4])]).shape, [2, 7])
 * @category exampleLibraries
 * @since 0.2.0
 */
export const FanInConcat = (axis = -1): Layer => [
  (_rng, inputShape) => {
    const shapes = shapeList('FanInConcat', inputShape).map((s) => oneShape('FanInConcat', s))
    const first = shapes[0] as ReadonlyArray<number>
    const ax = ((axis % first.length) + first.length) % first.length
    const size = shapes.reduce((n, s) => n + (s[ax] as number), 0)
    return [[...first.slice(0, ax), size, ...first.slice(ax + 1)], []]
  },
  (_params, inputs) =>
    concat(
      valueList('FanInConcat', inputs).map((x) => single('FanInConcat', x)),
      axis,
    ),
]

/**
 * Dropout with keep probability `rate` (as JAX's stax: kept entries are divided by `rate`); mode
 * 'train' needs an `rng` in the apply options, 'test' is the identity (JAX: `stax.Dropout(rate,
 * mode='train')`).
 * @example
 * import { exampleLibraries, random, ones } from 'wengert'
 * const [, apply] = exampleLibraries.stax.Dropout(0.5)
 * const y = apply([], ones([100]), { rng: random.key(0) }).toArray() as number[]
 * assert.ok(y.every((v) => v === 0 || v === 2))
 * @category exampleLibraries
 * @since 0.2.0
 */
export const Dropout = (rate: number, mode: 'train' | 'test' = 'train'): Layer => [
  (_rng, inputShape) => [inputShape as ReadonlyArray<number>, []],
  (_params, inputs, options) => {
    const x = single('Dropout', inputs)
    if (mode === 'test') return x
    if (mode !== 'train')
      throw new ValueError("Dropout layer requires `mode` argument to be either `'train'` or `'test'`")
    const rng = options?.rng
    if (rng === undefined || rng === null)
      throw new ValueError(
        'Dropout layer requires apply_fun to be called with a PRNG key argument. That is, instead of `apply_fun(params, inputs)`, call it like `apply_fun(params, inputs, { rng })` where `rng` is a PRNG key (e.g. from `random.key`).',
      )
    const keep = random.bernoulli(rng, rate, x.shape)
    return where(keep, div(x, rate), 0)
  },
]
