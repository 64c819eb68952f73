/**
 * torch.fft against real PyTorch 1.13 (test/torch/fixtures/fft.py → fft.json): fftfreq and
 * rfftfreq values (float32 and float64) and dtypes, fftshift/ifftshift values, RollBackward0
 * nodes and gradients, PyTorch's errors; every name of PyTorch's torch.fft exists, and the
 * Hermitian 2-D and N-D transforms raise a NotImplementedError naming the function (the other
 * transforms: test/torch/complex.test.ts).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { sinWeights } from '../helpers/sinWeights'

interface Freq {
  readonly values: Array<number | string>
  readonly dtype: string
  readonly requires_grad: boolean
}
interface Shift {
  readonly shape: number[]
  readonly value: number[]
  readonly node: string
  readonly grad: number[]
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/fft.json', import.meta.url), 'utf8')) as {
  readonly names: string[]
  readonly fftfreq: Record<string, Freq>
  readonly rfftfreq: Record<string, Freq>
  readonly shift: Record<string, Shift>
  readonly errors: Record<string, [string, string]>
}
const D = torch.float64
const num = (v: number | string): number => (typeof v === 'number' ? v : Number(v.replace('inf', 'Infinity')))
const flat = (t: torch.Tensor): number[] => [t.reshape(-1).tolist() as number[]].flat()

const FREQ: Record<string, Record<string, () => torch.Tensor>> = {
  fftfreq: {
    n4: () => torch.fft.fftfreq(4),
    n5: () => torch.fft.fftfreq(5),
    n7_d: () => torch.fft.fftfreq(7, 0.3),
    n7_d_f64: () => torch.fft.fftfreq(7, { d: 0.3, dtype: D }),
    n1: () => torch.fft.fftfreq(1),
    n0: () => torch.fft.fftfreq(0),
    d0: () => torch.fft.fftfreq(4, { d: 0, dtype: D }),
    grad: () => torch.fft.fftfreq(3, { requires_grad: true }),
  },
  rfftfreq: {
    n4: () => torch.fft.rfftfreq(4),
    n5: () => torch.fft.rfftfreq(5),
    n9_d: () => torch.fft.rfftfreq(9, 0.7),
    n9_d_f64: () => torch.fft.rfftfreq(9, { d: 0.7, dtype: D }),
    n1: () => torch.fft.rfftfreq(1),
  },
}

describe.each(['fftfreq', 'rfftfreq'] as const)('torch.fft.%s against PyTorch 1.13', (group) => {
  it.each(Object.keys(FREQ[group] as object))('%s: exact values, dtype, requires_grad', (name) => {
    const want = fixture[group][name] as Freq
    const got = (FREQ[group] as Record<string, () => torch.Tensor>)[name]!()
    expect(flat(got)).toEqual(want.values.map(num))
    expect(`torch.${got.dtype.name}`).toBe(want.dtype)
    expect(got.requires_grad).toBe(want.requires_grad)
  })
})

const SHIFT: Record<string, (x: torch.Tensor) => torch.Tensor> = {
  fftshift_all: (x) => torch.fft.fftshift(x),
  fftshift_dim1: (x) => torch.fft.fftshift(x, 1),
  fftshift_neg: (x) => torch.fft.fftshift(x, { dim: [-1, 0] }),
  ifftshift_all: (x) => torch.fft.ifftshift(x),
  ifftshift_dim0: (x) => torch.fft.ifftshift(x, { dim: 0 }),
  ifftshift_1d: (x) => torch.fft.ifftshift(x),
}

describe('torch.fft.fftshift/ifftshift against PyTorch 1.13', () => {
  it.each(Object.keys(SHIFT))('%s: values, node, gradient', (name) => {
    const c = fixture.shift[name] as Shift
    const x = sinWeights(c.shape).requires_grad_(true)
    const out = SHIFT[name]!(x)
    // a permutation of the weights, which sin computes to within an ulp of PyTorch's
    flat(out).forEach((v, i) => expect(v).toBeCloseTo(c.value[i] as number, 14))
    expect(out.grad_fn?.name()).toBe(c.node)
    const w = torch
      .arange(1, out.numel() + 1, { dtype: D })
      .mul(0.1)
      .reshape(...out.shape)
    out.mul(w).sum().backward()
    flat(x.grad as torch.Tensor).forEach((g, i) => expect(g).toBeCloseTo(c.grad[i] as number, 12))
  })
  it('ifftshift undoes fftshift for odd and even sizes', () => {
    const x = torch.arange(30, { dtype: D }).reshape(5, 6)
    expect(torch.fft.ifftshift(torch.fft.fftshift(x)).tolist()).toEqual(x.tolist())
  })
})

describe('errors (PyTorch 1.13 texts)', () => {
  const calls: Record<string, () => unknown> = {
    fftfreq_int: () => torch.fft.fftfreq(4, { dtype: torch.int64 }),
    fftfreq_negative: () => torch.fft.fftfreq(-2),
    rfftfreq_negative: () => torch.fft.rfftfreq(-5),
    rfftfreq_int: () => torch.fft.rfftfreq(4, { dtype: torch.int32 }),
    fftshift_dim: () => torch.fft.fftshift(torch.ones(3), 2),
  }
  it.each(Object.keys(calls))('%s', (name) => {
    const [type, message] = fixture.errors[name] as [string, string]
    let caught: unknown
    try {
      calls[name]!()
    } catch (e) {
      caught = e
    }
    expect(caught).toBeInstanceOf(type === 'IndexError' ? torch.IndexError : torch.RuntimeError)
    expect((caught as Error).message).toBe(message)
  })
  it('out= is not supported; unknown keywords raise', () => {
    expect(() => torch.fft.fftfreq(4, { out: torch.ones(4) })).toThrow(/out= argument is not supported/)
    expect(() => torch.fft.fftfreq(4, { dtpye: D } as never)).toThrow(/dtype/)
  })
})

describe('every name of PyTorch 1.13 torch.fft', () => {
  const transforms = fixture.names.filter((n) => n !== 'Tensor' && !/freq$|shift$/.test(n))
  it('exists in the facade', () => {
    const facade = torch.fft as unknown as Record<string, unknown>
    for (const n of fixture.names.filter((m) => m !== 'Tensor')) expect(typeof facade[n], n).toBe('function')
    expect(transforms).toHaveLength(18)
  })
  it.each(transforms)('%s computes', (name) => {
    const f = (torch.fft as unknown as Record<string, (x: torch.Tensor) => torch.Tensor>)[name]!
    expect(f(torch.ones(4, 4)).dim()).toBe(2)
  })
})
