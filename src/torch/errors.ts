/**
 * PyTorch's exception classes. Messages copy PyTorch's text verbatim so ported code (and its
 * tests) see the same errors.
 *
 * @category torch
 * @since 0.1.0
 */
import { WengertError } from '../ndarray/errors'

/** Python's `RuntimeError` (most autograd errors). @category torch @since 0.1.0 */
export class RuntimeError extends WengertError {}
/** Python's `IndexError` (out-of-range indices). @category torch @since 0.1.0 */
export class IndexError extends WengertError {}
/**
 * A base for errors whose class name differs from the Python exception they stand for (the
 * functional API already exports `ValueError`, and `TypeError` is JavaScript's own).
 */
const pythonNamed = (name: string): new (message: string) => WengertError =>
  class extends WengertError {
    constructor(message: string) {
      super(message)
      this.name = name
    }
  }
/** Python's `TypeError` (bad argument types, unknown keyword arguments). @category torch @since 0.1.0 */
export class TorchTypeError extends pythonNamed('TypeError') {}
/** Python's `ValueError`. @category torch @since 0.1.0 */
export class TorchValueError extends pythonNamed('ValueError') {}
/** Python's `KeyError` (bad parameter, buffer or module names). @category torch @since 0.1.0 */
export class KeyError extends WengertError {}
/** Python's `AssertionError` (PyTorch's CPU-only build asked for CUDA). @category torch @since 0.2.0 */
export class AssertionError extends WengertError {}
/** Python's `NotImplementedError` (a Module without `forward`). @category torch @since 0.1.0 */
export class NotImplementedError extends WengertError {}
/** Python's `AttributeError` (`get_submodule`/`get_parameter` on a missing name). @category torch @since 0.2.0 */
export class AttributeError extends WengertError {}

/** The message of a second backward through freed saved values. */
export const ERR_BACKWARD_TWICE =
  'Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.'
