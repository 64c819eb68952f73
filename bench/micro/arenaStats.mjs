// Per-call spread, page faults and garbage collections of the bench calls whose timings jumped 2×
// between runs of one build (issue 18): W1-256 (matmul, forward), W4 (grad of Σ tanh(x)·x over 10⁶
// float32) eager and under jit, W7 (GP log-likelihood and its gradient, float64) eager and under
// jit — each call as the bench adapter makes it (the result read back with toTypedArray / item).
// Source trees (this one, and `--base=`) are measured in interleaved blocks of `--block` calls;
// per cell it prints min, median, p90 and p90/min of the call times, the minor page faults per
// call (/proc/self/stat, the whole process), and the garbage collections per 100 calls (major
// and minor, from the 'gc' performance entries) with their total pause per 100 calls.
//   node --expose-gc --import tsx bench/micro/arenaStats.mjs [--base=DIR] [--threads=2] [--rounds=10] [--block=20] [--only=W4]
import fs from 'node:fs'
import path from 'node:path'
import { PerformanceObserver, constants } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import { opt, rand, roots } from './benchCommon.mjs'
import { gpData } from '../lib/common.mjs'

const rounds = Number(opt('rounds', '10'))
const block = Number(opt('block', '20'))
const threads = Number(opt('threads', '2'))
const only = opt('only', '')

/** Minor page faults of the process so far (field 10 of /proc/self/stat). */
const minflt = () => {
  const s = fs.readFileSync('/proc/self/stat', 'utf8')
  return Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[7])
}

const gcs = []
new PerformanceObserver((l) => gcs.push(...l.getEntries())).observe({ entryTypes: ['gc'] })

const mm = [rand(256 * 256, -1, 1, 1), rand(256 * 256, -1, 1, 2)]
const w4 = rand(1_000_000, -2, 2, 4)
const gp = gpData(256)

const cells = []
for (const [name, root] of roots) {
  const W = await import(pathToFileURL(path.join(root, 'src/index.ts')).href)
  W.setNumThreads(threads)
  const f32 = (d, shape) => W.array(d.slice(), { shape, dtype: 'float32' })
  const [A, B] = mm.map((d) => f32(d, [256, 256]))
  const X = f32(w4, [w4.length])
  const g = W.grad((t) => W.sum(W.mul(W.tanh(t), t)))
  const gj = W.jit(g)
  const { linalg, log, sub, mul, sum } = W
  const K = W.array(Float64Array.from(gp.K), { shape: [256, 256], dtype: 'float64' })
  const Y = W.array(Float64Array.from(gp.y), { shape: [256, 1], dtype: 'float64' })
  const ll = (k) => {
    const L = linalg.cholesky(k)
    const z = linalg.solveTriangular(L, Y, { lower: true })
    const alpha = linalg.solveTriangular(L, z, { lower: true, trans: 'T' })
    return sub(mul(sum(mul(Y, alpha)), -0.5), sum(log(linalg.diagonal(L))))
  }
  const w7 = W.valueAndGrad(ll)
  const w7j = W.jit(w7)
  const gpCall = (f) => () => {
    const [v, gr] = f(K)
    return [v.item(), gr.toTypedArray()]
  }
  const mine = [
    ['W1-256', () => W.matmul(A, B).toTypedArray()],
    ['W4 eager', () => g(X).toTypedArray()],
    ['W4 jit', () => gj(X).toTypedArray()],
    ['W7 eager', gpCall(w7)],
    ['W7 jit', gpCall(w7j)],
  ]
  for (const [k, f] of mine) if (only === '' || k.startsWith(only)) cells.push([`${name} ${k}`, f])
}
for (const [, f] of cells) for (let i = 0; i < 10; i++) f()
await new Promise((r) => setTimeout(r, 100))

const rec = Object.fromEntries(cells.map(([k]) => [k, { ms: [], flt: 0, spans: [] }]))
for (let r = 0; r < rounds; r++) {
  for (const [k, f] of cells) {
    const c = rec[k]
    const f0 = minflt()
    const s0 = performance.now()
    for (let i = 0; i < block; i++) {
      const t0 = performance.now()
      f()
      c.ms.push(performance.now() - t0)
    }
    c.spans.push([s0, performance.now()])
    c.flt += minflt() - f0
  }
  await new Promise((res) => setImmediate(res))
}
await new Promise((res) => setTimeout(res, 50))

const major = constants.NODE_PERFORMANCE_GC_MAJOR
for (const [k, c] of Object.entries(rec)) {
  const v = [...c.ms].sort((a, b) => a - b)
  const p = (q) => v[Math.floor(q * (v.length - 1))]
  const mine = gcs.filter((e) => c.spans.some(([a, b]) => e.startTime >= a && e.startTime < b))
  const per100 = (x) => ((100 * x) / v.length).toFixed(1)
  const nMajor = mine.filter((e) => e.detail?.kind === major).length
  const pause = mine.reduce((s, e) => s + e.duration, 0)
  console.log(
    `${k.padEnd(14)} ${threads}t: min ${p(0).toFixed(2)} median ${p(0.5).toFixed(2)} p90 ${p(0.9).toFixed(2)} ms, ` +
      `p90/min ${(p(0.9) / p(0)).toFixed(2)}; faults/call ${(c.flt / v.length).toFixed(1)}; ` +
      `GC/100 calls: major ${per100(nMajor)}, other ${per100(mine.length - nMajor)}, pause ${per100(pause)} ms`,
  )
}
process.exit(0)
