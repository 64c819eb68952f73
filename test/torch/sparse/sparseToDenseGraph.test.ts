/**
 * `sparse_coo_tensor(...).to_dense()` against PyTorch 1.13 (fixture
 * test/fixtures/torch/sparse_to_dense_graph.json from the .py beside it): one ToDenseBackward0
 * node and a fresh tensor, where the facade returned a reshape view (ViewBackward0; differential
 * tester seed 420006); values and the values' gradient unchanged.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { typeName } from '../../helpers/nodeNames'

interface Case {
  coalesce: boolean
  float64: boolean
  grad_fn: string
  version: number
  is_view: boolean
  values: number[][]
  grad: number[]
}

const cases = JSON.parse(
  readFileSync(new URL('../../fixtures/torch/sparse_to_dense_graph.json', import.meta.url), 'utf8'),
) as Case[]

describe('sparse to_dense graph (PyTorch 1.13 fixture)', () => {
  it.each(cases.map((c) => [`coalesce=${c.coalesce} float64=${c.float64}`, c] as const))('%s', (_, c) => {
    const dtype = c.float64 ? torch.float64 : torch.float32
    const v = torch.tensor([0.5, -1.0, 2.0], { dtype, requires_grad: true })
    const i = torch.tensor([
      [0, 1, 0],
      [1, 0, 1],
    ])
    const s0 = torch.sparse_coo_tensor(i, v, [2, 3])
    const s = c.coalesce ? s0.coalesce() : s0
    const d = s.to_dense()
    d.mul(torch.arange(6.0, { dtype }).reshape(2, 3)).sum().backward()
    expect(typeName(d.grad_fn)).toBe(c.grad_fn)
    expect(d._version).toBe(c.version)
    expect(d._base !== null).toBe(c.is_view)
    expect(d.tolist()).toEqual(c.values)
    expect(v.grad?.tolist()).toEqual(c.grad)
  })
})
