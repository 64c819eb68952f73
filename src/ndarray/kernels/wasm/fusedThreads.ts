/**
 * Fused element-wise loops (./fusedLoop) on both cores: a large chain with a transcendental step
 * (tanh, exp, log — compute-bound, ~2 ns per element on one core) is staged whole into a thread
 * pool's shared memory and its elements are split into units that the calling thread and the
 * helpers claim dynamically (./threads), so a helper descheduled by another process holds up at
 * most one unit, and the pool's back-off (./splitPolicy) runs everything on the calling thread
 * while splits do not pay. Each element is computed by one thread with the chain's operations, so
 * the bits do not depend on the number of threads. The calling thread copies each unit it ran to
 * the results at once, while the helpers still compute (the results are fresh memory: the copy
 * takes its page faults), so only the helpers' units are copied after the split.
 *
 * Splits are stealing ones (./threads): a helper computes a unit into its private scratch and
 * commits it to the staged results only if the calling thread has not taken the unit back
 * meanwhile, so a helper that the OS deschedules mid-unit (a loaded machine) costs the caller one
 * unit's time, not a scheduler slice; the unit is the same loop on the same values either way.
 *
 * Whether a call is threaded is judged on whole calls (`driveJudged`), as the gemm judges whole
 * products: the threaded path stages every operand whole before the split (4 MB per array of 10⁶
 * elements, out of cache), where the one-thread path streams chunks that stay in cache, so timing
 * the split alone (the pool's per-split policy) saw threading pay while whole calls lost; and a
 * call that backs off runs the one-thread path itself, not the whole-staged units on one thread.
 *
 * One pool per chain (its module differs): at most MAX_POOLS chains are threaded, later ones run
 * on the calling thread, so a program with many distinct large chains does not start a helper
 * per chain.
 */
import { noteLocalSplit } from './splitStats'
import { threadPool, type ThreadPool } from './threads'

/** Chains over this many elements or more are split across threads (when they have helpers). */
export const PAR_MIN_ELEMENTS = 1 << 17

/** Elements per work unit (a multiple of 4: a unit stores whole vectors, only the last is ragged). */
const UNIT = 1 << 15

/** Most distinct chains given a pool (each holds a helper and a shared memory). */
const MAX_POOLS = 8

/** Bytes after each staged array: the loop reads and writes whole vectors past a ragged end. */
const PAD = 64

/** Most pointers a unit takes (the pool's jobs take 22 parameters, 5 of them are counts). */
const MAX_POINTERS = 17

type RunFn = (...ptrs: number[]) => void

/** Bytes per stored value in a helper's scratch slot: one unit, and the loop's whole vectors past its end. */
const SLOT = 4 * UNIT + PAD

/**
 * One unit on a helper: params n, unit size, number of arrays, scalars and outputs, then their
 * byte pointers (arrays and outputs advance with the unit, scalars stay). Given a private scratch
 * slot (s ≥ 0, a stealing split), the unit stores its values there (one SLOT each) and the calling
 * thread copies them to the results; with s < 0 it stores them in the staged results directly.
 * `unitArgs` is the same computation on the calling thread.
 */
const jobSource = (key: string): string => `// fused chain ${key}
(() => {
  const args = (p, u, s) => {
    const n = p[0], U = p[1], na = p[2], ns = p[3], no = p[4], st = u * U
    const a = [n - st < U ? n - st : U]
    for (let j = 0; j < na; j++) a.push(p[5 + j] + 4 * st)
    for (let j = 0; j < ns; j++) a.push(p[5 + na + j])
    for (let j = 0; j < no; j++) a.push(s < 0 ? p[5 + na + ns + j] + 4 * st : s + j * ${SLOT})
    return a
  }
  return (ex, p, u, m, s) => ex.run(...args(p, u, s))
})()`

/** The arguments of `run` for unit u (as the job computes them). */
const unitArgs = (p: ReadonlyArray<number>, u: number): number[] => {
  const [n, U, na, ns, no] = p as [number, number, number, number, number]
  const s = u * U
  const a = [n - s < U ? n - s : U]
  for (let j = 0; j < na; j++) a.push((p[5 + j] as number) + 4 * s)
  for (let j = 0; j < ns; j++) a.push(p[5 + na + j] as number)
  for (let j = 0; j < no; j++) a.push((p[5 + na + ns + j] as number) + 4 * s)
  return a
}

const pooled = new Set<string>()

/** The chain's pool with a ready helper, or null (one thread, helpers booting, too many chains). */
const poolOf = (
  key: string,
  build: (sharedMaxPages: number) => Uint8Array<ArrayBuffer>,
  outputs: number,
): ThreadPool | null => {
  if (!pooled.has(key)) {
    if (pooled.size >= MAX_POOLS) return null
    pooled.add(key)
  }
  const pool = threadPool(build, jobSource(key), outputs * SLOT)
  return pool === null || pool.ready() === 0 ? null : pool
}

/** How many helpers of the chain's pool are ready (starting them if needed); 0 where there are none. */
export function chainHelpersReady(
  key: string,
  build: (sharedMaxPages: number) => Uint8Array<ArrayBuffer>,
  outputs: number,
): number {
  return poolOf(key, build, outputs)?.ready() ?? 0
}

const align16 = (bytes: number): number => (bytes + 15) & ~15

/**
 * Runs a chain (`key`, its module from `build`) over `arrays` into `out`: on the threads or, when
 * it is too small, has too many operands, has no helper ready or while threading it does not pay,
 * through `local` (the one-thread path). The chain's pool's policy (`SplitPolicy`, one per chain
 * and length) times whole calls both ways, staging and copying out included.
 */
export function driveJudged(
  key: string,
  build: (sharedMaxPages: number) => Uint8Array<ArrayBuffer>,
  arrays: ReadonlyArray<Float32Array>,
  scalars: ReadonlyArray<number>,
  out: ReadonlyArray<Float32Array>,
  local: () => void,
): void {
  const n = (out[0] ?? arrays[0])?.length ?? 0
  const pool =
    n < PAR_MIN_ELEMENTS || arrays.length + scalars.length + out.length > MAX_POINTERS
      ? null
      : poolOf(key, build, out.length)
  if (pool === null) {
    local()
    return
  }
  const policy = pool.policy(`n=${n}`)
  const t0 = performance.now()
  if (!policy.threaded()) {
    noteLocalSplit()
    local()
    policy.recordAlone(performance.now() - t0)
    return
  }
  const late = pool.late()
  if (!driveThreaded(pool, n, arrays, scalars, out)) {
    local()
    return
  }
  policy.recordThreaded(performance.now() - t0, pool.late() > late)
}

/** The chain over its `n` elements on the pool's threads; false (nothing done) when its memory cannot hold the staging. */
function driveThreaded(
  pool: ThreadPool,
  n: number,
  arrays: ReadonlyArray<Float32Array>,
  scalars: ReadonlyArray<number>,
  out: ReadonlyArray<Float32Array>,
): boolean {
  const region = align16(4 * n + PAD)
  // the staged operands start after the helpers' scratch
  const base = pool.reserved
  const scalarBase = base + (arrays.length + out.length) * region
  const views = pool.views(scalarBase + align16(4 * scalars.length) + PAD)
  const run = pool.exports.run
  if (views === null || typeof run !== 'function') return false
  const mem = views.f32
  const params = [n, UNIT, arrays.length, scalars.length, out.length]
  arrays.forEach((a, j) => {
    mem.set(a, (base + j * region) / 4)
    params.push(base + j * region)
  })
  scalars.forEach((v, j) => {
    mem[scalarBase / 4 + j] = v
    params.push(scalarBase + 4 * j)
  })
  out.forEach((_, j) => params.push(base + (arrays.length + j) * region))
  const units = Math.ceil(n / UNIT)
  // the calling thread stores its own units' results at once (while the helpers still compute),
  // the helpers' ones after the split
  const stored = new Uint8Array(units)
  const store = (u: number): void => {
    const s = u * UNIT
    const e = Math.min(n, s + UNIT)
    out.forEach((o, j) => {
      const at = (base + (arrays.length + j) * region) / 4
      o.set(mem.subarray(at + s, at + e), s)
    })
  }
  // a helper's unit is copied from its scratch slot straight to the results
  const commit = (u: number, at: number): void => {
    const s = u * UNIT
    const e = Math.min(n, s + UNIT)
    out.forEach((o, j) => o.set(mem.subarray(at / 4 + (j * SLOT) / 4, at / 4 + (j * SLOT) / 4 + e - s), s))
    stored[u] = 1
  }
  pool.split(
    units,
    params,
    (u) => {
      ;(run as RunFn)(...unitArgs(params, u))
      store(u)
      stored[u] = 1
    },
    commit,
    false,
  )
  for (let u = 0; u < units; u++) if (stored[u] === 0) store(u)
  return true
}
