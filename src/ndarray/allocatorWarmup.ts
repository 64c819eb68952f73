/**
 * Keeps the C allocator from handing the memory of collected large arrays back to the system
 * between calls, so a large result is written into memory that is already mapped.
 *
 * Each large float result is a fresh buffer (results handed to the caller are never recycled:
 * ./bufferPool), and under Node its memory comes from the C allocator (`Buffer.allocUnsafeSlow`,
 * `new ArrayBuffer`). With glibc's default thresholds, once the collector frees a few 4 MB buffers
 * at the top of the heap (more than 2 × the mmap threshold, ~8 MB after the first large free) they
 * are given back to the system at once, so the next call's result is mapped afresh page by page:
 * ~980 page faults per 4 MB, 0.1 ms to ~12 ms of CPU on the shared VMs depending on the host's
 * load (docs/internals.md, "Where a large element-wise gradient spends its time").
 *
 * glibc raises both thresholds by itself when a program frees a large block it had mapped
 * separately: the mmap threshold becomes that block's size (at most 32 MiB) and the trim threshold
 * twice it. `warmAllocator` does that once, on the first large float allocation: it allocates a
 * block just under 32 MiB (mapped separately, never touched, so it costs no memory) and drops it;
 * when the collector frees it, blocks up to 32 MiB come from the heap and up to 64 MiB of freed
 * heap stay mapped for reuse. That is the state any program reaches after freeing one such block,
 * and the memory kept is bounded (glibc's own cap). Elsewhere (another C allocator, no
 * `Buffer.allocUnsafeSlow`) it is one untouched allocation, freed like any other.
 *
 * Measured (Node 20, glibc 2.36, 2 vCPUs under load 15–19; a fresh process per cell, 200 calls
 * after 1 s of warm-up, bench/micro/w4Faults.mjs): W4 with the caller's read-back, calls taking
 * > 100 faults 26–94 → 7–13 of 200 (eager, jit, facade); W2 (MLP step) faults per step p90 588 → 4–6.
 *
 * @category ndarray
 * @since 0.2.0
 */

/**
 * Smallest allocation that warms the allocator (smaller ones leave its thresholds alone): the
 * pooled size (./bufferPool), so a training step's batch-sized activations count (W2: 128 KB to
 * 800 KB buffers, which glibc otherwise maps afresh or trims as well).
 */
export const WARM_MIN_BYTES = 1 << 16

/** The dropped block: under glibc's largest dynamic mmap threshold (32 MiB), headers included. */
const WARM_BYTES = (32 << 20) - (64 << 10)

let warmed = false

type Alloc = (bytes: number) => unknown

/** Node's `Buffer.allocUnsafeSlow` (a C allocation left untouched), where there is one. */
const unsafeAlloc: Alloc | undefined = (() => {
  const B = (globalThis as { Buffer?: { allocUnsafeSlow?: unknown } }).Buffer
  return typeof B?.allocUnsafeSlow === 'function' ? (B.allocUnsafeSlow.bind(B) as Alloc) : undefined
})()

/** Once per process, before the first allocation of `bytes` ≥ WARM_MIN_BYTES: allocates and drops the block. */
export const warmAllocator = (bytes: number): void => {
  if (warmed || !(bytes >= WARM_MIN_BYTES) || unsafeAlloc === undefined) return
  warmed = true
  try {
    unsafeAlloc(WARM_BYTES)
  } catch {
    // no memory for it: the thresholds stay as they are
  }
}

/** Whether the allocator was warmed in this process (tests). */
export const allocatorWarmed = (): boolean => warmed
