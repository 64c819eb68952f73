/**
 * Batched matrix product with transpose flags, on top of the blocked {@link gemm} kernel.
 * Transposed operands are never materialised: the flags go to the kernel, which packs panels.
 *
 * @category kernels
 * @since 0.1.0
 */
import { allocate, allocateUninit, checkInt64 } from '../dtype'
import { NdArray } from '../NdArray'
import { sizeOf } from '../shape'
import { gemm, gemmUpdate } from './gemm'
import { at } from '../../internal/at'
import { InternalError } from '../errors'

/**
 * `op(a) @ op(b)` over equal leading batch axes: `a` is [..., m, k] ([..., k, m] when
 * `transA`), `b` is [..., k, n] ([..., n, k] when `transB`). Shapes are checked by the caller.
 */
export const matmul = (a: NdArray, b: NdArray, transA: boolean, transB: boolean): NdArray => {
  const nd = a.ndim
  const m = at(a.shape, transA ? nd - 1 : nd - 2, 'matmul: a.shape')
  const k = at(a.shape, transA ? nd - 2 : nd - 1, 'matmul: a.shape')
  const n = at(b.shape, transB ? nd - 2 : nd - 1, 'matmul: b.shape')
  const batchShape = a.shape.slice(0, nd - 2)
  const batch = sizeOf(batchShape)
  // gemm overwrites C (beta 0) unless k = 0
  const out = k === 0 ? allocate(a.dtype, batch * m * n) : allocateUninit(a.dtype, batch * m * n)
  const ad = a._data
  const bd = b._data
  if (
    (ad instanceof Float32Array && bd instanceof Float32Array && out instanceof Float32Array) ||
    (ad instanceof Float64Array && bd instanceof Float64Array && out instanceof Float64Array)
  ) {
    for (let i = 0; i < batch; i++) gemm(transA, transB, m, n, k, ad, i * m * k, bd, i * k * n, out, i * m * n, 0)
  } else {
    // integer matmul: plain loops (rare; indices, counts)
    for (let t = 0; t < batch; t++) {
      const ao = t * m * k
      const bo = t * k * n
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0
          for (let p = 0; p < k; p++) {
            const av = ad[ao + (transA ? p * m + i : i * k + p)] as number
            const bv = bd[bo + (transB ? j * k + p : p * n + j)] as number
            s += av * bv
          }
          out[t * m * n + i * n + j] = s
        }
      }
    }
  }
  // int64 (float64 storage): products and sums are exact while partial sums stay within ±(2⁵³ − 1)
  if (a.dtype === 'int64') checkInt64('matmul', out)
  return new NdArray([...batchShape, m, n], a.dtype, out)
}

/**
 * The SGD update `p − op(a)@op(b)·scale` of two-dimensional float operands of one dtype (`p` of the
 * product's shape), with the bits of `matmul` followed by the element-wise product and difference:
 * the product's kernel applies the update as it stores (see `gemmUpdate`).
 */
export const matmulUpdate = (
  a: NdArray,
  b: NdArray,
  transA: boolean,
  transB: boolean,
  p: NdArray,
  scale: number,
): NdArray => {
  const m = at(a.shape, transA ? 1 : 0, 'matmulUpdate: a.shape')
  const k = at(a.shape, transA ? 0 : 1, 'matmulUpdate: a.shape')
  const n = at(b.shape, transB ? 0 : 1, 'matmulUpdate: b.shape')
  const [ad, bd, pd] = [a._data, b._data, p._data]
  const out = allocateUninit(a.dtype, m * n)
  const f32 = ad instanceof Float32Array && bd instanceof Float32Array && pd instanceof Float32Array
  if (
    a.ndim !== 2 ||
    b.ndim !== 2 ||
    pd.length !== m * n ||
    !(out instanceof Float32Array || out instanceof Float64Array)
  )
    throw new InternalError('matmulUpdate: needs 2-d float operands and p of the product shape')
  if (f32 && out instanceof Float32Array)
    gemmUpdate([transA, transB, m, n, k, ad, 0, bd, 0, out, 0, 0], { p: pd, pOff: 0, scale })
  else if (
    ad instanceof Float64Array &&
    bd instanceof Float64Array &&
    pd instanceof Float64Array &&
    out instanceof Float64Array
  )
    gemmUpdate([transA, transB, m, n, k, ad, 0, bd, 0, out, 0, 0], { p: pd, pOff: 0, scale })
  else throw new InternalError('matmulUpdate: needs operands of one float dtype')
  return new NdArray([m, n], a.dtype, out)
}
