/**
 * The user-facing numeric API.
 *
 * @category ops
 * @since 0.1.0
 */
export * from './elementwise'
export * from './reduce'
export * from './linalg'
export * from './layout'
export type { ArrayLike } from './convert'
