/**
 * What porting public programs (test/torch/ports) found missing: multinomial's keyword
 * `num_samples` (nanoGPT's generate), factories' `device` keyword checked as PyTorch checks it.
 * Error texts: PyTorch 1.13 (`torch.zeros(2, device='cuda')` on a CPU build, `device='xyz'`).
 */
import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'

describe('multinomial keywords', () => {
  it('takes num_samples and replacement by keyword, with the same draws as positionally', () => {
    // Arrange
    const probs = torch.tensor([
      [0.1, 0.2, 0.7],
      [0.5, 0.25, 0.25],
    ])
    // Act
    torch.manual_seed(3)
    const a = torch.multinomial(probs, 4, true)
    torch.manual_seed(3)
    const b = torch.multinomial(probs, { num_samples: 4, replacement: true })
    torch.manual_seed(3)
    const c = probs.multinomial({ num_samples: 4, replacement: true })
    // Assert
    expect(b.shape).toEqual([2, 4])
    expect(b.tolist()).toEqual(a.tolist())
    expect(c.tolist()).toEqual(a.tolist())
  })

  it('raises the parser errors for a missing or doubled num_samples', () => {
    const p = torch.tensor([0.5, 0.5])
    expect(() => (torch.multinomial as (...a: unknown[]) => unknown)(p)).toThrow(
      'multinomial() missing 1 required positional arguments: "num_samples"',
    )
    expect(() => (torch.multinomial as (...a: unknown[]) => unknown)(p, 1, { num_samples: 1 })).toThrow(
      "multinomial() got multiple values for argument 'num_samples'",
    )
  })
})

describe('factory device keyword', () => {
  it('accepts the CPU by name, by torch.device and as a tensor.device', () => {
    const x = torch.zeros(2)
    expect(torch.arange(0, 3, { dtype: torch.long, device: x.device }).tolist()).toEqual([0, 1, 2])
    expect(torch.ones(2, { device: torch.device('cpu') }).tolist()).toEqual([1, 1])
    expect(torch.full([1], 2, { device: 'cpu' }).tolist()).toEqual([2])
    expect(torch.zeros(1, { device: null }).tolist()).toEqual([0])
  })

  it('raises PyTorch errors for CUDA and unknown devices instead of ignoring them', () => {
    expect(() => torch.zeros(2, { device: 'cuda' })).toThrow(torch.AssertionError)
    expect(() => torch.zeros(2, { device: 'cuda' })).toThrow('Torch not compiled with CUDA enabled')
    expect(() => torch.arange(3, { device: torch.device('cuda:0') })).toThrow('Torch not compiled with CUDA enabled')
    expect(() => torch.randn(2, { device: 'xyz' })).toThrow(
      'Expected one of cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, ort, xla, lazy, vulkan, mps, meta, hpu, privateuseone device type at start of device string: xyz',
    )
    expect(() => torch.randperm(3, { device: 'cuda' })).toThrow('Torch not compiled with CUDA enabled')
  })
})

describe('mean rounds as PyTorch does', () => {
  it('sums then divides (float32 [1×9, 0].mean() is 0.89999998, as PyTorch)', () => {
    const t = torch.tensor([1, 1, 1, 1, 1, 1, 1, 1, 1, 0])
    // PyTorch 1.13: torch.tensor([1.,1,1,1,1,1,1,1,1,0]).mean().item() == 0.8999999761581421
    expect(t.mean().item()).toBe(0.8999999761581421)
    expect(t.mean(0).item()).toBe(0.8999999761581421)
    expect(t.reshape(1, 10).mean(1, { keepdim: true }).tolist()).toEqual([[0.8999999761581421]])
  })

  it('keeps the gradient grad.expand(…) / n, under create_graph and forward AD too', () => {
    const x = torch.tensor(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { dtype: torch.float64, requires_grad: true },
    )
    const [g] = torch.autograd.grad(x.pow(2).mean(1).sum(), [x], { create_graph: true })
    const want = [2 / 3, 4 / 3, 2, 8 / 3, 10 / 3, 4]
    ;(g!.reshape(-1).tolist() as number[]).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 14))
    expect(g!.grad_fn).not.toBeNull()
    const [, t] = torch.func.jvp(
      (a: torch.Tensor) => a.mean(0),
      [x.detach()],
      [torch.ones(2, 3, { dtype: torch.float64 })],
    )
    expect((t as torch.Tensor).tolist()).toEqual([1, 1, 1])
  })
})
