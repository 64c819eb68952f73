import { describe, expect, it } from 'vitest'
import {
  array,
  div,
  grad,
  jacrev,
  jit,
  jvp,
  linalg,
  matmul,
  mul,
  square,
  sub,
  sum,
  transpose,
  vmap,
  type NdArray,
} from '../../../src'
import * as lax from '../../../src/ops/lax'
import { ValueError } from '../../../src/ndarray/errors'

const f64 = (x: number | number[] | number[][]): NdArray => array(x, { dtype: 'float64' })

// √a as the root of x² − a by Newton's method (no derivative flows through the iterations)
const newton = (f: (x: unknown) => unknown, x0: unknown): NdArray =>
  lax.foriLoop(0, 40, (_i, x: NdArray) => sub(x, div(f(x) as NdArray, mul(x, 2))), x0 as NdArray)
const scalarSolve = (g: (x: unknown) => unknown, y: unknown): NdArray => div(y as NdArray, g(f64(1)) as NdArray)
const sqrtRoot = (a: NdArray): NdArray =>
  lax.customRoot((x) => sub(square(x as NdArray), a), f64(1), newton, scalarSolve) as NdArray

describe('lax.customRoot', () => {
  it('solves and differentiates by the implicit function theorem in both modes', () => {
    expect(sqrtRoot(f64(9)).item()).toBeCloseTo(3, 12)
    // d√a/da = 1/(2√a)
    expect(grad(sqrtRoot)(f64(4)).item()).toBeCloseTo(0.25, 12)
    expect((jvp(sqrtRoot, [f64(4)], [f64(2)])[1] as NdArray).item()).toBeCloseTo(0.5, 12)
    // second order: d²√a/da² = −a^{-3/2}/4
    expect(grad(grad(sqrtRoot))(f64(4)).item()).toBeCloseTo(-1 / 32, 10)
  })
  it('works under vmap and jit', () => {
    const a = f64([1, 4, 16])
    expect(vmap(sqrtRoot)(a).toArray()).toEqual([1, 2, 4].map((v) => expect.closeTo(v, 12)))
    expect(jit(vmap(grad(sqrtRoot)))(a).toArray()).toEqual([0.5, 0.25, 0.125].map((v) => expect.closeTo(v, 12)))
  })
  it('returns aux without derivatives and checks the structure of f', () => {
    const withAux = (a: NdArray): unknown =>
      lax.customRoot(
        (x) => sub(square(x as NdArray), a),
        f64(1),
        (f, x0) => [newton(f, x0), array(40)],
        scalarSolve,
        { hasAux: true },
      )
    const [x, aux] = withAux(f64(4)) as [NdArray, NdArray]
    expect(x.item()).toBeCloseTo(2, 12)
    expect(aux.item()).toBe(40)
    expect(grad((a: NdArray) => (withAux(a) as [NdArray])[0])(f64(4)).item()).toBeCloseTo(0.25, 12)
    expect(() => lax.customRoot((x) => [x], f64(1), newton, scalarSolve)).toThrow(
      /f\(\) output pytree structure must match initial_guess/,
    )
    expect(() =>
      lax.customRoot(
        (x) => x,
        f64(1),
        (_f, x0) => x0,
        scalarSolve,
        { hasAux: true },
      ),
    ).toThrow(/has_aux was set to True/)
  })
})

const A = f64([
  [4, 1, 0],
  [1, 3, 1],
  [0, 2, 5],
])
const solveDense = (m: NdArray) => (_mv: unknown, rhs: unknown) => linalg.solve(m, rhs as NdArray)

describe('lax.customLinearSolve', () => {
  const b = f64([1, 2, 3])
  const linSolve = (m: NdArray, rhs: NdArray, tr = true): NdArray =>
    lax.customLinearSolve(
      (x) => matmul(m, x as NdArray),
      rhs,
      solveDense(m),
      tr ? solveDense(transpose(m)) : null,
    ) as NdArray
  it('matches linalg.solve in value and in both derivatives (b and the matrix matvec closes over)', () => {
    const want = linalg.solve(A, b).toArray() as number[]
    expect(linSolve(A, b).toArray()).toEqual(want.map((v) => expect.closeTo(v, 12)))
    const w = f64([1, -2, 0.5])
    const loss = (m: NdArray, rhs: NdArray): NdArray => sum(mul(linSolve(m, rhs), w))
    const ref = (m: NdArray, rhs: NdArray): NdArray => sum(mul(linalg.solve(m, rhs), w))
    const [gA, gb] = grad(loss, { argnums: [0, 1] })(A, b) as [NdArray, NdArray]
    const [rA, rb] = grad(ref, { argnums: [0, 1] })(A, b) as [NdArray, NdArray]
    expect(gb.toArray()).toEqual((rb.toArray() as number[]).map((v) => expect.closeTo(v, 12)))
    expect((gA.toArray() as number[][]).flat()).toEqual(
      (rA.toArray() as number[][]).flat().map((v) => expect.closeTo(v, 12)),
    )
    const t = jvp(
      (m: NdArray) => linSolve(m, b),
      [A],
      [
        f64([
          [1, 0, 0],
          [0, 0, 0],
          [0, 0, 1],
        ]),
      ],
    )[1] as NdArray
    const r = jvp(
      (m: NdArray) => linalg.solve(m, b),
      [A],
      [
        f64([
          [1, 0, 0],
          [0, 0, 0],
          [0, 0, 1],
        ]),
      ],
    )[1] as NdArray
    expect(t.toArray()).toEqual((r.toArray() as number[]).map((v) => expect.closeTo(v, 12)))
  })
  it('vmaps, jits and refuses reverse mode without transpose_solve (JAX text)', () => {
    const bs = f64([
      [1, 2, 3],
      [0, 1, 0],
    ])
    const jac = jit(vmap((rhs: NdArray) => linSolve(A, rhs)))(bs).toArray() as number[][]
    expect(jac[1]).toEqual((linalg.solve(A, f64([0, 1, 0])).toArray() as number[]).map((v) => expect.closeTo(v, 12)))
    expect(() => jacrev((rhs: NdArray) => linSolve(A, rhs, false))(b)).toThrow(
      /transpose_solve required for backwards mode automatic differentiation of custom_linear_solve/,
    )
    expect(() => jacrev((rhs: NdArray) => linSolve(A, rhs, false))(b)).toThrow(ValueError)
    const sym = (rhs: NdArray): NdArray =>
      lax.customLinearSolve((x) => matmul(A, x as NdArray), rhs, solveDense(A), null, { symmetric: true }) as NdArray
    expect(sym(b).toArray()).toEqual((linalg.solve(A, b).toArray() as number[]).map((v) => expect.closeTo(v, 12)))
  })
})
