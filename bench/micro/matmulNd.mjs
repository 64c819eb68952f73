// N-D matmul through the facade (forward + backward of the sum), in CPU time, for this source tree
// and optionally another one in the same process (before/after on a loaded machine):
//   npx tsx bench/micro/matmulNd.mjs [--base=/path/to/other/src] [--repeat=9] [--reps=20]
// Shapes: a linear-like 3-D @ 2-D (fold into mm), attention-like 4-D @ 4-D (bmm), small and tiny
// 3-D @ 3-D (per-call overhead), a broadcast batch, and a forward-only product. Medians of rounds
// that alternate the trees.
import path from 'node:path'
import { pathToFileURL } from 'node:url'

const args = process.argv.slice(2)
const opt = (k, d) => args.find((a) => a.startsWith(`--${k}=`))?.split('=')[1] ?? d
const REPEAT = Number(opt('repeat', 9))
const REPS = Number(opt('reps', 20))
const load = async (src) => {
  await import(pathToFileURL(path.join(src, 'index.ts')).href)
  return import(pathToFileURL(path.join(src, 'torch', 'index.ts')).href)
}
const trees = [['this', await load(new URL('../../src', import.meta.url).pathname)]]
const base = opt('base', undefined)
if (base !== undefined) trees.unshift(['base', await load(base)])

const cpu = (f) => {
  const t = process.cpuUsage()
  f()
  const d = process.cpuUsage(t)
  return (d.user + d.system) / 1000
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

const CASES = [
  ['3d@2d linear-like', [8, 32, 64], [64, 64], true],
  ['4d@4d attention-like', [4, 4, 32, 16], [4, 4, 16, 32], true],
  ['3d@3d small', [16, 4, 4], [16, 4, 4], true],
  ['3d@3d tiny', [2, 2, 2], [2, 2, 2], true],
  ['4d@3d broadcast', [2, 1, 16, 8], [4, 8, 16], true],
  ['3d@2d forward only', [8, 32, 64], [64, 64], false],
]

for (const [name, sa, sb, bwd] of CASES) {
  const times = new Map(trees.map(([k]) => [k, []]))
  const step = (T) => {
    const x = T.randn(sa, { requires_grad: bwd })
    const y = T.randn(sb, { requires_grad: bwd })
    return () => {
      for (let i = 0; i < REPS; i++) {
        const r = x.matmul(y)
        if (bwd) r.sum().backward()
      }
    }
  }
  const fns = new Map(trees.map(([k, T]) => [k, step(T)]))
  for (const f of fns.values()) f()
  for (let r = 0; r < REPEAT; r++) for (const [k, f] of fns) times.get(k).push(cpu(f) / REPS)
  const line = [...times].map(([k, v]) => `${k} ${median(v).toFixed(3)} ms`).join(', ')
  const ratio =
    base === undefined ? '' : `, this/base ${(median(times.get('this')) / median(times.get('base'))).toFixed(2)}`
  console.log(`${name}: ${line}${ratio}`)
}
