import { afterEach, describe, expect, it, vi } from 'vitest'
import * as torch from '../../../src/torch'
import expected from '../fixtures/scheduler_verbose.json'

const L = torch.optim.lr_scheduler
const DEPRECATED = 'The verbose parameter is deprecated. Please use get_last_lr() to access the learning rate.'

const opt = (lrs: number[] = [0.1]) =>
  torch.optim.SGD(
    lrs.map((lr) => ({ params: [torch.nn.Parameter(torch.ones(1))], lr })),
    { lr: lrs[0] as number },
  )

/** The lines `build` prints, with the warnings it emits. */
const printed = (build: () => void): { lines: string[]; warnings: string[] } => {
  const lines: string[] = []
  const spy = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')))
  try {
    const [, w] = torch.warnings.catch_warnings(build)
    return { lines, warnings: w.map((m) => m.message) }
  } finally {
    spy.mockRestore()
  }
}

describe('schedulers print each update when given verbose=True (fixture: PyTorch)', () => {
  afterEach(() => vi.restoreAllMocks())
  it('ExponentialLR: every group, every step, and the epoch when step(epoch) is given', () => {
    const { lines, warnings } = printed(() => {
      const o = opt([0.1, 2e-5])
      const s = L.ExponentialLR(o, { gamma: 0.5, verbose: true })
      for (let i = 0; i < 2; i++) (o.step(), s.step())
      s.step(5)
    })
    expect(lines).toEqual(expected.exponential)
    expect(warnings).toContain(DEPRECATED)
  })
  it('ReduceLROnPlateau prints each reduction with its epoch', () => {
    const { lines } = printed(() => {
      const s = L.ReduceLROnPlateau(opt(), { patience: 1, verbose: true })
      for (let i = 0; i < 5; i++) s.step(1)
    })
    expect(lines).toEqual(expected.plateau)
  })
  it('CosineAnnealingWarmRestarts prints with the epoch it computed', () => {
    const { lines } = printed(() => {
      const o = opt()
      const s = L.CosineAnnealingWarmRestarts(o, { T_0: 2, verbose: true })
      for (let i = 0; i < 3; i++) (o.step(), s.step())
    })
    expect(lines).toEqual(expected.warm_restarts)
  })
  it("SequentialLR: its schedulers print, the milestone's restart with epoch 0", () => {
    const { lines } = printed(() => {
      const o = opt()
      const a = L.ConstantLR(o, { factor: 0.5, total_iters: 1, verbose: true })
      const b = L.ExponentialLR(o, { gamma: 0.5, verbose: true })
      const s = L.SequentialLR(o, [a, b], [2])
      for (let i = 0; i < 3; i++) (o.step(), s.step())
    })
    expect(lines).toEqual(expected.sequential)
  })
  it('verbose=false warns but prints nothing; the default neither; a later scheduler is quiet', () => {
    const off = printed(() => {
      const o = opt()
      const s = L.StepLR(o, { step_size: 1, verbose: false })
      ;(o.step(), s.step())
    })
    expect(off.lines).toEqual(expected.quiet)
    expect(off.warnings).toEqual([DEPRECATED])
    const def = printed(() => L.StepLR(opt(), { step_size: 1 }))
    expect(def).toEqual({ lines: [], warnings: [] })
  })
  it('a construction that throws leaves no verbose state behind', () => {
    const bad = () => L.ExponentialLR({} as never, { gamma: 0.5, verbose: true })
    expect(() => torch.warnings.catch_warnings(bad)).toThrow(torch.TorchTypeError)
    const after = printed(() => L.ExponentialLR(opt(), { gamma: 0.5 }))
    expect(after.lines).toEqual([])
  })
})
