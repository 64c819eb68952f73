/**
 * Sorting and running-scan kernels along one axis: a stable sort of several operands by the
 * first `numKeys` of them (JAX's `lax.sort`), top-k along the last axis, and running products,
 * maxima, minima and log-sum-exps (running sums are `cumsum` in `./reduce`). Floats order as
 * NumPy and JAX sort them: −0 equals +0 and NaN sorts after +∞ (all NaNs equal).
 *
 * @category kernels
 * @since 0.2.0
 */
import { allocate, checkInt64, type TypedArray } from '../dtype'
import { NdArray } from '../NdArray'
import { sizeOf } from '../shape'

/** Total order of sort keys: NaN after everything (NaNs tie), −0 equal to +0. */
export const compareKeys = (a: number, b: number): number => {
  if (a < b) return -1
  if (a > b) return 1
  if (a === b) return 0
  const na = Number.isNaN(a)
  return na === Number.isNaN(b) ? 0 : na ? 1 : -1
}

/** The `[outer, n, inner]` view of `shape` around `axis`. */
const lanes = (shape: ReadonlyArray<number>, axis: number): readonly [number, number, number] => [
  sizeOf(shape.slice(0, axis)),
  shape[axis] as number,
  sizeOf(shape.slice(axis + 1)),
]

/**
 * Sorts every operand along `axis` by the lexicographic order of the first `numKeys` operands
 * (all operands share one shape). The sort is stable: ties keep their order along the axis.
 */
export const sortOperands = (operands: ReadonlyArray<NdArray>, axis: number, numKeys: number): NdArray[] => {
  const first = operands[0] as NdArray
  const [outer, n, inner] = lanes(first.shape, axis)
  const keys = operands.slice(0, numKeys).map((k) => k._data)
  const outs = operands.map((x) => allocate(x.dtype, x.size))
  const order = Array.from({ length: n }, (_, i) => i)
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i
      for (let r = 0; r < n; r++) order[r] = r
      order.sort((p, q) => {
        for (const k of keys) {
          const c = compareKeys(k[base + p * inner] as number, k[base + q * inner] as number)
          if (c !== 0) return c
        }
        return p - q
      })
      operands.forEach((x, j) => permuteLane(x._data, outs[j] as TypedArray, order, base, inner))
    }
  return operands.map((x, j) => new NdArray(x.shape, x.dtype, outs[j] as TypedArray))
}

const permuteLane = (src: TypedArray, dst: TypedArray, order: ReadonlyArray<number>, base: number, inner: number) => {
  for (let r = 0; r < order.length; r++) dst[base + r * inner] = src[base + (order[r] as number) * inner] as number
}

/**
 * The `k` largest entries along the last axis, largest first, and their int32 indices. NaN
 * counts as the largest value; equal values keep the lower index first (JAX's `lax.top_k`).
 */
export const topK = (x: NdArray, k: number): [NdArray, NdArray] => {
  const n = x.shape[x.ndim - 1] as number
  const rows = n === 0 ? 0 : x.size / n
  const shape = [...x.shape.slice(0, -1), k]
  const values = allocate(x.dtype, rows * k)
  const indices = allocate('int32', rows * k)
  const d = x._data
  const order = Array.from({ length: n }, (_, i) => i)
  for (let r = 0; r < rows; r++) {
    const base = r * n
    for (let i = 0; i < n; i++) order[i] = i
    order.sort((p, q) => compareKeys(d[base + q] as number, d[base + p] as number) || p - q)
    for (let j = 0; j < k; j++) {
      const at = order[j] as number
      values[r * k + j] = d[base + at] as number
      indices[r * k + j] = at
    }
  }
  return [new NdArray(shape, x.dtype, values), new NdArray(shape, 'int32', indices)]
}

/** The associative operation of a running scan. */
export type ScanOp = 'prod' | 'max' | 'min' | 'logsumexp'

/** log(eᵃ + eᵇ) without overflow; −∞ when both are −∞, NaN when either is. */
const logaddexp = (a: number, b: number): number => {
  const m = a > b ? a : b
  if (m === -Infinity) return Number.isNaN(a) || Number.isNaN(b) ? NaN : -Infinity
  return m + Math.log1p(Math.exp(-Math.abs(a - b)))
}

/** A NaN-propagating binary max/min (NumPy's `maximum`/`minimum`). */
const nanMax = (a: number, b: number): number => (a > b || Number.isNaN(a) ? a : b)
const nanMin = (a: number, b: number): number => (a < b || Number.isNaN(a) ? a : b)

const combiners = (op: ScanOp, int32: boolean): ((a: number, b: number) => number) =>
  op === 'prod' ? (int32 ? Math.imul : (a, b) => a * b) : op === 'max' ? nanMax : op === 'min' ? nanMin : logaddexp

/**
 * Running `op` along `axis` (from the last element back with `reverse`), each partial result
 * rounded to the array's dtype as NumPy's and JAX's scans do (int32 products wrap; int64
 * partial products are checked).
 */
export const cumulative = (op: ScanOp, x: NdArray, axis: number, reverse: boolean): NdArray => {
  const [outer, n, inner] = lanes(x.shape, axis)
  const out = allocate(x.dtype, x.size)
  const d = x._data
  const f = combiners(op, x.dtype === 'int32')
  const first = reverse ? n - 1 : 0
  const step = reverse ? -inner : inner
  for (let o = 0; o < outer; o++) {
    let at = (o * n + first) * inner
    if (n > 0) for (let i = 0; i < inner; i++) out[at + i] = d[at + i] as number
    for (let r = 1; r < n; r++) {
      const prev = at
      at += step
      for (let i = 0; i < inner; i++) out[at + i] = f(out[prev + i] as number, d[at + i] as number)
    }
  }
  if (x.dtype === 'int64') checkInt64(`cum${op}`, out)
  return new NdArray(x.shape, x.dtype, out)
}
