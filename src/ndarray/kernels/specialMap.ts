/**
 * Element-wise application of a scalar float64 function (the special-function kernels of
 * `./special`) to arrays: one input, or two broadcast by NumPy's rules. The result has the first
 * input's dtype (float32 results are rounded once, from the float64 value).
 *
 * @category kernels
 * @since 0.2.0
 */
import { allocate } from '../dtype'
import { NdArray } from '../NdArray'
import { broadcastShapes, sizeOf, stridesOf, type Shape } from '../shape'

/** f(x) element by element. */
export const mapUnary = (f: (x: number) => number, x: NdArray): NdArray => {
  const out = allocate(x.dtype, x.size)
  const d = x._data
  for (let i = 0; i < out.length; i++) out[i] = f(d[i] as number)
  return new NdArray(x.shape, x.dtype, out)
}

/** Strides of `s` read as broadcast into `out` (0 along broadcast axes). */
const broadcastStrides = (s: Shape, out: Shape): number[] => {
  const st = stridesOf(s)
  const pad = out.length - s.length
  return out.map((_, i) => (i < pad || s[i - pad] === 1 ? 0 : (st[i - pad] as number)))
}

/** f(x, y) element by element, broadcasting x and y. */
export const mapBinary = (name: string, f: (x: number, y: number) => number, x: NdArray, y: NdArray): NdArray => {
  const shape = broadcastShapes(name, x.shape, y.shape)
  const n = sizeOf(shape)
  const out = allocate(x.dtype, n)
  const [sx, sy] = [broadcastStrides(x.shape, shape), broadcastStrides(y.shape, shape)]
  const [dx, dy] = [x._data, y._data]
  const idx = new Array<number>(shape.length).fill(0)
  let [ix, iy] = [0, 0]
  for (let i = 0; i < n; i++) {
    out[i] = f(dx[ix] as number, dy[iy] as number)
    // odometer step over the output index, keeping both input offsets
    for (let ax = shape.length - 1; ax >= 0; ax--) {
      const k = (idx[ax] as number) + 1
      if (k < (shape[ax] as number)) {
        idx[ax] = k
        ix += sx[ax] as number
        iy += sy[ax] as number
        break
      }
      idx[ax] = 0
      ix -= (k - 1) * (sx[ax] as number)
      iy -= (k - 1) * (sy[ax] as number)
    }
  }
  return new NdArray(shape, x.dtype, out)
}

/** f(x, y, z) element by element, broadcasting the three inputs. */
export const mapTernary = (
  name: string,
  f: (x: number, y: number, z: number) => number,
  x: NdArray,
  y: NdArray,
  z: NdArray,
): NdArray => {
  const shape = broadcastShapes(name, broadcastShapes(name, x.shape, y.shape), z.shape)
  const n = sizeOf(shape)
  const out = allocate(z.dtype, n)
  const ins = [x, y, z]
  const strides = ins.map((a) => broadcastStrides(a.shape, shape))
  const data = ins.map((a) => a._data)
  const offs = [0, 0, 0]
  const idx = new Array<number>(shape.length).fill(0)
  for (let i = 0; i < n; i++) {
    out[i] = f(data[0]![offs[0]!] as number, data[1]![offs[1]!] as number, data[2]![offs[2]!] as number)
    for (let ax = shape.length - 1; ax >= 0; ax--) {
      const k = (idx[ax] as number) + 1
      const step = k < (shape[ax] as number) ? 1 : 1 - k
      for (let j = 0; j < 3; j++) offs[j] = (offs[j] as number) + step * (strides[j]![ax] as number)
      if (step === 1) {
        idx[ax] = k
        break
      }
      idx[ax] = 0
    }
  }
  return new NdArray(shape, z.dtype, out)
}
