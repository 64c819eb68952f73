/**
 * Forward-buffer recycling in grad's backward sweep (src/core/forwardRecycle.ts): the large values
 * the function computed go back to the buffer pool after their last use in the sweep. Reuse bugs
 * show up as changed numbers, so every test holds what the caller can still see — gradients,
 * values, aux outputs and views of them, arrays made inside the function, closures' captures, a
 * custom rule's saved values — across later calls and checks it is unchanged (bit for bit), and
 * checks the gradients against float64 formulas.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { setDeferral } from '../../src/core/deferred'
import {
  add,
  array,
  customVjp,
  exp,
  grad,
  jit,
  mul,
  reshape,
  sin,
  sum,
  tanh,
  valueAndGrad,
  vjp,
  vmap,
  type NdArray,
} from '../../src'
import { clearBufferPool, pooledBufferBytes } from '../../src/ndarray/bufferPool'

const N = 70_001 // large (≥ 2^16 float32 elements: pooled) and odd

const data = (n: number, seed: number): NdArray =>
  array(
    Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed) * 2),
    { dtype: 'float32' },
  )
const copy = (x: NdArray): number[] => Array.from(x.toTypedArray() as ArrayLike<number>)
const same = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): boolean =>
  a.length === b.length && a.every((v, i) => Object.is(v, b[i]))
const close = (got: ReadonlyArray<number>, want: ReadonlyArray<number>, tol: number): void => {
  expect(got.length).toBe(want.length)
  let worst = 0
  for (let i = 0; i < got.length; i++)
    worst = Math.max(worst, Math.abs((got[i] as number) - (want[i] as number)) / (1 + Math.abs(want[i] as number)))
  expect(worst).toBeLessThan(tol)
}
/** d/dx Σ tanh(x)·x = tanh(x) + x·(1 − tanh²(x)), in float64. */
const wantGrad = (x: NdArray): number[] =>
  copy(x).map((v) => {
    const t = Math.tanh(v)
    return t + v * (1 - t * t)
  })
const f = (t: NdArray): NdArray => sum(mul(tanh(t), t))

/** Calls `step` on other data a few times (to reuse whatever the pool holds). */
const churn = (step: (x: NdArray) => unknown): void => {
  for (let s = 10; s < 14; s++) step(data(N, s))
}

afterEach(() => clearBufferPool())

// these tests check the recycling of computed forward values: deferral (src/core/deferred) leaves
// W4's forward uncomputed, so it is off here (test/core/deferred.test.ts compares both)
let deferral = true
beforeAll(() => {
  deferral = setDeferral(false)
})
afterAll(() => {
  setDeferral(deferral)
})

describe("grad gives its forward values' buffers back to the pool", () => {
  it('the forward values of Σ tanh(x)·x are pooled after the sweep, and the gradient is right on every call', () => {
    const g = grad(f)
    const x = data(N, 1)
    clearBufferPool()
    const g1 = g(x)
    // tanh(x) and tanh(x)·x (forward) are given back; the sweep took one of them for a cotangent
    expect(pooledBufferBytes()).toBeGreaterThan(0)
    const kept = copy(g1)
    close(kept, wantGrad(x), 1e-5)
    for (let i = 0; i < 5; i++) expect(same(copy(g(x)), kept)).toBe(true)
    churn(g)
    expect(same(copy(g1), kept)).toBe(true)
  })

  it('the value and a large aux output (and a view of it) keep their contents across later calls', () => {
    const vg = valueAndGrad(
      (t: NdArray) => {
        const th = tanh(t)
        return [sum(mul(th, t)), [th, reshape(th, [1, N])]] as const
      },
      { hasAux: true },
    )
    const x = data(N, 2)
    const [[v, [aux, auxView]], g1] = vg(x)
    const want = copy(x).map(Math.tanh)
    const kv = v.item()
    const ka = copy(aux)
    const kg = copy(g1)
    close(ka, want, 1e-6)
    churn(vg)
    expect(v.item()).toBe(kv)
    expect(same(copy(aux), ka)).toBe(true)
    expect(same(copy(auxView), ka)).toBe(true)
    expect(same(copy(g1), kg)).toBe(true)
  })

  it('arrays made inside the function and kept by a closure (constants of the tape or not) are never reused', () => {
    const saved: NdArray[] = []
    const g = grad((t: NdArray) => {
      const c = exp(data(N, 3)) // made during the call, used as a constant operand
      const d = sin(data(N, 4)) // made during the call, kept but not used by the tape
      saved.push(c, d)
      return sum(mul(mul(tanh(t), t), c))
    })
    const x = data(N, 5)
    const g1 = g(x)
    const [c, d] = saved as [NdArray, NdArray]
    const kc = copy(c)
    const kd = copy(d)
    const kg = copy(g1)
    close(
      kg,
      wantGrad(x).map((w, i) => w * (kc[i] as number)),
      1e-5,
    )
    churn(g)
    expect(same(copy(c), kc)).toBe(true)
    expect(same(copy(d), kd)).toBe(true)
    expect(same(copy(g1), kg)).toBe(true)
  })

  it('a closure returned by vjp (swept many times) keeps its forward values across grad calls', () => {
    const x = data(N, 6)
    const [y, pull] = vjp((t: NdArray) => mul(tanh(t), t), x)
    const ky = copy(y)
    const ones = array(new Float32Array(N).fill(1), { dtype: 'float32' })
    const kp = copy(pull(ones)[0])
    close(kp, wantGrad(x), 1e-5)
    churn(grad(f))
    expect(same(copy(y), ky)).toBe(true)
    expect(same(copy(pull(ones)[0]), kp)).toBe(true)
  })

  it("a custom rule's saved forward values survive: its tape recycles no forward buffer", () => {
    const saved: NdArray[] = []
    const h = customVjp(
      (t: NdArray) => tanh(t),
      (t: NdArray) => {
        const y = tanh(t)
        saved.push(y)
        return [y, y] as const
      },
      (y: NdArray, ct: NdArray) => [mul(ct, add(mul(mul(y, y), -1), 1))],
    )
    const g = grad((t: NdArray) => sum(mul(h(t), t)))
    const x = data(N, 7)
    const g1 = g(x)
    close(copy(g1), wantGrad(x), 1e-5)
    const ky = copy(saved[0] as NdArray)
    churn(g)
    expect(same(copy(saved[0] as NdArray), ky)).toBe(true)
  })

  it('grad under jit, vmap and an outer grad (no recycling there) gives the same gradients', () => {
    const x = data(N, 8)
    const want = copy(grad(f)(x))
    expect(same(copy(jit(grad(f))(x)), want)).toBe(true)
    const rows = vmap(grad(f))(reshape(x, [1, N]))
    expect(same(copy(rows), want)).toBe(true)
    // d/dx Σ (∇f)(x): an outer grad over the inner sweep
    const hv = grad((t: NdArray) => sum(grad(f)(t)))(x)
    const want2 = copy(x).map((v) => {
      const t = Math.tanh(v)
      const s = 1 - t * t
      return 2 * s - 2 * v * t * s
    })
    close(copy(hv), want2, 1e-4)
  })
})
