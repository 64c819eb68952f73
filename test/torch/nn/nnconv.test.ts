/**
 * Convolution, pooling, padding and resampling layers and functions against PyTorch 1.13
 * (float64 forward values, gradients w.r.t. the input and every parameter, node names, module
 * reprs; fixture test/fixtures/torch/nnconv.json from nnconv.py beside it).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import * as nn from '../../../src/torch/nn/index'
import { typeName } from '../../helpers/nodeNames'

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
  expect(typeName(y.grad_fn)).toBe(c.gradFn)
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

describe('second order (gradgradcheck in float64)', () => {
  const x = (...shape: number[]) => torch.rand(...shape, { dtype: torch.float64, requires_grad: true })
  it.each([
    ['reflect pad', (v: torch.Tensor) => F.pad(v, [1, 2, 2, 1], 'reflect').pow(2), [1, 2, 4, 4]],
    ['circular pad', (v: torch.Tensor) => F.pad(v, [1, 2], 'circular').pow(2), [2, 3, 4]],
    ['adaptive avg pool', (v: torch.Tensor) => F.adaptive_avg_pool2d(v, [2, 3]).pow(2), [1, 2, 5, 4]],
    ['adaptive max pool', (v: torch.Tensor) => F.adaptive_max_pool2d(v, [2, 2]).pow(2), [1, 2, 5, 4]],
    ['bilinear', (v: torch.Tensor) => F.interpolate(v, { scale_factor: 2, mode: 'bilinear' }).pow(2), [1, 1, 3, 3]],
    ['bicubic', (v: torch.Tensor) => F.interpolate(v, { size: [4, 5], mode: 'bicubic' }).pow(2), [1, 1, 3, 3]],
    ['unfold', (v: torch.Tensor) => F.unfold(v, 2, { stride: 1 }).pow(2), [1, 2, 3, 3]],
    ['fold', (v: torch.Tensor) => F.fold(v, [3, 3], 2).pow(2), [1, 8, 4]],
    ['pixel shuffle', (v: torch.Tensor) => F.pixel_shuffle(v, 2).pow(2), [1, 4, 2, 2]],
  ] as const)('%s', (_, f, shape) => {
    expect(torch.autograd.gradgradcheck(f, [x(...shape)])).toBe(true)
  })
})

describe("PyTorch's messages for bad input", () => {
  const thrown = (f: () => unknown): string => {
    try {
      f()
    } catch (e) {
      return `${(e as Error).name}: ${(e as Error).message}`
    }
    return 'no error'
  }
  it('convolution layers', () => {
    const conv = nn.Conv2d(3, 8, 3)
    expect(thrown(() => conv.call(torch.ones(28, 28)))).toBe(
      'RuntimeError: Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [28, 28]',
    )
    expect(thrown(() => conv.call(torch.ones(1, 4, 5, 5)))).toBe(
      'RuntimeError: Given groups=1, weight of size [8, 3, 3, 3], expected input[1, 4, 5, 5] to have 3 channels, but got 4 channels instead',
    )
    expect(thrown(() => nn.Conv2d(4, 6, 3, { groups: 4 }))).toMatch(/out_channels must be divisible by groups/)
    expect(thrown(() => nn.Conv1d(2, 2, 3, { padding: 'same', stride: 2 }))).toMatch(
      /padding='same' is not supported for strided convolutions/,
    )
    expect(thrown(() => nn.Conv2d(2, 2, 3, { padding_mode: 'zero' as 'zeros' }))).toMatch(
      /padding_mode must be one of .*, but got padding_mode='zero'/,
    )
    expect(thrown(() => nn.ConvTranspose2d(2, 2, 3, { padding_mode: 'reflect' }))).toBe(
      'ValueError: Only "zeros" padding mode is supported for ConvTranspose2d',
    )
    expect(thrown(() => nn.ConvTranspose1d(2, 2, 3, 2).call(torch.ones(1, 2, 4), [12]))).toBe(
      'ValueError: requested an output size of (12,), but valid sizes range from (9,) to (10,) (for an input of (4,))',
    )
  })
  it('padding, pooling, resampling', () => {
    const x = torch.ones(1, 2, 4, 5)
    expect(thrown(() => F.pad(x, [1, 2, 3]))).toBe('RuntimeError: Padding length must be divisible by 2')
    expect(thrown(() => F.pad(x, [5, 1, 0, 0], 'reflect'))).toMatch(
      /Padding size should be less than the corresponding input dimension, but got: padding \(5, 1\) at dimension 3/,
    )
    expect(thrown(() => F.pad(x, [6, 1, 0, 0], 'circular'))).toBe(
      'RuntimeError: Padding value causes wrapping around more than once.',
    )
    expect(thrown(() => F.pad(x, [1, 1], 'reflect'))).toBe(
      'NotImplementedError: Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now',
    )
    expect(thrown(() => F.adaptive_avg_pool2d(torch.ones(5), 2))).toBe(
      'RuntimeError: adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got [5]',
    )
    expect(thrown(() => F.adaptive_avg_pool1d(torch.ones(5), 2))).toMatch(
      /Expected 2 to 3 dimensions, but got 1-dimensional/,
    )
    expect(thrown(() => F.interpolate(x))).toBe('ValueError: either size or scale_factor should be defined')
    expect(thrown(() => F.interpolate(x, { scale_factor: 2, mode: 'linear' }))).toBe(
      'NotImplementedError: Got 4D input, but linear mode needs 3D input',
    )
    expect(thrown(() => F.interpolate(x, { scale_factor: 2, align_corners: true }))).toMatch(
      /align_corners option can only be set with the interpolating modes/,
    )
    expect(thrown(() => F.pixel_shuffle(torch.ones(1, 3, 2, 2), 2))).toMatch(/input.size\(-3\)=3 is not divisible by 4/)
    expect(thrown(() => F.fold(torch.ones(1, 8, 5), [3, 4], 2))).toMatch(
      /expected size of input's dimension 2 to match the calculated number of sliding blocks 2 \* 3 = 6, but got input.size\(2\)=5/,
    )
    expect(thrown(() => F.dropout1d(x))).toMatch(/dropout1d: Expected 2D or 3D input, but received a 4D input/)
  })
})
