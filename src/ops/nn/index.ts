/**
 * JAX's `jax.nn` (camelCase): activations, softmax-family functions over axes, and
 * `nn.initializers`.
 *
 * @example
 * import { nn, array, grad } from 'wengert'
 * assert.deepStrictEqual(nn.relu6(array([-1, 7])).toArray(), [0, 6])
 * assert.strictEqual(grad(nn.leakyRelu)(array(0)).item(), 1)
 * @category nn
 * @since 0.2.0
 */
export * from './activations'
export {
  softmax,
  logSoftmax,
  logsumexp,
  standardize,
  glu,
  type NnSoftmaxOptions,
  type NnLogsumexpOptions,
  type StandardizeOptions,
  type GluOptions,
  type AxisArg,
} from './functions'
export { oneHot, type OneHotOptions } from '../scatterOps'
export { dotProductAttention, type DotProductAttentionOptions } from './attention'
export { tanh } from '../unary'
export * as initializers from './initializersIndex'
export { identity } from './deltaOrthogonal'
