/**
 * torch.fft's signed zeros and `.grad` versions against PyTorch 1.13 (fixture:
 * scripts/fixtures/fft_signed_zero.py): the kernel's exact zeros (mixed radix, no twiddle on bin 0),
 * ifft of a real tensor and ihfft as conjugate views, `.real`/`.imag` of a conjugate view, hfft
 * trimming before it conjugates, and padding as one constant_pad_nd (difftest seeds 440000–441999).
 */
import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'
import cases from '../fixtures/fft/signed_zero.json'

type Nested = number | Nested[]
const D = torch.float64
const leaf = (v: Nested): torch.Tensor => torch.tensor(v, { dtype: D, requires_grad: true })
const flat = (t: torch.Tensor): number[] => [t.reshape(-1).tolist() as number[]].flat()
const realOf = (t: torch.Tensor): torch.Tensor =>
  t.is_complex() ? torch.view_as_real(t.is_conj() ? t.resolve_conj() : t) : t

/** Within 1e-12, and where both have a zero the same zero (+0 or −0). */
const same = (got: number[], want: number[]): void => {
  expect(got.length).toBe(want.length)
  got.forEach((g, i) => {
    const w = want[i] as number
    // (the difftest's rule: a tiny value against an exact zero is within tolerance, a zero of the other sign is not)
    if (w === 0 && g === 0) expect(Object.is(g, -0)).toBe(Object.is(w, -0))
    else if (w === 0) expect(Math.abs(g)).toBeLessThan(1e-12)
    else expect(Math.abs(g - w)).toBeLessThan(1e-12 * Math.max(1, Math.abs(w)))
  })
}

type Built = { leaves: torch.Tensor[]; out: torch.Tensor; loss: torch.Tensor }
const cx = (a: torch.Tensor, b: torch.Tensor): torch.Tensor => torch.complex(a, b)

const build = (name: string): Built => {
  const one = (v: Nested, f: (x: torch.Tensor) => torch.Tensor, l: (y: torch.Tensor) => torch.Tensor): Built => {
    const x = leaf(v)
    const out = f(x)
    return { leaves: [x], out, loss: l(out) }
  }
  const re = (y: torch.Tensor): torch.Tensor => torch.real(y).sum()
  const im = (y: torch.Tensor): torch.Tensor => torch.imag(y).sum()
  switch (name) {
    case 'ifft_real_imag':
      return one([0.9375, -1.6875, 1.921875, -1.859375, -0.890625, -0.4375], (x) => torch.fft.ifft(x), im)
    case 'ihfft_imag':
      return one([0, 1.84375, -1.703125, 0.375], (x) => torch.fft.ihfft(x), im)
    case 'conj_imag':
      return one(
        [
          [1, 2],
          [3, -1],
        ],
        (x) => torch.view_as_complex(x).conj(),
        im,
      )
    case 'conj_real':
      return one(
        [
          [1, 2],
          [3, -1],
        ],
        (x) => torch.view_as_complex(x).conj(),
        re,
      )
    case 'irfftn_s45': {
      const a = leaf([
        [-0.625, 1.875, 1.3125, -1.046875, -0.46875, -1.828125],
        [-1.015625, -0.6875, -0.09375, 1.6875, -0.171875, 1.015625],
      ])
      const b = leaf([
        [0.625, 0.859375, -1.53125, 0.640625, -0.546875, -0.515625],
        [-0.765625, 0.765625, 0.203125, -0.296875, 1.734375, -0.46875],
      ])
      const out = torch.fft.irfftn(cx(a, b), { s: [4, 5] })
      return { leaves: [a, b], out, loss: out.sum().add(torch.fft.ifftshift(out).mul(2).sum()) }
    }
    case 'hfft_trim': {
      const a = leaf([-0.25, 0.65625, 1.265625, 0.59375, 1.171875, -0.421875, 2])
      const b = leaf([1.3125, 0.78125, -1.796875, 1.671875, -0.6875, 0.578125, 1.109375])
      const out = torch.fft.hfft(cx(a, b), { n: 6, norm: 'ortho' })
      return { leaves: [a, b], out, loss: out.sum() }
    }
    case 'rfft_pad_version':
      return one(
        [1.796875, 0.828125, 0.96875, 1.53125, -1.96875],
        (x) => torch.fft.rfft(x, { n: 6, norm: 'forward' }),
        re,
      )
    case 'ifft_pad_version':
      return one(
        [
          [0.5, -1.25, 0.75],
          [1.5, 0.25, -0.5],
        ],
        (x) => torch.fft.ifft(x, { n: 7 }),
        (y) => torch.real(y).sum().add(torch.imag(y).mul(2).sum()),
      )
    case 'rfftn_pad_version':
      return one(
        [
          [1, 2, 3, 4, 5],
          [0.5, -1, 2, 0.25, 1],
        ],
        (x) => torch.fft.rfftn(x, { s: [3, 6] }),
        re,
      )
    default: {
      const n = Number(name.replace('fft_constant_', ''))
      return one(new Array<number>(n).fill(0.7), (x) => torch.fft.fft(x.to(torch.complex128)), re)
    }
  }
}

describe('torch.fft signed zeros and .grad versions (PyTorch 1.13)', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const { leaves, out, loss } = build(name)
    same(flat(realOf(out)), c.out)
    expect(out.is_conj()).toBe(c.is_conj)
    loss.backward()
    leaves.forEach((x, i) => {
      same(flat(x.grad!), c.grads[i] as number[])
      expect(x.grad!._version).toBe(c.versions[i])
    })
  })
})
