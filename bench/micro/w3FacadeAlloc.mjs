// Allocation profile of W3 on the facade (issue 18): the bench's chain (x = 0.99·x + exp(−0.5·x),
// 250 steps, 4 ops each) written as PyTorch code, forward and backward(), over a built tree (its
// dist/: `npm run build` first). V8's sampling heap profiler, counting collected objects too, over
// 200 calls after 200 warm-up calls; prints bytes allocated per op, by allocating function (self;
// inlined callees count as their caller). Byte counts are reliable on a busy machine where times are not.
//   node bench/micro/w3FacadeAlloc.mjs [root]   (root: a built wengert tree, default this one)
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { allocationProfile, topLines } from './allocProfile.mjs'

const here = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..')
const root = path.resolve(process.argv[2] ?? here)
const torch = await import(pathToFileURL(path.join(root, 'dist/esm/src/torch/index.js')).href)
const call = () => {
  const x0 = torch.tensor(0.3, { requires_grad: true })
  let x = x0
  for (let s = 0; s < 250; s++) x = x.mul(0.99).add(x.mul(-0.5).exp())
  x.backward()
  return x0.grad.item()
}
const calls = 200
for (let i = 0; i < calls; i++) call()
const { total, self } = await allocationProfile(
  () => {
    for (let i = 0; i < calls; i++) call()
  },
  { column: false },
)
const per = calls * 1000
console.log(`W3 facade: ${(total / per).toFixed(0)} bytes allocated per op (${root})`)
for (const line of topLines(self, 15, per)) console.log(line)
