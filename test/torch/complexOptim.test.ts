/**
 * Complex nn.Parameters against real PyTorch 1.13 (test/torch/fixtures/complexOptim.py →
 * complexOptim.json): a complex Parameter is an nn.Parameter that Modules register; SGD, Adam,
 * AdamW, RMSprop and Adagrad update it as its view_as_real (PyTorch 2.x; the reference is the
 * optimizer run on the real view, which equals 1.13's own complex result wherever 1.13 has one);
 * clip_grad_norm_ measures |g| of complex gradients; an FNO SpectralConv2d trained with Adam.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

type Nested = number | Nested[]
interface OptimCase {
  readonly name: 'SGD' | 'Adam' | 'AdamW' | 'RMSprop' | 'Adagrad'
  readonly kw: Record<string, unknown>
  readonly init: Nested
  readonly steps: Nested[]
  readonly native: Nested[] | string
}
interface ClipCase {
  readonly norm_type: number | 'inf'
  readonly total: number
  readonly gc: Nested
  readonly gr: Nested
  readonly gc_in: Nested
  readonly gr_in: Nested
  readonly pc: Nested
  readonly pr: Nested
}
interface FnoStep {
  readonly loss: number
  readonly w1: Nested
  readonly w2: Nested
}
interface PowerCase {
  readonly op: 'square' | 'sqrt' | 'log' | 'pow'
  readonly arg: number | null
  readonly z: Nested
  readonly out: Nested
  readonly grad: Nested
}
interface Fixture {
  readonly powers: PowerCase[]
  readonly optim: OptimCase[]
  readonly clip: ClipCase[]
  readonly fno: {
    readonly x: Nested
    readonly target: Nested
    readonly w1: Nested
    readonly w2: Nested
    readonly steps: FnoStep[]
    readonly names: string[]
    readonly state_keys: string[]
    readonly repr: string
  }
}
const fx = JSON.parse(readFileSync(new URL('./fixtures/complexOptim.json', import.meta.url), 'utf8')) as Fixture

const D = torch.float64
const nflat = (v: Nested): number[] => (Array.isArray(v) ? v.flatMap(nflat) : [v])
const flat = (t: torch.Tensor): number[] => nflat(t.reshape(-1).tolist() as Nested)
const close = (got: number[], want: number[], tol: number): void => {
  expect(got.length).toBe(want.length)
  const scale = Math.max(1, ...want.map(Math.abs))
  const err = Math.max(0, ...got.map((g, i) => Math.abs(g - (want[i] as number))))
  expect(err).toBeLessThan(tol * scale)
}
const weights = (shape: ReadonlyArray<number>): torch.Tensor => {
  const n = shape.reduce((a, b) => a * b, 1)
  const w = Array.from({ length: n }, (_, i) => Math.cos(0.7 * i))
  return torch.tensor(w, { dtype: D }).reshape([...shape])
}
const lossOf = (z: torch.Tensor): torch.Tensor =>
  torch
    .view_as_real(z.mul(z))
    .mul(weights([...z.shape, 2]))
    .sum()
    .add(z.abs().sum())

describe('complex nn.Parameter', () => {
  it('is an nn.Parameter: a complex leaf sharing the values, printed as PyTorch', () => {
    const z = torch.complex(torch.tensor([1.0, 3.0]), torch.tensor([2.0, -1.0]))
    const p = torch.nn.Parameter(z)
    expect(p instanceof torch.nn.Parameter).toBe(true)
    expect(torch.ones(2) instanceof torch.nn.Parameter).toBe(false)
    expect(p.is_complex() && p.is_leaf && p.requires_grad).toBe(true)
    expect(String(p)).toBe(fx.fno.repr)
    expect(torch.nn.Parameter(z, false).requires_grad).toBe(false)
    torch.view_as_real(z).mul_(2)
    expect(torch.view_as_real(p).tolist()).toEqual([
      [2, 4],
      [6, -2],
    ])
  })
  it('is registered by a Module: named_parameters, state_dict, zero_grad, requires_grad_, load_state_dict', () => {
    class M extends torch.nn.Module {
      w = torch.nn.Parameter(torch.complex(torch.tensor([1.0, 3.0]), torch.tensor([2.0, -1.0])))
      forward(): torch.Tensor {
        return torch.view_as_real(this.w.mul(this.w)).sum()
      }
    }
    const m = new M()
    expect([...m.named_parameters()].map(([n]) => n)).toEqual(['w'])
    expect(Object.keys(m.state_dict())).toEqual(['w'])
    m.forward().backward()
    expect(torch.view_as_real(m.w.grad!).tolist()).toEqual([
      [6, -2],
      [4, 8],
    ])
    m.zero_grad(false)
    expect(torch.view_as_real(m.w.grad!).tolist()).toEqual([
      [0, 0],
      [0, 0],
    ])
    m.zero_grad()
    expect(m.w.grad).toBeNull()
    m.load_state_dict({ w: torch.complex(torch.tensor([5.0, 6.0]), torch.tensor([0.0, 1.0])) })
    expect(torch.view_as_real(m.w).tolist()).toEqual([
      [5, 0],
      [6, 1],
    ])
    m.requires_grad_(false)
    expect(m.w.requires_grad).toBe(false)
  })
})

describe('optimizers on complex parameters (per-component, as view_as_real)', () => {
  it.each(fx.optim.map((c, i) => [`${i} ${c.name} ${JSON.stringify(c.kw)}`, c] as const))('%s', (_, c) => {
    const p = torch.nn.Parameter(torch.view_as_complex(torch.tensor(c.init as number[], { dtype: D })))
    const make = torch.optim[c.name] as unknown as (ps: torch.Tensor[], kw: object) => torch.optim.Optimizer
    const opt = make([p], c.kw)
    c.steps.forEach((want) => {
      opt.zero_grad()
      lossOf(p).backward()
      opt.step()
      close(flat(torch.view_as_real(p)), nflat(want), 1e-12)
    })
    expect(p.is_leaf).toBe(true)
    expect(Object.keys(opt.state_dict().state)).toEqual(['0'])
    if (typeof c.native !== 'string') close(nflat(c.native.at(-1)!), nflat(c.steps.at(-1)!), 1e-12)
  })
})

describe('clip_grad_norm_ over complex gradients (the norm of |g|)', () => {
  it.each(fx.clip.map((c) => [String(c.norm_type), c] as const))('norm_type %s', (_, c) => {
    const pc = torch.nn.Parameter(torch.view_as_complex(torch.tensor(c.pc as number[], { dtype: D })))
    const pr = torch.nn.Parameter(torch.tensor(c.pr as number[], { dtype: D }))
    pc.grad = torch.view_as_complex(torch.tensor(c.gc_in as number[], { dtype: D }))
    pr.grad = torch.tensor(c.gr_in as number[], { dtype: D })
    const normType = c.norm_type === 'inf' ? Infinity : c.norm_type
    const total = torch.nn.utils.clip_grad_norm_([pc, pr], 1.5, { norm_type: normType })
    expect(Math.abs((total.item() as number) - c.total)).toBeLessThan(1e-12 * c.total)
    close(flat(torch.view_as_real(pc.grad)), nflat(c.gc), 1e-12)
    close(flat(pr.grad), nflat(c.gr), 1e-12)
  })
})

class SpectralConv2d extends torch.nn.Module {
  readonly scale: number
  readonly weights1: torch.Tensor
  readonly weights2: torch.Tensor
  constructor(
    readonly in_channels: number,
    readonly out_channels: number,
    readonly modes1: number,
    readonly modes2: number,
  ) {
    super()
    this.scale = 1 / (in_channels * out_channels)
    const shape = [in_channels, out_channels, modes1, modes2]
    this.weights1 = torch.nn.Parameter(torch.rand(shape, { dtype: torch.cfloat }).mul(this.scale))
    this.weights2 = torch.nn.Parameter(torch.rand(shape, { dtype: torch.cfloat }).mul(this.scale))
  }
  compl_mul2d(input: torch.Tensor, weights: torch.Tensor): torch.Tensor {
    return torch.einsum('bixy,ioxy->boxy', input, weights)
  }
  forward(x: torch.Tensor): torch.Tensor {
    const [batchsize, m1, m2] = [x.shape[0]!, this.modes1, this.modes2]
    const xFt = torch.fft.rfft2(x)
    const outFt = torch.zeros(batchsize, this.out_channels, x.size(-2), Math.floor(x.size(-1) / 2) + 1, {
      dtype: torch.cfloat,
    })
    outFt.set(':', ':', `:${m1}`, `:${m2}`, this.compl_mul2d(xFt.index(':', ':', `:${m1}`, `:${m2}`), this.weights1))
    outFt.set(':', ':', `-${m1}:`, `:${m2}`, this.compl_mul2d(xFt.index(':', ':', `-${m1}:`, `:${m2}`), this.weights2))
    return torch.fft.irfft2(outFt, { s: [x.size(-2), x.size(-1)] })
  }
}

describe('FNO SpectralConv2d trained with Adam on complex nn.Parameters', () => {
  it('matches PyTorch step by step (loss and both complex weights)', () => {
    const f = fx.fno
    const layer = new SpectralConv2d(3, 2, 3, 2)
    expect([...layer.named_parameters()].map(([n]) => n)).toEqual(f.names)
    expect(Object.keys(layer.state_dict())).toEqual(f.state_keys)
    layer.load_state_dict({
      weights1: torch.view_as_complex(torch.tensor(f.w1 as number[])),
      weights2: torch.view_as_complex(torch.tensor(f.w2 as number[])),
    })
    const x = torch.tensor(f.x as number[])
    const target = torch.tensor(f.target as number[])
    const opt = torch.optim.Adam(layer.parameters(), { lr: 0.01 })
    for (const s of f.steps) {
      opt.zero_grad()
      const loss = torch.nn.functional.mse_loss(layer.forward(x), target)
      loss.backward()
      opt.step()
      expect(Math.abs((loss.item() as number) - s.loss)).toBeLessThan(1e-6)
      close(flat(torch.view_as_real(layer.weights1)), nflat(s.w1), 1e-5)
      close(flat(torch.view_as_real(layer.weights2)), nflat(s.w2), 1e-5)
    }
  })
})

describe('square, sqrt, log and pow of complex tensors (values and gradients)', () => {
  it.each(fx.powers.map((c) => [`${c.op}(${c.arg ?? ''})`, c] as const))('%s', (_, c) => {
    const z = torch.view_as_complex(torch.tensor(c.z as number[], { dtype: D })).requires_grad_()
    const y = c.op === 'pow' ? z.pow(c.arg!) : z[c.op]()
    expect(y.is_complex()).toBe(true)
    close(flat(torch.view_as_real(y)), nflat(c.out), 1e-12)
    torch
      .view_as_real(y)
      .mul(weights([5, 2]))
      .sum()
      .backward()
    close(flat(torch.view_as_real(z.grad!)), nflat(c.grad), 1e-11)
  })
  it('pow with a tensor exponent raises', () => {
    const z = torch.complex(torch.tensor([1.0]), torch.tensor([2.0]))
    expect(() => z.pow(torch.tensor([2.0]))).toThrow(/not supported for complex tensors/)
  })
})
