/**
 * A mark on facade functions that exist only to raise a typed "not supported" error (PyTorch's
 * complex-valued `torch.fft` transforms, `linalg.eig`): the coverage table
 * (scripts/coverage/coverage.ts) lists them apart and does not count them as covered.
 *
 * @category torch
 * @since 0.2.0
 */

/** The property key of the mark (a registered symbol, so other copies of the package agree). */
export const NOT_SUPPORTED: unique symbol = Symbol.for('wengert.torch.notSupported') as typeof NOT_SUPPORTED

/** Marks `fn` as a stub that always raises, and returns it. */
export const markNotSupported = <F extends (...args: never[]) => unknown>(fn: F): F =>
  Object.defineProperty(fn, NOT_SUPPORTED, { value: true, enumerable: false })

/** Whether `v` is a function marked by {@link markNotSupported}. */
export const isNotSupported = (v: unknown): boolean =>
  typeof v === 'function' && (v as unknown as Record<symbol, unknown>)[NOT_SUPPORTED] === true
