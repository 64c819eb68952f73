/**
 * linalg.expm, luFactor, luSolve and lu (jax.scipy.linalg): values against SciPy 1.10
 * (test/ops/fixtures/scipyLinalg.py → scipyLinalg.json), expm's JVP and VJP against SciPy's
 * expm_frechet (an independent Fréchet-derivative algorithm), derivatives against float64 finite
 * differences (checkGrads, orders 1 and 2), vmap/jit, and argument errors.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  array,
  checkGrads,
  jit,
  jvp,
  linalg,
  matmul,
  mul,
  sum,
  vjp,
  vmap,
  ShapeError,
  ValueError,
  type NdArray,
  type NestedArray,
} from 'wengert'
import { expectClose, f64 } from '../transforms/helpers'

type M = number[][]
interface ExpmCase {
  readonly a: M
  readonly e: M
  readonly w: M
  readonly value: M
  readonly jvp: M
  readonly vjp: M
}
interface LuCase {
  readonly a: M
  readonly p: M
  readonly l: M
  readonly u: M
  readonly pl: M
  readonly lu?: M
  readonly piv?: number[]
}
const ref = JSON.parse(readFileSync(new URL('./fixtures/scipyLinalg.json', import.meta.url), 'utf8')) as {
  expm: Record<'small' | 'big' | 'nilpotent', ExpmCase> & { batch: { a: M[]; value: M[] } }
  lu: Record<'square' | 'wide' | 'tall' | 'singular', LuCase> & {
    solve: { b: number[]; B: M; x0: number[]; x1: number[]; x2: number[]; X0: M; X1: M }
  }
}

describe('linalg.expm against SciPy', () => {
  it.each(['small', 'big', 'nilpotent'] as const)('%s: value, JVP = expm_frechet, VJP = L(Aᵀ, W)', (k) => {
    const c = ref.expm[k]
    const a = f64(c.a)
    expectClose(linalg.expm(a), c.value, { rtol: 1e-12, atol: 1e-12 })
    const [, t] = jvp((x: NdArray) => linalg.expm(x), [a], [f64(c.e)])
    expectClose(t, c.jvp, { rtol: 1e-11, atol: 1e-11 })
    const [, back] = vjp((x: NdArray) => linalg.expm(x), a)
    expectClose(back(f64(c.w))[0] as NdArray, c.vjp, { rtol: 1e-11, atol: 1e-11 })
  })

  it('batched, float32, vmap and jit', () => {
    const a = array(ref.expm.batch.a as NestedArray, { dtype: 'float64' })
    expectClose(linalg.expm(a), ref.expm.batch.value, { rtol: 1e-12, atol: 1e-12 })
    expectClose(vmap((x: NdArray) => linalg.expm(x))(a), ref.expm.batch.value, { rtol: 1e-12, atol: 1e-12 })
    expectClose(jit((x: NdArray) => linalg.expm(x))(a), ref.expm.batch.value, { rtol: 1e-12, atol: 1e-12 })
    const s = linalg.expm(array(ref.expm.small.a as NestedArray))
    expect(s.dtype).toBe('float32')
    expectClose(s, ref.expm.small.value, { rtol: 1e-6, atol: 1e-6 })
  })

  it('derivatives to second order against finite differences (plain, batched, under vmap)', () => {
    const w = f64(ref.expm.small.w)
    checkGrads((x: NdArray) => sum(mul(linalg.expm(x), w)), [f64(ref.expm.small.a)], { order: 2 })
    const b = array(ref.expm.batch.a as NestedArray, { dtype: 'float64' })
    checkGrads((x: NdArray) => linalg.expm(x), [b], { order: 1 })
    checkGrads((x: NdArray) => vmap((y: NdArray) => linalg.expm(y))(x), [b], { order: 1 })
  })

  it('maxSquarings: NaN beyond it (JAX); options and shapes checked', () => {
    const big = f64(ref.expm.big.a)
    expect(Array.from(linalg.expm(big, { maxSquarings: 0 }).toTypedArray()).every(Number.isNaN)).toBe(true)
    expectClose(linalg.expm(big, { maxSquarings: 3, upperTriangular: false }), ref.expm.big.value, { rtol: 1e-12 })
    expect(() => linalg.expm(f64([[1, 2, 3]]))).toThrow(ShapeError)
    expect(() => linalg.expm(f64([[1, 2, 3]]))).toThrow(/expm: Argument to expm must have shape .*\(1, 3\)/)
    expect(() => linalg.expm(f64([1, 2]))).toThrow(/expm: a must have at least 2 dimensions/)
    expect(() => linalg.expm(big, { maxSquarings: -1 })).toThrow(ValueError)
    // @ts-expect-error: unknown option
    expect(() => linalg.expm(big, { max_squarings: 2 })).toThrow(/did you mean 'maxSquarings'/)
  })
})

describe('linalg.luFactor / luSolve / lu against SciPy', () => {
  it.each(['square', 'singular'] as const)('luFactor %s: packed factors and pivots', (k) => {
    const c = ref.lu[k]
    const [lu, piv] = linalg.luFactor(f64(c.a))
    expectClose(lu, c.lu as M, { rtol: 1e-12, atol: 1e-12 })
    expect(piv.dtype).toBe('int32')
    expect(piv.toArray()).toEqual(c.piv)
  })

  it.each(['square', 'wide', 'tall', 'singular'] as const)('lu %s: p, l, u and permuteL', (k) => {
    const c = ref.lu[k]
    const [p, l, u] = linalg.lu(f64(c.a))
    expectClose(p, c.p, { atol: 0 })
    expectClose(l, c.l, { rtol: 1e-12, atol: 1e-12 })
    expectClose(u, c.u, { rtol: 1e-12, atol: 1e-12 })
    const [pl, u2] = linalg.lu(f64(c.a), { permuteL: true })
    expectClose(pl, c.pl, { rtol: 1e-12, atol: 1e-12 })
    expectClose(u2, c.u, { rtol: 1e-12, atol: 1e-12 })
  })

  it('luSolve: trans 0, 1, 2, vector and matrix right-hand sides, broadcast batch', () => {
    const s = ref.lu.solve
    const f = linalg.luFactor(f64(ref.lu.square.a))
    expectClose(linalg.luSolve(f, f64(s.b)), s.x0, { rtol: 1e-12 })
    expectClose(linalg.luSolve(f, f64(s.b), { trans: 1 }), s.x1, { rtol: 1e-12 })
    expectClose(linalg.luSolve(f, f64(s.b), { trans: 2 }), s.x2, { rtol: 1e-12 })
    expectClose(linalg.luSolve(f, f64(s.B)), s.X0, { rtol: 1e-12 })
    expectClose(linalg.luSolve(f, f64(s.B), { trans: 1 }), s.X1, { rtol: 1e-12 })
    const bb = array([s.B, s.B] as NestedArray, { dtype: 'float64' })
    expectClose(linalg.luSolve(f, bb), [s.X0, s.X0], { rtol: 1e-12 })
  })

  it('luSolve differentiates in lu and b; luFactor∘luSolve equals solve to second order', () => {
    const s = ref.lu.solve
    const a = f64(ref.lu.square.a)
    const [lu, piv] = linalg.luFactor(a)
    for (const trans of [0, 1] as const) {
      checkGrads((x: NdArray, b: NdArray) => linalg.luSolve([x, piv], b, { trans }), [lu, f64(s.B)], { order: 2 })
      checkGrads((x: NdArray) => linalg.luSolve(linalg.luFactor(x), f64(s.b), { trans }), [a], { order: 2 })
    }
  })

  it('lu derivatives (square), vmap and jit of luSolve', () => {
    const a = f64(ref.lu.square.a)
    checkGrads((x: NdArray) => linalg.lu(x), [a], { order: 2 })
    checkGrads((x: NdArray) => linalg.lu(x, { permuteL: true }), [a], { order: 1 })
    const s = ref.lu.solve
    const as = array([ref.lu.square.a, ref.lu.singular.a.map((r, i) => r.map((v, j) => v + (i === j ? 2 : 0)))], {
      dtype: 'float64',
    })
    const solveBoth = (x: NdArray): NdArray => linalg.luSolve(linalg.luFactor(x), f64(s.b))
    const direct = [0, 1].map((i) => linalg.solve(f64((as.toArray() as M[])[i] as M), f64(s.b)).toArray())
    expectClose(vmap(solveBoth)(as), direct as NestedArray, { rtol: 1e-12 })
    const bs = f64([s.b, s.b])
    expectClose(jit((x: NdArray, b: NdArray) => linalg.luSolve(linalg.luFactor(x), b))(as, bs), direct as NestedArray, {
      rtol: 1e-12,
    })
    const [p, l, u] = linalg.lu(as)
    expectClose(matmul(p, matmul(l, u)), as.toArray(), { rtol: 1e-12, atol: 1e-12 })
  })

  it('errors name the op and the shapes', () => {
    const f = linalg.luFactor(f64(ref.lu.square.a))
    expect(() => linalg.luSolve(f, f64([1, 2]))).toThrow(/luSolve: b must be .*got shape \[2\]/)
    expect(() => linalg.luSolve([f[0], array([0, 1])], f64([1, 2, 3]))).toThrow(
      /luSolve: piv must be int32 \[\.\.\., 3\]/,
    )
    expect(() => linalg.luSolve(linalg.luFactor(f64(ref.lu.wide.a)), f64([1, 2, 3]))).toThrow(
      /luSolve: Argument to luSolve must have shape \[\.\.\., n, n\], got \(3, 4\): lu must be square/,
    )
    // @ts-expect-error: trans must be 0, 1 or 2
    expect(() => linalg.luSolve(f, f64([1, 2, 3]), { trans: 3 })).toThrow(ValueError)
    expect(() => linalg.luSolve([f[0], array([5, 1, 2], { dtype: 'int32' })], f64([1, 2, 3]))).toThrow(
      /lu_pivots_to_permutation: pivot 0 is 5/,
    )
    expect(() => linalg.luFactor(f64([1, 2]))).toThrow(/luFactor: a must have at least 2 dimensions/)
  })
})
