/**
 * Skinny float32 products on the WebAssembly gemm: C = op(A)·op(B) with a few columns (n < 16,
 * say W2's h·W2 at 128×10 and hᵀ·bc at 256×10) computed as its transpose Cᵀ = op(B)ᵀ·op(A)ᵀ.
 *
 * The float32 micro-kernel's tile is MR × NR = 4 × 8 (rows of C by columns), and C is padded to
 * whole tiles: n = 10 becomes 16 columns (38 % of the kernel's work on padding) while the
 * transposed product's 10 rows become 12 (17 %), and its packed panels of the long side are whole.
 * Measured (µs, float32, min of 1000 interleaved, chrt -r 10, one run): 128×10×256 31.4 → 21.1;
 * 256×10×128 (transA) 38.8 → 22.0, before the transposed store below (~1–3 µs).
 *
 * Same bits as the direct product: each element of C is the same dot product, accumulated over
 * the same KC-deep slices in the same order (KC depends on k only), a product and a sum rounded
 * to float32 per step, whichever side of the product holds it in a SIMD lane. Only overwriting
 * products (beta 0) are swapped: an accumulating store would add C at another point of the sum.
 *
 * @category kernels
 * @since 0.2.0
 */
import type { GemmArgs } from './gemmArgs'
import { gemmWasmImpl } from './wasm/gemmDriver'

/** The float32 micro-kernel's tile: rows and columns of C. */
const MR = 4
const NR = 8
/** Widest n that is swapped (two column panels). */
const MAX_N = 2 * NR
/** Longest kept scratch (elements); larger products take a temporary buffer. */
const KEEP = 1 << 16

let scratch = new Float32Array(0)

const roundUp = (x: number, r: number): number => Math.ceil(x / r) * r

/**
 * Whether the float32 product C[m×n] is cheaper as its transpose on the WebAssembly gemm: n is
 * narrow (3 ≤ n < 16), m is not (m ≥ 16), and the transposed product pads fewer elements of C to
 * whole tiles.
 */
export const skinnySwapPays = (m: number, n: number): boolean =>
  n >= 3 && n < MAX_N && m >= MAX_N && roundUp(n, NR) * roundUp(m, MR) > roundUp(n, MR) * roundUp(m, NR)

/**
 * C ← op(A)·op(B) (float32, beta 0) as Cᵀ = op(B)ᵀ·op(A)ᵀ on the WebAssembly gemm into scratch,
 * then stored transposed into C. The caller has checked the arguments and chosen the WebAssembly
 * path for the direct product.
 */
export const gemmSkinnySwapped = (args: GemmArgs): void => {
  const [transA, transB, m, n, k, a, aOff, b, bOff, c, cOff] = args
  const size = m * n
  if (size > KEEP) {
    storeTransposed(new Float32Array(size), [!transB, !transA, n, m, k, b, bOff, a, aOff], c, cOff, m, n)
    return
  }
  if (scratch.length < size) scratch = new Float32Array(KEEP)
  storeTransposed(scratch, [!transB, !transA, n, m, k, b, bOff, a, aOff], c, cOff, m, n)
}

type Swapped = readonly [boolean, boolean, number, number, number, GemmArgs[5], number, GemmArgs[7], number]

/** Runs the swapped product into `t` (n×m) and writes its transpose into C (m×n at cOff). */
const storeTransposed = (t: Float32Array, s: Swapped, c: GemmArgs[9], cOff: number, m: number, n: number): void => {
  gemmWasmImpl(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], t, 0, 0)
  for (let j = 0; j < n; j++) {
    const row = j * m
    for (let i = 0, o = cOff + j; i < m; i++, o += n) c[o] = t[row + i] as number
  }
}
