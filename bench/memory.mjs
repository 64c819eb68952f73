#!/usr/bin/env node
// Long-run memory check: a 10,000-step SGD training loop, sampling the JS heap,
// ArrayBuffer memory and RSS (each after a full GC) 40 times, and judging whether
// each stays flat within 5 %. A tape that keeps residuals alive, a cache keyed by
// call or a growing buffer pool shows up here as steady growth.
//
//   node memory.mjs                 wengert, W2's MLP 784-256-10, batch 128 (~1 min)
//   node memory.mjs --quick         2,000 steps after 500 warm-up steps
//   node memory.mjs --mlp=small     MLP 196-64-10, batch 32 (for slow peers)
//   node memory.mjs --adapter=tfjs-wasm --mlp=small
//   node memory.mjs --malloc=fixed  control run: glibc's mmap threshold fixed (see below)
//   node run.mjs --memory | --memory-only      (the same, from the bench entry)
//   node memory.mjs --workload=w8 [--steps=N --warmup=N]   W8's GPT step + AdamW instead (~1 s/step eager)
//
// Method: the step is the adapter's W2 step (adapters/*.mjs mlpStep) on data of
// the chosen size, in a child process with V8's young generation fixed at 16 MB
// (see V8_FLAGS). After `warmup` steps (2000: JIT, caches, pools reach steady
// state) a full GC and the first sample; then a sample (after full GC) every
// steps/40 steps. Per metric it reports the first and last sample, the range,
// the least-squares slope, and the drift: the median of the last quarter of
// the samples against the median of the first quarter. Flat = drift within
// 5 %. Exit code 1 if any metric drifts up by more than 5 % (or the loss is not
// finite); a shrink is reported but is no leak.
//
// Why a drift of medians and not the last sample against the first: RSS
// includes memory the C allocator holds after the program freed it. glibc
// raises its mmap threshold dynamically once a large block is freed, so the
// 128-800 KB buffers of each step then come from the brk heap, and how much of
// that heap is resident at a given moment depends on fragmentation: the
// "[heap]" column (from /proc/self/smaps) swings by ~10 MB between samples
// while live ArrayBuffers stay constant. One sample against one sample then
// measures that swing, not growth. The control run (--malloc=fixed sets
// MALLOC_MMAP_THRESHOLD_=131072 in the child, which switches the dynamic
// threshold off) shows the same loop with the swing gone.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import v8 from 'node:v8'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { mlpData, gptData } from './lib/common.mjs'

const HERE = path.dirname(fileURLToPath(import.meta.url))

// Re-run in a child with a fixed-size young generation: V8 grows its semi-spaces
// with the allocation rate (1 -> 16 MB each), which moves RSS by ~20-40 MB at an
// arbitrary step; that is a V8 heuristic, not the library's memory. Also gives --expose-gc.
const V8_FLAGS = ['--expose-gc', '--min-semi-space-size=16', '--max-semi-space-size=16']
const fixedMalloc = process.argv.includes('--malloc=fixed')
if (!process.execArgv.includes('--max-semi-space-size=16') || !globalThis.gc) {
  const env = fixedMalloc ? { ...process.env, MALLOC_MMAP_THRESHOLD_: '131072' } : process.env
  const p = spawnSync(process.execPath, [...V8_FLAGS, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env,
  })
  process.exit(p.status ?? 1)
}
const args = Object.fromEntries(
  process.argv
    .slice(2)
    .map((a) => /^--([^=]+)(?:=(.*))?$/.exec(a))
    .filter(Boolean)
    .map((m) => [m[1], m[2] ?? true]),
)
const quick = !!args.quick
const MLPS = {
  small: { B: 32, D: 196, H: 64, C: 10 },
  w2: { B: 128, D: 784, H: 256, C: 10 },
}
const mlpName = String(args.mlp ?? 'w2')
const size = MLPS[mlpName]
if (!size) {
  console.error(`--mlp must be one of ${Object.keys(MLPS)}`)
  process.exit(2)
}
const steps = Number(args.steps ?? (quick ? 2000 : 10000))
// V8 keeps optimising (code space, feedback) for the first ~2000 steps: start measuring after that
const warmup = Number(args.warmup ?? (quick ? 500 : 2000))
const samples = 40
const tolerance = 0.05
const adapterId = String(args.adapter ?? 'wengert')
const ADAPTER_MODULES = {
  wengert: ['./adapters/wengert.mjs', {}],
  'tfjs-cpu': ['./adapters/tfjs.mjs', { backend: 'cpu' }],
  'tfjs-wasm': ['./adapters/tfjs.mjs', { backend: 'wasm' }],
  'jax-js-wasm': ['./adapters/jax-js.mjs', { device: 'wasm' }],
  'jax-js-wasm-jit': ['./adapters/jax-js.mjs', { device: 'wasm', jit: true }],
  'js-pytorch': ['./adapters/js-pytorch.mjs', {}],
  'js-handwritten': ['./adapters/handwritten.mjs', {}],
  // W8 (issue 18): the jit column and the facade
  'wengert-jit': ['./adapters/wengert.mjs', { jit: true }],
  'wengert-torch': ['./adapters/wengert-torch.mjs', {}],
}
// W8 (issue 18): --workload=w8 samples the adapter's GPT step (gptStep: nanoGPT's model + AdamW) instead
const workload = String(args.workload ?? 'w2')
if (!['w2', 'w8'].includes(workload)) {
  console.error('--workload must be w2 or w8')
  process.exit(2)
}
const isW8 = workload === 'w8'
if (!ADAPTER_MODULES[adapterId]) {
  console.error(`--adapter must be one of ${Object.keys(ADAPTER_MODULES)}`)
  process.exit(2)
}

const MB = 2 ** 20
const gc = () => {
  globalThis.gc()
  globalThis.gc()
}
/** Resident MB of the C allocator's brk heap ("[heap]" in /proc/self/smaps; Linux only). */
const mallocHeapMB = () => {
  if (!existsSync('/proc/self/smaps')) return NaN
  let inHeap = false,
    kB = 0
  for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    if (/^[0-9a-f]+-[0-9a-f]+ /.test(line)) inHeap = line.endsWith('[heap]')
    else if (inHeap && line.startsWith('Rss:')) kB += Number(/(\d+)/.exec(line)[1])
  }
  return kB / 1024
}
const sample = (step, loss) => {
  gc()
  const m = process.memoryUsage()
  const spaces = Object.fromEntries(
    v8
      .getHeapSpaceStatistics()
      .filter((x) => x.space_used_size > 0)
      .map((x) => [x.space_name, +(x.space_used_size / MB).toFixed(3)]),
  )
  return {
    step,
    heapMB: m.heapUsed / MB,
    buffersMB: (m.arrayBuffers + m.external) / MB,
    rssMB: m.rss / MB,
    mallocHeapMB: mallocHeapMB(),
    loss,
    spaces,
  }
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b),
    n = s.length
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2
}
const awaitMaybe = async (r) => (r && typeof r.then === 'function' ? await r : r)
/** least-squares slope of y over x */
const slope = (xs, ys) => {
  const n = xs.length,
    mx = xs.reduce((a, b) => a + b) / n,
    my = ys.reduce((a, b) => a + b) / n
  let num = 0,
    den = 0
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my)
    den += (xs[i] - mx) ** 2
  }
  return den ? num / den : 0
}

const [mod, options] = ADAPTER_MODULES[adapterId]
const adapter = await (await import(pathToFileURL(path.join(HERE, mod)).href)).default(options)
const data = isW8 ? gptData() : mlpData(size)
const prepared = await (isW8 ? adapter.workloads.gptStep : adapter.workloads.mlpStep)(data)

const t0 = performance.now()
let loss = NaN
for (let i = 0; i < warmup; i++) loss = await awaitMaybe(prepared.run())
const trace = [sample(0, loss)]
const every = Math.max(1, Math.floor(steps / samples))
const tStart = performance.now()
for (let i = 1; i <= steps; i++) {
  loss = await awaitMaybe(prepared.run())
  if (i % every === 0 || i === steps) {
    if (trace[trace.length - 1].step !== i) trace.push(sample(i, loss))
  }
}
const tEnd = performance.now()
prepared.dispose?.()

const start = trace[0],
  end = trace[trace.length - 1]
const quarter = Math.max(1, Math.floor(trace.length / 4))
const metrics = ['heapMB', 'buffersMB', 'rssMB'].map((k) => {
  const ys = trace.map((s) => s[k])
  const first = median(ys.slice(0, quarter)),
    last = median(ys.slice(-quarter))
  const drift = (last - first) / first
  const verdict = Math.abs(drift) <= tolerance ? 'flat' : drift > 0 ? 'GROWS' : 'shrinks'
  return {
    metric: k,
    startMB: start[k],
    endMB: end[k],
    minMB: Math.min(...ys),
    maxMB: Math.max(...ys),
    firstQuarterMedianMB: first,
    lastQuarterMedianMB: last,
    drift,
    verdict,
    flat: verdict === 'flat',
    slopeMBper1kSteps:
      1000 *
      slope(
        trace.map((s) => s.step),
        ys,
      ),
  }
})
const flat = metrics.every((m) => m.flat)
const grows = metrics.some((m) => m.verdict === 'GROWS')
const result = {
  date: new Date().toISOString(),
  node: process.version,
  v8Flags: V8_FLAGS,
  malloc: fixedMalloc ? 'MALLOC_MMAP_THRESHOLD_=131072' : 'default',
  adapter: adapterId,
  info: adapter.info,
  workload,
  mlp: isW8 ? undefined : { name: mlpName, ...size, lr: data.lr },
  steps,
  warmupSteps: warmup,
  msPerStep: (tEnd - tStart) / steps,
  totalSeconds: (performance.now() - t0) / 1000,
  lossStart: start.loss,
  lossEnd: end.loss,
  finiteLoss: Number.isFinite(end.loss),
  tolerance,
  flat,
  grows,
  metrics,
  trace,
}

const f = (x, d = 2) => x.toFixed(d)
const L = []
L.push(`# Memory check — ${result.date}`, '')
L.push(
  `${adapterId} (${adapter.info?.library ?? ''} ${adapter.info?.version ?? ''}), Node ${process.version}${process.env.NODE_OPTIONS ? ` (NODE_OPTIONS=${process.env.NODE_OPTIONS})` : ''}: ${steps} ` +
    (isW8
      ? `AdamW steps of W8's GPT (nanoGPT: 4 layers, 4 heads, n_embd 128, block 64, batch 8, vocab 256)`
      : `SGD steps of MLP ${size.D}-${size.H}-${size.C}, batch ${size.B}` +
        ` (${mlpName === 'w2' ? "W2's model" : "smaller than W2's 784-256-10/128 (--mlp=small)"})`) +
    `, after ${warmup} warm-up steps;` +
    ` ${f(result.msPerStep, 3)} ms/step, ${f(result.totalSeconds, 1)} s in all. Loss ${f(result.lossStart, 4)} → ${f(result.lossEnd, 4)}.`,
  '',
)
L.push(
  `C allocator: ${fixedMalloc ? 'glibc with MALLOC_MMAP_THRESHOLD_=131072 (control run: dynamic mmap threshold off)' : "the platform's default"}.`,
  '',
)
L.push(
  `| memory (after full GC) | first sample MB | last sample MB | range MB | median, first → last quarter | drift | slope MB / 1k steps | flat within ${tolerance * 100} %? |`,
  '|---|---|---|---|---|---|---|---|',
)
const names = { heapMB: 'JS heap (heapUsed)', buffersMB: 'ArrayBuffers + external', rssMB: 'RSS' }
for (const m of metrics)
  L.push(
    `| ${names[m.metric]} | ${f(m.startMB)} | ${f(m.endMB)} | ${f(m.minMB)}–${f(m.maxMB)} | ${f(m.firstQuarterMedianMB)} → ${f(m.lastQuarterMedianMB)} | ${m.drift >= 0 ? '+' : ''}${f(100 * m.drift, 1)} % | ${f(m.slopeMBper1kSteps, 3)} | ${m.flat ? 'yes' : m.verdict === 'GROWS' ? '**NO — grows**' : 'no — shrinks (not a leak)'} |`,
  )
L.push(
  '',
  `Verdict: ${flat ? 'FLAT — heap, buffers and RSS drift less than 5 % over the run' : grows ? 'NOT FLAT — memory GROWS by more than 5 % over the run' : 'no growth — memory shrinks by more than 5 % (start samples still held warm-up memory), none grows'}${result.finiteLoss ? '' : '; loss is not finite'}.`,
  '',
)
L.push(
  `Trace (after full GC): step — JS heap MB (of which V8 old space / code space) / ArrayBuffers MB / RSS MB (of which the C allocator's brk heap, "[heap]" in /proc/self/smaps). V8 flags: ${V8_FLAGS.join(' ')}.`,
  '',
)
L.push(
  trace
    .map(
      (s) =>
        `- ${s.step}: ${f(s.heapMB)} (${f(s.spaces.old_space ?? 0)} / ${f(s.spaces.code_space ?? 0)}) / ${f(s.buffersMB)} / ${f(s.rssMB, 1)} (${f(s.mallocHeapMB, 1)})`,
    )
    .join('\n'),
)
const md = L.join('\n') + '\n'
process.stdout.write(md)

const out =
  args.out ??
  `results/memory${isW8 ? '-w8' : ''}${adapterId === 'wengert' ? '' : '-' + adapterId}${fixedMalloc ? '-fixed-malloc' : ''}`
if (out !== 'none') {
  const base = path.resolve(HERE, out)
  mkdirSync(path.dirname(base), { recursive: true })
  writeFileSync(`${base}.json`, JSON.stringify(result, null, 2) + '\n')
  writeFileSync(`${base}.md`, md)
  process.stderr.write(`wrote ${path.relative(process.cwd(), base)}.md and .json\n`)
}
process.exitCode = !grows && result.finiteLoss ? 0 : 1
