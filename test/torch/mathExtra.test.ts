/**
 * The element-wise functions of src/torch/methods/mathExtra.ts and torch.special against real
 * PyTorch 1.13 (fixtures/math_extra.py writes fixtures/math_extra.json): values, node names and
 * the gradients of Σ out·W (W = sin(0.37k) + 0.5), float64, on inputs with edge values.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { sinWeights } from '../helpers/sinWeights'
import fixture from './fixtures/math_extra.json'

type Enc = number | string | boolean | null | Enc[]
const dec = (v: Enc): unknown =>
  Array.isArray(v) ? v.map(dec) : v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v

type T = torch.Tensor
const sp = torch.special

/** The programs of fixtures/math_extra.py, by case name. */
const CASES: Record<string, (...a: T[]) => T> = {
  logaddexp: (x, y) => torch.logaddexp(x!, y!),
  logaddexp_big: (x, y) => torch.logaddexp(x!.mul(400), y!.mul(400)),
  logaddexp2: (x, y) => torch.logaddexp2(x!, y!),
  hypot: (x, y) => torch.hypot(x!, y!),
  hypot_big: (x, y) => torch.hypot(x!.mul(1e200), y!.mul(1e200)),
  fmod: (x, y) => torch.fmod(x!, y!),
  fmod_scalar: (x) => torch.fmod(x!, 1.5),
  remainder: (x, y) => torch.remainder(x!, y!),
  copysign: (x, y) => torch.copysign(x!, y!),
  sgn: (x) => torch.sgn(x!),
  frac: (x) => torch.frac(x!),
  fix: (x) => torch.fix(x!),
  deg2rad: (x) => torch.deg2rad(x!),
  rad2deg: (x) => torch.rad2deg(x!),
  exp2: (x) => torch.exp2(x!),
  erfc: (x) => torch.erfc(x!),
  erfinv: (p) => torch.erfinv(p!.mul(2).sub(1)),
  lgamma: (x) => torch.lgamma(x!),
  digamma: (x) => torch.digamma(x!),
  polygamma1: (x) => torch.polygamma(1, x!),
  polygamma3: (x) => torch.polygamma(3, x!),
  mvlgamma: (x) => torch.mvlgamma(x!.add(2), 3),
  i0: (x) => torch.i0(x!),
  sinc: (x) => torch.sinc(x!),
  logit: (p) => torch.logit(p!),
  logit_eps: (p) => torch.logit(p!, 0.1),
  xlogy: (x, p) => torch.xlogy(x!, p!),
  float_power: (x) => torch.float_power(x!, 3),
  float_power_t: (p, y) => torch.float_power(p!, y!),
  special_erfcx: (x) => sp.erfcx(x!.mul(10)),
  special_i0e: (x) => sp.i0e(x!),
  special_i1: (x) => sp.i1(x!),
  special_i1e: (x) => sp.i1e(x!),
  special_xlog1py: (x, p) => sp.xlog1py(x!, p!),
  special_entr: (p) => sp.entr(p!),
  special_log_ndtr: (x) => sp.log_ndtr(x!.mul(5)),
  special_ndtr: (x) => sp.ndtr(x!),
  special_ndtri: (p) => sp.ndtri(p!),
  special_zeta: (x, p) => sp.zeta(x!.add(1.5), p!),
  special_gammainc: (x, p) => sp.gammainc(x!, p!),
  special_gammaincc: (x, p) => sp.gammaincc(x!, p!),
  special_expit: (x) => sp.expit(x!),
  special_gammaln: (x) => sp.gammaln(x!),
  special_multigammaln: (x) => sp.multigammaln(x!.add(2), 2),
}

/**
 * PyTorch 1.13's digamma/polygamma are accurate to ~5e-10 relative at these points (polygamma(1,
 * 0.9): PyTorch 1.922539960375435, mpmath 1.9225399594772, wengert 1.922539959477204).
 */
const RTOL: Readonly<Record<string, number>> = { digamma: 2e-9, polygamma1: 2e-9, polygamma3: 2e-9, mvlgamma: 2e-9 }

const close = (got: unknown, want: unknown, what: string, rtol = 1e-10): void => {
  const g = (got as number[]).flat(4) as number[]
  const w = (want as number[]).flat(4) as number[]
  expect(g.length, what).toBe(w.length)
  g.forEach((v, i) => {
    const e = w[i]!
    if (Number.isNaN(e) || !Number.isFinite(e)) expect(v, `${what}[${i}]`).toBe(e)
    else expect(Math.abs(v - e), `${what}[${i}]: ${v} vs ${e}`).toBeLessThanOrEqual(1e-12 + rtol * Math.abs(e))
  })
}

const inputs = fixture.inputs as Record<string, number[]>

describe('element-wise extras and torch.special against PyTorch 1.13', () => {
  it.each(Object.keys(fixture.cases))('%s', (name) => {
    const c = (fixture.cases as Record<string, { args: string[]; value: Enc; node: string | null; grads: Enc[] }>)[
      name
    ]!
    // an input PyTorch has no derivative for (zeta's s, igamma's a) does not require grad here
    const leaves = c.args.map((a, i) =>
      torch.tensor(inputs[a]!, { dtype: torch.float64, requires_grad: c.grads[i] !== null }),
    )
    const rtol = RTOL[name]
    const y = CASES[name]!(...leaves)
    close(y.tolist(), dec(c.value), `${name} value`, rtol)
    // special.ndtr is composed as PyTorch composes it (its node is MulBackward1 in 1.13 and 2.x)
    expect(y.grad_fn?.name() ?? null).toBe(c.node)
    const want = c.grads.map((g, i) => [i, g] as const).filter(([, g]) => g !== null)
    const got = torch.autograd.grad(
      [y.mul(sinWeights([...y.shape])).sum()],
      want.map(([i]) => leaves[i]!),
      { allow_unused: true },
    )
    want.forEach(([i, g], k) => close(got[k]!.tolist(), dec(g), `${name} grad ${i}`, rtol))
  })
})

describe('edge values against PyTorch 1.13', () => {
  const e = fixture.edges
  const input = torch.tensor(dec(e.input as Enc) as number[], { dtype: torch.float64 })
  it('nan_to_num (float64, float32, explicit values)', () => {
    close(torch.nan_to_num(input).tolist(), dec(e.nan_to_num as Enc), 'f64')
    close(torch.nan_to_num(input.float()).double().tolist(), dec(e.nan_to_num_f32 as Enc), 'f32')
    close(torch.nan_to_num(input, { nan: 1.5, posinf: 9, neginf: -9 }).tolist(), dec(e.nan_to_num_kw as Enc), 'kw')
  })
  it('signbit, isposinf, isneginf, heaviside', () => {
    expect(torch.signbit(input).tolist()).toEqual(e.signbit)
    expect(torch.isposinf(input).tolist()).toEqual(e.isposinf)
    expect(torch.isneginf(input).tolist()).toEqual(e.isneginf)
    close(
      torch.heaviside(input, torch.tensor([0.5], { dtype: torch.float64 })).tolist(),
      dec(e.heaviside as Enc),
      'heaviside',
    )
  })
  it('logaddexp and hypot at infinities and NaN; copysign of zeros; sinc; fmod of integers; xlogy at 0', () => {
    close(torch.logaddexp(input, input).tolist(), dec(e.logaddexp_inf as Enc), 'logaddexp')
    close(torch.hypot(input, torch.tensor(NaN, { dtype: torch.float64 })).tolist(), dec(e.hypot_inf as Enc), 'hypot')
    close(
      torch.copysign(torch.ones(8, { dtype: torch.float64 }), input).tolist(),
      dec(e.copysign_zero as Enc),
      'copysign',
    )
    close(torch.sinc(torch.tensor([0, 1, -2, 0.5], { dtype: torch.float64 })).tolist(), dec(e.sinc_zero as Enc), 'sinc')
    expect(torch.fmod(torch.tensor([7, -7, 7, -7]), torch.tensor([2, 2, -2, -2])).tolist()).toEqual(e.fmod_int)
    close(
      torch
        .xlogy(torch.tensor([0, 0, 1], { dtype: torch.float64 }), torch.tensor([0, NaN, 0], { dtype: torch.float64 }))
        .tolist(),
      dec(e.xlogy_zero as Enc),
      'xlogy',
    )
  })
  it('mvlgamma below (p-1)/2 is log|Γ| summed, +inf at the poles (no domain check)', () => {
    const x = torch.tensor([0.25, 0, -0.75], { dtype: torch.float64 })
    const y = torch.mvlgamma(x, 2).tolist() as number[]
    // log Γ₂(x) = log(π)/2 + lgamma(x) + lgamma(x − 1/2)
    const want = torch
      .lgamma(x)
      .add(torch.lgamma(x.sub(0.5)))
      .add(Math.log(Math.PI) / 2)
      .tolist() as number[]
    expect(y[0]).toBeCloseTo(want[0] as number, 12)
    expect(y[1]).toBe(Infinity)
    expect(y[2]).toBeCloseTo(want[2] as number, 12)
  })
  it('bad input raises PyTorch errors', () => {
    expect(() => torch.polygamma(-1, input)).toThrow(/polygamma\(n, x\) does not support negative n/)
    // PyTorch 2.x checks only the dtype and p (no domain check: see the mvlgamma case below)
    expect(() => torch.mvlgamma(torch.tensor([true]), 2)).toThrow('The input tensor may not be a boolean tensor.')
    expect(() => torch.mvlgamma(torch.tensor([1.5]), 0)).toThrow('p has to be greater than or equal to 1')
    expect(() => torch.heaviside(input, torch.tensor([1], { dtype: torch.float32 }))).toThrow(/different dtypes/)
  })
})
