/**
 * Complex tensors and torch.fft against real PyTorch 1.13 (test/torch/fixtures/complex.py →
 * complex.json): every transform's values, node name and input gradient (float64, loss
 * sum(view_as_real(out)·W)); the complex ops' values and the conjugate-Wirtinger gradients of
 * complex leaves; LLaMA's apply_rotary_emb as written; an FNO spectral-conv layer (rfft2,
 * complex einsum into slices of a cfloat zeros tensor, irfft2 with s) with gradients to the
 * input and the complex weights; reprs; storage sharing of the views; refusals.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

type Nested = number | Nested[]
interface FftCase {
  readonly fn: string
  readonly kind: 'r' | 'c'
  readonly shape: number[]
  readonly kw: Record<string, unknown>
  readonly input: Nested
  readonly out: Nested
  readonly complex: boolean
  readonly grad: Nested
  readonly grad_fn: string
}
interface OpCase {
  readonly op: string
  readonly a: Nested
  readonly b?: Nested
  readonly out: Nested
  readonly complex: boolean
  readonly ga: Nested
  readonly gb?: Nested
}
const fx = JSON.parse(readFileSync(new URL('./fixtures/complex.json', import.meta.url), 'utf8')) as {
  readonly fft: FftCase[]
  readonly ops: OpCase[]
  readonly rotary: Record<string, Nested> & { q_grad_fn: string }
  readonly fno: Record<string, Nested>
  readonly repr: Array<[number[], number[], string, string]>
}

const D = torch.float64
const flat = (t: torch.Tensor): number[] => [t.reshape(-1).tolist() as number[]].flat()
const nflat = (v: Nested): number[] => (Array.isArray(v) ? v.flatMap(nflat) : [v])
// a conjugate view (ifft of a real tensor, ihfft: PyTorch's is_conj() results) is resolved first, as view_as_real requires
const realOf = (t: torch.Tensor): torch.Tensor =>
  t.is_complex() ? torch.view_as_real(t.is_conj() ? t.resolve_conj() : t) : t
const weights = (shape: ReadonlyArray<number>, dtype = D): torch.Tensor => {
  const n = shape.reduce((a, b) => a * b, 1)
  return torch
    .tensor(
      Array.from({ length: n }, (_, i) => Math.cos(0.7 * i)),
      { dtype },
    )
    .reshape([...shape])
}
const close = (got: number[], want: number[], tol: number): void => {
  expect(got.length).toBe(want.length)
  const scale = Math.max(1, ...want.map(Math.abs))
  const err = Math.max(0, ...got.map((g, i) => Math.abs(g - (want[i] as number))))
  expect(err).toBeLessThan(tol * scale)
}
const leafOf = (kind: 'r' | 'c', v: Nested, dtype = D): torch.Tensor => {
  const t = torch.tensor(v as number[], { dtype })
  return (kind === 'r' ? t : torch.view_as_complex(t)).detach().requires_grad_()
}
const lossOf = (out: torch.Tensor): torch.Tensor => {
  const r = realOf(out)
  return r.mul(weights(r.shape, r.dtype)).sum()
}

describe('torch.fft transforms (PyTorch 1.13 values, nodes and gradients)', () => {
  it.each(fx.fft.map((c, i) => [`${i} ${c.fn} ${JSON.stringify(c.kw)}`, c] as const))('%s', (_, c) => {
    const x = leafOf(c.kind, c.input)
    const f = (torch.fft as unknown as Record<string, (x: torch.Tensor, kw: object) => torch.Tensor>)[c.fn]!
    const out = f(x, c.kw)
    expect(out.is_complex()).toBe(c.complex)
    close(flat(realOf(out)), nflat(c.out), 1e-12)
    expect(out.grad_fn?.name()).toBe(c.grad_fn)
    lossOf(out).backward()
    close(flat(realOf(x.grad!)), nflat(c.grad), 1e-12)
  })
  it('n/s, dim and norm positionally; errors', () => {
    const x = torch.arange(6, { dtype: D })
    expect(flat(realOf(torch.fft.fft(x, 4, 0, 'ortho')))).toEqual(
      flat(realOf(torch.fft.fft(x, { n: 4, norm: 'ortho' }))),
    )
    expect(() => torch.fft.fft(x, { norm: 'bogus' })).toThrow('Invalid normalization mode: "bogus"')
    expect(() => torch.fft.rfft(torch.fft.fft(x))).toThrow('rfft expects a real input tensor, but got ComplexDouble')
    expect(() => torch.fft.fft(x, { n: 0 })).toThrow('Invalid number of data points (0) specified')
  })
  it('large prime and power-of-two lengths agree with the O(n²) sum', () => {
    for (const n of [97, 128]) {
      const x = torch.tensor(
        Array.from({ length: n }, (_, i) => Math.sin(0.3 * i * i)),
        { dtype: D },
      )
      const got = flat(realOf(torch.fft.fft(x)))
      const want: number[] = []
      for (let k = 0; k < n; k++) {
        let re = 0
        let im = 0
        for (let j = 0; j < n; j++) {
          const a = (-2 * Math.PI * ((j * k) % n)) / n
          re += Math.sin(0.3 * j * j) * Math.cos(a)
          im += Math.sin(0.3 * j * j) * Math.sin(a)
        }
        want.push(re, im)
      }
      close(got, want, 1e-11)
    }
  })
})

const BINARY: Record<string, (a: torch.Tensor, b: torch.Tensor) => torch.Tensor> = {
  mul: (a, b) => a.mul(b),
  div: (a, b) => a.div(b),
  add: (a, b) => a.add(b.mul(2)),
  sub: (a, b) => a.sub(b),
  matmul: (a, b) => a.reshape(2, 3).matmul(b.reshape(3, 2)),
  einsum: (a, b) => torch.einsum('ij,jk->ik', a.reshape(2, 3), b.reshape(3, 2)),
  mul_real: (a, b) => a.mul(b.real),
  cat: (a, b) => torch.cat([a, b], -1),
  stack: (a, b) => torch.stack([a, b], 0),
}
const UNARY: Record<string, (a: torch.Tensor) => torch.Tensor> = {
  abs: (a) => a.abs(),
  angle: (a) => a.angle(),
  exp: (a) => a.exp(),
  conj: (a) => a.conj().mul(a),
  neg: (a) => a.neg(),
  sum: (a) => a.reshape(2, 3).sum(-1),
  mean: (a) => a.reshape(2, 3).mean(0),
  real: (a) => a.real.mul(a.imag),
  index: (a) => a.reshape(2, 3).index('...', '1:'),
  permute: (a) => a.reshape(1, 2, 3).permute(2, 0, 1).flatten(1),
  reciprocal: (a) => a.reciprocal(),
}

describe('complex ops (PyTorch 1.13 values and complex-leaf gradients)', () => {
  it.each(fx.ops.map((c) => [c.op, c] as const))('%s', (name, c) => {
    const a = leafOf('c', c.a)
    const b = c.b === undefined ? null : leafOf('c', c.b)
    const out = b === null ? UNARY[name]!(a) : BINARY[name]!(a, b)
    expect(out.is_complex()).toBe(c.complex)
    close(flat(realOf(out)), nflat(c.out), 1e-12)
    lossOf(out).backward()
    close(flat(realOf(a.grad!)), nflat(c.ga), 1e-12)
    if (b !== null) close(flat(realOf(b.grad!)), nflat(c.gb!), 1e-12)
  })
})

// LLaMA's rotary embedding, as its model.py writes it
const precomputeFreqsCis = (dim: number, end: number, theta = 10000.0): torch.Tensor => {
  const freqs = torch.tensor(1.0).div(
    torch.tensor(theta).pow(
      torch
        .arange(0, dim, 2)
        .index(`:${Math.floor(dim / 2)}`)
        .float()
        .div(dim),
    ),
  )
  const t = torch.arange(end)
  const f = torch.outer(t, freqs).float()
  return torch.polar(torch.ones_like(f), f)
}
const reshapeForBroadcast = (freqsCis: torch.Tensor, x: torch.Tensor): torch.Tensor => {
  const ndim = x.ndim
  const shape = [...x.shape].map((d, i) => (i === 1 || i === ndim - 1 ? d : 1))
  return freqsCis.view(...shape)
}
const applyRotaryEmb = (xq: torch.Tensor, xk: torch.Tensor, freqsCis: torch.Tensor): [torch.Tensor, torch.Tensor] => {
  const xq_ = torch.view_as_complex(xq.float().reshape(...xq.shape.slice(0, -1), -1, 2))
  const xk_ = torch.view_as_complex(xk.float().reshape(...xk.shape.slice(0, -1), -1, 2))
  const fc = reshapeForBroadcast(freqsCis, xq_)
  const xqOut = torch.view_as_real(xq_.mul(fc)).flatten(3)
  const xkOut = torch.view_as_real(xk_.mul(fc)).flatten(3)
  return [xqOut.type_as(xq), xkOut.type_as(xk)]
}

describe('ported programs', () => {
  it("LLaMA's apply_rotary_emb: values and gradients", () => {
    const r = fx.rotary
    const xq = torch.tensor(r['xq'] as number[]).requires_grad_()
    const xk = torch.tensor(r['xk'] as number[]).requires_grad_()
    const fc = precomputeFreqsCis(8, 6).index(':4')
    close(flat(torch.view_as_real(fc)), nflat(r['freqs']!), 1e-6)
    const [q, k] = applyRotaryEmb(xq, xk, fc)
    close(flat(q), nflat(r['q']!), 1e-5)
    close(flat(k), nflat(r['k']!), 1e-5)
    q.mul(weights(q.shape, torch.float32)).sum().add(k.mul(k).sum()).backward()
    close(flat(xq.grad!), nflat(r['gq']!), 1e-5)
    close(flat(xk.grad!), nflat(r['gk']!), 1e-5)
  })
  it('an FNO spectral convolution: values and gradients to the input and the complex weights', () => {
    const f = fx.fno
    const [b, co, m1, m2] = [2, 2, 3, 2]
    const x = torch.tensor(f['x'] as number[]).requires_grad_()
    const w1 = leafOf('c', f['w1']!, torch.float32)
    const w2 = leafOf('c', f['w2']!, torch.float32)
    const xFt = torch.fft.rfft2(x)
    const outFt = torch.zeros(b, co, x.size(-2), Math.floor(x.size(-1) / 2) + 1, { dtype: torch.cfloat })
    outFt.set(
      ':',
      ':',
      `:${m1}`,
      `:${m2}`,
      torch.einsum('bixy,ioxy->boxy', xFt.index(':', ':', `:${m1}`, `:${m2}`), w1),
    )
    outFt.set(
      ':',
      ':',
      `-${m1}:`,
      `:${m2}`,
      torch.einsum('bixy,ioxy->boxy', xFt.index(':', ':', `-${m1}:`, `:${m2}`), w2),
    )
    const y = torch.fft.irfft2(outFt, { s: [x.size(-2), x.size(-1)] })
    close(flat(y), nflat(f['y']!), 1e-5)
    y.mul(weights(y.shape, torch.float32)).sum().backward()
    close(flat(x.grad!), nflat(f['gx']!), 1e-5)
    close(flat(realOf(w1.grad!)), nflat(f['gw1']!), 1e-5)
    close(flat(realOf(w2.grad!)), nflat(f['gw2']!), 1e-5)
  })
})

describe('complex tensors: dtypes, reprs, views, refusals', () => {
  it('dtypes and predicates', () => {
    const z = torch.complex(torch.ones(2), torch.zeros(2))
    expect(z.dtype).toBe(torch.complex64)
    expect(torch.complex64.is_complex).toBe(true)
    expect(torch.float32.is_complex).toBe(false)
    expect(torch.complex128.itemsize).toBe(16)
    expect(z.is_complex()).toBe(true)
    expect(torch.is_complex(z)).toBe(true)
    expect(z.to(torch.cdouble).dtype).toBe(torch.complex128)
    expect(torch.ones(2).to(torch.cfloat).dtype).toBe(torch.complex64)
    expect(torch.zeros(2, 3, { dtype: torch.cdouble }).shape).toEqual([2, 3])
  })
  it.each(fx.repr.map((r) => [r[3], r] as const))('repr %s', (want, [re, im, dt]) => {
    const dtype = dt === 'float64' ? D : torch.float32
    expect(String(torch.complex(torch.tensor(re, { dtype }), torch.tensor(im, { dtype })))).toBe(want)
  })
  it('view_as_real, view_as_complex, .real and .imag share storage', () => {
    const x = torch.tensor([
      [1, 2],
      [3, 4],
    ])
    const z = torch.view_as_complex(x)
    x.index(0).index(1).fill_(7)
    expect(flat(z.imag)).toEqual([7, 4])
    z.real.mul_(2)
    expect(flat(x)).toEqual([2, 7, 6, 4])
    torch.view_as_real(z).index(1).zero_()
    expect(flat(x)).toEqual([2, 7, 0, 0])
    const leaf = torch.ones(2, 2, { requires_grad: true })
    expect(torch.view_as_complex(leaf).grad_fn?.name()).toBe('ViewAsComplexBackward0')
    expect(torch.view_as_real(torch.view_as_complex(leaf)).grad_fn?.name()).toBe('ViewAsRealBackward0')
    expect(() => torch.view_as_complex(torch.ones(3))).toThrow('Tensor must have a last dimension of size 2')
    expect(() => torch.view_as_complex(torch.ones(2, 2).t())).toThrow('Tensor must have a last dimension with stride 1')
  })
  it('ops without complex support raise a NotImplementedError naming them', () => {
    const z = torch.complex(torch.ones(2), torch.zeros(2))
    expect(() => z.sigmoid()).toThrow(torch.NotImplementedError)
    expect(() => z.sigmoid()).toThrow(/'sigmoid' is not supported for complex tensors/)
    expect(() => torch.ones(2).add(1).relu().mul(2).add(z).max()).toThrow(/'max' is not supported for complex/)
    expect(() => z.sum().backward()).toThrow('grad can be implicitly created only for real scalar outputs')
  })
})
