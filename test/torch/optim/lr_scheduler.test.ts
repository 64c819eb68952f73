/**
 * Every learning-rate scheduler against PyTorch 1.13 sequences (test/fixtures/torch/lr_schedulers.json,
 * from scripts/fixtures/lr_schedulers.py): SGD (or Adam) with two groups (lr 0.1 and 0.05), the
 * learning rates and momenta after construction and after every optimizer.step(); scheduler.step().
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

const S = torch.optim.lr_scheduler
interface Case {
  name: string
  spec: unknown
  kind: 'sgd' | 'adam'
  lrs: number[][]
  momenta: number[][]
}
const FIX = JSON.parse(readFileSync(new URL('../../fixtures/torch/lr_schedulers.json', import.meta.url), 'utf8')) as {
  metrics: number[]
  cases: Case[]
  order_warning: string[]
}

type Opt = torch.optim.Optimizer<object, object>
const makeOpt = (kind: 'sgd' | 'adam'): Opt => {
  const groups = [
    { params: [torch.zeros(2, { requires_grad: true })] },
    { params: [torch.zeros(3, { requires_grad: true })], lr: 0.05 },
  ]
  return kind === 'adam' ? torch.optim.Adam(groups, { lr: 0.1 }) : torch.optim.SGD(groups, { lr: 0.1, momentum: 0.9 })
}
const momenta = (o: Opt): number[] =>
  (o.param_groups as unknown as Array<Record<string, unknown>>).map((g) =>
    g.betas !== undefined ? (g.betas as number[])[0]! : (g.momentum as number),
  )

/** A scheduler from its fixture spec (names and keyword arguments, as the Python script built it). */
const LAMBDAS: Record<string, unknown> = {
  'lambda e: 0.95 ** e': (e: number) => 0.95 ** e,
  '[lambda e: 1/(e+1), lambda e: 0.5 ** e]': [(e: number) => 1 / (e + 1), (e: number) => 0.5 ** e],
  'lambda e: 0.9': () => 0.9,
}
type Sched = { step(m?: number): void; get_last_lr(): number[] }
type Ctor = (o: Opt, ...args: unknown[]) => Sched
const ctor = (name: string): Ctor => (S as unknown as Record<string, Ctor>)[name] as Ctor
const build = (c: { name: string; spec: unknown }, o: Opt): Sched => {
  if (typeof c.spec === 'string') return ctor(c.name)(o, LAMBDAS[c.spec])
  const spec = { ...(c.spec as Record<string, unknown>) }
  if (c.name === 'SequentialLR' || c.name === 'ChainedScheduler') {
    const subs = (spec.schedulers as Array<[string, Record<string, unknown>]>).map(([n, kw]) => ctor(n)(o, kw))
    return c.name === 'SequentialLR'
      ? torch.optim.lr_scheduler.SequentialLR(o, subs as never, spec.milestones as number[])
      : torch.optim.lr_scheduler.ChainedScheduler(subs as never)
  }
  return ctor(c.name)(o, spec)
}

describe('lr schedulers equal PyTorch', () => {
  it.each(FIX.cases.map((c) => [`${c.name} ${JSON.stringify(c.spec)} ${c.kind}`, c] as const))('%s', (_, c) => {
    // Arrange
    const opt = makeOpt(c.kind)
    const [sched, caught] = torch.warnings.catch_warnings(() => build(c, opt))
    const lrs = [sched.get_last_lr()]
    const moms = [momenta(opt)]
    // Act
    const [, later] = torch.warnings.catch_warnings(() => {
      for (let i = 1; i < c.lrs.length; i++) {
        opt.step()
        if (c.name === 'ReduceLROnPlateau') sched.step(FIX.metrics[i - 1])
        else sched.step()
        lrs.push(sched.get_last_lr())
        moms.push(momenta(opt))
      }
    })
    // Assert
    expect([...caught, ...later]).toEqual([])
    lrs.forEach((row, s) =>
      row.forEach((v, i) => {
        const e = c.lrs[s]![i]!
        if (Math.abs(v - e) > 1e-12 * (1 + Math.abs(e))) expect.fail(`step ${s} group ${i}: lr ${v}, PyTorch ${e}`)
      }),
    )
    moms.forEach((row, s) => row.forEach((v, i) => expect(v).toBeCloseTo(c.momenta[s]![i]!, 12)))
  })
})

describe('scheduler behaviour', () => {
  it('warns as PyTorch when scheduler.step() precedes optimizer.step()', () => {
    const opt = makeOpt('sgd')
    const s = S.StepLR(opt, 2)
    const [, w] = torch.warnings.catch_warnings(() => s.step())
    expect(w.map((x) => x.message)).toEqual(FIX.order_warning)
    const [, w2] = torch.warnings.catch_warnings(() => s.step())
    expect(w2).toEqual([])
  })
  it('state_dict round-trips and resumes the sequence; resuming needs initial_lr', () => {
    const opt = makeOpt('sgd')
    const s = S.CosineAnnealingLR(opt, { T_max: 6, eta_min: 0.01 })
    for (let i = 0; i < 3; i++) (opt.step(), s.step())
    const saved = s.state_dict()
    expect(saved.last_epoch).toBe(3)
    expect('optimizer' in saved).toBe(false)
    const s2 = S.CosineAnnealingLR(makeOpt('sgd'), 6, 0.01)
    s2.load_state_dict(saved)
    expect(s2.get_last_lr()).toEqual(s.get_last_lr())
    expect(() => S.StepLR(makeOpt('sgd'), 2, 0.1, 5)).toThrow(
      "param 'initial_lr' is not specified in param_groups[0] when resuming an optimizer",
    )
  })
  it('LambdaLR drops its functions from state_dict; argument errors use PyTorch text', () => {
    const opt = makeOpt('sgd')
    expect(S.LambdaLR(opt, () => 1).state_dict().lr_lambdas).toEqual([null, null])
    expect(() => S.LambdaLR(opt, [() => 1])).toThrow('Expected 2 lr_lambdas, but got 1')
    expect(() => S.StepLR(opt, { gamma: 0.5 })).toThrow(
      "StepLR.__init__() missing 1 required positional argument: 'step_size'",
    )
    expect(() => S.StepLR(opt, { step: 1 } as never)).toThrow(
      "StepLR.__init__() got an unexpected keyword argument 'step'",
    )
    expect(() => S.ConstantLR(opt, { factor: 2 })).toThrow(
      'Constant multiplicative factor expected to be between 0 and 1.',
    )
    expect(() => S.OneCycleLR(opt, 0.1)).toThrow('You must define either total_steps OR (epochs AND steps_per_epoch)')
    expect(() => S.ReduceLROnPlateau(opt, { factor: 1 })).toThrow('Factor should be < 1.0.')
    expect(() => S.CyclicLR(torch.optim.Adagrad([torch.zeros(1, { requires_grad: true })]), 0.1, 1)).toThrow(
      'optimizer must support momentum or beta1 with `cycle_momentum` option enabled',
    )
    const done = S.OneCycleLR(makeOpt('sgd'), 0.1, { total_steps: 2 })
    torch.warnings.catch_warnings(() => (done.step(), done.step()))
    expect(() => done.step()).toThrow('Tried to step 3 times. The specified number of total steps is 2')
  })
  it('CyclicLR cycles Adam beta1 (PyTorch 2.x)', () => {
    const opt = makeOpt('adam')
    const s = S.CyclicLR(opt, 0.01, 0.1, { step_size_up: 2 })
    expect(momenta(opt)).toEqual([0.9, 0.9])
    opt.step()
    s.step()
    expect(momenta(opt)[0]).toBeCloseTo(0.85, 12)
  })
})
