/**
 * SequentialLR by keyword (`schedulers`, `milestones`) against PyTorch 1.13 (fixture
 * test/fixtures/torch/sequential_lr_keywords.json from the .py beside it): the facade took the
 * keyword object for the schedulers list and failed (`schedulers.forEach is not a function`;
 * differential tester seed 420034); an unknown keyword is Python's TypeError.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { errorOf } from '../../helpers/fixtureErrors'

const fx = JSON.parse(
  readFileSync(new URL('../../fixtures/torch/sequential_lr_keywords.json', import.meta.url), 'utf8'),
) as { keywords: number[]; positional: number[]; unknown: string }

const { ConstantLR, ExponentialLR, SequentialLR } = torch.optim.lr_scheduler
// the keyword form, which the TypeScript signature does not list (PyTorch's `schedulers=`, `milestones=`)
const seqKw = SequentialLR as unknown as (o: unknown, kw: Record<string, unknown>) => ReturnType<typeof SequentialLR>

const lrs = (keywords: boolean): number[] => {
  const o = torch.optim.SGD([torch.zeros(1, { requires_grad: true })], { lr: 0.5 })
  const inner = [ConstantLR(o, { factor: 0.5, total_iters: 2 }), ExponentialLR(o, { gamma: 0.5 })]
  const s = keywords ? seqKw(o, { schedulers: inner, milestones: [2] }) : SequentialLR(o, inner, [2])
  const out = [s.get_last_lr()[0] as number]
  for (let k = 0; k < 5; k++) {
    o.step()
    s.step()
    out.push(s.get_last_lr()[0] as number)
  }
  return out
}

describe('SequentialLR keywords (PyTorch 1.13 fixture)', () => {
  it('schedulers= and milestones= give the positional sequence', () => {
    expect(lrs(true)).toEqual(fx.keywords)
    expect(lrs(false)).toEqual(fx.positional)
  })
  it('an unknown keyword is a TypeError', () => {
    const o = torch.optim.SGD([torch.zeros(1, { requires_grad: true })], { lr: 0.5 })
    const run = (): unknown => seqKw(o, { schedulers: [ExponentialLR(o, 0.5)], milestones: [], foo: 1 })
    expect(errorOf(run)).toEqual(['TypeError', fx.unknown])
  })
})
