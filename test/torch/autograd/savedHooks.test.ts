/**
 * torch.autograd.graph.saved_tensors_hooks / save_on_cpu / disable_saved_tensors_hooks against
 * real PyTorch 1.13 (fixtures/saved_hooks.py writes fixtures/saved_hooks.json): which tensors are
 * packed while recording and unpacked in backward (by shape, in order), the gradients, and the
 * error texts; and the state after a raising hook.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { errOf } from '../../helpers/fixtureErrors'
import fixture from '../fixtures/saved_hooks.json'

type T = torch.Tensor
const G = torch.autograd.graph

class Cube extends torch.autograd.Function {
  static override forward(ctx: torch.autograd.FunctionCtx, x: T): T {
    ctx.save_for_backward(x)
    return x.pow(3)
  }
  static override backward(ctx: torch.autograd.FunctionCtx, g: T): T {
    const [x] = ctx.saved_tensors
    return x!.pow(2).mul(3).mul(g)
  }
}

const PROGRAMS: Record<string, (x: T, w: T) => T> = {
  mul_self: (x) => x.mul(x).sum(),
  exp_sin: (x) => x.exp().sin().sum(),
  matmul: (x, w) => x.reshape(2, 2).matmul(w).sum(),
  relu_tanh: (x) => torch.tanh(torch.relu(x)).sum(),
  custom_function: (x) => (Cube.apply(x) as T).sum(),
  add_only: (x) => x.add(1).sum(),
}

describe('saved_tensors_hooks', () => {
  for (const [name, prog] of Object.entries(PROGRAMS)) {
    it(`${name}: packs when recording, unpacks in backward`, () => {
      const fx = fixture.programs[name as keyof typeof fixture.programs]
      const log: Array<[string, number[]]> = []
      const x = torch.tensor([0.5, -1.0, 2.0, 0.25], { dtype: torch.float64, requires_grad: true })
      const w = torch.tensor(
        [
          [1, 2],
          [3, -1],
        ],
        { dtype: torch.float64, requires_grad: true },
      )
      const y = G.saved_tensors_hooks(
        (t) => (log.push(['pack', [...t.shape]]), t),
        (t) => (log.push(['unpack', [...(t as T).shape]]), t as T),
        () => prog(x, w),
      )
      expect(log.length).toBe(fx.n_pack)
      y.backward()
      expect(log).toEqual(fx.log)
      ;(x.grad!.tolist() as number[]).forEach((v, i) => expect(v).toBeCloseTo(fx.grad_x[i]!, 14))
    })
  }

  it('error texts; a raising hook leaves no hooks active', () => {
    const fe = fixture.errors
    const x = torch.tensor([1, 2], { dtype: torch.float64, requires_grad: true })
    expect(
      errOf(() =>
        G.saved_tensors_hooks(
          (t) => t.mul_(2),
          (t) => t as T,
          () => x.exp().mul(1).sum(),
        ),
      ),
    ).toEqual(fe.in_place_pack)
    const y = G.saved_tensors_hooks(
      (t) => t,
      () => 3 as unknown as T,
      () => x.exp(),
    )
    expect(errOf(() => y.sum().backward())).toEqual(fe.int_unpack)
    expect(
      errOf(() =>
        G.disable_saved_tensors_hooks('hooks are off here', () =>
          new G.saved_tensors_hooks(
            (t) => t,
            (t) => t as T,
          ).enter(),
        ),
      ),
    ).toEqual(fe.disabled)
    // nothing active any more: recording packs nothing and a fresh backward works
    const z = x.exp().sum()
    z.backward()
    expect(x.grad?.tolist()).toEqual([Math.E, Math.exp(2)])
  })

  it('an unpack returning other values raises instead of being ignored', () => {
    const x = torch.tensor([1, 2], { dtype: torch.float64, requires_grad: true })
    const y = G.saved_tensors_hooks(
      (t) => t.detach().clone(),
      (t) => (t as T).mul(2),
      () => x.exp().sum(),
    )
    expect(() => y.backward()).toThrow(/differ from the packed one/)
  })

  it('save_on_cpu is the identity on the CPU', () => {
    const x = torch.tensor([0.5, -1.0, 2.0], { dtype: torch.float64, requires_grad: true })
    const ctx = new G.save_on_cpu({ pin_memory: false })
    ctx.__enter__()
    const y = x.mul(x.sin()).sum()
    ctx.__exit__(null, null, null)
    y.backward()
    const want = fixture.save_on_cpu_grad
    ;(x.grad!.tolist() as number[]).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 14))
  })
})
