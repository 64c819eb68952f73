/**
 * torch.linalg.matrix_exp / torch.matrix_exp / Tensor.matrix_exp, linalg.lu_factor(_ex),
 * lu_solve, lu and torch.lu_unpack against real PyTorch 1.13 (float64): values, gradients of
 * sum(out · W), node names (test/torch/fixtures/linalg_lu_expm.py → linalg_lu_expm.json), and
 * PyTorch's error texts.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { sinWeights } from '../helpers/sinWeights'

type M = number[][]
interface Grad {
  readonly value: unknown
  readonly grad: M
  readonly node: string
}
const ref = JSON.parse(readFileSync(new URL('./fixtures/linalg_lu_expm.json', import.meta.url), 'utf8')) as {
  inputs: Record<'A3' | 'BIG' | 'M' | 'WIDE' | 'SING' | 'B' | 'BR', M>
  matrix_exp: Record<'A3' | 'BIG' | 'batch', Grad>
  lu_factor: { LU: M; pivots: number[]; grad: M; node: string }
  lu_factor_ex_singular: { LU: M; pivots: number[]; info: number }
  lu_factor_ex_batch: { LU: M[]; pivots: number[][]; info: number[] }
  lu_factor_wide: { LU: M; pivots: number[] }
  lu_solve: Record<string, { value: M; gradA: M; gradB: M; node: string }>
  lu: Record<'M' | 'WIDE' | 'tall' | 'SING', { P: M; L: M; U: M; node: string; grad?: M }>
  lu_unpack: { P: M; L: M; U: M; grad: M; node: string }
}
const inp = ref.inputs
const T = (v: unknown, requires_grad = false): torch.Tensor =>
  torch.tensor(v as number[], { dtype: torch.float64, requires_grad })

/** PyTorch's weights of the fixture (test/helpers/sinWeights.ts). */
const W = sinWeights
const loss = (outs: ReadonlyArray<torch.Tensor>): torch.Tensor =>
  outs.map((o) => o.mul(W(o.shape)).sum()).reduce((a, b) => a.add(b))

const close = (t: torch.Tensor | null | undefined, expected: unknown, tol = 1e-10): void => {
  const a = (t?.reshape(-1).tolist() ?? []) as number[]
  const e = [expected].flat(4) as number[]
  expect(a.length).toBe(e.length)
  a.forEach((v, i) => {
    const w = e[i] as number
    if (Math.abs(v - w) > tol * (1 + Math.abs(w))) throw new Error(`element ${i}: got ${v}, expected ${w}`)
  })
}

describe('matrix_exp against PyTorch 1.13', () => {
  it.each(['A3', 'BIG', 'batch'] as const)('%s: value, gradient, node', (k) => {
    const c = ref.matrix_exp[k]
    const src = k === 'batch' ? [inp.A3, inp.A3[0]!.map((_, j) => inp.A3.map((r) => 0.5 * r[j]!)), inp.M] : inp[k]
    for (const f of [torch.linalg.matrix_exp, torch.matrix_exp, (t: torch.Tensor) => t.matrix_exp()]) {
      const a = T(src, true)
      const y = f(a)
      close(y, c.value)
      expect(y.grad_fn?.name()).toBe(c.node)
      loss([y]).backward()
      close(a.grad, c.grad, 1e-9)
    }
  })

  it('errors as PyTorch', () => {
    expect(() => torch.linalg.matrix_exp(torch.ones(2, 3))).toThrow(
      'linalg.matrix_exp: A must be batches of square matrices, but they are 2 by 3 matrices',
    )
    expect(() => torch.linalg.matrix_exp(torch.ones(3))).toThrow(
      'linalg.matrix_exp: The input tensor A must have at least 2 dimensions.',
    )
    expect(() => torch.matrix_exp(torch.ones(3, 3, { dtype: torch.int64 }))).toThrow(
      'matrix_exp: Expected a floating point or complex tensor as input. Got Long',
    )
  })
})

describe('LU against PyTorch 1.13', () => {
  it('lu_factor: LU, 1-based int32 pivots, gradient, node', () => {
    const a = T(inp.M, true)
    const { LU, pivots } = torch.linalg.lu_factor(a)
    close(LU, ref.lu_factor.LU)
    expect(pivots.dtype).toBe(torch.int32)
    expect(pivots.tolist()).toEqual(ref.lu_factor.pivots)
    expect(LU.grad_fn?.name()).toBe(ref.lu_factor.node)
    loss([LU]).backward()
    close(a.grad, ref.lu_factor.grad, 1e-9)
    const wide = torch.linalg.lu_factor(T(inp.WIDE))
    close(wide.LU, ref.lu_factor_wide.LU)
    expect(wide.pivots.tolist()).toEqual(ref.lu_factor_wide.pivots)
  })

  it('lu_factor_ex: info instead of an error, batched; check_errors raises', () => {
    const s = torch.linalg.lu_factor_ex(T(inp.SING))
    close(s.LU, ref.lu_factor_ex_singular.LU)
    expect(s.pivots.tolist()).toEqual(ref.lu_factor_ex_singular.pivots)
    expect(s.info.tolist()).toEqual(ref.lu_factor_ex_singular.info)
    expect(s.info.dtype).toBe(torch.int32)
    const b = torch.linalg.lu_factor_ex(T([inp.M, inp.SING]))
    close(b.LU, ref.lu_factor_ex_batch.LU)
    expect(b.pivots.tolist()).toEqual(ref.lu_factor_ex_batch.pivots)
    expect(b.info.tolist()).toEqual(ref.lu_factor_ex_batch.info)
    expect(() => torch.linalg.lu_factor_ex(torch.ones(3, 3), { check_errors: true })).toThrow(
      'torch.linalg.lu_factor_ex: U[2,2] is zero and using it on lu_solve would result in a division by zero.',
    )
  })

  it.each(Object.keys(ref.lu_solve))('lu_solve %s: value, gradients in A (through lu_factor) and B', (k) => {
    const c = ref.lu_solve[k]!
    const left = k.includes('left=True')
    const adjoint = k.includes('adjoint=True')
    const a = T(inp.M, true)
    const b = T(left ? inp.B : inp.BR, true)
    const { LU, pivots } = torch.linalg.lu_factor(a)
    const x = torch.linalg.lu_solve(LU, pivots, b, { left, adjoint })
    close(x, c.value)
    expect(x.grad_fn?.name()).toBe(c.node)
    loss([x]).backward()
    close(a.grad, c.gradA, 1e-9)
    close(b.grad, c.gradB, 1e-9)
  })

  it.each(['M', 'WIDE', 'tall', 'SING'] as const)('linalg.lu %s: P, L, U (gradient for square)', (k) => {
    const c = ref.lu[k]
    const src = k === 'tall' ? inp.WIDE[0]!.map((_, j) => inp.WIDE.map((r) => r[j]!)) : inp[k]
    const a = T(src, true)
    const { P, L, U } = torch.linalg.lu(a)
    close(P, c.P, 0)
    close(L, c.L)
    close(U, c.U)
    expect(P.grad_fn).toBe(null)
    expect(L.grad_fn?.name()).toBe(c.node)
    expect(U.grad_fn).toBe(L.grad_fn)
    if (c.grad !== undefined) {
      loss([L, U]).backward()
      close(a.grad, c.grad, 1e-9)
    }
  })

  it('lu_unpack: P, L, U, gradient, unpack_data / unpack_pivots', () => {
    const a = T(inp.M, true)
    const { LU, pivots } = torch.linalg.lu_factor(a)
    const { P, L, U } = torch.lu_unpack(LU, pivots)
    close(P, ref.lu_unpack.P, 0)
    close(L, ref.lu_unpack.L)
    close(U, ref.lu_unpack.U)
    expect(L.grad_fn?.name()).toBe(ref.lu_unpack.node)
    loss([L, U]).backward()
    close(a.grad, ref.lu_unpack.grad, 1e-9)
    const noData = torch.lu_unpack(LU, pivots, { unpack_data: false })
    expect([noData.L.shape, noData.U.shape]).toEqual([[0], [0]])
    close(noData.P, ref.lu_unpack.P, 0)
    expect(torch.lu_unpack(LU, pivots, { unpack_pivots: false }).P.shape).toEqual([0])
  })

  it('errors as PyTorch', () => {
    const { LU, pivots } = torch.linalg.lu_factor(T(inp.M))
    const f64 = { dtype: torch.float64 }
    expect(() => torch.linalg.lu_factor(torch.ones(3, f64))).toThrow(
      'torch.lu_factor: Expected tensor with 2 or more dimensions. Got size: [3] instead',
    )
    expect(() => torch.linalg.lu_factor(T(inp.M), { pivot: false })).toThrow(
      'linalg.lu_factor: LU without pivoting is not implemented on the CPU',
    )
    expect(() => torch.linalg.lu_factor(torch.ones(3, 3, { dtype: torch.int64 }))).toThrow(
      `"lu_cpu" not implemented for 'Long'`,
    )
    expect(() => torch.linalg.lu_factor(torch.ones(3, 3, f64))).toThrow(
      'torch.linalg.lu_factor: U[2,2] is zero and using it on lu_solve would result in a division by zero.',
    )
    expect(() => torch.linalg.lu_solve(LU, pivots, torch.ones(2, f64))).toThrow(
      'linalg.lu_solve: The input tensor B must have at least 2 dimensions.',
    )
    expect(() => torch.linalg.lu_solve(LU, pivots, torch.ones(2, 2, f64))).toThrow(
      'linalg.lu_solve: Incompatible shapes of A and B for the equation AX = B (3x3 and 2x2)',
    )
    expect(() => torch.linalg.lu_solve(T(inp.WIDE), pivots, torch.ones(3, 2, f64))).toThrow(
      'torch.linalg.lu_solve: A must be batches of square matrices, but they are 3 by 4 matrices',
    )
    expect(() => torch.linalg.lu(torch.ones(3, f64))).toThrow(
      'linalg.lu: Expected tensor with 2 or more dimensions. Got size: [3] instead',
    )
    expect(() => torch.lu_unpack(LU, pivots.long())).toThrow(
      'torch.lu_unpack: LU_pivots is expected to be a contiguous tensor of torch.int32 dtype.',
    )
  })
})
