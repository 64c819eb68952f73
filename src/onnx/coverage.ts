/**
 * Which primitives can be exported.
 *
 * @category onnx
 * @since 0.2.0
 */
import { multiRegistry, registry } from '../core/primitives'

/**
 * Names of the registered primitives that have no ONNX export rule (sorted): a program using
 * one of them cannot be exported.
 *
 * @example
 * import { primitivesWithoutOnnxRule } from 'wengert/onnx'
 * assert.ok(!primitivesWithoutOnnxRule().includes('add'))
 * @category onnx
 * @since 0.2.0
 */
export const primitivesWithoutOnnxRule = (): string[] =>
  [...registry.values(), ...multiRegistry.values()]
    .filter((p) => p.onnx === undefined)
    .map((p) => p.name)
    .sort()
