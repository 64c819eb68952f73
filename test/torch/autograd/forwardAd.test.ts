/**
 * torch.autograd.forward_ad against PyTorch 1.13 (fixtures/forward_ad.json, written by
 * forward_ad.py beside it): primal and tangent of programs on a dual tensor, error texts; and
 * agreement with torch.func.jvp / jacfwd / hessian.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

const F = torch.nn.functional
const fwAD = torch.autograd.forward_ad
type Nested = number | Nested[]
const fx = JSON.parse(readFileSync(new URL('./fixtures/forward_ad.json', import.meta.url), 'utf8')) as {
  x: Nested
  v: Nested
  w: Nested
  programs: Record<string, { primal: Nested; tangent: Nested | null }>
  errors: Record<string, [string, string]>
}
const f64 = { dtype: torch.float64 }
const x0 = torch.tensor(fx.x, f64)
const v0 = torch.tensor(fx.v, f64)
const w = torch.tensor(fx.w, f64)

const PROGRAMS: Record<string, (x: torch.Tensor) => torch.Tensor> = {
  sin_mul: (x) => x.sin().mul(x),
  exp_div: (x) => x.exp().div(x.add(2)),
  tanh_pow: (x) => x.tanh().pow(3),
  matmul: (x) => x.matmul(w),
  softmax: (x) => F.softmax(x, { dim: 1 }),
  log_softmax: (x) => F.log_softmax(x, { dim: 0 }),
  logsumexp: (x) => x.logsumexp(1),
  sum_mean: (x) => x.sum(0).add(x.mean(1, { keepdim: true })),
  linear: (x) => F.linear(x, w.t(), torch.ones(4, f64)),
  relu_sigmoid: (x) => F.relu(x.sub(0.6)).add(torch.sigmoid(x)),
  index_view: (x) => x.select(0, 1).narrow(0, 1, 2).mul(x.t().select(0, 0).select(0, 0)),
  cumsum_sort: (x) => x.cumsum(1).add(x.sort({ dim: 1 }).values),
  norm: (x) => torch.linalg.vector_norm(x, { dim: 1 }),
  where_max: (x) => torch.where(x.gt(1), x.mul(x), x.neg()).add(x.max()),
  conv1d: (x) => F.conv1d(x.unsqueeze(0), torch.ones(2, 2, 2, f64), { padding: 1 }),
  inplace: (x) => torch.zeros(2, 3, f64).add_(x).mul_(2),
}

const close = (t: torch.Tensor | null, want: Nested | null, what: string): void => {
  if (want === null) {
    expect(t, what).toBe(null)
    return
  }
  expect(t, what).not.toBe(null)
  const w = torch.tensor(want, f64)
  expect(String((t as torch.Tensor).shape), what).toBe(String(w.shape))
  expect(torch.allclose(t as torch.Tensor, w, { rtol: 1e-10, atol: 1e-12 }), what).toBe(true)
}

describe('forward_ad against PyTorch', () => {
  for (const [name, want] of Object.entries(fx.programs)) {
    it(name, () => {
      const f = PROGRAMS[name] as (x: torch.Tensor) => torch.Tensor
      fwAD.dual_level(() => {
        const { primal, tangent } = fwAD.unpack_dual(f(fwAD.make_dual(x0, v0)))
        close(primal, want.primal, `${name} primal`)
        close(tangent, want.tangent, `${name} tangent`)
      })
    })
  }

  it('raises PyTorch errors', () => {
    expect(() => fwAD.make_dual(x0, v0)).toThrow(fx.errors.no_level?.[1])
    fwAD.dual_level(() => {
      expect(() => fwAD.make_dual(x0, torch.ones(3, f64))).toThrow(fx.errors.size?.[1])
      expect(() => fwAD.make_dual(torch.ones(2, { dtype: torch.int64 }), torch.ones(2))).toThrow(
        fx.errors.int_primal?.[1],
      )
      expect(() => fwAD.enter_dual_level()).toThrow(fx.errors.nested?.[1])
      const z = fwAD.make_dual(x0.add(1), v0)
      expect(() => torch.special.zeta(z, torch.ones(2, 3, f64))).toThrow(fx.errors.zeta?.[1])
    })
    expect(() => fwAD.exit_dual_level()).toThrow(/not the last one/)
  })

  it('levels: enter/exit, the context object, tangents dropped at exit, gradients still recorded', () => {
    const ctx = fwAD.dual_level()
    expect(ctx.enter()).toBe(0)
    const leaf = x0.clone().requires_grad_()
    const y = fwAD.make_dual(leaf, v0).exp()
    expect(fwAD.unpack_dual(y).tangent?.allclose(x0.exp().mul(v0))).toBe(true)
    ctx.exit()
    expect(fwAD.unpack_dual(y).tangent).toBe(null)
    y.sum().backward()
    expect(leaf.grad?.allclose(x0.exp())).toBe(true)
    const decorated = fwAD.dual_level()((a: torch.Tensor) => fwAD.unpack_dual(fwAD.make_dual(a, a).mul(a)).tangent)
    // only the first operand is dual: the tangent is a · a
    expect(decorated(x0)?.allclose(x0.mul(x0))).toBe(true)
  })
})

describe('torch.func forward-mode transforms agree with forward_ad', () => {
  const f = (x: torch.Tensor): torch.Tensor => x.sin().mul(x).sum(1)
  it('jvp, jacfwd, hessian', () => {
    const viaDual = fwAD.dual_level(() => fwAD.unpack_dual(f(fwAD.make_dual(x0, v0))).tangent)
    const [, jv] = torch.func.jvp(f, [x0], [v0]) as [torch.Tensor, torch.Tensor]
    expect(jv.allclose(viaDual as torch.Tensor)).toBe(true)
    const J = torch.func.jacfwd(f)(x0) as torch.Tensor
    expect(String(J.shape)).toBe('torch.Size([2, 2, 3])')
    expect(J.mul(v0).sum([1, 2]).allclose(jv)).toBe(true)
    const g = (x: torch.Tensor): torch.Tensor => x.sin().mul(x).sum()
    const H = torch.func.hessian(g)(x0) as torch.Tensor
    // H v = d/dε ∇g(x + εv), ∇g = sin x + x cos x elementwise, so H is diagonal with 2cos x − x sin x
    const hv = fwAD.dual_level(() => {
      const x = fwAD.make_dual(x0, v0)
      return fwAD.unpack_dual(x.sin().add(x.mul(x.cos()))).tangent as torch.Tensor
    })
    expect(H.mul(v0).sum([2, 3]).allclose(hv)).toBe(true)
    expect(hv.allclose(x0.cos().mul(2).sub(x0.mul(x0.sin())).mul(v0))).toBe(true)
  })
})
