/**
 * The WebAssembly memory shared by every kernel module (gemm, gemv, element-wise, reductions),
 * and lazy instantiation of those modules.
 *
 * The memory is scratch: a kernel call stages its operands, runs, and copies its results out
 * before it returns, and kernels never call each other, so every call may use it from byte 0.
 * It grows on demand and never shrinks. Each module is compiled synchronously the first time it
 * is needed, so each stays under the 4 KiB that browsers allow for a synchronous compile on the
 * main thread; where WebAssembly (or its SIMD) is missing, `instantiate` returns null and the
 * callers keep their TypeScript paths.
 */
import { InternalError } from '../../errors'

/** Typed views of the memory's buffer, refreshed after growth (read them after `ensureBytes`). */
export interface MemoryViews {
  f32: Float32Array
  f64: Float64Array
  u8: Uint8Array
}

interface Runtime {
  readonly memory: WebAssembly.Memory
  readonly views: MemoryViews
}

/** undefined = not tried yet, null = WebAssembly unavailable. */
let runtime: Runtime | null | undefined

function init(): Runtime | null {
  try {
    if (typeof WebAssembly === 'undefined') return null
    const memory = new WebAssembly.Memory({ initial: 16 })
    const buf = memory.buffer
    return { memory, views: { f32: new Float32Array(buf), f64: new Float64Array(buf), u8: new Uint8Array(buf) } }
  } catch {
    return null
  }
}

function getRuntime(): Runtime | null {
  if (runtime === undefined) runtime = init()
  return runtime
}

/**
 * Validates and instantiates a kernel module that imports the shared memory as `env.memory`;
 * null when WebAssembly or one of the module's instructions (SIMD) is unavailable.
 */
export function instantiate(bytes: Uint8Array<ArrayBuffer>): WebAssembly.Exports | null {
  const rt = getRuntime()
  if (rt === null) return null
  try {
    // Validation is the feature test: it fails where SIMD is unsupported.
    if (!WebAssembly.validate(bytes)) return null
    return new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory: rt.memory } }).exports
  } catch {
    return null
  }
}

/** The smallest module (magic and version): compiling it tests whether WebAssembly may compile here. */
const EMPTY_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00])

let compiles: boolean | undefined

/**
 * True when WebAssembly exists and may compile modules: false without it, and under a
 * Content-Security-Policy that allows neither 'wasm-unsafe-eval' nor 'unsafe-eval'.
 */
export function wasmAvailable(): boolean {
  if (compiles === undefined) compiles = getRuntime() !== null && instantiate(EMPTY_MODULE) !== null
  return compiles
}

/**
 * The views of the shared memory, grown to at least `bytes` bytes. Callers must have instantiated
 * a module first (so the runtime exists).
 */
export function ensureBytes(bytes: number): MemoryViews {
  const rt = getRuntime()
  if (rt === null) throw new InternalError('wasm runtime: WebAssembly is not available')
  const have = rt.memory.buffer.byteLength
  if (have < bytes) rt.memory.grow(Math.ceil((bytes - have) / 65536))
  const v = rt.views
  if (v.f32.buffer !== rt.memory.buffer) {
    const buf = rt.memory.buffer
    v.f32 = new Float32Array(buf)
    v.f64 = new Float64Array(buf)
    v.u8 = new Uint8Array(buf)
  }
  return v
}

/** A kernel export as a typed function, or null when missing. */
export function exported<F>(exports: WebAssembly.Exports, name: string): F | null {
  const f = exports[name]
  return typeof f === 'function' ? (f as F) : null
}
