/**
 * Typed errors. Every error wengert throws extends {@link WengertError}; the message names the
 * operation, what it received and what it expected.
 *
 * @category errors
 * @since 0.1.0
 */

/** Base class of every error wengert throws. @category errors @since 0.1.0 */
export class WengertError extends Error {
  constructor(message: string) {
    super(message)
    this.name = new.target.name
  }
}

/** A dtype an operation does not accept (e.g. differentiating an int32 input). @category errors @since 0.1.0 */
export class DTypeError extends WengertError {}

/** A value outside what an operation accepts (bad options, ragged input, NaN in a shape). @category errors @since 0.1.0 */
export class ValueError extends WengertError {}

/**
 * Shapes that do not fit together (broadcasting, reshape, axes out of range). A kind of
 * {@link ValueError}, as NumPy's and JAX's broadcasting and reshape errors are ValueErrors, so
 * code catching `ValueError` catches it too. @category errors @since 0.1.0
 */
export class ShapeError extends ValueError {}

/**
 * A value staged by `jit` was asked for its data (`item()`, `toArray()`, `array(x)`, …): while
 * `jit` traces, arrays stand for every value of their shape and dtype (JAX:
 * ConcretizationTypeError). @category errors @since 0.1.0
 */
export class ConcretizationTypeError extends WengertError {}

/**
 * An integer result outside what its dtype holds exactly (int64 beyond ±(2⁵³ − 1), stored in
 * float64) or a float without an integer value (NaN, ±Infinity) cast to int64.
 * @category errors @since 0.2.0
 */
export class OverflowError extends WengertError {}

/** Integer division or remainder by zero (PyTorch raises `ZeroDivisionError` for integer tensors). @category errors @since 0.2.0 */
export class ZeroDivisionError extends WengertError {}

/**
 * A value traced by `vmap` or `jit` was used after that transform returned (it escaped through a
 * closure, a global or a side effect): it stands for a batch or for any value of its shape, so
 * it has no meaning outside (JAX: UnexpectedTracerError). @category errors @since 0.2.0
 */
export class UnexpectedTracerError extends WengertError {}

/** Asked for a derivative that does not exist (e.g. of an integer-valued primitive's output). @category errors @since 0.1.0 */
export class NotDifferentiableError extends WengertError {}

/**
 * An axis name used by a collective (`lax.psum`, …) that no enclosing `vmap(f, { axisName })`
 * binds (JAX raises a `NameError`). @category errors @since 0.6.0
 */
export class NameError extends WengertError {}

/** Two pytrees that should have the same structure do not. @category errors @since 0.1.0 */
export class TreeMismatchError extends WengertError {}

/** A bug in wengert itself; the message starts with `internal:`. @category errors @since 0.1.0 */
export class InternalError extends WengertError {
  constructor(message: string) {
    super(`internal: ${message}`)
  }
}

/** Formats a shape the way messages print it: `[2,3]`. */
export const fmtShape = (shape: ReadonlyArray<number>): string => `[${shape.join(',')}]`
/** Formats a shape as JAX's messages print it, a Python tuple: `(3,)`, `(2, 3)`, `()`. */
export const fmtTuple = (shape: ReadonlyArray<number>): string =>
  shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`
