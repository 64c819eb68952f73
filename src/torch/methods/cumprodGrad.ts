/**
 * `cumprod`'s gradient without create_graph, computed as PyTorch's `cumprod_backward` computes it
 * (2.x: aten/src/ATen/native/ReduceOps.cpp), so its values and signs of zero are PyTorch's. With
 * `w = result · grad`, an input without zeros gets `reversed_cumsum(w) / input`; one with a zero
 * (anywhere in the tensor) gets that before each slice's first zero z1, at z1 the derivative
 * `prod(x[:z1]) · Σ_{z1 ≤ j < z2} grad_j · prod(x[z1+1..j])` (z2: the next zero), and +0 after
 * z1. The running sums and products are CPU scan kernels: they start from +0 (a −0 term vanishes)
 * or 1 and accumulate in double, rounding each result to the dtype; the sum over a slice
 * accumulates in the dtype. The derivation: the product rule on y_j = Π_{i ≤ j} x_i (e.g.
 * Griewank & Walther, "Evaluating Derivatives", 2nd ed., SIAM 2008, ch. 3 on products).
 *
 * @category torch
 * @since 0.2.0
 */
import { NdArray } from '../../ndarray/NdArray'

/** Float rounding of the dtype: float32 rounds each result, float64 keeps it. */
const rounding = (dtype: NdArray['dtype']): ((v: number) => number) =>
  dtype === 'float32' ? Math.fround : (v: number) => v

/**
 * One slice along the axis (`at(k)`: its flat position of element k): writes the gradient of the
 * input elements into `out`.
 */
const slice = (
  n: number,
  at: (k: number) => number,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  g: ArrayLike<number>,
  out: Float32Array | Float64Array,
  r: (v: number) => number,
): void => {
  let z1 = n
  for (let k = 0; k < n; k++)
    if (x[at(k)] === 0) {
      z1 = k
      break
    }
  // before the first zero: reversed_cumsum(w masked to 0 from z1 on) / x, the sum from +0
  let acc = 0
  for (let k = n - 1; k >= 0; k--) {
    if (k < z1) acc += r((y[at(k)] as number) * (g[at(k)] as number))
    out[at(k)] = k < z1 ? r(r(acc) / (x[at(k)] as number)) : 0
  }
  if (z1 === n) return
  let z2 = n
  for (let k = z1 + 1; k < n; k++)
    if (x[at(k)] === 0) {
      z2 = k
      break
    }
  // at z1: Σ_j cumprod(x masked to 1 outside (z1, z2))_j · (grad_j in [z1, z2), else +0), from +0
  let prod = 1
  let sum = 0
  for (let j = 0; j < n; j++) {
    if (j > z1 && j < z2) prod *= x[at(j)] as number
    const term = r(r(prod) * (j >= z1 && j < z2 ? (g[at(j)] as number) : 0))
    sum = r(sum + term)
  }
  const before = z1 === 0 ? 1 : (y[at(z1 - 1)] as number)
  out[at(z1)] = r(sum * before)
}

/**
 * PyTorch's `cumprod_backward(grad, input, axis, result)` (no create_graph) for a float input
 * with more than one element along `axis`: `g` the incoming gradient, `x` the input, `y` the
 * result, all of x's shape and dtype.
 */
export const cumprodGrad = (g: NdArray, x: NdArray, y: NdArray, axis: number): NdArray => {
  const shape = x.shape
  const n = shape[axis] as number
  const inner = shape.slice(axis + 1).reduce((p, d) => p * d, 1)
  const outer = shape.slice(0, axis).reduce((p, d) => p * d, 1)
  const [xs, ys, gs] = [x, y, g].map((a) => a.toTypedArray() as ArrayLike<number>) as [
    ArrayLike<number>,
    ArrayLike<number>,
    ArrayLike<number>,
  ]
  const out = x.dtype === 'float32' ? new Float32Array(x.size) : new Float64Array(x.size)
  const r = rounding(x.dtype)
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i
      slice(n, (k) => base + k * inner, xs, ys, gs, out, r)
    }
  return new NdArray(shape, x.dtype, out)
}
