// Control-flow workloads (issue 12): lax.scan of a small RNN cell and jit(grad) of a foriLoop chain.
//   npx tsx bench/micro/controlFlow.mjs [--steps=10000] [--chain=100000]
// Prints compile (first call, i.e. trace + compile + one run) and replay times (median of runs).
// Wall-clock on a shared machine: quote medians and expect noise.
import { jit, grad, lax, array, add, mul, exp, tanh, matmul, sum, reshape } from '../../src/index.ts'

const args = process.argv.slice(2)
const opt = (k, d) => Number((args.find((a) => a.startsWith(`--${k}=`)) ?? `=${d}`).split('=')[1])
const STEPS = opt('steps', 10000)
const CHAIN = opt('chain', 100000)

const data = (seed, shape) => {
  const n = shape.reduce((a, b) => a * b, 1)
  return reshape(array(Array.from({ length: n }, (_, i) => 0.3 * Math.sin(seed * 7.3 + i * 1.7))), shape)
}
const H = 16
const p = { W: data(1, [H, H]), U: data(2, [8, H]), b: data(3, [H]) }
const cell = (p) => (h, x) => {
  const h2 = tanh(add(add(matmul(h, p.W), matmul(x, p.U)), p.b))
  return [h2, h2]
}
const h0 = data(4, [1, H])
const xsOf = (n) => data(5, [n, 1, 8])

const time = (f) => {
  const t = performance.now()
  f()
  return performance.now() - t
}
const median = (f, runs = 5) => {
  const ts = Array.from({ length: runs }, () => time(f)).sort((a, b) => a - b)
  return ts[Math.floor(runs / 2)]
}
const ms = (x) => `${x.toFixed(1)} ms`

const rows = []
const fig = {} // the target ratios, printed at the end
const scanFwd = (p, h, xs) => lax.scan(cell(p), h, xs)[0]
const scanLoss = (p, h, xs) => sum(lax.scan(cell(p), h, xs)[1])
for (const n of [10, STEPS]) {
  const xs = xsOf(n)
  const f = jit(scanFwd)
  const compile = time(() => f(p, h0, xs))
  const replay = median(() => f(p, h0, xs))
  const g = jit(grad(scanLoss))
  const gCompile = time(() => g(p, h0, xs))
  const gReplay = median(() => g(p, h0, xs))
  fig[n] = { compile, replay, gCompile, gReplay }
  rows.push([`scan RNN ${n} steps: jit forward`, ms(compile), ms(replay)])
  rows.push([`scan RNN ${n} steps: jit(grad)`, ms(gCompile), ms(gReplay)])
}
{
  const xs = xsOf(STEPS)
  const eager = median(() => {
    let h = h0
    const c = cell(p)
    for (let t = 0; t < STEPS; t++) h = c(h, xsAt(xs, t))[0]
  }, 3)
  fig.eager = eager
  rows.push([`eager JS loop ${STEPS} steps (same cell)`, '', ms(eager)])
  const eagerScan = median(() => scanFwd(p, h0, xs), 3)
  rows.push([`eager lax.scan ${STEPS} steps`, '', ms(eagerScan)])
}
function xsAt(xs, t) {
  return new xs.constructor([1, 8], xs.dtype, xs._data.subarray(t * 8, t * 8 + 8))
}
{
  // the W3 chain x <- 0.99 x + exp(-0.5 x) written as a foriLoop: CHAIN/4 steps of 4 ops
  const n = CHAIN / 4
  const chain = (x) => lax.foriLoop(0, n, (_i, y) => add(mul(y, 0.99), exp(mul(y, -0.5))), x)
  const g = jit(grad(chain))
  const x = array(0.5)
  const compile = time(() => g(x))
  const replay = median(() => g(x))
  const eager = median(
    () =>
      grad((x) => {
        let y = x
        for (let i = 0; i < n; i++) y = add(mul(y, 0.99), exp(mul(y, -0.5)))
        return y
      })(x),
    3,
  )
  fig.chain = compile
  rows.push([`jit(grad) foriLoop chain ${CHAIN} ops`, ms(compile), ms(replay)])
  rows.push([`eager grad of the JS loop ${CHAIN} ops`, '', ms(eager)])
}
console.log('| workload | first call (trace+compile+run) | replay (median) |')
console.log('|---|---|---|')
for (const r of rows) console.log(`| ${r.join(' | ')} |`)
const big = fig[STEPS]
console.log(
  `\ntargets: replay ${STEPS} / eager loop = ${(big.replay / fig.eager).toFixed(2)} (≤ 1); ` +
    `first call ${STEPS} / first call 10 = ${(big.compile / fig[10].compile).toFixed(1)} (≤ 2); ` +
    `jit(grad) replay / forward replay = ${(big.gReplay / big.replay).toFixed(2)} (≤ 3); ` +
    `foriLoop chain first call ${fig.chain.toFixed(0)} ms (≤ 100)`,
)
