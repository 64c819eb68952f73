/**
 * The strided copy behind transpose, slice, flip and broadcast_in_dim (src/ndarray/kernels/movement.ts)
 * merges axes that read consecutively and copies long contiguous rows with one `set`. Checked here
 * element by element against the definition (output index → input index by the strides), on shapes
 * where the merge applies (NCHW → CNHW transposes, slices of whole rows, size-1 axes), where it
 * must not (reversed axes, steps, broadcasts), rows below and above the run length, several dtypes,
 * and float32 NaN payloads (a copy keeps every bit).
 */
import { describe, expect, it } from 'vitest'
import { NdArray } from '../../src/ndarray/NdArray'
import { broadcastInDim, flip, slice, transpose } from '../../src/ndarray/kernels/movement'
import type { DType } from '../../src/ndarray/dtype'

const make = (shape: number[], dtype: DType): NdArray => {
  const n = shape.reduce((a, b) => a * b, 1)
  const data =
    dtype === 'float64'
      ? Float64Array.from({ length: n }, (_, i) => i * 0.5 - 7)
      : dtype === 'int32'
        ? Int32Array.from({ length: n }, (_, i) => i - 100)
        : dtype === 'bool'
          ? Uint8Array.from({ length: n }, (_, i) => ((i * 7) % 3 === 0 ? 1 : 0))
          : Float32Array.from({ length: n }, (_, i) => i * 0.25 - 3)
  return new NdArray(shape, dtype, data)
}

/** out[idx] = x[offset + Σ idx[i]·strides[i]], by the definition. */
const reference = (x: NdArray, shape: number[], strides: number[], offset: number): number[] => {
  const n = shape.reduce((a, b) => a * b, 1)
  const out: number[] = []
  for (let flat = 0; flat < n; flat++) {
    let rest = flat
    let src = offset
    for (let i = shape.length - 1; i >= 0; i--) {
      const s = shape[i] as number
      src += (rest % s) * (strides[i] as number)
      rest = Math.floor(rest / s)
    }
    out.push(x._data[src] as number)
  }
  return out
}

const rowMajor = (shape: ReadonlyArray<number>): number[] => {
  const st = new Array<number>(shape.length).fill(1)
  for (let i = shape.length - 2; i >= 0; i--) st[i] = (st[i + 1] as number) * (shape[i + 1] as number)
  return st
}

const dtypes: DType[] = ['float32', 'float64', 'int32', 'bool']

describe('strided copy (axis merging, contiguous rows)', () => {
  const shapes = [
    [3, 4, 26, 26],
    [2, 5, 7, 3],
    [4, 1, 40],
    [1, 3, 1, 33],
  ]
  for (const dtype of dtypes)
    for (const shape of shapes)
      it(`transposes ${dtype} [${shape}] by every permutation of its first two axes and a reversal`, () => {
        const x = make(shape, dtype)
        const st = rowMajor(shape)
        const nd = shape.length
        const perms = [
          [1, 0, ...Array.from({ length: nd - 2 }, (_, i) => i + 2)],
          Array.from({ length: nd }, (_, i) => nd - 1 - i),
          Array.from({ length: nd }, (_, i) => i),
        ]
        for (const perm of perms) {
          const y = transpose(x, perm)
          const outShape = perm.map((p) => shape[p] as number)
          expect(y.shape).toEqual(outShape)
          expect(y.dtype).toBe(dtype)
          expect(Array.from(y._data)).toEqual(
            reference(
              x,
              outShape,
              perm.map((p) => st[p] as number),
              0,
            ),
          )
        }
      })

  it('slices whole rows (merged) and stepped rows (not merged)', () => {
    const x = make([6, 5, 64], 'float32')
    const st = rowMajor([6, 5, 64])
    const cases: Array<[number[], number[], number[]]> = [
      [
        [1, 0, 0],
        [5, 5, 64],
        [1, 1, 1],
      ],
      [
        [0, 1, 3],
        [6, 4, 60],
        [1, 1, 1],
      ],
      [
        [0, 0, 0],
        [6, 5, 64],
        [2, 1, 2],
      ],
    ]
    for (const [starts, limits, steps] of cases) {
      const y = slice(x, starts, limits, steps)
      const shape = starts.map((s, i) => Math.ceil(((limits[i] as number) - s) / (steps[i] as number)))
      const offset = starts.reduce((a, s, i) => a + s * (st[i] as number), 0)
      expect(Array.from(y._data)).toEqual(
        reference(
          x,
          shape,
          st.map((s, i) => s * (steps[i] as number)),
          offset,
        ),
      )
    }
  })

  it('flips (negative strides: merged only where both axes reverse) and broadcasts (zero strides)', () => {
    const x = make([3, 4, 50], 'float64')
    const st = rowMajor([3, 4, 50])
    for (const axes of [[0], [2], [1, 2], [0, 1, 2]]) {
      const strides = st.map((s, i) => (axes.includes(i) ? -s : s))
      const offset = axes.reduce((a, i) => a + (([3, 4, 50][i] as number) - 1) * (st[i] as number), 0)
      expect(Array.from(flip(x, axes)._data)).toEqual(reference(x, [3, 4, 50], strides, offset))
    }
    const b = make([4, 40], 'int32')
    const y = broadcastInDim(b, [3, 4, 2, 40], [1, 3])
    expect(Array.from(y._data)).toEqual(reference(b, [3, 4, 2, 40], [0, 40, 0, 1], 0))
  })

  it('keeps float32 NaN payloads bit for bit in copied rows', () => {
    const x = make([2, 3, 64], 'float32')
    const bits = new Uint32Array(x._data.buffer)
    bits[5] = 0x7fc00123
    bits[200] = 0xffa00001
    const y = transpose(x, [1, 0, 2])
    const out = new Uint32Array(y._data.buffer, y._data.byteOffset, y._data.length)
    const st = rowMajor([2, 3, 64])
    const idx = reference(
      new NdArray(
        [2, 3, 64],
        'float32',
        Float32Array.from(bits, (_, i) => i),
      ),
      [3, 2, 64],
      [st[1] as number, st[0] as number, 1],
      0,
    )
    expect(Array.from(out)).toEqual(idx.map((i) => bits[i]))
  })
})
