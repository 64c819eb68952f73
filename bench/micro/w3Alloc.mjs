// Allocation profile of W3's eager gradient (1000 chained scalar float32 ops, as w3Steps.mjs):
// V8's sampling heap profiler, counting collected objects too, over 200 calls; prints bytes
// allocated per op, by allocating function (self). Byte counts are reliable on a busy machine
// where times are not.
//   node --import tsx bench/micro/w3Alloc.mjs [root]   (root: a source tree, default the current directory)
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import inspector from 'node:inspector'
const root = process.argv[2] ?? process.cwd()
const W = await import(pathToFileURL(path.join(root, 'src/index.ts')).href)
const x0 = W.array(0.3, { dtype: 'float32' })
const chain = (x) => {
  for (let s = 0; s < 250; s++) x = W.add(W.mul(x, 0.99), W.exp(W.mul(x, -0.5)))
  return x
}
const g = W.grad(chain)
const calls = 200
for (let i = 0; i < 200; i++) g(x0)
const s = new inspector.Session()
s.connect()
const post = (m, p) => new Promise((res, rej) => s.post(m, p, (e, r) => (e ? rej(e) : res(r))))
await post('HeapProfiler.enable')
await post('HeapProfiler.startSampling', {
  samplingInterval: 64,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
})
for (let i = 0; i < calls; i++) g(x0)
const { profile } = await post('HeapProfiler.stopSampling')
const self = new Map()
let total = 0
const walk = (n) => {
  const f = n.callFrame
  const k = `${f.functionName || '(anon)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}:${f.columnNumber}`
  self.set(k, (self.get(k) ?? 0) + n.selfSize)
  total += n.selfSize
  for (const c of n.children) walk(c)
}
walk(profile.head)
const perOp = (v) => (v / (calls * 1000)).toFixed(1)
console.log(`W3 eager: ${perOp(total)} B allocated per op`)
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`${perOp(v).padStart(7)} B ${k}`)
