/**
 * F.pad(mode='circular') against PyTorch (fixtures/pad_circular.py): values, the `_version` of
 * 2.x's copy_-built output (1 + one per positive amount), CopySlices, gradients, negative amounts
 * and the errors; unbatched inputs as 2.x pads them (1.13 refuses them, see the script).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import { typeName } from '../../helpers/nodeNames'

interface Case {
  shape: number[]
  pad: number[]
  unbatched: boolean
  out_shape: number[]
  values: number[]
  version: number
  grad_fn: string
  grad: number[]
  grad_version: number
  grad_stride: number[]
}
const fx = JSON.parse(readFileSync(new URL('./fixtures/pad_circular.json', import.meta.url), 'utf8')) as {
  cases: Case[]
  errors: Array<{ shape: number[]; pad: number[]; msg: string }>
}
const F = torch.nn.functional

describe('F.pad circular', () => {
  for (const c of fx.cases) {
    it(`pads ${JSON.stringify(c.shape)} by ${JSON.stringify(c.pad)}${c.unbatched ? ' (unbatched, 2.x)' : ''}`, () => {
      const n = c.shape.reduce((a, b) => a * b, 1)
      const x = torch.arange(n, { dtype: torch.float64 }).mul(0.5).sub(1).reshape(c.shape).requires_grad_()
      const y = F.pad(x, c.pad, { mode: 'circular' })
      expect([...y.shape]).toEqual(c.out_shape)
      expect(y.flatten().tolist()).toEqual(c.values)
      expect(y._version).toBe(c.version)
      expect(typeName(y.grad_fn)).toBe(c.grad_fn)
      const w = torch
        .arange(y.numel(), { dtype: torch.float64 })
        .reshape([...y.shape])
        .add(1)
      y.mul(w).sum().backward()
      expect(x.grad?.flatten().tolist()).toEqual(c.grad)
      expect(x.grad?._version).toBe(c.grad_version)
      expect(x.grad?.stride()).toEqual(c.grad_stride)
    })
  }
  it('counts the copies without autograd too', () => {
    expect(F.pad(torch.zeros(1, 2, 3), [1, 1], { mode: 'circular' })._version).toBe(3)
  })
  for (const e of fx.errors) {
    it(`raises PyTorch's error for ${JSON.stringify(e.pad)}`, () => {
      expect(() => F.pad(torch.zeros(e.shape), e.pad, { mode: 'circular' })).toThrow(e.msg)
    })
  }
})
