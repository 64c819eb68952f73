// Allocation profile of W3's eager gradient (1000 chained scalar float32 ops, as w3Steps.mjs):
// V8's sampling heap profiler, counting collected objects too, over 200 calls; prints bytes
// allocated per op, by allocating function (self). Byte counts are reliable on a busy machine
// where times are not.
//   node --import tsx bench/micro/w3Alloc.mjs [root]   (root: a source tree, default the current directory)
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { allocationProfile, topLines } from './allocProfile.mjs'
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
const { total, self } = await allocationProfile(() => {
  for (let i = 0; i < calls; i++) g(x0)
})
const per = calls * 1000
console.log(`W3 eager: ${(total / per).toFixed(1)} B allocated per op`)
for (const line of topLines(self, 20, per, 1)) console.log(line)
