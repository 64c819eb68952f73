// Allocation profile of the facade's autograd.grad on a one-op graph (issue 18, W10's fixed per-call
// cost): V8's sampling heap profiler, counting collected objects too, over 4000 calls; prints bytes
// allocated per call, by allocating function (self and inclusive). Byte counts are reliable on a busy
// machine where times are not.
//   node --import tsx bench/micro/gradAlloc.mjs [root]   (root: a source tree, default the current directory)
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { allocationProfile, topLines } from './allocProfile.mjs'
const root = process.argv[2] ?? process.cwd()
const T = await import(pathToFileURL(path.join(root, 'src/torch/index.ts')).href)
const x = T.randn(10, { requires_grad: true })
const ys = Array.from({ length: 4000 }, () => x.sum())
for (let i = 0; i < 300; i++) T.autograd.grad(x.sum(), x)
const { total, self, incl } = await allocationProfile(
  () => {
    for (const y of ys) T.autograd.grad(y, x)
  },
  { interval: 32 },
)
console.log('total per call', (total / ys.length).toFixed(0))
console.log('SELF\n' + topLines(self, 30, ys.length).join('\n'))
console.log('INCL\n' + topLines(incl, 40, ys.length).join('\n'))
