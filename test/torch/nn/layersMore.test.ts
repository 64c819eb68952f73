/**
 * The deprecated F.upsample* wrappers, nn.UpsamplingNearest2d/Bilinear2d, nn.Softmax2d,
 * F.grid_sample / F.affine_grid, F.max_unpool1d/2d/3d (+ modules), the *_with_indices pools,
 * F.adaptive_max_pool3d and F.lp_pool1d/2d (+ modules) against real PyTorch 1.13
 * (fixtures/nn_layers_more.py writes fixtures/nn_layers_more.json): values, node names and their
 * next nodes, gradients of Σ out·W (W = sin(0.37k) + 0.5) for every input (the grid included),
 * indices, reprs, warnings and error texts.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { expectFixtureErrors } from '../../helpers/fixtureErrors'
import { sinWeights } from '../../helpers/sinWeights'
import fixture from '../fixtures/nn_layers_more.json'
import { typeName } from '../../helpers/nodeNames'

type T = torch.Tensor
type Fn = (...l: T[]) => T
const F = torch.nn.functional
const inputs = fixture.inputs as unknown as Record<string, torch.TensorData>
const leaf = (name: string): T => torch.tensor(inputs[name]!, { dtype: torch.float64, requires_grad: true })
const quiet = <R>(f: () => R): R => torch.warnings.catch_warnings(f)[0]

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(String(v).replace('inf', 'Infinity')))
const close = (got: unknown, want: unknown, what: string, tol = 1e-12): void => {
  const g = [got].flat(6).map(num)
  const w = [want].flat(6).map(num)
  expect(g.length, what).toBe(w.length)
  g.forEach((v, i) => {
    if (Number.isNaN(w[i]!)) expect(v, `${what}[${i}]`).toBeNaN()
    else expect(Math.abs(v - w[i]!), `${what}[${i}]: ${v} vs ${w[i]}`).toBeLessThanOrEqual(tol)
  })
}

const unpool2 = (x: T, kw = {}): T => {
  const [y, i] = F.max_pool2d(x, 2, { return_indices: true })
  return F.max_unpool2d(y, i, 2, kw)
}
const unpool1 = (x: T, kw = {}): T => {
  const [y, i] = F.max_pool1d(x, 2, { stride: 2, return_indices: true })
  return F.max_unpool1d(y, i, 2, kw)
}

const CASES: Record<string, [string[], Fn]> = {
  upsample_nearest: [['X'], (x) => F.upsample_nearest(x!, { scale_factor: 2 })],
  upsample_bilinear: [['X'], (x) => F.upsample_bilinear(x!, { size: [4, 5] })],
  upsample_bicubic: [['X'], (x) => F.upsample(x!, null, 1.5, 'bicubic', false)],
  module_nearest: [['X'], (x) => torch.nn.UpsamplingNearest2d({ size: 5 }).call(x!)],
  module_bilinear: [['X'], (x) => torch.nn.UpsamplingBilinear2d({ scale_factor: 2 }).call(x!)],
  softmax2d: [['X'], (x) => torch.nn.Softmax2d().call(x!)],
  softmax2d_3d: [['X'], (x) => torch.nn.Softmax2d().call(x!.select(0, 0))],
  affine_grid_one: [['TH'], (t) => F.affine_grid(t!, [2, 3, 1, 3], false)],
  affine_then_sample: [
    ['X', 'TH'],
    (x, t) => F.grid_sample(x!, F.affine_grid(t!, [2, 2, 3, 3], false), { align_corners: false }),
  ],
  unpool2d: [['P'], (x) => unpool2(x!)],
  unpool2d_size: [['P'], (x) => unpool2(x!, { output_size: [5, 7] })],
  unpool2d_stride: [
    ['P'],
    (x) => {
      const [y, i] = F.max_pool2d(x!, 3, { stride: 2, padding: 1, return_indices: true })
      return F.max_unpool2d(y, i, 3, 2, 1, [5, 6])
    },
  ],
  unpool1d: [['L'], (x) => unpool1(x!)],
  unpool1d_size: [['L'], (x) => unpool1(x!, { output_size: [7] })],
  unpool3d: [
    ['P3'],
    (x) => {
      const [y, i] = F.max_pool3d(x!, 2, { return_indices: true })
      return F.max_unpool3d(y, i, 2, { output_size: [4, 4, 5] })
    },
  ],
  unpool_module2d: [
    ['P'],
    (x) => {
      const [y, i] = torch.nn.MaxPool2d(2, { return_indices: true }).call(x!) as [T, T]
      return torch.nn.MaxUnpool2d(2).call(y, i)
    },
  ],
  max_pool1d_wi: [['L'], (x) => F.max_pool1d_with_indices(x!, 3, 2, 1)[0]],
  max_pool2d_wi: [['P'], (x) => F.max_pool2d_with_indices(x!, 2)[0]],
  max_pool3d_wi: [['P3'], (x) => F.max_pool3d_with_indices(x!, 2)[0]],
  amp1d_wi: [['L'], (x) => F.adaptive_max_pool1d_with_indices(x!, 3)[0]],
  amp2d_wi: [['P'], (x) => F.adaptive_max_pool2d_with_indices(x!, [2, 4])[0]],
  amp3d: [['P3'], (x) => F.adaptive_max_pool3d(x!, [3, 2, 3])],
  amp3d_module: [['P3'], (x) => torch.nn.AdaptiveMaxPool3d([null, 2, 1]).call(x!) as T],
  lp_pool2d: [['P'], (x) => F.lp_pool2d(x!, 2, 2)],
  lp_pool2d_p3: [['P'], (x) => F.lp_pool2d(x!, 3, [2, 3], { stride: 1 })],
  lp_pool1d: [['L'], (x) => F.lp_pool1d(x!, 2, 3, 2)],
  lp_pool1d_ceil: [['L'], (x) => F.lp_pool1d(x!, 1.5, 2, { ceil_mode: true })],
  lppool2d_module: [['P'], (x) => torch.nn.LPPool2d(2, 3, 2).call(x!)],
}
for (const mode of ['bilinear', 'nearest', 'bicubic'] as const)
  for (const pad of ['zeros', 'border', 'reflection'] as const)
    for (const ac of [false, true]) {
      CASES[`grid_${mode}_${pad}_${ac ? 'True' : 'False'}`] = [
        ['X', 'G'],
        (x, g) => F.grid_sample(x!, g!, mode, pad, ac),
      ]
      if (mode !== 'bicubic')
        CASES[`grid3d_${mode}_${pad}_${ac ? 'True' : 'False'}`] = [
          ['X3', 'G3'],
          (x, g) => F.grid_sample(x!, g!, { mode, padding_mode: pad, align_corners: ac }),
        ]
    }
for (const ac of [false, true]) {
  CASES[`affine_grid_${ac ? 'True' : 'False'}`] = [['TH'], (t) => F.affine_grid(t!, [2, 3, 4, 5], ac)]
  CASES[`affine_grid3d_${ac ? 'True' : 'False'}`] = [
    ['TH3'],
    (t) => F.affine_grid(t!, [2, 1, 2, 3, 4], { align_corners: ac }),
  ]
}

type Case = { value: unknown; node: string; next: Array<string | null>; grads: unknown[] }

describe('nn layers (upsample, grid_sample, unpool, pools) against PyTorch 1.13: values, nodes, gradients', () => {
  it('covers every fixture case', () => expect(Object.keys(CASES).sort()).toEqual(Object.keys(fixture.cases).sort()))
  it.each(Object.keys(fixture.cases))('%s', (name) => {
    const c = (fixture.cases as Record<string, Case>)[name]!
    const [names, f] = CASES[name]!
    const leaves = names.map(leaf)
    const r = quiet(() => f(...leaves))
    close(r.tolist(), c.value, `${name} value`)
    expect(typeName(r.grad_fn)).toBe(c.node)
    expect(r.grad_fn?.next_functions.map(([n]) => typeName(n))).toEqual(c.next)
    const gs = torch.autograd.grad([r.mul(sinWeights([...r.shape])).sum()], leaves, { allow_unused: true })
    gs.forEach((g, i) =>
      c.grads[i] === null ? expect(g).toBeNull() : close(g!.tolist(), c.grads[i], `${name} grad ${i}`, 1e-10),
    )
  })
  it('returns the indices PyTorch returns', () => {
    const x = (n: string): T => torch.tensor(inputs[n]!, { dtype: torch.float64 })
    const got = {
      max_pool1d: F.max_pool1d_with_indices(x('L'), 3, 2, 1)[1],
      max_pool2d: F.max_pool2d_with_indices(x('P'), 2)[1],
      max_pool3d: F.max_pool3d_with_indices(x('P3'), 2)[1],
      amp1d: F.adaptive_max_pool1d_with_indices(x('L'), 3)[1],
      amp2d: F.adaptive_max_pool2d_with_indices(x('P'), [2, 4])[1],
      amp3d: F.adaptive_max_pool3d(x('P3'), [3, 2, 3], { return_indices: true })[1],
    }
    for (const [k, t] of Object.entries(got)) {
      expect(t.dtype, k).toBe(torch.int64)
      expect(t.tolist(), k).toEqual((fixture.indices as Record<string, unknown>)[k])
    }
  })
  it('warns as PyTorch', () => {
    const x = torch.tensor(inputs.X!, { dtype: torch.float64 })
    const [, ws] = torch.warnings.catch_warnings(() => {
      F.upsample(x, { scale_factor: 2 })
      F.upsample_nearest(x, { scale_factor: 2 })
      F.upsample_bilinear(x, { scale_factor: 2 })
      F.grid_sample(x, torch.tensor(inputs.G!, { dtype: torch.float64 }))
      F.affine_grid(torch.tensor(inputs.TH!, { dtype: torch.float64 }), [2, 3, 4, 5])
      F.affine_grid(torch.tensor(inputs.TH!, { dtype: torch.float64 }), [2, 3, 1, 5], { align_corners: true })
    })
    expect(ws.map((w) => [w.category, w.message])).toEqual(fixture.warnings)
  })
  it('prints modules as PyTorch', () => {
    const got = {
      nearest: torch.nn.UpsamplingNearest2d({ scale_factor: 2 }),
      nearest_size: torch.nn.UpsamplingNearest2d([3, 4]),
      bilinear: torch.nn.UpsamplingBilinear2d({ scale_factor: 2 }),
      softmax2d: torch.nn.Softmax2d(),
      unpool1d: torch.nn.MaxUnpool1d(2),
      unpool2d: torch.nn.MaxUnpool2d(3, 2, 1),
      unpool3d: torch.nn.MaxUnpool3d([2, 2, 1], { stride: null, padding: [1, 0, 0] }),
      amp3d: torch.nn.AdaptiveMaxPool3d([null, 2, 1]),
      lppool1d: torch.nn.LPPool1d(2, 3),
      lppool2d: torch.nn.LPPool2d(1.5, [2, 3], 1, true),
    }
    for (const [k, m] of Object.entries(got)) expect(String(m), k).toBe((fixture.reprs as Record<string, string>)[k])
  })
})

describe('error texts as PyTorch 1.13', () => {
  const xt = torch.tensor(inputs.X!, { dtype: torch.float64 })
  const gt = torch.tensor(inputs.G!, { dtype: torch.float64 })
  const th = torch.tensor(inputs.TH!, { dtype: torch.float64 })
  const pt = torch.tensor(inputs.P!, { dtype: torch.float64 })
  const [y2, i2] = F.max_pool2d(pt, 2, { return_indices: true })
  expectFixtureErrors(
    {
      grid_mode: () => F.grid_sample(xt, gt, { mode: 'linear' as 'bilinear' }),
      grid_padding: () => F.grid_sample(xt, gt, { padding_mode: 'wrap' as 'zeros' }),
      grid_rank: () => F.grid_sample(xt, gt.select(0, 0), { align_corners: false }),
      grid_last: () => F.grid_sample(xt, gt.narrow(-1, 0, 1), { align_corners: false }),
      grid_batch: () => F.grid_sample(xt.narrow(0, 0, 1), gt, { align_corners: false }),
      grid_bicubic3d: () =>
        F.grid_sample(
          torch.tensor(inputs.X3!, { dtype: torch.float64 }),
          torch.tensor(inputs.G3!, { dtype: torch.float64 }),
          { mode: 'bicubic', align_corners: false },
        ),
      affine_dtype: () => F.affine_grid(torch.ones(2, 2, 3, { dtype: torch.int64 }), [2, 3, 4, 5]),
      affine_shape: () => F.affine_grid(torch.tensor(inputs.TH3!, { dtype: torch.float64 }), [2, 3, 4, 5], false),
      affine_shape3d: () => F.affine_grid(th, [2, 3, 4, 5, 6], false),
      affine_size: () => F.affine_grid(th, [2, 3, 4], false),
      affine_nonpos: () => F.affine_grid(th, [2, 3, 0, 5], false),
      unpool_size: () => F.max_unpool2d(y2, i2, 2, { output_size: [9, 9] }),
      unpool_size_len: () => F.max_unpool2d(y2, i2, 2, { output_size: [1, 5, 6, 7, 8] }),
      unpool_index: () => F.max_unpool2d(y2, i2.add(100), 2),
      unpool_shape: () => F.max_unpool2d(y2, i2.narrow(-1, 0, 1), 2),
      unpool_dtype: () => F.max_unpool2d(y2, i2.double(), 2),
      softmax2d_rank: () => torch.nn.Softmax2d().call(xt.select(0, 0).select(0, 0)),
      amp3d_rank: () => F.adaptive_max_pool3d(xt.select(0, 0).select(0, 0), 2),
    },
    fixture.errors,
  )
})
