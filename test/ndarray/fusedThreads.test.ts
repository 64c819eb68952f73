/**
 * Fused element-wise loops on the helper threads (src/ndarray/kernels/wasm/fusedThreads.ts): a
 * large chain with a transcendental step, and eager float32 tanh/exp/log over large arrays, give
 * the same bits on two threads as on one, and as the JavaScript loops (the pure-TS path).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { array, exp, grad, jit, log, mul, sum, tanh, type NdArray } from '../../src'
import { setElementwiseBackend } from '../../src/ndarray/kernels/elementwise'
import { fusedHelpersReady, fusedKernel, type FusedSpec } from '../../src/ndarray/kernels/wasm/fusedLoop'
import { chainHelpersReady, driveJudged, PAR_MIN_ELEMENTS } from '../../src/ndarray/kernels/wasm/fusedThreads'
import { buildFusedModule } from '../../src/ndarray/kernels/wasm/fusedLoop'
import { getNumThreads, setNumThreads } from '../../src/ndarray/kernels/wasm/threads'
import { setSplitPolicing } from '../../src/ndarray/kernels/wasm/splitPolicy'

/** A ragged length (not a multiple of the unit or of 4) above the threading threshold. */
const N = 2 * PAR_MIN_ELEMENTS + 4099

const data = (n: number, seed: number, lo = -6, hi = 6): Float32Array => {
  let s = seed >>> 0
  const out = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    out[i] = lo + ((hi - lo) * s) / 2 ** 32
  }
  return out
}

/** Waits (polling the event loop) until the chain's helpers have booted. */
const ready = async (spec: FusedSpec): Promise<number> => {
  for (let i = 0; i < 200; i++) {
    const n = fusedHelpersReady(spec)
    if (n > 0) return n
    await new Promise((r) => setTimeout(r, 25))
  }
  return 0
}

/** The first index where the arrays' bits differ (NaNs included), or −1 when they are bit-identical. */
const firstDiff = (a: ReadonlyArray<Float32Array>, b: ReadonlyArray<Float32Array>): number => {
  if (a.length !== b.length) return 0
  for (let k = 0; k < a.length; k++) {
    const x = new Uint32Array((a[k] as Float32Array).slice().buffer)
    const y = new Uint32Array((b[k] as Float32Array).slice().buffer)
    if (x.length !== y.length) return 0
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i
  }
  return -1
}

const withJs = <T>(f: () => T): T => {
  setElementwiseBackend('js')
  try {
    return f()
  } finally {
    setElementwiseBackend('auto')
  }
}

const tanhSpec: FusedSpec = { arrays: 1, scalars: 0, steps: [{ op: 'tanh', args: [0] }], outputs: [1] }

let before = 1
let policing = true
// every split on the threads: the policy would run a chain's first call (and small ones) alone
beforeAll(() => {
  before = getNumThreads()
  policing = setSplitPolicing(false)
})
afterAll(() => {
  setNumThreads(before)
  setSplitPolicing(policing)
})

describe('fused loops on two threads', () => {
  it('a chain with tanh, a scalar and two stored values gives the one-thread bits', async () => {
    const spec: FusedSpec = {
      arrays: 2,
      scalars: 1,
      steps: [
        { op: 'tanh', args: [0] },
        { op: 'mul', args: [3, 1] },
        { op: 'tanhBackward', args: [3, 2] },
        { op: 'add', args: [4, 5] },
      ],
      outputs: [3, 6],
    }
    const k = fusedKernel(spec)
    expect(k).not.toBeNull()
    const a = data(N, 1)
    const b = data(N, 2)
    const run = (): Float32Array[] => {
      const out = [new Float32Array(N), new Float32Array(N)]
      k?.([a, b], [0.75], out)
      return out
    }
    setNumThreads(1)
    const one = run()
    setNumThreads(2)
    expect(await ready(spec)).toBe(1)
    const two = run()
    expect(firstDiff(two, one)).toBe(-1)
    // and the chain computes what it says: t = tanh a, t·b + 0.75·(1 − t²) (float32 steps)
    const f = Math.fround
    for (const i of [0, 1, 12345, N - 1]) {
      const t = one[0]?.[i] as number
      expect(Math.abs(t - Math.tanh(a[i] as number))).toBeLessThan(2e-7)
      expect(one[1]?.[i]).toBe(f(f(t * (b[i] as number)) + f(0.75 * f(1 - f(t * t)))))
    }
  })

  it('eager tanh, exp and log over a large array give the one-thread and the JavaScript bits', async () => {
    const x = array(data(N, 3), { dtype: 'float32' })
    const pos = array(data(N, 4, 1e-3, 50), { dtype: 'float32' })
    const run = (): Float32Array[] => [tanh(x), exp(x), log(pos)].map((y) => y.toTypedArray() as Float32Array)
    setNumThreads(1)
    const one = run()
    setNumThreads(2)
    expect(await ready(tanhSpec)).toBe(1)
    expect(firstDiff(run(), one)).toBe(-1)
    expect(firstDiff(withJs(run), one)).toBe(-1)
  })

  it('the gradient of Σ tanh(x)·x, eager and under jit, on two threads', async () => {
    const x = array(data(N, 5, -3, 3), { dtype: 'float32' })
    const g = grad((t: NdArray) => sum(mul(tanh(t), t)))
    setNumThreads(1)
    const want = [g(x).toTypedArray() as Float32Array]
    setNumThreads(2)
    expect(await ready(tanhSpec)).toBe(1)
    const j = jit(g)
    // the first call traces, compiles and starts the chain's helper; give it time to boot
    j(x)
    await new Promise((r) => setTimeout(r, 300))
    const got = (f: () => NdArray): Float32Array[] => [f().toTypedArray() as Float32Array]
    expect(
      firstDiff(
        got(() => g(x)),
        want,
      ),
    ).toBe(-1)
    expect(
      firstDiff(
        got(() => j(x)),
        want,
      ),
    ).toBe(-1)
    expect(
      firstDiff(
        withJs(() => got(() => g(x))),
        want,
      ),
    ).toBe(-1)
  })

  it('a call the policy keeps on one thread runs the one-thread path, not the staged units', async () => {
    // a chain of its own (its own pool and policies): the policy's first call of a length is alone
    const spec: FusedSpec = { arrays: 1, scalars: 0, steps: [{ op: 'exp', args: [0] }], outputs: [1] }
    const key = 'judged exp'
    const build = (pages: number): Uint8Array<ArrayBuffer> => buildFusedModule(spec, pages)
    setNumThreads(2)
    const x = data(N, 6, -4, 4)
    const y = new Float32Array(N)
    let locals = 0
    const local = (): void => {
      locals++
      y.fill(7)
    }
    for (let i = 0; i < 200 && chainHelpersReady(key, build, 1) === 0; i++) await new Promise((r) => setTimeout(r, 25))
    expect(chainHelpersReady(key, build, 1)).toBe(1)
    setSplitPolicing(true)
    try {
      y.fill(0)
      locals = 0
      driveJudged(key, build, [x], [], [y], local)
      // the policy's first call of this length measures the one-thread reference, through `local`
      expect(locals).toBe(1)
      expect(y[N - 1]).toBe(7)
    } finally {
      setSplitPolicing(false)
    }
    // with the policy off the call runs on the threads: exp's bits, `local` untouched
    y.fill(0)
    driveJudged(key, build, [x], [], [y], local)
    expect(locals).toBe(1)
    expect(y[N - 1]).toBe(exp(array(x.subarray(N - 1), { dtype: 'float32' })).item())
  })
})
