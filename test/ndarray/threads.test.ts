/**
 * The gemm's helper threads: a product split across threads equals the single-thread product bit
 * for bit (each output element is computed by one thread with the same operations in the same
 * order), for both dtypes, every transpose, beta 0 and 1, ragged tiles and offsets. Those tests turn
 * the split policy off (every product on the threads); the policy's own tests run it on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { gemm, type FloatBuffer } from '../../src/ndarray/kernels/gemm'
import { gemmHelpersReady, setGemmHelperJob, setParMinWork } from '../../src/ndarray/kernels/wasm/gemmDriver'
import {
  getNumThreads,
  setNumThreads,
  setUnitRestart,
  splitStats,
  threadPool,
  type ThreadPool,
} from '../../src/ndarray/kernels/wasm/threads'
import { setSplitPolicing } from '../../src/ndarray/kernels/wasm/splitPolicy'
import { ValueError, array, matmul, grad, sum, tanh, type NdArray, type TypedArray } from '../../src'

const rng = (seed: number): (() => number) => {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 31 - 1
  }
}

const filled = <T extends FloatBuffer>(x: T, seed: number): T => {
  const r = rng(seed)
  for (let i = 0; i < x.length; i++) x[i] = r()
  return x
}

/** Waits (polling the event loop) until the helpers have booted. */
const helpersReady = async (): Promise<number> => {
  for (let i = 0; i < 200; i++) {
    const n = gemmHelpersReady()
    if (n > 0) return n
    await new Promise((r) => setTimeout(r, 25))
  }
  return 0
}

let before = 1
let policing = true
let minWork = 0
beforeAll(() => {
  before = getNumThreads()
  policing = setSplitPolicing(false)
  // the threaded path on small and ragged shapes too (by default they run on one thread)
  minWork = setParMinWork(128 * 128 * 64)
})
afterAll(() => {
  setNumThreads(before)
  setSplitPolicing(policing)
  setParMinWork(minWork)
})

/** Runs `f` with the split policy on (the suite runs it off). */
const policed = async <T>(f: () => Promise<T> | T): Promise<T> => {
  setSplitPolicing(true)
  try {
    return await f()
  } finally {
    setSplitPolicing(false)
  }
}

/** Unsigned LEB128, the WebAssembly binary format's integer encoding (the test modules below). */
const leb = (n: number): number[] => {
  const out: number[] = []
  do {
    let b = n & 0x7f
    n >>>= 7
    if (n !== 0) b |= 0x80
    out.push(b)
  } while (n !== 0)
  return out
}

describe('setNumThreads', () => {
  it('rejects counts that are not positive integers, naming the function', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => setNumThreads(bad)).toThrow(ValueError)
    expect(() => setNumThreads(0)).toThrow(/setNumThreads: expected a positive integer, got 0/)
  })

  it('with one thread starts no helpers', () => {
    setNumThreads(1)
    expect(getNumThreads()).toBe(1)
    expect(gemmHelpersReady()).toBe(0)
  })
})

/** One product with seeded operands: m, n, k, dtype, transposes, beta and offsets from `trial`. */
const productCase = (trial: number, m: number, n: number, k: number, f64: boolean, tA: boolean, tB: boolean) => {
  const Ctor = f64 ? Float64Array : Float32Array
  const beta: 0 | 1 = trial % 3 === 0 ? 1 : 0
  const aOff = trial % 4,
    bOff = (trial * 3) % 5,
    cOff = trial % 3
  const a = filled(new Ctor(aOff + m * k), trial)
  const b = filled(new Ctor(bOff + k * n), 100 + trial)
  const c0 = filled(new Ctor(cOff + m * n), 200 + trial)
  return (): FloatBuffer => {
    const c = c0.slice()
    gemm(tA, tB, m, n, k, a, aOff, b, bOff, c, cOff, beta)
    return c
  }
}

/** The products on one thread and on two: equal bit for bit, with the helper booted. */
const expectThreadsAgree = async (cases: ReadonlyArray<() => FloatBuffer>): Promise<void> => {
  setNumThreads(1)
  const one = cases.map((run) => run())
  setNumThreads(2)
  expect(await helpersReady()).toBe(1)
  const two = cases.map((run) => run())
  expect(gemmHelpersReady()).toBe(1)
  expect(two).toEqual(one)
}

describe('threaded gemm', () => {
  it('equals the single-thread result bit for bit', async () => {
    const r = rng(7)
    const cases = Array.from({ length: 24 }, (_, trial) => {
      const m = 40 + Math.floor((r() + 1) * 120)
      const n = 24 + Math.floor((r() + 1) * 150)
      const k = 64 + Math.floor((r() + 1) * 300)
      return productCase(trial, m, n, k, trial % 2 === 1, r() > 0, r() > 0)
    })
    await expectThreadsAgree(cases)
  })

  it('equals it on the whole-depth column split (n a multiple of the tile width, k-slices, few rows)', async () => {
    // W2's products (128×784·784×256 on the column split, 784×128ᵀ·128×256 on the per-slice one),
    // more than one chunk of C's columns
    // (n > 2048), ragged m, both dtypes, every transpose, beta 0 and 1; float32 takes up to 512 rows
    // there (W1's 512³, a ragged 301 rows), float64 up to 256
    const shapes = [
      [512, 512, 512],
      [301, 72, 513],
      [128, 256, 784],
      [784, 256, 128],
      [8, 2064, 300],
      [77, 64, 600],
      [130, 96, 257],
    ]
    const cases = shapes.flatMap(([m, n, k], i) =>
      [0, 1, 2, 3].map((t) =>
        productCase(4 * i + t, m as number, n as number, k as number, t % 2 === 1, t > 1, t === 1),
      ),
    )
    await expectThreadsAgree(cases)
  })

  it("runs a product shape's first call on the one-thread path (the policy's reference): same bits", async () => {
    const run = productCase(5, 300, 64, 520, false, false, false)
    setNumThreads(1)
    const one = run()
    setNumThreads(2)
    expect(await helpersReady()).toBe(1)
    splitStats(true)
    const [first, s] = await policed(() => [run(), splitStats(true)] as const)
    // the first call counted as one split on the caller alone
    expect([s.splits, s.threaded]).toEqual([1, 0])
    // later ones are threaded (one whole-depth split each) if the product is worth a few hand-offs
    const outs = await policed(() => [first, run(), run()])
    for (const out of outs) expect(out).toEqual(one)
  })

  it('equals it for odd shapes when the caller takes units back from a stalled helper', async () => {
    // the helper computes its first unit of a split, then stalls 30 ms on its second (a helper
    // descheduled mid-product): the caller copies the first out of the helper's scratch, runs the
    // second itself (a stolen unit) and drops the helper's late result
    const stalling = (job: string): string => `(() => {
      const run = ${job}
      let last = Infinity, mine = 0
      return (ex, p, u, m, s) => {
        mine = u <= last ? 1 : mine + 1
        last = u
        if (mine === 2) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30)
        run(ex, p, u, m, s)
      }
    })()`
    const shapes = [
      [301, 72, 513],
      [97, 1031, 129],
      [513, 37, 255],
      [130, 96, 257],
      [33, 2081, 71],
    ]
    // float32 without transposes and float64 with both (i + t odd: float64)
    const cases = shapes.flatMap(([m, n, k], i) =>
      [0, 3].map((t) =>
        productCase(50 + 4 * i + t, m as number, n as number, k as number, (i + t) % 2 === 1, t > 1, t > 1),
      ),
    )
    setNumThreads(1)
    const one = cases.map((run) => run())
    setNumThreads(2)
    setGemmHelperJob(stalling)
    try {
      expect(await helpersReady()).toBe(1)
      splitStats(true)
      let copied = 0
      let stolen = 0
      // on a loaded machine the helper may not get a core during a product: repeat until it both
      // handed a unit over and had one taken back (every repetition must still agree)
      for (let round = 0; round < 20 && (copied === 0 || stolen === 0); round++) {
        const two = cases.map((run) => run())
        expect(two).toEqual(one)
        const s = splitStats(true)
        copied += s.units - s.callerUnits
        stolen += s.stolenUnits
        await new Promise((r) => setTimeout(r, 40)) // the stalled helper is idle again
      }
      expect(copied).toBeGreaterThan(0)
      expect(stolen).toBeGreaterThan(0)
    } finally {
      setGemmHelperJob(null)
    }
  })

  it('gives the same gradients through matmul', async () => {
    setNumThreads(2)
    expect(await helpersReady()).toBe(1)
    const x = array(filled(new Float32Array(192 * 160), 1), { shape: [192, 160] })
    const w = array(filled(new Float32Array(160 * 200), 2), { shape: [160, 200] })
    const g = (): TypedArray => (grad((w0: NdArray) => sum(tanh(matmul(x, w0))))(w) as NdArray).toTypedArray()
    const two = g()
    setNumThreads(1)
    expect(g()).toEqual(two)
  })
})

describe('thread pool split', () => {
  /** A module with no code on the shared memory: the job marks its unit in memory. */
  const emptyModule = (pages: number): Uint8Array<ArrayBuffer> => {
    const bytes = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]
    // import section: env.memory, shared, min 1 page, max `pages` (LEB128)
    const entry = [3, ...Array.from('env', (c) => c.charCodeAt(0)), 6, ...Array.from('memory', (c) => c.charCodeAt(0))]
    const body = [1, ...entry, 0x02, 0x03, 1, ...leb(pages)]
    bytes.push(0x02, ...leb(body.length), ...body)
    return new Uint8Array(bytes)
  }
  // the job adds 1 to the unit's int32 counter at byte offset p[0] + 4u, then spins as long as the
  // caller's units do (so neither side can take every unit before the other starts)
  const JOB =
    '(ex, p, u, memory) => { Atomics.add(new Int32Array(memory.buffer), (p[0] >> 2) + u, 1); for (let i = 0; i < 2000; i++); }'

  const poolReady = async (): Promise<ThreadPool> => {
    for (let i = 0; i < 200; i++) {
      const pool = threadPool(emptyModule, JOB)
      if (pool !== null && pool.ready() > 0) return pool
      await new Promise((r) => setTimeout(r, 25))
    }
    throw new Error('helpers did not start')
  }

  /** Runs `units` units from offset 0 with `own` on the caller; returns the per-unit counts and how many the caller ran. */
  const runSplit = (
    pool: ThreadPool,
    units: number,
    own: (u: number) => void = () => undefined,
  ): [number[], number] => {
    const views = pool.views(4096 * 4)
    if (views === null) throw new Error('no memory')
    const cells = new Int32Array(views.u8.buffer, 0, 4096)
    cells.fill(0, 0, units)
    let mine = 0
    pool.split(units, [0], (u) => {
      own(u)
      Atomics.add(cells, u, 1)
      mine++
      for (let i = 0; i < 2000; i++); // leave the helper time to claim some
    })
    return [Array.from(cells.subarray(0, units)), mine]
  }

  it('runs every unit exactly once, shared between the caller and the helpers', async () => {
    setNumThreads(2)
    const pool = await poolReady()
    // restart the counters every ~500 units, so the restart runs many times here
    const previous = setUnitRestart(500)
    splitStats(true)
    try {
      let byHelpers = 0
      let helperless = 0
      for (let call = 0; call < 300; call++) {
        const units = 1 + (call % 37)
        const [counts, mine] = runSplit(pool, units)
        expect(counts).toEqual(new Array(units).fill(1))
        byHelpers += units - mine
        if (mine === units) helperless++
      }
      expect(byHelpers).toBeGreaterThan(0)
      // the counters saw every split; the helpers' units are those the caller did not run (a split
      // the policy kept on the caller counts none of its units, and no helper ran one)
      const s = splitStats(true)
      expect(s.splits).toBe(300)
      expect(s.units - s.callerUnits).toBe(byHelpers)
      expect(s.helperless + (s.splits - s.threaded)).toBe(helperless)
      expect(s.stolenUnits).toBe(0)
    } finally {
      setUnitRestart(previous)
    }
  })

  it('wakes idle helpers without a job: they run nothing, and the next split is shared as before', async () => {
    setNumThreads(2)
    const pool = await poolReady()
    const views = pool.views(4096 * 4)
    if (views === null) throw new Error('no memory')
    const cells = new Int32Array(views.u8.buffer, 0, 4096)
    cells.fill(0, 0, 64)
    for (let i = 0; i < 20; i++) {
      pool.wake()
      // a helper woken again while it spins, and one woken after it went back to sleep
      if (i % 2 === 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2)
    }
    expect(Array.from(cells.subarray(0, 64))).toEqual(new Array(64).fill(0))
    const [counts] = runSplit(pool, 64)
    expect(counts).toEqual(new Array(64).fill(1))
  })

  it('measures its hand-off on first use, and keeps work under a few hand-offs on the caller', async () => {
    setNumThreads(2)
    const pool = await poolReady()
    await policed(() => {
      splitStats(true)
      let ran = 0
      // ~1 µs of work per split: far below any hand-off (a futex wake-up and a round trip)
      for (let call = 0; call < 50; call++) pool.split(2, [4096, call % 2], () => void ran++)
      expect(ran).toBe(100)
      expect(splitStats(true)).toMatchObject({ splits: 50, threaded: 0 })
      expect(pool.handoffMs()).toBeGreaterThan(0)
      expect(pool.handoffMs()).toBeLessThan(1000)
    })
  })

  it("rethrows the caller's failure after every unit has run, and stays usable", async () => {
    setNumThreads(2)
    const pool = await poolReady()
    // the caller's first unit throws; a helper may take every unit of a call before a descheduled
    // caller claims one, so calls repeat until the caller has run a unit
    let ran = 0
    let thrown: unknown = undefined
    for (let attempt = 0; attempt < 50 && ran === 0; attempt++) {
      try {
        runSplit(pool, 256, () => {
          if (ran++ === 0) throw new ValueError("the caller's first unit failed")
        })
      } catch (e) {
        thrown = e
      }
    }
    expect(ran).toBeGreaterThan(0)
    expect(String(thrown)).toMatch(/the caller's first unit failed/)
    const [counts] = runSplit(pool, 16)
    expect(counts).toEqual(new Array(16).fill(1))
  })
})

describe('thread pool stealing split', () => {
  // the helper's unit writes its number into its scratch slot and, on its first unit of a split
  // (p[1] numbers the split), stalls 300 ms (a descheduled helper); the caller's commit adds 1 to
  // the unit's counter if the slot holds the unit, the caller's own units add 1 directly
  const STALL_JOB = `(() => {
    let split = -1
    return (ex, p, u, memory, s) => {
      new Int32Array(memory.buffer)[s >> 2] = u
      if (p[1] !== split) { split = p[1]; Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300) }
    }
  })()`
  const emptyShared = (pages: number): Uint8Array<ArrayBuffer> => {
    const name = (x: string): number[] => [x.length, ...Array.from(x, (c) => c.charCodeAt(0))]
    const body = [1, ...name('env'), ...name('memory'), 0x02, 0x03, 1, ...leb(pages)]
    return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x02, ...leb(body.length), ...body])
  }

  it('runs a unit a stalled helper holds on the caller, and drops the helper’s late result', async () => {
    setNumThreads(2)
    let pool: ThreadPool | null = null
    for (let i = 0; i < 200 && (pool === null || pool.ready() === 0); i++) {
      pool = threadPool(emptyShared, STALL_JOB, 1024)
      await new Promise((r) => setTimeout(r, 25))
    }
    if (pool === null || pool.ready() === 0) throw new Error('helpers did not start')
    expect(pool.reserved).toBeGreaterThanOrEqual(1024)
    const views = pool.views(pool.reserved + 4096)
    if (views === null) throw new Error('no memory')
    const units = 64
    const cells = new Int32Array(views.u8.buffer, pool.reserved, units)
    // every slot's first int: the unit it last held (-1: none)
    const slots = new Int32Array(views.u8.buffer, 0, pool.reserved / 4)
    const held = (): number[] => Array.from({ length: pool.reserved / 1024 }, (_, i) => slots[i * 256] as number)
    // Arrange + Act: splits until the helper has claimed a unit (on a loaded machine it may wake
    // after the caller took every unit); the caller's units take ~0.1 ms each
    let ms = 0
    for (let attempt = 0; attempt < 20; attempt++) {
      await new Promise((r) => setTimeout(r, 350)) // the helper is idle again
      cells.fill(0)
      for (let i = 0; i < pool.reserved / 1024; i++) slots[i * 256] = -1
      const t0 = performance.now()
      pool.split(
        units,
        [pool.reserved, attempt],
        (u) => {
          Atomics.add(cells, u, 1)
          for (const t = performance.now(); performance.now() - t < 0.1;);
        },
        (u, at) => {
          if (slots[at >> 2] === u) Atomics.add(cells, u, 1)
        },
      )
      ms = performance.now() - t0
      if (held().some((u) => u >= 0)) break
    }
    // Assert: the helper held a unit, yet every unit was written once without waiting 300 ms for it
    expect(held().some((u) => u >= 0)).toBe(true)
    expect(splitStats().stolenUnits).toBeGreaterThanOrEqual(1)
    expect(Array.from(cells)).toEqual(new Array(units).fill(1))
    expect(ms).toBeLessThan(250)
    // the helper wakes, finds its unit taken and drops it
    await new Promise((r) => setTimeout(r, 500))
    expect(Array.from(cells)).toEqual(new Array(units).fill(1))
  })

  it('copies out every unit a helper computed exactly once, also when its slots fill faster than the caller copies', async () => {
    // the helper's unit writes its number into its scratch slot at once; the caller's own units
    // take ~0.3 ms, so a helper fills all its slots and waits for the caller's copies
    const FAST_JOB = '(ex, p, u, memory, s) => { new Int32Array(memory.buffer)[s >> 2] = u }'
    setNumThreads(2)
    let pool: ThreadPool | null = null
    for (let i = 0; i < 200 && (pool === null || pool.ready() === 0); i++) {
      pool = threadPool(emptyShared, FAST_JOB, 1024)
      await new Promise((r) => setTimeout(r, 25))
    }
    if (pool === null || pool.ready() === 0) throw new Error('helpers did not start')
    const views = pool.views(pool.reserved + 4096)
    if (views === null) throw new Error('no memory')
    const slots = new Int32Array(views.u8.buffer, 0, pool.reserved / 4)
    const cells = new Int32Array(views.u8.buffer, pool.reserved, 64)
    // restart the unit numbers every ~200 units: slots must not name a unit of before the restart
    const previous = setUnitRestart(200)
    splitStats(true)
    try {
      let copied = 0
      for (let call = 0; call < 40; call++) {
        const units = 16 + (call % 3) * 24
        cells.fill(0)
        pool.split(
          units,
          [call],
          (u) => {
            Atomics.add(cells, u, 1)
            for (const t = performance.now(); performance.now() - t < 0.3;);
          },
          (u, at) => {
            expect(slots[at >> 2]).toBe(u)
            Atomics.add(cells, u, 1)
            copied++
          },
          false,
        )
        expect(Array.from(cells.subarray(0, units))).toEqual(new Array(units).fill(1))
      }
      expect(copied).toBeGreaterThan(0)
      const s = splitStats(true)
      expect(s.units - s.callerUnits).toBe(copied)
    } finally {
      setUnitRestart(previous)
    }
  })
})
