// How fast this vCPU runs right now, as the guest cannot see it: the one-thread float32 gemm's
// GFLOP/s per second of the calling thread's own run time (/proc/thread-self/schedstat, so time
// spent waiting for a CPU inside this machine does not count), in consecutive windows. On a
// quiet host every window gives about the same rate; when the hypervisor time-slices the vCPU
// (no steal time is reported here), the rate drops while the thread's run time still counts.
//   npx tsx bench/micro/hostRate.mjs [--n=256] [--windows=6] [--ms=1000] [--busy]
// --busy runs a process spinning on the other core: the rate should not change (no SMT sibling).
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { busySpinner } from '../lib/spinner.mjs'
import { opt, rand } from './benchCommon.mjs'

const n = Number(opt('n', '256'))
const windows = Number(opt('windows', '6'))
const ms = Number(opt('ms', '1000'))
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..')
const src = (f) => pathToFileURL(path.join(root, 'src/ndarray/kernels', f)).href
const { gemm } = await import(src('gemm.ts'))
const { setNumThreads } = await import(src('wasm/threadCount.ts'))
setNumThreads(1)
const a = rand(n * n, -1, 1, 1)
const b = rand(n * n, -1, 1, 2)
const c = new Float32Array(n * n)
const call = () => gemm(false, false, n, n, n, a, 0, b, 0, c, 0, 0)
/** [run ns, run-queue wait ns] of the calling thread. */
const sched = () => readFileSync('/proc/thread-self/schedstat', 'utf8').trim().split(' ').map(Number)
for (let i = 0; i < 50; i++) call()
const spinner = process.argv.includes('--busy') ? busySpinner() : null
try {
  for (let w = 0; w < windows; w++) {
    const [r0, q0] = sched()
    const t0 = performance.now()
    let calls = 0
    let best = Infinity
    while (performance.now() - t0 < ms) {
      const s = performance.now()
      call()
      best = Math.min(best, performance.now() - s)
      calls++
    }
    const [r1, q1] = sched()
    const flop = 2 * n ** 3
    console.log(
      `window ${w + 1}: ${((flop * calls) / (r1 - r0)).toFixed(1)} GFLOP/s per run-second, best call ` +
        `${(flop / best / 1e6).toFixed(1)}; ran ${((r1 - r0) / 1e6).toFixed(0)} ms of ${ms}, waited for a CPU ${((q1 - q0) / 1e6).toFixed(0)} ms`,
    )
  }
} finally {
  spinner?.kill()
}
process.exit(0)
