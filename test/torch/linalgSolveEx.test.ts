/**
 * torch.linalg.solve_triangular, cholesky_ex, inv_ex, vecdot, eig/eigvals against real PyTorch
 * 1.13 (float64): values, shapes, node names and gradients of sum(out · w)
 * (test/torch/fixtures/linalg_solve_ex.py → linalg_solve_ex.json); info tensors; PyTorch's errors.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

interface Case {
  readonly inputs: unknown[]
  readonly value: number[]
  readonly shape: number[]
  readonly node: string | null
  readonly grads: number[][]
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/linalg_solve_ex.json', import.meta.url), 'utf8')) as {
  readonly [group: string]: unknown
}
const cases = (g: string): Record<string, Case> => fixture[g] as Record<string, Case>
const D = torch.float64
const I = torch.int64
const T = (v: unknown, requiresGrad = false): torch.Tensor =>
  torch.tensor(v as number[], { dtype: D, requires_grad: requiresGrad })

const near = (got: ReadonlyArray<number>, want: ReadonlyArray<number>, tol = 1e-9): void => {
  expect(got.length).toBe(want.length)
  got.forEach((g, i) => {
    const w = want[i] as number
    if (Math.abs(g - w) > tol * (1 + Math.abs(w))) throw new Error(`element ${i}: got ${g}, expected ${w}`)
  })
}
const flat = (t: torch.Tensor): number[] => [t.reshape(-1).tolist() as number[]].flat()

type Fn = (...xs: torch.Tensor[]) => torch.Tensor
const st =
  (kw: torch.linalg.SolveTriangularKw): Fn =>
  (a, b) =>
    torch.linalg.solve_triangular(a as torch.Tensor, b as torch.Tensor, kw)
const FNS: Record<string, Record<string, Fn>> = {
  solve_triangular: {
    upper_left: st({ upper: true }),
    lower_left: st({ upper: false }),
    upper_right: st({ upper: true, left: false }),
    lower_right: st({ upper: false, left: false }),
    unit_upper: st({ upper: true, unitriangular: true }),
    unit_lower_right: st({ upper: false, left: false, unitriangular: true }),
    batched: st({ upper: false }),
    broadcast: st({ upper: true }),
  },
  cholesky_ex: {
    lower: (a) => torch.linalg.cholesky_ex(a as torch.Tensor).L,
    upper: (a) => torch.linalg.cholesky_ex(a as torch.Tensor, { upper: true }).L,
    batched: (a) => torch.linalg.cholesky_ex(a as torch.Tensor).L,
  },
  inv_ex: {
    plain: (a) => torch.linalg.inv_ex(a as torch.Tensor).inverse,
    batched: (a) => torch.linalg.inv_ex(a as torch.Tensor).inverse,
  },
  vecdot: {
    last: (x, y) => torch.linalg.vecdot(x as torch.Tensor, y as torch.Tensor),
    dim0: (x, y) => torch.linalg.vecdot(x as torch.Tensor, y as torch.Tensor, { dim: 0 }),
    broadcast: (x, y) => torch.linalg.vecdot(x as torch.Tensor, y as torch.Tensor, { dim: -2 }),
    vectors: (x, y) => torch.linalg.vecdot(x as torch.Tensor, y as torch.Tensor),
  },
}

describe.each(Object.keys(FNS))('torch.linalg.%s against PyTorch 1.13', (group) => {
  it.each(Object.keys(FNS[group] as object))('%s: value, shape, node, gradients', (name) => {
    const c = cases(group)[name] as Case
    const xs = c.inputs.map((v) => T(v, true))
    const out = (FNS[group] as Record<string, Fn>)[name]!(...xs)
    expect(out.shape).toEqual(c.shape)
    near(flat(out), c.value)
    expect(out.grad_fn?.name() ?? null).toBe(c.node)
    const w0 = torch.arange(1, out.numel() + 1, { dtype: D }).mul(0.1)
    const w = out.dim() === 0 ? w0.sum() : w0.reshape(...out.shape)
    out.mul(w).sum().backward()
    xs.forEach((x, i) => near(flat(x.grad as torch.Tensor), c.grads[i] as number[]))
  })
})

describe('info of the _ex forms (PyTorch 1.13)', () => {
  const info = fixture.info as Record<string, number | number[] | string>
  const spd = [
    [4, 2, 0],
    [2, 5, 1],
    [0, 1, 3],
  ]
  const bad = T([
    [
      [4, 2],
      [2, 5],
    ],
    [
      [1, 2],
      [2, 1],
    ],
  ])
  it('cholesky_ex: int32, 0 or the order of the failing leading minor, per batch element', () => {
    expect(torch.linalg.cholesky_ex(T(spd)).info.item()).toBe(info.cholesky_ok)
    expect(torch.linalg.cholesky_ex(bad).info.tolist()).toEqual(info.cholesky_batch)
    const order3 = torch.linalg.cholesky_ex(
      T([
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, -1],
      ]),
    )
    expect(order3.info.item()).toBe(info.cholesky_order3)
    expect(`torch.${order3.info.dtype.name}`).toBe(info.cholesky_dtype)
    // the named tuple is also a [L, info] pair
    const [l, i] = torch.linalg.cholesky_ex(T(spd))
    expect([l?.shape, i?.shape]).toEqual([[3, 3], []])
  })
  it('inv_ex: 0 or the first zero pivot, per batch element', () => {
    expect(
      torch.linalg
        .inv_ex(
          T([
            [1, 2],
            [3, 4],
          ]),
        )
        .info.item(),
    ).toBe(info.inv_ok)
    expect(torch.linalg.inv_ex(torch.ones(3, 3, { dtype: D })).info.item()).toBe(info.inv_singular)
    const batch = torch.stack([torch.eye(2, { dtype: D }), torch.ones(2, 2, { dtype: D })])
    expect(torch.linalg.inv_ex(batch).info.tolist()).toEqual(info.inv_batch)
  })
})

describe('errors (PyTorch 1.13 texts)', () => {
  const errors = fixture.errors as Record<string, [string, string]>
  const eye3 = torch.eye(3, { dtype: D })
  const ones = (...s: number[]): torch.Tensor => torch.ones(...s, { dtype: D })
  const bad = T([
    [
      [4, 2],
      [2, 5],
    ],
    [
      [1, 2],
      [2, 1],
    ],
  ])
  const calls: Record<string, () => unknown> = {
    st_nonsquare: () => torch.linalg.solve_triangular(ones(2, 3), ones(2, 2), { upper: true }),
    st_left_mismatch: () => torch.linalg.solve_triangular(eye3, ones(2, 3), { upper: true }),
    st_right_mismatch: () => torch.linalg.solve_triangular(eye3, ones(3, 2), { upper: true, left: false }),
    st_b_vector: () => torch.linalg.solve_triangular(eye3, ones(3), { upper: true }),
    st_a_vector: () => torch.linalg.solve_triangular(ones(3), ones(3, 2), { upper: true }),
    st_no_upper: () => torch.linalg.solve_triangular(eye3, ones(3, 2)),
    cholesky_ex_nonsquare: () => torch.linalg.cholesky_ex(ones(2, 3)),
    cholesky_ex_check: () => torch.linalg.cholesky_ex(bad, { check_errors: true }),
    inv_ex_nonsquare: () => torch.linalg.inv_ex(ones(2, 3)),
    inv_ex_check: () => torch.linalg.inv_ex(ones(3, 3), { check_errors: true }),
    st_int: () =>
      torch.linalg.solve_triangular(torch.eye(2, { dtype: I }), torch.ones(2, 1, { dtype: I }), { upper: true }),
    cholesky_ex_int: () => torch.linalg.cholesky_ex(torch.eye(2, { dtype: I })),
    inv_ex_int: () => torch.linalg.inv_ex(torch.eye(2, { dtype: I })),
    vecdot_int: () => torch.linalg.vecdot(torch.ones(2, { dtype: I }), torch.ones(2, { dtype: I })),
    vecdot_dtype: () => torch.linalg.vecdot(ones(3), torch.ones(3)),
  }
  const classOf: Record<string, string> = {
    RuntimeError: 'RuntimeError',
    TypeError: 'TypeError',
    _LinAlgError: 'LinAlgError',
  }
  it.each(Object.keys(calls))('%s', (name) => {
    const [type, message] = errors[name] as [string, string]
    let caught: unknown
    try {
      calls[name]!()
    } catch (e) {
      caught = e
    }
    expect(caught).toBeInstanceOf(Error)
    expect((caught as Error).message).toBe(message)
    if (type === '_LinAlgError') expect(caught).toBeInstanceOf(torch.linalg.LinAlgError)
    else expect((caught as Error).constructor.name).toMatch(new RegExp(classOf[type] as string))
  })
  it('out= is not supported', () => {
    expect(() => torch.linalg.inv_ex(eye3, { out: [ones(3, 3), ones(3, 3)] })).toThrow(/out= argument is not supported/)
  })
})

describe('vecdot graph (PyTorch 1.13 composite)', () => {
  const g = fixture.vecdot_graph as Record<string, [string, string[]]>
  it('two vectors: VdotBackward0; else MulBackward0 then SumBackward1', () => {
    const v = torch.linalg.vecdot(torch.ones(3, { dtype: D, requires_grad: true }), torch.ones(3, { dtype: D }))
    expect(v.grad_fn?.name()).toBe(g.vector?.[0])
    const m = torch.linalg.vecdot(torch.ones(2, 3, { dtype: D, requires_grad: true }), torch.ones(3, { dtype: D }))
    expect(m.grad_fn?.name()).toBe(g.matrix?.[0])
    expect(m.grad_fn?.next_functions.map(([f]) => f?.name())).toEqual(g.matrix?.[1])
  })
})

describe('eig, eigvals: complex results are not supported', () => {
  it.each(['eig', 'eigvals'] as const)('%s raises a NotImplementedError naming the op', (name) => {
    const a = torch.tensor([
      [0, 1],
      [-1, 0],
    ])
    expect(() => torch.linalg[name](a)).toThrow(torch.NotImplementedError)
    expect(() => torch.linalg[name](a)).toThrow(new RegExp(`^linalg\\.${name}: not supported: .*complex`))
  })
})
