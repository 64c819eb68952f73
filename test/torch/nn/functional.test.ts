/**
 * nn.functional: every loss against closed-form values computed here in float64, its gradients
 * against central finite differences (torch.autograd.gradcheck on float64 tensors), the three
 * reductions, PyTorch's node names and error texts.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import * as nn from '../../../src/torch/nn/index'

const F = nn.functional
const { gradcheck, gradgradcheck } = torch.autograd

const f64 = (data: torch.TensorData, requires_grad = true): torch.Tensor =>
  torch.tensor(data, { dtype: torch.float64, requires_grad })
const long = (data: torch.TensorData): torch.Tensor => torch.tensor(data, { dtype: torch.int64 })
const num = (t: torch.Tensor): number => t.item() as number
const list = (t: torch.Tensor): number[] => {
  const v = t.tolist()
  return Array.isArray(v) ? (v.flat(4) as number[]) : [v as number]
}

/** log-softmax of each row, in float64. */
const logSoftmaxRows = (rows: number[][]): number[][] =>
  rows.map((r) => {
    const m = Math.max(...r)
    const lse = m + Math.log(r.reduce((s, v) => s + Math.exp(v - m), 0))
    return r.map((v) => v - lse)
  })

const X = [
  [0.2, -1.3, 0.7, 2.1],
  [1.5, 0.1, -0.4, -2.2],
  [-0.3, 0.8, 0.05, 1.1],
]
const Y = [3, 0, 1]

describe('mse_loss', () => {
  it('matches the mean, sum and elementwise squared error', () => {
    // Arrange
    const x = f64([
      [1, 2],
      [3, 4],
    ])
    const y = f64(
      [
        [0, 2.5],
        [5, 1],
      ],
      false,
    )
    const sq = [1, 0.25, 4, 9]
    // Act / Assert
    expect(num(F.mse_loss(x, y))).toBeCloseTo(sq.reduce((a, b) => a + b) / 4, 12)
    expect(num(F.mse_loss(x, y, { reduction: 'sum' }))).toBeCloseTo(14.25, 12)
    expect(list(F.mse_loss(x, y, { reduction: 'none' }))).toEqual(sq)
    expect(F.mse_loss(x, y).grad_fn?.name()).toBe('MseLossBackward0')
  })

  it('has finite-difference gradients for input and target, to second order', () => {
    const x = f64([[0.3, -1.2, 2.0]])
    const y = f64([[1.0, 0.5, -0.7]])
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      expect(gradcheck((a: torch.Tensor, b: torch.Tensor) => F.mse_loss(a, b, { reduction }), [x, y])).toBe(true)
    }
    expect(gradgradcheck((a: torch.Tensor, b: torch.Tensor) => F.mse_loss(a, b), [x, y])).toBe(true)
  })

  it('warns and broadcasts when the target has another size', () => {
    const [l, caught] = torch.warnings.catch_warnings(() => F.mse_loss(torch.zeros(2, 3), torch.ones(2, 1)))
    expect(num(l)).toBe(1)
    expect(caught[0]?.message).toBe(
      'Using a target size (torch.Size([2, 1])) that is different to the input size (torch.Size([2, 3])). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.',
    )
  })

  it('rejects unknown reductions and maps the legacy arguments with a warning', () => {
    expect(() => F.mse_loss(torch.zeros(2), torch.ones(2), { reduction: 'avg' as 'mean' })).toThrow(
      'avg is not a valid value for reduction',
    )
    const [l, caught] = torch.warnings.catch_warnings(() =>
      F.mse_loss(torch.zeros(2), torch.ones(2), { size_average: false }),
    )
    expect(num(l)).toBe(2)
    expect(caught[0]?.message).toBe(
      "size_average and reduce args will be deprecated, please use reduction='sum' instead.",
    )
  })
})

describe('binary_cross_entropy_with_logits', () => {
  const x = [-3, -0.5, 0, 0.8, 4]
  const y = [0, 1, 0.3, 1, 0]
  const sigma = (v: number): number => 1 / (1 + Math.exp(-v))
  const ref = (pw = 1, w = 1): number[] =>
    x.map((v, i) => -w * (pw * (y[i] as number) * Math.log(sigma(v)) + (1 - (y[i] as number)) * Math.log(1 - sigma(v))))

  it('equals −[y log σ(x) + (1 − y) log(1 − σ(x))] with each reduction', () => {
    const r = ref()
    const l = F.binary_cross_entropy_with_logits(f64(x), f64(y, false), { reduction: 'none' })
    list(l).forEach((v, i) => expect(v).toBeCloseTo(r[i] as number, 12))
    expect(num(F.binary_cross_entropy_with_logits(f64(x), f64(y, false)))).toBeCloseTo(
      r.reduce((a, b) => a + b) / r.length,
      12,
    )
    expect(num(F.binary_cross_entropy_with_logits(f64(x), f64(y, false), { reduction: 'sum' }))).toBeCloseTo(
      r.reduce((a, b) => a + b),
      12,
    )
  })

  it('has the node name of PyTorch and the gradient σ(x) − y (also at x = 0)', () => {
    const xt = f64(x)
    const l = F.binary_cross_entropy_with_logits(xt, f64(y, false), { reduction: 'sum' })
    expect(l.grad_fn?.name()).toBe('BinaryCrossEntropyWithLogitsBackward0')
    l.backward()
    list(xt.grad as torch.Tensor).forEach((g, i) => expect(g).toBeCloseTo(sigma(x[i] as number) - (y[i] as number), 12))
  })

  it('is stable for large |x| (no inf, no nan) in value and gradient', () => {
    const xt = torch.tensor([-1000, 1000, 88, -88], { requires_grad: true })
    const l = F.binary_cross_entropy_with_logits(xt, torch.tensor([1, 0, 0, 1]), { reduction: 'none' })
    expect(list(l)).toEqual([1000, 1000, 88, 88])
    l.sum().backward()
    expect(list(xt.grad as torch.Tensor)).toEqual([-1, 1, 1, -1])
  })

  it('applies pos_weight and weight, and passes gradcheck for input and target', () => {
    // weights that require grad are refused (test/torch/difftestWide2.test.ts)
    const pw = f64([2, 0.5, 1, 3, 1.5], false)
    const w = f64([1, 2, 0.5, 1, 1], false)
    const r = x.map((v, i) => {
      const p = pw.tolist() as number[]
      const ww = w.tolist() as number[]
      return (
        -(ww[i] as number) *
        ((p[i] as number) * (y[i] as number) * Math.log(sigma(v)) + (1 - (y[i] as number)) * Math.log(1 - sigma(v)))
      )
    })
    const l = F.binary_cross_entropy_with_logits(f64(x), f64(y, false), {
      weight: w,
      pos_weight: pw,
      reduction: 'none',
    })
    list(l).forEach((v, i) => expect(v).toBeCloseTo(r[i] as number, 12))
    const [c, d] = [f64([1, 2, 0.5], false), f64([2, 0.5, 1], false)]
    const fn = (a: torch.Tensor, b: torch.Tensor): torch.Tensor =>
      F.binary_cross_entropy_with_logits(a, b, { weight: c, pos_weight: d })
    expect(gradcheck(fn, [f64([-1.5, 0.3, 0.9]), f64([0.2, 1, 0.6])])).toBe(true)
    expect(
      gradgradcheck(
        (a: torch.Tensor) => F.binary_cross_entropy_with_logits(a, f64([0.2, 1, 0.6], false)),
        [f64([-1.5, 0.3, 0.9])],
      ),
    ).toBe(true)
  })

  it('requires target and input of one size (PyTorch text)', () => {
    expect(() => F.binary_cross_entropy_with_logits(torch.zeros(3), torch.zeros(2))).toThrow(
      'Target size (torch.Size([2])) must be the same as input size (torch.Size([3]))',
    )
  })

  it('runs the seed: z = x·W + b, loss, backward to W and b', () => {
    // Arrange (the seed's "PyTorch 是如何进行梯度计算的" example)
    torch.manual_seed(0)
    const x0 = torch.ones(5)
    const y0 = torch.zeros(3)
    const W = torch.randn(5, 3, { requires_grad: true })
    const b = torch.randn(3, { requires_grad: true })
    // Act
    const z = torch.matmul(x0, W).add(b)
    const loss = F.binary_cross_entropy_with_logits(z, y0)
    loss.backward()
    // Assert: ∂loss/∂b = σ(z)/3, every row of ∂loss/∂W equals it (x is all ones)
    const zs = list(z.detach())
    const gb = list(b.grad as torch.Tensor)
    zs.forEach((v, i) => expect(gb[i]).toBeCloseTo(sigma(v) / 3, 6))
    expect(W.grad?.tolist()).toEqual(Array.from({ length: 5 }, () => b.grad?.tolist()))
    expect(String(loss.grad_fn?.name())).toBe('BinaryCrossEntropyWithLogitsBackward0')
    expect(z.grad_fn?.name()).toBe('AddBackward0')
  })
})

describe('binary_cross_entropy', () => {
  it('equals −w[y log x + (1 − y) log(1 − x)] and has gradient (x − y)/(x(1 − x))', () => {
    const p = [0.1, 0.5, 0.9, 0.7]
    const y = [0, 1, 1, 0.25]
    const w = [1, 2, 0.5, 1]
    const r = p.map(
      (v, i) => -(w[i] as number) * ((y[i] as number) * Math.log(v) + (1 - (y[i] as number)) * Math.log(1 - v)),
    )
    const xt = f64(p)
    const l = F.binary_cross_entropy(xt, f64(y, false), { weight: f64(w, false), reduction: 'sum' })
    expect(num(l)).toBeCloseTo(
      r.reduce((a, b) => a + b),
      12,
    )
    expect(l.grad_fn?.name()).toBe('BinaryCrossEntropyBackward0')
    l.backward()
    list(xt.grad as torch.Tensor).forEach((g, i) =>
      expect(g).toBeCloseTo(
        ((w[i] as number) * ((p[i] as number) - (y[i] as number))) / ((p[i] as number) * (1 - (p[i] as number))),
        9,
      ),
    )
    expect(
      gradcheck(
        (a: torch.Tensor, b: torch.Tensor) => F.binary_cross_entropy(a, b),
        [f64([0.2, 0.6, 0.45]), f64([0.1, 0.9, 0.5])],
      ),
    ).toBe(true)
    expect(
      gradgradcheck(
        (a: torch.Tensor) => F.binary_cross_entropy(a, f64([0.1, 0.9, 0.5], false)),
        [f64([0.2, 0.6, 0.45])],
      ),
    ).toBe(true)
  })

  it('clamps log at −100 and keeps the gradient finite at 0 and 1', () => {
    const xt = f64([0, 1, 0, 1])
    const l = F.binary_cross_entropy(xt, f64([1, 0, 0, 1], false), { reduction: 'none' })
    expect(list(l).map((v) => v + 0)).toEqual([100, 100, 0, 0])
    l.sum().backward()
    expect(list(xt.grad as torch.Tensor).every(Number.isFinite)).toBe(true)
  })

  it('rejects inputs outside [0, 1] and targets of another size', () => {
    expect(() => F.binary_cross_entropy(torch.tensor([1.5]), torch.tensor([1]))).toThrow(
      'all elements of input should be between 0 and 1',
    )
    expect(() => F.binary_cross_entropy(torch.tensor([0.5, 0.5]), torch.tensor([1]))).toThrow(
      'Using a target size (torch.Size([1])) that is different to the input size (torch.Size([2])) is deprecated. Please ensure they have the same size.',
    )
  })
})

describe('nll_loss and cross_entropy (class indices)', () => {
  const lp = logSoftmaxRows(X)
  const picked = Y.map((c, n) => -((lp[n] as number[])[c] as number))

  it('nll_loss picks −input[n, yₙ]; mean divides by Σ w[yₙ]', () => {
    const logp = f64(lp)
    expect(list(F.nll_loss(logp, long(Y), { reduction: 'none' }))).toEqual(picked)
    expect(num(F.nll_loss(logp, long(Y)))).toBeCloseTo(picked.reduce((a, b) => a + b) / 3, 12)
    expect(num(F.nll_loss(logp, long(Y), { reduction: 'sum' }))).toBeCloseTo(
      picked.reduce((a, b) => a + b),
      12,
    )
    const w = [0.5, 2, 1, 3]
    const wsum = Y.reduce((s, c) => s + (w[c] as number), 0)
    const wl = Y.reduce((s, c, n) => s + (w[c] as number) * (picked[n] as number), 0)
    expect(num(F.nll_loss(logp, long(Y), { weight: f64(w, false) }))).toBeCloseTo(wl / wsum, 12)
    expect(F.nll_loss(logp, long(Y)).grad_fn?.name()).toBe('NllLossBackward0')
  })

  it('ignore_index drops targets from the sum and from the mean’s denominator', () => {
    const logp = f64(lp)
    const l = F.nll_loss(logp, long([3, -100, 1]))
    expect(num(l)).toBeCloseTo(((picked[0] as number) + (picked[2] as number)) / 2, 12)
    expect(list(F.nll_loss(logp, long([3, 7, 1]), { ignore_index: 7, reduction: 'none' }))[1]).toBe(0)
    expect(Number.isNaN(num(F.nll_loss(logp, long([-100, -100, -100]))))).toBe(true)
  })

  it('reads only the target entries: −inf elsewhere (log 0) leaves loss and gradient finite', () => {
    const logp = f64([
      [Math.log(0.5), -Infinity, Math.log(0.5)],
      [-Infinity, 0, -Infinity],
    ])
    const l = F.nll_loss(logp, long([0, 1]))
    expect(num(l)).toBeCloseTo(Math.LN2 / 2, 12)
    l.backward()
    expect(logp.grad?.tolist()).toEqual([
      [-0.5, 0, 0],
      [0, -0.5, 0],
    ])
  })

  it('cross_entropy equals nll_loss(log_softmax(x, 1)) in value and gradient', () => {
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      const a = f64(X)
      const b = f64(X)
      const ce = F.cross_entropy(a, long(Y), { reduction, weight: f64([1, 2, 0.5, 1], false) })
      const nll = F.nll_loss(F.log_softmax(b, 1), long(Y), { reduction, weight: f64([1, 2, 0.5, 1], false) })
      list(ce).forEach((v, i) => expect(v).toBeCloseTo(list(nll)[i] as number, 12))
      ce.sum().backward()
      nll.sum().backward()
      list(a.grad as torch.Tensor).forEach((g, i) =>
        expect(g).toBeCloseTo(list(b.grad as torch.Tensor)[i] as number, 12),
      )
    }
    expect(F.cross_entropy(f64(X), long(Y)).grad_fn?.name()).toBe('NllLossBackward0')
  })

  it('has the closed-form gradient softmax(x) − onehot(y), divided by N', () => {
    const x = f64(X)
    F.cross_entropy(x, long(Y)).backward()
    const g = x.grad?.tolist() as number[][]
    lp.forEach((row, n) =>
      row.forEach((v, c) => expect((g[n] as number[])[c]).toBeCloseTo((Math.exp(v) - (c === Y[n] ? 1 : 0)) / 3, 12)),
    )
    expect(
      gradcheck(
        (a: torch.Tensor) => F.cross_entropy(a, long(Y), { weight: f64([1, 2, 0.5, 1], false), ignore_index: 0 }),
        [f64(X)],
      ),
    ).toBe(true)
    expect(gradgradcheck((a: torch.Tensor) => F.cross_entropy(a, long(Y)), [f64(X)])).toBe(true)
  })

  it('accepts a single sample (C) with a 0-d target and K-dimensional input (N, C, d)', () => {
    expect(num(F.cross_entropy(f64(X[0] as number[]), long(3)))).toBeCloseTo(picked[0] as number, 12)
    // (N=1, C=4, d=3): the classes of X's rows along dim 1
    const x3 = f64([[0, 1, 2, 3].map((c) => X.map((r) => r[c] as number))])
    const l = F.cross_entropy(x3, long([Y]), { reduction: 'none' })
    expect(l.shape).toEqual([1, 3])
    list(l).forEach((v, i) => expect(v).toBeCloseTo(picked[i] as number, 12))
    expect(gradcheck((a: torch.Tensor) => F.cross_entropy(a, long([Y])), [x3])).toBe(true)
  })

  it('label_smoothing mixes the target with the uniform distribution (with weights and ignore_index)', () => {
    const eps = 0.2
    const C = 4
    const w = [1, 2, 0.5, 1]
    const t = [3, 0, -100]
    // loss_n = −Σ_c w_c·q_nc·logp_nc with q = (1 − ε)·onehot + ε/C; mean divides by Σ w[yₙ] (non-ignored)
    const per = t.map((cls, n) =>
      cls === -100
        ? 0
        : -(lp[n] as number[]).reduce(
            (s, v, c) => s + (w[c] as number) * ((1 - eps) * (c === cls ? 1 : 0) + eps / C) * v,
            0,
          ),
    )
    const denom = (w[3] as number) + (w[0] as number)
    const l = F.cross_entropy(f64(X), long(t), { weight: f64(w, false), label_smoothing: eps })
    expect(num(l)).toBeCloseTo(per.reduce((a, b) => a + b) / denom, 12)
    list(F.cross_entropy(f64(X), long(t), { weight: f64(w, false), label_smoothing: eps, reduction: 'none' })).forEach(
      (v, i) => expect(v).toBeCloseTo(per[i] as number, 12),
    )
    expect(gradcheck((a: torch.Tensor) => F.cross_entropy(a, long(t), { label_smoothing: eps }), [f64(X)])).toBe(true)
  })

  it('checks targets with PyTorch’s messages', () => {
    expect(() => F.cross_entropy(torch.zeros(3, 4), long([0, 1]))).toThrow(
      'Expected input batch_size (3) to match target batch_size (2).',
    )
    expect(() => F.cross_entropy(torch.zeros(2, 4), torch.tensor([0, 1]))).toThrow(
      'expected scalar type Long but found Float',
    )
    expect(() => F.nll_loss(torch.zeros(2, 4), long([0, 4]))).toThrow('Target 4 is out of bounds.')
    expect(() => F.nll_loss(torch.zeros(2, 4), long([0, 1]), { weight: torch.ones(3) })).toThrow(
      'weight tensor should be defined either for all 4 classes or no classes but got weight tensor of shape: [3]',
    )
    expect(() => F.cross_entropy(torch.zeros(2, 4), long([0, 1]), { label_smoothing: 1.5 })).toThrow(
      'label_smoothing must be between 0.0 and 1.0. Got: 1.5',
    )
  })
})

describe('cross_entropy (class probabilities)', () => {
  const P = [
    [0.1, 0.2, 0.3, 0.4],
    [1, 0, 0, 0],
    [0.25, 0.25, 0.25, 0.25],
  ]
  const lp = logSoftmaxRows(X)
  const per = P.map((row, n) => -row.reduce((s, p, c) => s + p * ((lp[n] as number[])[c] as number), 0))

  it('is −Σ_c y_c·log_softmax(x)_c; mean divides by N', () => {
    expect(num(F.cross_entropy(f64(X), f64(P, false)))).toBeCloseTo(per.reduce((a, b) => a + b) / 3, 12)
    list(F.cross_entropy(f64(X), f64(P, false), { reduction: 'none' })).forEach((v, i) =>
      expect(v).toBeCloseTo(per[i] as number, 12),
    )
    expect(
      gradcheck(
        (a: torch.Tensor, b: torch.Tensor) =>
          F.cross_entropy(a, b, { weight: f64([1, 2, 0.5, 1], false), label_smoothing: 0.1 }),
        [f64(X), f64(P)],
      ),
    ).toBe(true)
  })

  it('agrees with class indices when the probabilities are one-hot', () => {
    const onehot = Y.map((c) => [0, 1, 2, 3].map((k) => (k === c ? 1 : 0)))
    expect(num(F.cross_entropy(f64(X), f64(onehot, false)))).toBeCloseTo(num(F.cross_entropy(f64(X), long(Y))), 12)
  })
})

describe('activations, linear, softmax', () => {
  it('relu/sigmoid/tanh/softmax/log_softmax have PyTorch values and node names', () => {
    const x = f64([[-1, 0, 2]])
    expect(list(F.relu(x))).toEqual([0, 0, 2])
    expect(F.relu(x).grad_fn?.name()).toBe('ReluBackward0')
    expect(F.sigmoid(x).grad_fn?.name()).toBe('SigmoidBackward0')
    expect(F.tanh(x).grad_fn?.name()).toBe('TanhBackward0')
    const s = F.softmax(x, 1)
    expect(s.grad_fn?.name()).toBe('SoftmaxBackward0')
    const e = [Math.exp(-1), 1, Math.exp(2)]
    const z = e[0]! + e[1]! + e[2]!
    list(s).forEach((v, i) => expect(v).toBeCloseTo((e[i] as number) / z, 12))
    list(F.log_softmax(x, { dim: -1 })).forEach((v, i) => expect(v).toBeCloseTo(Math.log((e[i] as number) / z), 12))
    expect(gradcheck((a: torch.Tensor) => F.softmax(a, 0), [f64([0.3, -0.2, 1.1])])).toBe(true)
  })

  it('softmax without dim warns as PyTorch does', () => {
    const [, caught] = torch.warnings.catch_warnings(() => F.softmax(torch.zeros(2, 3)))
    expect(caught[0]?.message).toBe(
      'Implicit dimension choice for softmax has been deprecated. Change the call to include dim=X as an argument.',
    )
  })

  it('relu in place rewrites its input', () => {
    const x = torch.tensor([-1, 2])
    const y = F.relu(x, { inplace: true })
    expect(y).toBe(x)
    expect(list(x)).toEqual([0, 2])
  })

  it('linear computes x Wᵀ + b for 1-d, 2-d and 3-d inputs, with AddmmBackward0', () => {
    const W = f64([
      [1, 2, 3],
      [0, -1, 1],
    ])
    const b = f64([10, 20])
    expect(list(F.linear(f64([1, 1, 1]), W, b))).toEqual([16, 20])
    const y2 = F.linear(
      f64([
        [1, 0, 0],
        [0, 1, 0],
      ]),
      W,
      b,
    )
    expect(y2.tolist()).toEqual([
      [11, 20],
      [12, 19],
    ])
    expect(y2.grad_fn?.name()).toBe('AddmmBackward0')
    expect(F.linear(f64([[1, 0, 0]]), W).grad_fn?.name()).toBe('MmBackward0')
    expect(F.linear(torch.ones(4, 2, 3, { dtype: torch.float64 }), W, b).shape).toEqual([4, 2, 2])
    expect(
      gradcheck(
        (x: torch.Tensor, w: torch.Tensor, bb: torch.Tensor) => F.linear(x, w, bb),
        [f64([[[0.5, -1, 2]], [[1, 0.3, -0.2]]]), W, b],
      ),
    ).toBe(true)
    expect(
      gradgradcheck(
        (x: torch.Tensor, w: torch.Tensor, bb: torch.Tensor) => F.linear(x, w, bb),
        [f64([[0.5, -1, 2]]), W, b],
      ),
    ).toBe(true)
  })

  it('linear reports PyTorch’s shape and dtype errors', () => {
    expect(() => F.linear(torch.ones(2, 4), torch.ones(5, 3))).toThrow(
      'mat1 and mat2 shapes cannot be multiplied (2x4 and 3x5)',
    )
    expect(() => F.linear(torch.ones(2, 3, { dtype: torch.float64 }), torch.ones(5, 3))).toThrow(
      'mat1 and mat2 must have the same dtype, but got Double and Float',
    )
  })
})

describe('leaky_relu, gelu, one_hot, l1_loss', () => {
  it('leaky_relu scales negatives by the slope; gelu is x·Φ(x) (exact and tanh forms)', () => {
    expect(list(F.leaky_relu(f64([-2, 0, 3]), 0.1))).toEqual([-0.2, 0, 3])
    expect(F.leaky_relu(f64([-2, 3])).grad_fn?.name()).toBe('LeakyReluBackward0')
    // Φ(1) = 0.8413447460685429
    expect(list(F.gelu(f64([1, 0])))[0]).toBeCloseTo(0.8413447460685429, 12)
    const t = list(F.gelu(f64([1]), { approximate: 'tanh' }))[0] as number
    expect(t).toBeCloseTo(0.5 * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * 1.044715)), 12)
    expect(F.gelu(f64([1])).grad_fn?.name()).toBe('GeluBackward0')
    expect(gradcheck((a: torch.Tensor) => F.gelu(a), [f64([-1.3, 0.2, 2.1])])).toBe(true)
    expect(gradcheck((a: torch.Tensor) => F.gelu(a, { approximate: 'tanh' }), [f64([-1.3, 0.2, 2.1])])).toBe(true)
    expect(gradcheck((a: torch.Tensor) => F.leaky_relu(a, 0.2), [f64([-1.3, 0.2, 2.1])])).toBe(true)
  })

  it('one_hot makes int64 one-hot rows and checks its input', () => {
    const y = F.one_hot(long([[1], [0]]))
    expect(y.tolist()).toEqual([[[0, 1]], [[1, 0]]])
    expect(y.dtype).toBe(torch.int64)
    expect(() => F.one_hot(torch.tensor([1]))).toThrow('one_hot is only applicable to index tensor of type LongTensor.')
    expect(() => F.one_hot(long([3]), 3)).toThrow('Class values must be smaller than num_classes.')
  })

  it('l1_loss is the mean/sum/elementwise |x − y| with PyTorch’s recorded ops', () => {
    const x = f64([1, -2, 3])
    const y = f64([0, 0, 5], false)
    expect(num(F.l1_loss(x, y))).toBeCloseTo(5 / 3, 12)
    expect(num(F.l1_loss(x, y, { reduction: 'sum' }))).toBe(5)
    expect(list(F.l1_loss(x, y, { reduction: 'none' }))).toEqual([1, 2, 2])
    expect(F.l1_loss(x, y).grad_fn?.name()).toBe('MeanBackward0')
    expect(gradcheck((a: torch.Tensor, b: torch.Tensor) => F.l1_loss(a, b), [f64([1, -2, 3]), f64([0.5, 0, 5])])).toBe(
      true,
    )
  })
})
