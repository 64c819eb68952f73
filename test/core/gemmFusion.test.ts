/**
 * The SGD update fused into a product's store in jit's programs (src/core/gemmFusion.ts):
 * `sub(p, mul(matmul(a, b), s))` runs as one call whose results equal the unfused program's
 * (the interpreter, no code generation) bit for bit, on every gemm path — the WebAssembly driver
 * (one thread and split across helpers), TypeScript, and the one-column products — for float32
 * and float64, both transposes, the scale as a constant or a traced scalar, either operand order
 * of the product by the scale, and special values (signed zeros, infinities, NaN) in p. When the
 * gradient has another use, or p broadcasts, nothing is fused and the results are still equal.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { array, matmul, mul, sub, sum, transpose, type NdArray } from '../../src'
import { interpret } from '../../src/core/interpret'
import { compileProgram } from '../../src/core/program'
import type { Tape } from '../../src/core/equation'
import { makeTape } from '../../src/transforms'
import { getGemmBackend, setGemmBackend, type GemmBackend } from '../../src/ndarray/kernels/gemm'
import { gemmHelpersReady, setParMinWork } from '../../src/ndarray/kernels/wasm/gemmDriver'
import { setNumThreads, getNumThreads } from '../../src/ndarray/kernels/wasm/threadCount'

type Float = 'float32' | 'float64'
let seed = 7
const rnd = (): number => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0
  return seed / 2 ** 32 - 0.5
}
const rand = (shape: number[], dtype: Float): NdArray =>
  array(Float64Array.from({ length: shape[0]! * shape[1]! }, rnd), { shape, dtype })
/** The bytes of a result: equal bytes are equal bits (signed zeros and NaN payloads included). */
const bytes = (x: NdArray): number[] => {
  const d = x.toTypedArray() as Float32Array | Float64Array
  return Array.from(new Uint8Array(d.buffer, d.byteOffset, d.byteLength))
}

const backend0 = getGemmBackend()
afterEach(() => setGemmBackend(backend0))

/** Compiles `tape` and checks the compiled run against the interpreter, bit for bit; returns the fused count. */
const check = (tape: Tape, inputs: ReadonlyArray<NdArray>): number => {
  const compiled = compileProgram(tape)
  const want = interpret(tape).run(inputs)
  for (let r = 0; r < 2; r++) {
    const got = compiled.run(inputs)
    got.forEach((g, i) => expect(bytes(g as NdArray)).toEqual(bytes(want[i] as NdArray)))
  }
  return compiled.fused
}

/** An update of p (m×n) by op(a)·op(b) scaled by `lr`, in one of four spellings. */
const updateOf =
  (transA: boolean, transB: boolean, form: number) =>
  (a: NdArray, b: NdArray, p: NdArray, lr: NdArray | number): NdArray => {
    const g = matmul(transA ? transpose(a) : a, transB ? transpose(b) : b)
    return sub(p, form % 2 === 0 ? mul(g, lr) : mul(lr, g))
  }

describe('jit programs fuse the SGD update into the product', () => {
  const shapes: ReadonlyArray<[number, number, number]> = [
    [1, 1, 1],
    [3, 5, 2],
    [7, 9, 13],
    [16, 10, 33],
    [37, 24, 300],
    [128, 40, 70],
  ]
  for (const backend of ['auto', 'ts', 'wasm'] as GemmBackend[])
    it(`equals the unfused program bit for bit (gemm backend ${backend}, random shapes, both dtypes)`, () => {
      setGemmBackend(backend)
      for (const dtype of ['float32', 'float64'] as const)
        for (const [m, n, k] of shapes)
          for (let form = 0; form < 4; form++) {
            const [tA, tB] = [form % 2 === 1, form >= 2]
            const a = rand(tA ? [k, m] : [m, k], dtype)
            const b = rand(tB ? [n, k] : [k, n], dtype)
            const p = rand([m, n], dtype)
            const lr = array(0.1, { dtype })
            const f = updateOf(tA, tB, form)
            // the scale traced (an input) and constant (closed over)
            expect(check(makeTape(f)(a, b, p, lr), [a, b, p, lr])).toBe(3)
            const g = (x: NdArray, y: NdArray, q: NdArray): NdArray => f(x, y, q, 0.3)
            expect(check(makeTape(g)(a, b, p), [a, b, p])).toBe(3)
          }
    })

  it('keeps signed zeros, infinities and NaN of p and of the product as the element-wise kernels do', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const [m, n, k] = [24, 32, 40]
      const a = rand([m, k], dtype)
      const z = array(new Float64Array(k * n), { shape: [k, n], dtype }) // product +0
      const special = [-0, 0, Infinity, -Infinity, NaN, 1e-40, -3.5e38]
      const p = array(
        Float64Array.from({ length: m * n }, (_, i) => special[i % special.length]!),
        { shape: [m, n], dtype },
      )
      const f = (x: NdArray, y: NdArray, q: NdArray): NdArray => sub(q, mul(matmul(x, y), -0.5))
      expect(check(makeTape(f)(a, z, p), [a, z, p])).toBe(3)
      const big = mul(rand([k, n], dtype), 1e38)
      expect(check(makeTape(f)(a, big, p), [a, big, p])).toBe(3)
    }
  })

  it('does not fuse when the gradient has another use or p broadcasts, and the results still agree', () => {
    const [a, b] = [rand([20, 30], 'float32'), rand([30, 40], 'float32')]
    const p = rand([20, 40], 'float32')
    const used = (x: NdArray, y: NdArray, q: NdArray): NdArray[] => {
      const g = matmul(x, y)
      return [sub(q, mul(g, 0.1)), sum(g)]
    }
    expect(check(makeTape(used)(a, b, p), [a, b, p])).toBeLessThan(3)
    const row = rand([1, 40], 'float32')
    const bcast = (x: NdArray, y: NdArray, q: NdArray): NdArray => sub(q, mul(matmul(x, y), 0.1))
    expect(check(makeTape(bcast)(a, b, row), [a, b, row])).toBeLessThan(3)
    const reversed = (x: NdArray, y: NdArray, q: NdArray): NdArray => sub(mul(matmul(x, y), 0.1), q)
    expect(check(makeTape(reversed)(a, b, p), [a, b, p])).toBeLessThan(3)
  })

  it('equals the unfused program on the threaded gemm (a product split across helpers)', async () => {
    const threads = getNumThreads()
    setNumThreads(2)
    const work = setParMinWork(1)
    try {
      for (let i = 0; i < 200 && gemmHelpersReady() === 0; i++) await new Promise((r) => setTimeout(r, 10))
      // W2's update of its first layer: p − lr·Xᵀ·dH (784×256 from 128 rows)
      const x = rand([128, 784], 'float32')
      const dh = rand([128, 256], 'float32')
      const p = rand([784, 256], 'float32')
      const f = (u: NdArray, v: NdArray, q: NdArray): NdArray => sub(q, mul(matmul(transpose(u), v), 0.1))
      expect(check(makeTape(f)(x, dh, p), [x, dh, p])).toBe(3)
    } finally {
      setParMinWork(work)
      setNumThreads(threads)
    }
  })
})
