/**
 * Autograd API behaviour the differential tester's autograd kind (seeds 430000–431999) found
 * wrong, against real PyTorch 1.13 runs (scripts/fixtures/autograd_api.py writes
 * test/fixtures/autograd/autograd_api.json):
 * - `torch.autograd.grad` checks its outputs (element i … does not require grad) before its
 *   inputs (One of the differentiated Tensors does not require grad), as PyTorch's engine does;
 * - a saved-tensor pack hook runs with grad mode off (PyTorch's SavedVariable packs under a
 *   no-grad guard), so what it computes is recorded nowhere and packs nothing again; the
 *   constant of a Python number operand is not packed (PyTorch 2.x; 1.13 packed it: D93);
 * - an autograd.Function with several outputs records one node (backward runs once, with zeros of
 *   `_version` 1 for an output no gradient reached, or None under set_materialize_grads(False)).
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import fixture from '../fixtures/autograd/autograd_api.json'

describe('autograd.grad checks outputs before inputs', () => {
  it("raises PyTorch's message for an output that does not require grad", () => {
    const x = torch.tensor([0.75, 0.625], { dtype: torch.float64 })
    const y = x.sin().sum()
    expect(() => torch.autograd.grad(y, [x], { create_graph: true })).toThrow(fixture.grad_check_order.message)
  })
})

describe('saved_tensors_hooks pack hook', () => {
  it('runs under no_grad and packs only the tensors PyTorch saves', () => {
    const v0 = torch.tensor(1, { dtype: torch.float64, requires_grad: true })
    const seen: Array<{ value: number; grad_enabled: boolean; requires_grad: boolean }> = []
    const pk = (t: torch.Tensor): torch.Tensor => {
      const r = t.mul(2)
      seen.push({ value: t.item() as number, grad_enabled: torch.is_grad_enabled(), requires_grad: r.requires_grad })
      return r
    }
    const up = (t: unknown): torch.Tensor => (t as torch.Tensor).div(2)
    const y = torch.autograd.graph.saved_tensors_hooks(pk, up, () => v0.exp().cos())
    y.backward()
    expect(seen.length).toBe(fixture.pack_hook_no_grad.packed.length)
    seen.forEach((s, k) => {
      const want = fixture.pack_hook_no_grad.packed[k]!
      expect(s.value).toBeCloseTo(want.value, 12)
      expect(s.grad_enabled).toBe(want.grad_enabled)
      expect(s.requires_grad).toBe(want.requires_grad)
    })
    expect(v0.grad!.item()).toBeCloseTo(fixture.pack_hook_no_grad.grad, 12)
  })

  it('does not pack the constant of a Python number operand', () => {
    const x = torch.tensor([0.5, -1.25], { requires_grad: true })
    const packed: number[][] = []
    const y = torch.autograd.graph.saved_tensors_hooks(
      (t: torch.Tensor) => {
        packed.push(t.tolist() as number[])
        return t
      },
      (t: unknown) => t as torch.Tensor,
      () => x.mul(1.5).mul(x),
    )
    y.sum().backward()
    // mul(1.5) saves only its Python number (not packed in 2.x); mul(x) saves both operands
    expect(packed.length).toBe(2)
    expect(x.grad!.tolist()).toEqual([1.5, -3.75])
  })
})

type Seen = { value: number[]; version: number } | null

/** A two-output Function (2x, 3x) recording what its backward receives. */
const twoOutputs = (materialize: boolean, calls: Seen[][]) =>
  class Two extends torch.autograd.Function {
    static override forward(ctx: torch.autograd.FunctionCtx, x: torch.Tensor): torch.Tensor[] {
      ctx.set_materialize_grads(materialize)
      return [x.mul(2), x.mul(3)]
    }
    static override backward(_ctx: torch.autograd.FunctionCtx, ga: torch.Tensor | null, gb: torch.Tensor | null) {
      calls.push([ga, gb].map((g) => (g === null ? null : { value: g.tolist() as number[], version: g._version })))
      let r = torch.zeros_like((ga ?? gb) as torch.Tensor)
      if (ga !== null) r = r.add(ga.mul(2))
      if (gb !== null) r = r.add(gb.mul(3))
      return r
    }
  }

describe('autograd.Function with several outputs', () => {
  for (const [key, materialize] of [
    ['function_outputs', true],
    ['function_outputs_unmaterialized', false],
  ] as const) {
    it(`records one node and runs backward once (set_materialize_grads(${materialize}))`, () => {
      const want = fixture[key]
      const calls: Seen[][] = []
      const Two = twoOutputs(materialize, calls)
      const x = torch.tensor([0.5, -1], { dtype: torch.float64, requires_grad: true })
      const [a, b] = Two.apply(x) as torch.Tensor[]
      expect(a!.grad_fn === b!.grad_fn).toBe(want.same_node)
      expect([a!.output_nr, b!.output_nr]).toEqual(want.output_nr)
      a!.mul(b!).sum().backward()
      expect(x.grad!.tolist()).toEqual(want.grad_both)
      const x2 = torch.tensor([0.5, -1], { dtype: torch.float64, requires_grad: true })
      const [a2] = Two.apply(x2) as torch.Tensor[]
      a2!.sum().backward()
      expect(x2.grad!.tolist()).toEqual(want.grad_one)
      expect(calls).toEqual(want.calls)
    })
  }
})

describe('a leaf whose requires_grad is turned off after the forward', () => {
  it('takes no more gradient, and backward(inputs=) refuses it with retain_grad’s message', () => {
    const want = fixture.leaf_requires_grad_off
    const x = torch.tensor([1.25, 0.625], { dtype: torch.float64, requires_grad: true })
    const y = x.cos()
    y.sum().backward(undefined, { retain_graph: true })
    const close = (got: number[], exp: number[]) => got.forEach((g, i) => expect(g).toBeCloseTo(exp[i]!, 14))
    close(x.grad!.tolist() as number[], want.first)
    x.requires_grad_(false)
    y.sum().backward(undefined, { retain_graph: true })
    close(x.grad!.tolist() as number[], want.after)
    expect(() => y.sum().backward(undefined, { inputs: [x] })).toThrow(want.message!)
  })
})

describe('backward(inputs=) of a non-leaf', () => {
  it('adds the gradient once to a retained tensor, and retains a tensor for later backwards', () => {
    const want = fixture.inputs_retained
    const x = torch.tensor(2, { requires_grad: true })
    const y = x.add(0.5).mul(1.5)
    y.retain_grad()
    y.backward(torch.ones_like(y), { retain_graph: true })
    y.sum().backward(undefined, { retain_graph: true, inputs: [y] })
    expect(y.grad!.item()).toBe(want.once)
    const z = x.mul(3)
    z.sum().backward(undefined, { retain_graph: true, inputs: [z] })
    expect(z.grad!.item()).toBe(want.first)
    z.sum().backward(undefined, { retain_graph: true })
    expect(z.grad!.item()).toBe(want.later)
    expect(z.retains_grad).toBe(want.retains_grad)
  })
})

describe('autograd.Function marking dirty a view it modified', () => {
  const want = fixture.dirty_view
  class Dbl extends torch.autograd.Function {
    static override forward(ctx: torch.autograd.FunctionCtx, x: torch.Tensor): torch.Tensor {
      x.mul_(2)
      ctx.mark_dirty(x)
      return x
    }
    static override backward(_ctx: torch.autograd.FunctionCtx, go: torch.Tensor): torch.Tensor {
      return go.mul(2)
    }
  }
  class DblTwo extends torch.autograd.Function {
    static override forward(ctx: torch.autograd.FunctionCtx, x: torch.Tensor): torch.Tensor[] {
      x.mul_(2)
      ctx.mark_dirty(x)
      return [x, x.add(1)]
    }
    static override backward(_ctx: torch.autograd.FunctionCtx, go: torch.Tensor): torch.Tensor {
      return go.mul(2)
    }
  }
  it('puts the base on a CopySlices node over the Function, as an in-place op on a view does', () => {
    const x = torch.tensor([1.25, 0.5, 1.75], { dtype: torch.float64, requires_grad: true })
    const b = x.clone()
    const y = Dbl.apply(b.view(-1)) as torch.Tensor
    const chain: string[] = []
    for (let n = y.grad_fn; n !== null; n = n.next_functions[0]?.[0] ?? null)
      chain.push(n.name() === 'torch::autograd::CopySlices' ? 'CopySlices' : n.name())
    expect(chain).toEqual(want.chain)
    expect([y._version, b._version]).toEqual(want.versions)
    expect(b.grad_fn?.name()).toBe(want.base_grad_fn)
    y.sum().backward()
    expect(x.grad!.tolist()).toEqual(want.grad)
    expect(b.tolist()).toEqual(want.values)
  })
  it('refuses a second output', () => {
    const x = torch.tensor([1.25, 0.5, 1.75], { dtype: torch.float64, requires_grad: true })
    expect(() => DblTwo.apply(x.clone().view(-1))).toThrow(want.two_outputs!)
  })
})

describe('jacobian(vectorize=True, create_graph=True)', () => {
  it('returns views of one gradient tensor per input, even for an output independent of it', () => {
    for (const vectorize of [true, false]) {
      const want = fixture.jacobian_vectorized[vectorize ? 'True' : 'False']
      const x = torch.tensor([0.25, -1.625, 0.25], { dtype: torch.float64, requires_grad: true })
      const f = (a: torch.Tensor): torch.Tensor[] => [a.tanh().pow(2), torch.ones_like(a).mul(2)]
      const j = torch.autograd.functional.jacobian(f, x, { create_graph: true, vectorize }) as torch.Tensor[]
      j.forEach((b, k) => {
        expect(b.grad_fn?.name() ?? null).toBe(want[k]!.grad_fn)
        expect(b.requires_grad).toBe(want[k]!.requires_grad)
        ;(b.tolist() as number[][]).flat().forEach((v, i) => expect(v).toBeCloseTo(want[k]!.values.flat()[i]!, 12))
      })
    }
  })
})

describe('autograd.functional products with the options object in place of v', () => {
  it('vjp(f, x, { create_graph: true }) is vjp(f, x, None, create_graph=True)', () => {
    const x = torch.tensor(
      [
        [-0.375, -0.75],
        [1.25, 0],
      ],
      { dtype: torch.float64, requires_grad: true },
    )
    const f = (a: torch.Tensor): torch.Tensor => a.pow(2).sum()
    const [o, g] = torch.autograd.functional.vjp(f, x, { create_graph: true }) as torch.Tensor[]
    const [o2, g2] = torch.autograd.functional.vjp(f, x, null, { create_graph: true }) as torch.Tensor[]
    expect(o!.item()).toBe(o2!.item())
    expect(g!.tolist()).toEqual(g2!.tolist())
    expect([o!.grad_fn?.name(), g!.grad_fn?.name()]).toEqual(['SumBackward0', 'MulBackward0'])
  })
})
