/**
 * The thread pool's back-off (src/ndarray/kernels/wasm/splitPolicy.ts). A split's saving is the
 * fraction of the caller-alone time (its time per unit × the unit count) it saved; the policy keeps
 * a running average of savings and backs off while that average is negative: losing probes double
 * the gap to the next probe (at most MAX_BACKOFF), paying ones keep it. Timings are given, not
 * measured, so the test is exact.
 */
import { describe, expect, it } from 'vitest'
import { MAX_BACKOFF, MIN_LOSS_MS, SplitPolicy, splitSaving } from '../../src/ndarray/kernels/wasm/splitPolicy'

/** How many calls to threaded() return false before the next true. */
const skipped = (p: SplitPolicy): number => {
  let n = 0
  while (!p.threaded()) n++
  return n
}

// 8 of 16 units in 1 ms (2 ms alone), then 5 ms waiting: saving (2 − 6) / 2, clamped to −1
const loss = (p: SplitPolicy): void => p.record(1, 5, 8, 16)
// 8 of 16 units in 1 ms, 0.2 ms waiting: saving (2 − 1.2) / 2 = 0.4
const win = (p: SplitPolicy): void => p.record(1, 0.2, 8, 16)

describe('splitSaving', () => {
  it('is the fraction of the caller-alone time saved, clamped to [-1, 1]', () => {
    expect(splitSaving(1, 0.2, 8, 16)).toBeCloseTo(0.4, 12)
    expect(splitSaving(1, 5, 8, 16)).toBe(-1)
    // 15 of 16 units in 15 ms (16 ms alone), 2 ms waiting: (16 − 17) / 16
    expect(splitSaving(15, 2, 15, 16)).toBeCloseTo(-1 / 16, 12)
    // helpers ran everything: the caller never had to run a unit
    expect(splitSaving(0, 0.3, 0, 16)).toBe(1)
  })

  it('waits below the hand-off cost never count as losses', () => {
    expect(splitSaving(0.001, MIN_LOSS_MS / 2, 1, 16)).toBe(0)
    expect(splitSaving(0.001, MIN_LOSS_MS * 2, 1, 16)).toBeLessThan(0)
  })
})

describe('SplitPolicy', () => {
  it('threads while splits pay', () => {
    const p = new SplitPolicy()
    for (let i = 0; i < 10; i++) {
      expect(p.threaded()).toBe(true)
      p.record(2, 0.1, 8, 16)
    }
  })

  it('consecutive losses back off for 1, 2, 4, … splits, capped', () => {
    const p = new SplitPolicy()
    const seen: number[] = []
    for (let i = 0; i < 12; i++) {
      loss(p)
      seen.push(skipped(p))
    }
    expect(seen).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 256, 256, 256])
    expect(MAX_BACKOFF).toBe(256)
  })

  it('one slow split among paying ones does not stop threading', () => {
    const p = new SplitPolicy()
    for (let i = 0; i < 8; i++) win(p)
    loss(p)
    expect(p.threaded()).toBe(true)
  })

  it('a helper that wins half its splits and loses the others by a slice backs off', () => {
    const p = new SplitPolicy()
    const gaps: number[] = []
    for (let i = 0; i < 40; i++) {
      if (i % 2 === 0) win(p)
      else loss(p)
      gaps.push(skipped(p))
    }
    // the running average settles below zero: most probes are hundreds of splits apart
    expect(gaps.slice(-10).every((g) => g >= 64)).toBe(true)
  })

  it('paying probes keep the gap until the average is positive again, then threads', () => {
    const p = new SplitPolicy()
    for (let i = 0; i < 12; i++) {
      loss(p)
      skipped(p)
    }
    const gaps: number[] = []
    for (let i = 0; i < 3; i++) {
      win(p)
      gaps.push(skipped(p))
    }
    // average −0.3 (the floor) → −0.16 → −0.048 → +0.042
    expect(gaps).toEqual([256, 256, 0])
    win(p)
    expect(p.threaded()).toBe(true)
  })
})
