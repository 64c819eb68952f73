/**
 * torch.linalg.ldl_factor, ldl_factor_ex and ldl_solve against real PyTorch 1.13
 * (test/torch/fixtures/linalg_ldl.py → linalg_ldl.json): packed LD, pivots (exactly), info, the
 * solve, node names and error texts; and the reconstruction A = P·L·D·Lᵀ·Pᵀ from mathematics.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { typeName } from '../helpers/nodeNames'

interface Case {
  readonly A: unknown
  readonly shape: number[]
  readonly dtype: 'float64' | 'float32'
  readonly hermitian: boolean
  readonly LD: unknown
  readonly pivots: unknown
  readonly info: unknown
  readonly B?: unknown
  readonly X?: unknown
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/linalg_ldl.json', import.meta.url), 'utf8')) as {
  readonly cases: Record<string, Case>
  readonly errors: Record<string, [string, string]>
  readonly nodes: { readonly factor: string; readonly solve: string; readonly pivots_long: unknown }
}
const flat = (v: unknown): number[] => [v].flat(Infinity) as number[]
const near = (got: unknown, want: unknown, tol: number): void => {
  const [g, w] = [flat(got), flat(want)]
  expect(g.length).toBe(w.length)
  g.forEach((x, i) => {
    const y = w[i] as number
    if (!(Math.abs(x - y) <= tol * (1 + Math.abs(y)))) throw new Error(`element ${i}: got ${x}, expected ${y}`)
  })
}
const tensorOf = (v: unknown, dtype: 'float64' | 'float32'): torch.Tensor =>
  torch.tensor(v as number[], { dtype: dtype === 'float64' ? torch.float64 : torch.float32 })

/** A = P·L·D·Lᵀ·Pᵀ rebuilt from LAPACK's packed form, applying the interchanges in reverse. */
const reconstruct = (ld: number[][], piv: number[]): number[][] => {
  const n = ld.length
  let m: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0))
  // D, then M ← Lₖ·M·Lₖᵀ and M ← Pₖ·M·Pₖ for k from last block to first
  const blocks: Array<[number, number]> = []
  for (let k = 0; k < n; k += (piv[k] as number) > 0 ? 1 : 2) blocks.push([k, (piv[k] as number) > 0 ? 1 : 2])
  for (const [k, s] of blocks)
    for (let i = k; i < k + s; i++)
      for (let j = k; j < k + s; j++) (m[i] as number[])[j] = (ld[Math.max(i, j)] as number[])[Math.min(i, j)] as number
  for (const [k, s] of blocks.reverse()) {
    const L = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)))
    for (let c = k; c < k + s; c++)
      for (let i = k + s; i < n; i++) (L[i] as number[])[c] = (ld[i] as number[])[c] as number
    m = mul(mul(L, m), transpose(L))
    const kp = Math.abs(piv[k] as number) - 1
    const kk = k + s - 1
    const p = Array.from({ length: n }, (_, i) => (i === kk ? kp : i === kp ? kk : i))
    m = p.map((pi) => p.map((pj) => (m[pi] as number[])[pj] as number))
  }
  return m
}
const mul = (a: number[][], b: number[][]): number[][] =>
  a.map((row) =>
    (b[0] as number[]).map((_, j) => row.reduce((s, x, k) => s + x * ((b[k] as number[])[j] as number), 0)),
  )
const transpose = (a: number[][]): number[][] => (a[0] as number[]).map((_, j) => a.map((r) => r[j] as number))

describe('torch.linalg.ldl_factor_ex against PyTorch 1.13', () => {
  it.each(Object.entries(fixture.cases))('%s: LD, pivots and info', (_name, c) => {
    // Arrange
    const a = tensorOf(c.A, c.dtype).reshape(c.shape)
    // Act
    const r = torch.linalg.ldl_factor_ex(a, { hermitian: c.hermitian })
    // Assert
    expect(r.pivots.dtype).toBe(torch.int32)
    expect(r.pivots.tolist()).toEqual(c.pivots)
    expect(r.info.tolist()).toEqual(c.info)
    expect(r.LD.shape).toEqual(a.shape)
    near(r.LD.tolist(), c.LD, c.dtype === 'float64' ? 1e-10 : 1e-5)
  })

  it.each(Object.entries(fixture.cases).filter(([, c]) => c.X !== undefined))('%s: ldl_solve', (_name, c) => {
    const { LD, pivots } = torch.linalg.ldl_factor(tensorOf(c.A, c.dtype), { hermitian: c.hermitian })
    const X = torch.linalg.ldl_solve(LD, pivots, tensorOf(c.B, c.dtype), { hermitian: c.hermitian })
    near(X.tolist(), c.X, c.dtype === 'float64' ? 1e-9 : 1e-4)
  })

  it.each(['keep_1x1', 'block_2x2', 'block_2x2_swap', 'lower_only', 'rand9'])('%s: P·L·D·Lᵀ·Pᵀ = A', (name) => {
    const c = fixture.cases[name] as Case
    const { LD, pivots } = torch.linalg.ldl_factor(tensorOf(c.A, 'float64'))
    const a = c.A as number[][]
    const lowerSym = a.map((row, i) => row.map((_, j) => (a[Math.max(i, j)] as number[])[Math.min(i, j)] as number))
    near(reconstruct(LD.tolist() as number[][], pivots.tolist() as number[]), lowerSym, 1e-12)
  })

  it('broadcasts the batch of LD against B', () => {
    const c = fixture.cases['rand5'] as Case
    const { LD, pivots } = torch.linalg.ldl_factor(tensorOf(c.A, 'float64'))
    const B = torch.stack([tensorOf(c.B, 'float64'), tensorOf(c.B, 'float64').mul(2)])
    const X = torch.linalg.ldl_solve(LD, pivots, B)
    expect(X.shape).toEqual([2, 5, 2])
    near(X.tolist(), [c.X, flat(c.X).map((v) => 2 * v)], 1e-9)
  })

  it('accepts int64 pivots as PyTorch does', () => {
    const c = fixture.cases['rand5'] as Case
    const { LD, pivots } = torch.linalg.ldl_factor(tensorOf(c.A, 'float64'))
    const X = torch.linalg.ldl_solve(LD, pivots.long(), tensorOf(c.B, 'float64'))
    near(X.tolist(), c.X, 1e-9)
  })
})

describe('torch.linalg.ldl_* errors and autograd as PyTorch 1.13', () => {
  const D = torch.float64
  const sym = torch.tensor(
    [
      [2, 1, 0],
      [1, -3, 1],
      [0, 1, 1],
    ],
    { dtype: D },
  )
  const { LD, pivots } = torch.linalg.ldl_factor(sym)
  const b = torch.ones(3, 2, { dtype: D })
  const calls: Record<string, () => unknown> = {
    rank1: () => torch.linalg.ldl_factor(torch.ones(3, { dtype: D })),
    nonsquare: () => torch.linalg.ldl_factor(torch.ones(2, 3, { dtype: D })),
    long: () => torch.linalg.ldl_factor(torch.ones(2, 2, { dtype: torch.int64 })),
    bool: () => torch.linalg.ldl_factor(torch.ones(2, 2, { dtype: torch.bool })),
    singular: () => torch.linalg.ldl_factor(torch.ones(2, 2, { dtype: D })),
    singular_ex_check: () => torch.linalg.ldl_factor_ex(torch.zeros(2, 2, { dtype: D }), { check_errors: true }),
    solve_rank1_LD: () => torch.linalg.ldl_solve(torch.ones(3, { dtype: D }), pivots, b),
    solve_nonsquare: () => torch.linalg.ldl_solve(torch.ones(3, 4, { dtype: D }), pivots, b),
    solve_pivots_shape: () => torch.linalg.ldl_solve(LD, pivots.narrow(0, 0, 2), b),
    solve_pivots_float: () => torch.linalg.ldl_solve(LD, pivots.float(), b),
    solve_dtype: () => torch.linalg.ldl_solve(LD, pivots, b.float()),
    solve_rows: () => torch.linalg.ldl_solve(LD, pivots, torch.ones(4, 2, { dtype: D })),
    factor_backward: () => torch.linalg.ldl_factor(sym.clone().requires_grad_(true)).LD.sum().backward(),
    solve_backward: () => torch.linalg.ldl_solve(LD, pivots, b.clone().requires_grad_(true)).sum().backward(),
  }
  it.each(Object.entries(fixture.errors))('%s', (name, [type, message]) => {
    const f = calls[name] as () => unknown
    expect(f).toThrow(message)
    try {
      f()
    } catch (e) {
      expect((e as Error).constructor.name).toBe(type)
    }
  })

  it('gives the outputs a NotImplemented grad_fn only when an input requires grad', () => {
    expect(typeName(torch.linalg.ldl_factor(sym.clone().requires_grad_(true)).LD.grad_fn)).toBe(fixture.nodes.factor)
    expect(typeName(torch.linalg.ldl_solve(LD, pivots, b.clone().requires_grad_(true)).grad_fn)).toBe(
      fixture.nodes.solve,
    )
    expect(torch.linalg.ldl_factor(sym).LD.grad_fn).toBeNull()
    expect(torch.linalg.ldl_factor(sym.clone().requires_grad_(true)).pivots.requires_grad).toBe(false)
  })

  it('lists only the edges of inputs that require grad (PyTorch 1.13: ldl_solve(LD, piv, B) with B alone → one AccumulateGrad)', () => {
    const B = b.clone().requires_grad_(true)
    const next = torch.linalg.ldl_solve(LD, pivots, B).grad_fn?.next_functions ?? []
    expect(next.length).toBe(1)
    expect(next[0]?.[0]).not.toBeNull()
    expect(next[0]?.[0]?.name()).toMatch(/AccumulateGrad$/)
  })
})
