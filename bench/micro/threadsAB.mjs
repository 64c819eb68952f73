// Threaded workloads (W1 256² and 512², W2 eager, W4 eager) against one thread and against another
// source tree, in one process, calls interleaved round by round so that a noisy neighbour hurts
// every cell alike:
//   npx tsx bench/micro/threadsAB.mjs --trees=new:2,base:2,one:1 --base=/path/base --one=/path/copy
//       [--workloads=W1-256,W1-512,W2,W4] [--rounds=60] [--busy] [--tasks]
// Each tree is `name:threads`: `new` is this tree, any other name the root given as --name=DIR (a
// tree loaded twice must be two copies: one module instance per path). --busy runs a process
// spinning on one core beside the measurement (the busy-machine check). Prints per cell the wall
// minimum, p25 and median ms per call and the median CPU ms per call (every thread of the process);
// --tasks also lists the process's threads that ran > 0.2 s (V8's GC and compiler threads, helpers).
// `one` as a copy of the base tree: `mkdir /tmp/one && cp -r BASE/src /tmp/one && ln -s
// BASE/node_modules /tmp/one/node_modules` (the one-thread path is the same in both trees).
import { busySpinner } from '../lib/spinner.mjs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { matmulOf, mlpOf, opt, rand } from './benchCommon.mjs'

const here = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..')
const trees = opt('trees', 'new:2,one:1')
  .split(',')
  .map((t) => t.split(':'))
const names = opt('workloads', 'W1-256,W1-512,W2,W4').split(',')
const rounds = Number(opt('rounds', '60'))
const busy = process.argv.includes('--busy')

const workloads = {
  'W1-256': (W) => matmulOf(W, 256),
  'W1-512': (W) => matmulOf(W, 512),
  W2: (W) => mlpOf(W),
  W4: (W) => {
    const x = W.array(rand(1e6, -3, 3, 7), { shape: [1e6], dtype: 'float32' })
    const g = W.grad((x) => W.sum(W.mul(W.tanh(x), x)))
    return () => g(x).toTypedArray()
  },
}

const cells = []
for (const [name, threads] of trees) {
  const root = name === 'new' ? here : path.resolve(opt(name, ''))
  const W = await import(pathToFileURL(path.join(root, 'src/index.ts')).href)
  W.setNumThreads(Number(threads))
  for (const w of names) cells.push({ w, key: `${name}:${threads}`, f: workloads[w](W) })
}
const cpuNow = () => {
  const c = process.cpuUsage()
  return (c.user + c.system) / 1000
}
// warm-up: ~0.7 s per cell, pauses so that helper threads boot
for (const c of cells) {
  const t0 = performance.now()
  while (performance.now() - t0 < 700) c.f()
  await new Promise((r) => setTimeout(r, 50))
}
const load0 = (await import('node:os')).loadavg()[0]
const spinner = busy ? busySpinner() : null
await new Promise((r) => setTimeout(r, 100))
const wall = new Map(),
  cpu = new Map()
try {
  for (let r = 0; r < rounds; r++)
    for (const c of cells)
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now(),
          c0 = cpuNow()
        c.f()
        const id = `${c.w} ${c.key}`
        ;(wall.get(id) ?? wall.set(id, []).get(id)).push(performance.now() - t0)
        ;(cpu.get(id) ?? cpu.set(id, []).get(id)).push(cpuNow() - c0)
      }
} finally {
  spinner?.kill()
}
const q = (v, p) => [...v].sort((a, b) => a - b)[Math.floor(p * (v.length - 1))].toFixed(2)
console.log(
  `load ${load0.toFixed(1)} → ${(await import('node:os')).loadavg()[0].toFixed(1)}${busy ? ', one core busy' : ''}, ${rounds} rounds × 3 calls`,
)
for (const [id, v] of wall)
  console.log(
    `${id.padEnd(16)} wall min ${q(v, 0)} p25 ${q(v, 0.25)} med ${q(v, 0.5)} ms; cpu med ${q(cpu.get(id), 0.5)}`,
  )
if (process.argv.includes('--tasks')) {
  const fs = await import('node:fs')
  for (const t of fs.readdirSync('/proc/self/task')) {
    const ss = fs.readFileSync(`/proc/self/task/${t}/schedstat`, 'utf8').split(' ').map(Number)
    const comm = fs.readFileSync(`/proc/self/task/${t}/comm`, 'utf8').trim()
    if (ss[0] > 2e8)
      console.log(`  task ${t} ${comm}: cpu ${(ss[0] / 1e6).toFixed(0)} ms, runq wait ${(ss[1] / 1e6).toFixed(0)} ms`)
  }
}
process.exit(0)
