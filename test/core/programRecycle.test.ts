/**
 * Buffer reuse in jit's programs (src/core/programRecycle.ts): the large float values a program
 * computes only for itself go back to the buffer pool after each run, and the next run's large
 * allocations take them. No value anyone can still see is reused: outputs, views of intermediates
 * that are outputs, inputs and constants keep their contents after later calls; compiled programs
 * equal the interpreter bit for bit (the no-codegen path, which recycles too) and eager code.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { add, array, jit, matmul, mul, relu, reshape, sub, sum, tanh, transpose, type NdArray } from '../../src'
import { clearBufferPool, pooledBufferBytes } from '../../src/ndarray/bufferPool'
import { interpret } from '../../src/core/interpret'
import { makeTape } from '../../src/transforms'

const seeded = (n: number, seed: number): Float32Array =>
  Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed) * 0.5)
const f32 = (n: number, shape: number[], seed: number): NdArray => array(seeded(n, seed), { shape, dtype: 'float32' })
const bits = (x: NdArray): number[] => Array.from(x.toTypedArray() as Float32Array)

afterEach(() => clearBufferPool())

// 300×256 float32 = 300 KB: large enough to be pooled
const X = f32(300 * 64, [300, 64], 1)
const W = f32(64 * 256, [64, 256], 2)

/** An SGD-like step: a large product only read by the update (dead after the run) and a small loss. */
const step = (w: NdArray): [NdArray, NdArray] => {
  const h = matmul(X, w) // 300×256, intermediate
  const g = matmul(transpose(X), tanh(h)) // 64×256
  return [sub(w, mul(g, 0.01)), sum(relu(h))]
}

describe('jit programs recycle dead intermediates', () => {
  it('gives back a large intermediate, and the results equal the interpreter bit for bit', () => {
    const f = (w: NdArray): [NdArray, NdArray] => {
      const h = add(matmul(X, w), 1) // 300×256: dead after the run
      return [sum(relu(h)), mul(w, 2)]
    }
    const eager = f(W)
    const tape = makeTape(f)(W)
    const want = interpret(tape).run([W])
    clearBufferPool()
    const jf = jit(f)
    jf(W)
    clearBufferPool()
    const [s, w2] = jf(W)
    expect(pooledBufferBytes()).toBeGreaterThanOrEqual(300 * 256 * 4)
    expect(bits(s)).toEqual(bits(want[0] as NdArray))
    expect(bits(w2)).toEqual(bits(want[1] as NdArray))
    expect(bits(s)).toEqual(bits(eager[0]))
    // the next run takes the pooled buffers and still computes the same
    const [s2] = jf(W)
    expect(bits(s2)).toEqual(bits(s))
  })

  it('never reuses an output, a view of an intermediate that is an output, an input or a constant', () => {
    const f = (w: NdArray): [NdArray, NdArray] => {
      const h = matmul(X, w) // 300×256
      return [reshape(h, [256, 300]), sum(tanh(h))]
    }
    const jf = jit(f)
    const [v1, s1] = jf(W)
    const keep = bits(v1)
    const x0 = bits(X)
    const w0 = bits(W)
    for (let i = 0; i < 3; i++) jf(f32(64 * 256, [64, 256], 10 + i))
    expect(bits(v1)).toEqual(keep)
    expect(bits(X)).toEqual(x0)
    expect(bits(W)).toEqual(w0)
    expect(bits(jf(W)[1])).toEqual(bits(s1))
  })

  it('recycles in interpreted programs too (nothing to compile)', () => {
    const f = (w: NdArray): NdArray => sum(matmul(X, w)) // the 300×256 product is dead
    const prog = interpret(makeTape(f)(W))
    clearBufferPool()
    const first = bits(prog.run([W])[0] as NdArray)
    expect(pooledBufferBytes()).toBeGreaterThanOrEqual(300 * 256 * 4)
    expect(bits(prog.run([W])[0] as NdArray)).toEqual(first)
    expect(first).toEqual(bits(f(W)))
  })

  it('keeps a chain of steps equal to the interpreter (recycled buffers reused across calls)', () => {
    const tape = makeTape(step)(W)
    const prog = interpret(tape)
    const js = jit(step)
    let wi = W
    let wj = W
    for (let i = 0; i < 4; i++) {
      const [a, la] = prog.run([wi]) as [NdArray, NdArray]
      const [b, lb] = js(wj)
      expect(bits(b)).toEqual(bits(a))
      expect(bits(lb)).toEqual(bits(la))
      wi = a
      wj = b
    }
  })

  it('gives buffers back during a run: a deep chain needs a few buffers, views of dead values stay intact', () => {
    const M = f32(256 * 256, [256, 256], 3)
    const f = (w: NdArray): [NdArray, NdArray] => {
      const h0 = matmul(X, w) // 300×256
      const v = reshape(h0, [256, 300]) // a view of h0, read at the very end
      let h = tanh(h0)
      for (let i = 0; i < 8; i++) h = tanh(mul(matmul(h, M), 0.05)) // each 300×256 value dies at the next step
      return [sum(h), sum(mul(v, reshape(h, [256, 300])))]
    }
    const want = interpret(makeTape(f)(W)).run([W])
    const jf = jit(f)
    for (let i = 0; i < 3; i++) {
      clearBufferPool()
      const [a, b] = jf(W)
      expect(bits(a)).toEqual(bits(want[0] as NdArray))
      expect(bits(b)).toEqual(bits(want[1] as NdArray))
    }
    // ~18 values of 300 KB computed; reused within the run, only a handful of buffers were ever made
    expect(pooledBufferBytes()).toBeLessThanOrEqual(5 * 300 * 256 * 4)
    expect(pooledBufferBytes()).toBeGreaterThanOrEqual(300 * 256 * 4)
  })

  it("pools a training step's batch-sized activations (128×256 float32, 128 KB: W2's hidden layer)", () => {
    // Arrange: W2's first layer and its gradient (bias, ReLU, the product's VJP), at W2's sizes
    const Xb = f32(128 * 784, [128, 784], 4)
    const b = f32(256, [256], 5)
    const W1 = f32(784 * 256, [784, 256], 6)
    const f = (w: NdArray): [NdArray, NdArray] => {
      const h = relu(add(matmul(Xb, w), b)) // 128×256 values: dead after the run
      const g = matmul(transpose(Xb), tanh(h))
      return [sum(h), sub(w, mul(g, 0.01))]
    }
    const want = interpret(makeTape(f)(W1)).run([W1])
    const eager = f(W1)
    const jf = jit(f)
    jf(W1)
    // Act
    clearBufferPool()
    const [s, w2] = jf(W1)
    const pooled = pooledBufferBytes()
    const [s2, w3] = jf(W1)
    // Assert: the activations went back to the pool (the 784×256 product is never stored: the
    // update is fused into it, src/core/gemmFusion.ts); every run gives the interpreter's and eager bits
    expect(pooled).toBeGreaterThanOrEqual(128 * 256 * 4)
    for (const [x, y] of [
      [s, want[0]],
      [w2, want[1]],
      [s2, want[0]],
      [w3, want[1]],
      [s, eager[0]],
      [w2, eager[1]],
    ])
      expect(bits(x as NdArray)).toEqual(bits(y as NdArray))
  })
})
