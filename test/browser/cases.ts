/**
 * The inputs of the browser checks and their float64 references, shared by the page that runs
 * wengert in Chromium (./page.ts, bundled) and by the test that reads its results
 * (./browser.test.ts). Nothing here imports wengert: the references are mathematics in float64.
 */

/** The point of the scalar checks: f(x) = Σ sin(xᵢ)·xᵢ. */
export const X = [0.5, 1, 1.5, 2, -0.75]

/** float32 rounding of the inputs, as `array(X)` stores them. */
const f32 = (xs: ReadonlyArray<number>): number[] => xs.map((v) => Math.fround(v))

/** Σ sin(x)·x and its gradient sin(x) + x·cos(x). */
export const refF = (): number => f32(X).reduce((s, x) => s + Math.sin(x) * x, 0)
export const refGrad = (): number[] => f32(X).map((x) => Math.sin(x) + x * Math.cos(x))

/** Rows for vmap: g(row) = Σ row², so vmap(g)(M) is each row's squared norm. */
export const ROWS = [
  [1, 2, 3],
  [-1, 0.5, 4],
  [0.25, -2, 1],
]
export const refRowNorms = (): number[] => ROWS.map((r) => f32(r).reduce((s, v) => s + v * v, 0))

/** Large enough (n×n, n = 96) that the matrix product and the element-wise ops take the SIMD kernels. */
export const N = 96
/** Matrix entries: A[i][j] = sin(0.1·i + 0.07·j), B[i][j] = cos(0.05·i − 0.11·j). */
export const matA = (): Float32Array =>
  Float32Array.from({ length: N * N }, (_, t) => Math.sin(0.1 * Math.floor(t / N) + 0.07 * (t % N)))
export const matB = (): Float32Array =>
  Float32Array.from({ length: N * N }, (_, t) => Math.cos(0.05 * Math.floor(t / N) - 0.11 * (t % N)))

/** A·B in float64 from the float32 entries. */
export const refMatmul = (): number[] => {
  const a = matA()
  const b = matB()
  const c = new Array<number>(N * N).fill(0)
  for (let i = 0; i < N; i++)
    for (let k = 0; k < N; k++) {
      const aik = a[i * N + k] as number
      for (let j = 0; j < N; j++) c[i * N + j] = (c[i * N + j] as number) + aik * (b[k * N + j] as number)
    }
  return c
}

/** Σ exp(A)·B over all entries (element-wise SIMD ops and a SIMD reduction), in float64. */
export const refExpMulSum = (): number => {
  const a = matA()
  const b = matB()
  let s = 0
  for (let t = 0; t < N * N; t++) s += Math.exp(a[t] as number) * (b[t] as number)
  return s
}

/**
 * The facade's check: loss = Σ tanh(W·x + b)² with W (2×3), x (3), b (2); d loss/dW and
 * d loss/db by the chain rule in float64.
 */
export const W = [
  [0.5, -1, 0.25],
  [1.5, 0.5, -0.5],
]
export const XV = [1, 2, -1]
export const BIAS = [0.1, -0.2]
export const refFacade = (): { loss: number; gradW: number[][]; gradB: number[] } => {
  const z = W.map((row, i) =>
    f32(row).reduce((s, w, j) => s + w * Math.fround(XV[j] as number), Math.fround(BIAS[i] as number)),
  )
  const t = z.map(Math.tanh)
  const dz = t.map((ti) => 2 * ti * (1 - ti * ti))
  return {
    loss: t.reduce((s, ti) => s + ti * ti, 0),
    gradW: dz.map((d) => XV.map((xj) => d * xj)),
    gradB: dz,
  }
}

/** What the page reports (window.__result). */
export interface PageResult {
  readonly info: { codegen: boolean; wasm: boolean; simd: boolean; threads: number }
  readonly numThreads: number
  /** Whether the page's CSP let `new Function` and WebAssembly compile (probed by the page itself). */
  readonly evalAllowed: boolean
  readonly wasmAllowed: boolean
  readonly workerAvailable: boolean
  readonly values: Readonly<Record<string, ReadonlyArray<number>>>
  readonly error?: string
}
