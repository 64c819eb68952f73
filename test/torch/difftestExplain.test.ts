/**
 * The differential tester's verdicts (scripts/difftest/explain.ts): every deliberate difference
 * it names has its paragraph in docs/porting.md, and a facade error that is not one of the
 * explained classes stays unexplained.
 */
import { recordedLeaf } from '../helpers/difftestEvents'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { compareRuns } from '../../scripts/difftest/compare'
import { DELIBERATE, explain } from '../../scripts/difftest/explain'
import { NOISE_TITLE } from '../../scripts/difftest/explain-optim'
import type { Event } from '../../scripts/difftest/record'

const porting = readFileSync(new URL('../../docs/porting.md', import.meta.url), 'utf8')
const err = (msg: string) => ({ k: 'err', at: 1, cls: 'RuntimeError', msg })
const rec = (at: number, values: number[]): Event => ({
  k: 'rec',
  name: `v${at}`,
  at,
  t: recordedLeaf(values),
})

/** A weight record after one step whose gradient (statement 1) PyTorch and wengert recorded as given. */
const optimRun = (opt: string, gradT: number[], gradW: number[], weightW: number[]) => {
  const ops = new Map([
    [1, `.weight.grad(${opt})`],
    [2, `.weight(${opt})`],
  ])
  const torchEvents = [rec(1, gradT), rec(2, [0.875, 0.375])]
  const ours = [rec(1, gradW), rec(2, weightW)]
  const d = {
    key: `values @ .weight(${opt})`,
    field: 'values',
    op: `.weight(${opt})`,
    event: 1,
    torch: torchEvents[1],
    wengert: ours[1],
  }
  return explain(d, new Set(ops.values()), { torch: torchEvents, ours, ops })
}

describe('difftest verdicts', () => {
  it.each(Object.entries(DELIBERATE))('deliberate difference %s has its paragraph in docs/porting.md', (_, title) => {
    // Arrange, Act
    const found = porting.includes(`- **${title}**`)
    // Assert
    expect(found).toBe(true)
  })

  it('the optimizer rounding-noise paragraph is in docs/porting.md', () => {
    expect(porting.includes(`- **${NOISE_TITLE}**`)).toBe(true)
  })

  it('explains an adaptive optimizer parameter difference only where the recorded gradients prove it is rounding noise', () => {
    // Arrange: element 0's gradient is noise (±1e-9 next to 0.5), element 1's is not
    const noise = [1e-9, 0.5]
    const flipped = [-1e-9, 0.5]
    // Act
    const adam = optimRun('Adam', noise, flipped, [1, 0.375])
    const sgd = optimRun('SGD', noise, flipped, [1, 0.375])
    const wrongGrad = optimRun('Adam', [1e-9, 0.5], [-1e-9, 0.25], [1, 0.375])
    const otherElement = optimRun('Adam', noise, flipped, [1, 0.5])
    const cleanGrad = optimRun('RMSprop', [0.25, 0.5], [0.25, 0.5], [1, 0.375])
    // Assert
    expect(adam?.verdict).toBe('rounding noise')
    expect(sgd).toBeNull()
    expect(wrongGrad).toBeNull()
    expect(otherElement).toBeNull()
    expect(cleanGrad).toBeNull()
  })

  it('explains a running mean difference only where a Linear gradient feeding that channel was noise', () => {
    // Arrange: Linear weight [2, 1], Linear bias, BatchNorm weight and bias; channel 0's bias gradient is noise
    const bnRun = (opt: string, biasW: number[], meanW: number[]) => {
      const ops = new Map([
        [1, `.weight.grad(${opt})`],
        [2, `.grad(${opt})`],
        [3, `.grad(${opt})`],
        [4, `.grad(${opt})`],
        [5, '.running_mean'],
      ])
      const grads = [rec(1, [0.25, 0.5]), rec(2, [1e-9, 2e-9]), rec(3, [0.5, 0.5]), rec(4, [0.25, 0.25])]
      const torchEvents = [...grads, rec(5, [0.125, 0.25])]
      const ours = [...grads.slice(0, 1), rec(2, biasW), ...grads.slice(2), rec(5, meanW)]
      const d = { key: 'values @ .running_mean', field: 'values', op: '.running_mean', event: 4 }
      return explain({ ...d, torch: torchEvents[4], wengert: ours[4] }, new Set(ops.values()), {
        torch: torchEvents,
        ours,
        ops,
      })
    }
    // Act
    const noiseChannel = bnRun('RMSprop', [-1e-9, 2e-9], [0.5, 0.25])
    const otherChannel = bnRun('RMSprop', [-1e-9, 2e-9], [0.125, 0.5])
    const plainSgd = bnRun('SGD', [-1e-9, 2e-9], [0.5, 0.25])
    const noNoise = bnRun('Adam', [1e-9, 2e-9], [0.5, 0.25])
    // Assert
    expect(noiseChannel?.verdict).toBe('rounding noise')
    expect(otherChannel).toBeNull()
    expect(plainSgd).toBeNull()
    expect(noNoise).toBeNull()
  })

  it('compares no record of a gradient entering a step, only the parameters after it', () => {
    // Arrange
    const ops = new Map([
      [1, '.weight.grad(Adagrad)'],
      [2, '.weight(Adagrad)'],
    ])
    const torchEvents = [rec(1, [0.25, 0.5]), rec(2, [0.875, 0.375])]
    // Act
    const sameWeight = compareRuns(torchEvents, [rec(1, [0.3, 0.5]), rec(2, [0.875, 0.375])], ops)
    const otherWeight = compareRuns(torchEvents, [rec(1, [0.25, 0.5]), rec(2, [0.875, 0.5])], ops)
    // Assert
    expect(sameWeight).toBeNull()
    expect(otherWeight?.key).toBe('values @ .weight(Adagrad)')
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

  it("explains .grad version 1 (1.13) vs 0 (2.x) of a matmul's N-D right operand as D47, and nothing else", () => {
    // Arrange
    const grad = (version: number, shape = [2, 1, 1]) =>
      ({ k: 'final', name: 'v7', t: { shape, values: [1, 2], version } }) as const
    const base = { field: 'grad version', op: 'grad', event: 9, key: 'grad version @ grad' }
    const ops = new Set(['matmul', 'backward'])
    const call = (recv: string, args: string[]) => ({
      s: 'let' as const,
      id: 1,
      op: 'matmul',
      out: 'v8',
      x: { e: 'call' as const, recv, name: 'matmul', args: args.map((v) => ({ t: 'v' as const, v })), kw: [] },
    })
    const prog = (recv: string, args: string[]) => ({
      seed: 0,
      kind: 'ops',
      vars: [],
      leaves: [],
      body: [call(recv, args)],
    })
    // Act
    const method = explain({ ...base, torch: grad(1), wengert: grad(0) }, ops, undefined, prog('v6', ['v7']) as never)
    const fn = explain(
      { ...base, torch: grad(1), wengert: grad(0) },
      ops,
      undefined,
      prog('torch', ['v6', 'v7']) as never,
    )
    const left = explain({ ...base, torch: grad(1), wengert: grad(0) }, ops, undefined, prog('v7', ['v6']) as never)
    const matrix = explain(
      { ...base, torch: grad(1, [2, 2]), wengert: grad(0, [2, 2]) },
      ops,
      undefined,
      prog('v6', ['v7']) as never,
    )
    const reversed = explain({ ...base, torch: grad(0), wengert: grad(1) }, ops, undefined, prog('v6', ['v7']) as never)
    // Assert
    expect(method?.reason.startsWith('D47 ')).toBe(true)
    expect(fn?.reason.startsWith('D47 ')).toBe(true)
    expect([left, matrix, reversed]).toEqual([null, null, null])
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
