/**
 * ONNX export of the scatter primitives (scatter → ScatterND, scatter_mul → ScatterND reduction
 * 'mul', scatter_add → its rule, scatter_max/min → ScatterND max/min at opset 18 with wengert's
 * NaN propagation), run in ONNX Runtime against wengert, with traced indices, including indices
 * outside the array (wengert skips them; ONNX alone would wrap or fail).
 */
import * as ort from 'onnxruntime-web'
import { describe, expect, it } from 'vitest'
import { array, at, type NdArray } from 'wengert'
import { exportOnnx, OnnxExportError } from 'wengert/onnx'
import * as core from '../../src/core/lax'

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

  const rows = array([
    [1, NaN, 3],
    [4, 5, 6],
    [7, 8, 9],
  ])
  const idx = array([2, 0, 2, -1, 5, 1], { dtype: 'int32' })
  const upd = array([
    [10, 0, 9.5],
    [0, 2, 4],
    [8, 20, NaN],
    [100, 100, 100],
    [100, 100, 100],
    [5, 5, 5],
  ])
  it.each([
    ['scatter (rows outside skipped)', core.scatter, 17],
    ['scatter_mul', core.scatterMul, 17],
    ['scatter_max (NaN propagates)', core.scatterMax, 18],
    ['scatter_min (NaN propagates)', core.scatterMin, 18],
  ] as const)('%s equals wengert', async (_, f, opsetVersion) => {
    const g = (a: NdArray, j: NdArray, b: NdArray): NdArray => f(a, j, b)
    const bytes = exportOnnx(g, [rows, idx, upd], { inputNames: ['x', 'i', 'u'], opsetVersion })
    const got = await run(bytes, { x: rows, i: idx, u: upd })
    expect(got.map(String)).toEqual(Array.from(g(rows, idx, upd).toTypedArray(), (n) => String(n)))
  })

  it('scatter_max at opset 17 is refused, naming the opset it needs', () => {
    expect(() => exportOnnx(core.scatterMax, [rows, idx, upd])).toThrow(OnnxExportError)
    expect(() => exportOnnx(core.scatterMax, [rows, idx, upd])).toThrow(/scatter_max needs .* opset 18/)
  })
})
