// Distributions (not single timings) of threaded calls against one thread, interleaved call by
// call in one process: per call the wall time, the calling thread's CPU time and run-queue wait
// (/proc/thread-self/schedstat: time the OS kept it off a core) and the whole process's CPU time
// (helpers included) and the minor page faults per call. The guest's vCPUs can be descheduled by the host, so single timings mislead:
//   npx tsx bench/micro/threadsDist.mjs --one=/path/copy-of-a-tree [--workloads=W1-256,W1-512,W2,W4,W4-jit]
//       [--calls=200] [--busy] [--force] [--min-work=N] [--base=/path/other-tree]
// `one` is a copy of a source tree loaded with one thread (a second module instance); `base` (a
// before/after in one run) another tree loaded with two threads, its own split counters. --force turns
// the split policy off in the threaded tree (every product on the helpers); --min-work sets its
// gemm's threading threshold (m·n·k, `setParMinWork`). Prints p10/p50/p90 of
// each quantity and the threaded tree's split counters.
import { busySpinner } from '../lib/spinner.mjs'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { ewiseOf, matmulOf, mlpOf, opt } from './benchCommon.mjs'

const here = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..')
const names = opt('workloads', 'W1-256,W1-512,W2').split(',')
const calls = Number(opt('calls', '200'))
const busy = process.argv.includes('--busy')
const force = process.argv.includes('--force')

const workloads = {
  'W1-256': (W) => matmulOf(W, 256),
  'W1-512': (W) => matmulOf(W, 512),
  W2: mlpOf,
  W4: (W) => ewiseOf(W),
  'W4-jit': (W) => ewiseOf(W, true),
}

const load = async (root, threads) => {
  const W = await import(pathToFileURL(path.join(root, 'src/index.ts')).href)
  W.setNumThreads(threads)
  const k = (f) => import(pathToFileURL(path.join(root, 'src/ndarray/kernels/wasm', f)).href)
  const { gemmHelpersReady, setParMinWork } = await k('gemmDriver.ts')
  if (threads > 1 && opt('min-work', '') !== '') setParMinWork(Number(opt('min-work', '')))
  const { splitStats } = await k('threads.ts')
  if (force && threads > 1) (await k('splitPolicy.ts')).setSplitPolicing(false)
  for (let i = 0; i < 400 && threads > 1 && gemmHelpersReady() < threads - 1; i++)
    await new Promise((r) => setTimeout(r, 25))
  return { W, splitStats }
}
const two = await load(here, 2)
const one = await load(path.resolve(opt('one', '')), 1)
// a tree loaded twice is one module instance (one thread count): `base` must be another copy than `one`
if (opt('base', '') !== '' && path.resolve(opt('base', '')) === path.resolve(opt('one', '')))
  throw new Error('threadsDist: --base must be another copy of a tree than --one')
const base = opt('base', '') === '' ? null : await load(path.resolve(opt('base', '')), 2)

/** [cpu ms, run-queue wait ms] of the calling thread so far. */
const sched = () => {
  const [run, wait] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number)
  return [run / 1e6, wait / 1e6]
}
const procCpu = () => {
  const c = process.cpuUsage()
  return (c.user + c.system) / 1000
}
const cells = []
const trees = base === null ? 2 : 3
for (const w of names)
  for (const [key, t] of [['2 threads', two], ['1 thread', one], ...(base === null ? [] : [['2 thr base', base]])])
    cells.push({ w, key, f: workloads[w](t.W), wall: [], cpu: [], runq: [], proc: [], faults: [] })
for (const c of cells) {
  const t0 = performance.now()
  while (performance.now() - t0 < 700) c.f()
}
two.splitStats(true)
const spinner = busy ? busySpinner() : null
await new Promise((r) => setTimeout(r, 100))
const load0 = (await import('node:os')).loadavg()[0]
try {
  for (let i = 0; i < calls; i++)
    // each workload's trees take turns at going first (the cell after another workload's pays its
    // garbage collection and cold caches: ~15 % on identical code paths)
    for (const c of cells.map((_, j) => cells[j - (j % trees) + ((j + i) % trees)])) {
      const [r0, q0] = sched()
      const f0 = process.resourceUsage().minorPageFault
      const p0 = procCpu()
      const t0 = performance.now()
      c.f()
      const t1 = performance.now()
      const p1 = procCpu()
      c.faults.push(process.resourceUsage().minorPageFault - f0)
      const [r1, q1] = sched()
      c.wall.push(t1 - t0)
      c.cpu.push(r1 - r0)
      c.runq.push(q1 - q0)
      c.proc.push(p1 - p0)
    }
} finally {
  spinner?.kill()
}
const q = (v, p) => [...v].sort((a, b) => a - b)[Math.floor(p * (v.length - 1))].toFixed(2)
const d = (v) => `${q(v, 0.1)}/${q(v, 0.5)}/${q(v, 0.9)}`
console.log(
  `load ${load0.toFixed(1)}${busy ? ', one core busy' : ''}${force ? ', policy off' : ''}; ${calls} calls per cell, p10/p50/p90 ms`,
)
for (const c of cells)
  console.log(
    `${c.w.padEnd(7)} ${c.key.padEnd(10)} wall ${d(c.wall)}  caller cpu ${d(c.cpu)}  caller runq ${d(c.runq)}  process cpu ${d(c.proc)}  faults ${d(c.faults).replace(/\.00/g, '')}`,
  )
const s = two.splitStats()
console.log(
  `splits ${s.splits} (threaded ${s.threaded}; units ${s.units}, caller ${s.callerUnits}, stolen ${s.stolenUnits}; helperless ${s.helperless}; waited ${s.waited}, ${s.waitMs.toFixed(1)} ms, max ${s.maxWaitMs.toFixed(2)})`,
)
process.exit(0)
