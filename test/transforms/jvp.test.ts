import { describe, expect, it } from 'vitest'
import {
  add,
  array,
  DTypeError,
  exp,
  grad,
  jvp,
  linearize,
  log,
  matmul,
  mul,
  type NdArray,
  ShapeError,
  sin,
  sum,
  tanh,
  TreeMismatchError,
} from 'wengert'
import { expectClose, f64 } from './helpers'

describe('jvp', () => {
  it('pushes a tangent forward: [f(x), J·t]', () => {
    // f(x) = x ⊙ exp(x), J = diag((1 + x)·eˣ)
    const [y, yDot] = jvp((x: NdArray) => mul(x, exp(x)), [f64([0, 1])], [f64([2, 3])])
    expectClose(y, [0, Math.E])
    expectClose(yDot, [2, 3 * 2 * Math.E])
  })

  it('takes pytrees of primals and tangents and returns the output structure', () => {
    const f = (p: { a: NdArray; b: NdArray }, c: NdArray) => ({ s: mul(p.a, p.b), t: [log(c)] })
    const [out, outDot] = jvp(f, [{ a: f64(2), b: f64(3) }, f64(4)], [{ a: f64(1), b: f64(0) }, f64(1)])
    expectClose(out.s, 6)
    expectClose(outDot.s, 3)
    expectClose(outDot.t[0]!, 0.25)
  })

  it('numbers are weak scalars: as tangents they take the primal dtype', () => {
    const [, t] = jvp((x: NdArray) => mul(x, x), [f64(3)], [1 as unknown as NdArray])
    expect(t.dtype).toBe('float64')
    expectClose(t, 6)
  })

  it('a constant output has a zero tangent', () => {
    const [y, t] = jvp((_x: NdArray) => f64([1, 2]), [f64(1)], [f64(1)])
    expectClose(y, [1, 2])
    expectClose(t, [0, 0])
    const [n, nt] = jvp((_x: NdArray) => 3, [f64(1)], [f64(1)])
    expect(n).toBe(3)
    expectClose(nt as unknown as NdArray, 0)
  })

  it('integer primals are not differentiated', () => {
    const [, t] = jvp(
      (x: NdArray, n: NdArray) => mul(x, n.item() as number),
      [f64(2), array(3, { dtype: 'int32' })],
      [f64(1), array(7, { dtype: 'int32' })],
    )
    expectClose(t, 3)
  })

  it('checks primals against tangents: structure, shape, dtype', () => {
    expect(() => jvp(sin, [f64([1, 2])], [f64([1, 2, 3])])).toThrow(
      new ShapeError(
        'jvp: jvp called with different primal and tangent shapes; Got primal shape (2,) and tangent shape as (3,) (the tangent of primal 0); they must be equal',
      ),
    )
    expect(() => jvp(sin, [f64([1, 2])], [array([1, 2])])).toThrow(
      new DTypeError(
        'jvp: primal and tangent arguments to jvp do not match; dtypes must be equal. Got primal dtype float64 and so expected tangent dtype float64, but got tangent dtype float32 instead (the tangent of primal 0)',
      ),
    )
    expect(() => jvp(sin, [f64([1, 2])], [] as unknown as [NdArray])).toThrow(TreeMismatchError)
  })

  it('HVP: jvp of grad (forward over reverse)', () => {
    // f(x) = Σ tanh(Ax), H = Aᵀ diag(−2 tanh(Ax)(1 − tanh²(Ax))) A
    const A = [
      [1, 2],
      [-1, 0.5],
    ]
    const x = [0.3, -0.2]
    const v = [1, -2]
    const f = (t: NdArray) => sum(tanh(matmul(f64(A), t)))
    const [, hv] = jvp(grad(f), [f64(x)], [f64(v)])
    const ax = A.map((r) => r[0]! * x[0]! + r[1]! * x[1]!)
    const d2 = ax.map((z) => -2 * Math.tanh(z) * (1 - Math.tanh(z) ** 2))
    const av = A.map((r) => r[0]! * v[0]! + r[1]! * v[1]!)
    const expected = [0, 1].map((j) => A.reduce((s, r, i) => s + r[j]! * d2[i]! * av[i]!, 0))
    expectClose(hv, expected)
  })
})

describe('linearize', () => {
  it('returns f(x) and a function computing J·t from the recorded tape', () => {
    let calls = 0
    const f = (x: NdArray, y: NdArray) => {
      calls++
      return mul(sin(x), y)
    }
    const [out, jvpFn] = linearize(f, f64([0.5, 1]), f64([2, 3]))
    expectClose(out, [2 * Math.sin(0.5), 3 * Math.sin(1)])
    // ∂/∂x = y cos x, ∂/∂y = sin x
    expectClose(jvpFn(f64([1, 0]), f64([0, 0])), [2 * Math.cos(0.5), 0])
    expectClose(jvpFn(f64([0, 0]), f64([0, 1])), [0, Math.sin(1)])
    expectClose(jvpFn(f64([1, 1]), f64([1, 1])), [2 * Math.cos(0.5) + Math.sin(0.5), 3 * Math.cos(1) + Math.sin(1)])
    expect(calls).toBe(1)
  })

  it('agrees with jvp', () => {
    const f = (x: NdArray) => add(exp(mul(x, x)), sum(x))
    const x = f64([0.1, -0.4, 0.3])
    const t = f64([1, 2, -1])
    const [, viaJvp] = jvp(f, [x], [t])
    const [, jvpFn] = linearize(f, x)
    expectClose(jvpFn(t), viaJvp.toArray())
  })

  it('checks tangents', () => {
    const [, jvpFn] = linearize(sin, f64([1, 2]))
    expect(() => jvpFn(f64([1]))).toThrow(
      'linearize: linearize called with different primal and tangent shapes; Got primal shape (2,) and tangent shape as (1,) (tangent 0)',
    )
    expect(() => jvpFn(array([1, 2]))).toThrow(DTypeError)
    expect(() => (jvpFn as (...t: unknown[]) => unknown)(f64([1, 2]), f64([1, 2]))).toThrow(
      'linearize: expected 1 tangents (one per primal), got 2',
    )
  })
})
