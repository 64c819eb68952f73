import { describe, expect, it } from 'vitest'
import { add, array, DTypeError, grad, mul, type NdArray, ShapeError, sin, sum, TreeMismatchError, vjp } from 'wengert'
import { expectClose, f64 } from './helpers'

describe('vjp', () => {
  it('returns one cotangent per primal, each with its primal structure', () => {
    // f(a, {u, v}) = [a·u + sin(v), a]
    const f = (a: NdArray, p: { u: NdArray; v: NdArray }) => [add(mul(a, p.u), sin(p.v)), a] as const
    const [out, vjpFn] = vjp(f, f64(2), { u: f64([1, 2]), v: f64([0.5, 1.5]) })
    expectClose(out[0], [2 + Math.sin(0.5), 4 + Math.sin(1.5)])
    const [aBar, pBar] = vjpFn([f64([1, 10]), f64(100)])
    // ∂/∂a = ȳ·u + 100 ; ∂/∂u = ȳ·a ; ∂/∂v = ȳ·cos v
    expectClose(aBar, 1 * 1 + 10 * 2 + 100)
    expectClose(pBar.u, [2, 20])
    expectClose(pBar.v, [Math.cos(0.5), 10 * Math.cos(1.5)])
  })

  it('vjpFn can be called many times and is linear in the cotangent', () => {
    const x = f64([0.1, 0.2])
    const [, vjpFn] = vjp((t: NdArray) => mul(sin(t), t), x)
    const d = [0.1, 0.2].map((v) => Math.cos(v) * v + Math.sin(v))
    expectClose(vjpFn(f64([1, 0]))[0], [d[0]!, 0])
    expectClose(vjpFn(f64([0, 1]))[0], [0, d[1]!])
    expectClose(vjpFn(f64([3, -2]))[0], [3 * d[0]!, -2 * d[1]!])
  })

  it('a primal the output does not depend on gets zeros', () => {
    const [, vjpFn] = vjp((a: NdArray, _b: NdArray) => sin(a), f64([1, 2]), f64([[3, 4]]))
    const [, bBar] = vjpFn(f64([1, 1]))
    expectClose(bBar, [[0, 0]], { shape: [1, 2] })
  })

  it('accepts a number as the cotangent of a 0-d output', () => {
    const [, vjpFn] = vjp((t: NdArray) => sum(mul(t, t)), f64([1, 2]))
    expectClose(vjpFn(f64(2))[0], [4, 8])
    expectClose((vjpFn as (c: unknown) => NdArray[])(0.5)[0]!, [1, 2])
  })

  it('checks the cotangent: structure, shape and dtype', () => {
    const [, vjpFn] = vjp((t: NdArray) => sin(t), f64([1, 2]))
    expect(() => vjpFn(f64([1, 2, 3]))).toThrow(
      new ShapeError(
        'vjp: Shape of cotangent input to vjp pullback function (3,) must be the same as the shape of corresponding primal input (2,) (cotangent leaf 0)',
      ),
    )
    expect(() => vjpFn(array([1, 2]))).toThrow(
      new DTypeError(
        'vjp: Type of cotangent input to vjp pullback function (float32) is not the expected tangent type (float64) of corresponding primal output with dtype float64 (cotangent leaf 0)',
      ),
    )
    expect(() => (vjpFn as (c: unknown) => unknown)([f64([1, 2])])).toThrow(TreeMismatchError)
    expect(() => (vjpFn as (c: unknown) => unknown)([f64([1, 2])])).toThrow(
      'unexpected tree structure of argument to vjp function: got [*], but expected to match *',
    )
  })

  it('grad through vjpFn: d/dx Σ vjp(sin, x)(1) = d/dx Σ cos x = −sin x', () => {
    const g = grad((x: NdArray) => {
      const [, vjpFn] = vjp(sin, x)
      return sum(vjpFn(f64([1, 1]))[0])
    })(f64([0.5, 2]))
    expectClose(g, [-Math.sin(0.5), -Math.sin(2)])
  })

  it('grad with respect to the cotangent of a vjpFn made outside: the transpose is linear', () => {
    const x = f64([0.5, 2])
    const [, vjpFn] = vjp(sin, x)
    // Σ(w ⊙ cos x ⊙ ȳ) as a function of ȳ has gradient w ⊙ cos x
    const g = grad((yBar: NdArray) => sum(mul(vjpFn(yBar)[0], f64([3, 4]))))(f64([1, 1]))
    expectClose(g, [3 * Math.cos(0.5), 4 * Math.cos(2)])
  })
})
