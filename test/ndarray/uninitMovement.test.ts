/**
 * Movement kernels that write every element of their output (src/ndarray/kernels/movement.ts:
 * transposes and the strided copy behind broadcast/slice) take a pooled buffer without clearing it:
 * a recycled buffer full of NaN must leave no trace in their results.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { array, broadcastTo, transpose, type NdArray } from '../../src'
import { clearBufferPool, recycleBuffer } from '../../src/ndarray/bufferPool'

afterEach(() => clearBufferPool())

const poison = (n: number): void => {
  const b = new ArrayBuffer(n * 4)
  new Float32Array(b).fill(Number.NaN)
  recycleBuffer(b)
}
const values = (x: NdArray): number[] => Array.from(x.toTypedArray() as Float32Array)

describe('movement kernels over recycled (dirty) buffers', () => {
  const n = 8 * 64 * 256 // 512 KB of float32: pooled
  const data = Float32Array.from({ length: n }, (_, i) => i % 1000)

  it('a 2-D transpose writes every element', () => {
    const x = array(data, { shape: [512, 256], dtype: 'float32' })
    poison(n)
    const y = values(transpose(x))
    for (let j = 0; j < 256; j += 37) for (let i = 0; i < 512; i += 41) expect(y[j * 512 + i]).toBe(data[i * 256 + j])
    expect(y.some(Number.isNaN)).toBe(false)
  })

  it('a 4-D permutation (attention heads) and a broadcast write every element', () => {
    const x = array(data, { shape: [8, 64, 4, 64], dtype: 'float32' })
    poison(n)
    const y = values(transpose(x, [0, 2, 1, 3]))
    expect(y.some(Number.isNaN)).toBe(false)
    // y[b, h, t, d] = x[b, t, h, d]
    expect(y[((1 * 4 + 2) * 64 + 3) * 64 + 5]).toBe(data[((1 * 64 + 3) * 4 + 2) * 64 + 5])
    poison(n)
    const z = values(broadcastTo(array(data.subarray(0, 256), { shape: [256], dtype: 'float32' }), [512, 256]))
    expect(z.some(Number.isNaN)).toBe(false)
    expect(z[300 * 256 + 7]).toBe(data[7])
  })
})
