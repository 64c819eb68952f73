/**
 * nn.AdaptiveLogSoftmaxWithLoss against real PyTorch 1.13 (fixtures/adaptive_log_softmax.py writes
 * fixtures/adaptive_log_softmax.json): parameters after `manual_seed(0)` (PyTorch's creation order),
 * forward output and loss, gradients of every parameter and of the input, log_prob, predict, repr
 * and error texts; positional and keyword constructor forms.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import fixture from '../fixtures/adaptive_log_softmax.json'

type Case = (typeof fixture.cases)[number]

const close = (got: unknown, want: unknown, what: string, tol = 2e-6): void => {
  const g = [got].flat(4) as number[]
  const w = [want].flat(4) as number[]
  expect(g.length, what).toBe(w.length)
  g.forEach((v, i) => expect(Math.abs(v - w[i]!), `${what}[${i}]: ${v} vs ${w[i]}`).toBeLessThanOrEqual(tol))
}

const build = (c: Case): torch.nn.AdaptiveLogSoftmaxWithLoss => {
  torch.manual_seed(0)
  const [inF, n, cutoffs] = c.args as [number, number, number[]]
  return torch.nn.AdaptiveLogSoftmaxWithLoss(inF, n, cutoffs, c.kw)
}

describe('nn.AdaptiveLogSoftmaxWithLoss against PyTorch', () => {
  fixture.cases.forEach((c, k) => {
    it(`case ${k}: ${JSON.stringify(c.args)} ${JSON.stringify(c.kw)}`, () => {
      const m = build(c)
      const params = Object.fromEntries(m.named_parameters())
      expect(Object.keys(params)).toEqual(Object.keys(c.out.params))
      for (const [name, v] of Object.entries(c.out.params)) close(params[name]!.tolist(), v, name, 0)
      expect(String(m)).toBe(c.out.repr)
      const x = torch.tensor(c.out.x as torch.TensorData, { requires_grad: true })
      const res = m.call(x, torch.tensor(c.targets as torch.TensorData))
      expect(res[0]).toBe(res.output)
      expect(res[1]).toBe(res.loss)
      close(res.output.tolist(), c.out.output, 'output')
      close(res.loss.item(), c.out.loss, 'loss')
      res.loss.backward()
      for (const [name, g] of Object.entries(c.out.grads)) {
        if (g === null) expect(params[name]!.grad, name).toBeNull()
        else close(params[name]!.grad!.tolist(), g, `grad ${name}`)
      }
      close(x.grad!.tolist(), c.out.x_grad, 'x.grad')
      const xb = c.batch === null ? x.detach().unsqueeze(0) : x.detach()
      close(m.log_prob(xb).tolist(), c.out.log_prob, 'log_prob', 5e-6)
      const xp = torch.tensor(c.out.xp as torch.TensorData)
      expect(m.predict(xp).tolist()).toEqual(c.out.predict)
      expect(m.log_prob(xp).argmax(1).tolist()).toEqual(c.out.log_prob_argmax)
    })
  })

  it('keyword-only construction equals the positional one', () => {
    torch.manual_seed(0)
    const a = torch.nn.AdaptiveLogSoftmaxWithLoss(8, 10, [4, 7], 2.0, true)
    torch.manual_seed(0)
    const b = torch.nn.AdaptiveLogSoftmaxWithLoss({
      in_features: 8,
      n_classes: 10,
      cutoffs: [4, 7],
      div_value: 2,
      head_bias: true,
    })
    expect(b.head.bias).not.toBeNull()
    expect(b.tail.at(0).state_dict()['0.weight']!.tolist()).toEqual(a.tail.at(0).state_dict()['0.weight']!.tolist())
    expect(b.cutoffs).toEqual([4, 7, 10])
    expect([b.shortlist_size, b.n_clusters, b.head_size]).toEqual([4, 2, 6])
    expect(() => torch.nn.AdaptiveLogSoftmaxWithLoss(8, 10)).toThrow(
      "AdaptiveLogSoftmaxWithLoss.__init__() missing 1 required positional argument: 'cutoffs'",
    )
  })

  it('takes dtype, builds float64 parameters, and its gradient matches finite differences', () => {
    torch.manual_seed(1)
    const m = torch.nn.AdaptiveLogSoftmaxWithLoss(6, 9, [3, 6], { div_value: 2, dtype: torch.float64 })
    expect(m.head.weight.dtype).toBe(torch.float64)
    expect(m.tail.at(1).state_dict()['1.weight']!.dtype).toBe(torch.float64)
    const x = torch.randn(5, 6, { dtype: torch.float64 })
    const t = torch.tensor([0, 4, 8, 2, 7])
    const w = m.head.weight
    m.call(x, t).loss.backward()
    const g = w.grad!.tolist() as number[][]
    const h = 1e-6
    const basis = torch.tensor(
      g.map((row, i) => row.map((_, j) => (i === 1 && j === 2 ? 1 : 0))),
      { dtype: torch.float64 },
    )
    const lossAt = (delta: number): number =>
      torch.no_grad(() => {
        w.data.add_(basis.mul(delta))
        const v = m.call(x, t).loss.item()
        w.data.sub_(basis.mul(delta))
        return v
      })
    expect(Math.abs((lossAt(h) - lossAt(-h)) / (2 * h) - g[1]![2]!)).toBeLessThan(1e-7)
  })

  it('raises PyTorch’s errors', () => {
    const e = fixture.errors
    const make = (cut: number[]) => () => torch.nn.AdaptiveLogSoftmaxWithLoss(4, 10, cut)
    for (const [cut, want] of [
      [[6, 3], e.unsorted],
      [[3, 3], e.repeated],
      [[0, 3], e.zero],
      [[3, 10], e.too_big],
    ] as const) {
      expect(make([...cut])).toThrow(want[1])
      expect(make([...cut])).toThrow(torch.TorchValueError)
    }
    const m = torch.nn.AdaptiveLogSoftmaxWithLoss(4, 10, [3, 6])
    const t = (v: number[]) => torch.tensor(v)
    expect(() => m.call(torch.zeros(3, 4), t([0, 1]))).toThrow(e.batch[1])
    expect(() => m.call(torch.zeros(2, 4), t([0, 10]))).toThrow(e.target_range[1])
    expect(() => m.call(torch.zeros(2, 4), t([-1, 2]))).toThrow(e.negative[1])
    expect(() => m.call(torch.zeros(2, 4), torch.zeros(2, 2, { dtype: torch.int64 }))).toThrow(e.multi[1])
    expect(() => m.call(torch.zeros(2, 2, 4), t([0, 1]))).toThrow(e.rank1)
    expect(() => m.call(torch.zeros(2, 4), torch.tensor(1))).toThrow(e.rank0)
    expect(() => m.call(torch.zeros(2, 4), t([0, 1]))).not.toThrow()
  })
})
