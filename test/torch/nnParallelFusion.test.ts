import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'

const { nn } = torch
const { fuse_conv_bn_eval, fuse_linear_bn_eval } = nn.utils.fusion

/** PyTorch 1.13's answers, from test/torch/fixtures/nn_parallel_fusion.py (closed-form weights). */
const ref = JSON.parse(readFileSync(new URL('./fixtures/nn_parallel_fusion.json', import.meta.url), 'utf8')) as Record<
  string,
  Record<string, unknown>
>

/** The fixture's closed-form filling: parameters and floating buffers in sorted-name order. */
const fill = (m: torch.nn.Module, k = 0): void =>
  torch.no_grad(() => {
    const named = [...m.named_parameters(), ...m.named_buffers()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    named.forEach(([name, t], i) => {
      if (!t.is_floating_point()) return
      const vals = Array.from(
        { length: t.numel() },
        (_, j) => Math.sin(0.37 * j + 1.1 * i + k) + (name.includes('running_var') ? 1.5 : 0),
      )
      t.copy_(torch.tensor(vals, { dtype: t.dtype }).reshape(t.shape))
    })
  })
const grid = (...shape: number[]): torch.Tensor =>
  torch.tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, j) => Math.cos(0.21 * j))).reshape(shape)

const expectClose = (got: unknown, want: unknown, tol = 1e-5): void => {
  const [g, w] = [[got].flat(Infinity) as number[], [want].flat(Infinity) as number[]]
  expect(g.length).toBe(w.length)
  g.forEach((v, i) => expect(Math.abs(v - (w[i] as number))).toBeLessThanOrEqual(tol * (1 + Math.abs(w[i] as number))))
}

describe('nn.utils.fusion (reference: PyTorch 1.13)', () => {
  const cases: Array<[string, () => [torch.nn.Module, torch.nn.Module, torch.Tensor, boolean]]> = [
    ['conv2d', () => [nn.Conv2d(2, 3, 3, { padding: 1 }), nn.BatchNorm2d(3), grid(2, 2, 4, 4), false]],
    ['conv1d_nobias', () => [nn.Conv1d(2, 4, 3, { bias: false }), nn.BatchNorm1d(4), grid(3, 2, 6), false]],
    ['convT2d', () => [nn.ConvTranspose2d(3, 2, 2, { stride: 2 }), nn.BatchNorm2d(2), grid(1, 3, 3, 3), true]],
    ['bn_noaffine', () => [nn.Conv2d(1, 2, 1), nn.BatchNorm2d(2, { affine: false }), grid(1, 1, 2, 2), false]],
  ]
  for (const [name, make] of cases)
    it(`fuse_conv_bn_eval: ${name}`, () => {
      const [conv, bn, x, transpose] = make()
      fill(conv)
      fill(bn, 2)
      conv.eval()
      bn.eval()
      const f = fuse_conv_bn_eval(conv as torch.nn.Conv2d, bn as torch.nn.BatchNorm2d, transpose)
      const want = ref[name] as Record<string, unknown>
      expectClose(f.weight.tolist(), want.weight)
      expectClose(f.bias?.tolist(), want.bias)
      expectClose((f(x) as torch.Tensor).tolist(), want.y)
      // 2.x gives the fused parameters the inputs' requires_grad (a missing conv bias: false); 1.13 always true
      expect(f.bias?.requires_grad).toBe(name === 'conv1d_nobias' ? false : want.bias_requires_grad)
      expect(f).not.toBe(conv)
    })

  it('fuse_linear_bn_eval', () => {
    const [lin, bn] = [nn.Linear(3, 4), nn.BatchNorm1d(4)]
    fill(lin)
    fill(bn, 3)
    lin.eval()
    bn.eval()
    const f = fuse_linear_bn_eval(lin, bn)
    const want = ref.linear as Record<string, unknown>
    expectClose(f.weight.tolist(), want.weight)
    expectClose(f.bias?.tolist(), want.bias)
    expectClose(f(grid(5, 3)).tolist(), want.y)
  })

  it('refuses training-mode layers with AssertionError', () => {
    const [cls, msg] = (ref.errors as Record<string, [string, string]>).train as [string, string]
    expect(cls).toBe('AssertionError')
    expect(() => fuse_conv_bn_eval(nn.Conv2d(1, 1, 1), nn.BatchNorm2d(1))).toThrow(torch.AssertionError)
    expect(() => fuse_conv_bn_eval(nn.Conv2d(1, 1, 1), nn.BatchNorm2d(1))).toThrow(msg)
    expect(() => fuse_linear_bn_eval(nn.Linear(2, 3).eval(), nn.BatchNorm1d(2).eval())).toThrow(
      'To fuse, linear.out_features == bn.num_features or bn.num_features == 1, got linear.out_features=3 and bn.num_features=2',
    )
  })
})

describe('nn.SyncBatchNorm without a process group (PyTorch 2.x: batch norm)', () => {
  it('convert_sync_batchnorm shares parameters and computes training-mode batch norm', () => {
    const model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2, { momentum: 0.2 }))
    fill(model)
    const sync = nn.SyncBatchNorm.convert_sync_batchnorm(model) as torch.nn.Sequential
    const s = sync.at(1) as torch.nn.SyncBatchNorm
    const want = ref.sync as Record<string, unknown>
    expect(s).toBeInstanceOf(nn.SyncBatchNorm)
    expect(s._get_name()).toBe(want.type)
    expect(s.weight === (model.at(1) as torch.nn.BatchNorm2d).weight).toBe(want.shared)
    expect(s.momentum).toBe(want.momentum)
    expectClose(sync(grid(3, 1, 5, 5)).tolist(), want.y)
    expectClose(s.running_mean?.tolist(), want.running_mean)
    expectClose(s.running_var?.tolist(), want.running_var)
  })

  it("raises 2.x's rank and channel ValueErrors", () => {
    const s = nn.SyncBatchNorm(3)
    expect(() => s(torch.ones(3))).toThrow('expected at least 2D input (got 1D input)')
    expect(() => s(torch.ones(2, 0, 4))).toThrow('SyncBatchNorm number of input channels should be non-zero')
    expect(() => s(torch.ones(2, 0, 4))).toThrow(torch.TorchValueError)
  })
})

describe('nn.DataParallel on the CPU (reference: PyTorch 1.13)', () => {
  it('wraps the module: state-dict keys, output, device_ids and repr', () => {
    const dp = nn.DataParallel(nn.Linear(2, 3))
    fill(dp)
    const want = ref.dp as Record<string, unknown>
    expect(Object.keys(dp.state_dict())).toEqual(want.keys)
    expectClose((dp(grid(4, 2)) as torch.Tensor).tolist(), want.y)
    expect(dp.device_ids).toEqual(want.device_ids)
    expect(String(dp)).toBe(want.repr)
    expect(torch.nn.parallel.data_parallel(dp.module, grid(4, 2))).toBeInstanceOf(torch.Tensor)
  })

  it('stateless.functional_call (deprecated) warns and calls with the given tensors', () => {
    const lin = nn.Linear(2, 1)
    const [y, warnings] = torch.warnings.catch_warnings(() =>
      nn.utils.stateless.functional_call(
        lin,
        [...[['weight', torch.ones(1, 2)] as const], ['bias', torch.zeros(1)] as const],
        [torch.ones(1, 2)],
      ),
    )
    expect((y as torch.Tensor).tolist()).toEqual([[2]])
    expect(warnings.map((w) => w.category)).toEqual(['FutureWarning'])
    expect(() =>
      nn.utils.stateless.functional_call(
        lin,
        [
          ['w', torch.ones(1)],
          ['w', torch.ones(1)],
        ],
        [],
      ),
    ).toThrow("['w'] appeared multiple times; behavior of functional call is ambiguous")
  })

  it('linalg.matmul is matmul', () => {
    expect(torch.linalg.matmul(torch.ones(2, 3), torch.ones(3, 4)).tolist()).toEqual(
      torch.ones(2, 3).matmul(torch.ones(3, 4)).tolist(),
    )
    expect(() => torch.linalg.matmul(torch.ones(2), 'a' as unknown as torch.Tensor)).toThrow(
      "linalg_matmul(): argument 'other' (position 2) must be Tensor, not str",
    )
  })
})
