// Allocation profile of the facade's autograd.grad on a one-op graph (issue 18, W10's fixed per-call
// cost): V8's sampling heap profiler, counting collected objects too, over 4000 calls; prints bytes
// allocated per call, by allocating function (self and inclusive). Byte counts are reliable on a busy
// machine where times are not.
//   node --import tsx bench/micro/gradAlloc.mjs [root]   (root: a source tree, default the current directory)
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import inspector from 'node:inspector'
const root = process.argv[2] ?? process.cwd()
const T = await import(pathToFileURL(path.join(root, 'src/torch/index.ts')).href)
const x = T.randn(10, { requires_grad: true })
const ys = Array.from({ length: 4000 }, () => x.sum())
for (let i = 0; i < 300; i++) T.autograd.grad(x.sum(), x)
const s = new inspector.Session()
s.connect()
const post = (m, p) => new Promise((res, rej) => s.post(m, p, (e, r) => (e ? rej(e) : res(r))))
await post('HeapProfiler.enable')
await post('HeapProfiler.startSampling', {
  samplingInterval: 32,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
})
for (const y of ys) T.autograd.grad(y, x)
const { profile } = await post('HeapProfiler.stopSampling')
const self = new Map(),
  incl = new Map()
let total = 0
const walk = (n, stack) => {
  const k =
    (n.callFrame.functionName || '(anon)') +
    ' ' +
    n.callFrame.url.split('/').slice(-2).join('/') +
    ':' +
    (n.callFrame.lineNumber + 1) +
    ':' +
    n.callFrame.columnNumber
  self.set(k, (self.get(k) ?? 0) + n.selfSize)
  total += n.selfSize
  const st = new Set(stack)
  st.add(k)
  for (const kk of st) incl.set(kk, (incl.get(kk) ?? 0) + n.selfSize)
  for (const c of n.children) walk(c, st)
}
walk(profile.head, new Set())
const top = (m, n) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => (v / ys.length).toFixed(0).padStart(6) + ' B ' + k)
    .join('\n')
console.log('total per call', (total / ys.length).toFixed(0))
console.log('SELF\n' + top(self, 30))
console.log('INCL\n' + top(incl, 40))
