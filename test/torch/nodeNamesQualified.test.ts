/**
 * The five backward nodes PyTorch writes by hand in C++: `name()` carries the `torch::autograd::`
 * namespace, while the node's and its tensor's printed forms show the bare class name; and the
 * saved-tensor message numbers a saved output among its node's outputs (PyTorch 1.13 reference,
 * fixtures/node_names_qualified.py; 2.x prints the same).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { typeName } from '../helpers/nodeNames'

type NodeCase = { case: string; name: string; type: string; repr: string; tensor_suffix: string | null }
const fixture = JSON.parse(readFileSync(new URL('./fixtures/node_names_qualified.json', import.meta.url), 'utf8')) as {
  nodes: NodeCase[]
  saved_output_message: string
}

class Twice extends torch.autograd.Function {
  static override forward(_ctx: torch.autograd.FunctionCtx, x: torch.Tensor): torch.Tensor {
    return x.mul(2)
  }
  static override backward = torch.autograd.function.once_differentiable(
    (_ctx: torch.autograd.FunctionCtx, g: torch.Tensor): torch.Tensor => g.mul(2),
  )
}

/** The fixture script's five nodes, built the same way; a tensor where the node is a grad_fn. */
const build = (which: string): [torch.autograd.Node, torch.Tensor | null] => {
  const x = torch.tensor([1, 2, 3], { requires_grad: true })
  if (which === 'AccumulateGrad') return [x.mul(2).grad_fn?.next_functions[0]?.[0] as torch.autograd.Node, null]
  let t: torch.Tensor
  if (which === 'CopySlices') {
    t = x.clone()
    t.index(0).fill_(5)
  } else if (which === 'CopyBackwards') {
    t = torch.zeros(3)
    t.copy_(x)
  } else if (which === 'NotImplemented') t = torch.heaviside(x, torch.ones(3))
  else {
    const go = torch.ones(3, { requires_grad: true })
    t = torch.autograd.grad([Twice.apply(x) as torch.Tensor], [x], {
      grad_outputs: [go],
      create_graph: true,
    })[0] as torch.Tensor
  }
  return [t.grad_fn as torch.autograd.Node, t]
}

describe('hand-written C++ nodes: qualified name(), bare class name in printed forms (PyTorch 1.13 reference)', () => {
  it.each(fixture.nodes.map((c) => [c.case, c] as const))('%s', (which, c) => {
    const [fn, t] = build(which)
    expect(fn.name()).toBe(c.name)
    expect(typeName(fn)).toBe(c.type)
    expect(String(fn).replace(/ at 0x[0-9a-f]+/, '')).toBe(c.repr)
    if (t !== null) expect(String(t).split(', ').at(-1)).toBe(c.tensor_suffix)
  })

  it('make_dot labels nodes with their class name, as torchviz does', () => {
    const x = torch.tensor([1, 2], { requires_grad: true })
    const y = x.clone()
    y.index(0).fill_(5)
    const dot = String(torch.autograd.graph.make_dot(y))
    expect(dot).toContain(`[label="CopySlices"]`)
    expect(dot).toContain(`[label="AccumulateGrad"]`)
    expect(dot).not.toContain('torch::autograd')
  })

  it('a saved output of a multi-output node is named with its output number', () => {
    const a = torch.tensor(
      [
        [3, 1],
        [0.5, 2],
      ],
      { requires_grad: true },
    )
    const [q, r] = torch.linalg.qr(a.mul(1))
    const y = q.sum().add(r.sum())
    r.detach().mul_(2)
    expect(() => y.backward()).toThrow(fixture.saved_output_message)
  })
})
