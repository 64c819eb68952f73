/**
 * The `nn.initializers` namespace: JAX's `jax.nn.initializers`.
 *
 * @category nn
 * @since 0.2.0
 */
export * from './initializers'
export { deltaOrthogonal } from './deltaOrthogonal'
