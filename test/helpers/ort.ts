/**
 * Running exported models in ONNX Runtime (onnxruntime-web's WebAssembly backend, under Node) on
 * wengert arrays, and comparing with wengert's values.
 */
import * as ort from 'onnxruntime-web'
import { expect } from 'vitest'
import { array, reshape, type NdArray } from 'wengert'

ort.env.wasm.numThreads = 1

/** ONNX Runtime's tensor of a wengert array (same dtype; int64 as BigInt64Array). */
export const toOrt = (x: NdArray): ort.Tensor => {
  const data = x.toTypedArray()
  switch (x.dtype) {
    case 'int64':
      return new ort.Tensor('int64', BigInt64Array.from(Array.from(data, (v) => BigInt(v))), x.shape.slice())
    case 'bool':
      return new ort.Tensor('bool', Uint8Array.from(data), x.shape.slice())
    default:
      return new ort.Tensor(x.dtype, data as Float32Array, x.shape.slice())
  }
}

/** Runs `bytes` on `feeds`; returns each output's values as numbers, by name. */
export const runOrt = async (
  bytes: Uint8Array,
  feeds: Readonly<Record<string, NdArray>>,
): Promise<Record<string, number[]>> => {
  const session = await ort.InferenceSession.create(bytes)
  const inputs = Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, toOrt(v)]))
  const out = await session.run(inputs)
  return Object.fromEntries(
    Object.entries(out).map(([k, t]) => [k, Array.from(t.data as ArrayLike<number | bigint>, Number)]),
  )
}

/** The values of an array as numbers. */
export const flat = (x: NdArray): number[] => Array.from(x.toTypedArray(), Number)

/** `got` equals `want` within `tol` relative (plus `tol` absolute). */
export const expectClose = (got: ReadonlyArray<number> | undefined, want: NdArray, tol = 1e-5): void => {
  const w = flat(want)
  expect(got?.length).toBe(w.length)
  w.forEach((v, i) => {
    const g = (got as ReadonlyArray<number>)[i] as number
    if (Number.isNaN(v)) expect(g).toBeNaN()
    else expect(Math.abs(g - v)).toBeLessThanOrEqual(tol * (1 + Math.abs(v)))
  })
}

/** A float32 array of `shape` whose element i is f(i) (deterministic test data). */
export const grid = (shape: ReadonlyArray<number>, f: (i: number) => number): NdArray => {
  const n = shape.reduce((a, b) => a * b, 1)
  return reshape(array(Array.from({ length: n }, (_, i) => f(i))), shape.slice())
}
