/**
 * torch.stft / torch.istft (and Tensor.stft/istft) against real PyTorch 1.13
 * (test/torch/fixtures/stft.py → stft.json): values, input and window gradients of the loss
 * sum(view_as_real(out)·W), the head of the node chain, and PyTorch's error texts. Where 2.x
 * differs from 1.13 the test says so and follows 2.x: return_complex is required for real input,
 * istft requires a complex input, the istft messages spell "onesided", a 1-D stft ends in
 * SqueezeBackward4 (2.x's name of squeeze_(dim)) and istft overlap-adds with
 * UnfoldBackwardBackward0 (1.13: Col2ImBackward0 between extra squeezes).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

type Nested = number | Nested[]
type WindowSpec = [string, number, string?] | null
interface StftCase {
  readonly kind: 'r' | 'c'
  readonly shape: number[]
  readonly n_fft: number
  readonly window: WindowSpec
  readonly kw: Record<string, unknown>
  readonly input: Nested
  readonly out: Nested
  readonly out_shape: number[]
  readonly complex: boolean
  readonly grad: Nested
  readonly window_grad: Nested | null
  readonly chain: string[]
}
interface IstftCase {
  readonly shape: number[]
  readonly n_fft: number
  readonly window: WindowSpec
  readonly kw: Record<string, unknown>
  readonly input: Nested
  readonly signal: Nested
  readonly out: Nested
  readonly out_shape: number[]
  readonly complex: boolean
  readonly grad: Nested
  readonly chain: string[]
}
const fx = JSON.parse(readFileSync(new URL('./fixtures/stft.json', import.meta.url), 'utf8')) as {
  readonly stft: StftCase[]
  readonly istft: IstftCase[]
  readonly errors: Record<string, [string, string] | null>
}

const D = torch.float64
const flat = (t: torch.Tensor): number[] => [t.reshape(-1).tolist() as number[]].flat()
const nflat = (v: Nested): number[] => (Array.isArray(v) ? v.flatMap(nflat) : [v])
const realOf = (t: torch.Tensor): torch.Tensor => (t.is_complex() ? torch.view_as_real(t) : t)
const weights = (shape: ReadonlyArray<number>): torch.Tensor => {
  const n = shape.reduce((a, b) => a * b, 1)
  return torch
    .tensor(
      Array.from({ length: n }, (_, i) => Math.cos(0.7 * i)),
      { dtype: D },
    )
    .reshape([...shape])
}
const close = (got: number[], want: number[], tol = 1e-12): void => {
  expect(got.length).toBe(want.length)
  const scale = Math.max(1, ...want.map(Math.abs))
  const err = Math.max(0, ...got.map((g, i) => Math.abs(g - (want[i] as number))))
  expect(err).toBeLessThan(tol * scale)
}
const leafOf = (kind: 'r' | 'c', v: Nested): torch.Tensor => {
  const t = torch.tensor(v as number[], { dtype: D })
  return (kind === 'r' ? t : torch.view_as_complex(t)).detach().requires_grad_()
}
const windowOf = (spec: WindowSpec): torch.Tensor | null => {
  if (spec === null) return null
  const make = (torch as unknown as Record<string, (n: number, kw: object) => torch.Tensor>)[`${spec[0]}_window`]!
  const w = make(spec[1], { dtype: D })
  return spec[2] === 'grad' ? w.requires_grad_() : w
}
const lossOf = (out: torch.Tensor): torch.Tensor => {
  const r = realOf(out)
  return r.mul(weights(r.shape)).sum()
}
const chainOf = (t: torch.Tensor, n: number): string[] => {
  const names: string[] = []
  let fn = t.grad_fn
  while (fn !== null && names.length < n) {
    names.push(fn.name())
    fn = fn.next_functions.map(([f]) => f).find((f) => f !== null) ?? null
  }
  return names
}
/** 1.13's node chain with 2.x's names: squeeze_(dim) is SqueezeBackward4 there. */
const stftChain2x = (chain: ReadonlyArray<string>): string[] =>
  chain
    .slice(0, chain.indexOf('AsStridedBackward0') + 1)
    .map((n) => (n === 'SqueezeBackward3' ? 'SqueezeBackward4' : n))

describe('torch.stft (PyTorch 1.13 values, gradients and nodes)', () => {
  it.each(
    fx.stft.map(
      (c, i) => [`${i} ${c.kind}${JSON.stringify(c.shape)} n_fft=${c.n_fft} ${JSON.stringify(c.kw)}`, c] as const,
    ),
  )('%s', (_, c) => {
    const x = leafOf(c.kind, c.input)
    const w = windowOf(c.window)
    const out = torch.stft(x, c.n_fft, { ...c.kw, window: w })
    expect([...out.shape]).toEqual(c.out_shape)
    expect(out.is_complex()).toBe(c.complex)
    close(flat(realOf(out)), nflat(c.out))
    const want = stftChain2x(c.chain)
    expect(chainOf(out, want.length)).toEqual(want)
    lossOf(out).backward()
    close(flat(realOf(x.grad!)), nflat(c.grad))
    if (c.window_grad !== null) close(flat(w!.grad!), nflat(c.window_grad))
  })
  it('positional options and the Tensor method agree with the keyword form', () => {
    const x = torch.sin(torch.arange(20, { dtype: D }))
    const w = torch.hann_window(8, { dtype: D })
    const a = torch.stft(x, 8, 2, 8, w, true, 'reflect', false, true, true)
    const b = x.stft(8, { hop_length: 2, window: w, return_complex: true })
    expect(flat(realOf(a))).toEqual(flat(realOf(b)))
    expect(() => x.stft(8, { hop: 2, return_complex: true } as never)).toThrow(/unexpected keyword argument 'hop'/)
    expect(() => torch.stft(x, 8, { hop: 2 } as never)).toThrow(/stft\(\) got an unexpected keyword argument 'hop'/)
  })
})

describe('torch.istft (PyTorch 1.13 values, gradients and nodes)', () => {
  it.each(
    fx.istft.map((c, i) => [`${i} ${JSON.stringify(c.shape)} n_fft=${c.n_fft} ${JSON.stringify(c.kw)}`, c] as const),
  )('%s', (_, c) => {
    const spec = leafOf('c', c.input)
    const out = torch.istft(spec, c.n_fft, { ...c.kw, window: windowOf(c.window) })
    expect([...out.shape]).toEqual(c.out_shape)
    expect(out.is_complex()).toBe(c.complex)
    close(flat(realOf(out)), nflat(c.out))
    // 2.x: [ConstantPadNd], SqueezeBackward1 (3-D input), DivBackward0, SliceBackward0, UnfoldBackwardBackward0, MulBackward0, the inverse transform
    const padded = c.chain[0] === 'ConstantPadNdBackward0' ? ['ConstantPadNdBackward0'] : []
    const squeezed = c.shape.length === 2 ? ['SqueezeBackward1'] : []
    const inverse = c.complex ? 'FftC2CBackward0' : 'FftC2RBackward0'
    const want = [
      ...padded,
      ...squeezed,
      'DivBackward0',
      'SliceBackward0',
      'UnfoldBackwardBackward0',
      'MulBackward0',
      inverse,
    ]
    expect(chainOf(out, want.length)).toEqual(want)
    lossOf(out).backward()
    close(flat(realOf(spec.grad!)), nflat(c.grad))
  })
  it('inverts stft: the signal comes back', () => {
    for (const c of fx.istft.filter((k) => k.kw['length'] === undefined && !k.complex)) {
      const spec = leafOf('c', c.input)
      const out = spec.istft(c.n_fft, { ...c.kw, window: windowOf(c.window) })
      const sig = nflat(c.signal)
      close(flat(out), sig.slice(0, out.numel()), 1e-12)
    }
  })
})

describe('stft/istft errors (PyTorch texts; 2.x where it differs)', () => {
  const e = fx.errors
  const x = torch.sin(torch.arange(20, { dtype: D }))
  const c = torch.view_as_complex(torch.sin(torch.arange(40, { dtype: D })).reshape(5, 4, 2)).clone()
  const w8 = torch.hann_window(8, { dtype: D })
  const throwsAs = (f: () => unknown, want: [string, string] | null | undefined): void => {
    expect(want).toBeTruthy()
    const [kind, text] = want!
    let got: unknown
    try {
      f()
    } catch (err) {
      got = err
    }
    expect(got).toBeInstanceOf(Error)
    expect((got as Error).message).toBe(text)
    expect((got as Error).name).toBe(kind)
  }
  it('stft', () => {
    const v = (s: number[]): torch.Tensor =>
      torch
        .sin(
          torch.arange(
            s.reduce((a, b) => a * b, 1),
            { dtype: D },
          ),
        )
        .reshape(s)
    throwsAs(() => torch.stft(v([1, 2, 20]), 8, { return_complex: true }), e['stft_3d'])
    throwsAs(() => torch.stft(x, 30, { center: false, return_complex: true }), e['stft_nfft'])
    throwsAs(() => torch.stft(x, 8, { hop_length: 0, return_complex: true }), e['stft_hop'])
    throwsAs(() => torch.stft(x, 8, { win_length: 9, return_complex: true }), e['stft_win'])
    throwsAs(
      () => torch.stft(x, 8, { window: torch.ones(6, { dtype: D }), return_complex: true }),
      e['stft_window_size'],
    )
    throwsAs(
      () => torch.stft(torch.view_as_complex(v([20, 2])), 8, { onesided: true, return_complex: true }),
      e['stft_onesided_complex'],
    )
    throwsAs(() => torch.stft(x, 8, { pad_mode: 'bogus', return_complex: true }), e['stft_pad_mode'])
    // 2.x raises where 1.13 warned (SpectralOps.cpp: return_complexOpt.has_value())
    expect(() => torch.stft(x, 8)).toThrow(
      'stft requires the return_complex parameter be given for real inputs, and will further require that return_complex=True in a future PyTorch release.',
    )
  })
  it('istft', () => {
    // 2.x: the input must be complex (1.13 read a real (…, 2) tensor and failed on its dims)
    expect(() => torch.istft(torch.ones(5, 4, { dtype: D }), 8)).toThrow(
      'istft requires a complex-valued input tensor matching the output from stft with return_complex=True.',
    )
    throwsAs(() => torch.istft(torch.view_as_complex(torch.ones(5, 2, { dtype: D })), 8), e['istft_dims'])
    // 2.x spells "onesided" where 1.13 wrote "onsided"
    const spelled = (k: string): [string, string] => [e[k]![0], e[k]![1].replace('onsided', 'onesided')]
    throwsAs(() => torch.istft(c, 6, { onesided: true }), spelled('istft_onesided'))
    throwsAs(() => torch.istft(c, 6, { onesided: false }), spelled('istft_twosided'))
    throwsAs(() => torch.istft(c, 8, { hop_length: 9 }), e['istft_hop'])
    throwsAs(() => torch.istft(c, 8, { win_length: 9 }), e['istft_win'])
    throwsAs(() => torch.istft(c, 8, { window: torch.ones(5, { dtype: D }) }), e['istft_window'])
    throwsAs(() => torch.istft(c, 8, { window: w8, center: false }), e['istft_envelope'])
    throwsAs(() => torch.istft(c, 8, { return_complex: true }), e['istft_onesided_complex'])
    throwsAs(() => torch.istft(torch.zeros(5, 0, { dtype: torch.cdouble }), 8), e['istft_empty'])
  })
})

interface HermCase {
  readonly fn: string
  readonly kind: 'r' | 'c'
  readonly kw: Record<string, unknown>
  readonly input: Nested
  readonly out: Nested
  readonly out_shape: number[]
  readonly complex: boolean
  readonly grad: Nested
  readonly chain: string[]
}
const hx = fx as unknown as { herm: HermCase[]; herm_errors: Record<string, [string, string]> }

describe('fft.hfft2/ihfft2/hfftn/ihfftn (PyTorch 1.13 values, gradients and nodes)', () => {
  it.each(hx.herm.map((c, i) => [`${i} ${c.fn} ${JSON.stringify(c.kw)}`, c] as const))('%s', (_, c) => {
    const x = leafOf(c.kind, c.input)
    const f = (torch.fft as unknown as Record<string, (x: torch.Tensor, kw: object) => torch.Tensor>)[c.fn]!
    const out = f(x, c.kw)
    expect([...out.shape]).toEqual(c.out_shape)
    expect(out.is_complex()).toBe(c.complex)
    close(flat(realOf(out)), nflat(c.out))
    const want = c.chain.slice(0, 3)
    expect(chainOf(out, 3)).toEqual(want)
    lossOf(out).backward()
    close(flat(realOf(x.grad!)), nflat(c.grad))
  })
  it('errors', () => {
    const z = torch.view_as_complex(torch.ones(3, 4, 2, { dtype: D }))
    expect(() => torch.fft.ihfft2(z)).toThrow(hx.herm_errors['ihfft2_complex']![1])
    expect(() => torch.fft.hfftn(torch.ones(3, 4, { dtype: D }), { dim: [0, 0] })).toThrow(
      hx.herm_errors['hfftn_dup']![1],
    )
  })
})

describe('Tensor.cfloat/cdouble/chalf (PyTorch 1.13)', () => {
  const cx = fx as unknown as { casts: Record<string, [string, Nested] | string> }
  it('values and dtypes; chalf refused by name', () => {
    const x = torch.sin(torch.arange(3, { dtype: D }))
    const want = (k: string): [string, Nested] => cx.casts[k] as [string, Nested]
    expect(`torch.${x.cfloat().dtype.name}`).toBe(want('cfloat')[0])
    close(flat(realOf(x.cfloat())), nflat(want('cfloat')[1]), 1e-7)
    expect(`torch.${x.cdouble().dtype.name}`).toBe(want('cdouble')[0])
    close(flat(realOf(x.cdouble())), nflat(want('cdouble')[1]))
    const xi = torch.tensor([1, -2, 3])
    expect(flat(realOf(xi.cfloat()))).toEqual(nflat(want('int_cfloat')[1]))
    const z = torch.view_as_complex(
      torch.tensor(
        [
          [Math.sin(0.3), Math.sin(1.2)],
          [Math.sin(2.1), Math.sin(3.0)],
        ],
        { dtype: D },
      ),
    )
    expect(z.cfloat().dtype).toBe(torch.complex64)
    close(flat(realOf(z.cfloat())), nflat(want('c_cfloat')[1]), 1e-7)
    expect(() => x.chalf()).toThrow(torch.NotImplementedError)
    expect(() => x.chalf()).toThrow(/chalf: complex32/)
  })
})
