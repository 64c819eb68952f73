/**
 * Recycled storage for large float arrays. Writing into freshly allocated memory is the dearest
 * part of an eager element-wise step over a large array: each new 4 MB buffer is mapped page by
 * page on first touch (~500 page faults, measured at 3–12 ms on the shared VMs against ~0.3 ms
 * to compute a float32 tanh over it), and the C allocator gives large freed buffers back to the
 * system, so every step pays it again.
 *
 * A buffer enters the pool only when its last holder is known to be gone: the backward sweep
 * (src/core/reverse.ts) tracks the buffers born while it runs (`beginBirths`) and hands back
 * (`recycleBuffer`) those whose cotangents it has consumed and that no other cotangent shares.
 * `allocate` / `allocateUninit` (./dtype) take from the pool before they allocate. Only whole
 * buffers of at least MIN_BYTES are pooled, at most MAX_BYTES in all (the rest is left to GC).
 * Kernels also borrow working storage here (`takeScratch` / `releaseScratch`: never part of a result).
 *
 * Results handed to the caller are never pooled: nothing tells when the caller's last reference
 * (an array, a view of it with its own typed array over the buffer, a saved residual) is gone.
 * A FinalizationRegistry would not help where it matters: its callbacks run only when the event
 * loop turns, never inside a synchronous loop of calls (a training loop, the benchmark's timed
 * loop), and until then it keeps every registered buffer alive (measured: no callback in 200
 * synchronous 4 MB calls, and the retained buffers tripled the page faults per call).
 *
 * @category ndarray
 * @since 0.2.0
 */

/**
 * Smallest pooled buffer (smaller ones are cheap to allocate). 64 KB takes in a training step's
 * batch-sized activations (W2: 128×256 float32 = 128 KB, five per step, allocated fresh each step
 * below this).
 */
export const MIN_POOLED_BYTES = 1 << 16
/** Most bytes the pool keeps. */
const MAX_BYTES = 16 << 20

const free = new Map<number, ArrayBuffer[]>()
let pooledBytes = 0
/** The buffers allocated during the innermost recycling sweep, or null outside one. */
let births: WeakSet<ArrayBuffer> | null = null

/** A pooled buffer of exactly `bytes` bytes (contents arbitrary), or undefined. */
export const takeBuffer = (bytes: number): ArrayBuffer | undefined => {
  const list = free.get(bytes)
  const b = list?.pop()
  if (b !== undefined) pooledBytes -= bytes
  return b
}

/** Records that `buf` was just allocated (large buffers only; a no-op outside a recycling sweep). */
export const noteBirth = (buf: ArrayBuffer): void => {
  if (births !== null) births.add(buf)
  for (let i = 0; i < deep.length; i++) (deep[i] as WeakSet<ArrayBuffer>).add(buf)
}

/** The open deep birth records (`beginDeepBirths`): they see the births of nested sweeps too. */
const deep: Array<WeakSet<ArrayBuffer>> = []

/**
 * Starts recording every large buffer allocated from now on, including inside sweeps that start
 * their own record (`beginBirths`) meanwhile: the facade's backward pass, whose nodes' rules may
 * run core sweeps. End it with `endDeepBirths`.
 */
export const beginDeepBirths = (): WeakSet<ArrayBuffer> => {
  const s = new WeakSet<ArrayBuffer>()
  deep.push(s)
  return s
}

/** Stops the deep record `s` (and any opened after it). */
export const endDeepBirths = (s: WeakSet<ArrayBuffer>): void => {
  const i = deep.lastIndexOf(s)
  if (i >= 0) deep.length = i
}

/**
 * Starts recording the large buffers allocated from now on; returns the set and the previous one
 * (restore it with `endBirths`).
 */
export const beginBirths = (): {
  readonly born: WeakSet<ArrayBuffer>
  readonly previous: WeakSet<ArrayBuffer> | null
} => {
  const previous = births
  births = new WeakSet()
  return { born: births, previous }
}

/** Stops recording (restores the enclosing sweep's set). */
export const endBirths = (previous: WeakSet<ArrayBuffer> | null): void => {
  births = previous
}

/**
 * Runs `f` with every birth record closed: what it allocates is no sweep's own (a deferred forward
 * value computed during a backward pass is never recycled by it).
 */
export const outsideBirths = <T>(f: () => T): T => {
  const b = births
  const d = deep.splice(0, deep.length)
  births = null
  try {
    return f()
  } finally {
    births = b
    deep.push(...d)
  }
}

/** Gives `buf` to the pool; the caller guarantees that nothing references it any more. */
export const recycleBuffer = (buf: ArrayBuffer): void => {
  const bytes = buf.byteLength
  if (bytes < MIN_POOLED_BYTES || pooledBytes + bytes > MAX_BYTES) return
  let list = free.get(bytes)
  if (list === undefined) {
    list = []
    free.set(bytes, list)
  }
  list.push(buf)
  pooledBytes += bytes
}

/**
 * Float64 working storage of `n` elements for a kernel (contents arbitrary): a pooled buffer when
 * large. The kernel gives it back with `releaseScratch` before it returns, and never lets it (or a
 * view of it) escape into a result.
 */
export const takeScratch = (n: number): Float64Array => {
  const bytes = n * 8
  const b = bytes >= MIN_POOLED_BYTES ? takeBuffer(bytes) : undefined
  return b === undefined ? new Float64Array(n) : new Float64Array(b)
}

/**
 * Gives back a kernel's working storage (`takeScratch`, or any whole buffer the kernel allocated
 * and holds the only reference to); the caller drops every reference to it.
 */
export const releaseScratch = (a: Float64Array): void => {
  const b = a.buffer
  if (b instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === b.byteLength) recycleBuffer(b)
}

/** Empties the pool (tests; memory pressure). */
export const clearBufferPool = (): void => {
  free.clear()
  pooledBytes = 0
}

/** Bytes held by the pool (tests). */
export const pooledBufferBytes = (): number => pooledBytes
