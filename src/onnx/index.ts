/**
 * `wengert/onnx`: export programs — forward passes, gradients, whole training steps — as ONNX
 * models for ONNX Runtime and other ONNX back ends. A separate entry point, so the core
 * `wengert` import carries no protobuf code.
 *
 * @category onnx
 * @since 0.2.0
 */
export { exportOnnx, DEFAULT_OPSET, type DynamicAxes, type ExportOnnxOptions } from './exportOnnx'
export { saveOnnx } from './save'
export { OnnxExportError } from './errors'
export { primitivesWithoutOnnxRule } from './coverage'
