/**
 * The signed zeros of torch.autograd.functional's vectorized Jacobians (difftest seeds 430045,
 * 430587, 431629): PyTorch differentiates all outputs at once against one basis row (reverse
 * mode) or pushes one basis tangent over all inputs (forward mode), so an unselected output's
 * zero cotangent (or an unselected input's zero tangent) still enters the arithmetic. Expected
 * values printed by PyTorch 1.13 (/usr/bin/python3) for the same programs.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

const AF = torch.autograd.functional
const f64 = { dtype: torch.float64 }
const signs = (t: torch.Tensor): string[] =>
  (t.flatten().tolist() as number[]).map((v) => (Object.is(v, -0) ? '-0' : String(v)))

describe('vectorized jacobian: zeros signed as PyTorch', () => {
  it('reverse mode: an output independent of the input gets the other outputs’ 0·f′ (−0 where f′ < 0)', () => {
    const a = torch.tensor([0.25, -1.625, 0.25], f64)
    const f = (t: torch.Tensor) => [t.tanh().pow(2), torch.ones_like(t).mul(2)]
    const J = AF.jacobian(f, a, { vectorize: true }) as torch.Tensor[]
    expect(signs(J[1]!)).toEqual(['0', '-0', '0', '0', '-0', '0', '0', '-0', '0'])
    // one output at a time (vectorize=False): plain zeros
    const Jr = AF.jacobian(f, a) as torch.Tensor[]
    expect(signs(Jr[1]!)).toEqual(Array(9).fill('0'))
  })
  it('reverse mode: −0 from one output plus +0 from another is +0', () => {
    const a = torch.tensor([-1.375, 0], f64)
    const b = torch.tensor([-0.625, 1.25], f64)
    const f = (x: torch.Tensor, y: torch.Tensor) => [x.sin().sub(y), x.sin().sin().add(y.sigmoid().tanh())]
    const J = AF.jacobian(f, [a, b], { vectorize: true }) as torch.Tensor[][]
    expect(signs(J[0]![1]!)).toEqual(['-1', '0', '0', '-1'])
  })
  it('forward mode: dense zero tangents of the other inputs (3a²b·1 + a³·0 at a = 0 is +0)', () => {
    const a = torch.tensor([0, 2])
    const b = torch.tensor([-0.5, 1])
    const J = AF.jacobian((x: torch.Tensor, y: torch.Tensor) => x.pow(3).mul(y), [a, b], {
      vectorize: true,
      strategy: 'forward-mode',
    }) as torch.Tensor[]
    expect(signs(J[0]!)).toEqual(['0', '0', '0', '12'])
    expect(J[0]!.requires_grad).toBe(false)
  })
})

describe('forward AD: an input without a tangent is a constant', () => {
  it('pow with a number exponent at a negative base: tangent 0, not NaN (PyTorch: [0.75, 0])', () => {
    const fwAD = torch.autograd.forward_ad
    const t = fwAD.dual_level(() => {
      const d = fwAD.make_dual(torch.tensor([0.5, -1.2], f64), torch.tensor([1, 0], f64))
      return fwAD.unpack_dual(d.pow(3)).tangent!
    })
    expect(signs(t)).toEqual(['0.75', '0'])
  })
})

describe('tanh_backward is its own node under create_graph (difftest 431399)', () => {
  it('jvp by the double-backward trick: the tangent’s grad_fn is TanhBackwardBackward0, as PyTorch 1.13', () => {
    const x = torch.tensor([0.5, -1.5], { requires_grad: true })
    const [, t] = AF.jvp((a: torch.Tensor) => a.tanh(), [x], [torch.tensor([0, 0.5])], {
      create_graph: true,
      strict: true,
    }) as [torch.Tensor, torch.Tensor]
    expect(t.grad_fn?.name()).toBe('TanhBackwardBackward0')
    // d/dv tanh_backward(v, y) = 1 − y²: 0.5·(1 − tanh²(−1.5)) = 0.0903533… (PyTorch)
    expect((t.tolist() as number[])[1]).toBeCloseTo(0.09035331010818481, 7)
  })
})

describe('exp / expm1 backward reads the saved result (difftest 431214)', () => {
  it('the gradient’s graph reaches the op’s own node, so second-order gradients accumulate there', () => {
    const v0 = torch.tensor([-1.25, 0.75, -0.375], { requires_grad: true })
    const e = v0.exp()
    const [g5] = torch.autograd.grad([e.tanh().sum()], [v0], { create_graph: true })
    // PyTorch 1.13: MulBackward0(TanhBackwardBackward0, ExpBackward0 — e's own node)
    const next = g5!.grad_fn!.next_functions.map(([n]) => n)
    expect(next[1]).toBe(e.grad_fn)
    const [g7] = torch.autograd.grad([g5!.sum()], [v0], { create_graph: true })
    expect(g7!.grad_fn?.name()).toBe('MulBackward0')
    const m = v0.expm1()
    const [h] = torch.autograd.grad([m.tanh().sum()], [v0], { create_graph: true })
    const add = h!.grad_fn!.next_functions[1]![0]!
    expect([add.name(), add.next_functions[0]![0]]).toEqual(['AddBackward1', m.grad_fn])
  })
})

describe('a Function’s returned gradients reach AccumulateGrad as they are (difftest 430731)', () => {
  it('reentrant checkpoint: the passed-through input’s .grad is a copy (version 1), a fresh one is stolen (0)', () => {
    const v0 = torch.tensor([1.25, 0.875, 0.625], { requires_grad: true })
    const v1 = torch.tensor([-1, 1.125, 1.375], { requires_grad: true })
    const ck = (a: torch.Tensor, b: torch.Tensor) => a.add(b.sin().exp())
    const v3 = torch.utils.checkpoint.checkpoint(ck, v0, v1, { use_reentrant: true }) as torch.Tensor
    v3.pow(2).sum().backward()
    // PyTorch 1.13: 1 0
    expect([v0.grad!._version, v1.grad!._version]).toEqual([1, 0])
  })
})

describe('hessian with outer_jacobian_strategy="forward-mode" keeps the graph (difftest 430108 430310 431719)', () => {
  it('blocks are the permuted, reshaped tangent rows: requires_grad, ViewBackward0; no tangent → plain zeros', () => {
    const opts = { vectorize: true, outer_jacobian_strategy: 'forward-mode' } as const
    const x = torch.tensor(
      [
        [1.875, 0.75],
        [0.375, 1.25],
      ],
      { dtype: torch.float64, requires_grad: true },
    )
    const H = (AF.hessian((a: torch.Tensor) => a.pow(2).cos().sum(), [x], opts) as torch.Tensor[][])[0]![0]!
    // PyTorch 1.13: requires_grad=True, grad_fn ViewBackward0, H[0,0,0,0] = 13.8209853041…
    expect([H.requires_grad, H.grad_fn?.name()]).toEqual([true, 'ViewBackward0'])
    expect((H.flatten().tolist() as number[])[0]).toBeCloseTo(13.820985304104484, 12)
    // a.sub(tanh(1.5·b)).sum(): the gradient for a is constant (no tangent) → zeros without graph
    const a = torch.tensor([-0.125, -1.125], { dtype: torch.float64, requires_grad: true })
    const b = torch.tensor([-0.375, -0.5], { dtype: torch.float64, requires_grad: true })
    const f = (p: torch.Tensor, q: torch.Tensor) => p.sub(q.mul(1.5).tanh()).sum()
    const H2 = AF.hessian(f, [a, b], opts) as torch.Tensor[][]
    expect([H2[0]![1]!.requires_grad, H2[1]![0]!.requires_grad]).toEqual([false, true])
  })
})
