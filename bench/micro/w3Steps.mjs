// Micro benchmark for W3 (gradient of 1000 chained scalar float32 ops: x = 0.99·x + exp(−0.5·x),
// 250 times), eager and under jit, over one or two source trees in one process, with the eager
// step split into its parts: the plain chain (no transform), the chain recorded by vjp (the
// forward part of the gradient) and the backward sweep alone (a kept vjp pullback). Cells run in
// interleaved batches of calls; each batch's CPU time (GC included) over its 1000·calls ops is
// one sample, reported as the minimum and p25 over batches: on a shared machine the low
// percentiles of CPU time are the closest to a quiet run.
//   npx tsx bench/micro/w3Steps.mjs [--base=/path/to/other/root] [--batches=40] [--calls=10]
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { opt, roots } from './benchCommon.mjs'

const batches = Number(opt('batches', '40'))
const calls = Number(opt('calls', '10'))
const steps = 250 // 4 ops per step
const ops = 4 * steps

/** The cells of one source tree (its src/index.ts), each returning a number to check. */
const cellsOf = (W) => {
  const x0 = W.array(0.3, { dtype: 'float32' })
  const one = W.array(1, { dtype: 'float32' })
  const chain = (x) => {
    for (let s = 0; s < steps; s++) x = W.add(W.mul(x, 0.99), W.exp(W.mul(x, -0.5)))
    return x
  }
  const g = W.grad(chain)
  const gj = W.jit(g)
  const pull = W.vjp(chain, x0)[1]
  return {
    eager: () => g(x0).item(),
    jit: () => gj(x0).item(),
    'plain fwd': () => chain(x0).item(),
    'vjp fwd': () => W.vjp(chain, x0)[0].item(),
    pullback: () => pull(one)[0].item(),
  }
}

const cells = []
for (const [name, root] of roots) {
  const W = await import(pathToFileURL(path.join(root, 'src/index.ts')).href)
  for (const [k, f] of Object.entries(cellsOf(W))) cells.push([`${name} ${k}`, f])
}
// warm-up; every cell must give the same result on every call
const first = new Map()
for (let i = 0; i < 200; i++)
  for (const [k, f] of cells) {
    const v = f()
    if (!first.has(k)) first.set(k, v)
    else if (first.get(k) !== v) throw new Error(`${k}: result changed from ${first.get(k)} to ${v}`)
  }
const per = {}
for (let b = 0; b < batches; b++)
  for (const [k, f] of cells) {
    const c0 = process.cpuUsage()
    for (let i = 0; i < calls; i++) f()
    const c = process.cpuUsage(c0)
    ;(per[k] ??= []).push(((c.user + c.system) / (calls * ops)) * 1000)
  }
const q = (v, p) => [...v].sort((a, b) => a - b)[Math.floor(p * (v.length - 1))]
for (const [k, v] of Object.entries(per))
  console.log(`W3 ${k.padEnd(15)} cpu per op: min ${q(v, 0).toFixed(0)} ns, p25 ${q(v, 0.25).toFixed(0)} ns`)
