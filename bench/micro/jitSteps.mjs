// Micro benchmark for the workloads where jit trailed eager (issue 18): W1 (matmul 512×512, forward
// only) and CF2 (grad wrt W of the sum of 10,000 RNN states through lax.scan), eager and under jit,
// over one or two source trees in one process, timed one call at a time in interleaved rounds.
//   npx tsx bench/micro/jitSteps.mjs [--base=/path/to/other/root] [--threads=2] [--rounds=40] [--only=W1|CF2]
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { opt, rand, reportRounds, roots } from './benchCommon.mjs'

const rounds = Number(opt('rounds', '40'))
const threads = Number(opt('threads', '2'))
const only = opt('only', '')
const [N, H, I, T] = [512, 16, 8, 10000]
const mmData = [rand(N * N, -1, 1, 1), rand(N * N, -1, 1, 2)]
const rnnData = [rand(H * H, -0.25, 0.25, 81), rand(I * H, -0.35, 0.35, 82), rand(H, -0.1, 0.1, 83)]
const rnnIn = [rand(H, -0.5, 0.5, 84), rand(T * I, -1, 1, 85)]

/** W1's call over one source tree, eager or under jit. */
const matmulOf = (W, useJit) => {
  const f32 = (d, shape) => W.array(d.slice(), { shape, dtype: 'float32' })
  const [A, B] = mmData.map((d) => f32(d, [N, N]))
  const mm = useJit ? W.jit((a, b) => W.matmul(a, b)) : (a, b) => W.matmul(a, b)
  return () => mm(A, B).toTypedArray()
}

/** CF2's call over one source tree, eager or under jit. */
const scanGradOf = (W, useJit) => {
  const f32 = (d, shape) => W.array(d.slice(), { shape, dtype: 'float32' })
  const [Wm, U, b] = [f32(rnnData[0], [H, H]), f32(rnnData[1], [I, H]), f32(rnnData[2], [H])]
  const [h0, xs] = [f32(rnnIn[0], [1, H]), f32(rnnIn[1], [T, 1, I])]
  const states = (Wm, U, b, h0, xs) =>
    W.lax.scan(
      (h, x) => {
        const h2 = W.tanh(W.add(W.add(W.matmul(h, Wm), W.matmul(x, U)), b))
        return [h2, h2]
      },
      h0,
      xs,
    )
  const g = W.grad((Wm, U, b, h0, xs) => W.sum(states(Wm, U, b, h0, xs)[1]))
  const f = useJit ? W.jit(g) : g
  return () => f(Wm, U, b, h0, xs).toTypedArray()
}

const cells = []
for (const [name, root] of roots) {
  const W = await import(pathToFileURL(path.join(root, 'src/index.ts')).href)
  W.setNumThreads(threads)
  for (const [w, of] of [
    ['W1', matmulOf],
    ['CF2', scanGradOf],
  ])
    if (only === '' || only === w) cells.push([`${w} ${name} eager`, of(W, false)], [`${w} ${name} jit`, of(W, true)])
}
for (const [, f] of cells) {
  const t0 = performance.now()
  while (performance.now() - t0 < 1000) f()
  await new Promise((r) => setTimeout(r, 50))
}
reportRounds(cells, rounds, (k) => `${k.padEnd(16)} ${threads} thread(s)`)
