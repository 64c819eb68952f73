// How much of W2's step (MLP 784-256-10, batch 128) its two large products take: X·W1 (128×784 by
// 784×256) and Xᵀ·dH (the W1 gradient, X stored untransposed) timed alone, beside the whole step
// under jit, in interleaved rounds (minimum and low percentiles; `--clock=cpu` for CPU time).
//   npx tsx bench/micro/w2Gemms.mjs [--threads=2] [--rounds=300] [--clock=cpu]
import * as W from '../../src/index.ts'
import { matmul as matmulPrimitive } from '../../src/core/primitives/linalg.ts'
import { opt, rand, reportRounds } from './benchCommon.mjs'

const [B, D, H, C, lr] = [128, 784, 256, 10, 0.1]
const threads = Number(opt('threads', '2'))
W.setNumThreads(threads)
const f32 = (data, shape) => W.array(data, { shape, dtype: 'float32' })
const X = f32(rand(B * D, 0, 1, 1), [B, D])
const dH = f32(rand(B * H, -0.01, 0.01, 7), [B, H])
const onehot = new Float32Array(B * C)
for (let i = 0; i < B; i++) onehot[i * C + ((i * 7) % C)] = 1
const Y = f32(onehot, [B, C])
let P = [
  f32(rand(D * H, -0.08, 0.08, 2), [D, H]),
  f32(rand(H, -0.1, 0.1, 5), [H]),
  f32(rand(H * C, -0.15, 0.15, 3), [H, C]),
  f32(rand(C, -0.1, 0.1, 6), [C]),
]
const loss = (W1, b1, W2, b2) => {
  const h = W.relu(W.add(W.matmul(X, W1), b1))
  return W.mul(W.sum(W.mul(W.logSoftmax(W.add(W.matmul(h, W2), b2)), Y)), -1 / B)
}
const vg = W.valueAndGrad(loss, { argnums: [0, 1, 2, 3] })
const step = W.jit((...ps) => {
  const [value, grads] = vg(...ps)
  return [value, ps.map((p, i) => W.sub(p, W.mul(grads[i], lr)))]
})
const W1 = P[0]
const cells = [
  ['X·W1', () => W.matmul(X, W1)],
  ['Xᵀ·dH', () => matmulPrimitive(X, dH, true, false)], // as the VJP calls it: no transposed copy
  [
    'jit step',
    () => {
      const [v, next] = step(...P)
      P = next
      return v.item()
    },
  ],
]
for (const [, f] of cells) {
  const t0 = performance.now()
  while (performance.now() - t0 < 1000) f()
  await new Promise((r) => setTimeout(r, 50))
}
reportRounds(cells, Number(opt('rounds', '300')), (k) => `W2 ${k.padEnd(9)} ${threads} thread(s)`)
