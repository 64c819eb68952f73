/**
 * Uniform storage (src/ndarray/kernels/uniform.ts): the broadcast of a one-element array is read
 * as a scalar by the binary kernels, and a product with a broadcast 1 is the other operand's
 * storage; both give the bits of the materialised computation, and a tagged array written into
 * in place (binaryInto) is not taken for uniform any more.
 */
import { describe, expect, it } from 'vitest'
import { NdArray } from '../../src/ndarray/NdArray'
import { binary, binaryInto, setElementwiseBackend } from '../../src/ndarray/kernels/elementwise'
import { broadcastInDim } from '../../src/ndarray/kernels/movement'
import { uniformValue, UNIFORM_MIN } from '../../src/ndarray/kernels/uniform'

const N = UNIFORM_MIN + 13

const data = (n: number, seed: number): Float32Array =>
  Float32Array.from({ length: n }, (_, i) => (i % 97 === 0 ? -0 : Math.sin(i * 12.9898 + seed) * 3))

const bits = (x: NdArray): number[] => Array.from(new Uint32Array(new Float32Array(x._data).buffer))

const filled = (v: number): NdArray => broadcastInDim(new NdArray([], 'float32', Float32Array.of(v)), [N], [])
/** The same values in untagged storage. */
const plain = (v: number): NdArray => new NdArray([N], 'float32', new Float32Array(N).fill(v))

describe('uniform storage in the binary kernels', () => {
  it('a product with a broadcast 1 is the other operand, storage and bits', () => {
    const x = new NdArray([N], 'float32', data(N, 1))
    const one = filled(1)
    expect(uniformValue(one._data)).toBe(1)
    const r = binary('mul', one, x, 'float32')
    expect(r._data).toBe(x._data)
    expect(binary('mul', x, one, 'float32')._data).toBe(x._data)
    expect(bits(r)).toEqual(bits(binary('mul', plain(1), x, 'float32')))
  })

  it('other ops and values read the uniform operand as a scalar, with the materialised bits', () => {
    const x = new NdArray([N], 'float32', data(N, 2))
    for (const backend of ['auto', 'js'] as const) {
      setElementwiseBackend(backend)
      try {
        for (const v of [0.3, -2, 1])
          for (const op of ['add', 'sub', 'mul', 'div', 'max', 'tanhBackward'] as const) {
            expect(bits(binary(op, filled(v), x, 'float32'))).toEqual(bits(binary(op, plain(v), x, 'float32')))
            expect(bits(binary(op, x, filled(v), 'float32'))).toEqual(bits(binary(op, x, plain(v), 'float32')))
          }
      } finally {
        setElementwiseBackend('auto')
      }
    }
  })

  it('small arrays, NaN fills and storage written into in place are not uniform', () => {
    const small = broadcastInDim(new NdArray([], 'float32', Float32Array.of(1)), [UNIFORM_MIN - 1], [])
    expect(uniformValue(small._data)).toBeUndefined()
    expect(uniformValue(filled(Number.NaN)._data)).toBeUndefined()
    const one = filled(1)
    const x = new NdArray([N], 'float32', data(N, 3))
    binaryInto('add', one, x, one._data)
    expect(uniformValue(one._data)).toBeUndefined()
    const r = binary('mul', one, x, 'float32')
    expect(r._data).not.toBe(x._data)
    expect(bits(r)).toEqual(bits(binary('mul', new NdArray([N], 'float32', one._data.slice()), x, 'float32')))
  })
})
