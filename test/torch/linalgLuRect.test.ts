/**
 * Derivatives of the LU factorisation of wide and tall matrices (JAX's completed-factor rule,
 * de Hoog, Anderssen & Lukas 2011): the facade's torch.linalg.lu / lu_factor against PyTorch 1.13
 * (test/torch/fixtures/linalg_lu_rect.py → linalg_lu_rect.json), and the core linalg.lu (L and U) against
 * float64 finite differences to second order (checkGrads).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { checkGrads, linalg, type NdArray } from 'wengert'
import * as torch from 'wengert/torch'
import { f64 } from '../transforms/helpers'

interface Case {
  readonly a: number[][]
  readonly L: number[]
  readonly U: number[]
  readonly grad_lu: number[]
  readonly LU: number[]
  readonly grad_lu_factor: number[]
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/linalg_lu_rect.json', import.meta.url), 'utf8')) as Record<
  string,
  Case
>
const flat = (t: torch.Tensor): number[] => [t.reshape(-1).tolist() as number[]].flat()
const near = (got: ReadonlyArray<number>, want: ReadonlyArray<number>, tol = 1e-9): void => {
  expect(got.length).toBe(want.length)
  got.forEach((g, i) => {
    const w = want[i] as number
    if (Math.abs(g - w) > tol * (1 + Math.abs(w))) throw new Error(`element ${i}: got ${g}, expected ${w}`)
  })
}
const weight = (t: torch.Tensor): torch.Tensor =>
  torch
    .arange(1, t.numel() + 1, { dtype: torch.float64 })
    .mul(0.1)
    .reshape(t.shape)

describe('torch.linalg.lu and lu_factor of wide and tall matrices against PyTorch 1.13', () => {
  for (const [name, c] of Object.entries(fixture))
    it(name, () => {
      const x = torch.tensor(c.a, { dtype: torch.float64, requires_grad: true })
      const { L, U } = torch.linalg.lu(x)
      near(flat(L), c.L)
      near(flat(U), c.U)
      L.mul(weight(L))
        .sum()
        .add(U.mul(weight(U)).sum())
        .backward()
      near(flat(x.grad as torch.Tensor), c.grad_lu, 1e-8)
      const y = torch.tensor(c.a, { dtype: torch.float64, requires_grad: true })
      const { LU } = torch.linalg.lu_factor(y)
      near(flat(LU), c.LU)
      LU.mul(weight(LU)).sum().backward()
      near(flat(y.grad as torch.Tensor), c.grad_lu_factor, 1e-8)
    })
})

describe('linalg.lu derivative of wide and tall matrices (finite differences, orders 1 and 2)', () => {
  const wide = f64([
    [0.9, -0.3, 0.4, 1.2],
    [0.2, 1.1, -0.5, 0.3],
    [-0.7, 0.6, 0.8, -0.2],
  ])
  const tall = f64([
    [0.9, -0.3, 0.4],
    [0.2, 1.1, -0.5],
    [-0.7, 0.6, 0.8],
    [1.3, 0.1, -0.9],
  ])
  it('wide and tall', () => {
    for (const a of [wide, tall]) {
      checkGrads((x: NdArray) => linalg.lu(x)[1], [a])
      checkGrads((x: NdArray) => linalg.lu(x)[2], [a])
    }
  })
})
