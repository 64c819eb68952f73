/**
 * ONNX export of the scatter primitives with a rule (scatter → ScatterND, scatter_mul →
 * ScatterND reduction 'mul'), run in ONNX Runtime against wengert, with traced indices.
 */
import * as ort from 'onnxruntime-web'
import { describe, expect, it } from 'vitest'
import { array, at, type NdArray } from 'wengert'
import { exportOnnx } from 'wengert/onnx'

ort.env.wasm.numThreads = 1

const run = async (bytes: Uint8Array, feeds: Record<string, NdArray>): Promise<number[]> => {
  const session = await ort.InferenceSession.create(bytes)
  const inputs: Record<string, ort.Tensor> = {}
  for (const [k, v] of Object.entries(feeds))
    inputs[k] = new ort.Tensor(v.dtype === 'int32' ? 'int32' : 'float32', v.toTypedArray(), v.shape.slice())
  const out = await session.run(inputs)
  return Array.from(Object.values(out)[0]?.data as Float32Array, Number)
}

describe('scatter export', () => {
  const x = array([
    [1, 2, 3],
    [4, 5, 6],
  ])
  const i = array([2, 0], { dtype: 'int32' })
  const v = array([10, 20])
  it.each([
    ['set', (a: NdArray, j: NdArray, b: NdArray) => at(a, ':', j).set(b)],
    ['multiply', (a: NdArray, j: NdArray, b: NdArray) => at(a, 1, j).multiply(b, { uniqueIndices: true })],
    ['add', (a: NdArray, j: NdArray, b: NdArray) => at(a, 0, j).add(b)],
  ] as const)('at().%s runs in ONNX Runtime with the values wengert computes', async (_, f) => {
    const bytes = exportOnnx(f, [x, i, v], { inputNames: ['x', 'i', 'v'] })
    const got = await run(bytes, { x, i, v })
    expect(got).toEqual(Array.from(f(x, i, v).toTypedArray(), Number))
  })
})
