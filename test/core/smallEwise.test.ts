/**
 * The element-wise primitives compute one-element float operands without the kernels' array
 * set-up (src/core/smallEwise.ts): the results must be the kernels' own, bit for bit, for every
 * element-wise primitive, both float dtypes, every one-element shape and the special values.
 */
import { describe, expect, it } from 'vitest'
import { registry } from '../../src/core/primitives'
import { binary, unary } from '../../src/ndarray/kernels/elementwise'
import type { DType } from '../../src/ndarray/dtype'
import { NdArray } from '../../src/ndarray/NdArray'

const VALUES = [0, -0, 1, -1, 0.5, -2.75, 3.1e-8, 7.5e30, 88.5, -104, 1e-310, Infinity, -Infinity, NaN, Math.PI]
const one = (v: number, dtype: DType, shape: ReadonlyArray<number>): NdArray => {
  const data = dtype === 'float32' ? new Float32Array([v]) : new Float64Array([v])
  return new NdArray(shape, dtype, data)
}
/** The stored bits of a one-element float array (NaNs of any payload compare equal). */
const bits = (x: NdArray): string => {
  const v = x._data[0] as number
  return Number.isNaN(v) ? 'NaN' : Object.is(v, -0) ? '-0' : String(v)
}

// the element-wise primitives whose output has their input's dtype (impl = the kernel)
const prims = [...registry.values()].filter((p) => p.ewise !== undefined && p.derivative === 'smooth')

describe('one-element element-wise primitives', () => {
  it('covers the smooth unary and binary primitives', () => {
    const names = prims.map((p) => p.name)
    expect(names).toEqual(expect.arrayContaining(['add', 'sub', 'mul', 'div', 'exp', 'log', 'tanh', 'neg', 'sin']))
  })

  for (const dtype of ['float32', 'float64'] as const) {
    for (const shape of [[], [1], [1, 1]]) {
      it(`give the kernels' bits (${dtype}, shape [${shape.join(', ')}])`, () => {
        for (const p of prims) {
          const ew = p.ewise
          if (ew === undefined) continue
          for (const a of VALUES) {
            const x = one(a, dtype, shape)
            if (ew.kind === 'unary') {
              const got = p.impl([x], {})
              expect([p.name, a, got.shape, got.dtype, bits(got)]).toEqual([
                p.name,
                a,
                shape,
                dtype,
                bits(unary(ew.op, x)),
              ])
              continue
            }
            for (const b of VALUES) {
              const y = one(b, dtype, shape)
              const got = p.impl([x, y], {})
              const want = binary(ew.op, x, y, dtype)
              expect([p.name, a, b, got.shape, got.dtype, bits(got)]).toEqual([p.name, a, b, shape, dtype, bits(want)])
            }
          }
        }
      })
    }
  }

  it('leave other operands to the kernels (broadcasting one-element shapes, larger arrays)', () => {
    const mul = registry.get('mul')
    expect(mul).toBeDefined()
    const x = one(3, 'float32', [])
    const y = one(0.5, 'float32', [1, 1])
    const xy = mul?.impl([x, y], {})
    expect([xy?.shape, xy?.toArray()]).toEqual([[1, 1], [[1.5]]])
    const v = new NdArray([2], 'float32', new Float32Array([1, 2]))
    expect(mul?.impl([v, v], {}).toArray()).toEqual([1, 4])
  })
})
