/**
 * Buffer reuse in the facade's backward pass (src/torch/autograd/gradRecycle.ts): large gradients
 * only the pass holds are summed into in place and their buffers go back to the pool once consumed.
 * The tests check that it happens, that gradients stay right (from math), and that no gradient a
 * user can see — through a tensor hook, retain_grad, autograd.grad or `.grad` — is ever changed
 * or reused afterwards.
 */
import { afterEach, describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { clearBufferPool, pooledBufferBytes } from '../../src/ndarray/bufferPool'
import { setFusedBlocks } from '../../src/torch/autograd/fusedBlocks'

const N = 70_001 // large (≥ 2^16 elements: 280 KB of float32) and odd

const xs = (seed: number): number[] => Array.from({ length: N }, (_, i) => Math.sin(i * 12.9898 + seed) * 2)
const leaf = (seed: number) => torch.tensor(xs(seed), { requires_grad: true })
/** A tensor's `.grad` (set by a backward). */
const gradOf = (t: torch.Tensor): torch.Tensor => t.grad as torch.Tensor
const vals = (t: torch.Tensor): number[] => Array.from(t.detach().numpy().toTypedArray() as ArrayLike<number>)
const close = (got: number[], want: number[]): void => {
  expect(got.length).toBe(want.length)
  let worst = 0
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs((got[i] as number) - (want[i] as number)))
  expect(worst).toBeLessThan(1e-5)
}

afterEach(() => clearBufferPool())

describe('facade backward buffer reuse', () => {
  it('gives the right gradient of Σ tanh(x)·x and leaves the forward values unchanged', () => {
    clearBufferPool()
    const x = leaf(1)
    for (let step = 0; step < 3; step++) {
      // Arrange
      x.grad = null
      const t = torch.tanh(x)
      const y = t.mul(x)
      // Act: x's slot gets t·1 (t's own storage) from MulBackward0, then TanhBackward0's new
      // gradient, which the sum is written into (never into t's storage)
      y.sum().backward()
      // Assert
      close(
        vals(gradOf(x)),
        xs(1).map((v) => Math.tanh(v) + v * (1 - Math.tanh(v) ** 2)),
      )
      close(vals(t), xs(1).map(Math.tanh))
      close(
        vals(y),
        xs(1).map((v) => Math.tanh(v) * v),
      )
    }
  })

  it('pools the incoming gradient a node consumed', () => {
    clearBufferPool()
    const x = leaf(5)
    // SumBackward0's broadcast gradient is consumed by ExpBackward0 (whose result is exp(x)·1: its
    // output's storage), node by node (fused, the two nodes make no broadcast gradient at all)
    const fused = setFusedBlocks(false)
    try {
      x.exp().sum().backward()
    } finally {
      setFusedBlocks(fused)
    }
    close(
      vals(gradOf(x)),
      xs(5).map((v) => Math.fround(Math.exp(v))),
    )
    expect(pooledBufferBytes()).toBeGreaterThan(0)
  })

  it('never changes a gradient a hook kept, passed on unchanged by an add', () => {
    const x = leaf(2)
    const u = x.mul(1.5)
    const v = u.add(x.mul(0.5)) // AddBackward0 hands v's gradient to both of its edges
    let kept: torch.Tensor | null = null
    v.register_hook((g) => {
      kept = g
    })
    // u also gets 3·(gradient of w) from w = u·3: summed with v's gradient in u's slot
    v.mul(2).add(u.mul(3)).sum().backward()
    close(vals(kept as unknown as torch.Tensor), new Array<number>(N).fill(2))
    // d/dx [2(1.5x + 0.5x) + 4.5x] = 8.5
    close(vals(gradOf(x)), new Array<number>(N).fill(8.5))
  })

  it('never sums into a gradient an add passed on to both of its edges', () => {
    // Arrange: v = a + b = 5x; a's slot first gets t·1 (t's storage) from a·t, then AddBackward0
    // hands TanhBackward0's new gradient to a's and b's slots alike
    const x = leaf(6)
    const t = x.mul(0.5)
    const a = x.mul(2)
    const v = a.add(x.mul(3))
    // Act
    v.tanh().sum().add(a.mul(t).sum()).backward()
    // Assert: d/dx [Σ tanh(5x) + Σ x²] = 5(1 − tanh²(5x)) + 2x
    close(
      vals(gradOf(x)),
      xs(6).map((u) => 5 * (1 - Math.tanh(5 * u) ** 2) + 2 * u),
    )
  })

  it('keeps retain_grad and autograd.grad results of a tensor used twice', () => {
    const want = xs(3).map((v) => 3 + 4 * v) // y = Σ 3t + t², t = 2x: dy/dt = 3 + 2t
    const graph = () => {
      const x = leaf(3)
      const t = x.mul(2)
      return { x, t, y: t.mul(3).add(t.mul(t)).sum() }
    }
    const a = graph()
    const [gt] = torch.autograd.grad([a.y], [a.t])
    close(vals(gt as torch.Tensor), want)
    const b = graph()
    b.t.retain_grad()
    b.y.backward()
    close(vals(gradOf(b.t)), want)
    close(
      vals(gradOf(b.x)),
      want.map((g) => 2 * g),
    )
  })

  it('sums a leaf used twice into its .grad as before (values and version)', () => {
    const x = leaf(4)
    x.mul(2).add(x.exp()).sum().backward()
    close(
      vals(gradOf(x)),
      xs(4).map((v) => Math.fround(2 + Math.exp(v))),
    )
    expect(gradOf(x)._version).toBe(0)
  })
})
