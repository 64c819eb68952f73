/**
 * The multi-output decompositions of the facade (one node with several outputs) against real
 * PyTorch 1.13 (float64): values, gradients and second-order gradients (create_graph) and node
 * names from test/torch/fixtures/linalg_multi.py (→ linalg_multi.json); the engine's handling of
 * outputs of one node (edges `[node, k]`, hooks, retain_grad, autograd.grad on one output); errors.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { expectClose, f64 } from '../transforms/helpers'

interface Case {
  readonly input: number[][]
  readonly values: number[][]
  readonly grad: number[]
  readonly grad2: number[]
  readonly nodes: string[]
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/linalg_multi.json', import.meta.url), 'utf8')) as Record<
  string,
  Case
>

const sq = (t: torch.Tensor): torch.Tensor => t.mul(t)
const cases: Record<string, (a: torch.Tensor) => torch.Tensor[]> = {
  'linalg.eigh': (a) => {
    const r = torch.linalg.eigh(a)
    return [r.eigenvalues, sq(r.eigenvectors)]
  },
  'linalg.eigh_U': (a) => [torch.linalg.eigh(a, 'U').eigenvalues],
  'linalg.eigvalsh_U': (a) => [torch.linalg.eigvalsh(a, 'U')],
  'linalg.slogdet': (a) => [...torch.linalg.slogdet(a)],
  'linalg.qr': (a) => [...torch.linalg.qr(a)],
  'linalg.qr_tall': (a) => [...torch.linalg.qr(a)],
  'linalg.qr_complete': (a) => [...torch.linalg.qr(a, 'complete')],
  'linalg.svd': (a) => {
    const r = torch.linalg.svd(a)
    return [sq(r.U), r.S, sq(r.Vh)]
  },
  'linalg.svd_reduced_tall': (a) => {
    const r = torch.linalg.svd(a, { full_matrices: false })
    return [sq(r.U), r.S, sq(r.Vh)]
  },
  svd: (a) => {
    const r = torch.svd(a)
    return [sq(r.U), r.S, sq(r.V)]
  },
  slogdet: (a) => [...torch.slogdet(a)],
  logdet: (a) => [torch.logdet(a)],
}

const weighted = (y: torch.Tensor): torch.Tensor =>
  y
    .mul(
      torch
        .arange(y.numel(), { dtype: torch.float64 })
        .mul(0.1)
        .add(1)
        .reshape([...y.shape]),
    )
    .sum()

describe('multi-output torch.linalg against PyTorch 1.13', () => {
  it.each(Object.keys(cases))('%s: values, gradient, second-order gradient, node names', (name) => {
    // Arrange
    const c = fixture[name] as Case
    const a = torch.tensor(c.input, { dtype: torch.float64, requires_grad: true })
    // Act
    const ys = (cases[name] as (a: torch.Tensor) => torch.Tensor[])(a)
    const loss = ys.map(weighted).reduce((s, t) => s.add(t))
    const [g] = torch.autograd.grad([loss], [a], { create_graph: true })
    g?.mul(g).sum().backward()
    // Assert
    ys.forEach((y, k) => expectClose(f64(y.flatten().tolist() as number[]), c.values[k] as number[], { atol: 1e-10 }))
    expectClose(f64(g?.detach().flatten().tolist() as number[]), c.grad, { rtol: 1e-8, atol: 1e-10 })
    expectClose(f64(a.grad?.flatten().tolist() as number[]), c.grad2, { rtol: 1e-7, atol: 1e-9 })
    expect(ys.map((y) => y.grad_fn?.name())).toEqual(c.nodes)
  })
})

describe('one node with several outputs', () => {
  const a = (): torch.Tensor =>
    torch.tensor(
      [
        [1.5, -0.3],
        [0.2, 2.1],
      ],
      { dtype: torch.float64, requires_grad: true },
    )

  it('every float output has the node as grad_fn; a consumer edge names the output', () => {
    const { U, S, Vh } = torch.linalg.svd(a())
    expect(U.grad_fn).toBe(S.grad_fn)
    expect(S.grad_fn).toBe(Vh.grad_fn)
    const y = S.mul(2)
    expect(y.grad_fn?.next_functions[0]?.[0]).toBe(S.grad_fn)
    expect(y.grad_fn?.next_functions[0]?.[1]).toBe(1)
  })

  it('gradients reaching several outputs are summed through one backward; hooks and retain_grad see their output', () => {
    // Arrange
    const x = a()
    const { sign, logabsdet } = torch.linalg.slogdet(x)
    const seen: number[] = []
    logabsdet.register_hook((g) => {
      seen.push(Number(g.item()))
      return g.mul(2)
    })
    logabsdet.retain_grad()
    // Act
    sign.add(logabsdet).backward()
    // Assert: d logabsdet / dA = A⁻ᵀ, doubled by the hook; sign's gradient (0) does not reach the hook
    const inv = torch.linalg.inv(x.detach()).mT
    expectClose(f64(x.grad?.flatten().tolist() as number[]), inv.mul(2).flatten().tolist() as number[])
    expect(seen).toEqual([1])
    expect(logabsdet.grad?.item()).toBe(2)
    expect(sign.grad_fn?.name()).toBe('LinalgSlogdetBackward0')
  })

  it('autograd.grad of one output with respect to another output of the same node', () => {
    const x = a()
    const { eigenvalues } = torch.linalg.eigh(x)
    const y = eigenvalues.mul(eigenvalues).sum()
    const [g] = torch.autograd.grad([y], [eigenvalues])
    expectClose(f64(g?.tolist() as number[]), eigenvalues.detach().mul(2).tolist() as number[])
  })

  it('backward twice raises; retain_graph keeps it', () => {
    const x = a()
    const { S } = torch.linalg.svd(x)
    const s = S.sum()
    s.backward(undefined, { retain_graph: true })
    s.backward()
    expect(() => s.backward()).toThrow(/Trying to backward through the graph a second time/)
  })

  it('pivot-free outputs without grad mode have no grad_fn', () => {
    const { Q } = torch.no_grad(() => torch.linalg.qr(a()))
    expect(Q.grad_fn).toBeNull()
  })
})

describe('multi-output torch.linalg errors (PyTorch 1.13 texts)', () => {
  it('shapes, dtypes, modes, UPLO, refused backward', () => {
    expect(() => torch.linalg.eigh(torch.ones(3, 2))).toThrow(
      'linalg.eigh: A must be batches of square matrices, but they are 3 by 2 matrices',
    )
    expect(() => torch.linalg.slogdet(torch.ones(3, 2))).toThrow(
      'linalg.slogdet: A must be batches of square matrices, but they are 3 by 2 matrices',
    )
    expect(() => torch.linalg.svd(torch.ones(2))).toThrow(
      'linalg.svd: The input tensor A must have at least 2 dimensions.',
    )
    expect(() => torch.linalg.qr(torch.ones(2))).toThrow(
      'linalg.qr: The input tensor A must have at least 2 dimensions.',
    )
    expect(() => torch.linalg.qr(torch.ones(2, 2, { dtype: torch.int64 }))).toThrow(
      'linalg.qr: Expected a floating point or complex tensor as input. Got Long',
    )
    expect(() => torch.linalg.qr(torch.ones(2, 2), 'x' as 'r')).toThrow(
      "qr received unrecognized mode 'x' but expected one of 'reduced' (default), 'r', or 'complete'",
    )
    expect(() => torch.linalg.eigh(torch.ones(2, 2), 'X' as 'L')).toThrow(
      "Expected UPLO argument to be 'L' or 'U', but got X",
    )
    const x = torch.ones(3, 2, { dtype: torch.float64 }).add(torch.eye(3, 2, { dtype: torch.float64 }))
    x.requires_grad_()
    const { Q, R } = torch.linalg.qr(x, 'r')
    expect(Q.shape).toEqual([0])
    expect(() => R.sum().backward()).toThrow(
      "The derivative of linalg.qr depends on Q, which is not computed when mode='r'",
    )
    expect(() => torch.linalg.qr(x, 'complete').Q.sum().backward()).toThrow(
      "The QR decomposition is not differentiable when mode='complete' and nrows > ncols.",
    )
  })

  it('torch.svd without compute_uv: zero U and V of full size', () => {
    const { U, S, V } = torch.svd(torch.ones(3, 2, { dtype: torch.float64 }), true, false)
    expect([[...U.shape], [...V.shape]]).toEqual([
      [3, 3],
      [2, 2],
    ])
    expect(U.abs().sum().item()).toBe(0)
    expect(S.shape).toEqual([2])
  })
})
