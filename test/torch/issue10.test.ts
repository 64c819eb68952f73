/**
 * Issue 10 regressions on the facade (difftest classes D6, D15 and the expand message): each
 * expected text or value is what PyTorch 1.13 gives for the same program (run with Debian's
 * /usr/bin/python3; the Python spelling is in each test's comment).
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

type Loose = { view(): torch.Tensor; reshape(): torch.Tensor; expand(): torch.Tensor }

describe('D15: in-place through an expand that repeats no element', () => {
  it('writes through expand(-1) and new size-1 dimensions', () => {
    // z = torch.zeros(3, 2, 4); z.expand(3, -1, 4).clamp_(min=-0.5, max=1.).add_(1); z.sum() → 24
    const z = torch.zeros(3, 2, 4)
    z.expand(3, -1, 4).clamp_({ min: -0.5, max: 1 }).add_(1)
    expect(z.sum().item()).toBe(24)
    const v = torch.zeros(2)
    v.expand(1, 2).fill_(3)
    expect(v.tolist()).toEqual([3, 3])
  })
  it('still refuses an expand that repeats elements', () => {
    expect(() => torch.zeros(1, 2).expand(3, 2).mul_(2)).toThrow(
      'unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.',
    )
  })
})

describe('D6: view/reshape/expand without sizes', () => {
  it('raise PyTorch’s TypeError', () => {
    const t = torch.tensor(1.875) as unknown as Loose
    // torch.tensor(1.875).view() / .reshape() / .expand()
    expect(() => t.view()).toThrow(torch.TorchTypeError)
    expect(() => t.view()).toThrow('view() received an invalid combination of arguments - got (), but expected one of:')
    expect(() => t.reshape()).toThrow('reshape() missing 1 required positional arguments: "shape"')
    expect(() => t.expand()).toThrow('expand() missing 1 required positional arguments: "size"')
    // an explicit empty shape is a 0-d view
    expect(torch.tensor(1.875).view([]).item()).toBe(1.875)
  })
})

describe('expand errors name the last mismatching dimension', () => {
  it('as infer_expand_geometry', () => {
    // torch.zeros(2, 2).expand(3, 3)
    expect(() => torch.zeros(2, 2).expand(3, 3)).toThrow(
      'The expanded size of the tensor (3) must match the existing size (2) at non-singleton dimension 1.  Target sizes: [3, 3].  Tensor sizes: [2, 2]',
    )
  })
})

describe('D7: create_graph gradients of piecewise-linear ops are in the graph', () => {
  const F = torch.nn.functional
  // x = torch.tensor([[-0.875], [0.25], [-1.75]], requires_grad=True)
  // (g,) = torch.autograd.grad(f(x).sum(), [x], create_graph=True); type(g.grad_fn).__name__, g.requires_grad
  const cases: ReadonlyArray<readonly [string, (x: torch.Tensor) => torch.Tensor, string | null]> = [
    ['relu', (x) => x.relu(), 'ThresholdBackwardBackward0'],
    ['F.relu', (x) => F.relu(x), 'ThresholdBackwardBackward0'],
    ['abs', (x) => x.abs(), 'MulBackward0'],
    ['l1_loss', (x) => F.l1_loss(x, torch.zeros(3, 1)), 'MulBackward0'],
    ['leaky_relu', (x) => F.leaky_relu(x, 0.1), 'LeakyReluBackwardBackward0'],
    ['mm then relu', (x) => x.mm(torch.ones(1, 2)).relu(), 'MmBackward0'],
    ['clamp', (x) => x.clamp({ min: -1, max: 0 }), null],
    ['where', (x) => torch.where(x.detach().gt(0), x, x.mul(2)), null],
    ['max', (x) => x.max(), null],
  ]
  it.each(cases)('%s', (_, f, name) => {
    const x = torch.tensor([[-0.875], [0.25], [-1.75]], { requires_grad: true })
    const [g] = torch.autograd.grad(f(x).sum(), [x], { create_graph: true })
    expect(g?.grad_fn?.name() ?? null).toBe(name)
    expect(g?.requires_grad).toBe(name !== null)
    if (name === null) return
    // a gradient penalty reaches the leaf (its gradient is 0 there: the ops are piecewise linear)
    ;(g as torch.Tensor).abs().sum().backward()
    expect(x.grad?.tolist()).toEqual([[0], [0], [0]])
  })
  it('abs: the gradient reads sgn(x)', () => {
    const x = torch.tensor([-2, 3], { requires_grad: true })
    const [g] = torch.autograd.grad(x.abs().sum(), [x], { create_graph: true })
    // PyTorch: [None, 'SgnBackward0'] → AccumulateGrad
    expect(g?.grad_fn?.next_functions.map(([n]) => n?.name() ?? null)).toEqual([null, 'SgnBackward0'])
    expect(g?.tolist()).toEqual([-1, 1])
  })
})

describe('D4: outputs of multi-output views modified in place (issue 10 item 7)', () => {
  const TAIL =
    'This view is the output of a function that returns multiple views. Such functions do not allow the output views to be modified inplace. You should replace the inplace operation by an out-of-place one.'
  const x = (): torch.Tensor => torch.ones(4, 2, { requires_grad: true }).mul(2)
  it('are refused with PyTorch’s message', () => {
    // a, b = x.split(2); b.zero_()
    expect(() => x().split(2)[1]?.zero_()).toThrow(
      `Output 1 of SplitBackward0 is a view and is being modified inplace. ${TAIL}`,
    )
    // a leaf base: this error comes before the view-of-a-leaf one
    expect(() => torch.ones(4, 2, { requires_grad: true }).split(2)[1]?.zero_()).toThrow('Output 1 of SplitBackward0')
    expect(() => x().chunk(2)[0]?.mul_(2)).toThrow(
      `Output 0 of SplitBackward0 is a view and is being modified inplace.`,
    )
    // a view of one: v = x.unbind(0)[1]; v[0] = 3
    expect(() => x().unbind(0)[1]?.set(0, 3)).toThrow(
      `Output 0 of SelectBackward0 is a view and is being modified inplace.`,
    )
  })
  it('are refused when used after their base was modified', () => {
    // v = x.unbind(0)[1]; x.detach().zero_(); v.div(2)
    const b = x()
    const v = b.unbind(0)[1] as torch.Tensor
    b.detach().zero_()
    expect(() => v.div(2)).toThrow(
      `Output 1 of UnbindBackward0 is a view and its base or another view of its base has been modified inplace. ${TAIL}`,
    )
  })
  it('are allowed without autograd (no grad required, or under no_grad)', () => {
    const [, b] = torch.ones(4, 2).split(2)
    b?.zero_()
    const c = x()
    const u = c.unbind(0)[1] as torch.Tensor
    torch.no_grad(() => u.zero_())
    expect(c.tolist()).toEqual([
      [2, 2],
      [0, 0],
      [2, 2],
      [2, 2],
    ])
  })
})
