// Micro benchmark for the float32 fused pointwise ops (src/ndarray/kernels/wasm/simdFma32): the
// cost per element of an Adam step, an SGD step (`p.add_(grad, alpha=-lr)`) and single
// addcmul / lerp / add-with-alpha calls on wengert/torch, over one or two source trees in one
// process (`--base=` the tree before). Each sample runs enough calls for ~1 ms; samples of every
// cell are interleaved over `--rounds` rounds and the CPU-time minimum per element is printed.
//   npx tsx bench/micro/fma32Steps.mjs [--base=/path/to/other/root] [--rounds=30] [--sizes=200704,1179648]
//   [--kinds=adam,sgd,addcmul,lerp,axpy] [--nowasm] (--nowasm: this tree's TypeScript loops)
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { opt, rand, roots } from './benchCommon.mjs'

const rounds = Number(opt('rounds', '30'))
// W2's 784×256 and 256, W6's 9216×128 and 32×64×3×3, W8's 512×128, 384×128, 128×128, 64×128; small ones
const sizes = opt('sizes', '200704,1179648,18432,65536,49152,16384,8192,1027,256,64').split(',').map(Number)
const kinds = opt('kinds', 'adam,sgd,addcmul,lerp,axpy').split(',')

const cellsOf = async (name, root) => {
  const torch = await import(pathToFileURL(path.join(root, 'src/torch/index.ts')).href)
  if (name === 'new' && process.argv.includes('--nowasm')) {
    const pf = await import(pathToFileURL(path.join(root, 'src/torch/methods/pointwiseFused.ts')).href)
    pf.useFma32Wasm(false)
  }
  const cells = []
  for (const n of sizes) {
    const t = (seed) => torch.tensor(Array.from(rand(n, -1, 1, seed)), { dtype: torch.float32 })
    const [a, b] = [t(2), t(3).abs().add(0.5)]
    for (const kind of kinds) {
      let f
      if (kind === 'adam' || kind === 'sgd') {
        const p = t(1).requires_grad_()
        const opt2 = kind === 'adam' ? torch.optim.Adam([p], { lr: 1e-3 }) : torch.optim.SGD([p], { lr: 0.1 })
        p.grad = t(4).mul(0.01)
        f = () => opt2.step()
      } else {
        const x = t(1)
        f =
          kind === 'addcmul'
            ? () => x.addcmul(a, b, { value: 0.001 })
            : kind === 'lerp'
              ? () => x.lerp(a, 0.1)
              : () => x.add(a, { alpha: -0.1 })
      }
      cells.push({ key: `${kind} ${n} ${name}`, n, f })
    }
  }
  return cells
}

const cells = []
for (const [name, root] of roots) cells.push(...(await cellsOf(name, root)))
const cpuMs = () => {
  const c = process.cpuUsage()
  return (c.user + c.system) / 1000
}
// calls per sample: about 1 ms of work
for (const c of cells) {
  const t0 = cpuMs()
  for (let i = 0; i < 5; i++) c.f()
  c.reps = Math.max(1, Math.round(5 / Math.max(cpuMs() - t0, 0.005)))
  c.best = Infinity
}
for (let r = 0; r < rounds; r++)
  for (const c of cells) {
    const t0 = cpuMs()
    for (let i = 0; i < c.reps; i++) c.f()
    c.best = Math.min(c.best, (cpuMs() - t0) / c.reps)
  }
for (const c of cells)
  console.log(
    `${c.key.padEnd(22)} ${((c.best * 1e6) / c.n).toFixed(2).padStart(8)} ns/elem  (${(c.best * 1000).toFixed(1)} µs)`,
  )
