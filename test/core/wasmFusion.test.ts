/**
 * jit's WebAssembly fused loops (src/core/wasmFusion.ts, src/ndarray/kernels/wasm/fusedLoop.ts):
 * large float32 element-wise chains — tanh, exp, log, tanh's gradient, products with broadcast
 * constants — run as one fused SIMD loop and give the eager bits, which the JavaScript kernels
 * (the pure-TS path, and the no-codegen closures) give too.
 */
import { describe, expect, it } from 'vitest'
import { abs, add, array, div, exp, grad, jit, log, maximum, minimum, mul, neg, sqrt, sub, sum, tanh } from '../../src'
import type { NdArray } from '../../src'
import { setElementwiseBackend } from '../../src/ndarray/kernels/elementwise'
import { fusedKernel } from '../../src/ndarray/kernels/wasm/fusedLoop'
import { compileWasmRun, wasmRuns } from '../../src/core/wasmFusion'

const bits = (x: NdArray): number[] => Array.from(x.toTypedArray() as ArrayLike<number>)

const data = (n: number, seed: number): NdArray =>
  array(
    Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed) * 4),
    { dtype: 'float32' },
  )

const withJs = <T>(f: () => T): T => {
  setElementwiseBackend('js')
  try {
    return f()
  } finally {
    setElementwiseBackend('auto')
  }
}

describe('WebAssembly fused loops under jit', () => {
  it('the gradient of Σ tanh(x)·x runs as one fused loop, with the eager and the JavaScript bits', () => {
    const x = data(10_007, 1)
    const g = grad((t: NdArray) => sum(mul(tanh(t), t)))
    const j = jit(g)
    const lowered = j.lower(x).tape
    expect(wasmRuns(lowered.equations)).toEqual([{ first: 0, last: lowered.equations.length - 1 }])
    const want = bits(g(x))
    expect(bits(j(x))).toEqual(want)
    expect(withJs(() => bits(g(x)))).toEqual(want)
    // and the value is the gradient: tanh x + x·(1 − tanh² x), to float32 accuracy
    const xs = x.toTypedArray() as Float32Array
    want.forEach((v, i) => {
      const t = Math.tanh(xs[i] as number)
      expect(Math.abs(v - (t + (xs[i] as number) * (1 - t * t)))).toBeLessThan(1e-6)
    })
  })

  it('products by a constant one are not computed: their value is the other operand, as eagerly', () => {
    const x = data(10_007, 4)
    const eqs = jit(grad((t: NdArray) => sum(mul(tanh(t), t)))).lower(x).tape.equations
    // tanh, 1·x, tanh·1, tanh_backward, add: the loop runs tanh, tanh_backward and add
    expect(compileWasmRun(eqs, { first: 0, last: eqs.length - 1 }, () => true)?.steps).toBe(3)
    const xs = x.toTypedArray() as Float32Array
    xs.set([NaN, -0, Infinity, -Infinity, 2 ** -149])
    const ones = array(new Float32Array(xs.length).fill(1))
    const f = (a: NdArray): NdArray[] => {
      const y = mul(a, ones)
      return [y, mul(tanh(y), ones), mul(ones, 2)]
    }
    const xn = array(xs)
    const want = f(xn).map(bits)
    expect(want[0]).toEqual(Array.from(xs))
    expect(jit(f)(xn).map(bits)).toEqual(want)
    expect(withJs(() => jit(f)(xn).map(bits))).toEqual(want)
  })

  it('a chain of every fused operation, with scalars and several stored values', () => {
    const x = data(5000, 2)
    const y = data(5000, 3)
    const f = (a: NdArray, b: NdArray): NdArray[] => {
      const p = exp(mul(tanh(a), 0.5))
      const q = log(add(abs(b), 1e-3))
      const r = maximum(sub(p, q), minimum(neg(a), sqrt(abs(b))))
      return [r, div(mul(r, p), 3), tanh(q)]
    }
    const want = f(x, y).map(bits)
    expect(jit(f)(x, y).map(bits)).toEqual(want)
    expect(withJs(() => f(x, y).map(bits))).toEqual(want)
    expect(withJs(() => jit((a: NdArray, b: NdArray) => f(a, b))(x, y).map(bits))).toEqual(want)
  })

  it('small arrays, float64 and the js backend stay out of WebAssembly runs', () => {
    const g = grad((t: NdArray) => sum(mul(tanh(t), t)))
    expect(wasmRuns(jit(g).lower(data(100, 4)).tape.equations)).toEqual([])
    const x64 = array(
      Array.from({ length: 5000 }, (_, i) => i / 1000),
      { dtype: 'float64' },
    )
    expect(wasmRuns(jit(g).lower(x64).tape.equations)).toEqual([])
    const eqs = jit(g).lower(data(5000, 5)).tape.equations
    expect(withJs(() => wasmRuns(eqs))).toEqual([])
  })

  it('refuses malformed chains', () => {
    expect(fusedKernel({ arrays: 1, scalars: 0, steps: [{ op: 'tanh', args: [1] }], outputs: [1] })).toBeNull()
    expect(fusedKernel({ arrays: 1, scalars: 0, steps: [{ op: 'add', args: [0] }], outputs: [1] })).toBeNull()
    expect(fusedKernel({ arrays: 1, scalars: 0, steps: [{ op: 'tanh', args: [0] }], outputs: [2] })).toBeNull()
    expect(fusedKernel({ arrays: 1, scalars: 0, steps: [{ op: 'tanh', args: [0] }], outputs: [1] })).not.toBeNull()
  })
})
