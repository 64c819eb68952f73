/**
 * The fused tanh-form GELU (src/torch/methods/geluFused.ts) against the composition it replaces
 * (`½x·(1 + tanh(β(x + κ·x·(x·x))))` and `g · geluDerivative(x)` run as separate float32 ops):
 * bit for bit over random values, ±0, ±inf, NaN, denormals and values where tanh saturates; and
 * through F.gelu with backward() on a large tensor. The composition runs with the fused path
 * out of reach (a float32 array below its size threshold, element by element) for reference.
 */
import { describe, expect, it } from 'vitest'
import * as lax from '../../src/core/lax'
import { array } from '../../src/ndarray/create'
import type { NdArray } from '../../src/ndarray/NdArray'
import { geluDerivative } from '../../src/torch/methods/gradKernels'
import { GELU_KAPPA, GELU_TANH_BETA, geluTanhBackwardFused, geluTanhFused } from '../../src/torch/methods/geluFused'
import { MIN_ELEMENTS } from '../../src/core/wasmFusion'
import * as torch from '../../src/torch/index'

const F = torch.nn.functional
const N = 3 * MIN_ELEMENTS + 6

/** `n` float32 values: a seeded spread over [-12, 12), then the special ones. */
const values = (n: number, seed: number): Float32Array => {
  const out = new Float32Array(n)
  let s = seed >>> 0
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    out[i] = -12 + (24 * s) / 2 ** 32
  }
  const special = [0, -0, Infinity, -Infinity, NaN, 1e-40, -1e-40, 3.4e38, -3.4e38, 9, -9, 1e-3, -1e-3]
  special.forEach((v, i) => (out[i * 7] = v))
  return out
}

const f32 = (d: Float32Array): NdArray => array(d, { shape: [d.length], dtype: 'float32' })

/** The composition, in chunks below the fused threshold (so each op is the plain float32 kernel). */
const chunked = (f: (...xs: NdArray[]) => NdArray, ...xs: Float32Array[]): Float32Array => {
  const n = (xs[0] as Float32Array).length
  const out = new Float32Array(n)
  const step = MIN_ELEMENTS - 1
  for (let i = 0; i < n; i += step) {
    const part = xs.map((x) => f32(x.slice(i, i + step)))
    out.set(f(...part).toTypedArray() as Float32Array, i)
  }
  return out
}

const geluComposed = (x: NdArray): NdArray => {
  const inner = lax.tanh(
    lax.mulScalar(lax.add(x, lax.mulScalar(lax.mul(x, lax.mul(x, x)), GELU_KAPPA)), GELU_TANH_BETA),
  )
  return lax.mul(lax.mulScalar(x, 0.5), lax.addScalar(inner, 1))
}

/** The indices where `a` and `b` differ as bit patterns (NaN equal to NaN). */
const bitDiffs = (a: Float32Array, b: Float32Array): number[] => {
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length)
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length)
  const out: number[] = []
  for (let i = 0; i < a.length; i++) if (ua[i] !== ub[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) out.push(i)
  return out
}

describe('fused tanh-form GELU', () => {
  const x = values(N, 7)
  const g = values(N, 11)
  g[1] = -0
  g[2] = 0

  it('forward: the composition bit for bit', () => {
    const fused = geluTanhFused(f32(x))
    expect(fused).toBeDefined()
    expect(bitDiffs((fused as NdArray).toTypedArray() as Float32Array, chunked(geluComposed, x))).toEqual([])
  })

  it('backward: g · gelu′(x) bit for bit (signed zeros of a zero gradient included)', () => {
    const fused = geluTanhBackwardFused(f32(x), f32(g))
    expect(fused).toBeDefined()
    const ref = chunked((xs, gs) => lax.mul(gs, geluDerivative(xs, 'tanh')), x, g)
    expect(bitDiffs((fused as NdArray).toTypedArray() as Float32Array, ref)).toEqual([])
  })

  it('leaves small, float64 and mismatched inputs to the composition', () => {
    expect(geluTanhFused(f32(x.slice(0, MIN_ELEMENTS - 1)))).toBeUndefined()
    expect(geluTanhFused(array(Array.from(x.slice(0, N)), { shape: [N], dtype: 'float64' }))).toBeUndefined()
    expect(geluTanhBackwardFused(f32(x), f32(g.slice(0, N - 1)))).toBeUndefined()
  })

  it('F.gelu(approximate="tanh") with backward(): the composition values and GeluBackward0', () => {
    const t = torch.from_numpy(f32(x)).reshape([3, -1]).requires_grad_()
    const y = F.gelu(t, { approximate: 'tanh' })
    expect(y.grad_fn?.name()).toBe('GeluBackward0')
    const gt = torch.from_numpy(f32(g)).reshape([3, -1])
    y.backward(gt)
    const yRef = chunked(geluComposed, x)
    const gRef = chunked((xs, gs) => lax.mul(gs, geluDerivative(xs, 'tanh')), x, g)
    expect(bitDiffs(y.detach().contiguous().numpy().toTypedArray() as Float32Array, yRef)).toEqual([])
    expect(bitDiffs((t.grad as torch.Tensor).contiguous().numpy().toTypedArray() as Float32Array, gRef)).toEqual([])
  })
})
