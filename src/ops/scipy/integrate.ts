/**
 * `scipy.integrate` (JAX: `jax.scipy.integrate`): the trapezoidal rule, the same function as the
 * top-level `trapezoid` (JAX's `jnp.trapezoid`).
 *
 * @category scipy
 * @since 0.3.0
 */
export { trapezoid, type TrapezoidOptions } from '../numpyExtra/create'
