/**
 * Normalisation layers and functions against PyTorch 1.13 (test/fixtures/torch/nn_core/norm.json,
 * written by norm.py beside it): outputs, node names, the gradients of sum(y · r) for the input
 * and every parameter, running statistics over several training steps, then eval outputs; bad
 * shapes raise PyTorch's messages.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

const { nn } = torch
const F = nn.functional
type Nested = number | Nested[]
interface Step {
  x: Nested
  r: Nested
  y: Nested
  grad_fn: string
  dx: Nested
  grads: Record<string, Nested>
  buffers: Record<string, Nested>
}
interface Case {
  name: string
  params: Record<string, Nested>
  steps: Step[]
  eval: { x: Nested; y: Nested }
}
const fx = JSON.parse(readFileSync(new URL('../../fixtures/torch/nn_core/norm.json', import.meta.url), 'utf8')) as {
  cases: Case[]
  rms: Record<string, Nested>
  normalize: Record<string, Nested>
}

const f64 = (v: Nested): torch.Tensor => torch.tensor(v as number[], { dtype: torch.float64 })
const close = (a: torch.Tensor | null | undefined, b: Nested, tol = 1e-10): void => {
  expect(a).toBeTruthy()
  const d = (a as torch.Tensor).double().sub(f64(b)).abs().max().item()
  expect(d).toBeLessThan(tol)
}

type Layer = torch.nn.Module & { forward(x: torch.Tensor): torch.Tensor }
const makers: Record<string, () => Layer> = {
  'BatchNorm1d(3)': () => nn.BatchNorm1d(3),
  'BatchNorm1d(3) 3d': () => nn.BatchNorm1d(3),
  'BatchNorm2d(2, momentum=None)': () => nn.BatchNorm2d(2, { momentum: null }),
  'BatchNorm2d(2, affine=False, track_running_stats=False)': () =>
    nn.BatchNorm2d(2, { affine: false, track_running_stats: false }),
  'BatchNorm3d(2, eps=0.1, momentum=0.5)': () => nn.BatchNorm3d(2, 0.1, 0.5),
  'GroupNorm(2, 4)': () => nn.GroupNorm(2, 4),
  'GroupNorm(1, 3, affine=False)': () => nn.GroupNorm(1, 3, { affine: false }),
  'InstanceNorm1d(3, affine=True)': () => nn.InstanceNorm1d(3, { affine: true }),
  'InstanceNorm2d(2, track_running_stats=True)': () => nn.InstanceNorm2d(2, { track_running_stats: true }),
  'LayerNorm(5)': () => nn.LayerNorm(5),
  'LayerNorm([2, 3], elementwise_affine=False)': () => nn.LayerNorm([2, 3], { elementwise_affine: false }),
  'LocalResponseNorm(3, alpha=0.5, beta=0.75, k=2.0)': () => nn.LocalResponseNorm(3, 0.5, 0.75, 2.0),
  'LocalResponseNorm(2) 4d': () => nn.LocalResponseNorm(2),
}

describe('normalisation layers against PyTorch', () => {
  for (const c of fx.cases) {
    it(c.name, () => {
      const m = (makers[c.name] as () => Layer)().double()
      for (const [k, v] of Object.entries(c.params)) torch.no_grad(() => m.get_parameter(k).copy_(f64(v)))
      for (const s of c.steps) {
        const x = f64(s.x).requires_grad_(true)
        m.zero_grad()
        const y = m(x)
        y.mul(f64(s.r)).sum().backward()
        close(y, s.y)
        expect(y.grad_fn?.name()).toBe(s.grad_fn)
        close(x.grad, s.dx, 1e-9)
        for (const [k, g] of Object.entries(s.grads)) close(m.get_parameter(k).grad, g, 1e-9)
        const bufs = Object.fromEntries(m.named_buffers())
        expect(Object.keys(bufs)).toEqual(Object.keys(s.buffers))
        for (const [k, b] of Object.entries(s.buffers)) close(bufs[k], b)
      }
      m.eval()
      close(m(f64(c.eval.x)) as torch.Tensor, c.eval.y)
    })
  }
  it('RMSNorm (PyTorch 2.4’s formula) and F.normalize', () => {
    const n = nn.RMSNorm(4).double()
    torch.no_grad(() => n.weight?.copy_(f64(fx.rms.w as Nested)))
    const x = f64(fx.rms.x as Nested).requires_grad_(true)
    const y = n(x)
    y.mul(f64(fx.rms.r as Nested))
      .sum()
      .backward()
    close(y, fx.rms.y as Nested)
    close(x.grad, fx.rms.dx as Nested, 1e-9)
    close(n.weight?.grad, fx.rms.dw as Nested, 1e-9)
    const xn = f64(fx.normalize.x as Nested).requires_grad_(true)
    const yn = F.normalize(xn, 3, 0)
    yn.mul(f64(fx.rms.r as Nested))
      .sum()
      .backward()
    close(yn, fx.normalize.y as Nested)
    close(xn.grad, fx.normalize.dx as Nested, 1e-9)
    expect(yn.grad_fn?.name()).toBe('DivBackward0')
  })
})

describe('normalisation errors and state', () => {
  it('raise PyTorch’s messages', () => {
    expect(() => nn.BatchNorm1d(3)(torch.randn(1, 3))).toThrow(
      'Expected more than 1 value per channel when training, got input size torch.Size([1, 3])',
    )
    expect(() => nn.BatchNorm1d(3)(torch.randn(1, 3, 2, 2))).toThrow('expected 2D or 3D input (got 4D input)')
    expect(() => nn.BatchNorm2d(3)(torch.randn(1, 3, 2))).toThrow('expected 4D input (got 3D input)')
    expect(() => nn.GroupNorm(2, 3)).toThrow('num_channels must be divisible by num_groups')
    expect(() => nn.GroupNorm(2, 4)(torch.randn(2, 3, 2))).toThrow(
      'Expected number of channels in input to be divisible by num_groups, but got input of shape [2, 3, 2] and num_groups=2',
    )
    expect(() => nn.BatchNorm1d(4)(torch.randn(2, 3))).toThrow('running_mean should contain 3 elements not 4')
    expect(() => nn.InstanceNorm1d(3)(torch.randn(2, 3, 1))).toThrow(
      'Expected more than 1 spatial element when training, got input size torch.Size([2, 3, 1])',
    )
    expect(() => nn.InstanceNorm2d(3)(torch.randn(2, 3))).toThrow('expected 3D or 4D input (got 2D input)')
    expect(() => F.local_response_norm(torch.randn(2, 3), 2)).toThrow(
      'Expected 3D or higher dimensionality input (got 2 dimensions)',
    )
  })
  it('a failed training call leaves num_batches_tracked alone; state_dict holds the buffers', () => {
    const bn = nn.BatchNorm1d(3)
    expect(() => bn(torch.randn(1, 3))).toThrow(torch.TorchValueError)
    expect(bn.num_batches_tracked?.item()).toBe(0)
    expect(bn.num_batches_tracked?.dtype).toBe(torch.int64)
    expect(Object.keys(bn.state_dict())).toEqual([
      'weight',
      'bias',
      'running_mean',
      'running_var',
      'num_batches_tracked',
    ])
    expect(String(nn.BatchNorm2d(3, { momentum: null }))).toBe(
      'BatchNorm2d(3, eps=1e-05, momentum=None, affine=True, track_running_stats=True)',
    )
    expect(String(nn.GroupNorm(1, 3))).toBe('GroupNorm(1, 3, eps=1e-05, affine=True)')
  })
})
