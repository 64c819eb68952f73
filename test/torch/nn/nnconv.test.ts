/**
 * Convolution, pooling, padding and resampling layers and functions against PyTorch 1.13
 * (float64 forward values, gradients w.r.t. the input and every parameter, node names, module
 * reprs; fixture test/fixtures/torch/nnconv.json from nnconv.py beside it).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import * as nn from '../../../src/torch/nn/index'

const F = nn.functional

interface Case {
  kind: 'F' | 'M'
  fn: string
  args: unknown[]
  kw: Record<string, unknown>
  fargs?: unknown[]
  repr?: string
  params?: Record<string, { shape: number[]; data: number[] }>
  x: number[]
  xShape: number[]
  y: number[]
  yShape: number[]
  idx: number[] | null
  cot: number[]
  gx: number[] | null
  gparams: Record<string, number[]>
  gradFn: string | null
}
const cases = JSON.parse(readFileSync(new URL('../../fixtures/torch/nnconv.json', import.meta.url), 'utf8')) as Case[]

const t64 = (xs: number[], shape: number[], requires_grad = false): torch.Tensor =>
  torch.tensor(xs, { dtype: torch.float64 }).reshape(shape).detach().requires_grad_(requires_grad)
const flat = (t: torch.Tensor): number[] => {
  const v = t.tolist()
  return Array.isArray(v) ? (v.flat(6) as number[]) : [v as number]
}
const close = (t: torch.Tensor, expected: number[], tol = 1e-12): void => {
  const got = flat(t)
  expect(got.length).toBe(expected.length)
  got.forEach((v, i) => expect(Math.abs(v - (expected[i] as number))).toBeLessThan(tol))
}
const callArgs = (c: Case): unknown[] => (Object.keys(c.kw).length > 0 ? [...c.args, c.kw] : c.args)

type AnyFn = (...args: unknown[]) => torch.Tensor | [torch.Tensor, torch.Tensor]
type AnyModule = nn.Module & { call: AnyFn }

const check = (
  c: Case,
  x: torch.Tensor,
  r: torch.Tensor | [torch.Tensor, torch.Tensor],
  params: Array<[string, torch.Tensor]>,
) => {
  const [y, idx] = Array.isArray(r) ? r : [r, undefined]
  expect(String(y.shape)).toBe(`torch.Size([${c.yShape.join(', ')}])`)
  close(y, c.y)
  expect(y.grad_fn?.name() ?? null).toBe(c.gradFn)
  if (c.idx !== null) {
    expect(idx?.dtype).toBe(torch.int64)
    expect(flat(idx as torch.Tensor)).toEqual(c.idx)
  }
  y.mul(t64(c.cot, c.yShape)).sum().backward()
  if (c.gx !== null) close(x.grad as torch.Tensor, c.gx)
  for (const [name, p] of params) close(p.grad as torch.Tensor, c.gparams[name] as number[])
}

describe('functions vs PyTorch 1.13', () => {
  const fs = cases.filter((c) => c.kind === 'F')
  it.each(fs.map((c, i) => [`${i} ${c.fn} ${JSON.stringify(c.args)} ${JSON.stringify(c.kw)}`, c] as const))(
    '%s',
    (_, c) => {
      const x = t64(c.x, c.xShape, true)
      const f = (F as unknown as Record<string, AnyFn>)[c.fn] as AnyFn
      check(c, x, f(x, ...callArgs(c)), [])
    },
  )
})

describe('modules vs PyTorch 1.13', () => {
  const ms = cases.filter((c) => c.kind === 'M')
  it.each(ms.map((c, i) => [`${i} ${c.repr}`, c] as const))('%s', (_, c) => {
    const ctor = (nn as unknown as Record<string, (...a: unknown[]) => AnyModule>)[c.fn] as (
      ...a: unknown[]
    ) => AnyModule
    const m = ctor(...callArgs(c)).double()
    expect(String(m)).toBe(c.repr)
    const sd: Record<string, torch.Tensor> = {}
    for (const [name, p] of Object.entries(c.params ?? {})) sd[name] = t64(p.data, p.shape)
    expect(String(m.load_state_dict(sd))).toBe('<All keys matched successfully>')
    const x = t64(c.x, c.xShape, true)
    check(c, x, m.call(x, ...(c.fargs ?? [])), [...m.named_parameters()])
  })
})
