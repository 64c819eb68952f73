/**
 * optim sweep (issue 10, no silent wrong answers): every optimizer over random options for a few
 * steps of a fixed float64 loss (parameters and losses after each step), and every lr_scheduler
 * over random settings for 30 steps (learning rates and momenta), against PyTorch 1.13
 * (test/torch/fixtures/nn_sweep/nn_sweep_optim.py).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

interface OptCase {
  readonly name: string
  readonly kwargs: Readonly<Record<string, unknown>>
  readonly group_lr: number | null
  readonly steps: number
  readonly losses?: ReadonlyArray<number>
  readonly params?: ReadonlyArray<readonly [ReadonlyArray<number>, ReadonlyArray<number>]>
  readonly error?: readonly [string, string]
}
interface SchedCase {
  readonly name: string
  readonly kwargs: Readonly<Record<string, unknown>>
  readonly opt: 'SGD' | 'Adam'
  readonly metrics?: ReadonlyArray<number>
  readonly lrs?: ReadonlyArray<ReadonlyArray<number>>
  readonly momenta?: ReadonlyArray<ReadonlyArray<number | null>>
  readonly error?: readonly [string, string]
}
const load = <C>(name: string): ReadonlyArray<C> =>
  (JSON.parse(readFileSync(new URL(`../fixtures/nn_sweep/${name}`, import.meta.url), 'utf8')) as { cases: C[] }).cases

const close = (got: number, want: number, tol: number): boolean => Math.abs(got - want) <= tol * (1 + Math.abs(want))

type Opt = torch.optim.Optimizer<object, object> & { step(closure?: () => torch.Tensor): unknown }
type OptCtor = (params: unknown, kw: Record<string, unknown>) => Opt

const A = (): torch.Tensor => torch.tensor([1.0, 0.5, 2.0], { dtype: torch.float64 })
const B = (): torch.Tensor =>
  torch.tensor(
    [
      [1.0, -0.5],
      [0.3, 0.8],
    ],
    { dtype: torch.float64 },
  )
// sum(A·p1²) + sum(B·sin p2) + 0.1·sum(p1)·sum(p2)
const lossOf = (p1: torch.Tensor, p2: torch.Tensor): torch.Tensor =>
  p1.mul(p1).mul(A()).sum().add(p2.sin().mul(B()).sum()).add(p1.sum().mul(p2.sum()).mul(0.1))

/** The facade's trajectory for an optimizer case: [losses, params per step], or the error raised. */
const runOpt = (c: OptCase): { losses: number[]; params: number[][][] } | readonly [string, string] => {
  const p1 = torch.tensor([0.5, -1.2, 0.8], { dtype: torch.float64, requires_grad: true })
  const p2 = torch.tensor(
    [
      [0.3, -0.7],
      [1.1, 0.2],
    ],
    { dtype: torch.float64, requires_grad: true },
  )
  const params = c.group_lr === null ? [p1, p2] : [{ params: [p1] }, { params: [p2], lr: c.group_lr }]
  try {
    const ctor = (torch.optim as unknown as Record<string, OptCtor>)[c.name] as OptCtor
    const opt = ctor(params, { ...c.kwargs })
    const losses: number[] = []
    const traj: number[][][] = []
    const closure = (): torch.Tensor => {
      opt.zero_grad()
      const loss = lossOf(p1, p2)
      loss.backward()
      return loss
    }
    for (let s = 0; s < c.steps; s++) {
      if (c.name === 'LBFGS') losses.push((opt.step(closure) as torch.Tensor).item() as number)
      else {
        losses.push(closure().item() as number)
        opt.step()
      }
      traj.push([p1.detach().tolist() as number[], p2.detach().reshape([-1]).tolist() as number[]])
    }
    return { losses, params: traj }
  } catch (e) {
    return [(e as Error).name, (e as Error).message.split('\n')[0] ?? '']
  }
}

describe('optimizers equal PyTorch over random options', () => {
  const cases = load<OptCase>('optim_sweep.json')
  it.each(cases.map((c, i) => [`#${i} ${c.name} ${JSON.stringify(c.kwargs)} group_lr=${c.group_lr}`, c] as const))(
    '%s',
    (_, c) => {
      // Act
      const got = runOpt(c)
      // Assert
      if (c.error !== undefined) return expect(got).toEqual(c.error)
      if (Array.isArray(got)) return expect.fail(`PyTorch returns a value; the facade raises ${got.join(': ')}`)
      const r = got as { losses: number[]; params: number[][][] }
      r.losses.forEach((l, s) => {
        if (!close(l, c.losses![s]!, 1e-9)) expect.fail(`step ${s}: loss ${l}, PyTorch ${c.losses![s]}`)
      })
      r.params.forEach((ps, s) =>
        ps.forEach((p, j) =>
          p.forEach((v, k) => {
            const w = c.params![s]![j]![k]!
            if (!close(v, w, 1e-9)) expect.fail(`step ${s}: p${j + 1}[${k}] ${v}, PyTorch ${w}`)
          }),
        ),
      )
    },
  )
})

type SOpt = torch.optim.Optimizer<object, object>
type Sched = { step(m?: number): void }
type SCtor = (o: SOpt, ...args: unknown[]) => Sched
const S = torch.optim.lr_scheduler
const sctor = (name: string): SCtor => (S as unknown as Record<string, SCtor>)[name] as SCtor
const LAMBDAS: Record<string, (e: number) => number> = {
  '0.95**e': (e) => 0.95 ** e,
  '1/(e+1)': (e) => 1 / (e + 1),
  '0.9': () => 0.9,
}
const buildSched = (c: SchedCase, o: SOpt): Sched => {
  const kw = c.kwargs
  if (c.name === 'LambdaLR' || c.name === 'MultiplicativeLR') return sctor(c.name)(o, LAMBDAS[kw.lr_lambda as string])
  const subs = (): Sched[] =>
    (kw.schedulers as Array<[string, Record<string, unknown>]>).map(([n, k]) => sctor(n)(o, { ...k }))
  if (c.name === 'SequentialLR') return S.SequentialLR(o, subs() as never, kw.milestones as number[])
  if (c.name === 'ChainedScheduler') return S.ChainedScheduler(subs() as never)
  return sctor(c.name)(o, { ...kw })
}
const groupsOf = (o: SOpt): Array<Record<string, unknown>> =>
  o.param_groups as unknown as Array<Record<string, unknown>>
const momenta = (o: SOpt): Array<number | null> =>
  groupsOf(o).map((g) =>
    g.betas !== undefined ? (g.betas as number[])[0]! : ((g.momentum as number | undefined) ?? null),
  )

describe('lr schedulers equal PyTorch over random settings', () => {
  const cases = load<SchedCase>('lr_scheduler_sweep.json')
  it.each(cases.map((c, i) => [`#${i} ${c.name} ${JSON.stringify(c.kwargs)} ${c.opt}`, c] as const))('%s', (_, c) => {
    // Arrange
    const groups = [
      { params: [torch.zeros(2, { requires_grad: true })] },
      { params: [torch.zeros(3, { requires_grad: true })], lr: 0.05 },
    ]
    const opt = (
      c.opt === 'Adam' ? torch.optim.Adam(groups, { lr: 0.1 }) : torch.optim.SGD(groups, { lr: 0.1, momentum: 0.9 })
    ) as SOpt
    const lrs: number[][] = []
    const moms: Array<Array<number | null>> = []
    // Act
    let error: readonly [string, string] | null = null
    torch.warnings.catch_warnings(() => {
      try {
        const s = buildSched(c, opt)
        lrs.push(groupsOf(opt).map((g) => g.lr as number))
        moms.push(momenta(opt))
        for (let i = 0; i < 30; i++) {
          opt.step()
          if (c.name === 'ReduceLROnPlateau') s.step(c.metrics![i])
          else s.step()
          lrs.push(groupsOf(opt).map((g) => g.lr as number))
          moms.push(momenta(opt))
        }
      } catch (e) {
        error = [(e as Error).name, (e as Error).message.split('\n')[0] ?? '']
      }
    })
    // Assert
    if (c.error !== undefined) return expect(error).toEqual(c.error)
    expect(error).toBeNull()
    lrs.forEach((row, s) =>
      row.forEach((v, i) => {
        const w = c.lrs![s]![i]!
        if (!close(v, w, 1e-12)) expect.fail(`step ${s} group ${i}: lr ${v}, PyTorch ${w}`)
      }),
    )
    moms.forEach((row, s) =>
      row.forEach((v, i) => {
        const w = c.momenta![s]![i]!
        if (v === null || w === null ? v !== w : !close(v, w, 1e-12))
          expect.fail(`step ${s} group ${i}: momentum ${v}, PyTorch ${w}`)
      }),
    )
  })
})
