// Micro benchmark for W3 on the facade (issue 18: within 1.3× of the core): the bench's chain
// (x = 0.99·x + exp(−0.5·x), 250 steps, 4 ops each) written as PyTorch code, over built trees
// (each root's dist/, as the bench loads them: `npm run build` first), with the facade's forward
// (recording) and backward timed apart, and the core's eager grad as the reference. Interleaved
// batches of calls; per cell, the minimum and p25 of the batches' CPU time per op (GC included).
// With --from=src the trees' sources are loaded instead (run under `node --import tsx`: no build).
//   node bench/micro/w3Facade.mjs [--base=/other/root] [--batches=40] [--calls=10] [--from=src]
// s22 (facadew5, loaded host, `chrt -r 10`, 40 batches × 5 calls, CPU minima / p25 per op, a02510a → d0f9c7e):
// facade 608 / 657 → 595 / 634 ns, its backward 259 / 281 → 235 / 272, its forward 318 / 337 → 327 / 346.
// s23 (facadew6, load ~19, `chrt -r 10`, 30 batches × 5 calls, CPU minima per op, e16f875 → 07a4c4b):
// facade 671 → 635 ns, forward 402 → 376, backward 241 → 234 (a second run at load ~40 was not stable).
// s24 (facadew7, load ~11, `chrt -r 10`, 60 batches × 5 calls, CPU minima per op, 647b335 → 3fd0a08):
// forward 354/349 → 336/337 ns (the keyword guard no longer makes an arguments object: 1026 → 976
// bytes per op), backward unchanged (a kept-priority ready queue measured slower and was reverted).
// Where a facade op's ~610 ns go (one process, CPU minima per op): the core's grad is 262 ns, its
// eager forward alone 71; the facade's forward under no_grad (dispatch and tensors, no recording)
// 147; recording adds ~195 (forward 342); the backward ~290. A --cpu-prof of 4000 calls (profiled
// times ~2× real): GC 15 % of the work; recordValue's own code (node, edge and value lists) 12 %;
// the numeric rule 8 %; discover and the sweep 8 % each, mostly cache misses reading nodes
// (`n._passId`, `edges[i][0]`). 1.3× of the core (~340 ns) is what the facade's forward alone costs:
// only recording on a compact tape (no node, edge or tensor object per op) can reach it.
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { opt, roots } from './benchCommon.mjs'

const batches = Number(opt('batches', '40'))
const calls = Number(opt('calls', '10'))
const steps = 250
const ops = 4 * steps
const cpu = () => {
  const c = process.cpuUsage()
  return c.user + c.system
}

/** The cells of one built tree: each adds its CPU µs to `acc[name]` and returns a number to check. */
const cellsOf = async (name, root) => {
  const src = opt('from', 'dist') === 'src'
  const file = (m) => path.join(root, src ? `src/${m}.ts` : `dist/esm/src/${m}.js`)
  const W = await import(pathToFileURL(file('index')).href)
  const torch = await import(pathToFileURL(file('torch/index')).href)
  const x0 = W.array(0.3, { dtype: 'float32' })
  const g = W.grad((x) => {
    for (let s = 0; s < steps; s++) x = W.add(W.mul(x, 0.99), W.exp(W.mul(x, -0.5)))
    return x
  })
  const fwd = () => {
    const x0t = torch.tensor(0.3, { requires_grad: true })
    let x = x0t
    for (let s = 0; s < steps; s++) x = x.mul(0.99).add(x.mul(-0.5).exp())
    return [x0t, x]
  }
  return [
    [`${name} core`, () => g(x0).item(), null],
    [
      `${name} facade`,
      () => {
        const [x0t, x] = fwd()
        x.backward()
        return x0t.grad.item()
      },
      null,
    ],
    // forward and backward of one call timed apart (their sum is one facade call)
    [
      `${name} fwd|bwd`,
      (acc) => {
        const t0 = cpu()
        const [x0t, x] = fwd()
        const t1 = cpu()
        x.backward()
        const t2 = cpu()
        acc.f += t1 - t0
        acc.b += t2 - t1
        return x0t.grad.item()
      },
      true,
    ],
  ]
}

const cells = []
for (const [name, root] of roots) cells.push(...(await cellsOf(name, root)))
const first = new Map()
const dummy = { f: 0, b: 0 }
for (let i = 0; i < 100; i++)
  for (const [k, f] of cells) {
    const v = f(dummy)
    if (!first.has(k)) first.set(k, v)
    else if (first.get(k) !== v) throw new Error(`${k}: result changed from ${first.get(k)} to ${v}`)
  }
const per = {}
for (let b = 0; b < batches; b++)
  for (const [k, f, split] of cells) {
    if (split) {
      const acc = { f: 0, b: 0 }
      for (let i = 0; i < calls; i++) f(acc)
      ;(per[`${k.split(' ')[0]} fwd`] ??= []).push((acc.f / (calls * ops)) * 1000)
      ;(per[`${k.split(' ')[0]} bwd`] ??= []).push((acc.b / (calls * ops)) * 1000)
      continue
    }
    const c0 = cpu()
    for (let i = 0; i < calls; i++) f()
    ;(per[k] ??= []).push(((cpu() - c0) / (calls * ops)) * 1000)
  }
const q = (v, p) => [...v].sort((a, b) => a - b)[Math.floor(p * (v.length - 1))]
for (const [k, v] of Object.entries(per))
  console.log(`W3 ${k.padEnd(14)} cpu per op: min ${q(v, 0).toFixed(0)} ns, p25 ${q(v, 0.25).toFixed(0)} ns`)
