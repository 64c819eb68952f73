// W1 (C = A·B float32, `matmul(A, B).toTypedArray()`) eager and under jit in one process, in
// interleaved rounds: per call CPU time (minimum and low percentiles: on a shared machine the
// closest to a quiet run) and, per cell, the thread pool's split counters (how many products ran
// threaded, how many on the caller alone while the split policy backed off). Both cells call the
// same gemm (dot_general's impl), so their CPU minima and threaded shares should match; a
// difference in a full bench run then comes from the process (the policy's history, the load).
//   npx tsx bench/micro/w1Jit.mjs [--n=512] [--threads=2] [--rounds=60]
import * as W from '../../src/index.ts'
import { splitStats } from '../../src/ndarray/kernels/wasm/splitStats.ts'
import { gemmHelpersReady } from '../../src/ndarray/kernels/wasm/gemmDriver.ts'
import { opt, rand } from './benchCommon.mjs'

const n = Number(opt('n', '512'))
const threads = Number(opt('threads', '2'))
const rounds = Number(opt('rounds', '60'))
W.setNumThreads(threads)
const f32 = (d) => W.array(d, { shape: [n, n], dtype: 'float32' })
const [A, B] = [f32(rand(n * n, -1, 1, 1)), f32(rand(n * n, -1, 1, 2))]
const mm = (a, b) => W.matmul(a, b)
const cells = [
  ['eager', mm],
  ['jit', W.jit(mm)],
].map(([k, f]) => [k, () => f(A, B).toTypedArray()])
// the two cells must agree bit for bit
const [e, j] = cells.map(([, f]) => f())
if (!e.every((v, i) => Object.is(v, j[i]))) throw new Error('W1: eager and jit results differ')
// wait for the helpers to boot, then warm up
for (let i = 0; i < 100 && threads > 1 && gemmHelpersReady() === 0; i++) await new Promise((r) => setTimeout(r, 20))
for (const [, f] of cells) for (let i = 0; i < 5; i++) f()
const cpu = {}
const splits = {}
for (let r = 0; r < rounds; r++)
  for (const [k, f] of cells) {
    splitStats(true)
    const c0 = process.cpuUsage()
    f()
    const c = process.cpuUsage(c0)
    const s = splitStats()
    ;(cpu[k] ??= []).push((c.user + c.system) / 1000)
    const t = (splits[k] ??= { splits: 0, threaded: 0 })
    t.splits += s.splits
    t.threaded += s.threaded
  }
const q = (v, p) => [...v].sort((a, b) => a - b)[Math.floor(p * (v.length - 1))]
for (const [k, v] of Object.entries(cpu))
  console.log(
    `W1 ${n} ${k.padEnd(5)} ${threads} thread(s): CPU per call min ${q(v, 0).toFixed(2)} ms, p25 ${q(v, 0.25).toFixed(2)}, ` +
      `median ${q(v, 0.5).toFixed(2)}; gemm splits ${splits[k].splits}, threaded ${splits[k].threaded}`,
  )
process.exit(0)
