/**
 * The C allocator is warmed once, by the first large float allocation and not before
 * (src/ndarray/allocatorWarmup.ts); values are unaffected. Whether the warming keeps freed memory
 * mapped is glibc's behaviour, measured in bench/micro/w4Faults.mjs, not here.
 */
import { describe, expect, it } from 'vitest'
import { allocatorWarmed, WARM_MIN_BYTES } from '../../src/ndarray/allocatorWarmup'
import { allocate, allocateUninit } from '../../src/ndarray/dtype'

describe('allocator warm-up', () => {
  it('waits for the first float allocation of at least WARM_MIN_BYTES, then happens once', () => {
    const hasNodeAlloc = typeof (globalThis as { Buffer?: unknown }).Buffer === 'function'
    const small = allocateUninit('float32', WARM_MIN_BYTES / 4 - 1)
    expect(small.length).toBe(WARM_MIN_BYTES / 4 - 1)
    expect(allocatorWarmed()).toBe(false)
    const ints = allocate('int32', WARM_MIN_BYTES)
    expect(ints.length).toBe(WARM_MIN_BYTES)
    expect(allocatorWarmed()).toBe(false)
    const big = allocate('float32', WARM_MIN_BYTES / 4)
    expect(allocatorWarmed()).toBe(hasNodeAlloc)
    // zeroed storage stays zeroed and uninitialised storage is fully writable
    expect(big.every((v) => v === 0)).toBe(true)
    const again = allocateUninit('float64', WARM_MIN_BYTES / 8) as Float64Array
    again.fill(2)
    expect(again[again.length - 1]).toBe(2)
  })
})
