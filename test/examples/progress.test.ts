/**
 * The progress-bar training example (examples/progress/train.ts): the loss falls by orders of
 * magnitude, and the loss-curve chart renders as SVG in Node (vega-lite, no browser).
 */
import { describe, expect, it } from 'vitest'
import { downsample, lossCurveSvg, train } from '../../examples/progress/train'

describe('examples/progress', () => {
  it('trains: the loss after 150 steps is under a hundredth of the first', () => {
    const seen: number[] = []
    const losses = train(150, (step) => seen.push(step))
    expect(seen).toEqual(Array.from({ length: 150 }, (_, i) => i))
    expect(losses[149] as number).toBeLessThan((losses[0] as number) / 100)
  })

  it('draws the loss curve as an SVG chart with a log axis', async () => {
    const svg = await lossCurveSvg([1, 0.1, 0.01, 0.001])
    expect(svg).toMatch(/^<svg[\s\S]*<\/svg>$/)
    expect(svg).toContain('training loss (MSE)')
    // log axis ticks at the decades
    for (const tick of ['0.001', '0.01', '0.1', '1']) expect(svg).toContain(`>${tick}</text>`)
  })

  it('downsamples a series by averaging runs of neighbours', () => {
    expect(downsample([1, 3, 5, 7, 9], 3)).toEqual([2, 6, 9])
    expect(downsample([1, 2], 10)).toEqual([1, 2])
  })
})
