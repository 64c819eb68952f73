import { describe, expect, it } from 'vitest'
import {
  argmax,
  array,
  DTypeError,
  exp,
  hessian,
  jacfwd,
  jacrev,
  matmul,
  mul,
  type NdArray,
  sin,
  sum,
  tree,
  transpose,
} from 'wengert'
import { expectClose, f64 } from './helpers'

const shapes = (t: unknown): unknown => tree.map((l) => (l as NdArray).shape, t)

describe('jacfwd and jacrev', () => {
  const A = [
    [1, 2, 3],
    [4, 5, 6],
  ]
  // f(x) = sin(Ax): J = diag(cos(Ax))·A, shape [2, 3]
  const f = (x: NdArray) => sin(matmul(f64(A), x))
  const x = [0.1, -0.2, 0.3]
  const ax = A.map((r) => r.reduce((s, a, j) => s + a * x[j]!, 0))
  const J = A.map((r, i) => r.map((a) => Math.cos(ax[i]!) * a))

  it.each([
    ['jacfwd', jacfwd],
    ['jacrev', jacrev],
  ] as const)('%s of sin(Ax) is diag(cos Ax)·A, shape out ++ in', (_, jac) => {
    expectClose(jac(f)(f64(x)), J, { shape: [2, 3] })
  })

  it.each([
    ['jacfwd', jacfwd],
    ['jacrev', jacrev],
  ] as const)('%s shapes: out.shape ++ in.shape, for every rank', (_, jac) => {
    expect(
      jac((t: NdArray) => sum(t))(
        f64([
          [1, 2],
          [3, 4],
        ]),
      ).shape,
    ).toEqual([2, 2])
    expect(jac((t: NdArray) => mul(t, 2))(f64(1)).shape).toEqual([])
    expect(jac((t: NdArray) => mul(t, f64([[1], [2]])))(f64([1, 2, 3])).shape).toEqual([2, 3, 3])
    expect(
      jac((t: NdArray) => transpose(t))(
        f64([
          [1, 2, 3],
          [4, 5, 6],
        ]),
      ).shape,
    ).toEqual([3, 2, 2, 3])
  })

  it.each([
    ['jacfwd', jacfwd],
    ['jacrev', jacrev],
  ] as const)('%s over pytrees: output structure outside, input structure inside', (_, jac) => {
    const g = (p: { w: NdArray; b: NdArray[] }) => ({ y: mul(p.w, sum(p.b[0]!)), z: sum(p.w) })
    const Jt = jac(g)({ w: f64([1, 2, 3]), b: [f64([[1, 2]])] })
    expect(shapes(Jt)).toEqual({ y: { w: [3, 3], b: [[3, 1, 2]] }, z: { w: [3], b: [[1, 2]] } })
    const { y } = Jt
    expectClose(y.w, [
      [3, 0, 0],
      [0, 3, 0],
      [0, 0, 3],
    ])
    expectClose(y.b[0]!, [[[1, 1]], [[2, 2]], [[3, 3]]])
  })

  it.each([
    ['jacfwd', jacfwd],
    ['jacrev', jacrev],
  ] as const)('%s with argnums: a number gives one Jacobian, a list a tuple', (_, jac) => {
    const h = (a: NdArray, b: NdArray, c: NdArray) => mul(mul(a, sum(b)), c)
    const args = [f64([1, 2]), f64([[1, 2, 3]]), f64(5)] as const
    expect(jac(h, { argnums: 1 })(...args).shape).toEqual([2, 1, 3])
    const Js = jac(h, { argnums: [0, 2] })(...args)
    expect(shapes(Js)).toEqual([[2, 2], [2]])
    expectClose(Js[0], [
      [30, 0],
      [0, 30],
    ])
    expectClose(Js[1], [6, 12])
  })

  it('jacfwd and jacrev agree on a non-trivial function', () => {
    const g = (t: NdArray) => mul(exp(t), sum(mul(t, t)))
    const t = f64([0.2, -0.1, 0.4, 1])
    expectClose(jacfwd(g)(t), jacrev(g)(t).toArray(), { atol: 1e-12 })
  })
})

describe('hessian', () => {
  it('of xᵀAx is A + Aᵀ', () => {
    const A = [
      [1, 2, 0],
      [-3, 4, 5],
      [0.5, 0, -1],
    ]
    const H = hessian((x: NdArray) => sum(mul(x, matmul(f64(A), x))))(f64([0.3, -1, 2]))
    expectClose(
      H,
      A.map((r, i) => r.map((a, j) => a + A[j]![i]!)),
      { shape: [3, 3] },
    )
  })

  it('equals jacfwd(jacrev(f)) and jacrev(jacrev(f)) and jacrev(jacfwd(f))', () => {
    const f = (x: NdArray) => sum(mul(sin(x), exp(mul(x, 0.5))))
    const x = f64([0.1, 0.7])
    const H = hessian(f)(x)
    // f = Σ sin(xᵢ)e^(xᵢ/2): diagonal Hessian, f'' = e^(x/2)(−sin x + cos x + ¼ sin x)
    const d2 = (v: number) => Math.exp(v / 2) * (-0.75 * Math.sin(v) + Math.cos(v))
    expectClose(H, [
      [d2(0.1), 0],
      [0, d2(0.7)],
    ])
    expectClose(jacfwd(jacrev(f))(x), H.toArray())
    expectClose(jacrev(jacrev(f))(x), H.toArray())
    expectClose(jacrev(jacfwd(f))(x), H.toArray())
  })

  it('shape in.shape ++ in.shape, and argnums tuples nest', () => {
    const f = (a: NdArray, b: NdArray) => mul(sum(mul(a, a)), sum(b))
    const a = f64([[1, 2]])
    const b = f64([3, 4, 5])
    expect(hessian(f)(a, b).shape).toEqual([1, 2, 1, 2])
    const Hs = hessian(f, { argnums: [0, 1] })(a, b)
    expect(shapes(Hs)).toEqual([
      [
        [1, 2, 1, 2],
        [1, 2, 3],
      ],
      [
        [3, 1, 2],
        [3, 3],
      ],
    ])
    // ∂²/∂a∂b = 2a (for every b): Hs[0][1][0, j, k] = 2a_j
    expectClose(Hs[0][1], [
      [
        [2, 2, 2],
        [4, 4, 4],
      ],
    ])
    expectClose(Hs[1][1], [
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ])
  })
})

describe('jacobians of integer outputs', () => {
  // JAX refuses (jacrev/jacfwd require real-valued outputs) rather than returning zeros
  it.each([
    ['jacrev', jacrev],
    ['jacfwd', jacfwd],
  ] as const)('%s throws a DTypeError naming the dtype', (name, jac) => {
    const f = (x: NdArray): NdArray => argmax(x)
    expect(() => jac(f)(array([1, 3, 2], { dtype: 'float64' }))).toThrow(DTypeError)
    expect(() => jac(f)(array([1, 3, 2], { dtype: 'float64' }))).toThrow(`${name} requires float outputs`)
  })
})
