/**
 * Gradients recorded with create_graph: their nodes are the ops of the derivative rules, named
 * as PyTorch's derivative formulas (tools/autograd/derivatives.yaml) name theirs, and they can
 * be differentiated again. Expected names are what PyTorch prints for the same code:
 * `grad * (3 * x.pow(2))` for x³ (MulBackward0 over MulBackward1 over PowBackward0),
 * `grad * x.cos()` for sin, `grad * result` for exp, `grad.expand(sizes)` for sum,
 * `grad.expand(sizes) / numel` for mean (a C++ Scalar divisor: DivBackward1).
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { nodeName, PRIMITIVE_NODE_NAMES } from '../../src/torch/autograd/level'
import { multiRegistry, registry } from '../../src/core/primitives'
import { scalar, zerosLike } from '../../src/core/lax'

const t = (d: torch.TensorData) => torch.tensor(d, { requires_grad: true })
const names = (n: torch.autograd.Node | null | undefined): Array<string | null> =>
  (n?.next_functions ?? []).map(([c]) => c?.name() ?? null)
const grad1 = (y: torch.Tensor, x: torch.Tensor) => torch.autograd.grad(y, x, { create_graph: true })[0] as torch.Tensor

describe('create_graph: node names of the gradient', () => {
  it('x**3 at 2: tensor(12., grad_fn=<MulBackward0>), grad * (3 * x.pow(2)) as in PyTorch', () => {
    const x = t(2.0)
    const g = grad1(x.pow(3), x)
    expect(String(g)).toBe('tensor(12., grad_fn=<MulBackward0>)')
    expect(names(g.grad_fn)).toEqual([null, 'MulBackward1'])
    const times3 = g.grad_fn?.next_functions[1]?.[0]
    expect(names(times3)).toEqual(['PowBackward0'])
    expect(names(times3?.next_functions[0]?.[0])).toEqual(['torch::autograd::AccumulateGrad'])
    // and again: 6x, then 6
    const g2 = grad1(g, x)
    expect(String(g2)).toBe('tensor(12., grad_fn=<MulBackward0>)')
    const [g3] = torch.autograd.grad(g2, x)
    expect(String(g3)).toBe('tensor(6.)')
  })

  it('backward(create_graph) leaves x.grad a CopyBackwards copy of the gradient (PyTorch 1.13)', () => {
    const x = t(2.0)
    x.pow(3).backward(undefined, { create_graph: true })
    expect(String(x.grad)).toBe('tensor(12., grad_fn=<CopyBackwards>)')
  })

  it('sin, exp and mul end in MulBackward0', () => {
    const x = t([1, 2])
    expect(String(grad1(x.sin().sum(), x))).toBe('tensor([ 0.5403, -0.4161], grad_fn=<MulBackward0>)')
    expect(String(grad1(x.exp().sum(), x))).toBe('tensor([2.7183, 7.3891], grad_fn=<MulBackward0>)')
    const w = t([3, 4])
    expect(String(grad1(x.mul(w).sum(), x))).toBe('tensor([3., 4.], grad_fn=<MulBackward0>)')
  })

  it('sum expands the gradient (ExpandBackward0); mean divides it by n (DivBackward1)', () => {
    const x = t([1, 2])
    expect(String(grad1(x.sum().pow(2), x))).toBe('tensor([6., 6.], grad_fn=<ExpandBackward0>)')
    expect(String(grad1(x.mean().pow(2), x))).toBe('tensor([1.5000, 1.5000], grad_fn=<DivBackward1>)')
    expect(names(grad1(x.mean().pow(2), x).grad_fn)).toEqual(['ExpandBackward0'])
  })

  it('a gradient that does not depend on anything requiring grad has no grad_fn, as in PyTorch', () => {
    const x = t([1, 2])
    const g = grad1(x.sum(), x)
    expect(String(g)).toBe('tensor([1., 1.])')
    expect(g.requires_grad).toBe(false)
    expect(grad1(x.mul(3).sum(), x).requires_grad).toBe(false)
  })

  it('gradients meeting at a leaf are added (AddBackward0): y = x² + x at 3', () => {
    const x = t(3.0)
    const m = x.pow(2)
    expect(String(grad1(m.add(x), x))).toBe('tensor(7., grad_fn=<AddBackward0>)')
    expect(String(grad1(m, x))).toBe('tensor(6., grad_fn=<MulBackward0>)')
  })

  it('movement ops: t → TBackward0, unsqueeze → SqueezeBackward1, view → ViewBackward0, mm → MmBackward0', () => {
    const x = t([
      [1, 2],
      [3, 4],
    ])
    const w = t([
      [1, 0],
      [0, 1],
    ])
    expect(grad1(x.t().mul(w).sum(), x).grad_fn?.name()).toBe('TBackward0')
    expect(grad1(x.unsqueeze(0).mul(w).sum(), x).grad_fn?.name()).toBe('SqueezeBackward1')
    expect(grad1(x.view(4).mul(w.view(4)).sum(), x).grad_fn?.name()).toBe('ViewBackward0')
    expect(grad1(x.mm(w).pow(2).sum(), x).grad_fn?.name()).toBe('MmBackward0')
  })

  it('a Python number operand is a tensor (x * 3 → grad * other), a number exponent a Scalar', () => {
    const x = t([0.5, 2])
    const w = t([1, 2])
    const g = grad1(x.mul(3).mul(w).sum(), x)
    expect(g.grad_fn?.name()).toBe('MulBackward0')
    expect(names(g.grad_fn)).toEqual(['MulBackward0', null])
    expect(grad1(x.div(3).mul(w).sum(), x).grad_fn?.name()).toBe('DivBackward0')
    expect(grad1(x.div(w).sum(), w).grad_fn?.name()).toBe('DivBackward0') // -grad * self / (other * other)
    expect(grad1(x.pow(w).sum(), w).grad_fn?.name()).toBe('MulBackward0')
  })

  it('ops whose formula is one backward op name their gradient after it', () => {
    const x = t([[0.5, -1, 2]])
    const w = t([[1, 2, 3]])
    const name = (f: (v: torch.Tensor) => torch.Tensor) => grad1(f(x).mul(w).sum(), x).grad_fn?.name()
    expect(name((v) => v.tanh())).toBe('TanhBackwardBackward0')
    expect(name((v) => v.sigmoid())).toBe('SigmoidBackwardBackward0')
    expect(name((v) => v.relu())).toBe('ThresholdBackwardBackward0')
    expect(name((v) => v.softmax(1))).toBe('SoftmaxBackwardDataBackward0')
    expect(name((v) => v.log_softmax(1))).toBe('LogSoftmaxBackwardDataBackward0')
    expect(name((v) => v.masked_fill(v.gt(1), 0))).toBe('MaskedFillBackward0')
    expect(name((v) => v.clamp(-0.5, 1))).toBe('WhereBackward0')
    expect(name((v) => v.abs())).toBe('MulBackward0') // grad * self.sgn()
    const xp = t([[0.5, 1, 2]])
    expect(grad1(xp.log().mul(w).sum(), xp).grad_fn?.name()).toBe('DivBackward0') // grad / self
    expect(grad1(xp.sqrt().mul(w).sum(), xp).grad_fn?.name()).toBe('DivBackward0') // grad / (2 * result)
    expect(name((v) => v.double())).toBe('ToCopyBackward0')
    expect(grad1(x.index(0, '1:').pow(2).sum(), x).grad_fn?.name()).toBe('SelectBackwardBackward0')
    expect(grad1(x.narrow(1, 1, 2).pow(2).sum(), x).grad_fn?.name()).toBe('SliceBackwardBackward0')
  })

  it('second derivatives still pass gradgradcheck through the named nodes', () => {
    const a = torch.tensor(
      [
        [0.5, -1.2],
        [0.3, 0.8],
      ],
      { dtype: torch.float64, requires_grad: true },
    )
    const b = torch.tensor([0.4, -0.6], { dtype: torch.float64, requires_grad: true })
    const f = (x: torch.Tensor, y: torch.Tensor) =>
      x.matmul(y).tanh().mul(x.sigmoid().sum(1)).add(x.exp().mean(0)).pow(2).sum()
    expect(torch.autograd.gradgradcheck(f, [a, b])).toBe(true)
    expect(torch.autograd.gradgradcheck((x: torch.Tensor) => x.div(x.sum()).log().mean(), [b.abs()])).toBe(true)
  })
})

describe('nodeName (primitive → PyTorch node)', () => {
  const p = (name: string) => registry.get(name) as NonNullable<ReturnType<typeof registry.get>>
  const m = zerosLike({ shape: [2, 3], dtype: 'float32' })
  const s = scalar(2, 'float32')
  it('picks the Scalar overload for 0-d constants', () => {
    expect(nodeName(p('mul'), {}, [m, s], [false, true])).toBe('MulBackward1')
    expect(nodeName(p('mul'), {}, [m, m], [false, false])).toBe('MulBackward0')
    expect(nodeName(p('sub'), {}, [s, m], [true, false])).toBe('RsubBackward1')
    expect(nodeName(p('div'), {}, [m, s], [false, true])).toBe('DivBackward1')
    expect(nodeName(p('pow'), {}, [m, s], [false, true])).toBe('PowBackward0')
    expect(nodeName(p('pow'), {}, [m, m], [false, false])).toBe('PowBackward1')
    expect(nodeName(p('pow'), {}, [s, m], [true, false])).toBe('PowBackward2')
  })
  it('names reshapes, transposes and products by what they do', () => {
    expect(nodeName(p('reshape'), { shape: [1, 2, 3] }, [m], [false])).toBe('UnsqueezeBackward0')
    expect(
      nodeName(p('reshape'), { shape: [2, 3] }, [zerosLike({ shape: [2, 1, 3], dtype: 'float32' })], [false]),
    ).toBe('SqueezeBackward1')
    expect(nodeName(p('reshape'), { shape: [3, 2] }, [m], [false])).toBe('ViewBackward0')
    expect(nodeName(p('transpose'), { perm: [1, 0] }, [m], [false])).toBe('TBackward0')
    expect(nodeName(p('transpose'), { perm: [0, 2, 1] }, [m], [false])).toBe('TransposeBackward0')
    expect(nodeName(p('transpose'), { perm: [2, 0, 1] }, [m], [false])).toBe('PermuteBackward0')
    expect(nodeName(p('matmul'), {}, [m, m], [false, false])).toBe('MmBackward0')
  })
  it('lists only the primitives whose name is not the default', () => {
    // the default is `${Pascal(name)}Backward0` (sin → SinBackward0, tanh_backward →
    // TanhBackwardBackward0); an entry repeating it would be a second list to keep (issue 9)
    const pascal = (n: string): string => n.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase())
    for (const [name, node] of Object.entries(PRIMITIVE_NODE_NAMES)) {
      expect(registry.has(name) || multiRegistry.has(name), name).toBe(true)
      expect(node, name).not.toBe(`${pascal(name)}Backward0`)
    }
    // PyTorch 1.13's names of two primitives that take the default (grad_fn.name())
    expect(nodeName(p('sin'), {}, [m], [false])).toBe('SinBackward0')
    expect(nodeName(p('expm1'), {}, [m], [false])).toBe('Expm1Backward0')
  })
})
