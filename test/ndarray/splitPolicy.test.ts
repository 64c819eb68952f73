/**
 * The thread pool's back-off (src/ndarray/kernels/wasm/splitPolicy.ts): after a split that took
 * longer than the caller alone would have (its time per unit × the unit count), the next splits
 * run on the calling thread, for 1, 2, 4, … splits on consecutive losses (at most MAX_BACKOFF), and a split that paid
 * resets it. Timings are given, not measured, so the test is exact.
 */
import { describe, expect, it } from 'vitest'
import { MAX_BACKOFF, MIN_LOSS_MS, SplitPolicy } from '../../src/ndarray/kernels/wasm/splitPolicy'

/** How many calls to threaded() return false before the next true. */
const skipped = (p: SplitPolicy): number => {
  let n = 0
  while (!p.threaded()) n++
  return n
}

describe('SplitPolicy', () => {
  it('threads while splits pay', () => {
    const p = new SplitPolicy()
    for (let i = 0; i < 10; i++) {
      expect(p.threaded()).toBe(true)
      p.record(2, 0.1, 8, 16)
    }
  })

  it('a wait longer than the own work backs off for 1, 2, 4, … splits, capped', () => {
    const p = new SplitPolicy()
    const seen: number[] = []
    for (let i = 0; i < 12; i++) {
      p.record(1, 5, 8, 16)
      seen.push(skipped(p))
    }
    expect(seen).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 256, 256, 256])
    expect(MAX_BACKOFF).toBe(256)
  })

  it('a split that paid resets the back-off', () => {
    const p = new SplitPolicy()
    p.record(1, 5, 8, 16)
    p.record(1, 5, 8, 16)
    p.record(1, 5, 8, 16)
    expect(skipped(p)).toBe(4)
    p.record(1, 0.2, 8, 16)
    expect(p.threaded()).toBe(true)
    p.record(1, 5, 8, 16)
    expect(skipped(p)).toBe(1)
  })

  it('a split where the caller ran most units and still waited is a loss (one thread would have been faster)', () => {
    const p = new SplitPolicy()
    // 15 of 16 units in 15 ms (1 ms each: 16 ms alone), then 2 ms waiting for the last one: 17 > 16
    p.record(15, 2, 15, 16)
    expect(skipped(p)).toBe(1)
    // half the units each, a short wait: 8.5 < 16
    p.record(8, 0.5, 8, 16)
    expect(p.threaded()).toBe(true)
  })

  it('waits below the hand-off cost never count as losses', () => {
    const p = new SplitPolicy()
    p.record(0.001, MIN_LOSS_MS / 2, 1, 16)
    expect(p.threaded()).toBe(true)
  })
})
