/**
 * linalg.pinv and linalg.matrixRank options (hermitian, rtol as a number or per matrix, JAX's
 * rcond/tol aliases and defaults): values from NumPy 1.x semantics computed by hand on diagonal
 * inputs, the Moore–Penrose conditions, and the Golub–Pereyra derivative against float64 finite
 * differences to second order (checkGrads), for the SVD and the hermitian paths.
 */
import { describe, expect, it } from 'vitest'
import { checkGrads, grad, jit, linalg, matmul, stack, sum, vmap, type NdArray } from 'wengert'
import { expectClose, f64 } from '../transforms/helpers'

const tall = f64([
  [0.9, -0.3, 0.4],
  [0.2, 1.1, -0.5],
  [-0.7, 0.6, 0.8],
  [0.3, 0.1, 0.2],
])
const sym = f64([
  [2.0, 0.3, -0.4],
  [0.3, -1.5, 0.2],
  [-0.4, 0.2, 0.7],
])

describe('linalg.pinv', () => {
  it('satisfies the Moore–Penrose conditions (SVD and hermitian paths)', () => {
    for (const [a, o] of [
      [tall, {}],
      [sym, { hermitian: true }],
    ] as const) {
      const p = linalg.pinv(a, o)
      expectClose(matmul(matmul(a, p), a), a.toArray(), { atol: 1e-12 })
      expectClose(matmul(matmul(p, a), p), p.toArray(), { atol: 1e-12 })
    }
  })
  it('hermitian uses the symmetric part, as JAX', () => {
    const asym = f64([
      [2, 1],
      [0, 3],
    ])
    const symPart = f64([
      [2, 0.5],
      [0.5, 3],
    ])
    expectClose(linalg.pinv(asym, { hermitian: true }), linalg.pinv(symPart).toArray(), { atol: 1e-12 })
  })
  it('drops singular values at most rtol·max(s) (number, per matrix, rcond alias)', () => {
    const d = f64([
      [4, 0],
      [0, 0.5],
    ])
    expectClose(linalg.pinv(d), [
      [0.25, 0],
      [0, 2],
    ])
    expectClose(linalg.pinv(d, { rtol: 0.2 }), [
      [0.25, 0],
      [0, 0],
    ])
    expectClose(linalg.pinv(d, { rcond: 0.2 }), [
      [0.25, 0],
      [0, 0],
    ])
    const batch = linalg.pinv(f64([d.toArray() as number[][], d.toArray() as number[][]] as never), {
      rtol: f64([0.1, 0.2]),
    })
    expectClose(batch, [
      [
        [0.25, 0],
        [0, 2],
      ],
      [
        [0.25, 0],
        [0, 0],
      ],
    ])
    expect(() => linalg.pinv(d, { rtol: 0.1, rcond: 0.1 })).toThrow('pinv: give only one of rtol and rcond')
    expect(() => linalg.pinv(tall, { hermitian: true })).toThrow('pinv: hermitian=true needs square matrices')
    expect(() => linalg.pinv(d, { rtl: 1 } as never)).toThrow("did you mean 'rtol'")
  })
  it('default cutoff is JAX’s 10·max(m, n)·eps', () => {
    const eps = 2.220446049250313e-16
    const keep = f64([
      [1, 0],
      [0, 25 * eps],
    ])
    const drop = f64([
      [1, 0],
      [0, 15 * eps],
    ])
    expect((linalg.pinv(keep).toArray() as number[][])[1]?.[1]).toBeCloseTo(1 / (25 * eps), -10)
    expect((linalg.pinv(drop).toArray() as number[][])[1]?.[1]).toBe(0)
  })
  it('differentiates to second order (Golub–Pereyra), SVD and hermitian paths', () => {
    checkGrads((a: NdArray) => linalg.pinv(a), [tall])
    // wide: the transpose of `tall`
    checkGrads((a: NdArray) => linalg.pinv(a), [tall.T])
    checkGrads((a: NdArray) => linalg.pinv(a, { hermitian: true }), [sym])
  })
})

describe('linalg.pinv and multiDot under jit and vmap', () => {
  it('agree with the eager, batched results (values and gradients)', () => {
    const f = (a: NdArray): NdArray => sum(linalg.pinv(a))
    const batch = stack([tall, tall.T.T])
    expectClose(jit((a: NdArray) => linalg.pinv(a))(tall), linalg.pinv(tall).toArray(), { atol: 1e-12 })
    expectClose(vmap((a: NdArray) => linalg.pinv(a))(batch), linalg.pinv(batch).toArray(), { atol: 1e-12 })
    expectClose(jit(grad(f))(tall), grad(f)(tall).toArray(), { atol: 1e-10 })
    const chain = (a: NdArray): NdArray => linalg.multiDot([a, tall.T, a])
    expectClose(vmap(chain)(batch), stack([chain(tall), chain(tall)]).toArray(), { atol: 1e-12 })
  })
})

describe('linalg.matrixRank', () => {
  const d = f64([
    [4, 0, 0],
    [0, 0.5, 0],
    [0, 0, 0],
  ])
  it('counts singular values above rtol·max(s), int32; tol alias; hermitian; 1-D', () => {
    expect(linalg.matrixRank(d).item()).toBe(2)
    expect(linalg.matrixRank(d).dtype).toBe('int32')
    expect(linalg.matrixRank(d, { rtol: 0.2 }).item()).toBe(1)
    expect(linalg.matrixRank(d, { tol: 0.2 }).item()).toBe(1)
    expect(
      linalg
        .matrixRank(
          f64([
            [-3, 0],
            [0, 1e-20],
          ]),
          { hermitian: true },
        )
        .item(),
    ).toBe(1)
    expect(linalg.matrixRank(f64([0, 0, 2])).item()).toBe(1)
    expect(linalg.matrixRank(f64([0, 0])).item()).toBe(0)
    expect(() => linalg.matrixRank(d, { rtol: 0.1, tol: 0.1 })).toThrow('matrixRank: give only one of rtol and tol')
  })
})
