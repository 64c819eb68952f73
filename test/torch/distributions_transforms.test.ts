/**
 * torch.distributions transforms, TransformedDistribution and biject_to/transform_to against real
 * PyTorch 1.13 (fixtures/distributions_transforms.py writes fixtures/distributions_transforms.json):
 * forward, inverse and log|det J| values and gradients (float64, 1e-9), shapes, constraints,
 * reprs and error texts; caching; rsample through a flow.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { check, checkError, close, dec, leaves, t64, type Enc, type Measured } from '../helpers/distCheck'
import fixture from './fixtures/distributions_transforms.json'

const D = torch.distributions
type T = torch.Tensor
type Tr = torch.distributions.Transform

const TRANSFORMS: Record<string, (p: Record<string, T>) => Tr> = {
  exp: () => new D.ExpTransform(),
  sigmoid: () => new D.SigmoidTransform(),
  softplus: () => new D.SoftplusTransform(),
  tanh: () => new D.TanhTransform(),
  affine: (p) => new D.AffineTransform(p.loc!, p.scale!),
  affine_num: () => new D.AffineTransform(0.5, -3.0),
  affine_event: (p) => new D.AffineTransform(p.loc!, p.scale!, { event_dim: 1 }),
  power: (p) => new D.PowerTransform(p.exponent!),
  compose: () => new D.ComposeTransform([new D.ExpTransform(), new D.AffineTransform(1, 2), new D.PowerTransform(0.5)]),
  independent: () => new D.IndependentTransform(new D.SigmoidTransform(), 1),
  reshape: () => new D.ReshapeTransform([3], [3, 1]),
  stick_breaking: () => new D.StickBreakingTransform(),
  softmax: () => new D.SoftmaxTransform(),
  lower_cholesky: () => new D.LowerCholeskyTransform(),
  corr_cholesky: () => new D.CorrCholeskyTransform(),
  cat: () => new D.CatTransform([new D.ExpTransform(), new D.AffineTransform(0, 2)], 1, [1, 2]),
  cat_event: () =>
    new D.CatTransform(
      [new D.IndependentTransform(new D.ExpTransform(), 1), new D.IndependentTransform(new D.SigmoidTransform(), 1)],
      0,
      [1, 1],
    ),
  stack: () => new D.StackTransform([new D.ExpTransform(), new D.SigmoidTransform(), new D.TanhTransform()], 1),
  cdf: (p) => new D.CumulativeDistributionTransform(new D.Normal(p.loc!, 2)),
  inv_sigmoid: () => new D.SigmoidTransform().inv,
}

interface TransformCase {
  params: Record<string, Enc>
  y_inv: Enc | null
  repr: string
  bijective: boolean
  domain: string
  codomain: string
  domain_event_dim: number
  codomain_event_dim: number
  forward: Measured
  inverse?: Measured
  ladj: Measured | null
  sign: Enc | null
  forward_shape: number[]
  inverse_shape: number[]
}

describe('transforms against PyTorch 1.13', () => {
  const cases = fixture.transforms as unknown as Record<string, TransformCase>
  for (const [name, c] of Object.entries(cases)) {
    it(name, () => {
      const ps = leaves(c.params)
      const x = ps.x!
      const t = TRANSFORMS[name]!(ps)
      expect(String(t)).toBe(c.repr)
      expect(t.bijective).toBe(c.bijective)
      expect(String(t.domain)).toBe(c.domain)
      expect(String(t.codomain)).toBe(c.codomain)
      expect([t.domain.event_dim, t.codomain.event_dim]).toEqual([c.domain_event_dim, c.codomain_event_dim])
      check(`${name} forward`, ps, () => t(x), c.forward, 1e-9)
      const y = t(x)
      expect([...t.forward_shape(x.shape)]).toEqual(c.forward_shape)
      expect([...t.inverse_shape(y.shape)]).toEqual(c.inverse_shape)
      if (c.inverse !== undefined) {
        const yv = c.y_inv === null ? y.detach().requires_grad_() : t64(dec(c.y_inv), true)
        check(`${name} inverse`, { ...ps, y: yv }, () => t.inv(yv), c.inverse, 1e-9)
      }
      if (c.ladj !== null) check(`${name} ladj`, ps, () => t.log_abs_det_jacobian(x, t(x)), c.ladj, 1e-9)
      // PyTorch 2.x: PowerTransform.sign is exponent.sign() (1.13 says +1)
      const sign = name === 'power' ? [1, 1, -1] : c.sign
      if (sign === null) expect(() => t.sign).toThrow(torch.NotImplementedError)
      else close(t.sign instanceof torch.Tensor ? t.sign.tolist() : t.sign, sign, 0, `${name} sign`)
    })
  }
})

interface TDCase {
  params: Record<string, Enc>
  value: Enc
  icdf_at: Enc | null
  batch_shape: number[]
  event_shape: number[]
  support: string
  has_rsample: boolean
  log_prob: Measured
  cdf?: Measured
  icdf?: Measured
  expand: number[]
}

const TD: Record<string, (p: Record<string, T>) => torch.distributions.TransformedDistribution> = {
  lognormal_form: (p) => new D.TransformedDistribution(new D.Normal(p.loc!, p.scale!), [new D.ExpTransform()]),
  sigmoid_affine: (p) =>
    new D.TransformedDistribution(new D.Normal(p.loc!, p.scale!), [
      new D.SigmoidTransform(),
      new D.AffineTransform(1, -2),
    ]),
  tanh_normal: (p) =>
    new D.TransformedDistribution(new D.Independent(new D.Normal(p.loc!, p.scale!), 1), [new D.TanhTransform()]),
  stick_breaking: (p) => new D.TransformedDistribution(new D.Normal(p.loc!, p.scale!), new D.StickBreakingTransform()),
  affine_event: (p) =>
    new D.TransformedDistribution(new D.Normal(p.loc!, p.scale!), [
      new D.AffineTransform(t64([1, 2]), t64([0.5, -3]), { event_dim: 1 }),
    ]),
  gamma_power: (p) =>
    new D.TransformedDistribution(new D.Gamma(p.concentration!, p.rate!), [new D.PowerTransform(t64(-1))]),
  uniform_exp: (p) =>
    new D.TransformedDistribution(new D.Uniform(p.low!, p.high!), [new D.ExpTransform(), new D.AffineTransform(0, -1)]),
}

describe('TransformedDistribution against PyTorch 1.13', () => {
  const cases = fixture.transformed as unknown as Record<string, TDCase>
  for (const [name, c] of Object.entries(cases)) {
    it(name, () => {
      const ps = leaves(c.params)
      const d = TD[name]!(ps)
      expect([...d.batch_shape]).toEqual(c.batch_shape)
      expect([...d.event_shape]).toEqual(c.event_shape)
      expect(String(d.support)).toBe(c.support)
      expect(d.has_rsample).toBe(c.has_rsample)
      const v = t64(dec(c.value))
      check(`${name} log_prob`, ps, () => d.log_prob(v), c.log_prob, 1e-9)
      if (c.cdf !== undefined) check(`${name} cdf`, ps, () => d.cdf(v), c.cdf, 1e-9)
      if (c.icdf !== undefined) check(`${name} icdf`, ps, () => d.icdf(t64(dec(c.icdf_at!))), c.icdf, 1e-9)
      expect([...d.expand([3, ...d.batch_shape]).batch_shape]).toEqual(c.expand)
    })
  }
  it('rsample through a tanh flow: pathwise gradient equals finite differences of the same noise', () => {
    const loc = t64([0.3, -0.4], true)
    const mk = (l: T): torch.distributions.TransformedDistribution =>
      new D.TransformedDistribution(new D.Normal(l, 0.7), [new D.TanhTransform(), new D.AffineTransform(1, 2)])
    torch.manual_seed(11)
    const s = mk(loc).rsample([3])
    const g = torch.autograd.grad(s.sum(), loc)[0]!.tolist() as number[]
    const h = 1e-6
    const f = (dl: number[]): number => {
      torch.manual_seed(11)
      return mk(t64([0.3 + dl[0]!, -0.4 + dl[1]!]))
        .rsample([3])
        .sum()
        .item() as number
    }
    close(g, [(f([h, 0]) - f([-h, 0])) / (2 * h), (f([0, h]) - f([0, -h])) / (2 * h)], 1e-7, 'rsample grad')
  })
  it('sample moments: exp of a Normal has the LogNormal mean (10⁵ draws)', () => {
    torch.manual_seed(12)
    const d = new D.TransformedDistribution(new D.Normal(t64(0.1), t64(0.4)), new D.ExpTransform())
    const s = d.sample([100_000])
    const mean = Math.exp(0.1 + 0.08)
    const sd = Math.sqrt((Math.exp(0.16) - 1) * Math.exp(0.2 + 0.16))
    expect(Math.abs((s.mean().item() as number) - mean)).toBeLessThan((5 * sd) / Math.sqrt(1e5))
    expect(s.requires_grad).toBe(false)
  })
})

describe('biject_to / transform_to against PyTorch 1.13', () => {
  const C = D.constraints
  const CONSTRAINTS: Record<string, torch.distributions.constraints.Constraint> = {
    real: C.real,
    positive: C.positive,
    nonnegative: C.nonnegative,
    greater_than: C.greater_than(1.5),
    greater_than_eq: C.greater_than_eq(-1),
    less_than: C.less_than(2),
    unit_interval: C.unit_interval,
    interval: C.interval(-1, 3),
    half_open_interval: C.half_open_interval(0.5, 1),
    simplex: C.simplex,
    real_vector: C.real_vector,
    lower_cholesky: C.lower_cholesky,
    corr_cholesky: C.corr_cholesky,
    independent_positive: C.independent(C.positive, 1),
    cat: C.cat([C.positive, C.interval(0, 1)], 0, [1, 2]),
    stack: C.stack([C.real, C.positive, C.less_than(0)], 0),
  }
  type RegCase = { repr: string; x: Enc; y: Enc; check: Enc } | { error: string }
  for (const which of ['biject_to', 'transform_to'] as const) {
    const reg = D[which]
    for (const [name, c] of Object.entries(fixture[which] as unknown as Record<string, RegCase>)) {
      it(`${which}(${name})`, () => {
        const con = CONSTRAINTS[name]!
        if ('error' in c) {
          expect(() => reg(con)).toThrow(c.error)
          return
        }
        const t = reg(con)
        expect(String(t)).toBe(c.repr)
        const y = t(t64(dec(c.x)))
        close(y.tolist(), dec(c.y), 1e-12, `${which}(${name})`)
        expect(con.check(y).tolist()).toEqual(c.check)
      })
    }
  }
  it('register overrides a rule and accepts a constraint, its class or its factory', () => {
    const reg = new D.ConstraintRegistry()
    reg.register(C.positive, () => new D.SoftplusTransform())
    expect(String(reg.call(C.greater_than(3)))).toBe('SoftplusTransform()')
    reg.register(C.interval)(() => new D.TanhTransform())
    expect(String(reg.call(C.interval(-1, 1)))).toBe('TanhTransform()')
    expect(() =>
      reg.register(42 as unknown as torch.distributions.constraints.Constraint, () => D.identity_transform),
    ).toThrow('Expected constraint to be either a Constraint subclass or instance, but got 42')
  })
})

describe('transform errors, reprs and caching', () => {
  const errs = fixture.errors as unknown as Record<string, [string, string]>
  const C = D.constraints
  const cases: Record<string, () => unknown> = {
    cache_size: () => new D.ExpTransform({ cache_size: 2 }),
    reshape: () => new D.ReshapeTransform([2], [3]),
    reshape_shape: () => new D.ReshapeTransform([2], [2, 1]).forward_shape([3]),
    td_list: () =>
      new D.TransformedDistribution(new D.Normal(0, 1), [
        new D.ExpTransform(),
        3 as unknown as torch.distributions.Transform,
      ]),
    td_shape: () => new D.TransformedDistribution(new D.Normal(0, 1), [new D.StickBreakingTransform()]),
    biject_onehot: () => D.biject_to(C.one_hot),
    biject_boolean: () => D.biject_to(C.boolean),
    transform_lc: () => D.biject_to(C.lower_cholesky),
    event_dim: () => new D.ComposeTransform([new D.ReshapeTransform([2], [2, 1])]).event_dim,
    corr_shape: () => new D.CorrCholeskyTransform().forward_shape([4]),
    independent_dims: () => new D.IndependentTransform(new D.ExpTransform(), 2)(t64([1])),
  }
  for (const [name, f] of Object.entries(cases)) it(name, () => checkError(name, f, errs[name]!))
  it('reprs', () => {
    const r = fixture.reprs
    expect(String(new D.ComposeTransform([new D.ExpTransform(), new D.AffineTransform(1, 2)]))).toBe(r.compose)
    expect(String(new D.ExpTransform().inv)).toBe(r.inverse)
    expect(String(new D.IndependentTransform(new D.ExpTransform(), 1))).toBe(r.independent)
    expect(String(new D.TransformedDistribution(new D.Normal(0, 1), [new D.ExpTransform()]))).toBe(r.td)
    expect(String(D.biject_to(C.real))).toBe(r.identity)
  })
  it('with_cache(1): the inverse of a forward result returns the input object itself', () => {
    const t = new D.ExpTransform().with_cache(1)
    const x = t64([0.5])
    const y = t(x)
    expect(t(x)).toBe(y)
    expect(t.inv(y)).toBe(x)
    const plain = new D.ExpTransform()
    expect(plain.inv(plain(x))).not.toBe(x)
    expect(new D.ExpTransform().with_cache(0)._cache_size).toBe(0)
    const c = new D.ComposeTransform([new D.ExpTransform(), new D.TanhTransform()], { cache_size: 1 })
    expect(c.parts.every((p) => p._cache_size === 1)).toBe(true)
    expect(c.inv.inv).toBe(c)
  })
  it('equality as PyTorch compares transforms', () => {
    expect(new D.ExpTransform().equals(new D.ExpTransform())).toBe(true)
    expect(new D.AffineTransform(1, 2).equals(new D.AffineTransform(1, 2))).toBe(true)
    expect(new D.AffineTransform(1, 2).equals(new D.AffineTransform(1, 3))).toBe(false)
    expect(new D.ExpTransform().inv.equals(new D.ExpTransform().inv)).toBe(true)
    expect(D.identity_transform(t64([2])).tolist()).toEqual([2])
  })
})
