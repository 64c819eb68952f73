// Issue 12's two scan ratios, in CPU time, for this source tree and optionally another one in the
// same process (before/after on a loaded machine):
//   npx tsx bench/micro/scanTargets.mjs [--base=/path/to/other/src] [--repeat=7] [--steps=10000]
// The RNN of the CF1 workloads (hidden 16, input 8, float32): jit's compile time (`lower`: trace
// and stage, no run) of a 10⁴-step scan ÷ that of a 10-step scan (target ≤ 2), the first calls
// (compile and run) for comparison, and the replay of jit(grad) of the sum of
// the states ÷ the replay of the forward (target ≤ 3). Each first call uses a fresh jit (and a
// fresh body), the rounds alternate the trees, figures are medians.
import path from 'node:path'
import { pathToFileURL } from 'node:url'

const args = process.argv.slice(2)
const opt = (k, d) => args.find((a) => a.startsWith(`--${k}=`))?.split('=')[1] ?? d
const REPEAT = Number(opt('repeat', 7))
const STEPS = Number(opt('steps', 10000))
const here = new URL('../../src/index.ts', import.meta.url).href
const base = opt('base', undefined)
const trees = [['this', await import(here)]]
if (base !== undefined) trees.unshift(['base', await import(pathToFileURL(path.join(base, 'index.ts')).href)])

const cpu = (f) => {
  const t = process.cpuUsage()
  f()
  const d = process.cpuUsage(t)
  return (d.user + d.system) / 1000
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const uniform = (n, seed) => Array.from({ length: n }, (_, i) => 0.3 * Math.sin(seed * 7.3 + i * 1.7))

const setup = (W) => {
  const f32 = (seed, shape) =>
    W.array(
      uniform(
        shape.reduce((a, b) => a * b, 1),
        seed,
      ),
      { shape, dtype: 'float32' },
    )
  const p = { W: f32(1, [16, 16]), U: f32(2, [8, 16]), b: f32(3, [16]) }
  const h0 = f32(4, [1, 16])
  const xs = { 10: f32(5, [10, 1, 8]), [STEPS]: f32(5, [STEPS, 1, 8]) }
  const states = (p, h, xs) =>
    W.lax.scan(
      (h, x) => {
        const h2 = W.tanh(W.add(W.add(W.matmul(h, p.W), W.matmul(x, p.U)), p.b))
        return [h2, h2]
      },
      h,
      xs,
    )
  const fwd = (p, h, xs) => states(p, h, xs)[0]
  const loss = (p, h, xs) => W.sum(states(p, h, xs)[1])
  return { W, p, h0, xs, fwd, loss }
}

const figures = trees.map(([name, W]) => ({
  name,
  s: setup(W),
  first10: [],
  firstN: [],
  lower10: [],
  lowerN: [],
  fwd: [],
  grad: [],
  out: null,
}))
for (let r = 0; r < REPEAT; r++) {
  for (const f of figures) {
    const { W, p, h0, xs, fwd, loss } = f.s
    f.lower10.push(cpu(() => W.jit(fwd).lower(p, h0, xs[10])))
    f.lowerN.push(cpu(() => W.jit(fwd).lower(p, h0, xs[STEPS])))
    f.first10.push(cpu(() => W.jit(fwd)(p, h0, xs[10])))
    let out
    f.firstN.push(cpu(() => (out = W.jit(fwd)(p, h0, xs[STEPS]))))
    f.out = out.toTypedArray()
    if (r === 0) {
      f.jf = W.jit(fwd)
      f.jg = W.jit(W.grad(loss))
      f.jf(p, h0, xs[STEPS])
      f.gOut = f.jg(p, h0, xs[STEPS]).W.toTypedArray()
    }
    f.fwd.push(cpu(() => f.jf(p, h0, xs[STEPS])))
    f.grad.push(cpu(() => f.jg(p, h0, xs[STEPS])))
  }
}
const same = (a, b) => a.length === b.length && a.every((x, i) => Object.is(x, b[i]))
console.log(`CPU ms, median of ${REPEAT}; RNN scan, ${STEPS} steps`)
console.log(
  '| tree | lower 10 | lower 10⁴ | ratio (≤ 2) | first call 10 | first call 10⁴ | ratio | fwd replay | grad replay | ratio (≤ 3) |',
)
console.log('|---|---|---|---|---|---|---|---|---|---|')
for (const f of figures) {
  const [l1, l2, a, b, c, d] = [f.lower10, f.lowerN, f.first10, f.firstN, f.fwd, f.grad].map(median)
  console.log(
    `| ${f.name} | ${l1.toFixed(2)} | ${l2.toFixed(2)} | ${(l2 / l1).toFixed(2)} | ${a.toFixed(2)} | ${b.toFixed(1)} | ${(b / a).toFixed(2)} | ${c.toFixed(1)} | ${d.toFixed(1)} | ${(d / c).toFixed(2)} |`,
  )
}
if (figures.length === 2) {
  const [x, y] = figures
  console.log(`same bits as base: forward ${same(x.out, y.out)}, grad ${same(x.gOut, y.gOut)}`)
}
