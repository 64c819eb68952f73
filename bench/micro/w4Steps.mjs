// Micro benchmark for W4 (gradient of Σ tanh(x)·x over 10⁶ float32), eager and under jit, on
// one or two threads, over one or two source trees in one process. Calls are timed one by one in
// interleaved rounds and the minimum and low percentiles are reported: on a shared machine the
// minimum is the closest to a quiet run (medians there mostly measure the neighbours). The
// phases are timed alone too: `fwd` is Σ tanh(x)·x, `bwd` a kept pullback (vjp) of it swept anew.
//
// With --diag, each cell is instead run --calls times in a row and described per call: CPU time
// of the calling thread, of the helper threads (started after the trees were loaded) and of the
// runtime's own threads (GC, compiler; Linux /proc only), the thread pools' split counters
// (splits, threaded ones, units, units the caller ran or stole back, waits > 0.05 ms) and the
// large buffers (≥ 64 KiB) allocated: `new ArrayBuffer` and typed-array copies (`slice`).
//   npx tsx bench/micro/w4Steps.mjs [--base=/path/to/other/root] [--threads=2] [--rounds=60]
//   npx tsx bench/micro/w4Steps.mjs --diag [--calls=100] [--threads=2] [--base=...]
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { opt, rand, reportRounds, roots } from './benchCommon.mjs'

const n = 1_000_000
const rounds = Number(opt('rounds', '60'))
const threads = Number(opt('threads', '2'))
const diag = process.argv.includes('--diag')
const big = { count: 0, bytes: 0 }
const noteBig = (bytes) => {
  if (bytes < 65536) return
  big.count++
  big.bytes += bytes
}
if (diag) {
  const AB = globalThis.ArrayBuffer
  globalThis.ArrayBuffer = new Proxy(AB, {
    construct(target, args, newTarget) {
      noteBig(Number(args[0] ?? 0))
      return Reflect.construct(target, args, newTarget)
    },
  })
  for (const T of [Float32Array, Float64Array]) {
    const slice = T.prototype.slice
    T.prototype.slice = function (...a) {
      const r = slice.apply(this, a)
      noteBig(r.byteLength)
      return r
    }
  }
}
/** CPU ms of each thread of this process, by thread id (Linux; empty elsewhere). */
const taskTimes = () => {
  const out = new Map()
  let ids = []
  try {
    ids = fs.readdirSync('/proc/self/task')
  } catch {
    return out
  }
  for (const t of ids) {
    try {
      const st = fs.readFileSync(`/proc/self/task/${t}/stat`, 'utf8')
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ')
      out.set(t, ((Number(f[11]) + Number(f[12])) * 1000) / 100)
    } catch {
      // the thread ended
    }
  }
  return out
}
const runtimeThreads = new Set(taskTimes().keys())

const d = rand(n, -2, 2, 4)
const cells = []
const stats = []
for (const [name, root] of roots) {
  const W = await import(pathToFileURL(path.join(root, 'src/index.ts')).href)
  const T = await import(pathToFileURL(path.join(root, 'src/ndarray/kernels/wasm/threads.ts')).href)
  T.setNumThreads(threads)
  stats.push(T.splitStats)
  const xs = W.array(d.slice(), { shape: [n], dtype: 'float32' })
  const f = (t) => W.sum(W.mul(W.tanh(t), t))
  const g = W.grad(f)
  const gj = W.jit(g)
  const [, back] = W.vjp(f, xs)
  const one = W.array(1, { dtype: 'float32' })
  cells.push([`${name} eager`, () => g(xs).toTypedArray()], [`${name} jit`, () => gj(xs).toTypedArray()])
  cells.push([`${name} fwd`, () => f(xs).item()], [`${name} bwd`, () => back(one)[0].toTypedArray()])
}
// warm-up, with pauses so that helper threads can boot
for (let i = 0; i < 5; i++) {
  for (const [, f] of cells) f()
  await new Promise((r) => setTimeout(r, 50))
}
if (!diag) reportRounds(cells, rounds, (k) => `W4 ${k.padEnd(12)} ${threads} thread(s)`)
else {
  const calls = Number(opt('calls', '100'))
  const main = String(process.pid)
  for (const [k, f] of cells) {
    for (const s of stats) s(true)
    big.count = 0
    big.bytes = 0
    const t0 = taskTimes()
    const w0 = performance.now()
    for (let i = 0; i < calls; i++) f()
    const wall = (performance.now() - w0) / calls
    const t1 = taskTimes()
    const cpu = { main: 0, helpers: 0, runtime: 0 }
    for (const [t, ms] of t1) {
      const dt = (ms - (t0.get(t) ?? 0)) / calls
      if (t === main) cpu.main += dt
      else if (runtimeThreads.has(t)) cpu.runtime += dt
      else cpu.helpers += dt
    }
    const sp = stats
      .map((s) => s(true))
      .reduce((a, b) => Object.fromEntries(Object.keys(a).map((x) => [x, a[x] + b[x]])))
    const per = (x) => (x / calls).toFixed(2)
    console.log(
      `W4 ${k.padEnd(10)} ${threads} thread(s): wall ${wall.toFixed(2)} ms; CPU ms main ${cpu.main.toFixed(2)}, helpers ${cpu.helpers.toFixed(2)}, runtime ${cpu.runtime.toFixed(2)}; ` +
        `per call: splits ${per(sp.splits)} (threaded ${per(sp.threaded)}), units ${per(sp.units)}, caller ${per(sp.callerUnits)}, stolen ${per(sp.stolenUnits)}, waits ${per(sp.waited)} (${per(sp.waitMs)} ms); ` +
        `large buffers ${per(big.count)} (${(big.bytes / calls / 2 ** 20).toFixed(1)} MiB)`,
    )
  }
}
