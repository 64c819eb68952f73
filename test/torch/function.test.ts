/**
 * torch.autograd.Function, gradcheck / gradgradcheck, and torch.func.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

const list = (x: torch.Tensor | null | undefined) => x?.tolist()

class MyExp extends torch.autograd.Function {
  static override forward(ctx: torch.autograd.FunctionCtx, x: torch.Tensor): torch.Tensor {
    const y = x.exp()
    ctx.save_for_backward(y)
    return y
  }
  static override backward(ctx: torch.autograd.FunctionCtx, g: torch.Tensor): torch.Tensor {
    const [y] = ctx.saved_tensors
    return g.mul(y as torch.Tensor)
  }
}

class Scale extends torch.autograd.Function {
  static override forward(ctx: torch.autograd.FunctionCtx, x: torch.Tensor, k: number): torch.Tensor {
    ctx['k'] = k
    return x.mul(k)
  }
  static override backward(ctx: torch.autograd.FunctionCtx, g: torch.Tensor): Array<torch.Tensor | null> {
    return [g.mul(ctx['k'] as number), null]
  }
}

describe('autograd.Function', () => {
  it('records a node named <Class>Backward, runs the static backward, frees saved tensors', () => {
    const x = torch.tensor([0.0, 1.0], { dtype: torch.float64, requires_grad: true })
    const y = MyExp.apply(x) as torch.Tensor
    expect(y.grad_fn?.name()).toBe('MyExpBackward')
    expect(String(y)).toBe('tensor([1.0000, 2.7183], dtype=torch.float64, grad_fn=<MyExpBackward>)')
    const s = y.sum()
    s.backward()
    expect(list(x.grad)).toEqual([1, Math.E])
    expect(() => s.backward()).toThrow('Trying to backward through the graph a second time')
  })
  it('non-tensor arguments get null gradients; ctx holds attributes', () => {
    const x = torch.tensor([1.0, 2.0], { requires_grad: true })
    ;(Scale.apply(x, 3) as torch.Tensor).sum().backward()
    expect(list(x.grad)).toEqual([3, 3])
  })
  it('passes gradcheck and gradgradcheck with PyTorch defaults', () => {
    const x = torch.tensor([0.3, -0.7], { dtype: torch.float64, requires_grad: true })
    expect(torch.autograd.gradcheck((t: torch.Tensor) => MyExp.apply(t) as torch.Tensor, [x])).toBe(true)
    expect(torch.autograd.gradgradcheck((t: torch.Tensor) => t.pow(3).sin(), [x])).toBe(true)
    // the saved output carries the node, so the tensor-op backward differentiates again
    expect(torch.autograd.gradgradcheck((t: torch.Tensor) => MyExp.apply(t) as torch.Tensor, [x])).toBe(true)
  })
})

describe('gradcheck', () => {
  it('reports a wrong backward with both Jacobians', () => {
    class Bad extends torch.autograd.Function {
      static override forward(_: torch.autograd.FunctionCtx, x: torch.Tensor): torch.Tensor {
        return x.mul(x)
      }
      static override backward(_: torch.autograd.FunctionCtx, g: torch.Tensor): torch.Tensor {
        return g
      }
    }
    const x = torch.tensor([1.0, 2.0], { dtype: torch.float64, requires_grad: true })
    expect(() => torch.autograd.gradcheck((t: torch.Tensor) => Bad.apply(t) as torch.Tensor, [x])).toThrow(
      /^Jacobian mismatch for output 0 with respect to input 0,\nnumerical:tensor/,
    )
    expect(
      torch.autograd.gradcheck((t: torch.Tensor) => Bad.apply(t) as torch.Tensor, [x], { raise_exception: false }),
    ).toBe(false)
  })
  it('warns about float32 inputs', () => {
    const x = torch.tensor([1.0], { requires_grad: true })
    const [, w] = torch.warnings.catch_warnings(() =>
      torch.autograd.gradcheck((t: torch.Tensor) => t.mul(2), [x], { eps: 1e-2, atol: 1e-2 }),
    )
    expect(w[0]?.message).toMatch(/^Input #0 requires gradient and is not a double precision floating point or complex/)
  })
  it('checks the facade ops over a composite', () => {
    const a = torch.tensor(
      [
        [0.2, -0.4],
        [1.1, 0.5],
      ],
      { dtype: torch.float64, requires_grad: true },
    )
    const b = torch.tensor([0.3, 0.9], { dtype: torch.float64, requires_grad: true })
    const f = (x: torch.Tensor, y: torch.Tensor) => x.matmul(y).tanh().add(x.softmax(1).sum(0)).norm()
    expect(torch.autograd.gradcheck(f, [a, b])).toBe(true)
    expect(torch.autograd.gradgradcheck(f, [a, b])).toBe(true)
  })
})

describe('torch.func', () => {
  it('grad, nested grad, vjp, jvp over functions of Tensors', () => {
    const f = (x: torch.Tensor) => x.sin().sum()
    const x = torch.tensor([0.0, 1.0], { dtype: torch.float64 })
    const g = torch.func.grad(f)(x) as torch.Tensor
    expect(list(g)).toEqual([1, Math.cos(1)])
    const gg = torch.func.grad((t: torch.Tensor) => (torch.func.grad(f)(t) as torch.Tensor).sum())(x) as torch.Tensor
    expect(list(gg)).toEqual([-0, -Math.sin(1)])
    const [y, vjpFn] = torch.func.vjp((t: torch.Tensor) => t.mul(t), x)
    expect(list(y as torch.Tensor)).toEqual([0, 1])
    expect(list(vjpFn(torch.tensor([1.0, 1.0], { dtype: torch.float64 }))[0] as torch.Tensor)).toEqual([0, 2])
    const [, tangent] = torch.func.jvp((t: torch.Tensor) => t.exp(), [x], [torch.ones(2, { dtype: torch.float64 })])
    expect(list(tangent as torch.Tensor)).toEqual([1, Math.E])
  })
  it('jacrev, jacfwd, hessian and autograd.functional', () => {
    const x = torch.tensor([1.0, 2.0], { dtype: torch.float64 })
    const f = (t: torch.Tensor) => t.pow(3)
    expect(list(torch.func.jacrev(f)(x) as torch.Tensor)).toEqual([
      [3, 0],
      [0, 12],
    ])
    expect(list(torch.func.jacfwd(f)(x) as torch.Tensor)).toEqual([
      [3, 0],
      [0, 12],
    ])
    expect(list(torch.func.hessian((t: torch.Tensor) => f(t).sum())(x) as torch.Tensor)).toEqual([
      [6, 0],
      [0, 12],
    ])
    const [J0, J1] = torch.autograd.functional.jacobian(
      (a: torch.Tensor, b: torch.Tensor) => a.mul(b),
      [x, x.add(1)],
    ) as torch.Tensor[]
    expect([list(J0), list(J1)]).toEqual([
      [
        [2, 0],
        [0, 3],
      ],
      [
        [1, 0],
        [0, 2],
      ],
    ])
    const [out, vjpOut] = torch.autograd.functional.vjp((t: torch.Tensor) => t.pow(2).sum(), x)
    expect([(out as torch.Tensor).item(), list(vjpOut as torch.Tensor)]).toEqual([5, [2, 4]])
    const [, jvpOut] = torch.autograd.functional.jvp(
      (t: torch.Tensor) => t.pow(2),
      x,
      torch.ones(2, { dtype: torch.float64 }),
    )
    expect(list(jvpOut as torch.Tensor)).toEqual([2, 4])
  })
  it('argnums and has_aux', () => {
    const f = (a: torch.Tensor, b: torch.Tensor) => [a.mul(b).sum(), a.add(b)] as const
    const x = torch.tensor([2.0])
    const y = torch.tensor([5.0])
    const [[ga, gb], aux] = torch.func.grad(f, { argnums: [0, 1], has_aux: true })(x, y) as [
      [torch.Tensor, torch.Tensor],
      torch.Tensor,
    ]
    expect([list(ga), list(gb), list(aux)]).toEqual([[5], [2], [7]])
  })
  it('functional_call swaps parameters for one call', () => {
    const module = {
      weight: torch.tensor([2.0]),
      forward(x: torch.Tensor) {
        return x.mul(this.weight)
      },
    }
    const w = torch.tensor([3.0])
    expect(list(torch.func.functional_call(module, { weight: w }, torch.tensor([1.0])) as torch.Tensor)).toEqual([3])
    expect(module.weight.tolist()).toEqual([2])
    const g = torch.func.grad((p: torch.Tensor) =>
      (torch.func.functional_call(module, { weight: p }, torch.tensor([4.0])) as torch.Tensor).sum(),
    )(w) as torch.Tensor
    expect(list(g)).toEqual([4])
  })
  it('functional_call on an nn.Linear, differentiated by torch.func.grad', () => {
    const lin = torch.nn.Linear(2, 1)
    const params = { weight: torch.tensor([[1.0, 2.0]]), bias: torch.tensor([0.5]) }
    const x = torch.tensor([[3.0, 4.0]])
    expect(list(torch.func.functional_call(lin, params, x) as torch.Tensor)).toEqual([[11.5]])
    const gw = torch.func.grad((w: torch.Tensor) =>
      (torch.func.functional_call(lin, { weight: w, bias: params.bias }, x) as torch.Tensor).sum(),
    )(params.weight) as torch.Tensor
    expect(list(gw)).toEqual([[3, 4]])
    expect(lin.weight.requires_grad).toBe(true)
  })
})
