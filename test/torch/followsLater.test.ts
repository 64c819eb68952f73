/**
 * Gradients where PyTorch 1.13's backward raises and 2.x (which the facade follows) returns one
 * (difftest classes D56 and D57), and a gradient 2.x computes in the result's precision where 1.13
 * rounded it to float32 (D87). Expected values: calculus and float64 central differences.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

const f64 = { dtype: torch.float64 }

describe('gradients 2.x gives where 1.13 raises', () => {
  it('D56: linalg.solve of a 1×1 matrix and a vector: gradients in the shapes of A and b', () => {
    const [a, c] = [2.5, -1.5]
    const A = torch.tensor([[a]], { ...f64, requires_grad: true })
    const b = torch.tensor([c], { ...f64, requires_grad: true })
    torch.linalg.solve(A, b).pow(2).sum().backward()
    // x = c/a, loss = x²: d/da = -2c²/a³, d/dc = 2c/a²
    expect(A.grad?.shape).toEqual([1, 1])
    expect(b.grad?.shape).toEqual([1])
    expect(A.grad?.item()).toBeCloseTo((-2 * c * c) / a ** 3, 14)
    expect(b.grad?.item()).toBeCloseTo((2 * c) / a ** 2, 14)
  })

  it('D56: a batch of 1×1 matrices with a batch of vectors', () => {
    const A = torch.tensor([[[2]], [[-4]]], { ...f64, requires_grad: true })
    const b = torch.tensor([[1], [3]], f64)
    torch.linalg.solve(A, b).sum().backward()
    expect(A.grad?.shape).toEqual([2, 1, 1])
    expect(A.grad?.flatten().tolist()).toEqual([-1 / 4, -3 / 16])
  })

  it('D57: group_norm with a bias and no weight: bias and input gradients', () => {
    const xs = [0.5, -1.25, 2, 0.75, 1.5, -0.5]
    const u = torch.tensor(
      [
        [1, -2, 0.5],
        [0.25, 3, -1],
      ],
      f64,
    )
    const loss = (x: torch.Tensor, bias: torch.Tensor): torch.Tensor =>
      torch.nn.functional.group_norm(x.reshape(2, 3), 1, { bias }).mul(u).sum()
    const x = torch.tensor(xs, { ...f64, requires_grad: true })
    const bias = torch.tensor([0, -0.25, 0.5], { ...f64, requires_grad: true })
    loss(x, bias).backward()
    // the bias gradient sums the upstream gradient over the batch
    expect(bias.grad?.tolist()).toEqual([1.25, 1, -0.5])
    const h = 1e-6
    const at = (k: number, d: number): number => {
      const v = [...xs]
      v[k] = (v[k] as number) + d
      return Number(loss(torch.tensor(v, f64), bias.detach()).item())
    }
    const fd = xs.map((_, k) => (at(k, h) - at(k, -h)) / (2 * h))
    const g = x.grad?.tolist() as number[]
    g.forEach((v, k) => expect(v).toBeCloseTo(fd[k] as number, 6))
  })

  it('D87: pow(int base, float64 exponent): the exponent gradient b^e·ln b in float64, not through a float32 log', () => {
    const bases = [3, 5, 2, 7]
    const es = [0.5, 1.5, 2, -0.25]
    const e = torch.tensor(es, { ...f64, requires_grad: true })
    torch.pow(torch.tensor(bases), e).sum().backward()
    const want = bases.map((b, k) => b ** (es[k] as number) * Math.log(b))
    // PyTorch 1.13 gives 1.9028523361463392 for 3^0.5 (ln 3 rounded to float32), 3.4e-8 off
    ;(e.grad?.tolist() as number[]).forEach((v, k) => expect(v).toBeCloseTo(want[k] as number, 14))
  })
})
