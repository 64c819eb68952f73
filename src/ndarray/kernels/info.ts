/**
 * Which kernel implementations are active in this runtime: compiled JavaScript loops or
 * closures, WebAssembly SIMD or TypeScript, and how many threads.
 *
 * @category kernels
 * @since 0.2.0
 */
import { canCompile } from './elementwise'
import { wasmGemmAvailable } from './wasm/gemmDriver'
import { wasmAvailable } from './wasm/runtime'
import { wasmElementwiseAvailable } from './wasm/simdElementwise'
import { wasmGemvAvailable } from './wasm/simdGemv'
import { wasmReduceAvailable } from './wasm/simdReduce'
import { getNumThreads } from './wasm/threadCount'

/**
 * The kernel paths in use, as `kernelInfo()` reports them.
 *
 * @category ndarray
 * @since 0.2.0
 */
export interface KernelInfo {
  /**
   * True when the element-wise loops are generated JavaScript (`new Function`); false where code
   * generation is not allowed (a Content-Security-Policy without 'unsafe-eval',
   * `node --disallow-code-generation-from-strings`), where the same loops call closures built from
   * the same expressions, giving the same results. `jit` then interprets its programs.
   */
  readonly codegen: boolean
  /** True when WebAssembly may compile modules here (a CSP needs 'wasm-unsafe-eval' for it). */
  readonly wasm: boolean
  /**
   * True when the WebAssembly SIMD kernels (matrix products, large element-wise ops and
   * reductions) run; false: their TypeScript versions run instead.
   */
  readonly simd: boolean
  /**
   * The threads the large matrix products use, the calling thread included: `getNumThreads()`
   * where the SIMD kernels run, else 1.
   */
  readonly threads: number
}

/**
 * Which kernel paths are active: generated loops or closures (`codegen`), WebAssembly and its
 * SIMD kernels or TypeScript (`wasm`, `simd`), and the thread count. Each is chosen by what the
 * runtime allows, once; results do not depend on the choice.
 *
 * @example
 * import { kernelInfo } from 'wengert'
 * const info = kernelInfo()
 * assert.strictEqual(typeof info.codegen, 'boolean')
 * assert.ok(!info.simd || info.wasm)
 * assert.ok(Number.isInteger(info.threads) && info.threads >= 1)
 * @category ndarray
 * @since 0.2.0
 */
export function kernelInfo(): KernelInfo {
  const wasm = wasmAvailable()
  const simd = wasm && wasmGemmAvailable() && wasmGemvAvailable() && wasmElementwiseAvailable() && wasmReduceAvailable()
  return { codegen: canCompile, wasm, simd, threads: simd ? getNumThreads() : 1 }
}
