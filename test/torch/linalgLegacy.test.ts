/**
 * The older torch.* linear-algebra forms (cholesky_solve, cholesky_inverse, triangular_solve, qr,
 * lu, lu_solve, frobenius_norm, nuclear_norm, geqrf, orgqr, ormqr) and linalg.householder_product,
 * solve_ex, tensorinv, tensorsolve: values, grad_fn names, next_functions, gradients and error
 * texts against real PyTorch 1.13 runs of the same programs (fixtures/linalg_legacy.py writes
 * fixtures/linalg_legacy.json; 2.x differences noted there), and the messages of the functions
 * PyTorch 2.x removed.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { mismatch, outcome } from '../helpers/fixturePrograms'
import fixture from './fixtures/linalg_legacy.json'

describe('older torch.* linear algebra as PyTorch runs it', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const got = outcome(c.ts)
    if (mismatch(got, c.expect) !== null) expect(got).toEqual(c.expect)
  })
})

describe('functions PyTorch 2.x removed raise its message', () => {
  const m = torch.eye(2)
  const calls: Record<keyof typeof fixture.removed, () => unknown> = {
    symeig: () => torch.symeig(m, { eigenvectors: true }),
    eig: () => m.eig(),
    solve: () => torch.solve(m, m),
    lstsq: () => m.lstsq(m),
    matrix_rank: () => torch.matrix_rank(m),
  }
  it.each(Object.keys(calls))('%s', (name) => {
    const f = calls[name as keyof typeof calls]
    expect(f).toThrow(torch.RuntimeError)
    try {
      f()
    } catch (e) {
      expect((e as Error).message.split('\n')[0]).toBe(fixture.removed[name as keyof typeof fixture.removed])
    }
  })
  it('names the replacement', () => {
    expect(() => m.symeig()).toThrow(/L, V = torch\.linalg\.eigh\(A, UPLO='U' if upper else 'L'\)/)
    expect(() => torch.solve(m, m)).toThrow(/X = torch\.linalg\.solve\(A, B\)$/)
  })
})

describe('ormqr is differentiable (PyTorch 2.x; 1.13 had no derivative)', () => {
  it('its gradient is the explicit product’s', () => {
    const D = torch.float64
    const a = torch.arange(12, { dtype: D }).mul(0.53).cos().reshape(4, 3).requires_grad_()
    const tau = torch.tensor([1.2, 0.7, 1.4], { dtype: D }).requires_grad_()
    const c = torch.arange(8, { dtype: D }).mul(0.29).sin().reshape(4, 2).requires_grad_()
    const w = torch.arange(8, { dtype: D }).mul(0.3).cos().reshape(4, 2)
    const g1 = torch.autograd.grad(torch.ormqr(a, tau, c).mul(w).sum(), [a, tau, c])
    // Q (4×4) from the reflectors padded to a square: the same product
    const aSq = torch.cat([a, torch.zeros(4, 1, { dtype: D })], 1)
    const tauSq = torch.cat([tau, torch.zeros(1, { dtype: D })])
    const g2 = torch.autograd.grad(torch.linalg.householder_product(aSq, tauSq).matmul(c).mul(w).sum(), [a, tau, c])
    g1.forEach((g, i) => expect(mismatch(g?.tolist(), g2[i]?.tolist())).toBeNull())
  })
})
