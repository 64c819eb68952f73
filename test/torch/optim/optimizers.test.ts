/**
 * SGD, Adam and AdamW against PyTorch's update formulas written out here in float64 (first
 * momentum step, dampening, Nesterov, weight decay, maximize, bias correction, amsgrad,
 * decoupled decay), for three steps on float64 parameters; plus groups, zero_grad, state_dict
 * and PyTorch's argument errors.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import * as optim from '../../../src/torch/optim/index'

const P0 = [1.5, -2, 0.25]
const A = [0.3, -0.7, 1.1]

/** The loss Σ aᵢ·pᵢ + ½·Σ pᵢ²·(i + 1): gradient aᵢ + (i + 1)·pᵢ. */
const lossOf = (p: torch.Tensor): torch.Tensor =>
  p
    .mul(torch.tensor(A, { dtype: torch.float64 }))
    .sum()
    .add(
      p
        .pow(2)
        .mul(torch.tensor([0.5, 1, 1.5], { dtype: torch.float64 }))
        .sum(),
    )
const gradOf = (p: number[]): number[] => p.map((v, i) => (A[i] as number) + (i + 1) * v)

/** Runs `steps` optimizer steps from P0 and returns the parameter after each. */
const run = (make: (p: torch.Tensor) => optim.Optimizer<object, object>, steps = 3): number[][] => {
  const p = torch.tensor(P0, { dtype: torch.float64, requires_grad: true })
  const opt = make(p)
  const out: number[][] = []
  for (let s = 0; s < steps; s++) {
    opt.zero_grad()
    lossOf(p).backward()
    opt.step()
    expect(p.is_leaf).toBe(true)
    out.push(p.tolist() as number[])
  }
  return out
}

const expectClose = (got: number[][], want: number[][]): void => {
  expect(got.length).toBe(want.length)
  got.forEach((row, s) => row.forEach((v, i) => expect(v).toBeCloseTo((want[s] as number[])[i] as number, 12)))
}

interface SGDRef {
  lr: number
  momentum?: number
  dampening?: number
  weight_decay?: number
  nesterov?: boolean
  maximize?: boolean
}

/** PyTorch's SGD, element by element. */
const sgdRef = (o: SGDRef, steps = 3): number[][] => {
  const { lr, momentum = 0, dampening = 0, weight_decay = 0, nesterov = false, maximize = false } = o
  let p = [...P0]
  let buf: number[] | null = null
  const out: number[][] = []
  for (let s = 0; s < steps; s++) {
    let g = gradOf(p).map((v) => (maximize ? -v : v))
    g = g.map((v, i) => v + weight_decay * (p[i] as number))
    if (momentum !== 0) {
      buf = buf === null ? [...g] : buf.map((b, i) => momentum * b + (1 - dampening) * (g[i] as number))
      const b = buf
      g = nesterov ? g.map((v, i) => v + momentum * (b[i] as number)) : [...b]
    }
    p = p.map((v, i) => v - lr * (g[i] as number))
    out.push(p)
  }
  return out
}

interface AdamRef {
  lr: number
  betas?: [number, number]
  eps?: number
  weight_decay?: number
  amsgrad?: boolean
  maximize?: boolean
  decoupled?: boolean
}

/** PyTorch's Adam / AdamW, element by element. */
const adamRef = (o: AdamRef, steps = 3): number[][] => {
  const {
    lr,
    betas = [0.9, 0.999],
    eps = 1e-8,
    weight_decay = 0,
    amsgrad = false,
    maximize = false,
    decoupled = false,
  } = o
  const [b1, b2] = betas
  let p = [...P0]
  let m = p.map(() => 0)
  let v = p.map(() => 0)
  let vmax = p.map(() => 0)
  const out: number[][] = []
  for (let t = 1; t <= steps; t++) {
    let g = gradOf(p).map((x) => (maximize ? -x : x))
    if (decoupled) p = p.map((x) => x * (1 - lr * weight_decay))
    else g = g.map((x, i) => x + weight_decay * (p[i] as number))
    m = m.map((x, i) => b1 * x + (1 - b1) * (g[i] as number))
    v = v.map((x, i) => b2 * x + (1 - b2) * (g[i] as number) ** 2)
    vmax = vmax.map((x, i) => Math.max(x, v[i] as number))
    const second = amsgrad ? vmax : v
    const stepSize = lr / (1 - b1 ** t)
    const bc2 = Math.sqrt(1 - b2 ** t)
    p = p.map((x, i) => x - (stepSize * (m[i] as number)) / (Math.sqrt(second[i] as number) / bc2 + eps))
    out.push(p)
  }
  return out
}

describe('SGD', () => {
  it('plain step: θ ← θ − γ·g', () => {
    // one step by hand: g = a + (i + 1)·θ = [1.8, −4.7, 1.85]
    expectClose(
      run((p) => optim.SGD([p], { lr: 0.1 }), 1),
      [[1.5 - 0.18, -2 + 0.47, 0.25 - 0.185]],
    )
    expectClose(
      run((p) => optim.SGD([p], 0.1)),
      sgdRef({ lr: 0.1 }),
    )
  })

  it('momentum: the first buffer is the gradient itself (no dampening), later μ·b + (1 − τ)·g', () => {
    const opts = { lr: 0.05, momentum: 0.9, dampening: 0.5 }
    const got = run((p) => optim.SGD([p], opts))
    expectClose(got, sgdRef(opts))
    // first step equals plain SGD (buffer = g), not (1 − τ)·g
    expectClose([got[0] as number[]], sgdRef({ lr: 0.05 }, 1))
  })

  it('nesterov, weight decay and maximize', () => {
    for (const opts of [
      { lr: 0.05, momentum: 0.8, nesterov: true },
      { lr: 0.05, momentum: 0.8, nesterov: true, weight_decay: 0.1 },
      { lr: 0.02, weight_decay: 0.3 },
      { lr: 0.02, momentum: 0.5, weight_decay: 0.1, maximize: true },
    ]) {
      expectClose(
        run((p) => optim.SGD([p], opts)),
        sgdRef(opts),
      )
    }
  })

  it('keeps the momentum buffer in its state', () => {
    const p = torch.tensor([1, 2], { dtype: torch.float64, requires_grad: true })
    const opt = optim.SGD([p], { lr: 0.1, momentum: 0.9 })
    p.sum().backward()
    opt.step()
    expect(opt.state.get(p)?.momentum_buffer?.tolist()).toEqual([1, 1])
  })

  it('rejects bad arguments with PyTorch’s messages', () => {
    const p = torch.ones(1, { requires_grad: true })
    expect(() => optim.SGD([p], { lr: -1 })).toThrow('Invalid learning rate: -1')
    expect(() => optim.SGD([p], { momentum: -0.1 })).toThrow('Invalid momentum value: -0.1')
    expect(() => optim.SGD([p], { weight_decay: -1 })).toThrow('Invalid weight_decay value: -1')
    expect(() => optim.SGD([p], { nesterov: true })).toThrow('Nesterov momentum requires a momentum and zero dampening')
    expect(() => optim.SGD([], { lr: 0.1 })).toThrow('optimizer got an empty parameter list')
    expect(() => optim.SGD(p as unknown as torch.Tensor[], { lr: 0.1 })).toThrow(
      'params argument given to the optimizer should be an iterable of Tensors or dicts, but got torch.FloatTensor',
    )
    expect(() => optim.SGD([p.mul(2)], { lr: 0.1 })).toThrow("can't optimize a non-leaf Tensor")
  })
})

describe('Adam and AdamW', () => {
  it('Adam: bias-corrected moments (first step moves each coordinate by lr)', () => {
    const first = run((p) => optim.Adam([p], { lr: 0.01 }), 1)[0] as number[]
    first.forEach((v, i) => expect(v).toBeCloseTo((P0[i] as number) - 0.01 * Math.sign(gradOf(P0)[i] as number), 6))
    expectClose(
      run((p) => optim.Adam([p], { lr: 0.01 })),
      adamRef({ lr: 0.01 }),
    )
  })

  it('Adam with betas, eps, L2 weight decay, amsgrad and maximize', () => {
    for (const o of [
      { lr: 0.1, betas: [0.8, 0.99] as [number, number], eps: 1e-3 },
      { lr: 0.05, weight_decay: 0.2 },
      { lr: 0.05, amsgrad: true },
      { lr: 0.05, maximize: true, weight_decay: 0.1 },
    ]) {
      expectClose(
        run((p) => optim.Adam([p], o), 4),
        adamRef(o, 4),
      )
    }
  })

  it('AdamW decays decoupled from the gradient: θ ← θ·(1 − γλ) before the Adam step (default λ = 0.01)', () => {
    expectClose(
      run((p) => optim.AdamW([p], { lr: 0.05 })),
      adamRef({ lr: 0.05, weight_decay: 0.01, decoupled: true }),
    )
    expectClose(
      run((p) => optim.AdamW([p], { lr: 0.05, weight_decay: 0.5, amsgrad: true })),
      adamRef({ lr: 0.05, weight_decay: 0.5, amsgrad: true, decoupled: true }),
    )
    // and differs from Adam's L2 decay
    const l2 = adamRef({ lr: 0.05, weight_decay: 0.5 })
    const dec = adamRef({ lr: 0.05, weight_decay: 0.5, decoupled: true })
    expect(Math.abs((l2[2] as number[])[0]! - (dec[2] as number[])[0]!)).toBeGreaterThan(1e-4)
  })

  it('keeps step, exp_avg and exp_avg_sq in its state', () => {
    const p = torch.tensor([2], { dtype: torch.float64, requires_grad: true })
    const opt = optim.Adam([p], { lr: 0.1 })
    p.mul(3).sum().backward()
    opt.step()
    const st = opt.state.get(p)
    expect(st?.step).toBe(1)
    expect((st?.exp_avg.tolist() as number[])[0]).toBeCloseTo(0.3, 12)
    expect((st?.exp_avg_sq.tolist() as number[])[0]).toBeCloseTo(0.001 * 9, 12)
  })

  it('rejects bad arguments with PyTorch’s messages', () => {
    const p = torch.ones(1, { requires_grad: true })
    expect(() => optim.Adam([p], { lr: -0.1 })).toThrow('Invalid learning rate: -0.1')
    expect(() => optim.Adam([p], { eps: -1 })).toThrow('Invalid epsilon value: -1')
    expect(() => optim.Adam([p], { betas: [1, 0.9] })).toThrow('Invalid beta parameter at index 0: 1')
    expect(() => optim.AdamW([p], { betas: [0.9, -0.1] })).toThrow('Invalid beta parameter at index 1: -0.1')
    expect(() => optim.AdamW([p], { weight_decay: -1 })).toThrow('Invalid weight_decay value: -1')
  })
})

describe('Optimizer', () => {
  it('zero_grad sets grads to null by default, or zeros them', () => {
    const p = torch.ones(2, { requires_grad: true })
    const opt = optim.SGD([p], { lr: 0.1 })
    p.sum().backward()
    opt.zero_grad(false)
    expect(p.grad?.tolist()).toEqual([0, 0])
    opt.zero_grad()
    expect(p.grad).toBeNull()
  })

  it('skips parameters without gradient and applies per-group hyper-parameters', () => {
    const a = torch.tensor([1], { requires_grad: true })
    const b = torch.tensor([1], { requires_grad: true })
    const c = torch.tensor([1], { requires_grad: true })
    const opt = optim.SGD([{ params: [a] }, { params: [b], lr: 1 }, { params: c }], { lr: 0.1 })
    a.add(b).sum().backward()
    opt.step()
    expect(a.item()).toBeCloseTo(0.9, 6)
    expect(b.item()).toBe(0)
    expect(c.item()).toBe(1)
    expect(opt.param_groups.map((g) => g.lr)).toEqual([0.1, 1, 0.1])
    opt.param_groups[0]!.lr = 0.5
    a.grad = null
    a.sum().backward()
    opt.step()
    expect(a.item()).toBeCloseTo(0.4, 6)
    expect(() => opt.add_param_group({ params: [a] })).toThrow(
      'some parameters appear in more than one parameter group',
    )
  })

  it('step(closure) re-evaluates the loss with grad enabled and returns it', () => {
    const p = torch.tensor([3], { requires_grad: true })
    const opt = optim.SGD([p], { lr: 0.25 })
    const loss = torch.no_grad(() =>
      opt.step(() => {
        opt.zero_grad()
        const l = p.pow(2).sum()
        l.backward()
        return l
      }),
    )
    expect(loss?.item()).toBe(9)
    expect(p.item()).toBe(1.5)
  })

  it('state_dict round trip: a restored optimizer continues exactly', () => {
    // Arrange: two steps with A, then copy parameters and optimizer state into B
    const pa = torch.tensor(P0, { dtype: torch.float64, requires_grad: true })
    const A1 = optim.Adam([pa], { lr: 0.05, amsgrad: true })
    for (let s = 0; s < 2; s++) {
      A1.zero_grad()
      lossOf(pa).backward()
      A1.step()
    }
    const pb = pa.detach().clone().requires_grad_()
    const B1 = optim.Adam([pb], { lr: 0.5 })
    // Act
    const sd = A1.state_dict()
    expect(sd.param_groups[0]?.params).toEqual([0])
    expect(sd.state[0]?.step).toBe(2)
    B1.load_state_dict(sd)
    for (const [p, o] of [
      [pa, A1],
      [pb, B1],
    ] as const) {
      o.zero_grad()
      lossOf(p).backward()
      o.step()
    }
    // Assert
    expect(B1.param_groups[0]?.lr).toBe(0.05)
    expect(pb.tolist()).toEqual(pa.tolist())
    expectClose([pb.tolist() as number[]], [adamRef({ lr: 0.05, amsgrad: true })[2] as number[]])
  })

  it('prints as PyTorch', () => {
    const opt = optim.SGD([torch.ones(1, { requires_grad: true })], { lr: 0.1, momentum: 0.9 })
    expect(String(opt)).toBe(
      'SGD (\nParameter Group 0\n    dampening: 0\n    differentiable: False\n    foreach: None\n    fused: None\n    lr: 0.1\n    maximize: False\n    momentum: 0.9\n    nesterov: False\n    weight_decay: 0\n)',
    )
  })
})
