/**
 * Every optimiser against real PyTorch trajectories (test/fixtures/torch/optim_trajectories.json,
 * written by scripts/fixtures/optim_trajectories.py with PyTorch 1.13; NAdam follows 2.x, see the
 * script): two float64 parameters, a fixed smooth loss (Rosenbrock for some LBFGS cases), the
 * parameters after every step and the final state_dict, to a relative 1e-9.
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

type Nested = number | null | Nested[]
interface Case {
  name: string
  kwargs: Record<string, unknown>
  groups: Array<Record<string, unknown> & { params: number[] }> | null
  steps: number
  /** 'tiny': the smooth loss times 1e-8, gradients of the size of eps */
  loss: 'smooth' | 'tiny' | 'rosenbrock'
  /** How the script produced an option PyTorch 1.13 lacks ('maximize', 'decoupled'), or null. */
  emulated: string | null
  trajectory: Nested[][]
  state_dict: { state: Record<string, Record<string, Nested>>; param_groups: Array<Record<string, unknown>> } | null
}
const FIX = JSON.parse(
  readFileSync(new URL('../../fixtures/torch/optim_trajectories.json', import.meta.url), 'utf8'),
) as { P1: number[]; P2: number[][]; cases: Case[] }

const f64 = (v: Nested): torch.Tensor => torch.tensor(v as number[], { dtype: torch.float64 })
const A = f64([0.3, -0.7, 1.1])
const C = f64([1, 2, 3])

const smooth = (p1: torch.Tensor, p2: torch.Tensor): torch.Tensor =>
  p1
    .mul(A)
    .sum()
    .add(p1.pow(2).mul(C).sum().mul(0.5))
    .add(p1.pow(4).sum().mul(0.1))
    .add(p2.sin().sum())
    .add(p2.pow(2).sum().mul(0.5))
const tiny = (p1: torch.Tensor, p2: torch.Tensor): torch.Tensor => smooth(p1, p2).mul(1e-8)
const rosenbrock = (p1: torch.Tensor, p2: torch.Tensor): torch.Tensor => {
  const [a, b] = [p1.select(0, 0), p1.select(0, 1)]
  return a
    .rsub(1)
    .pow(2)
    .add(b.sub(a.pow(2)).pow(2).mul(100))
    .add(p2.pow(2).sum())
}

const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v as number])
const expectClose = (got: unknown, want: unknown, what: string): void => {
  const [g, w] = [flat(got), flat(want)]
  expect(g.length, what).toBe(w.length)
  g.forEach((v, i) => {
    const e = w[i] as number
    if (Math.abs(v - e) > 1e-9 * (1 + Math.abs(e))) expect.fail(`${what}[${i}]: got ${v}, PyTorch ${e}`)
  })
}

type Ctor = (params: unknown, kw: Record<string, unknown>) => torch.optim.Optimizer<object, object>
const make = (c: Case, ps: torch.Tensor[]): torch.optim.Optimizer<object, object> => {
  const name = c.name === 'NAdam-1.13' ? 'NAdam' : c.name
  const ctor = (torch.optim as unknown as Record<string, Ctor>)[name] as Ctor
  const params = c.groups === null ? ps : c.groups.map((g) => ({ ...g, params: g.params.map((i) => ps[i]) }))
  return ctor(params, c.kwargs)
}

const run = (c: Case): { traj: Nested[][]; opt: torch.optim.Optimizer<object, object> } => {
  const p1 = torch.tensor(FIX.P1, { dtype: torch.float64, requires_grad: true })
  const p2 = torch.tensor(FIX.P2, { dtype: torch.float64, requires_grad: true })
  const opt = make(c, [p1, p2])
  const loss = c.loss === 'smooth' ? smooth : c.loss === 'tiny' ? tiny : rosenbrock
  const closure = (): torch.Tensor => {
    opt.zero_grad()
    const l = loss(p1, p2)
    l.backward()
    return l
  }
  const traj: Nested[][] = []
  for (let s = 0; s < c.steps; s++) {
    if (c.name === 'LBFGS') opt.step(closure)
    else {
      closure()
      opt.step()
    }
    traj.push([p1.tolist() as Nested, p2.tolist() as Nested])
  }
  return { traj, opt }
}

const cases = FIX.cases.filter((c) => c.name !== 'NAdam-1.13')
const label = (c: Case): string => `${c.name} ${JSON.stringify(c.kwargs)}${c.groups ? ' groups' : ''}`

describe('optimiser trajectories equal PyTorch', () => {
  // the fixture script runs with torch.set_default_dtype(torch.float64): PyTorch's scalar optimizer
  // state (ASGD's eta/mu, NAdam's mu_product) is then float64, as it is here
  beforeAll(() => torch.set_default_dtype(torch.float64))
  afterAll(() => torch.set_default_dtype(torch.float32))
  it.each(cases.map((c) => [label(c), c] as const))('%s', (_, c) => {
    // Act
    const { traj, opt } = run(c)
    // Assert
    traj.forEach((step, s) => expectClose(step, c.trajectory[s], `step ${s + 1}`))
    if (c.state_dict === null) return
    const sd = opt.state_dict()
    for (const [i, want] of Object.entries(c.state_dict.state)) {
      const got = (sd.state as Record<string, Record<string, unknown>>)[i]
      expect(Object.keys(got ?? {}).sort(), `state ${i} keys`).toEqual(Object.keys(want).sort())
      for (const [k, v] of Object.entries(want)) {
        const g = got?.[k]
        if (v === null) expect(g, `state ${i}.${k}`).toBeNull()
        else expectClose(g instanceof torch.Tensor ? g.tolist() : g, v, `state ${i}.${k}`)
      }
    }
    if (c.emulated !== null) return
    c.state_dict.param_groups.forEach((pg, i) => {
      const mine = sd.param_groups[i] as unknown as Record<string, unknown>
      expect(mine.params).toEqual(pg.params)
      // hyper-parameters PyTorch 1.13 took (options it lacks were emulated by the script)
      for (const k of Object.keys(pg))
        if (k in mine && k in c.kwargs && k !== 'params') expect(mine[k], k).toEqual(pg[k])
    })
  })

  it('NAdam follows 2.x, not 1.13 (whose mu_product_next counts mu twice)', () => {
    const old = FIX.cases.find((c) => c.name === 'NAdam-1.13') as Case
    const { traj } = run(old)
    const last = flat(traj[traj.length - 1])
    const want113 = flat(old.trajectory[old.trajectory.length - 1])
    expect(last.some((v, i) => Math.abs(v - (want113[i] as number)) > 1e-6)).toBe(true)
  })
})

describe('optimiser arguments (PyTorch texts)', () => {
  const p = (): torch.Tensor => torch.ones(2, { requires_grad: true })
  it('bad values raise ValueError, unknown keywords TypeError', () => {
    expect(() => torch.optim.RMSprop([p()], { lr: -1 })).toThrow('Invalid learning rate: -1')
    expect(() => torch.optim.RMSprop([p()], { alpha: -0.5 })).toThrow('Invalid alpha value: -0.5')
    expect(() => torch.optim.Adagrad([p()], { lr_decay: -1 })).toThrow('Invalid lr_decay value: -1')
    expect(() => torch.optim.Adadelta([p()], { rho: 1.5 })).toThrow('Invalid rho value: 1.5')
    expect(() => torch.optim.NAdam([p()], { betas: [1, 0.9] })).toThrow('Invalid beta parameter at index 0: 1')
    expect(() => torch.optim.Rprop([p()], { etas: [1.5, 1.2] })).toThrow('Invalid eta values: 1.5, 1.2')
    expect(() => torch.optim.RAdam([p()], { lrr: 1 } as never)).toThrow(
      "RAdam.__init__() got an unexpected keyword argument 'lrr'",
    )
    expect(() => torch.optim.LBFGS([p()], { line_search_fn: 'armijo' as never })).toThrow(
      "only 'strong_wolfe' is supported",
    )
    expect(() => torch.optim.LBFGS([{ params: [p()] }, { params: [p()] }])).toThrow(
      "LBFGS doesn't support per-parameter options (parameter groups)",
    )
    expect(() => torch.optim.LBFGS([p()]).step()).toThrow(torch.TorchTypeError)
  })
  it('foreach is accepted; capturable, differentiable and fused are refused', () => {
    expect(() => torch.optim.Adam([p()], { foreach: true })).not.toThrow()
    expect(() => torch.optim.Adam([p()], { fused: true })).toThrow(torch.RuntimeError)
    expect(() => torch.optim.AdamW([p()], { capturable: true })).toThrow(/capturable=True is not supported/)
    expect(() => torch.optim.SGD([p()], { lr: 0.1, differentiable: true })).toThrow(torch.RuntimeError)
    expect(() => torch.optim.RMSprop([p()], { differentiable: true })).toThrow(torch.RuntimeError)
  })
  it('add_param_group and load_state_dict restore a trajectory', () => {
    const [a, b] = [p(), p()]
    const opt = torch.optim.RMSprop([a], { lr: 0.1, momentum: 0.9 })
    opt.add_param_group({ params: [b], lr: 0.01 })
    expect(opt.param_groups.map((g) => g.lr)).toEqual([0.1, 0.01])
    const step = (): void => {
      opt.zero_grad()
      a.pow(2).sum().add(b.pow(3).sum()).backward()
      opt.step()
    }
    step()
    // state_dict() holds references to the live state, as PyTorch's (users deepcopy it)
    const live = opt.state_dict()
    const saved = {
      ...live,
      state: Object.fromEntries(
        Object.entries(live.state).map(([k, st]) => [
          k,
          Object.fromEntries(Object.entries(st).map(([n, v]) => [n, v instanceof torch.Tensor ? v.clone() : v])),
        ]),
      ),
    } as typeof live
    const snapshot = [a.detach().clone(), b.detach().clone()]
    step()
    const after = [a.tolist(), b.tolist()]
    // Restore parameters and state, step again: same result
    torch.no_grad(() => {
      a.copy_(snapshot[0]!)
      b.copy_(snapshot[1]!)
    })
    opt.load_state_dict(saved)
    step()
    expect([a.tolist(), b.tolist()]).toEqual(after)
  })
})
