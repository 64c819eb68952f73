// Page faults and CPU time per W4 call (gradient of Σ tanh(x)·x over 10⁶ float32), eager, under
// jit and through the facade (`tanh(x).mul(x).sum().backward()`), each with the benchmark's
// read-back copy. A fresh process per cell (the C allocator's state is the process's), cells of
// the trees alternating, `--runs` times: per cell the minor+major page faults, CPU and wall ms per
// call as p10/p50/p90/p99 over `--calls` calls after 1 s of warm-up, and how many calls took > 100
// faults (a 4 MB buffer mapped afresh is ~980). Over the built packages (dist/): `npm run build`.
//   node bench/micro/w4Faults.mjs [--base=/path/to/other/root] [--calls=200] [--runs=2]
//     [--modes=eager,jit,facade] [--readback=1] [--threads=2]
//   W4FAULTS_FLAGS="--max-semi-space-size=16" passes V8 flags to the cells (not allowed in NODE_OPTIONS)
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { opt, rand, roots } from './benchCommon.mjs'

const cell = process.env.W4FAULTS_CELL
if (cell === undefined) {
  const modes = opt('modes', 'eager,jit,facade').split(',')
  for (let r = 0; r < Number(opt('runs', '2')); r++)
    for (const mode of modes)
      for (const [name, root] of roots) {
        const env = { ...process.env, W4FAULTS_CELL: JSON.stringify({ name, root, mode }) }
        const out = execFileSync(
          process.execPath,
          [
            ...(process.env.W4FAULTS_FLAGS ?? '').split(' ').filter(Boolean),
            fileURLToPath(import.meta.url),
            ...process.argv.slice(2),
          ],
          { env },
        )
        process.stdout.write(out)
      }
} else {
  const { name, root, mode } = JSON.parse(cell)
  const W = await import(pathToFileURL(path.join(root, 'dist/esm/src/index.js')).href)
  W.setNumThreads(Number(opt('threads', '2')))
  const n = 1_000_000
  const d = rand(n, -2, 2, 4)
  const readback = opt('readback', '1') === '1'
  let run
  if (mode === 'facade') {
    const torch = await import(pathToFileURL(path.join(root, 'dist/esm/src/torch/index.js')).href)
    const X = torch.tensor(d.slice()).requires_grad_()
    run = () => {
      X.grad = null
      torch.tanh(X).mul(X).sum().backward()
      return readback ? X.grad.detach().contiguous().numpy().toTypedArray() : X.grad
    }
  } else {
    const X = W.array(d.slice(), { shape: [n], dtype: 'float32' })
    const g0 = W.grad((t) => W.sum(W.mul(W.tanh(t), t)))
    const g = mode === 'jit' ? W.jit(g0) : g0
    run = () => (readback ? g(X).toTypedArray() : g(X))
  }
  const t0 = performance.now()
  while (performance.now() - t0 < 1000) run()
  const calls = Number(opt('calls', '200'))
  const faults = []
  const cpu = []
  const wall = []
  for (let i = 0; i < calls; i++) {
    const a = process.resourceUsage()
    const c0 = process.cpuUsage()
    const w0 = performance.now()
    run()
    const w1 = performance.now()
    const c = process.cpuUsage(c0)
    const b = process.resourceUsage()
    faults.push(b.minorPageFault - a.minorPageFault + b.majorPageFault - a.majorPageFault)
    cpu.push((c.user + c.system) / 1000)
    wall.push(w1 - w0)
  }
  const pct = (xs, digits) => {
    const s = [...xs].sort((x, y) => x - y)
    return [0.1, 0.5, 0.9, 0.99]
      .map((p) => s[Math.min(s.length - 1, Math.floor(p * s.length))].toFixed(digits))
      .join('/')
  }
  const heavy = faults.filter((f) => f > 100).length
  const mean = faults.reduce((x, y) => x + y, 0) / calls
  console.log(
    `W4 ${name.padEnd(4)} ${mode.padEnd(6)} faults p10/50/90/99 ${pct(faults, 0)} (mean ${mean.toFixed(0)}, > 100: ${heavy}/${calls}); ` +
      `CPU ms ${pct(cpu, 2)}; wall ms ${pct(wall, 2)}; calls > 3 ms wall ${wall.filter((w) => w > 3).length}/${calls}; heavy calls at #${faults.flatMap((f, i) => (f > 100 ? [i] : [])).join(',')}`,
  )
}
