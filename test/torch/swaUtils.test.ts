import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'

const { nn } = torch
const { AveragedModel, SWALR, update_bn, get_ema_multi_avg_fn, get_swa_multi_avg_fn, get_ema_avg_fn } =
  torch.optim.swa_utils

/** PyTorch 1.13's answers, from test/torch/fixtures/swa_utils.py (closed-form weights and inputs). */
const ref = JSON.parse(readFileSync(new URL('./fixtures/swa_utils.json', import.meta.url), 'utf8')) as {
  averaged: Record<string, Array<Record<string, unknown>>>
  update_bn: Record<string, Record<string, unknown>>
  swalr: Record<string, number[][]>
  errors: Record<string, [string, string]>
}

const make = (): torch.nn.Sequential => {
  const m = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2))
  setWeights(m, 0)
  return m
}
const setWeights = (m: torch.nn.Module, k: number): void =>
  torch.no_grad(() =>
    [...m.parameters()].forEach((p, i) => {
      const vals = Array.from({ length: p.numel() }, (_, j) => Math.sin(0.7 * j + 1.3 * i + 0.9 * k))
      p.copy_(torch.tensor(vals).reshape(p.shape))
    }),
  )
const data = (k: number): torch.Tensor =>
  torch.tensor(
    Array.from({ length: 5 }, (_, i) => Array.from({ length: 3 }, (_, j) => Math.cos(0.5 * i + 0.3 * j + k))),
  )

const expectClose = (got: unknown, want: unknown): void => {
  const [g, w] = [[got].flat(Infinity) as number[], [want].flat(Infinity) as number[]]
  expect(g.length).toBe(w.length)
  g.forEach((v, i) => expect(Math.abs(v - (w[i] as number))).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(w[i] as number))))
}

type AvgKw = { avg_fn?: torch.optim.swa_utils.AvgFn; use_buffers?: boolean }
const runAvg = (kw: AvgKw): Array<Record<string, unknown>> => {
  const model = make()
  const avg = AveragedModel(model, kw)
  return [0, 1, 2, 3].map((k) => {
    setWeights(model, k)
    model.train()
    model(data(k))
    avg.update_parameters(model)
    return Object.fromEntries(Object.entries(avg.state_dict()).map(([n, v]) => [n, v.tolist()]))
  })
}

describe('swa_utils.AveragedModel (reference: PyTorch 1.13)', () => {
  const cases: Array<[string, AvgKw]> = [
    ['swa', {}],
    ['ema', { avg_fn: get_ema_avg_fn(0.9) }],
    ['swa_buffers', { use_buffers: true }],
  ]
  for (const [name, kw] of cases)
    it(`${name}: averaged parameters and buffers after each of four updates`, () => {
      const got = runAvg(kw)
      got.forEach((sd, step) => {
        const { model_buffers, ...want } = ref.averaged[name]?.[step] as Record<string, unknown>
        expect(Object.keys(sd)).toEqual(Object.keys(want))
        for (const k of Object.keys(want)) {
          // 2.x copies the model's buffers when they are not averaged (1.13 left them as they were)
          const buffer = (model_buffers as Record<string, unknown>)[k.replace(/^module\./, '')]
          expectClose(sd[k], kw.use_buffers === true || buffer === undefined ? want[k] : buffer)
        }
      })
    })

  it('multi_avg_fn: lerp toward the current weights (EMA by 1 − decay, SWA by 1/(n + 1))', () => {
    const model = nn.Linear(2, 1, { bias: false })
    const ema = AveragedModel(model, { multi_avg_fn: get_ema_multi_avg_fn(0.75) })
    const swa = AveragedModel(model, { multi_avg_fn: get_swa_multi_avg_fn() })
    let [e, s] = [0, 0]
    ;[4, 8, 2].forEach((w, n) => {
      torch.no_grad(() => model.weight.fill_(w))
      ema.update_parameters(model)
      swa.update_parameters(model)
      e = n === 0 ? w : e + 0.25 * (w - e)
      s = n === 0 ? w : s + (w - s) / (n + 1)
    })
    expectClose((ema.module as torch.nn.Linear).weight.tolist(), [[e, e]])
    expectClose((swa.module as torch.nn.Linear).weight.tolist(), [[s, s]])
    expect((ema(torch.ones(1, 2)) as torch.Tensor).shape).toEqual([1, 1])
  })

  it('refuses avg_fn with multi_avg_fn, and bad decays', () => {
    expect(() =>
      AveragedModel(nn.Linear(1, 1), { avg_fn: get_ema_avg_fn(), multi_avg_fn: get_swa_multi_avg_fn() }),
    ).toThrow('Only one of avg_fn and multi_avg_fn should be provided')
    expect(() => get_ema_avg_fn(1.5)).toThrow(
      'Invalid decay value 1.5 provided. Please provide a value in [0,1] range.',
    )
  })
})

describe('swa_utils.update_bn (reference: PyTorch 1.13)', () => {
  for (const kind of ['tensors', 'pairs'])
    it(`recomputes batch-norm statistics over a loader of ${kind}`, () => {
      const m = make()
      const bn = m.at(1) as torch.nn.BatchNorm1d
      bn.momentum = 0.3
      m.eval()
      const xs = [0, 1, 2].map(data)
      update_bn(kind === 'pairs' ? xs.map((x) => [x, torch.zeros(5)]) : xs, m)
      const want = ref.update_bn[kind] as Record<string, unknown>
      expectClose(bn.running_mean?.tolist(), want.running_mean)
      expectClose(bn.running_var?.tolist(), want.running_var)
      expect(bn.num_batches_tracked?.item()).toBe(want.num_batches_tracked)
      expect(bn.momentum).toBe(want.momentum)
      expect(m.training).toBe(want.training)
    })
})

describe('swa_utils.SWALR (reference: PyTorch 1.13)', () => {
  type SwaKw = { swa_lr: number | number[]; anneal_epochs?: number; anneal_strategy?: 'cos' | 'linear' }
  const opts: Record<string, [SwaKw, number[]]> = {
    cos10: [{ swa_lr: 0.05 }, [0.1]],
    linear3: [{ swa_lr: 0.05, anneal_epochs: 3, anneal_strategy: 'linear' }, [0.1]],
    cos0: [{ swa_lr: 0.02, anneal_epochs: 0 }, [0.1]],
    groups: [{ swa_lr: [0.01, 0.2], anneal_epochs: 4 }, [0.1, 0.5]],
  }
  for (const [name, [kw, lrs]] of Object.entries(opts))
    it(`${name}: learning rates over eight steps`, () => {
      const groups = lrs.map((lr) => ({ params: [torch.zeros(1, { requires_grad: true })], lr }))
      const opt = torch.optim.SGD(groups, { lr: 0.1 })
      const s = SWALR(opt, kw)
      const seq = [s.get_last_lr()]
      for (let i = 0; i < 8; i++) {
        opt.step()
        s.step()
        seq.push(s.get_last_lr())
      }
      expectClose(seq, ref.swalr[name])
    })

  it("raises PyTorch's ValueErrors (the length message is 2.x's; 1.13's wording differs)", () => {
    const opt = torch.optim.SGD([torch.zeros(1, { requires_grad: true })], { lr: 0.1 })
    for (const [name, kw] of [
      ['strategy', { swa_lr: 0.1, anneal_strategy: 'exp' as 'cos' }],
      ['epochs', { swa_lr: 0.1, anneal_epochs: -1 }],
    ] as const) {
      const [cls, msg] = ref.errors[name] as [string, string]
      expect(() => SWALR(opt, kw)).toThrow(msg)
      expect(() => SWALR(opt, kw)).toThrow(expect.objectContaining({ name: cls }))
    }
    expect(() => SWALR(opt, { swa_lr: [0.1, 0.2] })).toThrow(
      'swa_lr must have the same length as optimizer.param_groups. swa_lr has 2 values, param_groups has 1.',
    )
  })
})
