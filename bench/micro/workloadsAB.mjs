// The bench's own workloads (lib/common.mjs through adapters/wengert.mjs) on several wengert trees
// and thread counts in one process, calls interleaved round by round so that a noisy neighbour hurts
// every cell alike (threadsAB.mjs does the same for four hand-written workloads):
//   npx tsx bench/micro/workloadsAB.mjs --trees=new:2,one:1 --one=DIR [--base=DIR]
//       [--workloads=W1,W9] [--rounds=20] [--busy]
// A tree is `name:threads`; `new` is this tree, any other name the package root given as --name=DIR.
// Every root is imported from its `src/` (tsx runs the TypeScript): the adapter reads the root's
// package.json, so a root here is a folder holding `src` (a link or a copy) and a package.json whose
// exports point at ./src/index.ts (made on the fly in /tmp for this tree). A tree loaded twice must be
// two copies (one module instance per real path). --busy runs a process spinning on one core beside
// the measurement. Prints per cell the wall minimum, p25 and median ms per call and the median CPU
// ms per call (every thread of the process).
import { mkdirSync, symlinkSync, writeFileSync, existsSync } from 'node:fs'
import path from 'node:path'
import { busySpinner } from '../lib/spinner.mjs'
import { opt } from './benchCommon.mjs'
import { WORKLOADS } from '../lib/common.mjs'
import create from '../adapters/wengert.mjs'

const here = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..')
const trees = opt('trees', 'new:2,one:1')
  .split(',')
  .map((t) => t.split(':'))
const prefixes = opt('workloads', 'W1,W2,W4,W9').split(',')
const rounds = Number(opt('rounds', '20'))
const busy = process.argv.includes('--busy')
const chosen = WORKLOADS.filter((w) => prefixes.some((p) => w.id === p || w.id.startsWith(`${p}-`)))

/** A package root for `src` whose exports point at its TypeScript entry. */
const shim = (name, root) => {
  const dir = `/tmp/workloadsAB-${process.pid}-${name}`
  mkdirSync(dir, { recursive: true })
  if (!existsSync(path.join(dir, 'src'))) symlinkSync(path.join(root, 'src'), path.join(dir, 'src'))
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ version: name, exports: { '.': './src/index.ts' } }))
  return dir
}

const cells = []
for (const [name, threads] of trees) {
  const root = name === 'new' ? here : path.resolve(opt(name, ''))
  const adapter = await create({ threads: Number(threads), base: shim(name, root) })
  for (const w of chosen) {
    const prepared = await adapter.workloads[w.kind](w.make())
    cells.push({
      w: w.id.replace(/-(step|ewise|mlp|lstm|hmc|gpt|cnn)\b.*/, ''),
      key: `${name}:${threads}`,
      run: () => prepared.run(),
    })
  }
}
const cpuNow = () => {
  const c = process.cpuUsage()
  return (c.user + c.system) / 1000
}
// warm-up: ~1 s per cell, pauses so that helper threads boot
for (const c of cells) {
  const t0 = performance.now()
  while (performance.now() - t0 < 1000) await c.run()
  await new Promise((r) => setTimeout(r, 50))
}
// calls per sample: a sample lasts at least ~2 ms
for (const c of cells) {
  const t0 = performance.now()
  await c.run()
  c.calls = Math.max(1, Math.ceil(2 / Math.max(1e-3, performance.now() - t0)))
}
const os = await import('node:os')
const load0 = os.loadavg()[0]
const spinner = busy ? busySpinner() : null
await new Promise((r) => setTimeout(r, 100))
const wall = new Map()
const cpu = new Map()
const push = (m, k, v) => (m.get(k) ?? m.set(k, []).get(k)).push(v)
try {
  for (let r = 0; r < rounds; r++)
    for (const c of cells)
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now()
        const c0 = cpuNow()
        for (let j = 0; j < c.calls; j++) await c.run()
        push(wall, `${c.w} ${c.key}`, (performance.now() - t0) / c.calls)
        push(cpu, `${c.w} ${c.key}`, (cpuNow() - c0) / c.calls)
      }
} finally {
  spinner?.kill()
}
const q = (v, p) => {
  const x = [...v].sort((a, b) => a - b)[Math.floor(p * (v.length - 1))]
  return x < 1 ? x.toFixed(3) : x.toFixed(2)
}
console.log(
  `load ${load0.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}${busy ? ', one core busy' : ''}, ${rounds} rounds × 3 samples`,
)
for (const [id, v] of wall)
  console.log(
    `${id.padEnd(24)} wall min ${q(v, 0)} p25 ${q(v, 0.25)} med ${q(v, 0.5)} ms; cpu min ${q(cpu.get(id), 0)} med ${q(cpu.get(id), 0.5)}`,
  )
process.exit(0)
