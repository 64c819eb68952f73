/**
 * The thread pool's back-off (src/ndarray/kernels/wasm/splitPolicy.ts). Per split shape, the first
 * split and one in RECALIBRATE threaded ones run on the calling thread alone, and a shape whose
 * reference is under the pool's minimum (GAIN hand-offs) is never threaded; a threaded split's
 * saving is the fraction of the alone reference (the least recent alone time) it saved; the policy
 * keeps a running average of savings and backs off while that average is negative: losing probes
 * double the gap to the next probe (at most MAX_BACKOFF), paying ones keep it; a split whose helper
 * fell behind counts as no saving at best. Timings are given,
 * not measured, so the test is exact.
 */
import { describe, expect, it } from 'vitest'
import {
  ALONE_SAMPLES,
  helpersLate,
  MAX_BACKOFF,
  NOISE,
  RECALIBRATE,
  setSplitPolicing,
  SplitPolicies,
  SplitPolicy,
  splitSaving,
  STEALING_GAIN,
} from '../../src/ndarray/kernels/wasm/splitPolicy'

/** How many calls to threaded() return false (each recorded as an alone split of `aloneMs`) before the next true. */
const skipped = (p: SplitPolicy, aloneMs = 2): number => {
  let n = 0
  while (!p.threaded()) {
    p.recordAlone(aloneMs)
    n++
  }
  return n
}

/** A policy past its first split (alone, 2 ms), with a minimum reference of `minMs`. */
const calibrated = (minMs = 0): SplitPolicy => {
  const p = new SplitPolicy(() => minMs)
  expect(p.threaded()).toBe(false)
  p.recordAlone(2)
  return p
}

// against the 2 ms alone reference: 7 ms threaded is a saving of −1 (clamped), 1.2 ms one of 0.4
const loss = (p: SplitPolicy): void => p.recordThreaded(7)
const win = (p: SplitPolicy): void => p.recordThreaded(1.2)

describe('splitSaving', () => {
  it('is the fraction of the alone time saved, clamped to [-1, 1]', () => {
    expect(splitSaving(2, 1.2)).toBeCloseTo(0.4, 12)
    expect(splitSaving(2, 7)).toBe(-1)
    expect(splitSaving(16, 17)).toBeCloseTo(-1 / 16, 12)
    // no reference yet: no judgement
    expect(splitSaving(NaN, 1)).toBe(0)
  })

  it('losses under NOISE of the alone time count as 0, larger ones whatever the scale', () => {
    expect(splitSaving(10, 10 * (1 + NOISE / 2))).toBe(0)
    expect(splitSaving(10, 10 * (1 + NOISE * 2))).toBeCloseTo(-2 * NOISE, 12)
    expect(splitSaving(0.1, 0.13)).toBeCloseTo(-0.3, 12)
  })
})

describe('SplitPolicy', () => {
  it('measures the first split alone, then threads while splits pay', () => {
    const p = calibrated()
    for (let i = 0; i < RECALIBRATE; i++) {
      expect(p.threaded()).toBe(true)
      p.recordThreaded(1.2)
    }
    // one alone split per RECALIBRATE threaded ones refreshes the reference
    expect(p.threaded()).toBe(false)
    p.recordAlone(3)
    expect(p.threaded()).toBe(true)
  })

  it('keeps a shape whose reference is under the minimum on the caller, with no probe', () => {
    let min = 8
    const p = new SplitPolicy(() => min)
    // references of 2 ms against an 8 ms minimum (GAIN hand-offs): never threaded
    for (let i = 0; i < 1000; i++) {
      expect(p.threaded()).toBe(false)
      p.recordAlone(2)
    }
    // the hand-off measured again lower (a quieter machine): threaded from the next split
    min = 1
    expect(p.threaded()).toBe(true)
  })

  it('a split where a helper fell behind counts as no saving at best, its time as a loss', () => {
    const p = calibrated()
    // fast but late: no gain recorded, and no back-off either
    for (let i = 0; i < 10; i++) {
      expect(p.threaded()).toBe(true)
      p.recordThreaded(1.2, true)
    }
    // two fast splits raise the average, a late one leaves it (an on-time 1.2 ms split would raise it)
    win(p)
    win(p)
    p.recordThreaded(1.2, true)
    p.recordThreaded(2.5, true)
    // 0.8·(0.8·(0.8·0.08 + 0.08)) + 0.2·(−0.25) = 0.0422 ≥ 0: still threaded
    expect(skipped(p)).toBe(0)
    // late and slow: −0.25 per split, until the average is negative
    p.recordThreaded(2.5, true)
    expect(skipped(p)).toBe(1)
  })

  it('with policing off, every split is threaded', () => {
    const prev = setSplitPolicing(false)
    try {
      const p = new SplitPolicy(() => 100)
      expect(p.threaded()).toBe(true)
      p.recordThreaded(1)
      expect(p.threaded()).toBe(true)
    } finally {
      setSplitPolicing(prev)
    }
  })

  it('the reference is the least of the last ALONE_SAMPLES alone times', () => {
    const p = new SplitPolicy()
    expect(p.aloneMs()).toBeNaN()
    const times = [5, 2, 4, 6, 7, 8]
    for (const t of times) p.recordAlone(t)
    expect(p.aloneMs()).toBe(Math.min(...times.slice(-ALONE_SAMPLES)))
  })

  it('a threaded split slower than the thread alone backs off, though no helper made it wait', () => {
    // two threads that slow each other down (one core's caches, the memory bus): 2.5 ms against 2
    const p = calibrated()
    p.recordThreaded(2.5)
    expect(skipped(p)).toBe(1)
  })

  it('consecutive losses back off for 1, 2, 4, … splits, capped', () => {
    const p = calibrated()
    const seen: number[] = []
    for (let i = 0; i < 12; i++) {
      loss(p)
      seen.push(skipped(p))
    }
    expect(seen).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 256, 256, 256])
    expect(MAX_BACKOFF).toBe(256)
  })

  it('one slow split among paying ones does not stop threading', () => {
    const p = calibrated()
    for (let i = 0; i < 8; i++) win(p)
    loss(p)
    expect(p.threaded()).toBe(true)
  })

  it('a helper that wins half its splits and loses the others by a slice backs off', () => {
    const p = calibrated()
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
    const p = calibrated()
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

describe('helpersLate', () => {
  it('a stolen unit, or helpers below a quarter of their fair share, is late', () => {
    // two threads: the helper's fair share of 16 units is 8, a quarter of that 2
    expect(helpersLate({ units: 16, helperUnits: 8, stolen: 0, helpers: 1 })).toBe(false)
    expect(helpersLate({ units: 16, helperUnits: 2, stolen: 0, helpers: 1 })).toBe(false)
    expect(helpersLate({ units: 16, helperUnits: 1, stolen: 0, helpers: 1 })).toBe(true)
    expect(helpersLate({ units: 16, helperUnits: 0, stolen: 0, helpers: 1 })).toBe(true)
    expect(helpersLate({ units: 16, helperUnits: 7, stolen: 1, helpers: 1 })).toBe(true)
    // four threads: three helpers' fair share of 16 units is 12, a quarter of that 3
    expect(helpersLate({ units: 16, helperUnits: 2, stolen: 0, helpers: 3 })).toBe(true)
    expect(helpersLate({ units: 16, helperUnits: 3, stolen: 0, helpers: 3 })).toBe(false)
  })
})

describe('SplitPolicies', () => {
  it('keeps one policy per shape: unit count and parameters', () => {
    const ps = new SplitPolicies()
    const a = ps.of(16, [1, 2, 3])
    expect(ps.of(16, [1, 2, 3])).toBe(a)
    expect(ps.of(16, [1, 2, 4])).not.toBe(a)
    expect(ps.of(8, [1, 2, 3])).not.toBe(a)
    // a shape backing off does not hold back another
    a.recordAlone(2)
    a.recordThreaded(7)
    expect(a.threaded()).toBe(false)
    const b = ps.of(8, [1, 2, 3])
    b.recordAlone(2)
    expect(b.threaded()).toBe(true)
  })

  it('threads a judged caller from its gain of hand-offs: GAIN by default, STEALING_GAIN for the gemm', () => {
    const ps = new SplitPolicies(() => 0.5)
    const plain = ps.ofKey('plain')
    const stealing = ps.ofKey('stealing', STEALING_GAIN)
    // a 1 ms reference: under GAIN (4) hand-offs of 0.5 ms, over STEALING_GAIN (1) of them
    for (const p of [plain, stealing]) {
      expect(p.threaded()).toBe(false)
      p.recordAlone(1)
    }
    expect(plain.threaded()).toBe(false)
    expect(stealing.threaded()).toBe(true)
  })
})
