/**
 * var_mean / std_mean save what PyTorch's nodes save (test/torch/fixtures/var_mean_saved.py):
 * VarMeanBackward0 saves self, StdMeanBackward0 self and the deviation; changing a saved tensor in
 * place before backward raises PyTorch's error, changing an unsaved output does not.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'

type Expected = { readonly grad: number[] } | { readonly error: string }
const fixture = JSON.parse(readFileSync(new URL('./fixtures/var_mean_saved.json', import.meta.url), 'utf8')) as Record<
  string,
  Expected
>

describe('var_mean / std_mean saved tensors (PyTorch fixtures)', () => {
  it.each(Object.entries(fixture))('%s', (key, want) => {
    // Arrange
    const [fn, what] = key.split(' ') as ['var_mean' | 'std_mean', string]
    const x = torch.tensor([1, 2, 4], { requires_grad: true })
    const y = x.mul(1)
    const [v, m] = torch[fn](y)
    // Act
    const run = (): void => {
      if (what === 'self') y.add_(1)
      else if (what === 'out0') v.add_(1)
      else m.add_(1)
      v.add(m).backward()
    }
    // Assert
    if ('error' in want) {
      expect(run).toThrow(want.error)
      expect(x.grad).toBeNull()
    } else {
      run()
      const got = x.grad?.tolist() as number[]
      want.grad.forEach((g, i) => expect(got[i]).toBeCloseTo(g, 5))
    }
  })
})
