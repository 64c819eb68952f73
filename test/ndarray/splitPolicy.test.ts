/**
 * The thread pool's back-off (src/ndarray/kernels/wasm/splitPolicy.ts): after a split in which the
 * caller waited for a helper longer than it worked itself, the next splits run on the calling
 * thread, for 1, 2, 4, … splits on consecutive losses (at most MAX_BACKOFF), and a split that paid
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
      p.record(2, 0.1)
    }
  })

  it('a wait longer than the own work backs off for 1, 2, 4, … splits, capped', () => {
    const p = new SplitPolicy()
    const seen: number[] = []
    for (let i = 0; i < 12; i++) {
      p.record(1, 5)
      seen.push(skipped(p))
    }
    expect(seen).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 256, 256, 256])
    expect(MAX_BACKOFF).toBe(256)
  })

  it('a split that paid resets the back-off', () => {
    const p = new SplitPolicy()
    p.record(1, 5)
    p.record(1, 5)
    p.record(1, 5)
    expect(skipped(p)).toBe(4)
    p.record(1, 0.2)
    expect(p.threaded()).toBe(true)
    p.record(1, 5)
    expect(skipped(p)).toBe(1)
  })

  it('waits below the hand-off cost never count as losses', () => {
    const p = new SplitPolicy()
    p.record(0.001, MIN_LOSS_MS / 2)
    expect(p.threaded()).toBe(true)
  })
})
