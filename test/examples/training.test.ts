/**
 * examples/training/train.ts (data loader, MLP, SGD, clipping, StepLR, checkpoint and resume)
 * against its PyTorch twin examples/training/train.py (PyTorch 1.13): the loss of every batch
 * (float32, so to a relative 1e-5) and the final learning rate.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { train } from '../../examples/training/train'

const FIX = JSON.parse(readFileSync(new URL('../fixtures/torch/training_example.json', import.meta.url), 'utf8')) as {
  losses: number[]
  last_lr: number[]
}

describe('the training example', () => {
  it.each([
    ['checkpoint as bytes', undefined],
    ['checkpoint in a file', join(mkdtempSync(join(tmpdir(), 'wengert-train-')), 'checkpoint.pt')],
  ])('has PyTorch’s loss curve (%s)', (_, path) => {
    // Act
    const { losses, last_lr } = train(path)
    // Assert
    expect(losses.length).toBe(FIX.losses.length)
    losses.forEach((l, i) => {
      const want = FIX.losses[i] as number
      if (Math.abs(l - want) > 1e-5 * Math.max(1, Math.abs(want))) expect.fail(`batch ${i}: loss ${l}, PyTorch ${want}`)
    })
    expect(last_lr[0]).toBeCloseTo(FIX.last_lr[0] as number, 12)
  })
})
