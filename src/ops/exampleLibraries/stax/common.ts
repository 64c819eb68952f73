/** Checks shared by the stax layers: one array (not a list) in, one shape (not a list) in. */
import { ShapeError, ValueError } from '../../../ndarray/errors'
import { NdArray } from '../../../ndarray/NdArray'
import type { StaxParams, StaxShape, StaxValue } from './types'

/** `inputs` as one array; `layer` names the layer in the error. */
export const single = (layer: string, inputs: StaxValue): NdArray => {
  if (!(inputs instanceof NdArray))
    throw new ValueError(`stax.${layer}: expected one input array, got a list of ${inputs.length} inputs`)
  return inputs
}

/** `shape` as one shape of integers. */
export const oneShape = (layer: string, shape: StaxShape): ReadonlyArray<number> => {
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number'))
    throw new ShapeError(`stax.${layer}: expected one input shape (a list of integers), got ${JSON.stringify(shape)}`)
  return shape as ReadonlyArray<number>
}

/** `shape` as a list of shapes (the input of a fan-in or `parallel`). */
export const shapeList = (layer: string, shape: StaxShape): ReadonlyArray<StaxShape> => {
  if (!Array.isArray(shape) || shape.some((d) => typeof d === 'number'))
    throw new ShapeError(`stax.${layer}: expected a list of input shapes, got ${JSON.stringify(shape)}`)
  return shape as ReadonlyArray<StaxShape>
}

/** `params` as a list of `n` entries (a layer's parameter tuple). */
export const paramList = (layer: string, params: StaxParams, n: number): ReadonlyArray<StaxParams> => {
  if (!Array.isArray(params) || params.length !== n)
    throw new ValueError(
      `stax.${layer}: expected a list of ${n} parameters, got ${params instanceof NdArray ? 'an array' : `${(params as unknown[]).length} entries`}`,
    )
  return params as ReadonlyArray<StaxParams>
}

/** `inputs` as a list of values (the input of a fan-in or `parallel`). */
export const valueList = (layer: string, inputs: StaxValue): ReadonlyArray<StaxValue> => {
  if (inputs instanceof NdArray) throw new ValueError(`stax.${layer}: expected a list of inputs, got one array`)
  return inputs
}
