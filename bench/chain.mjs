#!/usr/bin/env node
// Issue 18's long-chain check: a chain of 10⁵ recorded ops (W3's step x ← 0.99·x + exp(−0.5·x), 4 ops,
// 25,000 times, on a 0-d float32 value) differentiated once, by the functional core (`vjp`) and by
// the PyTorch facade (`backward()`). Per side, in a child process of its own (--expose-gc):
//   time     CPU time of the forward + backward (the minimum of --rounds, after one warm-up round)
//   graph    JS heap the recorded graph keeps alive between forward and backward (after a full GC)
//   peak     the process's peak RSS over the rounds, less its RSS before the first one
// Target (issue 18): the facade within 3× of the core in time and 2× in memory.
//
//   node chain.mjs [--ops=100000] [--rounds=5] [--root=DIR]    DIR: another wengert package root
import { spawnSync } from 'node:child_process'
import { fileURLToPath, pathToFileURL } from 'node:url'
import path from 'node:path'

const arg = (name, dflt) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt
const ops = Number(arg('ops', '100000'))
const rounds = Number(arg('rounds', '5'))
const root = path.resolve(arg('root', new URL('./node_modules/wengert', import.meta.url).pathname))
const side = arg('side', '')

const child = async () => {
  const W = await import(pathToFileURL(path.join(root, 'dist/esm/src/index.js')).href)
  const torch = await import(pathToFileURL(path.join(root, 'dist/esm/src/torch/index.js')).href)
  const steps = ops / 4
  const chain = (mul, add, exp) => (x) => {
    for (let s = 0; s < steps; s++) x = add(mul(x, 0.99), exp(mul(x, -0.5)))
    return x
  }
  /** Forward; returns [the graph's holder, backward()]. */
  const forward =
    side === 'core'
      ? () => {
          const [y, pull] = W.vjp(chain(W.mul, W.add, W.exp), W.array(0.3, { dtype: 'float32' }))
          return [y, () => pull(W.onesLike(y))[0].item()]
        }
      : () => {
          const x0 = torch.tensor(0.3, { requires_grad: true })
          const y = chain(
            (a, b) => a.mul(b),
            (a, b) => a.add(b),
            (a) => a.exp(),
          )(x0)
          return [y, () => (y.backward(), x0.grad.item())]
        }
  const rss0 = process.memoryUsage().rss
  let best = Infinity
  let graph = 0
  let g = 0
  for (let r = 0; r <= rounds; r++) {
    globalThis.gc()
    const h0 = process.memoryUsage().heapUsed
    const t0 = process.cpuUsage()
    const [, back] = forward()
    const t1 = process.cpuUsage(t0)
    globalThis.gc()
    graph = Math.max(graph, process.memoryUsage().heapUsed - h0)
    const t2 = process.cpuUsage()
    g = back()
    const t3 = process.cpuUsage(t2)
    const ms = (t1.user + t1.system + t3.user + t3.system) / 1000
    if (r > 0) best = Math.min(best, ms)
  }
  const peak = process.resourceUsage().maxRSS * 1024 - rss0
  console.log(JSON.stringify({ side, ms: best, graphMB: graph / 2 ** 20, peakMB: peak / 2 ** 20, grad: g }))
}

if (side !== '') await child()
else {
  const me = fileURLToPath(import.meta.url)
  const res = {}
  for (const s of ['core', 'facade']) {
    const p = spawnSync(
      process.execPath,
      ['--expose-gc', '--stack-size=8000', me, `--side=${s}`, ...process.argv.slice(2)],
      {
        encoding: 'utf8',
      },
    )
    if (p.status !== 0) throw new Error(p.stderr)
    res[s] = JSON.parse(p.stdout.trim().split('\n').pop())
  }
  const { core, facade } = res
  const f = (x) => x.toFixed(1)
  console.log(`chain of ${ops} ops (root ${root}), min of ${rounds} rounds`)
  console.log(`            time (ms CPU)  graph (MB heap)  peak RSS (MB)  gradient`)
  for (const [k, r] of Object.entries(res))
    console.log(
      `${k.padEnd(10)}  ${f(r.ms).padStart(13)}  ${f(r.graphMB).padStart(15)}  ${f(r.peakMB).padStart(13)}  ${r.grad}`,
    )
  console.log(
    `facade/core  ${(facade.ms / core.ms).toFixed(2)}× time (target ≤ 3×), ${(facade.graphMB / core.graphMB).toFixed(2)}× graph, ${(facade.peakMB / core.peakMB).toFixed(2)}× peak RSS (target ≤ 2×)`,
  )
}
