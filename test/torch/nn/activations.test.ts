/**
 * Activation layers against PyTorch 1.13 (test/fixtures/torch/nn_core/activations.json, written
 * by activations.py beside it): output, node name, repr and the gradient of sum(y · r).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

const { nn } = torch
const F = nn.functional
type Nested = number | Nested[]
interface Case {
  y: Nested
  grad_fn: string
  dx: Nested
  repr: string
  dw?: Nested
}
const fx = JSON.parse(
  readFileSync(new URL('../../fixtures/torch/nn_core/activations.json', import.meta.url), 'utf8'),
) as { x: Nested; r: Nested; cases: Record<string, Case> }

const f64 = (v: Nested): torch.Tensor => torch.tensor(v as number[], { dtype: torch.float64 })
const close = (a: torch.Tensor | null | undefined, b: Nested, tol = 1e-12): void => {
  expect(a).toBeTruthy()
  expect((a as torch.Tensor).sub(f64(b)).abs().max().item()).toBeLessThan(tol)
}

type Layer = torch.nn.Module & { forward(x: torch.Tensor): torch.Tensor }
const makers: Record<string, () => Layer> = {
  // (each maker's arguments are PyTorch's for the case's name)
  'SiLU()': () => nn.SiLU(),
  'Mish()': () => nn.Mish(),
  'ELU()': () => nn.ELU(),
  'ELU(0.5)': () => nn.ELU(0.5),
  'SELU()': () => nn.SELU(),
  'CELU(2.0)': () => nn.CELU(2.0),
  "GELU('tanh')": () => nn.GELU({ approximate: 'tanh' }),
  'Softplus(2, 3)': () => nn.Softplus(2, 3),
  'Softsign()': () => nn.Softsign(),
  'Hardtanh(-2.0, 1.5)': () => nn.Hardtanh(-2.0, 1.5),
  'ReLU6()': () => nn.ReLU6(),
  'Hardswish()': () => nn.Hardswish(),
  'Hardsigmoid()': () => nn.Hardsigmoid(),
  'PReLU(4, 0.3)': () => nn.PReLU(4, 0.3, { dtype: torch.float64 }),
  'GLU(1)': () => nn.GLU(1),
  'LogSigmoid()': () => nn.LogSigmoid(),
  'Softmin(1)': () => nn.Softmin(1),
  'Threshold(0.1, 20)': () => nn.Threshold(0.1, 20),
  'Tanhshrink()': () => nn.Tanhshrink(),
  'Softshrink(0.7)': () => nn.Softshrink(0.7),
  'Hardshrink(0.7)': () => nn.Hardshrink(0.7),
}

/** Reprs that differ only because JavaScript has one number type (PyTorch prints the int it was given). */
const jsRepr: Record<string, string> = { 'Hardtanh(-2.0, 1.5)': 'Hardtanh(min_val=-2.0, max_val=1.5)' }
/** PyTorch 1.13's CPU hardsigmoid uses the float constant 1/6 even for float64 (error ≈ 6e-8). */
const tolerance: Record<string, number> = { 'Hardsigmoid()': 1e-7 }

describe('activation layers against PyTorch', () => {
  for (const [name, c] of Object.entries(fx.cases)) {
    it(name, () => {
      const m = (makers[name] as () => Layer)()
      const x = f64(fx.x).requires_grad_(true)
      const y = m(x)
      const r = f64(fx.r)
      y.mul(name === 'GLU(1)' ? r.narrow(1, 0, 2) : r)
        .sum()
        .backward()
      const tol = tolerance[name] ?? 1e-12
      close(y, c.y, tol)
      expect(y.grad_fn?.name()).toBe(c.grad_fn)
      close(x.grad, c.dx, tol)
      if (c.dw !== undefined) close(m.get_parameter('weight').grad, c.dw)
      expect(String(m)).toBe(jsRepr[name] ?? c.repr)
    })
  }
})

describe('activation errors and in-place forms', () => {
  it('raise PyTorch’s messages', () => {
    expect(() => nn.GLU()(torch.randn(3, 3))).toThrow('Halving dimension must be even, but dimension 1 is size 3')
    expect(() => nn.PReLU(3)(torch.randn(2, 4))).toThrow(
      'Mismatch of parameter numbers and input channel size. Found parameter numbers = 3 and channel size = 4.',
    )
    expect(() => nn.Threshold(0.1)).toThrow("Threshold.__init__() missing 1 required positional argument: 'value'")
  })
  it('in place: the input is overwritten and the node is PyTorch’s …Backward1', () => {
    const x = torch.tensor([-1, 2], { requires_grad: true })
    const y = x.mul(1)
    const z = F.elu(y, { inplace: true })
    expect(z).toBe(y)
    expect(z.grad_fn?.name()).toBe('EluBackward1')
    expect(y.allclose(torch.tensor([Math.expm1(-1), 2]))).toBe(true)
    z.sum().backward()
    expect(x.grad?.allclose(torch.tensor([Math.exp(-1), 1]))).toBe(true)
    expect(F.hardtanh(x.mul(1), { inplace: true }).grad_fn?.name()).toBe('HardtanhBackward0')
  })
})

describe('softplus-based activations at 0 (regression: the gradient there was 0)', () => {
  it('softplus′ = σ(x), logsigmoid′ = σ(−x), mish′(0) = tanh(ln 2), including x = 0', () => {
    const xs = [-2, 0, 0.5, 3]
    const sig = (v: number) => 1 / (1 + Math.exp(-v))
    const grad = (f: (t: torch.Tensor) => torch.Tensor): number[] => {
      const x = torch.tensor(xs, { dtype: torch.float64, requires_grad: true })
      f(x).sum().backward()
      return x.grad?.tolist() as number[]
    }
    const near = (got: number[], want: number[]) => got.forEach((g, i) => expect(g).toBeCloseTo(want[i] as number, 14))
    near(
      grad((x) => torch.nn.functional.softplus(x)),
      xs.map(sig),
    )
    near(
      grad((x) => torch.nn.functional.logsigmoid(x)),
      xs.map((v) => sig(-v)),
    )
    expect(grad((x) => torch.nn.functional.mish(x))[1]).toBeCloseTo(Math.tanh(Math.LN2), 14)
  })
})
