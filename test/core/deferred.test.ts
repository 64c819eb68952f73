// Deferred evaluation in grad's eager trace (src/core/deferred.ts): large float32 element-wise
// values and sums are recorded without being computed and settled when read. Every result must
// be the bits of the same computation with deferral off (and of the pure-JS kernels' path).
import { afterEach, describe, expect, it } from 'vitest'
import { add, array, exp, grad, matmul, mul, reshape, sin, sqrt, sub, sum, tanh, valueAndGrad, vjp } from '../../src'
import type { NdArray } from '../../src'
import { setDeferral } from '../../src/core/deferred'
import { setBackwardFusion } from '../../src/core/backwardFusion'

const N = 70_007 // 7 · 10001

const data = (n: number, seed: number): NdArray => {
  const d = new Float32Array(n)
  let s = seed
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    d[i] = -2 + (4 * s) / 2 ** 32
  }
  return array(d, { shape: [n], dtype: 'float32' })
}

const bits = (x: NdArray): Uint32Array => new Uint32Array(Float32Array.from(x.toTypedArray() as Float32Array).buffer)

/** `run` with deferral off, then on: both results' bits. */
const both = <T>(run: () => T): [T, T] => {
  const was = setDeferral(false)
  try {
    const off = run()
    setDeferral(true)
    return [off, run()]
  } finally {
    setDeferral(was)
  }
}

afterEach(() => {
  setDeferral(true)
  setBackwardFusion(true)
})

describe('deferred evaluation in grad', () => {
  it('gives the bits of the computed forward for chains, sums and mixed consumers', () => {
    // Arrange
    const x = data(N, 1)
    const fs: Array<(t: NdArray) => NdArray> = [
      (t) => sum(mul(tanh(t), t)),
      (t) => sum(add(mul(sin(t), exp(mul(t, 0.5))), sqrt(mul(t, t)))),
      (t) => sum(sub(tanh(t), mul(t, t))),
      // a consumer that is not deferred (reshape, matmul) settles its operand
      (t) => sum(matmul(reshape(tanh(mul(t, 2)), [7, N / 7]), reshape(t, [N / 7, 7]))),
    ]
    for (const f of fs) {
      // Act
      const [off, on] = both(() => grad(f)(x))
      // Assert
      expect(bits(on)).toEqual(bits(off))
    }
  })

  it('computes the value valueAndGrad returns and the aux of hasAux, read inside and after f', () => {
    // Arrange
    const x = data(N, 2)
    const seen: number[] = []
    const f = (t: NdArray): NdArray => {
      const y = tanh(t)
      seen.push((y.toTypedArray() as Float32Array)[5] as number)
      return sum(mul(y, t))
    }
    // Act
    const [off, on] = both(() => valueAndGrad(f)(x))
    const [auxOff, auxOn] = both(() => grad((t: NdArray) => [sum(exp(t)), mul(t, 3)] as const, { hasAux: true })(x))
    // Assert
    expect(on[0].item()).toBe(off[0].item())
    expect(bits(on[1])).toEqual(bits(off[1]))
    expect(seen[1]).toBe(seen[0])
    expect(bits(auxOn[1])).toEqual(bits(auxOff[1]))
    expect(bits(auxOn[0])).toEqual(bits(auxOff[0]))
  })

  it('settles values read by item, printing and nested transforms (grad of grad, vjp inside)', () => {
    // Arrange
    const x = data(N, 3)
    const f = (t: NdArray): NdArray => sum(mul(tanh(t), t))
    const h = (t: NdArray): NdArray => {
      const s = sum(mul(t, t))
      expect(String(s)).toContain('array(')
      const [, back] = vjp((u: NdArray) => mul(tanh(u), u), t)
      return add(sum(grad(f)(t)), mul(sum(back(t)[0] as NdArray), (s.item() as number) > 0 ? 1 : 0))
    }
    // Act
    const [off, on] = both(() => grad(h)(x))
    // Assert
    expect(bits(on)).toEqual(bits(off))
  })

  it('matches the per-rule sweep without fused blocks (values settled by the rules)', () => {
    // Arrange
    const x = data(N, 4)
    const f = (t: NdArray): NdArray => sum(mul(tanh(t), t))
    // Act
    const [off, on] = both(() => {
      setBackwardFusion(false)
      const g = grad(f)(x)
      setBackwardFusion(true)
      return g
    })
    // Assert
    expect(bits(on)).toEqual(bits(off))
  })
})
