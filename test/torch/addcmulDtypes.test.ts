/**
 * addcmul / addcdiv promote self, tensor1 and tensor2 together (the result kept self's dtype
 * before: float32 self with float64 operands gave float32), and addcdiv refuses integer tensor1
 * and tensor2 with PyTorch's message (test/torch/fixtures/addcmul_dtypes.py).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'

type Name = 'float32' | 'float64' | 'int64'
interface Case {
  readonly fn: 'addcmul' | 'addcdiv'
  readonly dtypes: [Name, Name, Name]
  readonly dtype?: Name
  readonly values?: number[]
  readonly error?: string
}
const cases = JSON.parse(readFileSync(new URL('./fixtures/addcmul_dtypes.json', import.meta.url), 'utf8')) as Case[]
const dt = { float32: torch.float32, float64: torch.float64, int64: torch.int64 }

describe('addcmul / addcdiv dtypes (PyTorch fixtures)', () => {
  it.each(cases.map((c) => [`${c.fn} ${c.dtypes.join(' ')}`, c] as const))('%s', (_n, c) => {
    // Arrange
    const [a, b, d] = c.dtypes
    const x = torch.tensor([1, 2], { dtype: dt[a] })
    const t1 = torch.tensor([3, 5], { dtype: dt[b] })
    const t2 = torch.tensor([2, 4], { dtype: dt[d] })
    // Act
    const run = (): torch.Tensor => x[c.fn](t1, t2, { value: 2 })
    // Assert
    if (c.error !== undefined) {
      expect(run).toThrow(c.error)
      return
    }
    const y = run()
    expect(y.dtype).toBe(dt[c.dtype as Name])
    expect(y.tolist()).toEqual(c.values)
  })
})
