/**
 * Lazy modules against PyTorch 1.13 (fixtures/lazy_modules.json, written by lazy_modules.py
 * beside it): reprs before and after the first forward, the class they become, their seeded
 * weights and buffers, outputs; uninitialised parameters' errors; state_dict / load_state_dict /
 * optimizers / dtype casts before the first forward.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { sinWeights } from '../../helpers/sinWeights'

const { nn } = torch
type Nested = number | Nested[]
interface Case {
  ctor: string
  shape: number[]
  before: string
  after: string
  cls: string
  params: Record<string, Nested>
  out: Nested
}
const fx = JSON.parse(readFileSync(new URL('./fixtures/lazy_modules.json', import.meta.url), 'utf8')) as {
  cases: Case[]
  errors: Record<string, [string, string]>
}

const CTORS: Record<string, () => torch.nn.Module> = {
  'nn.LazyLinear(3)': () => nn.LazyLinear(3),
  'nn.LazyLinear(2, bias=False)': () => nn.LazyLinear(2, { bias: false }),
  'nn.LazyConv1d(4, 3)': () => nn.LazyConv1d(4, 3),
  'nn.LazyConv2d(4, 2, stride=2, groups=2)': () => nn.LazyConv2d(4, 2, { stride: 2, groups: 2 }),
  'nn.LazyConv3d(2, 2)': () => nn.LazyConv3d(2, 2),
  'nn.LazyConvTranspose1d(3, 2)': () => nn.LazyConvTranspose1d(3, 2),
  'nn.LazyConvTranspose2d(2, 3, stride=2)': () => nn.LazyConvTranspose2d(2, 3, { stride: 2 }),
  'nn.LazyConvTranspose3d(2, 2, bias=False)': () => nn.LazyConvTranspose3d(2, 2, { bias: false }),
  'nn.LazyBatchNorm1d()': () => nn.LazyBatchNorm1d(),
  'nn.LazyBatchNorm2d(momentum=0.5)': () => nn.LazyBatchNorm2d({ momentum: 0.5 }),
  'nn.LazyBatchNorm3d(affine=False)': () => nn.LazyBatchNorm3d({ affine: false }),
  'nn.LazyInstanceNorm1d()': () => nn.LazyInstanceNorm1d(),
  'nn.LazyInstanceNorm2d(affine=False, track_running_stats=False)': () =>
    nn.LazyInstanceNorm2d({ affine: false, track_running_stats: false }),
  'nn.LazyInstanceNorm3d()': () => nn.LazyInstanceNorm3d(),
}
const CLASSES: Record<string, unknown> = {
  Linear: nn.Linear,
  Conv1d: nn.Conv1d,
  Conv2d: nn.Conv2d,
  Conv3d: nn.Conv3d,
  ConvTranspose1d: nn.ConvTranspose1d,
  ConvTranspose2d: nn.ConvTranspose2d,
  ConvTranspose3d: nn.ConvTranspose3d,
  BatchNorm1d: nn.BatchNorm1d,
  BatchNorm2d: nn.BatchNorm2d,
  BatchNorm3d: nn.BatchNorm3d,
  InstanceNorm1d: nn.InstanceNorm1d,
  InstanceNorm2d: nn.InstanceNorm2d,
  InstanceNorm3d: nn.InstanceNorm3d,
}

const close = (t: torch.Tensor, want: Nested, what: string, atol = 1e-6): void => {
  const w = torch.tensor(want, { dtype: t.dtype })
  expect(t.shape, what).toEqual(w.shape)
  expect(torch.allclose(t, w, { rtol: 1e-5, atol }), what).toBe(true)
}

describe('lazy modules against PyTorch', () => {
  for (const c of fx.cases) {
    it(c.ctor, () => {
      const make = CTORS[c.ctor]
      if (make === undefined) throw new Error(`no constructor for ${c.ctor}`)
      torch.manual_seed(0)
      const m = make()
      expect(String(m)).toBe(c.before)
      expect(m).toBeInstanceOf(nn.modules.lazy.LazyModuleMixin)
      const y = (m as unknown as (x: torch.Tensor) => torch.Tensor)(sinWeights(c.shape).float())
      expect(String(m)).toBe(c.after)
      expect(m.constructor.name).toBe(c.cls)
      expect(m).toBeInstanceOf(CLASSES[c.cls] as new () => object)
      expect(m).not.toBeInstanceOf(nn.modules.lazy.LazyModuleMixin)
      const sd = m.state_dict()
      expect(Object.keys(sd)).toEqual(Object.keys(c.params))
      for (const [k, v] of Object.entries(c.params)) close(sd[k] as torch.Tensor, v, k)
      close(y, c.out, 'output')
    })
  }
})

describe('uninitialised parameters', () => {
  it('raise PyTorch errors on shape and ops', () => {
    const p = nn.LazyLinear(3).weight
    expect(() => p.shape).toThrow(fx.errors.shape?.[1])
    expect(() => p.add(1)).toThrow(/^Attempted to use an uninitialized parameter in /)
    expect(() => nn.LazyConv2d(3, 2)(torch.ones(2, 3))).toThrow(fx.errors.conv_rank?.[1])
    expect(() => nn.LazyConv2d(4, 2, { groups: 2 })(torch.ones(1, 3, 4, 4))).toThrow(fx.errors.groups?.[1])
    expect(() => nn.LazyBatchNorm2d()(torch.ones(2, 3))).toThrow(fx.errors.bn_rank?.[1])
    expect(String(p)).toBe('<UninitializedParameter>')
    expect(p.dtype).toBe(torch.float32)
    expect(p.requires_grad).toBe(true)
  })

  it('state_dict, load_state_dict, to() and an optimizer before the first forward', () => {
    torch.manual_seed(0)
    const m = nn.LazyLinear(3)
    const sd = m.state_dict()
    expect(String(sd.weight)).toBe('<UninitializedParameter>')
    expect(torch.nn.parameter.is_lazy(sd.bias)).toBe(true)
    const opt = torch.optim.SGD(m.parameters(), { lr: 0.1 })
    const y = m(torch.arange(8).reshape(2, 4).float())
    y.sum().backward()
    opt.step()
    // PyTorch 1.13: the same program's weight after one step (printed to 4 decimals)
    close(
      m.weight.detach(),
      [
        [-0.4037, -0.3318, -1.2115, -1.368],
        [-0.5926, -0.4659, -0.8099, -0.6036],
        [-0.4444, -0.4677, -0.9511, -1.0983],
      ],
      'stepped',
      1e-4,
    )
    const m2 = nn.LazyLinear(3)
    m2.load_state_dict(m.state_dict())
    expect(String(m2.weight.shape)).toBe('torch.Size([3, 4])')
    expect(m2.weight.equal(m.weight)).toBe(true)
    expect(() => nn.Linear(4, 3).load_state_dict(nn.LazyLinear(3).state_dict())).toThrow(fx.errors.shape?.[1])
    const d = nn.LazyBatchNorm1d().double()
    expect(d.running_mean?.dtype).toBe(torch.float64)
    expect(d.weight?.dtype).toBe(torch.float64)
    d(torch.ones(2, 5, { dtype: torch.float64 }))
    expect(d.running_mean?.dtype).toBe(torch.float64)
  })
})
