// W1 as one bench cell runs it (`matmul(A, B).toTypedArray()` on the built package, 1 s of warm-up,
// then 40 timed calls), with the process's page faults and system time per call: whether this
// process's heap hands fresh pages to every call (see notes/w1-512-faults.md). One process per run:
// which processes fault is chance, so run it several times.
//   node bench/micro/w1Faults.mjs [--root=DIR] [--n=512] [--threads=2] [--torch]
// (after `npm run build` in DIR; --torch runs the product through the facade's torch.matmul)
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { opt, rand } from './benchCommon.mjs'

const here = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..')
const root = path.resolve(opt('root', here))
const n = Number(opt('n', '512'))
const threads = Number(opt('threads', '2'))
const src = (f) => pathToFileURL(path.join(root, 'dist/esm/src', f)).href
const W = await import(src('index.js'))
const { splitStats } = await import(src('ndarray/kernels/wasm/splitStats.js'))
W.setNumThreads(threads)
const A = W.array(rand(n * n, -1, 1, 1), { shape: [n, n], dtype: 'float32' })
const B = W.array(rand(n * n, -1, 1, 2), { shape: [n, n], dtype: 'float32' })
let run = () => W.matmul(A, B).toTypedArray()
if (process.argv.includes('--torch')) {
  const torch = await import(src('torch/index.js'))
  const [tA, tB] = [torch.from_numpy(A), torch.from_numpy(B)]
  run = () => torch.matmul(tA, tB).detach().contiguous().numpy().toTypedArray()
}
const t0 = performance.now()
for (let i = 0; i < 3 || performance.now() - t0 < 1000; i++) run()
splitStats(true)
const r0 = process.resourceUsage()
const ts = []
for (let i = 0; i < 40; i++) {
  const t = performance.now()
  run()
  ts.push(performance.now() - t)
}
const r1 = process.resourceUsage()
ts.sort((a, b) => a - b)
const per = (k, scale = 1) => ((r1[k] - r0[k]) / 40 / scale).toFixed(2)
console.log(
  `${n}² ${threads} thread(s)${process.argv.includes('--torch') ? ' (torch)' : ''}: min ${ts[0].toFixed(2)} p50 ${ts[20].toFixed(2)} p90 ${ts[36].toFixed(2)} ms; ` +
    `per call: ${per('minorPageFault')} minor faults, system ${per('systemCPUTime', 1000)} ms, user ${per('userCPUTime', 1000)} ms; ` +
    `threaded splits ${splitStats().threaded}/40`,
)
process.exit(0)
