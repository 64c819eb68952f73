/**
 * The differential tester's verdicts (scripts/difftest/explain.ts): every deliberate difference
 * it names has its paragraph in docs/porting.md, and a facade error that is not one of the
 * explained classes stays unexplained.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { DELIBERATE, explain } from '../../scripts/difftest/explain'

const porting = readFileSync(new URL('../../docs/porting.md', import.meta.url), 'utf8')
const err = (msg: string) => ({ k: 'err', at: 1, cls: 'RuntimeError', msg })

describe('difftest verdicts', () => {
  it.each(Object.entries(DELIBERATE))('deliberate difference %s has its paragraph in docs/porting.md', (_, title) => {
    // Arrange, Act
    const found = porting.includes(`- **${title}**`)
    // Assert
    expect(found).toBe(true)
  })

  it('explains PyTorch 1.13 failures and documented classes, not other differences', () => {
    // Arrange
    const base = { field: 'error message', op: 'relu_', event: 3 }
    const assertFailed = err(
      '!grad_fn INTERNAL ASSERT FAILED at "./torch/csrc/autograd/variable.cpp":792, please report a bug to PyTorch. ',
    )
    const noGrad = err(
      'A view was created in no_grad mode and is being modified inplace with grad mode enabled. Given…',
    )
    // Act
    const crash = explain({ ...base, key: 'error message @ relu_', torch: assertFailed, wengert: noGrad })
    const other = explain({ ...base, key: 'error message @ relu_', torch: assertFailed, wengert: err('other') })
    const ties = explain({ ...base, key: 'values @ topk', torch: null, wengert: null })
    // Assert
    expect(crash?.verdict).toBe('PyTorch 1.13 failed')
    expect(other).toBeNull()
    expect(ties?.verdict).toBe('deliberate')
  })

  it("explains a matmul program's .grad version 1 (1.13) vs 0 (2.x) as D47, and nothing else", () => {
    // Arrange
    const grad = (version: number) => ({ k: 'final', name: 'v7', t: { shape: [2], values: [1, 2], version } })
    const base = { field: 'grad version', op: 'grad', event: 9, key: 'grad version @ grad' }
    // Act
    const folded = explain({ ...base, torch: grad(1), wengert: grad(0) }, new Set(['matmul', 'backward']))
    const noMatmul = explain({ ...base, torch: grad(1), wengert: grad(0) }, new Set(['mm', 'backward']))
    const reversed = explain({ ...base, torch: grad(0), wengert: grad(1) }, new Set(['matmul', 'backward']))
    // Assert
    expect(folded?.reason.startsWith('D47 ')).toBe(true)
    expect(noMatmul).toBeNull()
    expect(reversed).toBeNull()
  })

  it('F.embedding saves no weight, as 2.x (D26): modifying the weight after the forward does not break backward', () => {
    // Arrange
    const w = torch.tensor([[1.125], [1.0]], { dtype: torch.float64, requires_grad: true })
    const out = torch.nn.functional.embedding(
      torch.tensor([
        [1n, 1n, 1n],
        [1n, 0n, 0n],
      ]),
      w,
      { padding_idx: 0 },
    )
    torch.no_grad(() => w.set('0:', torch.tensor([[-1.375], [0.25]], { dtype: torch.float64 })))
    // Act
    out.sum().backward()
    // Assert: each row's gradient counts its uses, the padding row none
    expect(w.grad?.tolist()).toEqual([[0], [4]])
  })
})
