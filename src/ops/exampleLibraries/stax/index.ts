/**
 * JAX's `jax.example_libraries.stax`: neural-network layers as `[initFun, applyFun]` pairs
 * (layer names as JAX spells them: `Dense`, `Conv`, `Relu`, …) and the combinators `serial`,
 * `parallel`, `shapeDependent`.
 *
 * @example
 * import { exampleLibraries, random, ones } from 'wengert'
 * const { serial, Conv, Relu, MaxPool, Flatten, Dense, LogSoftmax } = exampleLibraries.stax
 * const [init, predict] = serial(Conv(4, [3, 3]), Relu, MaxPool([2, 2], { strides: [2, 2] }), Flatten, Dense(10), LogSoftmax)
 * const [outShape, params] = init(random.key(0), [-1, 8, 8, 1])
 * assert.deepStrictEqual(outShape, [-1, 10])
 * assert.deepStrictEqual(predict(params, ones([2, 8, 8, 1])).shape, [2, 10])
 * @category exampleLibraries
 * @since 0.2.0
 */
export type { ApplyFun, ApplyOptions, InitFun, Layer, StaxParams, StaxShape, StaxValue } from './types'
export {
  BatchNorm,
  Dense,
  Dropout,
  Elu,
  Exp,
  FanInConcat,
  FanInSum,
  FanOut,
  Flatten,
  Gelu,
  Identity,
  LeakyRelu,
  LogSoftmax,
  Relu,
  Selu,
  Sigmoid,
  Softmax,
  Softplus,
  Tanh,
  elementwise,
  type BatchNormOptions,
} from './layers'
export {
  AvgPool,
  Conv,
  Conv1DTranspose,
  ConvTranspose,
  GeneralConv,
  GeneralConvTranspose,
  MaxPool,
  SumPool,
  type ConvLayerOptions,
  type ConvSpecs,
  type PoolOptions,
} from './conv'
export { parallel, serial, shapeDependent, type LastOut } from './combinators'
