import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { dirichletGrad } from '../../src/ndarray/kernels/special/dirichletReparam'
import { standardGammaGrad } from '../../src/ndarray/kernels/special/gammaReparam'
import { randomGammaGrad } from '../../src/ndarray/kernels/special/gammaGrad'
import * as torch from '../../src/torch'

// PyTorch 1.13's torch._standard_gamma_grad / torch._dirichlet_grad (scripts/fixtures/gamma_reparam.py)
const here = dirname(fileURLToPath(import.meta.url))
const fx = JSON.parse(readFileSync(join(here, '../fixtures/special/gamma_reparam.json'), 'utf8')) as {
  gamma: Array<[string, number, number, number]>
  dirichlet: Array<[string, number, number, number, number]>
}
const tol = (dtype: string): number => (dtype === 'float32' ? 4e-7 : 1e-12)
const close = (ours: number, want: number, rel: number): boolean =>
  ours === want || Math.abs(ours - want) <= rel * Math.abs(want)

describe("PyTorch's approximate reparameterised gradients", () => {
  it('standardGammaGrad matches _standard_gamma_grad on every branch, float32 and float64', () => {
    const bad = fx.gamma.filter(([dt, a, x, want]) => {
      const v = standardGammaGrad(a, x)
      return !close(dt === 'float32' ? Math.fround(v) : v, want, tol(dt))
    })
    expect(bad).toEqual([])
    expect(fx.gamma.length).toBeGreaterThan(100)
  })
  it('differs from the exact implicit derivative where PyTorch does (the point of matching it)', () => {
    const far = fx.gamma.filter(([, a, x, want]) => !close(randomGammaGrad(a, x), want, 1e-6))
    expect(far.length).toBeGreaterThan(10)
  })
  it('dirichletGrad matches _dirichlet_grad on every branch, float32 and float64', () => {
    const bad = fx.dirichlet.filter(
      ([dt, x, a, t, want]) => !close(dirichletGrad(x, a, t, dt === 'float32'), want, 4 * tol(dt)),
    )
    expect(bad).toEqual([])
  })
  it('Dirichlet.rsample records one _DirichletBackward node; Gamma.rsample StandardGammaBackward0', () => {
    torch.manual_seed(3)
    const c = torch.tensor([1.5, 2.5, 0.75], { requires_grad: true })
    const x = new torch.distributions.Dirichlet(c).rsample()
    expect(x.grad_fn?.name()).toBe('_DirichletBackward')
    const g = new torch.distributions.Gamma(c, torch.tensor(1.0)).rsample()
    expect(g.grad_fn?.next_functions[0]?.[0]?.name()).toBe('StandardGammaBackward0')
  })
})
