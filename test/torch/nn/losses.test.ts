/**
 * Losses, distances and their modules against PyTorch 1.13 (float64 forward values, gradients
 * of every floating tensor argument, node names; fixture test/fixtures/torch/nn_losses/losses.json
 * from losses.py beside it), and PyTorch's messages for bad input.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import * as nn from '../../../src/torch/nn/index'

const F = nn.functional

interface Enc {
  t: number[]
  shape: number[]
  dtype: 'float64' | 'int64'
  rg: boolean
}
interface Case {
  kind: 'F' | 'M'
  fn: string
  args: unknown[]
  kw?: Record<string, unknown>
  ctorArgs?: unknown[]
  ctorKw?: Record<string, unknown>
  y: number[]
  yShape: number[]
  cot: number[]
  grads: Array<number[] | null>
  gradFn: string | null
}
const cases = JSON.parse(
  readFileSync(new URL('../../fixtures/torch/nn_losses/losses.json', import.meta.url), 'utf8'),
) as Case[]

const isEnc = (u: unknown): u is Enc => typeof u === 'object' && u !== null && 't' in u && 'shape' in u
const flat = (t: torch.Tensor): number[] => {
  const v = t.tolist()
  return Array.isArray(v) ? (v.flat(6) as number[]) : [v as number]
}

/** Decodes tensors (collecting those requiring grad, in Python's order) and 'inf'. */
const decode = (u: unknown, leaves: torch.Tensor[]): unknown => {
  if (isEnc(u)) {
    const dtype = u.dtype === 'int64' ? torch.int64 : torch.float64
    const t = torch.tensor(u.t, { dtype }).reshape(u.shape).detach().requires_grad_(u.rg)
    if (u.rg) leaves.push(t)
    return t
  }
  if (u === 'inf') return Infinity
  if (Array.isArray(u)) return u.map((x) => decode(x, leaves))
  if (typeof u === 'object' && u !== null)
    return Object.fromEntries(Object.entries(u).map(([k, v]) => [k, decode(v, leaves)]))
  return u
}

const close = (got: number[], expected: number[], tol = 1e-10): void => {
  expect(got.length).toBe(expected.length)
  got.forEach((v, i) => expect(Math.abs(v - (expected[i] as number))).toBeLessThan(tol))
}

type AnyFn = (...args: unknown[]) => torch.Tensor
const withKw = (args: unknown[], kw: Record<string, unknown> | undefined): unknown[] =>
  kw !== undefined && Object.keys(kw).length > 0 ? [...args, kw] : args

const run = (c: Case): void => {
  const leaves: torch.Tensor[] = []
  let y: torch.Tensor
  if (c.kind === 'F') {
    const args = decode(c.args, leaves) as unknown[]
    const kw = decode(c.kw, leaves) as Record<string, unknown>
    y = ((F as unknown as Record<string, AnyFn>)[c.fn] as AnyFn)(...withKw(args, kw))
  } else {
    const args = decode(c.args, leaves) as unknown[]
    const ctorArgs = decode(c.ctorArgs, leaves) as unknown[]
    const ctorKw = decode(c.ctorKw, leaves) as Record<string, unknown>
    const Ctor = (nn as unknown as Record<string, (...a: unknown[]) => { call: AnyFn }>)[c.fn] as (...a: unknown[]) => {
      call: AnyFn
    }
    y = Ctor(...withKw(ctorArgs, ctorKw)).call(...args)
  }
  expect(String(y.shape)).toBe(`torch.Size([${c.yShape.join(', ')}])`)
  close(flat(y), c.y)
  expect(y.grad_fn?.name() ?? null).toBe(c.gradFn)
  if (leaves.length === 0) return
  const cot = torch.tensor(c.cot, { dtype: torch.float64 }).reshape(c.yShape)
  const gs = torch.autograd.grad(y.mul(cot).sum(), leaves, { allow_unused: true })
  gs.forEach((g, i) => {
    const want = c.grads[i]
    if (want === null || want === undefined) expect(g === null || flat(g).every((v) => v === 0)).toBe(true)
    else close(flat(g as torch.Tensor), want)
  })
}

describe('losses vs PyTorch 1.13', () => {
  it.each(cases.map((c, i) => [`${i} ${c.kind} ${c.fn} ${JSON.stringify(c.kw ?? c.ctorKw ?? {})}`, c] as const))(
    '%s',
    (_, c) => run(c),
  )
})

describe("PyTorch's messages for bad input", () => {
  const x = torch.zeros(3, 4)
  const cases: Array<[string, () => unknown, string]> = [
    [
      'smooth_l1 beta',
      () => F.smooth_l1_loss(x, x, { beta: -1 }),
      'smooth_l1_loss does not support negative values for beta.',
    ],
    [
      'huber delta',
      () => F.huber_loss(x, x, { delta: 0 }),
      'huber_loss does not support non-positive values for delta.',
    ],
    [
      'margin_ranking dims',
      () => F.margin_ranking_loss(x, x, torch.ones(3)),
      'margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: torch.Size([3, 4]), input2: torch.Size([3, 4]), target: torch.Size([3]) ',
    ],
    [
      'triplet dims',
      () => F.triplet_margin_loss(x, x, torch.ones(3)),
      'All inputs should have same dimension but got 2D, 2D and 1D inputs.',
    ],
    [
      'cosine_embedding 2-d target',
      () => F.cosine_embedding_loss(x, x, torch.ones(3, 1)),
      '0D or 1D target tensor expected, multi-target not supported',
    ],
    [
      'cosine_embedding 0-d target',
      () => F.cosine_embedding_loss(x, x, torch.tensor(1)),
      '0D target tensor expects 1D input tensors, but found inputs with sizes [3, 4] and [3, 4].',
    ],
    ['gaussian var size', () => F.gaussian_nll_loss(x, x, torch.ones(2)), 'var is of incorrect size'],
    ['gaussian var sign', () => F.gaussian_nll_loss(x, x, torch.ones(3, 4).neg()), 'var has negative entry/entries'],
    ['kl_div reduction', () => F.kl_div(x, x, { reduction: 'foo' as 'sum' }), 'foo is not a valid value for reduction'],
    ['poisson reduction', () => F.poisson_nll_loss(x, x, { reduction: 'bad' as 'sum' }), 'bad is not valid'],
    [
      'cosine_similarity ints',
      () => F.cosine_similarity(torch.ones(3, { dtype: torch.int64 }), torch.ones(3, { dtype: torch.int64 }), 0),
      'expected common dtype to be floating point, yet common dtype is Long',
    ],
    [
      'cross_entropy probabilities with ignore_index',
      () => F.cross_entropy(x, x, { ignore_index: 1 }),
      'ignore_index is not supported for floating point target',
    ],
    [
      'bce_with_logits size',
      () => F.binary_cross_entropy_with_logits(x, torch.ones(3)),
      'Target size (torch.Size([3])) must be the same as input size (torch.Size([3, 4]))',
    ],
  ]
  it.each(cases)('%s', (_, f, msg) => {
    expect(f).toThrow(msg)
  })
})

describe('embedding_bag', () => {
  const idx = torch.tensor([0, 2, 4, 2, 1, 3, 3], { dtype: torch.int64 })
  const offsets = torch.tensor([0, 2, 2, 5], { dtype: torch.int64 })
  it('scale_grad_by_freq divides each row gradient by its count in input', () => {
    const w = torch.ones(5, 1, { dtype: torch.float64 }).requires_grad_()
    F.embedding_bag(idx, w, offsets, { mode: 'sum', scale_grad_by_freq: true }).sum().backward()
    expect(flat(w.grad as torch.Tensor)).toEqual([1, 1, 1, 1, 1])
  })
  it("raises PyTorch's messages", () => {
    const w = torch.ones(5, 2)
    expect(() => F.embedding_bag(idx, w)).toThrow('offsets has to be a 1D Tensor but got None')
    expect(() => F.embedding_bag(idx, w, offsets, { mode: 'foo' as 'sum' })).toThrow(
      'mode has to be one of sum, mean or max',
    )
    expect(() => F.embedding_bag(idx, w, offsets, { mode: 'max', scale_grad_by_freq: true })).toThrow(
      'max mode does not support scaling the gradient by the frequency',
    )
    expect(() => F.embedding_bag(idx, w, offsets, { per_sample_weights: torch.ones(7) })).toThrow(
      "per_sample_weights is only supported for mode='sum' (got mode='mean')",
    )
    expect(() => F.embedding_bag(idx, w, offsets, { mode: 'sum', per_sample_weights: torch.ones(4) })).toThrow(
      'embedding_bag: If per_sample_weights (torch.Size([4])) is not None, then it must have the same shape as the input (torch.Size([7]))',
    )
    expect(() => F.embedding_bag(idx, w, torch.tensor([1, 2], { dtype: torch.int64 }))).toThrow(
      'offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start from position 0. However, got 1',
    )
    expect(() => F.embedding_bag(idx.reshape(7, 1), w, offsets)).toThrow('if input is 2D, then offsets has to be None')
  })
  it('prints as PyTorch', () => {
    expect(String(nn.EmbeddingBag(5, 3, { mode: 'sum', padding_idx: 1 }))).toBe(
      'EmbeddingBag(5, 3, mode=sum, padding_idx=1)',
    )
    expect(String(nn.EmbeddingBag(5, 3))).toBe('EmbeddingBag(5, 3, mode=mean)')
  })
})

describe('KLDivLoss.reduction', () => {
  it("keeps 'batchmean' as given (PyTorch's attribute), legacy arguments give theirs", () => {
    expect(torch.nn.KLDivLoss({ reduction: 'batchmean' }).reduction).toBe('batchmean')
    expect(torch.nn.KLDivLoss().reduction).toBe('mean')
    const [legacy] = torch.warnings.catch_warnings(() => torch.nn.KLDivLoss({ reduce: false, reduction: 'batchmean' }))
    expect(legacy.reduction).toBe('none')
    const q = torch.tensor(
      [
        [-1, -2],
        [-0.5, -3],
      ],
      { dtype: torch.float64 },
    )
    const p = torch.tensor(
      [
        [0.3, 0.7],
        [0.6, 0.4],
      ],
      { dtype: torch.float64 },
    )
    const sum = torch.nn.KLDivLoss({ reduction: 'sum' })(q, p).item()
    expect(torch.nn.KLDivLoss({ reduction: 'batchmean' })(q, p).item()).toBeCloseTo(sum / 2, 14)
  })
})
