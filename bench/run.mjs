#!/usr/bin/env node
// wengert benchmark: wengert against its JavaScript peers on the same
// workloads, every result validated against a float64 reference.
//
//   npm run bench                 (at the repo root: build, npm ci here, run)
//   node run.mjs                  all columns, ~8 min
//   node run.mjs --quick          fewer samples (5 per cell, min 3), ~2 min
//   node run.mjs --adapters=wengert,tfjs-wasm --workloads=W1,W3
//   node run.mjs --memory         also run the 10,000-step memory check (memory.mjs)
//   node run.mjs --memory-only    only the memory check
//
// Columns are adapters (adapters/*.mjs), rows are workloads (lib/common.mjs).
// Each cell (column × workload) runs in its own child process (`node --expose-gc
// run.mjs --child=<id> --workloads=<w>`), one after the other, so JIT state,
// heaps, allocator state and wasm instances do not interfere and a crash in one
// library only blanks its cells (--shared-process: one child per column).
//
// Options (flag or env):
//   --adapters=a,b          BENCH_ADAPTERS    columns (ids below; default: all)
//   --workloads=W1,W3       BENCH_WORKLOADS   workload id prefixes (default: all)
//   --runs=N                BENCH_RUNS        timed samples per cell (default 10, quick 5); cheap
//                                             cells take ~1 s worth of samples, at most 4N
//   --max-seconds=S         BENCH_MAX_S       stop sampling a cell after S s once N samples exist
//                                             (default 8, quick 2)
//   --warmup=N              BENCH_WARMUP      warm-up calls (default 3, and >= 1 s)
//   --quick                 BENCH_QUICK=1     runs=5, at least 3 samples, max-seconds=2
//   --slow                  BENCH_SLOW=1      also time cells marked too slow (jax-js-cpu W1/W2:
//                                             tens of seconds per call)
//   --repeat=N              BENCH_REPEAT      N interleaved rounds over all columns; a cell reports
//                                             the round with the median time and the spread
//   --wait-quiet=S          BENCH_WAIT_QUIET  before each column wait up to S s for other
//                                             processes to use < 0.3 cores
//   --out=results/latest    BENCH_OUT         writes <out>.md and <out>.json
//   --memory / --memory-only                  run memory.mjs after / instead of the table
//   --base=DIR              BENCH_BASE        also run wengert-base and wengert-base-jit: the wengert
//                                             package built at DIR (e.g. a git worktree of an
//                                             earlier commit after `npm ci && npm run build`), for
//                                             before/after ratios measured in one run
// Exit code 1 if the wengert column fails to load, errs or is wrong in any cell
// (or the memory check finds growth); peers' failures only show in the table.
//   --busy                  BENCH_BUSY=1      run a process spinning on one core beside every cell:
//                                             threaded kernels must degrade to no slower than on one
//                                             thread (compare the wengert and wengert-1thread columns)
//   BENCH_TFJS_PROD=0                         run tfjs without tf.enableProdMode()

import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { WORKLOADS, REFERENCE, CHECK, TOLERANCE, timeIt, fmtMs, fmtRatio } from './lib/common.mjs'
import { busySpinner } from './lib/spinner.mjs'

const HERE = path.dirname(fileURLToPath(import.meta.url))

// ---------------------------------------------------------------------------
// Columns. `slow`: cells skipped unless --slow (reason shown in the table).
// ---------------------------------------------------------------------------
const JAX_CPU_SLOW = {
  matmul:
    'too slow to time 10× by default (interpreted "debug" device: ~10 s per 256² call, ~80 s per 512²); --slow times it',
  mlpStep: 'too slow to time 10× by default (interpreted "debug" device: tens of seconds per step); --slow times it',
  ewise: 'too slow to time 10× by default (interpreted "debug" device: ~3 s per call, ~45 s per cell); --slow times it',
  cnnStep: 'too slow to time 10× by default (interpreted "debug" device); --slow times it',
}
// W8 (issue 18): a 4-layer transformer step on the interpreted device
JAX_CPU_SLOW.gptStep = 'too slow to time by default (interpreted "debug" device); --slow times it'
const ADAPTERS = [
  { id: 'wengert', module: './adapters/wengert.mjs', options: {} },
  { id: 'wengert-jit', module: './adapters/wengert.mjs', options: { jit: true } },
  // the eager column on one thread: the kernels without the second core
  { id: 'wengert-1thread', module: './adapters/wengert.mjs', options: { threads: 1 } },
  // not a peer: the same workloads through the PyTorch facade (its overhead over the core)
  { id: 'wengert-torch', module: './adapters/wengert-torch.mjs', options: {}, notPeer: true },
  {
    id: 'tfjs-cpu',
    module: './adapters/tfjs.mjs',
    options: { backend: 'cpu' },
    // its pure-JS conv gradients sat > 9 min in one W6 cell (2026-12-04)
    slow: { cnnStep: 'too slow to time by default (pure-JS conv gradients: minutes per step); --slow times it' },
  },
  { id: 'tfjs-wasm', module: './adapters/tfjs.mjs', options: { backend: 'wasm' } },
  { id: 'jax-js-cpu', module: './adapters/jax-js.mjs', options: { device: 'cpu' }, slow: JAX_CPU_SLOW },
  { id: 'jax-js-wasm', module: './adapters/jax-js.mjs', options: { device: 'wasm' } },
  { id: 'jax-js-wasm-jit', module: './adapters/jax-js.mjs', options: { device: 'wasm', jit: true } },
  { id: 'js-pytorch', module: './adapters/js-pytorch.mjs', options: {} },
  // not a peer: the same math hand-written over Float32Array without AD (pure-JS floor)
  { id: 'js-handwritten', module: './adapters/handwritten.mjs', options: {}, notPeer: true },
]
const BASE = (() => {
  const a = process.argv.find((s) => s.startsWith('--base='))
  return a ? path.resolve(a.slice('--base='.length)) : process.env.BENCH_BASE
})()
if (BASE) {
  // the same adapter over another build: not a peer, a before/after control
  ADAPTERS.splice(3, 0, {
    id: 'wengert-base',
    module: './adapters/wengert.mjs',
    options: { base: BASE },
    notPeer: true,
  })
  ADAPTERS.splice(4, 0, {
    id: 'wengert-base-jit',
    module: './adapters/wengert.mjs',
    options: { base: BASE, jit: true },
    notPeer: true,
  })
  // the facade over the other build, beside the facade's own column
  const facadeAt = ADAPTERS.findIndex((a) => a.id === 'wengert-torch')
  ADAPTERS.splice(facadeAt + 1, 0, {
    id: 'wengert-torch-base',
    module: './adapters/wengert-torch.mjs',
    options: { base: BASE },
    notPeer: true,
  })
}

// ---------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------
function parseArgs(argv) {
  const o = {}
  for (const a of argv) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(a)
    if (m) o[m[1]] = m[2] ?? true
  }
  return o
}
const args = parseArgs(process.argv.slice(2))
const quick = !!args.quick || process.env.BENCH_QUICK === '1'
const list = (s) =>
  String(s ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
const opt = {
  quick,
  adapters: list(args.adapters ?? process.env.BENCH_ADAPTERS),
  workloads: list(args.workloads ?? process.env.BENCH_WORKLOADS),
  runs: Number(args.runs ?? process.env.BENCH_RUNS ?? (quick ? 5 : 10)),
  warmup: Number(args.warmup ?? process.env.BENCH_WARMUP ?? 3),
  maxSeconds: Number(args['max-seconds'] ?? process.env.BENCH_MAX_S ?? (quick ? 2 : 8)),
  slow: !!args.slow || process.env.BENCH_SLOW === '1',
  out: args.out ?? process.env.BENCH_OUT ?? 'results/latest',
  waitQuiet: Number(args['wait-quiet'] ?? process.env.BENCH_WAIT_QUIET ?? 0),
  repeat: Math.max(1, Number(args.repeat ?? process.env.BENCH_REPEAT ?? 1)),
  busy: !!args.busy || process.env.BENCH_BUSY === '1',
}
opt.minRuns = quick ? Math.min(3, opt.runs) : opt.runs
const unknown = opt.adapters.filter((id) => !ADAPTERS.some((a) => a.id === id))
if (unknown.length && !args.child) {
  process.stderr.write(`unknown adapter(s) ${unknown.join(', ')}; known: ${ADAPTERS.map((a) => a.id).join(', ')}\n`)
  process.exit(2)
}
const selectedWorkloads = WORKLOADS.filter(
  (w) => !opt.workloads.length || opt.workloads.some((p) => w.id.startsWith(p)),
)

// ---------------------------------------------------------------------------
// Child: run every selected workload for one column, print JSON on stdout.
// ---------------------------------------------------------------------------
const MB = 2 ** 20
const mem = () => {
  const m = process.memoryUsage()
  return { heap: m.heapUsed, ab: m.arrayBuffers, ext: m.external, rss: m.rss }
}
const gc = () => {
  globalThis.gc?.()
  globalThis.gc?.()
}

async function awaitMaybe(r) {
  return r && typeof r.then === 'function' ? await r : r
}

async function child(id) {
  const spec = ADAPTERS.find((a) => a.id === id)
  const log = (...m) => process.stderr.write(`[${id}] ${m.join(' ')}\n`)
  const out = { id, notPeer: !!spec.notPeer, cells: {} }
  let adapter
  try {
    const create = (await import(pathToFileURL(path.join(HERE, spec.module)).href)).default
    adapter = await create(spec.options)
  } catch (e) {
    out.error = String(e?.message ?? e).split('\n')[0]
    log('FAILED to load:', e?.stack ?? e)
    return out
  }
  Object.assign(out, { dtype: adapter.dtype, info: adapter.info })
  for (const w of selectedWorkloads) {
    const cell = (out.cells[w.id] = { status: 'ok' })
    const prepare = adapter.workloads?.[w.kind]
    if (!prepare) {
      Object.assign(cell, { status: 'n/a', reason: 'not implemented by adapter' })
      log(w.id, 'n/a')
      continue
    }
    if (spec.slow?.[w.kind] && !opt.slow) {
      Object.assign(cell, { status: 'skipped', reason: spec.slow[w.kind] })
      log(w.id, 'skipped (slow)')
      continue
    }
    let prepared
    try {
      const data = w.make()
      const ref = REFERENCE[w.kind](data)
      const result = (r) =>
        w.kind === 'mlpStep' || w.kind === 'cnnStep'
          ? { loss: r, params: prepared.params?.() }
          : prepared.output
            ? prepared.output(r)
            : r
      prepared = await prepare(data)
      if (prepared.note) cell.note = prepared.note
      // the first call is validated against the float64 reference ...
      const t0 = performance.now()
      const r0 = await awaitMaybe(prepared.run())
      cell.firstCallMs = performance.now() - t0
      cell.maxRelErr = CHECK[w.kind](result(r0), ref)
      cell.valid = cell.maxRelErr <= TOLERANCE
      gc()
      const m0 = mem()
      const memBefore = adapter.memory?.()
      Object.assign(
        cell,
        await timeIt(() => prepared.run(), {
          warmup: opt.warmup,
          runs: opt.runs,
          minRuns: opt.minRuns,
          maxSeconds: opt.maxSeconds,
        }),
      )
      const memAfter = adapter.memory?.()
      if (memBefore && memAfter) cell.leakedTensors = memAfter.tensors - memBefore.tensors
      gc()
      const m1 = mem()
      cell.calls = cell.runs * cell.inner + cell.warmupCalls
      cell.heapGrowthMB = (m1.heap - m0.heap) / MB
      cell.arrayBuffersGrowthMB = (m1.ab - m0.ab) / MB
      cell.rssGrowthMB = (m1.rss - m0.rss) / MB
      // ... and so is the last one, for stateless workloads (state or caches must not corrupt results)
      if (w.kind !== 'mlpStep' && w.kind !== 'cnnStep' && !w.stateful) {
        const rl = await awaitMaybe(prepared.run())
        cell.maxRelErrLast = CHECK[w.kind](result(rl), ref)
        if (!(cell.maxRelErrLast <= TOLERANCE)) cell.valid = false
      }
      if (w.flops) cell.gflops = w.flops(data) / (cell.medianMs * 1e6)
      if (w.kind === 'chain') cell.usPerOp = (cell.medianMs * 1000) / data.ops
      if (w.kind === 'foriChain') cell.usPerOp = (cell.medianMs * 1000) / data.ops
      if (w.kind === 'hmcStep') cell.leapfrogPerS = data.L / (cell.medianMs / 1000) // W10: leapfrog steps per second
      if (w.firstCall) cell.showFirstCall = true // control flow: trace + compile + one run
      log(
        w.id,
        `median ${fmtMs(cell.medianMs)} ms (${cell.runs}x${cell.inner}) relErr ${cell.maxRelErr.toExponential(1)}${cell.valid ? '' : ' WRONG'}` +
          ` heap ${cell.heapGrowthMB >= 0 ? '+' : ''}${cell.heapGrowthMB.toFixed(2)} MB` +
          (cell.leakedTensors ? ` LEAK ${cell.leakedTensors} tensors` : ''),
      )
    } catch (e) {
      if (e?.name === 'Unsupported') {
        Object.assign(cell, { status: 'n/a', reason: e.message })
        log(w.id, 'n/a:', e.message)
      } else {
        Object.assign(cell, {
          status: 'error',
          reason: String(e?.stack ?? e)
            .split('\n')
            .slice(0, 2)
            .join(' ; '),
        })
        log(w.id, 'ERROR', e?.stack ?? e)
      }
    } finally {
      try {
        prepared?.dispose?.()
      } catch {
        /* ignore */
      }
    }
  }
  try {
    adapter.dispose?.()
  } catch {
    /* ignore */
  }
  return out
}

// ---------------------------------------------------------------------------
// Parent: spawn one child per column, then write the tables.
// ---------------------------------------------------------------------------
const sleepMs = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
/** [busy, total] jiffies of all CPUs (/proc/stat) */
function cpuJiffies() {
  const v = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number)
  const total = v.reduce((x, y) => x + y, 0)
  return [total - v[3] - v[4], total]
}
/** CPU ticks of this process and its waited-for children (/proc/self/stat utime+stime+cutime+cstime) */
function selfAndChildrenTicks() {
  const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ')
  return Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])
}
/** CPU used by *other* processes over `ms`, in cores. */
function backgroundCores(ms = 1000) {
  try {
    const [b0, t0] = cpuJiffies()
    const s0 = selfAndChildrenTicks()
    sleepMs(ms)
    const [b1, t1] = cpuJiffies()
    const s1 = selfAndChildrenTicks()
    return +((Math.max(0, b1 - b0 - (s1 - s0)) / (t1 - t0)) * os.cpus().length).toFixed(2)
  } catch {
    return null
  }
}
function waitQuiet(maxS) {
  const end = Date.now() + maxS * 1000
  let ok = 0,
    bg = null
  while (Date.now() < end && ok < 3) {
    bg = backgroundCores(1000)
    ok = bg != null && bg < 0.3 ? ok + 1 : 0
  }
  return ok >= 3
}

function machineInfo() {
  const cpus = os.cpus()
  return {
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    cpu: cpus[0]?.model,
    cores: cpus.length,
    memGB: +(os.totalmem() / 2 ** 30).toFixed(1),
    date: new Date().toISOString(),
    nodeOptions: process.env.NODE_OPTIONS || undefined,
  }
}

const ok = (c) => c?.status === 'ok'
const fmtMB = (x) =>
  x == null || !Number.isFinite(x) ? '–' : `${x >= 0 ? '+' : ''}${Math.abs(x) < 10 ? x.toFixed(2) : x.toFixed(0)}`

function cellText(c) {
  if (!c) return '–'
  if (!ok(c)) return c.status === 'error' ? 'ERR' : c.status
  if (c.valid === false) return `✗ WRONG (${fmtMs(c.medianMs)} ms)`
  let s = `${fmtMs(c.medianMs)} ms`
  if (c.gflops != null) s += ` (${c.gflops >= 0.1 ? c.gflops.toFixed(2) : c.gflops.toPrecision(2)} GF/s)`
  if (c.usPerOp != null) s += ` (${c.usPerOp.toFixed(2)} µs/op)`
  if (c.showFirstCall) s += ` (first call ${fmtMs(c.firstCallMs)} ms)`
  if (c.leapfrogPerS != null) s += ` (${Math.round(c.leapfrogPerS)} leapfrog steps/s)`
  return s
}

function render(results, machine) {
  const cols = results.map((r) => r.id)
  const table = (header, rowFn) => {
    const L = [`| ${header} | ${cols.join(' | ')} |`, `|---|${cols.map(() => '---').join('|')}|`]
    for (const w of selectedWorkloads)
      L.push(
        `| ${rowFn.title ? rowFn.title(w) : w.id} | ${results.map((r) => rowFn(r.cells?.[w.id], r, w)).join(' | ')} |`,
      )
    return L
  }
  const L = []
  L.push(`# wengert benchmark — ${machine.date}`, '')
  L.push(
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memGB} GiB, Node ${machine.node}${machine.nodeOptions ? ` (NODE_OPTIONS=${machine.nodeOptions})` : ''}; ${machine.wallSeconds} s.`,
  )
  const bgs = machine.backgroundCpu ?? []
  const maxBg = Math.max(0, ...bgs.map((b) => Math.max(b.otherCoresBefore ?? 0, b.otherCoresDuring ?? 0)))
  L.push(
    `Other processes' CPU use (cores, before/during each column): ${bgs.map((b) => `${b.column}${opt.repeat > 1 ? '#' + b.round : ''} ${b.otherCoresBefore}/${b.otherCoresDuring}`).join(', ')}${maxBg > 0.3 ? ' — ⚠ NOISY RUN (rerun with --wait-quiet=600)' : ' — quiet'}.`,
  )
  L.push(
    `Timing: median of ≥ ${opt.minRuns} timed samples per cell${opt.quick ? ' (--quick)' : ''} (cheap cells: ~1 s worth, at most ${4 * opt.runs}; calls < 1 ms are batched so a sample lasts ≥ ~2 ms, figures are per call), after warm-up (≥ ${opt.warmup} calls and 1 s); sampling stops after ${opt.maxSeconds} s once ${opt.minRuns} samples exist. float32 inputs, identical for every column. The first call and (stateless cells) the last call are validated against a float64 reference; a result off by more than ${TOLERANCE} (max relative error) is shown as ✗ WRONG and gets no ratio. Same machine noise caveat as always: treat ratios within ~1.5× as ties.`,
    '',
  )
  if (opt.busy)
    L.push(
      '**--busy**: a process spinning on one core ran beside every cell (the busy-machine check: a threaded column should be no slower than wengert-1thread).',
      '',
    )

  L.push('| column | library | dtype | backend / notes |', '|---|---|---|---|')
  for (const r of results) {
    const i = r.info ?? {}
    const extra = [
      i.backend,
      i.wasmBinary,
      i.threads != null ? `${i.threads} thread(s)` : null,
      i.prodMode != null ? `prodMode=${i.prodMode}` : null,
    ]
      .filter(Boolean)
      .join(', ')
    L.push(
      `| ${r.id}${r.notPeer ? ' (not a peer)' : ''} | ${i.library ?? '?'} ${i.version ?? ''} | ${r.dtype ?? '?'} | ${r.error ? 'FAILED: ' + r.error.replace(/\|/g, '/') : extra} |`,
    )
  }
  L.push('', '## Median time per call', '')
  const med = (c) => cellText(c)
  med.title = (w) => `${w.id}: ${w.title}`
  L.push(...table('workload', med))

  // one ratio table per wengert column (eager, jit)
  for (const own of ['wengert', 'wengert-jit']) {
    const wg = results.find((r) => r.id === own && !r.error)
    if (!wg && own !== 'wengert') continue
    L.push('', `## Ratio ${own} / peer (${own} time ÷ peer time: < 1 means ${own} is faster)`, '')
    if (!wg) {
      L.push('(no wengert column in this run)')
      continue
    }
    L.push(
      ...table('workload', (c, r, w) => {
        if (r.id === own) return '1'
        const b = wg.cells?.[w.id]
        if (!ok(b) || !ok(c)) return '–'
        if (b.valid === false) return 'wengert wrong'
        if (c.valid === false) return 'peer wrong'
        return fmtRatio(b.medianMs / c.medianMs)
      }),
    )
  }

  L.push('', '## Spread: min – max per call (samples × calls per sample)', '')
  L.push(...table('workload', (c) => (ok(c) ? `${fmtMs(c.minMs)} – ${fmtMs(c.maxMs)} (${c.runs}×${c.inner})` : '–')))

  L.push('', `## Validation: max relative error vs the float64 reference (✗ above ${TOLERANCE})`, '')
  L.push(
    ...table('workload', (c) => {
      if (!c) return '–'
      if (c.status === 'skipped') return 'skipped (see notes)'
      if (!ok(c)) return `${c.status}: ${String(c.reason).replace(/\|/g, '/')}`
      const last =
        c.maxRelErrLast != null && c.maxRelErrLast !== c.maxRelErr ? ` (last ${c.maxRelErrLast.toExponential(1)})` : ''
      return `${c.maxRelErr.toExponential(1)}${last}${c.valid ? '' : ' ✗'}`
    }),
  )

  L.push('', '## Memory growth over the timed calls (after GC): JS heap MB / ArrayBuffers MB (calls)', '')
  L.push(
    ...table('workload', (c) => {
      if (!ok(c)) return '–'
      let s = `${fmtMB(c.heapGrowthMB)} / ${fmtMB(c.arrayBuffersGrowthMB)} (${c.calls})`
      if (c.leakedTensors) s += `, ${c.leakedTensors > 0 ? '+' : ''}${c.leakedTensors} tensors`
      return s
    }),
  )

  if (results.some((r) => Object.values(r.cells ?? {}).some((c) => c.roundMediansMs))) {
    L.push('', `## Run-to-run spread (max/min of the ${opt.repeat} round medians)`, '')
    L.push(...table('workload', (c) => (c?.roundSpread ? c.roundSpread.toFixed(2) : '–')))
  }
  const notes = []
  for (const r of results) {
    for (const [wid, c] of Object.entries(r.cells ?? {})) if (c.note) notes.push(`- ${r.id} / ${wid}: ${c.note}`)
    const skipped = Object.entries(r.cells ?? {}).filter(([, c]) => c.status === 'skipped')
    for (const reason of new Set(skipped.map(([, c]) => c.reason))) {
      notes.push(
        `- ${r.id} / ${skipped
          .filter(([, c]) => c.reason === reason)
          .map(([wid]) => wid)
          .join(', ')}: skipped, ${reason}`,
      )
    }
  }
  if (notes.length) L.push('', '## Notes', '', ...notes)
  return L.join('\n') + '\n'
}

/** Per cell, keep the round whose median is the median of the round medians; record all of them. */
function mergeRounds(rounds) {
  if (rounds.length === 1) return rounds[0]
  return rounds[0].map((first, ci) => {
    const cols = rounds.map((r) => r[ci])
    const base = cols.find((c) => !c.error) ?? first
    const cells = {}
    for (const wid of Object.keys(base.cells ?? {})) {
      const good = cols.map((c) => c.cells?.[wid]).filter(ok)
      if (!good.length) {
        cells[wid] = base.cells[wid]
        continue
      }
      const sorted = [...good].sort((a, b) => a.medianMs - b.medianMs)
      const pick = sorted[(sorted.length - 1) >> 1]
      cells[wid] = {
        ...pick,
        valid: good.every((c) => c.valid),
        roundMediansMs: good.map((c) => c.medianMs),
        roundSpread: sorted[sorted.length - 1].medianMs / sorted[0].medianMs,
      }
    }
    return { ...base, cells, rounds: rounds.length }
  })
}

function runMemoryCheck() {
  const extra = process.argv.slice(2).filter((s) => s === '--quick' || /^--(steps|mlp|warmup)=/.test(s))
  const p = spawnSync(process.execPath, [path.join(HERE, 'memory.mjs'), ...extra], { cwd: HERE, stdio: 'inherit' })
  return p.status ?? 1
}

async function parent() {
  if (args['memory-only']) process.exit(runMemoryCheck())
  const chosen = ADAPTERS.filter((a) => !opt.adapters.length || opt.adapters.includes(a.id))
  const machine = machineInfo()
  const busy = []
  const rounds = []
  const t0 = Date.now()
  for (let round = 0; round < opt.repeat; round++) {
    const results = []
    for (const a of chosen) {
      if (opt.waitQuiet > 0 && !waitQuiet(opt.waitQuiet))
        process.stderr.write(`(no quiet window within ${opt.waitQuiet} s)\n`)
      const bg = backgroundCores()
      process.stderr.write(
        `\n=== ${a.id}${opt.repeat > 1 ? ` (round ${round + 1}/${opt.repeat})` : ''} ===  (other processes: ${bg} cores)\n`,
      )
      if (bg > 0.3)
        process.stderr.write(
          `WARNING: other processes use ~${bg} of the ${os.cpus().length} vCPUs; timings may be inflated\n`,
        )
      // one child per cell (library × workload) unless --shared-process: a workload then never
      // inherits another's JIT state, heap or C-allocator state (W4 after W2 measured up to 1.7×
      // slower than W4 alone in one process)
      const groups = args['shared-process']
        ? [selectedWorkloads.map((w) => w.id)]
        : selectedWorkloads.map((w) => [w.id])
      const [b0, tj0] = cpuJiffies()
      const s0 = selfAndChildrenTicks()
      let merged = null
      for (const ids of groups) {
        const childArgs = [
          '--expose-gc',
          '--max-old-space-size=8192',
          fileURLToPath(import.meta.url),
          `--child=${a.id}`,
          ...process.argv
            .slice(2)
            .filter((s) => !s.startsWith('--child') && !s.startsWith('--adapters') && !s.startsWith('--workloads')),
          `--workloads=${ids.join(',')}`,
        ]
        // --busy: another process holds one core for the whole cell
        const spinner = opt.busy ? busySpinner() : null
        const p = spawnSync(process.execPath, childArgs, {
          cwd: HERE,
          stdio: ['ignore', 'pipe', 'inherit'],
          encoding: 'utf8',
          maxBuffer: 64 * MB,
          timeout: 30 * 60 * 1000,
        })
        spinner?.kill()
        const line = (p.stdout ?? '').split('\n').find((l) => l.startsWith('@@RESULT '))
        const r = line
          ? JSON.parse(line.slice(9))
          : {
              id: a.id,
              notPeer: !!a.notPeer,
              error: `child exited ${p.status ?? p.signal}${p.error ? ' ' + p.error.message : ''}`,
              cells: {},
            }
        if (merged === null) merged = r
        else {
          Object.assign(merged.cells, r.cells)
          if (r.error && !merged.error) merged.error = r.error
        }
      }
      const [b1, tj1] = cpuJiffies()
      const s1 = selfAndChildrenTicks()
      const during = +((Math.max(0, b1 - b0 - (s1 - s0)) / (tj1 - tj0)) * os.cpus().length).toFixed(2)
      busy.push({ column: a.id, round: round + 1, otherCoresBefore: bg, otherCoresDuring: during })
      results.push(merged)
    }
    rounds.push(results)
  }
  const results = mergeRounds(rounds)
  machine.backgroundCpu = busy
  machine.wallSeconds = Math.round((Date.now() - t0) / 1000)
  const md = render(results, machine)
  process.stdout.write('\n' + md)
  if (opt.out) {
    const base = path.resolve(HERE, opt.out)
    mkdirSync(path.dirname(base), { recursive: true })
    writeFileSync(
      `${base}.json`,
      JSON.stringify(
        {
          machine,
          options: opt,
          workloads: selectedWorkloads.map(({ id, kind, title }) => ({ id, kind, title })),
          results,
        },
        null,
        2,
      ) + '\n',
    )
    writeFileSync(`${base}.md`, md)
    process.stderr.write(`\nwrote ${path.relative(process.cwd(), base)}.md and .json (${machine.wallSeconds} s)\n`)
  }
  // exit 1 if a wengert column failed to load, or any of its cells errored or was wrong
  let bad = false
  for (const w of results.filter((r) => r.id === 'wengert' || r.id === 'wengert-jit')) {
    if (!(w.error || Object.values(w.cells ?? {}).some((c) => c.status === 'error' || c.valid === false))) continue
    bad = true
    process.stderr.write(`${w.id} column: ${w.error ? 'FAILED to load' : 'errors or wrong results'} (exit code 1)\n`)
  }
  process.exitCode = bad ? 1 : 0
  if (args.memory && runMemoryCheck() !== 0) process.exitCode = 1
}

if (args.child) {
  const out = await child(args.child)
  process.stdout.write(`@@RESULT ${JSON.stringify(out)}\n`, () => process.exit(0))
} else {
  await parent()
}
