/** Placeholder until the WebAssembly SIMD kernel lands: reports it unavailable. */
export function wasmGemmAvailable(): boolean {
  return false
}

/** WebAssembly SIMD f32 gemm (not yet implemented). */
export function gemmWasmF32(
  _transA: boolean,
  _transB: boolean,
  _m: number,
  _n: number,
  _k: number,
  _a: Float32Array,
  _aOff: number,
  _b: Float32Array,
  _bOff: number,
  _c: Float32Array,
  _cOff: number,
  _beta: 0 | 1,
): void {
  throw new Error('gemmWasmF32: not implemented')
}
