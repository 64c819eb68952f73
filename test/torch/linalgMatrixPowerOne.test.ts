/**
 * linalg.matrix_power(A, 1) is a clone of A with node CloneBackward0, never A itself
 * (fixtures/matrix_power_one.py and .json, PyTorch 1.13; difftest wide seed 400298).
 */
import { readFileSync } from 'node:fs'
import { expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { typeName } from '../helpers/nodeNames'

const fx = JSON.parse(readFileSync(new URL('./fixtures/matrix_power_one.json', import.meta.url), 'utf8')) as {
  grad_fn: string
  same: boolean
  values: number[][]
  zero: { grad_fn: string; version: number; values: number[][] }
}

it('linalg.matrix_power(A, 1) returns a CloneBackward0 copy', () => {
  const a = torch.tensor(
    [
      [1.5, -0.25],
      [0.75, 2.0],
    ],
    { dtype: torch.float64, requires_grad: true },
  )
  const b = torch.linalg.matrix_power(a, 1)
  expect(b === a).toBe(fx.same)
  expect(typeName(b.grad_fn)).toBe(fx.grad_fn)
  expect(b.tolist()).toEqual(fx.values)
})

it('linalg.matrix_power(A, 0) copies the identity into a clone of A (CopyBackwards)', () => {
  const a = torch.tensor(
    [
      [1.5, -0.25],
      [0.75, 2.0],
    ],
    { dtype: torch.float64, requires_grad: true },
  )
  const z = torch.linalg.matrix_power(a, 0)
  expect(typeName(z.grad_fn)).toBe(fx.zero.grad_fn)
  expect(z._version).toBe(fx.zero.version)
  expect(z.tolist()).toEqual(fx.zero.values)
})
