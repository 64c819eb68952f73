// The threaded gemm against one thread, and this tree against another (before/after on a shared
// machine: the trees alternate call by call, so a noisy neighbour hurts both alike):
//   npx tsx bench/micro/gemmThreads.mjs [--base=/path/to/other/root] [--threads=2] [--sizes=256,512]
//       [--rounds=200] [--busy]
// --busy runs a process spinning on one core beside the measurement (the busy-machine check).
// Prints per tree the minimum, p25 and median ms per product and the GFLOP/s of the minimum.
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { busySpinner } from '../lib/spinner.mjs'
import { opt, rand, reportRounds, roots } from './benchCommon.mjs'

const threads = Number(opt('threads', '2'))
/** --base-threads: the base tree's thread count (default --threads): 1 measures the threaded tree against one thread. */
const baseThreads = Number(opt('base-threads', String(threads)))
const sizes = opt('sizes', '256,512').split(',').map(Number)
const rounds = Number(opt('rounds', '200'))
const busy = process.argv.includes('--busy')

const load = async (root, threads) => {
  const src = (f) => pathToFileURL(path.join(root, 'src/ndarray/kernels', f)).href
  const { gemm } = await import(src('gemm.ts'))
  const { setNumThreads } = await import(src('wasm/threadCount.ts'))
  const { gemmHelpersReady } = await import(src('wasm/gemmDriver.ts'))
  // the split counters (./wasm/splitStats, absent from trees before it)
  const { splitStats } = await import(src('wasm/threads.ts'))
  setNumThreads(threads)
  for (let i = 0; i < 400 && threads > 1 && gemmHelpersReady() < threads - 1; i++)
    await new Promise((r) => setTimeout(r, 25))
  return { gemm, ready: gemmHelpersReady(), splitStats }
}

/** One line of the split counters: how often the helpers ran, joined and were waited for. */
const statsLine = (s) =>
  `${s.splits} (threaded ${s.threaded}; units ${s.units}, caller ${s.callerUnits}, stolen back ${s.stolenUnits}; ` +
  `no helper unit in ${s.helperless}; waited > 0.05 ms in ${s.waited}, ${s.waitMs.toFixed(1)} ms in all, max ${s.maxWaitMs.toFixed(2)})`

const trees = []
for (const [name, root] of roots) trees.push([name, await load(root, name === 'base' ? baseThreads : threads)])
console.log(
  `threads ${threads}${baseThreads !== threads ? `, base ${baseThreads}` : ''} (helpers ready: ${trees.map(([k, t]) => `${k} ${t.ready}`).join(', ')})${busy ? ', one core busy' : ''}`,
)
const spinner = busy ? busySpinner() : null
try {
  for (const n of sizes) {
    const a = rand(n * n, -1, 1, 1)
    const b = rand(n * n, -1, 1, 2)
    const c = new Float32Array(n * n)
    const cells = trees.map(([k, t]) => [k, () => t.gemm(false, false, n, n, n, a, 0, b, 0, c, 0, 0)])
    for (const [, f] of cells) for (let i = 0; i < 20; i++) f()
    const gf = (2 * n ** 3) / 1e6
    for (const [, t] of trees) t.splitStats?.(true)
    reportRounds(
      cells,
      rounds,
      (k) => `${n}³ ${k} (${k === 'base' ? baseThreads : threads} thr, ${(gf / 1000).toFixed(3)} GFLOP)`,
    )
    for (const [k, t] of trees)
      if (t.splitStats !== undefined) console.log(`  ${k} splits: ${statsLine(t.splitStats())}`)
  }
} finally {
  spinner?.kill()
}
process.exit(0)
