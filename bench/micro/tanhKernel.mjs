// Micro benchmark of the float32 tanh SIMD kernel alone (one thread): CPU ns per element over
// 10⁶ values in [-2, 2) (W4's data) and over [-12, 12), interleaved over one or two source trees.
//   npx tsx bench/micro/tanhKernel.mjs [--base=/path/to/other/root] [--rounds=40]
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { opt, rand, roots } from './benchCommon.mjs'

const n = 1_000_000
const rounds = Number(opt('rounds', '40'))
const inputs = [
  ['[-2,2)', rand(n, -2, 2, 4)],
  ['[-12,12)', rand(n, -12, 12, 5)],
]
const cells = []
for (const [name, root] of roots) {
  const E = await import(pathToFileURL(path.join(root, 'src/ndarray/kernels/wasm/simdElementwise.ts')).href)
  for (const [range, x] of inputs) {
    const out = new Float32Array(n)
    cells.push({ key: `${name} ${range}`, f: () => E.unaryWasm('tanh', x, out), best: Infinity })
  }
}
for (const c of cells) for (let i = 0; i < 5; i++) c.f()
for (let r = 0; r < rounds; r++) {
  for (const c of cells) {
    const c0 = process.cpuUsage()
    c.f()
    const u = process.cpuUsage(c0)
    c.best = Math.min(c.best, (u.user + u.system) * 1000)
  }
}
for (const c of cells)
  console.log(`tanh f32 ${c.key.padEnd(16)} ${(c.best / n).toFixed(3)} ns/element (CPU min of ${rounds})`)
