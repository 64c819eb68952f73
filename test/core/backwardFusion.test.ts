/**
 * Eager fusion of the backward sweep (src/core/backwardFusion.ts): a block of large float32
 * element-wise equations is pulled back by one compiled program. Its gradients must be the
 * per-rule sweep's bit for bit (fusion off), and the JavaScript kernels' (no WebAssembly, no
 * fusion), on every call (the first stages and compiles, later ones run the cached program), with
 * NaN, ±0, ±∞ and subnormal inputs; blocks must be cut where they may not be fused.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { abs, add, array, div, exp, grad, jit, mul, neg, sin, sqrt, sub, sum, tanh, vjp, makeTape } from '../../src'
import type { NdArray } from '../../src'
import { compiledBlocks, inlineScalarBroadcasts, setBackwardFusion } from '../../src/core/backwardFusion'
import { setElementwiseBackend } from '../../src/ndarray/kernels/elementwise'
import * as lax from '../../src/core/lax'

const N = 70_001 // large enough to fuse (a tape with outputs of ≥ 2^16 elements), odd

/** Values in (−3, 3) with NaN, ±∞, ±0 and a subnormal in front. */
const data = (n: number, seed: number): NdArray => {
  const d = new Float32Array(n)
  for (let i = 0; i < n; i++) d[i] = Math.sin(i * 12.9898 + seed) * 3
  d.set([NaN, Infinity, -Infinity, 0, -0, 1e-40, -3e-39])
  return array(d, { dtype: 'float32' })
}

const bits = (x: NdArray): Uint32Array => new Uint32Array(Float32Array.from(x.toTypedArray() as Float32Array).buffer)

/** Number of elements that differ bitwise (NaNs of any payload are equal). */
const differences = (a: NdArray, b: NdArray): number => {
  const x = a.toTypedArray() as Float32Array
  const y = b.toTypedArray() as Float32Array
  expect(x.length).toBe(y.length)
  const bx = bits(a)
  const by = bits(b)
  let k = 0
  for (let i = 0; i < x.length; i++) if (bx[i] !== by[i] && !(Number.isNaN(x[i]) && Number.isNaN(y[i]))) k++
  return k
}

/** The gradient with the fusion off, and with the JavaScript kernels (no WebAssembly at all). */
const references = <T>(run: () => T): [T, T] => {
  const was = setBackwardFusion(false)
  try {
    const plain = run()
    setElementwiseBackend('js')
    try {
      return [plain, run()]
    } finally {
      setElementwiseBackend('auto')
    }
  } finally {
    setBackwardFusion(was)
  }
}

afterEach(() => {
  setBackwardFusion(true)
  setElementwiseBackend('auto')
})

const cases: ReadonlyArray<readonly [string, (x: NdArray, y: NdArray) => NdArray]> = [
  ['Σ tanh(x)·x (W4)', (x) => sum(mul(tanh(x), x))],
  ['a chain of every fused rule', (x) => sum(div(exp(neg(abs(x))), add(mul(x, x), 1)))],
  ['x used before, in and after a block', (x) => sum(mul(sqrt(abs(mul(x, 0.5))), sub(tanh(x), x)))],
  ['two sums and two blocks', (x) => add(sum(mul(tanh(x), x)), sum(sqrt(abs(x))))],
  [
    // sin is not a fused operation: it cuts the blocks, so t and x get cotangents before the first
    'a block whose output and input have cotangents from later blocks',
    (x) => {
      const t = tanh(x)
      return add(sum(mul(t, x)), sum(mul(sin(t), mul(t, x))))
    },
  ],
  ['two arguments, one constant operand array', (x, y) => sum(mul(sub(tanh(x), y), mul(y, data(N, 9))))],
]

describe('eager backward fusion', () => {
  it.each(cases)('%s: the per-rule sweep and the JavaScript kernels bit for bit, on every call', (_, f) => {
    // Arrange
    const x = data(N, 1)
    const y = data(N, 2)
    const g = grad(f, { argnums: [0, 1] }) as (x: NdArray, y: NdArray) => [NdArray, NdArray]
    // Act
    const first = g(x, y)
    const again = g(x, y)
    const [plain, js] = references(() => g(x, y))
    // Assert
    for (let i = 0; i < 2; i++) {
      expect(differences(first[i] as NdArray, plain[i] as NdArray)).toBe(0)
      expect(differences(again[i] as NdArray, plain[i] as NdArray)).toBe(0)
      expect(differences(first[i] as NdArray, js[i] as NdArray)).toBe(0)
    }
  })

  it('pulls W4 back in one fused loop: the broadcast cotangent of the sum is read as a scalar', () => {
    // Arrange
    const x = data(N, 3)
    const f = (t: NdArray): NdArray => sum(mul(tanh(t), t))
    // Act
    grad(f)(x)
    const program = compiledBlocks().at(-1)
    // Assert: tanh (deferred by the recording: src/core/deferred, recomputed here), mul's two
    // products, tanh_backward and the add, all in the loop (no broadcast left)
    expect(program?.size).toBe(5)
    expect(program?.fused).toBe(5)
  })

  it('matches the float64 gradient of Σ tanh(x)·x to float32 accuracy', () => {
    // Arrange
    const x = data(N, 4)
    const xs = Array.from(x.toTypedArray() as Float32Array).slice(7)
    // Act
    const got = Array.from(grad((t: NdArray) => sum(mul(tanh(t), t)))(x).toTypedArray() as Float32Array).slice(7)
    // Assert
    const want = xs.map((v) => Math.tanh(v) + v * (1 - Math.tanh(v) ** 2))
    const worst = Math.max(...got.map((v, i) => Math.abs(v - (want[i] as number)) / (1 + Math.abs(want[i] as number))))
    expect(worst).toBeLessThan(1e-6)
  })

  it('a kept pullback (vjp) swept twice, with a cotangent array, gives the per-rule results', () => {
    // Arrange
    const x = data(N, 5)
    const ct = data(N, 6)
    const f = (t: NdArray): NdArray => mul(tanh(t), exp(neg(abs(t))))
    const [, back] = vjp(f, x)
    // Act
    const once = back(ct)[0] as NdArray
    const twice = back(ct)[0] as NdArray
    const [plain] = references(() => vjp(f, x)[1](ct)[0] as NdArray)
    // Assert
    expect(differences(once, plain)).toBe(0)
    expect(differences(twice, plain)).toBe(0)
  })

  it('stays off inside other transforms (jit, the inner sweep of grad of grad): the results are the per-rule ones', () => {
    // Arrange
    const x = data(N, 7)
    const f = (t: NdArray): NdArray => sum(mul(tanh(t), t))
    const gg = grad((t: NdArray) => sum(grad(f)(t)))
    const before = compiledBlocks().length
    // Act
    const jitted = jit(grad(f))(x)
    const made = compiledBlocks().length - before
    const second = gg(x)
    // Assert: jit stages the rules (no block compiled for them); the outer sweep of grad of grad may fuse
    const [plain, js] = references(() => [jit(grad(f))(x), gg(x)])
    expect(made).toBe(0)
    expect(differences(jitted, plain[0] as NdArray)).toBe(0)
    expect(differences(second, plain[1] as NdArray)).toBe(0)
    expect(differences(second, js[1] as NdArray)).toBe(0)
  })

  it('leaves small arrays and float64 to the per-rule sweep', () => {
    // Arrange
    const small = array([0.5, -1, 2], { dtype: 'float32' })
    const wide = array(
      Array.from({ length: N }, (_, i) => Math.cos(i)),
      { dtype: 'float64' },
    )
    const f = (t: NdArray): NdArray => sum(mul(tanh(t), t))
    const before = compiledBlocks().length
    // Act
    grad(f)(small)
    grad(f)(wide)
    // Assert
    expect(compiledBlocks().length).toBe(before)
  })
})

describe('inlineScalarBroadcasts', () => {
  it('reads a broadcast one-element operand as a scalar, but never both operands of one equation', () => {
    // Arrange: a scalar broadcast times an array, and times another broadcast
    const tape = makeTape((s: NdArray, t: NdArray) => {
      const b = lax.broadcastInDim(s, [N], [])
      return [lax.mul(b, t), lax.mul(t, b), lax.mul(b, lax.broadcastInDim(s, [N], []))]
    })(array(2, { dtype: 'float32' }), data(N, 8))
    const [s, t] = tape.inputs
    // Act
    const eqs = inlineScalarBroadcasts(tape.equations)
    // Assert
    expect(eqs.map((eq) => eq.primitive.name)).toEqual(['broadcast_in_dim', 'mul', 'mul', 'broadcast_in_dim', 'mul'])
    expect(eqs[1]?.invars).toEqual([s, t])
    expect(eqs[2]?.invars).toEqual([t, s])
    expect(eqs[4]).toBe(tape.equations[4])
  })
})
