/**
 * The combinators of `jax.example_libraries.stax`: `serial`, `parallel` and `shapeDependent`.
 *
 * @category exampleLibraries
 * @since 0.2.0
 */
import { ValueError } from '../../../ndarray/errors'
import type { NdArray } from '../../../ndarray/NdArray'
import * as random from '../../random/index'
import type { KeyArray } from '../../random/keys'
import { single, valueList, shapeList } from './common'
import type { ApplyOptions, Layer, StaxParams, StaxShape, StaxValue } from './types'

/** The output type of the last layer of a list (what `serial` returns). @category exampleLibraries @since 0.2.0 */
export type LastOut<L extends ReadonlyArray<Layer<StaxValue, StaxShape>>> = L extends readonly [
  ...unknown[],
  Layer<infer O, StaxShape>,
]
  ? O
  : StaxValue

/** `n` keys split from `rng`, or `n` nulls without one (JAX's `(None,) * nlayers`). */
const splitOrNull = (rng: KeyArray | null | undefined, n: number): Array<KeyArray | null> =>
  rng === undefined || rng === null ? new Array<null>(n).fill(null) : [...random.split(rng, n)]

const paramsOf = (name: string, params: StaxParams, n: number): ReadonlyArray<StaxParams> => {
  if (!Array.isArray(params) || params.length !== n)
    throw new ValueError(
      `stax.${name}: expected a list of ${n} layer parameters, got ${Array.isArray(params) ? params.length : 'an array'}`,
    )
  return params as ReadonlyArray<StaxParams>
}

/**
 * The layers one after another (JAX: `stax.serial(*layers)`): init splits the key once per
 * layer (`rng, layer_rng = split(rng)`) and threads the shape; apply splits `rng` (when given)
 * into one key per layer and passes every other option on.
 * @example
 * import { exampleLibraries, random, ones } from 'wengert'
 * const { serial, Dense, Relu, LogSoftmax } = exampleLibraries.stax
 * const [init, predict] = serial(Dense(16), Relu, Dense(10), LogSoftmax)
 * const [outShape, params] = init(random.key(0), [-1, 784])
 * assert.deepStrictEqual(outShape, [-1, 10])
 * assert.deepStrictEqual(predict(params, ones([2, 784])).shape, [2, 10])
 * @category exampleLibraries
 * @since 0.2.0
 */
export const serial = <L extends ReadonlyArray<Layer<StaxValue, StaxShape>>>(
  ...layers: L
): Layer<LastOut<L>, StaxShape> => [
  (rng, inputShape) => {
    let key = rng
    let shape = inputShape
    const params: StaxParams[] = []
    for (const [init] of layers) {
      const [next, layerRng] = random.split(key)
      key = next
      const [out, p] = init(layerRng, shape)
      shape = out
      params.push(p)
    }
    return [shape, params]
  },
  (params, inputs, options: ApplyOptions = {}) => {
    const ps = paramsOf('serial', params, layers.length)
    const { rng, ...rest } = options
    const rngs = splitOrNull(rng, layers.length)
    let x: StaxValue = inputs
    layers.forEach(([, apply], k) => (x = apply(ps[k] as StaxParams, x, { ...rest, rng: rngs[k] ?? null })))
    return x as LastOut<L>
  },
]

/**
 * The layers side by side on a list of inputs, one each (JAX: `stax.parallel(*layers)`); with
 * `FanOut` and `FanInSum`/`FanInConcat` it builds residual blocks.
 * @example
 * import { exampleLibraries, random, ones } from 'wengert'
 * const { serial, parallel, FanOut, FanInSum, Dense, Identity } = exampleLibraries.stax
 * const [init, apply] = serial(FanOut(2), parallel(Dense(3), Identity), FanInSum)
 * const [shape, params] = init(random.key(1), [2, 3])
 * assert.deepStrictEqual(shape, [2, 3])
 * assert.deepStrictEqual(apply(params, ones([2, 3])).shape, [2, 3])
 * @category exampleLibraries
 * @since 0.2.0
 */
export const parallel = (...layers: ReadonlyArray<Layer<StaxValue, StaxShape>>): Layer<StaxValue[], StaxShape[]> => [
  (rng, inputShape) => {
    const shapes = shapeList('parallel', inputShape)
    const rngs = [...random.split(rng, layers.length)]
    const outs = layers.map(([init], k) => init(rngs[k] as KeyArray, shapes[k] as StaxShape))
    return [outs.map((o) => o[0]), outs.map((o) => o[1])]
  },
  (params, inputs, options: ApplyOptions = {}) => {
    const ps = paramsOf('parallel', params, layers.length)
    const xs = valueList('parallel', inputs)
    const { rng, ...rest } = options
    const rngs = splitOrNull(rng, layers.length)
    return layers.map(([, apply], k) =>
      apply(ps[k] as StaxParams, xs[k] as StaxValue, { ...rest, rng: rngs[k] ?? null }),
    )
  },
]

/**
 * A layer built from the input shape once it is known (JAX: `stax.shape_dependent(make_layer)`):
 * init calls `makeLayer(inputShape)`, apply `makeLayer(inputs.shape)`.
 * @example
 * import { exampleLibraries, random, ones } from 'wengert'
 * const { shapeDependent, Dense } = exampleLibraries.stax
 * const [init, apply] = shapeDependent((shape) => Dense(2 * Number(shape[shape.length - 1])))
 * const [outShape, params] = init(random.key(0), [1, 3])
 * assert.deepStrictEqual(outShape, [1, 6])
 * assert.deepStrictEqual(apply(params, ones([1, 3])).shape, [1, 6])
 * @category exampleLibraries
 * @since 0.2.0
 */
export const shapeDependent = <O extends StaxValue>(
  makeLayer: (shape: ReadonlyArray<number>) => Layer<O, StaxShape>,
): Layer<O, StaxShape> => [
  (rng, inputShape) => makeLayer(inputShape as ReadonlyArray<number>)[0](rng, inputShape),
  (params, inputs, options) =>
    makeLayer((single('shape_dependent', inputs) as NdArray).shape)[1](params, inputs, options),
]
