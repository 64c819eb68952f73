import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'

const { nn } = torch
const prune = nn.utils.prune

type Snap = { state: Record<string, unknown>; params: string[]; buffers: string[]; pruned: boolean }
/** PyTorch 1.13's answers, from test/torch/fixtures/prune.py (closed-form weights without ties). */
const ref = JSON.parse(readFileSync(new URL('./fixtures/prune.json', import.meta.url), 'utf8')) as Record<
  string,
  unknown
>

const fill = (m: torch.nn.Module, k = 0): void =>
  torch.no_grad(() =>
    [...m.named_parameters()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .forEach(([, p], i) => {
        const v = Array.from({ length: p.numel() }, (_, j) => Math.sin(1.7 * j + 0.9 * i + k) * (1 + 0.01 * j))
        p.copy_(torch.tensor(v).reshape(p.shape))
      }),
  )
const snap = (m: torch.nn.Module): Snap => ({
  state: Object.fromEntries(Object.entries(m.state_dict()).map(([k, v]) => [k, v.tolist()])),
  params: [...m.named_parameters()].map(([n]) => n),
  buffers: [...m.named_buffers()].map(([n]) => n),
  pruned: prune.is_pruned(m),
})
const expectClose = (got: unknown, want: unknown): void => {
  const [g, w] = [[got].flat(Infinity) as number[], [want].flat(Infinity) as number[]]
  expect(g.length).toBe(w.length)
  g.forEach((v, i) => expect(Math.abs(v - (w[i] as number))).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(w[i] as number))))
}
const expectSnap = (got: Snap, want: Snap): void => {
  expect(got.params).toEqual(want.params)
  expect(got.buffers).toEqual(want.buffers)
  expect(got.pruned).toBe(want.pruned)
  expect(Object.keys(got.state)).toEqual(Object.keys(want.state))
  for (const k of Object.keys(want.state)) expectClose(got.state[k], want.state[k])
}
const x = torch.tensor(Array.from({ length: 3 }, (_, i) => Array.from({ length: 4 }, (_, j) => Math.cos(0.3 * j + i))))

describe('nn.utils.prune (reference: PyTorch 1.13)', () => {
  it('l1_unstructured, twice (a container over the kept entries), gradients through the mask, remove', () => {
    const lin = nn.Linear(4, 5)
    fill(lin)
    prune.l1_unstructured(lin, 'weight', 0.3)
    expectSnap(snap(lin), ref.l1 as Snap)
    prune.l1_unstructured(lin, 'weight', 3)
    expectSnap(snap(lin), ref.l1_twice as Snap)
    const y = lin(x)
    y.pow(2).sum().backward()
    const g = ref.l1_grad as Record<string, unknown>
    expectClose(y.tolist(), g.y)
    expectClose((lin as unknown as { weight_orig: torch.Tensor }).weight_orig.grad?.tolist(), g.weight_orig_grad)
    prune.remove(lin, 'weight')
    expectSnap(snap(lin), ref.l1_removed as Snap)
    expect(lin.weight).toBeInstanceOf(nn.Parameter)
  })

  it('ln_structured over channels, then l1_unstructured, then ln_structured on another dim', () => {
    const conv = nn.Conv2d(3, 4, 2)
    fill(conv, 1)
    prune.ln_structured(conv, 'weight', 0.5, 2, 0)
    expectSnap(snap(conv), ref.ln as Snap)
    prune.l1_unstructured(conv, 'weight', 5)
    expectSnap(snap(conv), ref.ln_then_l1 as Snap)
    prune.ln_structured(conv, 'weight', 1, 1, 1)
    expectSnap(snap(conv), ref.ln_l1_ln as Snap)
  })

  it('global_unstructured ranks the entries of several tensors together', () => {
    const [a, b] = [nn.Linear(4, 3), nn.Linear(3, 2)]
    fill(a, 2)
    fill(b, 3)
    prune.global_unstructured(
      [
        [a, 'weight'],
        [b, 'weight'],
        [b, 'bias'],
      ],
      prune.L1Unstructured,
      { amount: 0.4 },
    )
    const g = ref.global as Record<string, Snap>
    expectSnap(snap(a), g.a as Snap)
    expectSnap(snap(b), g.b as Snap)
  })

  it('global_unstructured reads importance_scores keyed by fresh [module, name] pairs', () => {
    const [a, b] = [nn.Linear(2, 2, { bias: false }), nn.Linear(2, 2, { bias: false })]
    torch.no_grad(() => (a.weight.fill_(1), b.weight.fill_(1)))
    const scores = new Map([
      [
        [a, 'weight'] as const,
        torch.tensor([
          [1, 2],
          [3, 4],
        ]),
      ],
      [
        [b, 'weight'] as const,
        torch.tensor([
          [5, 6],
          [7, 8],
        ]),
      ],
    ])
    prune.global_unstructured(
      [
        [a, 'weight'],
        [b, 'weight'],
      ],
      prune.L1Unstructured,
      { amount: 3, importance_scores: scores },
    )
    expect(a.weight.tolist()).toEqual([
      [0, 0],
      [0, 1],
    ])
    expect(b.weight.tolist()).toEqual([
      [1, 1],
      [1, 1],
    ])
  })

  it('custom_from_mask and identity', () => {
    const c = nn.Linear(2, 2)
    fill(c, 4)
    prune.custom_from_mask(c, 'bias', torch.tensor([0, 1]))
    prune.identity(c, 'weight')
    expectSnap(snap(c), ref.custom_identity as Snap)
  })

  it('random_unstructured and random_structured draw PyTorch numbers for the same seed', () => {
    torch.manual_seed(0)
    const r = nn.Linear(4, 5)
    fill(r)
    prune.random_unstructured(r, 'weight', 0.4)
    prune.random_structured(r, 'weight', 2, 0)
    expectSnap(snap(r), ref.random as Snap)
  })

  it("raises PyTorch's errors", () => {
    const errors = ref.errors as Record<string, [string, string]>
    const calls: Record<string, () => unknown> = {
      amount: () => prune.l1_unstructured(nn.Linear(2, 2), 'weight', 1.5),
      too_many: () => prune.l1_unstructured(nn.Linear(2, 2), 'weight', 5),
      remove: () => prune.remove(nn.Linear(2, 2), 'weight'),
      structured_1d: () => prune.ln_structured(nn.Linear(2, 2), 'bias', 1, 2, 0),
    }
    for (const [k, f] of Object.entries(calls)) {
      const [cls, msg] = errors[k] as [string, string]
      expect(f).toThrow(msg)
      expect(f).toThrow(expect.objectContaining({ name: cls }))
    }
    const lin = nn.Linear(2, 2)
    expect(() => prune.l1_unstructured(lin, 'weight', 5)).toThrow()
    expect(lin.weight).toBeInstanceOf(nn.Parameter)
    expect(prune.is_pruned(lin)).toBe(false)
  })
  it('the class method apply prunes as the function does, and a PruningContainer iterates its methods', () => {
    // the pruning tutorial's FooBarPruningMethod.apply(module, name) and `for m in hook` (ports/pruning.test.ts)
    const [a, b] = [nn.Linear(4, 5), nn.Linear(4, 5)]
    fill(a)
    fill(b)
    const scores = torch.arange(20).reshape(5, 4).flip(1)
    const method = prune.L1Unstructured.apply(a, 'weight', 0.3, { importance_scores: scores })
    prune.l1_unstructured(b, 'weight', 0.3, { importance_scores: scores })
    expect(method).toBeInstanceOf(prune.L1Unstructured)
    expect(method._tensor_name).toBe('weight')
    expectSnap(snap(a), snap(b))
    const second = prune.LnStructured.apply(a, 'weight', 1, 2, 0)
    expect(second).toBeInstanceOf(prune.PruningContainer)
    expect([...(second as InstanceType<typeof prune.PruningContainer>)].map((m) => m.constructor.name)).toEqual([
      'L1Unstructured',
      'LnStructured',
    ])
  })
})
