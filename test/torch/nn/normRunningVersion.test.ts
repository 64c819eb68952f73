/**
 * `_version` and values of running statistics against PyTorch 1.13 (fixtures/norm_running_version.py
 * and .json): instance_norm bumps them once per call even without input statistics; a training
 * batch_norm bumps them once per call as 2.x does (1.13 did not bump them: the fixture's `v113`).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

const F = torch.nn.functional
interface Stat {
  readonly version?: number[]
  readonly calls?: number
  readonly v113?: number[]
  readonly rm: number[]
  readonly rv: number[]
}
const fx = JSON.parse(readFileSync(new URL('./fixtures/norm_running_version.json', import.meta.url), 'utf8')) as Record<
  string,
  Stat
>

describe('running statistics _version', () => {
  for (const use of [false, true]) {
    it(`instance_norm(use_input_stats=${use}) bumps each running stat once`, () => {
      const want = fx[`instance_norm_${use ? 'True' : 'False'}`] as Stat
      const x = torch.tensor([[[1.875, -0.5]], [[0.25, 1.5]]], { dtype: torch.float64 })
      const rm = torch.tensor([1.625], { dtype: torch.float64 })
      const rv = torch.tensor([0.125], { dtype: torch.float64 }).exp()
      F.instance_norm(x, { running_mean: rm, running_var: rv, use_input_stats: use })
      expect([rm._version, rv._version]).toEqual(want.version)
      expect(rm.tolist()).toEqual(want.rm)
      expect(rv.tolist()).toEqual(want.rv)
    })
  }
  it('a training batch_norm bumps each running stat once per call (2.x)', () => {
    const want = fx['batch_norm'] as Stat
    const xb = torch.tensor(
      [
        [0.5, -1.25],
        [1.75, 0.375],
        [-0.625, 2.0],
      ],
      { dtype: torch.float64 },
    )
    const rm = torch.zeros(2, { dtype: torch.float64 })
    const rv = torch.ones(2, { dtype: torch.float64 })
    for (let i = 0; i < (want.calls as number); i++) F.batch_norm(xb, rm, rv, { training: true, momentum: 0.25 })
    expect([rm._version, rv._version]).toEqual([want.calls, want.calls])
    expect(want.v113).toEqual([0, 0])
    // values to a few ulps: the unbiased variance is summed in another order than ATen's kernel
    ;(rm.tolist() as number[]).forEach((v, i) => expect(v).toBeCloseTo(want.rm[i] as number, 14))
    ;(rv.tolist() as number[]).forEach((v, i) => expect(v).toBeCloseTo(want.rv[i] as number, 14))
  })
})
