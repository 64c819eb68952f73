// Micro benchmark for W2 (MLP 784-256-10, batch 128: forward, gradient of the 4 parameters, SGD),
// eager and under jit, on one or two threads, over one or two source trees in one process. Calls
// are timed one by one in interleaved rounds and the minimum and low percentiles are reported: on
// a shared machine the minimum is the closest to a quiet run (medians there mostly measure the
// neighbours). Compare with W2's NumPy floor: /usr/bin/python3 bench/floor/w2_numpy.py.
//   npx tsx bench/micro/w2Steps.mjs [--base=/path/to/other/root] [--threads=2] [--rounds=200]
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { opt, rand, reportRounds, roots } from './benchCommon.mjs'

const [B, D, H, C, lr] = [128, 784, 256, 10, 0.1]
const rounds = Number(opt('rounds', '200'))
const threads = Number(opt('threads', '2'))
const onehot = new Float32Array(B * C)
for (let i = 0; i < B; i++) onehot[i * C + ((i * 7) % C)] = 1
const init = [rand(D * H, -0.08, 0.08, 2), rand(H, -0.1, 0.1, 5), rand(H * C, -0.15, 0.15, 3), rand(C, -0.1, 0.1, 6)]
const shapes = [[D, H], [H], [H, C], [C]]

/** The step over one source tree (as bench/adapters/wengert.mjs): eager or under jit. */
const stepOf = (W, useJit) => {
  const f32 = (data, shape) => W.array(data.slice(), { shape, dtype: 'float32' })
  const X = f32(rand(B * D, 0, 1, 1), [B, D])
  const Y = f32(onehot, [B, C])
  const loss = (W1, b1, W2, b2) => {
    const h = W.relu(W.add(W.matmul(X, W1), b1))
    return W.mul(W.sum(W.mul(W.logSoftmax(W.add(W.matmul(h, W2), b2)), Y)), -1 / B)
  }
  const vg = W.valueAndGrad(loss, { argnums: [0, 1, 2, 3] })
  const raw = (...ps) => {
    const [value, grads] = vg(...ps)
    return [value, ps.map((p, i) => W.sub(p, W.mul(grads[i], lr)))]
  }
  const step = useJit ? W.jit(raw) : raw
  let P = init.map((d, i) => f32(d, shapes[i]))
  return () => {
    const [value, next] = step(...P)
    P = next
    return value.item()
  }
}

const cells = []
for (const [name, root] of roots) {
  const W = await import(pathToFileURL(path.join(root, 'src/index.ts')).href)
  W.setNumThreads(threads)
  cells.push([`${name} eager`, stepOf(W, false)], [`${name} jit`, stepOf(W, true)])
}
// warm-up (~1 s per cell: V8 optimises the generated code), with pauses so that helper threads boot
for (const [, f] of cells) {
  const t0 = performance.now()
  while (performance.now() - t0 < 1000) f()
  await new Promise((r) => setTimeout(r, 50))
}
reportRounds(cells, rounds, (k) => `W2 ${k.padEnd(12)} ${threads} thread(s)`)
