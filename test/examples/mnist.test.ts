/**
 * examples/mnist/main.ts (PyTorch's MNIST CNN, Adadelta, StepLR) against its PyTorch twin
 * examples/mnist/main.py (PyTorch 1.13): the same hashed weights and synthetic images, the loss
 * of every step (float32, so to a relative 1e-4 after four Adadelta steps) and the final
 * learning rate.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { run } from '../../examples/mnist/main'

const FIX = JSON.parse(readFileSync(new URL('../fixtures/torch/mnist_cnn.json', import.meta.url), 'utf8')) as {
  losses: number[]
  lr: number
}

describe('the MNIST CNN example', () => {
  it('has PyTorch’s losses for the same weights and data', () => {
    // Act
    const { losses, lr } = run({ noDropout: true })
    // Assert
    expect(losses.length).toBe(FIX.losses.length)
    losses.forEach((l, i) => {
      const want = FIX.losses[i] as number
      if (Math.abs(l - want) > 1e-4 * Math.max(1, Math.abs(want))) expect.fail(`step ${i}: loss ${l}, PyTorch ${want}`)
    })
    expect(lr).toBeCloseTo(FIX.lr, 12)
  }, 60_000)
})
