/**
 * The error of the ONNX exporter.
 *
 * @category onnx
 * @since 0.2.0
 */
import { WengertError } from '../ndarray/errors'

/**
 * A program that cannot be written as ONNX (a primitive without an export rule, a bad option, a
 * model that fails the checker).
 *
 * @example
 * import { OnnxExportError } from 'wengert/onnx'
 * assert.strictEqual(new OnnxExportError('x').name, 'OnnxExportError')
 * @category onnx
 * @since 0.2.0
 */
export class OnnxExportError extends WengertError {}
