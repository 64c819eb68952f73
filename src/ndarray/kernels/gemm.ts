/**
 * Matrix multiply on raw typed-array buffers.
 *
 * `gemm` computes C[m×n] (+)= op(A)[m×k] · op(B)[k×n] for row-major contiguous buffers. Two
 * implementations sit behind it:
 *
 * - `gemmTs`: pure TypeScript. Small or skinny products take simple loops with no packing; larger
 *   ones are cache-blocked (KC×NC panels of B, MC×KC blocks of A, packed into module-level
 *   Float64Array scratch that grows on demand) and register-tiled (a 4×4 block of C accumulated in
 *   locals). Transposes are handled while packing, never by materialising a transposed copy.
 * - `gemmWasm`: WebAssembly SIMD micro-kernels (f32x4 for float32, f64x2 for float64) generated
 *   at load time by the assembler in `./wasm/`. Used above a size threshold where it wins.
 *   Matrix-vector products (m = 1 or n = 1) go to dedicated dot/axpy kernels (`./wasm/simdGemv`)
 *   instead of the tiled kernel, whose 4×8 tile would be mostly padding.
 */
import { InternalError } from '../errors'
import { packPanels, roundUp } from './pack'
import { gemmWasmImpl, gemmWasmUpdate, wasmGemmAvailable } from './wasm/gemmDriver'
import { gemvWasmImpl, wasmGemvAvailable } from './wasm/simdGemv'
import { gemmSkinnySwapped, skinnySwapPays } from './gemmSkinny'

/** A dense float buffer that the gemm kernels accept; a, b and c of one call share the type. */
export type { FloatBuffer, GemmArgs, GemmUpdate } from './gemmArgs'
import type { FloatBuffer, GemmArgs, GemmUpdate } from './gemmArgs'

/** Which implementation `gemm` uses: always TypeScript, always WebAssembly (when available), or by size. */
export type GemmBackend = 'ts' | 'wasm' | 'auto'

let backend: GemmBackend = 'auto'

/** Selects the implementation behind `gemm` ('auto' = WebAssembly above a size threshold). */
export function setGemmBackend(b: GemmBackend): void {
  backend = b
}

/** The implementation currently selected by `setGemmBackend`. */
export function getGemmBackend(): GemmBackend {
  return backend
}

/** True when the WebAssembly SIMD kernel validated and instantiated in this runtime. */
export { wasmGemmAvailable }

/**
 * 'auto' takes the WebAssembly path when m·n·k ≥ WASM_MIN_WORK, m ≥ WASM_MIN_M and n ≥ WASM_MIN_N
 * (per dtype). Below these the staging/packing around the SIMD kernel (and padding C to whole
 * tiles: 4×8 for f32, 4×4 for f64) costs more than it saves. Measured on a 2-core EPYC, Node 20
 * (GFLOP/s, TS vs WASM). f32: 12³ 3.6 vs 2.5, 14³ 1.6 vs 2.3, 16³ 3.8 vs 7.9, 24³ 4.0 vs 12;
 * 1×512×512 3.3 vs 1.5; 2×512×512 3.2 vs 3.2; 4×512×512 4.1 vs 6.4; 512×4×512 2.8 vs 2.3;
 * 512×6×512 3.3 vs 5.5. f64: 8³ 3.1 vs 2.5, 12³ 3.6 vs 6.0; 1×512×512 2.5 vs 1.5;
 * 4×512×512 3.4 vs 6.1; 512×4×512 2.5 vs 6.3.
 */
const WASM_MIN_WORK_F32 = 14 * 14 * 14
const WASM_MIN_WORK_F64 = 12 * 12 * 12
const WASM_MIN_M = 3
const WASM_MIN_N_F32 = 6
const WASM_MIN_N_F64 = 4
/**
 * m = 1 or n = 1 (matrix-vector): the WebAssembly gemv kernels from this m·n·k on. Measured
 * (µs, TS vs WASM, f32): 16×1×16 1.0 vs 0.46; 1×1×256 0.47 vs 0.31; 1×1×64 0.17 vs 0.25;
 * 256×1×256 55 vs 11 (tA 56 vs 10, tB 75 vs 14); 1×256×256 40 vs 12; 784×1×256 161 vs 35;
 * 1×256×784 120 vs 38. f64: 1×1×64 0.21 vs 0.25; 2×1×64 0.62 vs 0.55; 256×1×256 tA 80 vs 31.
 * Above ~64 KB the copy of the matrix into wasm memory (~21 GB/s) is most of the time.
 */
const GEMV_MIN_WORK_F32 = 256
const GEMV_MIN_WORK_F64 = 256

/**
 * C[m×n] (+)= op(A)[m×k] · op(B)[k×n], all row-major contiguous; op = transpose when the flag is set
 * (A stored k×m when transA, B stored n×k when transB). Offsets in elements. beta 0 = overwrite
 * (NaNs already in C do not leak through), 1 = accumulate. a, b and c must share one dtype, and
 * C must not overlap A or B. Throws a RangeError if a size or offset is not a non-negative integer or
 * an operand runs past the end of its buffer.
 */
export function gemm(...args: GemmArgs): void {
  const [, , m, n, k, a, aOff, b, bOff, c, cOff] = args
  checkArgs(m, n, k, a, aOff, b, bOff, c, cOff)
  if (backend !== 'ts' && sameDtype(a, b, c)) {
    if (m === 1 || n === 1) {
      if ((backend === 'wasm' || gemvPays(m, n, k, c)) && wasmGemvAvailable()) {
        gemvWasm(...args)
        return
      }
    } else if ((backend === 'wasm' || wasmPays(m, n, k, c)) && wasmGemmAvailable()) {
      if (c instanceof Float32Array && args[11] === 0 && skinnySwapPays(m, n)) gemmSkinnySwapped(args)
      else gemmWasmImpl(...args)
      return
    }
  }
  tsGemm(...args)
}

/**
 * C ← P − (op(A)·op(B))·scale (beta must be 0; P is m×n at `u.pOff`, of C's type): the product by
 * the kernel `gemm` picks for this shape, then the SGD update `p − lr·g` with the element-wise
 * kernels' roundings (a product, then a difference, each rounded to the element type). On the
 * WebAssembly gemm the update runs on the staged product before it is stored (the gradient is
 * never copied out); elsewhere it is a pass over C after the product. Same bits either way.
 */
export function gemmUpdate(args: GemmArgs, u: GemmUpdate): void {
  const [, , m, n, k, a, , b, , c, cOff, beta] = args
  const { p, pOff, scale } = u
  if (beta !== 0 || p.constructor !== c.constructor || pOff < 0 || pOff % 1 !== 0 || pOff + m * n > p.length)
    throw new InternalError('gemmUpdate: needs beta 0 and an m×n P of the type of C')
  const wasm = k > 0 && m > 1 && n > 1 && backend !== 'ts' && sameDtype(a, b, c)
  if (wasm && (backend === 'wasm' || wasmPays(m, n, k, c)) && wasmGemmAvailable()) {
    checkArgs(m, n, k, a, args[6], b, args[8], c, cOff)
    gemmWasmUpdate(args, u)
    return
  }
  gemm(...args)
  if (c instanceof Float32Array) {
    const s = Math.fround(scale)
    for (let i = 0; i < m * n; i++) c[cOff + i] = (p[pOff + i] as number) - Math.fround((c[cOff + i] as number) * s)
  } else for (let i = 0; i < m * n; i++) c[cOff + i] = (p[pOff + i] as number) - (c[cOff + i] as number) * scale
}

/**
 * True when `gemm` (beta 0, same-dtype float operands) computes this product with the unpacked
 * TypeScript loops in one k-slice: every element of C is then the sum over p = 0..k-1, in order,
 * of a·b in float64 from 0, stored in C's dtype — which code generated for small products
 * (src/core/bufferedScan.ts) writes out to get the same bits.
 */
export function gemmIsPlainSum(m: number, n: number, k: number, f64: boolean): boolean {
  if (k > KC || !(m < SMALL_DIM || n < SMALL_DIM || m * n * k < BLOCKED_MIN_WORK)) return false
  if (backend === 'ts') return true
  const c = f64 ? new Float64Array(0) : new Float32Array(0)
  if (m === 1 || n === 1) return !((backend === 'wasm' || gemvPays(m, n, k, c)) && wasmGemvAvailable())
  return !((backend === 'wasm' || wasmPays(m, n, k, c)) && wasmGemmAvailable())
}

/**
 * A matrix-vector product (m = 1 or n = 1) on the WebAssembly kernels. With n = 1, op(B) is a
 * contiguous k-vector whatever transB says, and A·x is a row-dot product (`dot`) when A is
 * stored m×k, or a sum of scaled rows (`axpy`) when A is stored k×m (transA); with m = 1,
 * op(A) is the vector and B plays the matrix's part the other way round.
 */
function gemvWasm(...args: GemmArgs): void {
  const [transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, beta] = args
  if (k <= 0) {
    if (beta === 0) c.fill(0, cOff, cOff + m * n)
  } else if (m === 1 && n === 1) {
    gemvWasmImpl(false, 1, k, a, aOff, b, bOff, c, cOff, beta)
  } else if (n === 1) {
    if (transA) gemvWasmImpl(true, k, m, a, aOff, b, bOff, c, cOff, beta)
    else gemvWasmImpl(false, m, k, a, aOff, b, bOff, c, cOff, beta)
  } else if (transB) {
    gemvWasmImpl(false, n, k, b, bOff, a, aOff, c, cOff, beta)
  } else {
    gemvWasmImpl(true, k, n, b, bOff, a, aOff, c, cOff, beta)
  }
}

/** 'auto' policy for m = 1 or n = 1. */
function gemvPays(m: number, n: number, k: number, c: FloatBuffer): boolean {
  return m * n * k >= (c instanceof Float64Array ? GEMV_MIN_WORK_F64 : GEMV_MIN_WORK_F32)
}

/** 'auto' policy: the WebAssembly path is worth its staging cost for this shape and dtype. */
function wasmPays(m: number, n: number, k: number, c: FloatBuffer): boolean {
  return c instanceof Float64Array
    ? m * n * k >= WASM_MIN_WORK_F64 && m >= WASM_MIN_M && n >= WASM_MIN_N_F64
    : m * n * k >= WASM_MIN_WORK_F32 && m >= WASM_MIN_M && n >= WASM_MIN_N_F32
}

function sameDtype(a: FloatBuffer, b: FloatBuffer, c: FloatBuffer): boolean {
  return c instanceof Float32Array
    ? a instanceof Float32Array && b instanceof Float32Array
    : a instanceof Float64Array && b instanceof Float64Array
}

/** Throws a RangeError unless sizes and offsets are non-negative integers and each operand fits its buffer. */
function checkArgs(
  m: number,
  n: number,
  k: number,
  a: FloatBuffer,
  aOff: number,
  b: FloatBuffer,
  bOff: number,
  c: FloatBuffer,
  cOff: number,
): void {
  // Negative or ≥ 2³¹ values make the OR negative; fractions, NaN and ±Infinity fail `% 1`.
  if (
    (m | n | k | aOff | bOff | cOff) < 0 ||
    (m + n + k + aOff + bOff + cOff) % 1 !== 0 ||
    aOff + m * k > a.length ||
    bOff + k * n > b.length ||
    cOff + m * n > c.length
  ) {
    badArgs(m, n, k, a, aOff, b, bOff, c, cOff)
  }
}

/** The throw of `checkArgs`, kept out of line so `checkArgs` stays small enough to inline. */
function badArgs(
  m: number,
  n: number,
  k: number,
  a: FloatBuffer,
  aOff: number,
  b: FloatBuffer,
  bOff: number,
  c: FloatBuffer,
  cOff: number,
): never {
  throw new RangeError(
    `gemm: bad sizes or offsets (m=${m}, n=${n}, k=${k}; aOff=${aOff} of ${a.length}, ` +
      `bOff=${bOff} of ${b.length}, cOff=${cOff} of ${c.length})`,
  )
}

/**
 * The WebAssembly SIMD implementation (same contract as `gemm`). Throws a TypeError unless a, b and
 * c are all Float32Array or all Float64Array, and an Error if WebAssembly SIMD is unavailable (see
 * `wasmGemmAvailable`).
 */
export function gemmWasm(...args: GemmArgs): void {
  const [, , m, n, k, a, aOff, b, bOff, c, cOff] = args
  if (!sameDtype(a, b, c)) throw new TypeError('gemmWasm: a, b and c must share one dtype')
  checkArgs(m, n, k, a, aOff, b, bOff, c, cOff)
  if (!wasmGemmAvailable() || !wasmGemvAvailable())
    throw new InternalError('gemmWasm: WebAssembly SIMD is not available')
  if (m === 1 || n === 1) gemvWasm(...args)
  else gemmWasmImpl(...args)
}

// ---------------------------------------------------------------------------------------------
// Pure TypeScript implementation
// ---------------------------------------------------------------------------------------------

/** Register tile: MR rows × NR columns of C live in locals inside `kernel4x4`. */
const MR = 4
const NR = 4
/** Depth of a packed panel (k-block), rows of A per packed block, columns of B per packed block. */
const KC = 256
const MC = 64
const NC = 1024
/** Below this m·n·k, or when m or n is below SMALL_DIM, the simple unpacked loops are faster. */
const BLOCKED_MIN_WORK = 32 * 32 * 16
const SMALL_DIM = 8

/** Packing scratch, grown on demand (at most MC×KC and KC×NC doubles) and reused across calls. */
let packA = new Float64Array(0)
let packB = new Float64Array(0)
/** Scratch C tile for edge tiles (fewer than MR rows or NR columns valid). */
const edgeTile = new Float64Array(MR * NR)

/**
 * The pure-TypeScript implementation (any dtype; same contract as `gemm`). Exported so tests and
 * benchmarks can compare it against the WebAssembly path.
 */
export function gemmTs(...args: GemmArgs): void {
  const [, , m, n, k, a, aOff, b, bOff, c, cOff] = args
  checkArgs(m, n, k, a, aOff, b, bOff, c, cOff)
  tsGemm(...args)
}

function tsGemm(...args: GemmArgs): void {
  const [transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, beta] = args
  if (m <= 0 || n <= 0) return
  if (k <= 0) {
    if (beta === 0) c.fill(0, cOff, cOff + m * n)
    return
  }
  // Element (i, p) of op(A) is a[aOff + i*ars + p*acs]; element (p, j) of op(B) is b[bOff + p*brs + j*bcs].
  const ars = transA ? 1 : k
  const acs = transA ? m : 1
  const brs = transB ? 1 : n
  const bcs = transB ? k : 1
  if (m < SMALL_DIM || n < SMALL_DIM || m * n * k < BLOCKED_MIN_WORK) {
    gemmSmall(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, beta)
  } else {
    if (beta === 0) c.fill(0, cOff, cOff + m * n)
    gemmBlocked(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff)
  }
}

/**
 * Unpacked register-tiled loops for small or skinny products: 4×4 tiles of C read straight from the
 * strided operands, then 4×1, 1×4 and 1×1 edges. No scratch, no packing.
 */
function gemmSmall(
  m: number,
  n: number,
  k: number,
  a: FloatBuffer,
  aOff: number,
  ars: number,
  acs: number,
  b: FloatBuffer,
  bOff: number,
  brs: number,
  bcs: number,
  c: FloatBuffer,
  cOff: number,
  beta: 0 | 1,
): void {
  const m4 = m - (m % 4)
  const n4 = n - (n % 4)
  for (let i = 0; i < m4; i += 4) {
    const ai = aOff + i * ars
    const ci = cOff + i * n
    for (let j = 0; j < n4; j += 4) small4x4(k, a, ai, ars, acs, b, bOff + j * bcs, brs, bcs, c, ci + j, n, beta)
    for (let j = n4; j < n; j++) small4x1(k, a, ai, ars, acs, b, bOff + j * bcs, brs, c, ci + j, n, beta)
  }
  if (m4 === m) return
  let j0 = 0
  if (bcs === 1 && n >= 8) {
    // Rows of op(B) are contiguous: eight columns at a time in eight accumulators, over KC-deep
    // slices of B so that the leftover rows reuse a slice from cache and B is walked page by page.
    j0 = n - (n % 8)
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = k - p0 < KC ? k - p0 : KC
      const bet: 0 | 1 = p0 === 0 ? beta : 1
      for (let i = m4; i < m; i++) {
        const ai = aOff + i * ars + p0 * acs
        const ci = cOff + i * n
        const bp = bOff + p0 * brs
        for (let j = 0; j < j0; j += 8) small1x8(kc, a, ai, acs, b, bp + j, brs, c, ci + j, bet)
      }
    }
  }
  for (let i = m4; i < m; i++) {
    const ai = aOff + i * ars
    const ci = cOff + i * n
    for (let j = j0; j < n4; j += 4) small1x4(k, a, ai, acs, b, bOff + j * bcs, brs, bcs, c, ci + j, beta)
    for (let j = j0 > n4 ? j0 : n4; j < n; j++) {
      let s = 0
      let ap = ai
      let bp = bOff + j * bcs
      for (let p = 0; p < k; p++) {
        s += (a[ap] as number) * (b[bp] as number)
        ap += acs
        bp += brs
      }
      c[ci + j] = beta === 0 ? s : (c[ci + j] as number) + s
    }
  }
}

/** C[0, 0:8] (+)= A[0, :] · B[:, 0:8] where the eight columns of each row of op(B) are contiguous. */
function small1x8(
  k: number,
  a: FloatBuffer,
  ai: number,
  acs: number,
  b: FloatBuffer,
  bj: number,
  brs: number,
  C: FloatBuffer,
  ci: number,
  beta: 0 | 1,
): void {
  let c0 = 0,
    c1 = 0,
    c2 = 0,
    c3 = 0,
    c4 = 0,
    c5 = 0,
    c6 = 0,
    c7 = 0
  for (let p = 0; p < k; p++) {
    const av = a[ai] as number
    c0 += av * (b[bj] as number)
    c1 += av * (b[bj + 1] as number)
    c2 += av * (b[bj + 2] as number)
    c3 += av * (b[bj + 3] as number)
    c4 += av * (b[bj + 4] as number)
    c5 += av * (b[bj + 5] as number)
    c6 += av * (b[bj + 6] as number)
    c7 += av * (b[bj + 7] as number)
    ai += acs
    bj += brs
  }
  if (beta === 1) {
    c0 += C[ci] as number
    c1 += C[ci + 1] as number
    c2 += C[ci + 2] as number
    c3 += C[ci + 3] as number
    c4 += C[ci + 4] as number
    c5 += C[ci + 5] as number
    c6 += C[ci + 6] as number
    c7 += C[ci + 7] as number
  }
  C[ci] = c0
  C[ci + 1] = c1
  C[ci + 2] = c2
  C[ci + 3] = c3
  C[ci + 4] = c4
  C[ci + 5] = c5
  C[ci + 6] = c6
  C[ci + 7] = c7
}

function small4x4(
  k: number,
  a: FloatBuffer,
  ai: number,
  ars: number,
  acs: number,
  b: FloatBuffer,
  bj: number,
  brs: number,
  bcs: number,
  C: FloatBuffer,
  ci: number,
  ldc: number,
  beta: 0 | 1,
): void {
  let c00 = 0,
    c01 = 0,
    c02 = 0,
    c03 = 0
  let c10 = 0,
    c11 = 0,
    c12 = 0,
    c13 = 0
  let c20 = 0,
    c21 = 0,
    c22 = 0,
    c23 = 0
  let c30 = 0,
    c31 = 0,
    c32 = 0,
    c33 = 0
  const a1o = ars
  const a2o = 2 * ars
  const a3o = 3 * ars
  const b1o = bcs
  const b2o = 2 * bcs
  const b3o = 3 * bcs
  for (let p = 0; p < k; p++) {
    const a0 = a[ai] as number
    const a1 = a[ai + a1o] as number
    const a2 = a[ai + a2o] as number
    const a3 = a[ai + a3o] as number
    let bv = b[bj] as number
    c00 += a0 * bv
    c10 += a1 * bv
    c20 += a2 * bv
    c30 += a3 * bv
    bv = b[bj + b1o] as number
    c01 += a0 * bv
    c11 += a1 * bv
    c21 += a2 * bv
    c31 += a3 * bv
    bv = b[bj + b2o] as number
    c02 += a0 * bv
    c12 += a1 * bv
    c22 += a2 * bv
    c32 += a3 * bv
    bv = b[bj + b3o] as number
    c03 += a0 * bv
    c13 += a1 * bv
    c23 += a2 * bv
    c33 += a3 * bv
    ai += acs
    bj += brs
  }
  if (beta === 1) {
    c00 += C[ci] as number
    c01 += C[ci + 1] as number
    c02 += C[ci + 2] as number
    c03 += C[ci + 3] as number
    c10 += C[ci + ldc] as number
    c11 += C[ci + ldc + 1] as number
    c12 += C[ci + ldc + 2] as number
    c13 += C[ci + ldc + 3] as number
    c20 += C[ci + 2 * ldc] as number
    c21 += C[ci + 2 * ldc + 1] as number
    c22 += C[ci + 2 * ldc + 2] as number
    c23 += C[ci + 2 * ldc + 3] as number
    c30 += C[ci + 3 * ldc] as number
    c31 += C[ci + 3 * ldc + 1] as number
    c32 += C[ci + 3 * ldc + 2] as number
    c33 += C[ci + 3 * ldc + 3] as number
  }
  C[ci] = c00
  C[ci + 1] = c01
  C[ci + 2] = c02
  C[ci + 3] = c03
  ci += ldc
  C[ci] = c10
  C[ci + 1] = c11
  C[ci + 2] = c12
  C[ci + 3] = c13
  ci += ldc
  C[ci] = c20
  C[ci + 1] = c21
  C[ci + 2] = c22
  C[ci + 3] = c23
  ci += ldc
  C[ci] = c30
  C[ci + 1] = c31
  C[ci + 2] = c32
  C[ci + 3] = c33
}

function small4x1(
  k: number,
  a: FloatBuffer,
  ai: number,
  ars: number,
  acs: number,
  b: FloatBuffer,
  bj: number,
  brs: number,
  C: FloatBuffer,
  ci: number,
  ldc: number,
  beta: 0 | 1,
): void {
  let c0 = 0,
    c1 = 0,
    c2 = 0,
    c3 = 0
  const a1o = ars
  const a2o = 2 * ars
  const a3o = 3 * ars
  for (let p = 0; p < k; p++) {
    const bv = b[bj] as number
    c0 += (a[ai] as number) * bv
    c1 += (a[ai + a1o] as number) * bv
    c2 += (a[ai + a2o] as number) * bv
    c3 += (a[ai + a3o] as number) * bv
    ai += acs
    bj += brs
  }
  if (beta === 1) {
    c0 += C[ci] as number
    c1 += C[ci + ldc] as number
    c2 += C[ci + 2 * ldc] as number
    c3 += C[ci + 3 * ldc] as number
  }
  C[ci] = c0
  C[ci + ldc] = c1
  C[ci + 2 * ldc] = c2
  C[ci + 3 * ldc] = c3
}

function small1x4(
  k: number,
  a: FloatBuffer,
  ai: number,
  acs: number,
  b: FloatBuffer,
  bj: number,
  brs: number,
  bcs: number,
  C: FloatBuffer,
  ci: number,
  beta: 0 | 1,
): void {
  let c0 = 0,
    c1 = 0,
    c2 = 0,
    c3 = 0
  const b1o = bcs
  const b2o = 2 * bcs
  const b3o = 3 * bcs
  for (let p = 0; p < k; p++) {
    const av = a[ai] as number
    c0 += av * (b[bj] as number)
    c1 += av * (b[bj + b1o] as number)
    c2 += av * (b[bj + b2o] as number)
    c3 += av * (b[bj + b3o] as number)
    ai += acs
    bj += brs
  }
  if (beta === 1) {
    c0 += C[ci] as number
    c1 += C[ci + 1] as number
    c2 += C[ci + 2] as number
    c3 += C[ci + 3] as number
  }
  C[ci] = c0
  C[ci + 1] = c1
  C[ci + 2] = c2
  C[ci + 3] = c3
}

/** Goto-style blocked product: NC-wide panels of B, KC-deep slices, MC-tall blocks of A, 4×4 tiles. */
function gemmBlocked(
  m: number,
  n: number,
  k: number,
  a: FloatBuffer,
  aOff: number,
  ars: number,
  acs: number,
  b: FloatBuffer,
  bOff: number,
  brs: number,
  bcs: number,
  c: FloatBuffer,
  cOff: number,
): void {
  const kcMax = k < KC ? k : KC
  const ncMax = n < NC ? n : NC
  const needB = kcMax * roundUp(ncMax, NR)
  if (packB.length < needB) packB = new Float64Array(needB)
  const needA = kcMax * roundUp(m < MC ? m : MC, MR)
  if (packA.length < needA) packA = new Float64Array(needA)
  const pa = packA
  const pb = packB
  const tile = edgeTile
  for (let j0 = 0; j0 < n; j0 += NC) {
    const nc = n - j0 < NC ? n - j0 : NC
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = k - p0 < KC ? k - p0 : KC
      // op(B)[p0:p0+kc, j0:j0+nc] → NR-wide panels: element (p, j) at pb[(j/NR)*kc*NR + p*NR + j%NR].
      packPanels(b, bOff + p0 * brs + j0 * bcs, bcs, brs, nc, kc, pb, 0, NR)
      for (let i0 = 0; i0 < m; i0 += MC) {
        const mc = m - i0 < MC ? m - i0 : MC
        // op(A)[i0:i0+mc, p0:p0+kc] → MR-tall panels: element (i, p) at pa[(i/MR)*kc*MR + p*MR + i%MR].
        packPanels(a, aOff + i0 * ars + p0 * acs, ars, acs, mc, kc, pa, 0, MR)
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = nc - jr < NR ? nc - jr : NR
          const bi = jr * kc
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = mc - ir < MR ? mc - ir : MR
            const ci = cOff + (i0 + ir) * n + j0 + jr
            if (mr === MR && nr === NR) {
              kernel4x4(kc, pa, ir * kc, pb, bi, c, ci, n)
            } else {
              tile.fill(0)
              kernel4x4(kc, pa, ir * kc, pb, bi, tile, 0, NR)
              for (let r = 0; r < mr; r++) {
                const cr = ci + r * n
                for (let q = 0; q < nr; q++) c[cr + q] = (c[cr + q] as number) + (tile[r * NR + q] as number)
              }
            }
          }
        }
      }
    }
  }
}

/**
 * C[4×4 at ci, row stride ldc] += Apanel(4×kc) · Bpanel(kc×4), accumulated in 16 locals.
 * Each b value is loaded just before its four products so fewer values are live at once.
 */
function kernel4x4(
  kc: number,
  A: Float64Array,
  ai: number,
  B: Float64Array,
  bi: number,
  C: FloatBuffer,
  ci: number,
  ldc: number,
): void {
  let c00 = 0,
    c01 = 0,
    c02 = 0,
    c03 = 0
  let c10 = 0,
    c11 = 0,
    c12 = 0,
    c13 = 0
  let c20 = 0,
    c21 = 0,
    c22 = 0,
    c23 = 0
  let c30 = 0,
    c31 = 0,
    c32 = 0,
    c33 = 0
  for (let p = 0; p < kc; p++) {
    const a0 = A[ai] as number
    const a1 = A[ai + 1] as number
    const a2 = A[ai + 2] as number
    const a3 = A[ai + 3] as number
    let bv = B[bi] as number
    c00 += a0 * bv
    c10 += a1 * bv
    c20 += a2 * bv
    c30 += a3 * bv
    bv = B[bi + 1] as number
    c01 += a0 * bv
    c11 += a1 * bv
    c21 += a2 * bv
    c31 += a3 * bv
    bv = B[bi + 2] as number
    c02 += a0 * bv
    c12 += a1 * bv
    c22 += a2 * bv
    c32 += a3 * bv
    bv = B[bi + 3] as number
    c03 += a0 * bv
    c13 += a1 * bv
    c23 += a2 * bv
    c33 += a3 * bv
    ai += 4
    bi += 4
  }
  C[ci] = (C[ci] as number) + c00
  C[ci + 1] = (C[ci + 1] as number) + c01
  C[ci + 2] = (C[ci + 2] as number) + c02
  C[ci + 3] = (C[ci + 3] as number) + c03
  ci += ldc
  C[ci] = (C[ci] as number) + c10
  C[ci + 1] = (C[ci + 1] as number) + c11
  C[ci + 2] = (C[ci + 2] as number) + c12
  C[ci + 3] = (C[ci + 3] as number) + c13
  ci += ldc
  C[ci] = (C[ci] as number) + c20
  C[ci + 1] = (C[ci + 1] as number) + c21
  C[ci + 2] = (C[ci + 2] as number) + c22
  C[ci + 3] = (C[ci + 3] as number) + c23
  ci += ldc
  C[ci] = (C[ci] as number) + c30
  C[ci + 1] = (C[ci + 1] as number) + c31
  C[ci + 2] = (C[ci + 2] as number) + c32
  C[ci + 3] = (C[ci + 3] as number) + c33
}
