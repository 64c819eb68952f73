/**
 * The reductions of src/torch/methods/selectReduce.ts, reduceExtra.ts and covariance.ts against
 * real PyTorch 1.13 (fixtures/reduce_extra.py writes fixtures/reduce_extra.json): values and
 * indices, node names, the gradient of Σ_outputs Σ out·W (W = sin(0.37k) + 0.5), tie and NaN
 * behaviour, and error texts.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { sinWeights } from '../helpers/sinWeights'
import fixture from './fixtures/reduce_extra.json'

type Enc = number | string | boolean | null | Enc[]
const dec = (v: Enc): unknown =>
  Array.isArray(v) ? v.map(dec) : v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v

type T = torch.Tensor
type Out = T | ReadonlyArray<T>
const f64 = { dtype: torch.float64 }
const Q = torch.tensor(fixture.inputs.Q, f64)
const FW = torch.tensor(fixture.fweights, { dtype: torch.int64 })
const AW = torch.tensor(fixture.aweights, f64)

/** The programs of fixtures/reduce_extra.py, by case name. */
const CASES: Record<string, (a: T) => Out> = {
  median: (a) => a.median(),
  median_even: (a) => a.narrow(1, 0, 4).median(),
  median_dim: (a) => a.median(1),
  median_dim0_keep: (a) => a.median(0, { keepdim: true }),
  nanmedian: (a) => a.nanmedian(),
  nanmedian_dim: (a) => a.nanmedian(1),
  kthvalue: (a) => a.kthvalue(2),
  kthvalue_dim0: (a) => a.kthvalue(3, 0, { keepdim: true }),
  mode: (a) => a.mode(),
  quantile: (a) => torch.quantile(a, 0.3),
  quantile_dim: (a) => torch.quantile(a, 0.4, { dim: 1 }),
  quantile_q: (a) => torch.quantile(a, Q, { dim: 0, keepdim: true }),
  quantile_lower: (a) => torch.quantile(a, Q, { dim: 1, interpolation: 'lower' }),
  quantile_higher: (a) => torch.quantile(a, Q, { dim: 1, interpolation: 'higher' }),
  quantile_midpoint: (a) => torch.quantile(a, Q, { dim: 1, interpolation: 'midpoint' }),
  quantile_nearest: (a) => torch.quantile(a, Q, { interpolation: 'nearest' }),
  quantile_keep_all: (a) => torch.quantile(a, torch.tensor([0.2, 0.7], f64), { keepdim: true }),
  nanquantile: (a) => torch.nanquantile(a, 0.6),
  nanquantile_dim: (a) => torch.nanquantile(a, torch.tensor([0.25, 0.5], f64), { dim: 1 }),
  nansum: (a) => a.nansum(),
  nansum_dim: (a) => a.nansum(1, { keepdim: true }),
  nanmean: (a) => a.nanmean(),
  nanmean_dim: (a) => a.nanmean(0),
  var_mean: (a) => torch.var_mean(a, 1),
  var_mean_c0: (a) => torch.var_mean(a, [0, 1], { correction: 0 }),
  std_mean: (a) => torch.std_mean(a, 0, { keepdim: true }),
  std_mean_unbiased: (a) => torch.std_mean(a, { unbiased: false }),
  cov: (a) => torch.cov(a),
  cov_1d: (a) => torch.cov(a.select(0, 0)),
  cov_c0: (a) => torch.cov(a, { correction: 0 }),
  cov_fw: (a) => torch.cov(a, { fweights: FW }),
  cov_aw: (a) => torch.cov(a, { aweights: AW }),
  cov_both: (a) => torch.cov(a, { correction: 2, fweights: FW, aweights: AW }),
  corrcoef: (a) => torch.corrcoef(a),
  corrcoef_1d: (a) => torch.corrcoef(a.select(0, 1)),
}

const close = (got: unknown, want: unknown, what: string, rtol = 1e-12): void => {
  const g = [got].flat(4) as number[]
  const w = [want].flat(4) as number[]
  expect(g.length, what).toBe(w.length)
  g.forEach((v, i) => {
    const e = w[i]!
    if (Number.isNaN(e) || !Number.isFinite(e)) expect(v, `${what}[${i}]`).toBe(e)
    else expect(Math.abs(v - e), `${what}[${i}]: ${v} vs ${e}`).toBeLessThanOrEqual(1e-13 + rtol * Math.abs(e))
  })
}

/** sin(0.37k) + 0.5 in the shape of `o` (0-d included). */
const weights = (o: T): T => (o.dim() === 0 ? torch.tensor(0.5, f64) : sinWeights([...o.shape]))

type Case = { arg: string; values: Enc[]; shapes: number[][]; node: string; grad: Enc }
const inputs = fixture.inputs as unknown as Record<string, Enc>

describe('reductions against PyTorch 1.13: values, node names, gradients', () => {
  it.each(Object.keys(fixture.cases))('%s', (name) => {
    const c = (fixture.cases as Record<string, Case>)[name]!
    const a = torch.tensor(dec(inputs[c.arg]!) as number[][], { dtype: torch.float64, requires_grad: true })
    const r = CASES[name]!(a)
    const outs = r instanceof torch.Tensor ? [r] : [...r]
    expect(outs.length).toBe(c.values.length)
    outs.forEach((o, k) => {
      expect([...o.shape], `${name} shape ${k}`).toEqual(c.shapes[k])
      close(o.tolist(), dec(c.values[k]!), `${name} value ${k}`)
    })
    const floats = outs.filter((o) => o.grad_fn !== null)
    expect(floats[0]!.grad_fn!.name()).toBe(c.node)
    const loss = floats.map((o) => o.mul(weights(o)).sum()).reduce((p, q) => p.add(q))
    const [g] = torch.autograd.grad([loss], [a])
    close(g!.tolist(), dec(c.grad), `${name} grad`)
  })
})

describe('ties, NaN and empty inputs against PyTorch 1.13', () => {
  const e = fixture.ties
  const t = torch.tensor(fixture.inputs.T, f64)
  const n = torch.tensor(
    [
      [1, NaN, 3],
      [1, 2, 3],
    ],
    f64,
  )
  it('median is the lower middle value; kthvalue and mode on ties', () => {
    close(t.median(1).values.tolist(), e.median_dim, 'median')
    close(t.kthvalue(3).values.tolist(), e.kthvalue, 'kthvalue')
    close([t.mode(1).values.tolist(), t.mode(1).indices.tolist()], e.mode, 'mode (smallest most frequent, last index)')
    const m = torch.tensor([1, 2, 2, 3, 3, 1], f64).mode()
    close([m.values.item() as number, m.indices.item() as number], e.mode_1d, 'mode 1-d')
  })
  it('median and quantile propagate NaN; the median of nothing is NaN', () => {
    close([n.median(1).values.tolist(), n.median(1).indices.tolist()], dec(e.median_nan as Enc), 'median nan')
    close(n.median().item(), dec(e.median_nan_all as Enc), 'median all')
    close(torch.tensor([], f64).median().item(), dec(e.median_empty as Enc), 'median empty')
    close(n.quantile(0.5, { dim: 1 }).tolist(), dec(e.quantile_nan as Enc), 'quantile nan')
  })
  it('count_nonzero and aminmax', () => {
    const cn = [
      torch.count_nonzero(t).item(),
      torch.count_nonzero(t, 1).tolist(),
      torch.count_nonzero(t, [0, 1]).item(),
    ]
    expect(cn).toEqual(e.count_nonzero)
    expect(torch.count_nonzero(t).dtype).toBe(torch.int64)
    const mm = torch.aminmax(t)
    expect([mm.min.item(), mm.max.item()]).toEqual(e.aminmax)
    const md = torch.aminmax(t, { dim: 1, keepdim: true })
    expect([md.min.tolist(), md.max.tolist()]).toEqual(e.aminmax_dim)
    expect(md[0]).toBe(md.min)
  })
})

describe('errors as PyTorch 1.13 words them', () => {
  const x = torch.tensor(fixture.inputs.A, f64)
  const ERRORS: Record<string, () => unknown> = {
    quantile_range: () => torch.quantile(x, 1.5),
    quantile_interp: () => torch.quantile(x, 0.5, { interpolation: 'foo' as 'linear' }),
    quantile_2d_q: () => torch.quantile(x, torch.tensor([[0.5]], f64)),
    quantile_int: () => torch.quantile(x.long(), 0.5),
    quantile_empty: () => torch.quantile(torch.tensor([], f64), 0.5),
    kthvalue_range: () => x.kthvalue(6, 1),
    median_empty_dim: () => torch.zeros(2, 0).median(1),
    cov_3d: () => torch.cov(torch.zeros(2, 2, 2)),
    cov_fw_float: () => torch.cov(x, { fweights: torch.tensor([1, 2, 1, 1, 1], f64) }),
    cov_fw_neg: () => torch.cov(x, { fweights: torch.tensor([1, -2, 1, 1, 1], { dtype: torch.int64 }) }),
    cov_aw_neg: () => torch.cov(x, { aweights: torch.tensor([1, -2, 1, 1, 1], f64) }),
    cov_fw_numel: () => torch.cov(x, { fweights: torch.tensor([1, 2, 1], { dtype: torch.int64 }) }),
    aminmax_empty: () => torch.aminmax(torch.tensor([], f64)),
    nanmean_int: () => torch.nanmean(x.long()),
    var_mean_int: () => torch.var_mean(x.long()),
    aminmax_backward: () => torch.aminmax(x.clone().requires_grad_()).min.sum().backward(),
  }
  it.each(Object.keys(ERRORS))('%s', (name) => {
    const [kind, message] = (fixture.errors as Record<string, string[]>)[name]!
    let caught: unknown
    try {
      ERRORS[name]!()
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(Error)
    expect((caught as Error).name).toBe(kind)
    expect((caught as Error).message.split('\n')[0]).toBe(message)
  })
})
