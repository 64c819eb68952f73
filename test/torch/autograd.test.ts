/**
 * The facade's autograd: backward (implicit and explicit gradients, errors), accumulation,
 * retain_graph, create_graph, autograd.grad, hooks, retain_grad, grad mode, leaves.
 * Expected values are from math; error texts are PyTorch's.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { grad as jaxGrad } from 'wengert'
import { array } from '../../src/ndarray/create'
import { abs as jaxAbs, clip as jaxClip, mul as jaxMul, sqrt as jaxSqrt, sum as jaxSum } from '../../src/ops'

const t = (d: torch.TensorData, rg = false) => torch.tensor(d, { requires_grad: rg })
const list = (x: torch.Tensor | null | undefined) => x?.tolist()
const close = (a: unknown, b: unknown, tol = 1e-5) => {
  const fa = [a].flat(4) as number[]
  const fb = [b].flat(4) as number[]
  expect(fa.length).toBe(fb.length)
  fa.forEach((v, i) => expect(Math.abs(v - (fb[i] as number))).toBeLessThan(tol))
}
const TWICE =
  'Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.'

describe('backward', () => {
  it('needs an explicit gradient for non-scalar outputs, with a matching shape', () => {
    const x = t([1, 2, 3], true)
    const y = x.mul(2)
    expect(() => y.backward()).toThrow('grad can be implicitly created only for scalar outputs')
    expect(() => y.backward(torch.tensor([1, 1]))).toThrow(
      'Mismatch in shape: grad_output[0] has a shape of torch.Size([2]) and output[0] has a shape of torch.Size([3]).',
    )
    y.backward([0.1, 1.0, 0.0001])
    close(list(x.grad), [0.2, 2, 0.0002], 1e-7)
  })

  it('refuses tensors outside the graph', () => {
    const x = t([1, 2])
    expect(() => x.sum().backward()).toThrow('element 0 of tensors does not require grad and does not have a grad_fn')
    expect(() => torch.autograd.backward([x.sum()])).toThrow(torch.RuntimeError)
  })

  it('accumulates into leaves across calls', () => {
    const x = t([1, 2], true)
    x.mul(3).sum().backward()
    x.mul(3).sum().backward()
    expect(list(x.grad)).toEqual([6, 6])
    x.grad = null
    x.pow(2).sum().backward()
    expect(list(x.grad)).toEqual([2, 4])
  })

  it('frees saved values unless retain_graph', () => {
    const x = t([1, 2], true)
    const y = x.exp().sum()
    y.backward(undefined, { retain_graph: true })
    y.backward()
    close(list(x.grad), [2 * Math.E, 2 * Math.exp(2)])
    expect(() => y.backward()).toThrow(TWICE)
    // add and sum save no tensors: a second backward works, as in PyTorch
    const z = x.add(1).sum()
    z.backward()
    z.backward()
  })

  it('create_graph records the backward: second and third derivatives of x³', () => {
    const x = t(2.0, true)
    const y = x.pow(3)
    y.backward(undefined, { create_graph: true })
    expect(x.grad?.item()).toBe(12) // 3x²
    expect(x.grad?.requires_grad).toBe(true)
    const [g2] = torch.autograd.grad(x.grad as torch.Tensor, x, { create_graph: true })
    expect(g2?.item()).toBe(12) // 6x
    const [g3] = torch.autograd.grad(g2 as torch.Tensor, x)
    expect(g3?.item()).toBe(6)
  })

  it('inputs= restricts accumulation', () => {
    const a = t([1.0], true)
    const b = t([2.0], true)
    a.mul(b)
      .sum()
      .backward(undefined, { inputs: [a] })
    expect(list(a.grad)).toEqual([2])
    expect(b.grad).toBeNull()
  })
})

describe('a hand-written training loop', () => {
  it('w -= lr·w.grad under no_grad, then w.grad.zero_(), converges to the least-squares fit', () => {
    // y = 2x exactly: the loss mean((w·x − y)²) has its minimum at w = 2
    const x = torch.tensor([1.0, 2.0, 3.0])
    const y = torch.tensor([2.0, 4.0, 6.0])
    const w = torch.tensor(0.0, { requires_grad: true })
    for (let epoch = 0; epoch < 50; epoch++) {
      const loss = w.mul(x).sub(y).pow(2).mean()
      loss.backward()
      torch.no_grad(() => w.sub_(w.grad!.mul(0.05)))
      w.grad!.zero_()
    }
    expect(w.item()).toBeCloseTo(2, 5)
    expect(w.is_leaf).toBe(true)
    expect(w._version).toBe(50)
  })
})

describe('autograd.grad', () => {
  it('returns gradients without touching .grad', () => {
    const x = t([1, 2, 3], true)
    const [g] = torch.autograd.grad(x.mul(x).sum(), [x])
    expect(list(g)).toEqual([2, 4, 6])
    expect(x.grad).toBeNull()
  })
  it('takes grad_outputs for non-scalar outputs', () => {
    const x = t([1, 2], true)
    const [g] = torch.autograd.grad(x.mul(x), x, { grad_outputs: torch.tensor([1, 10]) })
    expect(list(g)).toEqual([2, 40])
  })
  it('raises on unused inputs unless allow_unused', () => {
    const x = t([1.0], true)
    const y = t([1.0], true)
    expect(() => torch.autograd.grad(x.mul(2).sum(), [x, y])).toThrow(
      'One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.',
    )
    const r = torch.autograd.grad(x.mul(2).sum(), [x, y], { allow_unused: true })
    expect(list(r[0])).toEqual([2])
    expect(r[1]).toBeNull()
    const m = torch.autograd.grad(x.mul(2).sum(), [x, y], { materialize_grads: true })
    expect(list(m[1])).toEqual([0])
  })
  it('of a non-leaf input', () => {
    const x = t([1.0, 2.0], true)
    const h = x.mul(3)
    const [g] = torch.autograd.grad(h.pow(2).sum(), h)
    expect(list(g)).toEqual([6, 12])
  })
})

describe('non-leaf .grad, retain_grad, hooks', () => {
  it('warns and returns null for a non-leaf, then keeps the gradient after retain_grad()', () => {
    const a = t([10.0, 10.0], true)
    const F = a.mul(2)
    const [g, caught] = torch.warnings.catch_warnings(() => F.grad)
    expect(g).toBeNull()
    expect(caught).toHaveLength(1)
    expect(caught[0]?.category).toBe('UserWarning')
    F.retain_grad()
    expect(F.retains_grad).toBe(true)
    F.sum().backward()
    expect(list(F.grad)).toEqual([1, 1])
    expect(torch.warnings.catch_warnings(() => F.grad)[1]).toHaveLength(0)
  })
  it('retain_grad on a tensor without grad raises', () => {
    expect(() => t([1]).retain_grad()).toThrow("can't retain_grad on Tensor that has requires_grad=False")
  })
  it('hooks see and replace gradients; handles remove them', () => {
    const x = t([1.0, 2.0], true)
    const seen: number[][] = []
    const h = x.register_hook((g) => {
      seen.push(g.tolist() as number[])
      return g.mul(10)
    })
    const y = x.mul(2)
    y.register_hook((g) => g.add(1))
    y.sum().backward()
    expect(seen).toEqual([[4, 4]]) // (1 + 1)·2
    expect(list(x.grad)).toEqual([40, 40])
    h.remove()
    x.grad = null
    x.mul(2).sum().backward()
    expect(list(x.grad)).toEqual([2, 2])
  })
})

describe('leaves and requires_grad', () => {
  it('is_leaf for every node', () => {
    const a = t([1.0], true)
    const b = t([2.0])
    const c = a.mul(b)
    expect([a.is_leaf, b.is_leaf, c.is_leaf, c.detach().is_leaf]).toEqual([true, true, false, true])
  })
  it('requires_grad is settable on leaves only, and only for floats', () => {
    const a = t([1.0], true)
    const c = a.mul(2)
    expect(() => {
      c.requires_grad = false
    }).toThrow(
      "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().",
    )
    expect(() => {
      c.requires_grad = true
    }).toThrow(/^you can only change requires_grad flags of leaf variables\.$/)
    const i = torch.tensor([1, 2], { dtype: torch.int64 })
    expect(() => {
      i.requires_grad = true
    }).toThrow('only Tensors of floating point and complex dtype can require gradients')
    expect(() => torch.tensor([1, 2], { dtype: torch.int64, requires_grad: true })).toThrow(
      'Only Tensors of floating point and complex dtype can require gradients',
    )
    const p = torch.ones(3, { requires_grad: true })
    p.requires_grad_(false)
    const c2 = new torch.Tensor([1, 2, 3])
    c2.requires_grad_(true)
    expect([c2.requires_grad, p.requires_grad]).toEqual([true, false])
  })
})

describe('grad mode', () => {
  it('no_grad, enable_grad, set_grad_enabled as context and switch, inference_mode', () => {
    const x = t([1.0], true)
    expect(torch.no_grad(() => x.mul(2)).requires_grad).toBe(false)
    expect(torch.no_grad(() => torch.enable_grad(() => x.mul(2))).requires_grad).toBe(true)
    expect(torch.set_grad_enabled(false, () => x.mul(2)).requires_grad).toBe(false)
    expect(torch.inference_mode(() => x.mul(2)).requires_grad).toBe(false)
    torch.set_grad_enabled(false)
    try {
      expect(torch.is_grad_enabled()).toBe(false)
      expect(x.mul(2).requires_grad).toBe(false)
    } finally {
      torch.set_grad_enabled(true)
    }
    expect(() =>
      torch.no_grad(() => {
        throw new Error('boom')
      }),
    ).toThrow('boom')
    expect(torch.is_grad_enabled()).toBe(true)
  })
  it('the context objects: enter/exit (Python with), decorators, set_grad_enabled restoring on exit', () => {
    const x = t([1.0], true)
    const g = torch.no_grad()
    g.enter()
    try {
      expect(torch.is_grad_enabled()).toBe(false)
      expect(x.mul(2).requires_grad).toBe(false)
      const e = torch.enable_grad()
      e.__enter__()
      expect(x.mul(2).requires_grad).toBe(true)
      e.__exit__(null, null, null)
      expect(torch.is_grad_enabled()).toBe(false)
    } finally {
      g.exit()
    }
    expect(torch.is_grad_enabled()).toBe(true)
    // @torch.no_grad() on a function (this is kept), and the mode is restored when it throws
    const obj = {
      k: 3,
      scale(v: torch.Tensor) {
        return v.mul(this.k)
      },
    }
    obj.scale = torch.no_grad()(obj.scale)
    expect(obj.scale(x).requires_grad).toBe(false)
    expect(list(obj.scale(x))).toEqual([3])
    const boom = torch.no_grad()(() => {
      throw new Error('boom')
    })
    expect(() => boom()).toThrow('boom')
    expect(torch.is_grad_enabled()).toBe(true)
    // set_grad_enabled(mode) switches at once; its exit restores the mode it found
    const s = torch.set_grad_enabled(false)
    expect(torch.is_grad_enabled()).toBe(false)
    s.enter()
    expect(torch.is_grad_enabled()).toBe(false)
    s.exit()
    expect(torch.is_grad_enabled()).toBe(true)
    // as a decorator it switches back at once and applies the mode to the calls
    const f = torch.set_grad_enabled(false)((v: torch.Tensor) => v.mul(2))
    expect(torch.is_grad_enabled()).toBe(true)
    expect(f(x).requires_grad).toBe(false)
    // inference_mode(): no grad and inference; inference_mode(false): grad on, as PyTorch
    const i = torch.inference_mode()
    i.enter()
    expect([torch.is_grad_enabled(), torch.is_inference_mode_enabled()]).toEqual([false, true])
    i.exit()
    expect(torch.no_grad(() => torch.inference_mode(() => x.mul(2), false)).requires_grad).toBe(true)
  })
  it('detach shares data and the version counter', () => {
    const x = t([1.0, 2.0], true)
    const y = x.sigmoid()
    const d = y.detach()
    expect(d.requires_grad).toBe(false)
    d.zero_()
    expect(list(y)).toEqual([0, 0])
    expect(y._version).toBe(1)
    expect(() => y.sum().backward()).toThrow(
      'one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [2]], which is output 0 of SigmoidBackward0, is at version 1; expected version 0 instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).',
    )
  })
})

describe('kinks: PyTorch conventions in the facade, JAX conventions in the functional API', () => {
  it('d|x|/dx at 0 is 0 in the facade and 1 in wengert.grad', () => {
    const x = torch.tensor([-1.0, 0.0, 2.0], { requires_grad: true })
    x.abs().sum().backward()
    expect(list(x.grad)).toEqual([-1, 0, 1])
    expect(jaxGrad((v: import('wengert').NdArray) => jaxAbs(v))(array(0.0)).item()).toBe(1)
  })
  it('relu′(0) = 0, clamp passes the gradient at its bounds', () => {
    const x = torch.tensor([-1.0, 0.0, 1.0, 2.0], { requires_grad: true })
    x.relu().sum().backward()
    expect(list(x.grad)).toEqual([0, 0, 1, 1])
    const y = torch.tensor([-1.0, 0.0, 1.0, 2.0], { requires_grad: true })
    y.clamp(0, 1).sum().backward()
    expect(list(y.grad)).toEqual([0, 1, 1, 0])
    const jax = jaxGrad((v: import('wengert').NdArray) => jaxSum(jaxClip(v, 0, 1)))(array([-1.0, 0.0, 1.0, 2.0]))
    expect(jax.toArray()).toEqual([0, 0.5, 0.5, 0])
  })
  it('norm of a zero vector has gradient 0', () => {
    const x = torch.zeros(3, { requires_grad: true })
    x.norm().backward()
    expect(list(x.grad)).toEqual([0, 0, 0])
    const jax = jaxGrad((v: import('wengert').NdArray) => jaxSqrt(jaxSum(jaxMul(v, v))))(array([0.0, 0.0]))
    expect((jax.toArray() as number[]).every(Number.isNaN)).toBe(true)
  })
})
