// Micro benchmark for W4 (gradient of Σ tanh(x)·x over 10⁶ float32), eager and under jit, on
// one or two threads, over one or two source trees in one process. Calls are timed one by one in
// interleaved rounds and the minimum and low percentiles are reported: on a shared machine the
// minimum is the closest to a quiet run (medians there mostly measure the neighbours). The
// phases are timed alone too: `fwd` is Σ tanh(x)·x, `bwd` a kept pullback (vjp) of it swept anew.
//   npx tsx bench/micro/w4Steps.mjs [--base=/path/to/other/root] [--threads=2] [--rounds=60]
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { opt, rand, reportRounds, roots } from './benchCommon.mjs'

const n = 1_000_000
const rounds = Number(opt('rounds', '60'))
const threads = Number(opt('threads', '2'))
const d = rand(n, -2, 2, 4)
const cells = []
for (const [name, root] of roots) {
  const W = await import(pathToFileURL(path.join(root, 'src/index.ts')).href)
  const T = await import(pathToFileURL(path.join(root, 'src/ndarray/kernels/wasm/threads.ts')).href)
  T.setNumThreads(threads)
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
reportRounds(cells, rounds, (k) => `W4 ${k.padEnd(12)} ${threads} thread(s)`)
