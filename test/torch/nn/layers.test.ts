/**
 * Layers and init: Linear's shapes, arguments and init bounds; Dropout in train and eval;
 * Embedding's lookups and gradient accumulation; LayerNorm's values and gradients; containers;
 * the init functions' bounds and gains.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import * as nn from '../../../src/torch/nn/index'

const { gradcheck } = torch.autograd
const flat = (t: torch.Tensor): number[] => {
  const v = t.tolist()
  return Array.isArray(v) ? (v.flat(4) as number[]) : [v as number]
}
const f64 = (data: torch.TensorData, requires_grad = true): torch.Tensor =>
  torch.tensor(data, { dtype: torch.float64, requires_grad })

describe('Linear', () => {
  it('has weight [out, in], bias [out], output [..., out], with or without new and keywords', () => {
    const a = nn.Linear(3, 5)
    const b = new nn.Linear({ in_features: 3, out_features: 5, bias: false })
    expect(a).toBeInstanceOf(nn.Linear)
    expect(String(a.weight.shape)).toBe('torch.Size([5, 3])')
    expect(String(a.bias?.shape)).toBe('torch.Size([5])')
    expect(b.bias).toBeNull()
    expect([...b.parameters()]).toHaveLength(1)
    expect(a.call(torch.ones(2, 7, 3)).shape).toEqual([2, 7, 5])
    expect(a.call(torch.ones(3)).shape).toEqual([5])
    expect(nn.Linear(2, 2, { dtype: torch.float64 }).weight.dtype).toBe(torch.float64)
    expect(() => nn.Linear(3)).toThrow("Linear.__init__() missing 1 required positional argument: 'out_features'")
  })

  it('computes x Wᵀ + b', () => {
    const l = nn.Linear(2, 2)
    torch.no_grad(() => {
      l.weight.copy_(
        torch.tensor([
          [1, 2],
          [3, 4],
        ]),
      )
      l.bias?.copy_(torch.tensor([0.5, -0.5]))
    })
    expect(
      l
        .call(
          torch.tensor([
            [1, 1],
            [2, 0],
          ]),
        )
        .tolist(),
    ).toEqual([
      [3.5, 6.5],
      [2.5, 5.5],
    ])
  })

  it('initialises weight and bias in U(−1/√in, 1/√in), spread over the interval', () => {
    torch.manual_seed(1)
    const inF = 16
    const l = nn.Linear(inF, 64)
    const bound = 1 / Math.sqrt(inF)
    const w = flat(l.weight)
    const b = flat(l.bias as torch.Tensor)
    for (const v of [...w, ...b]) expect(Math.abs(v)).toBeLessThanOrEqual(bound)
    // a uniform sample of 1024 covers most of the interval and is centred
    expect(Math.max(...w)).toBeGreaterThan(0.9 * bound)
    expect(Math.min(...w)).toBeLessThan(-0.9 * bound)
    expect(Math.abs(w.reduce((s, v) => s + v, 0) / w.length)).toBeLessThan(0.1 * bound)
    // variance of U(−a, a) is a²/3
    const varW = w.reduce((s, v) => s + v * v, 0) / w.length
    expect(varW).toBeGreaterThan((0.8 * (bound * bound)) / 3)
    expect(varW).toBeLessThan((1.2 * (bound * bound)) / 3)
  })

  it('is reproducible under manual_seed', () => {
    torch.manual_seed(42)
    const a = flat(nn.Linear(3, 3).weight)
    torch.manual_seed(42)
    expect(flat(nn.Linear(3, 3).weight)).toEqual(a)
  })
})

describe('Dropout', () => {
  it('in training zeroes about p of the elements and scales the rest by 1/(1 − p); the gradient uses the same mask', () => {
    torch.manual_seed(3)
    const d = nn.Dropout(0.25)
    const x = torch.ones(4000, { requires_grad: true })
    const y = d.call(x)
    const v = flat(y)
    const zeros = v.filter((e) => e === 0).length
    expect(zeros / v.length).toBeGreaterThan(0.2)
    expect(zeros / v.length).toBeLessThan(0.3)
    for (const e of v) expect(e === 0 || Math.abs(e - 1 / 0.75) < 1e-6).toBe(true)
    y.sum().backward()
    expect(flat(x.grad as torch.Tensor)).toEqual(v)
  })

  it('is the identity in eval mode and with p = 0; p = 1 gives zeros', () => {
    const x = torch.randn(10)
    const d = nn.Dropout()
    d.eval()
    expect(d.call(x)).toBe(x)
    expect(nn.functional.dropout(x, 0)).toBe(x)
    expect(nn.functional.dropout(x, { training: false })).toBe(x)
    expect(flat(nn.functional.dropout(x, 1)).map((v) => v + 0)).toEqual(Array(10).fill(0))
    expect(() => nn.Dropout(1.5)).toThrow('dropout probability has to be between 0 and 1, but got 1.5')
  })

  it('follows the module training flag of its parent', () => {
    const net = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5))
    const x = torch.ones(8, 4)
    net.eval()
    expect(net.call(x).tolist()).toEqual(net.call(x).tolist())
  })
})

describe('Embedding', () => {
  it('looks up rows for indices of any shape', () => {
    const e = nn.Embedding(5, 2)
    torch.no_grad(() =>
      e.weight.copy_(
        torch.tensor([
          [0, 0],
          [1, 1],
          [2, 2],
          [3, 3],
          [4, 4],
        ]),
      ),
    )
    const out = e.call(
      torch.tensor(
        [
          [4, 1],
          [0, 4],
        ],
        { dtype: torch.int64 },
      ),
    )
    expect(out.tolist()).toEqual([
      [
        [4, 4],
        [1, 1],
      ],
      [
        [0, 0],
        [4, 4],
      ],
    ])
    expect(out.grad_fn?.name()).toBe('EmbeddingBackward0')
  })

  it('accumulates the gradient of repeated indices', () => {
    const e = nn.Embedding(4, 3)
    const idx = torch.tensor([1, 3, 1, 1], { dtype: torch.int64 })
    const g = torch.tensor([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
      [2, 2, 2],
    ])
    e.call(idx).backward(g)
    expect(e.weight.grad?.tolist()).toEqual([
      [0, 0, 0],
      [3, 2, 3],
      [0, 0, 0],
      [0, 1, 0],
    ])
  })

  it('keeps the padding row at zero with no gradient; scale_grad_by_freq divides by the count', () => {
    const e = nn.Embedding(3, 2, { padding_idx: 0 })
    expect(flat(e.weight).slice(0, 2)).toEqual([0, 0])
    e.call(torch.tensor([0, 2, 0], { dtype: torch.int64 }))
      .sum()
      .backward()
    expect(e.weight.grad?.tolist()).toEqual([
      [0, 0],
      [0, 0],
      [1, 1],
    ])
    const s = nn.Embedding(3, 1, { scale_grad_by_freq: true })
    s.call(torch.tensor([1, 1, 2], { dtype: torch.int64 }))
      .sum()
      .backward()
    expect(s.weight.grad?.tolist()).toEqual([[0], [1], [1]])
  })

  it('checks index dtype and range; from_pretrained freezes by default', () => {
    const e = nn.Embedding(3, 2)
    expect(() => e.call(torch.tensor([0, 1]))).toThrow(
      "Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got torch.FloatTensor instead (while checking arguments for embedding)",
    )
    expect(() => e.call(torch.tensor([3], { dtype: torch.int64 }))).toThrow('index out of range in self')
    const p = nn.Embedding.from_pretrained(
      torch.tensor([
        [1, 2],
        [3, 4],
      ]),
    )
    expect(p.weight.requires_grad).toBe(false)
    expect(p.call(torch.tensor([1], { dtype: torch.int64 })).tolist()).toEqual([[3, 4]])
    expect(String(nn.Embedding(10, 3, { padding_idx: 1 }))).toBe('Embedding(10, 3, padding_idx=1)')
  })
})

describe('LayerNorm', () => {
  const rows = [
    [1, 2, 4, 7],
    [-3, 0.5, 0.5, 2],
  ]
  const normalise = (r: number[], eps: number): number[] => {
    const m = r.reduce((s, v) => s + v, 0) / r.length
    const v = r.reduce((s, x) => s + (x - m) ** 2, 0) / r.length
    return r.map((x) => (x - m) / Math.sqrt(v + eps))
  }

  it('normalises over the last dims with biased variance and eps, then applies weight and bias', () => {
    const ln = nn.LayerNorm(4, { dtype: torch.float64 })
    const y = ln.call(f64(rows, false))
    expect(y.grad_fn?.name()).toBe('NativeLayerNormBackward0')
    ;(y.tolist() as number[][]).forEach((r, i) =>
      r.forEach((v, j) => expect(v).toBeCloseTo(normalise(rows[i] as number[], 1e-5)[j] as number, 12)),
    )
    torch.no_grad(() => {
      ln.weight?.fill_(2)
      ln.bias?.fill_(1)
    })
    const y2 = ln.call(f64(rows, false)).tolist() as number[][]
    y2.forEach((r, i) =>
      r.forEach((v, j) => expect(v).toBeCloseTo(2 * (normalise(rows[i] as number[], 1e-5)[j] as number) + 1, 12)),
    )
    expect(String(ln)).toBe('LayerNorm((4,), eps=1e-05, elementwise_affine=True)')
  })

  it('has finite-difference gradients for input, weight and bias (and over two trailing dims)', () => {
    const F = nn.functional
    const x = f64(rows)
    const w = f64([1.5, -0.5, 2, 1])
    const b = f64([0.1, 0.2, 0.3, 0.4])
    expect(
      gradcheck((a: torch.Tensor, ww: torch.Tensor, bb: torch.Tensor) => F.layer_norm(a, [4], ww, bb), [x, w, b]),
    ).toBe(true)
    expect(
      gradcheck(
        (a: torch.Tensor) => F.layer_norm(a, [2, 2], null, null, 1e-3),
        [
          f64([
            [
              [1, 2],
              [3, 5],
            ],
            [
              [0, -1],
              [2, 2],
            ],
          ]),
        ],
      ),
    ).toBe(true)
    expect(
      torch.autograd.gradgradcheck((a: torch.Tensor, ww: torch.Tensor) => F.layer_norm(a, [4], ww), [f64(rows), w]),
    ).toBe(true)
  })

  it('checks the trailing shape with PyTorch’s message', () => {
    expect(() => nn.LayerNorm(4).call(torch.ones(2, 3))).toThrow(
      'Given normalized_shape=[4], expected input with shape [*, 4], but got input of size[2, 3]',
    )
  })
})

describe('containers and activations', () => {
  it('Sequential chains modules, indexes and appends; ModuleList registers its items', () => {
    const seq = nn.Sequential(nn.Linear(2, 3), nn.ReLU())
    seq.append(nn.Linear(3, 1))
    expect(seq.length).toBe(3)
    expect(seq.at(-1)).toBe(seq[2])
    expect(seq.call(torch.ones(4, 2)).shape).toEqual([4, 1])
    const named = nn.Sequential({ enc: nn.Linear(2, 2), act: nn.Sigmoid() })
    expect(Object.keys(named.state_dict())).toEqual(['enc.weight', 'enc.bias'])
    const ml = nn.ModuleList([nn.Linear(1, 1), nn.Linear(1, 1)])
    expect(ml.length).toBe(2)
    expect([...ml].length).toBe(2)
    expect([...ml.named_parameters()].map(([k]) => k)).toEqual(['0.weight', '0.bias', '1.weight', '1.bias'])
  })

  it('activation modules compute their functions', () => {
    const x = torch.tensor([-1, 0, 1])
    expect(flat(nn.ReLU().call(x))).toEqual([0, 0, 1])
    flat(nn.Sigmoid().call(x)).forEach((v, i) => expect(v).toBeCloseTo(1 / (1 + Math.exp(-(i - 1))), 6))
    flat(nn.Tanh().call(x)).forEach((v, i) => expect(v).toBeCloseTo(Math.tanh(i - 1), 6))
    expect(flat(nn.Softmax(0).call(torch.zeros(4)))).toEqual([0.25, 0.25, 0.25, 0.25])
    expect(nn.Flatten().call(torch.ones(2, 3, 4)).shape).toEqual([2, 12])
    expect(nn.Identity().call(x)).toBe(x)
  })
})

describe('more layers and printing', () => {
  it('LeakyReLU, GELU and L1Loss modules; ModuleList groups repeats in its repr; to() accepts devices', () => {
    expect(flat(nn.LeakyReLU(0.5).call(torch.tensor([-2, 2])))).toEqual([-1, 2])
    expect(String(nn.LeakyReLU())).toBe('LeakyReLU(negative_slope=0.01)')
    expect(String(nn.GELU({ approximate: 'tanh' }))).toBe("GELU(approximate='tanh')")
    expect(
      nn
        .L1Loss({ reduction: 'sum' })
        .call(torch.tensor([1, -1]), torch.zeros(2))
        .item(),
    ).toBe(2)
    const ml = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2), nn.ReLU()])
    expect(String(ml)).toBe(
      'ModuleList(\n  (0-1): 2 x Linear(in_features=2, out_features=2, bias=True)\n  (2): ReLU()\n)',
    )
    const lin = nn.Linear(1, 1)
    expect(lin.to('cpu')).toBe(lin)
    expect(lin.to({ dtype: torch.float64 }).weight.dtype).toBe(torch.float64)
    expect(lin.cpu().float().weight.dtype).toBe(torch.float32)
  })
})

describe('init', () => {
  it('uniform_, normal_, constant_, zeros_, ones_ fill in place and return the tensor', () => {
    const t = torch.empty(1000)
    expect(nn.init.uniform_(t, -2, 3)).toBe(t)
    expect(Math.min(...flat(t))).toBeGreaterThanOrEqual(-2)
    expect(Math.max(...flat(t))).toBeLessThan(3)
    nn.init.normal_(t, { mean: 5, std: 0.1 })
    expect(Math.abs(flat(t).reduce((s, v) => s + v, 0) / 1000 - 5)).toBeLessThan(0.05)
    expect(flat(nn.init.constant_(torch.empty(2), 0.5))).toEqual([0.5, 0.5])
    expect(flat(nn.init.zeros_(torch.ones(2)))).toEqual([0, 0])
    expect(flat(nn.init.ones_(torch.zeros(2)))).toEqual([1, 1])
  })

  it('works on parameters without recording a graph', () => {
    const p = new nn.Parameter(torch.zeros(3, 3))
    nn.init.xavier_uniform_(p)
    expect(p.is_leaf && p.grad_fn === null).toBe(true)
  })

  it('xavier and kaiming use PyTorch’s fans and gains', () => {
    torch.manual_seed(0)
    const w = torch.empty(30, 50)
    const xb = Math.sqrt(6 / 80)
    nn.init.xavier_uniform_(w)
    expect(Math.max(...flat(w).map(Math.abs))).toBeLessThanOrEqual(xb)
    expect(Math.max(...flat(w).map(Math.abs))).toBeGreaterThan(0.9 * xb)
    nn.init.kaiming_uniform_(w, { mode: 'fan_out', nonlinearity: 'relu' })
    const kb = Math.sqrt(2) * Math.sqrt(3 / 30)
    expect(Math.max(...flat(w).map(Math.abs))).toBeLessThanOrEqual(kb)
    expect(Math.max(...flat(w).map(Math.abs))).toBeGreaterThan(0.9 * kb)
    expect(nn.init.calculate_gain('leaky_relu', 0.2)).toBeCloseTo(Math.sqrt(2 / 1.04), 12)
    expect(nn.init._calculate_fan_in_and_fan_out(torch.empty(4, 3, 5))).toEqual([15, 20])
    expect(() => nn.init.xavier_uniform_(torch.empty(3))).toThrow(
      'Fan in and fan out can not be computed for tensor with fewer than 2 dimensions',
    )
    expect(() => nn.init.calculate_gain('gelu' as 'relu')).toThrow('Unsupported nonlinearity gelu')
  })
})
