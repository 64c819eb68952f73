/**
 * float32 F.affine_grid / F.grid_sample on pixel centres: ATen computes the base grid (its CPU
 * linspace) and the source coordinates in float32, and that rounding picks the pixel a grid point
 * falls into, hence the side of its grid gradient (at the identity transform a Spatial Transformer
 * Network starts from, every point is on a centre). Expected answers: PyTorch 1.13 runs
 * (../fixtures/grid_sample_float32.py writes ../fixtures/grid_sample_float32.json).
 */
import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import fixture from '../fixtures/grid_sample_float32.json'
import { expectClose } from '../ports/portHelpers'

const F = torch.nn.functional

const eye = (d: number): number[][][] => [
  Array.from({ length: d }, (_, i) => Array.from({ length: d + 1 }, (_, j) => (i === j ? 1 : 0))),
]

const prod = (s: ReadonlyArray<number>): number => s.reduce((a, b) => a * b, 1)

describe('float32 affine_grid and grid_sample on pixel centres (PyTorch 1.13 reference)', () => {
  it.each(fixture.identity.map((c) => [`${c.size.join('x')} align=${c.align}`, c] as const))(
    'the identity grid %s is bit for bit ATen’s',
    (_, c) => {
      const theta = torch.tensor(eye(c.size.length - 2))
      const grid = F.affine_grid(theta, c.size, { align_corners: c.align })
      expect(grid.reshape(-1).tolist()).toEqual(c.grid)
    },
  )

  it.each(fixture.theta_grad.map((c) => [`${c.size.join('x')} align=${c.align}`, c] as const))(
    'the theta gradient at the identity %s takes ATen’s pixel sides',
    (_, c) => {
      const n = c.size[0] as number
      const theta = torch
        .tensor(eye(c.size.length - 2))
        .repeat(n, 1, 1)
        .requires_grad_(true)
      const x = torch.arange(prod(c.size), { dtype: torch.float32 }).reshape(c.size).mul(0.37).sin()
      const w = torch.arange(prod(c.size), { dtype: torch.float32 }).reshape(c.size).mul(0.11).cos()
      const grid = F.affine_grid(theta, c.size, { align_corners: c.align })
      const y = F.grid_sample(x, grid, { align_corners: c.align })
      y.mul(w).sum().backward()
      expectClose(y.sum().item(), c.y, 1e-5, 1e-5)
      expectClose((theta.grad as torch.Tensor).reshape(-1).tolist(), c.grad, 1e-4, 1e-4)
    },
  )

  it.each(fixture.ramp.map((c) => [`${c.dims}-D W=${c.W} align=${c.align}`, c] as const))(
    'grid gradients over a quadratic ramp (%s) reveal ATen’s floor of the source coordinate',
    (_, c) => {
      const shape = c.dims === 4 ? [1, 1, 1, c.W] : [1, 1, 1, 1, c.W]
      const x = torch.arange(c.W, { dtype: torch.float32 }).pow(2).reshape(shape)
      const lead = c.dims === 4 ? [1, 1] : [1, 1, 1]
      const grid = torch.zeros([...lead, c.g.length, c.dims - 2])
      grid.set('...', 0, torch.tensor(c.g).reshape([...lead, c.g.length]))
      grid.requires_grad_(true)
      F.grid_sample(x, grid, { align_corners: c.align }).sum().backward()
      const got = (grid.grad as torch.Tensor).index('...', 0).reshape(-1).tolist() as number[]
      // (2·floor + 1)·slope: a wrong floor is off by 2·slope ≥ 2, far beyond the rounding noise
      expectClose(got, c.grad, 1e-5, 1e-3)
    },
  )
})
