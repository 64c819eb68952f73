/**
 * torch.histogram / torch.histogramdd / Tensor.histogram against real PyTorch 1.13
 * (fixtures/histogram.py writes fixtures/histogram.json): hist and bin_edges for integer and
 * tensor bins, ranges, weights and densities in float32 and float64, and the error texts. Counts
 * are exact; bin edges agree to one ulp (PyTorch's vectorised linspace rounds a few edges differently).
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import fixture from './fixtures/histogram.json'

type T = torch.Tensor
type Want = { hist: unknown; bin_edges: unknown }

const close = (got: unknown, want: unknown, what: string, tol: number): void => {
  const g = [got].flat(4) as number[]
  const w = [want].flat(4) as number[]
  expect(g.length, what).toBe(w.length)
  g.forEach((v, i) => expect(Math.abs(v - w[i]!), `${what}[${i}]: ${v} vs ${w[i]}`).toBeLessThanOrEqual(tol))
}

describe.each(['float32', 'float64'] as const)('torch.histogram against PyTorch (%s)', (dt) => {
  const dtype = torch[dt]
  const x = torch.tensor(fixture.X, { dtype })
  const w = torch.tensor(fixture.W, { dtype })
  const p = torch.tensor(fixture.P, { dtype })
  const pw = torch.tensor(fixture.PW, { dtype })
  const e = (v: number[]): T => torch.tensor(v, { dtype })
  const tol = dt === 'float32' ? 2e-6 : 1e-12
  const runs: Record<string, () => torch.HistogramResult | torch.HistogramddResult> = {
    bins7: () => torch.histogram(x, 7),
    default: () => torch.histogram(x),
    range: () => torch.histogram(x, { bins: 5, range: [-1, 2] }),
    weight: () => torch.histogram(x, 6, { weight: w }),
    density: () => torch.histogram(x, 4, { density: true }),
    weight_density: () => torch.histogram(x, 9, { weight: w, density: true }),
    edges: () => torch.histogram(x, e(fixture.E)),
    edges_kw: () => torch.histogram(x, { bins: e(fixture.E), weight: w, density: true }),
    method: () => x.histogram(3, { range: [0, 1] }),
    constant: () => torch.histogram(torch.full([4], 3, { dtype }), 2),
    empty: () => torch.histogram(torch.tensor([], { dtype }), 2),
    matrix: () => torch.histogram(x.reshape(5, 10), 4, { weight: w.reshape(5, 10) }),
    dd: () => torch.histogramdd(p, { bins: [3, 4] }),
    dd_int: () => torch.histogramdd(p, 3, { range: [-1, 1, -2, 0], weight: pw }),
    dd_edges: () => torch.histogramdd(p, [e([-2, 0, 2]), e(fixture.E)], { density: true }),
  }
  for (const [name, run] of Object.entries(runs)) {
    it(name, () => {
      const want = (fixture.cases[dt] as Record<string, Want>)[name]!
      const r = run()
      expect(r[0]).toBe(r.hist)
      expect(r[1]).toBe(r.bin_edges)
      expect(r.hist.dtype).toBe(dtype)
      close(r.hist.tolist(), want.hist, 'hist', name.includes('density') || name === 'dd_edges' ? tol : 0)
      const edges = Array.isArray(r.bin_edges) ? r.bin_edges.map((t) => t.tolist()) : r.bin_edges.tolist()
      // PyTorch's vectorised linspace differs from the scalar formula in the last bit at some lengths
      close(edges, want.bin_edges, 'bin_edges', dt === 'float32' ? 5e-7 : 2e-15)
    })
  }
})

describe('torch.histogram errors', () => {
  it('raises PyTorch’s errors', () => {
    const e = fixture.errors
    const x = torch.tensor([1, 2, 1, 4, 2.5, 7])
    const f64 = { dtype: torch.float64 }
    const cases: Array<[() => unknown, string[]]> = [
      [() => torch.histogram(torch.tensor([1, 2], { dtype: torch.int64 }), 2), e.long],
      [() => torch.histogram(x, torch.tensor([0, 1], f64)), e.dtype],
      [() => torch.histogram(x, 0), e.zero],
      [() => torch.histogram(x, torch.tensor([2])), e.one_edge],
      [() => torch.histogram(x, 2, { range: [3, 1] }), e.minmax],
      [() => torch.histogram(x, torch.tensor([[2, 1]])), e.edges_rank],
      [() => torch.histogram(x, 2, { weight: torch.ones(3) }), e.weight_shape],
      [() => torch.histogram(x, 2, { weight: torch.ones(6, f64) }), e.weight_dtype],
      [() => torch.histogram(torch.tensor([1, Infinity]), 2), e.not_finite],
      [() => torch.histogram(x, 2, { range: [0, 1, 2] }), e.range_len],
      [() => torch.histogramdd(torch.ones(3), 2), e.dd_rank],
      [() => torch.histogramdd(torch.ones(3, 2), 2, { range: [0, 1] }), e.dd_range],
      [() => torch.histogramdd(torch.ones(3, 2), [2, 0]), e.dd_bins],
      [() => torch.histogramdd(torch.ones(3, 2), 2, { range: [0, 1, 1.5, 1.25] }), e.dd_minmax],
    ]
    for (const [f, [type, msg]] of cases) {
      expect(f).toThrow(msg)
      try {
        f()
      } catch (err) {
        expect((err as Error).name).toBe(type)
      }
    }
  })

  it('results require grad through a NotImplemented node, as PyTorch (noDerivativeNodes.test.ts)', () => {
    const x = torch.tensor([1, 2, 3], { requires_grad: true })
    const h = torch.histogram(x, 2)
    expect([h.hist.requires_grad, h.hist.grad_fn?.name()]).toEqual([true, 'torch::autograd::NotImplemented'])
    expect(() => h.hist.sum().backward()).toThrow('derivative for aten::histogram is not implemented')
  })
})
