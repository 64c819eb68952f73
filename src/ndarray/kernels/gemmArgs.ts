/**
 * The calling convention of every gemm implementation (`gemm`, `gemmTs`, `gemmWasm` and the
 * WebAssembly driver), BLAS-style: C[m×n] (+)= op(A)·op(B), offsets in elements, beta 0 =
 * overwrite, 1 = accumulate.
 *
 * @category kernels
 * @since 0.1.0
 */

/** A float buffer a gemm reads or writes. */
export type FloatBuffer = Float32Array | Float64Array

/** gemm's arguments, in order. */
export type GemmArgs = readonly [
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: FloatBuffer,
  aOff: number,
  b: FloatBuffer,
  bOff: number,
  c: FloatBuffer,
  cOff: number,
  beta: 0 | 1,
]

/**
 * An epilogue of a product's store: C ← P − C·scale, each operation rounded to the element type
 * (the SGD update `p − lr·g` written in place of the gradient g = op(A)·op(B)). P is m×n at `pOff`.
 */
export interface GemmUpdate {
  readonly p: FloatBuffer
  readonly pOff: number
  readonly scale: number
}
