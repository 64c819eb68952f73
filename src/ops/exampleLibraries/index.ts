/**
 * JAX's `jax.example_libraries` (camelCase): the `optimizers` and `stax` mini-libraries that
 * JAX's own examples are written with.
 *
 * @example
 * import { exampleLibraries } from 'wengert'
 * const [init, apply] = exampleLibraries.stax.serial(exampleLibraries.stax.Dense(2), exampleLibraries.stax.Relu)
 * assert.strictEqual(typeof init, 'function')
 * assert.strictEqual(typeof apply, 'function')
 * assert.strictEqual(exampleLibraries.optimizers.sgd(0.1).length, 3)
 * @category exampleLibraries
 * @since 0.2.0
 */
export * as optimizers from './optimizers/index'
export * as stax from './stax/index'
