/**
 * F.rrelu / nn.RReLU, the F in-place activations, F.channel_shuffle / native_channel_shuffle /
 * nn.ChannelShuffle, F.multilabel_margin_loss / nn.MultiLabelMarginLoss, (feature) alpha dropout
 * and nn.NLLLoss2d against real PyTorch 1.13 (fixtures/nn_layers_more2.py writes
 * fixtures/nn_layers_more2.json): values, node names and their next nodes, gradients of Σ out·W
 * (W = sin(0.37k) + 0.5), reprs, warnings and error texts; the random parts (rrelu's training
 * slopes, dropout masks) against their definitions.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { expectFixtureErrors } from '../../helpers/fixtureErrors'
import { sinWeights } from '../../helpers/sinWeights'
import fixture from '../fixtures/nn_layers_more2.json'
import { typeName } from '../../helpers/nodeNames'

type T = torch.Tensor
type Fn = (...l: T[]) => T
const F = torch.nn.functional
const inputs = fixture.inputs as unknown as Record<string, torch.TensorData>
const leaf = (name: string): T => torch.tensor(inputs[name]!, { dtype: torch.float64, requires_grad: true })
const Y = torch.tensor(inputs.Y!, { dtype: torch.int64 })
const Y0 = Y.select(0, 0)

const close = (got: unknown, want: unknown, what: string, tol = 1e-12): void => {
  const g = [got].flat(6) as number[]
  const w = [want].flat(6) as number[]
  expect(g.length, what).toBe(w.length)
  g.forEach((v, i) => expect(Math.abs(v - w[i]!), `${what}[${i}]: ${v} vs ${w[i]}`).toBeLessThanOrEqual(tol))
}

const CASES: Record<string, [string[], Fn]> = {
  rrelu_eval: [['X'], (x) => F.rrelu(x!)],
  rrelu_eval_kw: [['X'], (x) => F.rrelu(x!, { lower: 0.2, upper: 0.6 })],
  rrelu_module_eval: [['X'], (x) => torch.nn.RReLU(0.1, 0.3).eval().call(x!)],
  rrelu_: [['X'], (x) => F.rrelu_(x!.clone(), 0.2, 0.4)],
  relu_: [['X'], (x) => F.relu_(x!.clone())],
  elu_: [['X'], (x) => F.elu_(x!.clone(), 0.7)],
  celu_: [['X'], (x) => F.celu_(x!.clone(), 1.3)],
  selu_: [['X'], (x) => F.selu_(x!.clone())],
  leaky_relu_: [['X'], (x) => F.leaky_relu_(x!.clone(), 0.2)],
  hardtanh_: [['X'], (x) => F.hardtanh_(x!.clone(), -0.5, 0.5)],
  threshold_: [['X'], (x) => F.threshold_(x!.clone(), 0.1, 2)],
  mlm_mean: [['M'], (m) => F.multilabel_margin_loss(m!, Y, { reduction: 'mean' })],
  mlm_sum: [['M'], (m) => F.multilabel_margin_loss(m!, Y, { reduction: 'sum' })],
  mlm_none: [['M'], (m) => F.multilabel_margin_loss(m!, Y, { reduction: 'none' })],
  mlm_1d: [['M'], (m) => torch.nn.MultiLabelMarginLoss({ reduction: 'none' }).call(m!.select(0, 0), Y0)],
  mlm_module: [['M'], (m) => torch.nn.MultiLabelMarginLoss().call(m!, Y)],
}

type Case = { value: unknown; node: string; next: Array<string | null>; grads: unknown[] }

describe('rrelu, in-place activations, multilabel_margin_loss against PyTorch 1.13', () => {
  it('covers every fixture case', () => expect(Object.keys(CASES).sort()).toEqual(Object.keys(fixture.cases).sort()))
  it.each(Object.keys(fixture.cases))('%s', (name) => {
    const c = (fixture.cases as Record<string, Case>)[name]!
    const [names, f] = CASES[name]!
    // mlm_1d's leaf is the first row of M, as the fixture's
    const leaves =
      name === 'mlm_1d'
        ? [torch.tensor((inputs.M as number[][])[0]!, { dtype: torch.float64, requires_grad: true })]
        : names.map(leaf)
    const r =
      name === 'mlm_1d' ? torch.nn.MultiLabelMarginLoss({ reduction: 'none' }).call(leaves[0]!, Y0) : f(...leaves)
    close(r.tolist(), c.value, `${name} value`)
    expect(typeName(r.grad_fn)).toBe(c.node)
    expect(r.grad_fn?.next_functions.map(([n]) => typeName(n))).toEqual(c.next)
    const gs = torch.autograd.grad([r.mul(sinWeights([...r.shape])).sum()], leaves)
    // PyTorch's celu_ backward uses 1/alpha rounded to float32 (alpha.toFloat() in derivatives.yaml)
    gs.forEach((g, i) => close(g!.tolist(), c.grads[i], `${name} grad ${i}`, name === 'celu_' ? 1e-7 : 1e-12))
  })
})

describe('rrelu in training mode', () => {
  it('scales each non-positive element by its own slope in [lower, upper], and that slope is its gradient', () => {
    torch.manual_seed(3)
    const x = torch.linspace(-2, 1, 301, { dtype: torch.float64 }).requires_grad_()
    const y = F.rrelu(x, 0.1, 0.4, true)
    expect(typeName(y.grad_fn)).toBe('RreluWithNoiseBackward0')
    const [g] = torch.autograd.grad([y.sum()], [x])
    const xs = x.tolist() as number[]
    const ys = y.tolist() as number[]
    const gs = g!.tolist() as number[]
    const slopes = new Set<number>()
    xs.forEach((v, i) => {
      if (v > 0) {
        expect(ys[i]).toBe(v)
        expect(gs[i]).toBe(1)
      } else {
        expect(gs[i]).toBeGreaterThanOrEqual(0.1)
        expect(gs[i]).toBeLessThanOrEqual(0.4)
        if (v !== 0) expect(Math.abs(ys[i]! / v - gs[i]!)).toBeLessThan(1e-12)
        slopes.add(gs[i]!)
      }
    })
    expect(slopes.size).toBeGreaterThan(150)
    // the module draws in training mode, uses the mean slope in eval mode
    const m = torch.nn.RReLU(0.2, 0.2)
    expect(m.call(torch.tensor([-1], { dtype: torch.float64 })).item()).toBeCloseTo(-0.2, 12)
  })
  it('rejects lower > upper', () => {
    expect(() => F.rrelu(torch.ones(2), 0.5, 0.1, true)).toThrow(
      'Lower bound should be less than or equal to the upper bound',
    )
  })
})

describe('channel shuffle', () => {
  const x = torch.tensor(inputs.X!, { dtype: torch.float64 })
  it('values as PyTorch', () => {
    expect(F.channel_shuffle(x, 2).tolist()).toEqual(fixture.channel_shuffle.g2)
    expect(torch.nn.ChannelShuffle(4).call(x).tolist()).toEqual(fixture.channel_shuffle.g4)
    expect(F.native_channel_shuffle(x, 2).tolist()).toEqual(fixture.channel_shuffle.native_g2)
  })
  it('records ChannelShuffleBackward0 (PyTorch 2.x) whose gradient is the inverse shuffle', () => {
    const xl = x.clone().requires_grad_()
    const y = F.channel_shuffle(xl, 2)
    expect(typeName(y.grad_fn)).toBe('ChannelShuffleBackward0')
    const w = torch.arange(24, { dtype: torch.float64 }).reshape(2, 4, 3)
    const [g] = torch.autograd.grad([y.mul(w).sum()], [xl])
    expect(g!.tolist()).toEqual(F.channel_shuffle(w, 2).tolist())
  })
})

describe('alpha dropout', () => {
  it('takes the two values PyTorch gives (kept: a·x + λα·a·p, dropped: −λα·a·(1 − p))', () => {
    torch.manual_seed(0)
    const vals = (t: T): number[] =>
      [...new Set((t.reshape(-1).tolist() as number[]).map((v) => Math.round(v * 1e12) / 1e12))].sort((a, b) => a - b)
    expect(vals(F.alpha_dropout(torch.full([200], 10, { dtype: torch.float64 }), 0.3, true))).toEqual(
      fixture.alpha_values.alpha,
    )
    const fy = F.feature_alpha_dropout(torch.full([50, 4, 3], 10, { dtype: torch.float64 }), 0.3, true)
    expect(vals(fy)).toEqual(fixture.alpha_values.feature)
    // whole channels share their fate
    const rows = fy.reshape(200, 3).tolist() as number[][]
    expect(rows.every((r) => r.every((v) => v === r[0]))).toBe(true)
  })
})

describe('modules', () => {
  it('print as PyTorch', () => {
    expect(String(torch.nn.RReLU())).toBe(fixture.reprs.rrelu)
    expect(String(torch.nn.RReLU(0.1, 0.3, true))).toBe(fixture.reprs.rrelu_inplace)
    expect(String(torch.nn.ChannelShuffle(2))).toBe(fixture.reprs.channel_shuffle)
    expect(String(torch.nn.FeatureAlphaDropout(0.2))).toBe(fixture.reprs.feature_alpha_dropout)
    expect(String(torch.nn.MultiLabelMarginLoss())).toBe(fixture.reprs.multilabel)
  })
  it('NLLLoss2d warns and computes NLLLoss', () => {
    const [m, ws] = torch.warnings.catch_warnings(() => torch.nn.NLLLoss2d())
    expect(ws.map((w) => [w.category, w.message])).toEqual(fixture.warnings)
    expect(m instanceof torch.nn.NLLLoss).toBe(true)
    const x = torch.tensor([[-1, -2]], { dtype: torch.float64 })
    expect(m.call(x, torch.tensor([1], { dtype: torch.int64 })).item()).toBe(2)
  })
})

describe('error texts as PyTorch 1.13', () => {
  const xt = torch.tensor(inputs.X!, { dtype: torch.float64 })
  const mt = torch.tensor(inputs.M!, { dtype: torch.float64 })
  expectFixtureErrors(
    {
      shuffle_groups: () => F.channel_shuffle(xt, 3),
      shuffle_zero: () => F.channel_shuffle(xt, 0),
      shuffle_rank: () => F.channel_shuffle(xt.select(0, 0), 2),
      mlm_target_size: () => F.multilabel_margin_loss(mt, Y.narrow(0, 0, 2)),
      mlm_target_1d: () => F.multilabel_margin_loss(mt.select(0, 0), Y),
      mlm_range: () => F.multilabel_margin_loss(mt, Y.add(3)),
      mlm_empty: () => F.multilabel_margin_loss(torch.ones(2, 0), torch.ones(2, 0, { dtype: torch.int64 })),
      feature_rank: () => F.feature_alpha_dropout(torch.ones(3), 0.5, true),
      feature_p: () => F.feature_alpha_dropout(xt, 1.5, true),
    },
    fixture.errors,
  )
})
