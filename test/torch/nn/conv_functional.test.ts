/**
 * F.conv1d/2d/3d and F.conv_transpose1d against PyTorch 1.13 forward values and gradients
 * (test/ops/fixtures/conv.json, from test/ops/fixtures/conv.py), node names, 'same' padding,
 * unbatched input, gradgradcheck, and PyTorch's error texts.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import * as nn from '../../../src/torch/nn/index'
import { convFixture } from '../../helpers/convFixture'

const F = nn.functional
const { gradcheck, gradgradcheck } = torch.autograd

const fx = convFixture

const t64 = (xs: number[], shape: number[], requires_grad = false): torch.Tensor =>
  torch.tensor(xs, { dtype: torch.float64 }).reshape(shape).detach().requires_grad_(requires_grad)
const flat = (t: torch.Tensor): number[] => {
  const v = t.tolist()
  return Array.isArray(v) ? (v.flat(5) as number[]) : [v as number]
}
const close = (t: torch.Tensor, expected: number[]): void => {
  const got = flat(t)
  expect(got.length).toBe(expected.length)
  got.forEach((v, i) => expect(Math.abs(v - (expected[i] as number))).toBeLessThan(1e-10))
}

const fns: Record<string, (x: torch.Tensor, w: torch.Tensor, kw: Record<string, unknown>) => torch.Tensor> = {
  'conv2d stride pad dilation': (x, w, kw) => F.conv2d(x, w, kw),
  'conv2d groups': (x, w, kw) => F.conv2d(x, w, kw),
  conv1d: (x, w, kw) => F.conv1d(x, w, kw),
  conv3d: (x, w, kw) => F.conv3d(x, w, kw),
  conv_transpose1d: (x, w, kw) => F.conv_transpose1d(x, w, kw),
}

describe('convolutions vs PyTorch 1.13', () => {
  it.each(fx.convs.map((c) => [c.name, c] as const))('%s: value, gradients, node name', (name, c) => {
    const x = t64(c.x, c.xShape, true)
    const w = t64(c.w, c.wShape, true)
    const y = (fns[name] as (typeof fns)[string])(x, w, c.kw)
    expect(String(y.shape)).toBe(`torch.Size([${c.yShape.join(', ')}])`)
    close(y, c.y)
    expect(y.grad_fn?.name()).toBe('ConvolutionBackward0')
    y.mul(t64(c.cot, c.yShape)).sum().backward()
    close(x.grad as torch.Tensor, c.gx)
    close(w.grad as torch.Tensor, c.gw)
  })

  it('bias, unbatched input and second order (gradgradcheck)', () => {
    const x = torch.rand(2, 5, 4, { dtype: torch.float64, requires_grad: true })
    const w = torch.rand(3, 1, 2, 2, { dtype: torch.float64, requires_grad: true })
    const b = torch.rand(3, { dtype: torch.float64, requires_grad: true })
    const f = (xx: torch.Tensor, ww: torch.Tensor, bb: torch.Tensor): torch.Tensor =>
      F.conv2d(xx, ww, bb, 2, 1, 1, 1).tanh()
    expect(() => F.conv2d(x, w)).toThrow(/expected input\[1, 2, 5, 4\] to have 1 channels, but got 2 channels/)
    const x1 = torch.rand(1, 5, 4, { dtype: torch.float64, requires_grad: true })
    expect(String(f(x1, w, b).shape)).toBe('torch.Size([3, 3, 3])')
    expect(gradcheck(f, [x1, w, b])).toBe(true)
    expect(gradgradcheck(f, [x1, w, b])).toBe(true)
  })

  it("padding='same' keeps the size (odd padding on the right), and errors match PyTorch", () => {
    const x = torch.ones(1, 1, 5)
    expect(flat(F.conv1d(x, torch.ones(1, 1, 4), { padding: 'same' }))).toEqual([3, 4, 4, 3, 2])
    expect(() => F.conv2d(torch.ones(28, 28), torch.ones(1, 1, 3, 3))).toThrow(
      'Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [28, 28]',
    )
    expect(() => F.conv1d(x, torch.ones(1, 1, 2), { padding: 'same', stride: 2 })).toThrow(
      "padding='same' is not supported for strided convolutions",
    )
    expect(() => F.conv2d(torch.ones(1, 1, 2, 2), torch.ones(1, 1, 3, 3))).toThrow(
      "Calculated padded input size per channel: (2 x 2). Kernel size: (3 x 3). Kernel size can't be greater than actual input size",
    )
    expect(() => F.conv2d(torch.ones(1, 4, 3, 3), torch.ones(3, 2, 1, 1), { groups: 2 })).toThrow(
      'Given groups=2, expected weight to be divisible by 2 at dimension 0, but got weight of size [3, 2, 1, 1] instead',
    )
  })
})
