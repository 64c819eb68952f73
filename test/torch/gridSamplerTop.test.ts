import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'
import fixture from './fixtures/grid_sampler_top.json'

// Reference: test/torch/fixtures/grid_sampler_top.py on PyTorch 1.13 (CPU).
interface Case {
  fn: 'grid_sampler' | 'grid_sampler_2d' | 'grid_sampler_3d'
  shape: number[]
  gshape: number[]
  interp: number
  pad: number
  align: boolean
  x: number[]
  g: number[]
  w: number[]
  yshape: number[]
  y: number[]
  gx: number[]
  gg: number[]
  grad_fn: string
}
const fx = fixture as unknown as { cases: Case[]; errors: Record<string, string> }
const flat = (t: torch.Tensor): number[] => t.detach().reshape(-1).tolist() as number[]
const close = (got: number[], want: number[]): void => {
  expect(got.length).toBe(want.length)
  got.forEach((v, i) => expect(Math.abs(v - (want[i] as number))).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(v))))
}
const f64 = (v: number[], shape: number[]): torch.Tensor => torch.tensor(v, { dtype: torch.float64 }).reshape(shape)

describe('torch.grid_sampler forms as PyTorch', () => {
  it.each(fx.cases.map((c, i) => [i, c.fn, c] as const))('case %i (%s): values, node, gradients', (_, __, c) => {
    const x = f64(c.x, c.shape).requires_grad_()
    const g = f64(c.g, c.gshape).requires_grad_()
    const y = torch[c.fn](x, g, c.interp, c.pad, c.align)
    expect(y.shape).toEqual(c.yshape)
    close(flat(y), c.y)
    expect(y.grad_fn?.name()).toBe(c.grad_fn)
    const [gx, gg] = torch.autograd.grad([y], [x, g], [f64(c.w, c.yshape)])
    close(flat(gx!), c.gx)
    close(flat(gg!), c.gg)
  })

  it('rank and batch errors as ATen', () => {
    const [x4, g4] = [torch.ones(1, 1, 2, 2), torch.zeros(1, 1, 1, 2)]
    const [x5, g5] = [torch.ones(1, 1, 2, 2, 2), torch.zeros(1, 1, 1, 1, 3)]
    expect(() => torch.grid_sampler_2d(x5, g5, 0, 0, false)).toThrow(fx.errors['2d_on_5d'])
    expect(() => torch.grid_sampler_3d(x4, g4, 0, 0, false)).toThrow(fx.errors['3d_on_4d'])
    expect(() => torch.grid_sampler_3d(x5, g5, 2, 0, false)).toThrow(fx.errors['3d_bicubic'])
    expect(() => torch.grid_sampler_2d(x4, torch.zeros(2, 1, 1, 2), 0, 0, false)).toThrow(fx.errors['2d_batch'])
  })

  it('all arguments required; out-of-range modes rejected', () => {
    const [x, g] = [torch.ones(1, 1, 2, 2), torch.zeros(1, 1, 1, 2)]
    const bad = torch.grid_sampler as unknown as (...a: unknown[]) => torch.Tensor
    expect(() => bad(x, g, 0, 0)).toThrow('grid_sampler() missing 1 required positional arguments: "align_corners"')
    expect(() => torch.grid_sampler(x, g, 3, 0, false)).toThrow(
      'grid_sampler(): expected interpolation_mode to be 0 (bilinear), 1 (nearest), 2 (bicubic), but got 3',
    )
    expect(() => torch.grid_sampler(x, g, 0, -1, false)).toThrow('expected padding_mode to be 0 (zeros)')
  })
})
